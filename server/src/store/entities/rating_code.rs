use sea_orm::entity::prelude::*;

/// The code printed on a ticket or notice that opens its rating page (one per subject).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rating_code")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub subject: String,
    pub subject_id: i64,
    pub center_id: i64,
    pub unit_id: i64,
    pub window_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

super::no_relations!();
