use sea_orm::entity::prelude::*;

/// A photo or file attached to a problem (kept in the database).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "problem_file")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub problem_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    #[sea_orm(column_type = "Blob")]
    pub bytes: Vec<u8>,
    pub uploaded_by: i64,
    pub uploaded_at: DateTimeUtc,
}

super::no_relations!();
