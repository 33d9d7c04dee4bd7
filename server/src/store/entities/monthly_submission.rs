use sea_orm::entity::prelude::*;

/// A unit's monthly rectification report, submitted (attachment 1, before the 22nd).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monthly_submission")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    pub month: String,
    pub submitted_at: DateTimeUtc,
    pub submitted_on: Date,
    pub submitted_by: i64,
}

super::no_relations!();
