use sea_orm::entity::prelude::*;

/// A queue of a center (letter + the unit it serves), e.g. A: 区市场监督管理局.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "queue_def")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_id: i64,
    pub letter: String,
    pub unit_id: i64,
    pub name: String,
    pub active: bool,
}

super::no_relations!();
