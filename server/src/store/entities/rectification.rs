use sea_orm::entity::prelude::*;

/// One item of the rectification list (问题整改清单).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rectification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub problem_id: i64,
    pub center_id: i64,
    pub unit_id: i64,
    pub staff_id: Option<i64>,
    pub status: crate::store::columns::RectificationStatus,
    pub found_on: Date,
    pub deadline: Date,
    #[sea_orm(column_type = "Text", nullable)]
    pub measure: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub report_note: Option<String>,
    pub reported_at: Option<DateTimeUtc>,
    pub reported_by: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub close_note: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
    pub closed_on: Option<Date>,
    pub closed_by: Option<i64>,
    pub reopened: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

super::no_relations!();
