use sea_orm::entity::prelude::*;

/// An extension request and its decision (行政许可法 第四十二条).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_extension")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub days: i32,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub requested_by: i64,
    pub requested_at: DateTimeUtc,
    pub status: crate::store::columns::RequestStatus,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_note: Option<String>,
}

super::no_relations!();
