use sea_orm::entity::prelude::*;

/// A concrete after-hours slot with its seat count.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appointment_slot")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub rule_id: i64,
    pub center_id: i64,
    pub unit_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub item_codes: String,
    pub day: Date,
    pub start_at: DateTimeUtc,
    pub end_at: DateTimeUtc,
    pub capacity: i32,
    pub booked: i32,
}

super::no_relations!();
