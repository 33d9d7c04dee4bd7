use sea_orm::entity::prelude::*;

/// A file made in the background (the monthly report's XLSX): its progress and, once made, the
/// file. Running while neither `bytes` nor `error` is set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "export_job")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What is made: `monthly_xlsx`.
    pub kind: String,
    /// Its parameter: the month, `YYYY-MM`.
    pub param: String,
    pub requested_by: i64,
    /// Items to read, and read so far.
    pub total: i64,
    pub done: i64,
    pub file_name: Option<String>,
    #[sea_orm(column_type = "Blob", nullable)]
    pub bytes: Option<Vec<u8>>,
    pub error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

super::no_relations!();
