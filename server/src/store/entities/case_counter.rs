use sea_orm::entity::prelude::*;

/// The last case number taken per center and year.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_counter")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub center_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub last_seq: i64,
}

super::no_relations!();
