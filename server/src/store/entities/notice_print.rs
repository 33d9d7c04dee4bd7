use sea_orm::entity::prelude::*;

/// Each printing of a notice; every one after the first is a 补打.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_print")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub notice_id: i64,
    pub printed_by: i64,
    pub printed_at: DateTimeUtc,
    pub reprint: bool,
}

super::no_relations!();
