use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "window_unit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub window_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: i64,
}

super::no_relations!();
