use sea_orm::entity::prelude::*;

/// An extended service (`ExtendedService`): staff, ticket, minutes past hours.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "extended_service")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_id: i64,
    pub day: Date,
    pub ticket_id: Option<i64>,
    pub slot_id: Option<i64>,
    pub staff_id: i64,
    pub kind: String,
    pub started_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub minutes_past: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
}

super::no_relations!();
