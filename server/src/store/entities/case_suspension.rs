use sea_orm::entity::prelude::*;

/// A special procedure that stops the clock (行政许可法 第四十五条).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_suspension")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub procedure: String,
    pub start_date: Date,
    pub end_date: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub ended_by: Option<i64>,
}

super::no_relations!();
