use sea_orm::entity::prelude::*;

/// The last ticket number taken per queue and day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "queue_counter")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub queue_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    pub last_seq: i64,
}

super::no_relations!();
