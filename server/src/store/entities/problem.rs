use sea_orm::entity::prelude::*;

/// A supervision problem: found by the detector, a rating or a supervisor (issue #13).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "problem")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub source: String,
    pub center_id: i64,
    pub unit_id: Option<i64>,
    pub window_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub found_at: DateTimeUtc,
    pub found_on: Date,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub evidence_kind: Option<String>,
    pub evidence_id: Option<i64>,
    pub dedupe_key: Option<String>,
    pub reported_by: Option<i64>,
    pub struck: bool,
}

super::no_relations!();
