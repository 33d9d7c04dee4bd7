use sea_orm::entity::prelude::*;

/// A request to name a deficiency the first correction notice missed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "one_time_exception")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    #[sea_orm(column_type = "Text")]
    pub material_keys: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub requested_by: i64,
    pub requested_at: DateTimeUtc,
    pub approved_by: Option<i64>,
    pub approved_at: Option<DateTimeUtc>,
    /// The chief's reason for a refusal (required), or a note on an approval.
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_note: Option<String>,
    pub status: crate::store::columns::RequestStatus,
}

super::no_relations!();
