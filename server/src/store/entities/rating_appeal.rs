use sea_orm::entity::prelude::*;

/// A unit's appeal (申诉复核) against a rating.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rating_appeal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub rating_id: i64,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub filed_by: i64,
    pub filed_at: DateTimeUtc,
    pub status: crate::store::columns::AppealStatus,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_note: Option<String>,
    pub version: i64,
}

super::no_relations!();
