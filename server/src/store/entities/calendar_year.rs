use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_year")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    /// `shipped` (from the State Council notices bundled with the product) or `admin`.
    pub source: String,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i64>,
}

super::no_relations!();
