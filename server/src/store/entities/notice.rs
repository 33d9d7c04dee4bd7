use sea_orm::entity::prelude::*;

/// An issued document, stored as rendered; never changed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    pub kind: String,
    pub year: i32,
    pub seq: i64,
    pub number: String,
    pub case_id: Option<i64>,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub data: String,
    #[sea_orm(column_type = "Text")]
    pub html: String,
    pub sha256: String,
    pub issued_by: i64,
    pub issued_at: DateTimeUtc,
}

super::no_relations!();
