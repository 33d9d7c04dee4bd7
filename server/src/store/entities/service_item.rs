use sea_orm::entity::prelude::*;

/// A catalog item; `definition` holds the whole item as JSON.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    pub category: String,
    pub unit_id: i64,
    #[sea_orm(column_type = "Text")]
    pub definition: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

super::no_relations!();
