use sea_orm::entity::prelude::*;

/// A compliance problem found in the data.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "violation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub center_id: i64,
    pub unit_id: i64,
    pub staff_id: Option<i64>,
    pub case_id: Option<i64>,
    pub inquiry_id: Option<i64>,
    pub at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub detail: String,
}

super::no_relations!();
