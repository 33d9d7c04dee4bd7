use sea_orm::entity::prelude::*;

/// Corrected materials received.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_correction")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    #[sea_orm(column_type = "Text")]
    pub material_keys: String,
    pub received_by: i64,
    pub received_at: DateTimeUtc,
}

super::no_relations!();
