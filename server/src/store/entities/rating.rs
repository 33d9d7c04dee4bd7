use sea_orm::entity::prelude::*;

/// A 好差评 rating (one per code).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rating")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code_id: i64,
    pub subject: String,
    pub subject_id: i64,
    pub channel: String,
    pub center_id: i64,
    pub unit_id: i64,
    pub window_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub level: String,
    pub points: i32,
    #[sea_orm(column_type = "Text")]
    pub indicators: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    pub rated_at: DateTimeUtc,
    pub rated_on: Date,
    pub struck: bool,
    pub problem_id: Option<i64>,
    pub follow_up_at: Option<DateTimeUtc>,
    pub follow_up_by: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub follow_up_note: Option<String>,
}

super::no_relations!();
