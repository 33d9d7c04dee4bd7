use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_role")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub staff_id: i64,
    /// `app::api::Role` in snake_case.
    #[sea_orm(primary_key, auto_increment = false)]
    pub role: String,
}

super::no_relations!();
