use sea_orm::entity::prelude::*;

/// A 周巡查: one center's weekly patrol with the checklist.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "patrol")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_id: i64,
    /// ISO week, e.g. `2026-W12`.
    pub week: String,
    pub patrolled_on: Date,
    pub inspector_id: i64,
    pub created_at: DateTimeUtc,
}

super::no_relations!();
