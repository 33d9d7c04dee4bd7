use sea_orm::entity::prelude::*;

/// A first inquiry (首问), owned by the staff member who took it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inquiry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_id: i64,
    pub unit_id: i64,
    pub owner_id: i64,
    pub channel: String,
    pub topic: String,
    pub item_code: Option<String>,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub status: crate::store::columns::InquiryStatus,
    pub outcome: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub outcome_detail: Option<String>,
    pub case_id: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub feedback: Option<String>,
    pub created_at: DateTimeUtc,
    pub outcome_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub version: i64,
}

super::no_relations!();
