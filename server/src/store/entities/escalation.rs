use sea_orm::entity::prelude::*;

/// A difficult inquiry handed to the unit's chief representative.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "escalation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inquiry_id: i64,
    pub unit_id: i64,
    #[sea_orm(column_type = "Text")]
    pub question: String,
    pub created_at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub resolution: Option<String>,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<DateTimeUtc>,
}

super::no_relations!();
