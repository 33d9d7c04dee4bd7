use sea_orm::entity::prelude::*;

/// A closed queue day (only when nobody was left waiting).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "queue_day")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub center_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    pub closed_at: DateTimeUtc,
    pub closed_by: i64,
}

super::no_relations!();
