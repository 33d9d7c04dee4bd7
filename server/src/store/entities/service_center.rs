use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_center")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    /// `district` | `town` | `street`
    pub kind: String,
    pub address: String,
    pub phone: String,
    /// `rules::BusinessHours` as JSON.
    #[sea_orm(column_type = "Text")]
    pub business_hours: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

super::no_relations!();
