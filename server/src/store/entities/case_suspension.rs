use sea_orm::entity::prelude::*;

/// A special procedure that stops the clock (行政许可法 第四十五条).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_suspension")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub procedure: String,
    /// The local date of the start (rows recorded before moments: the only start known).
    pub start_date: Date,
    pub end_date: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub ended_by: Option<i64>,
    /// When the clock stopped (`None` on rows recorded by date only).
    pub start_at: Option<DateTimeUtc>,
    /// When it ran again.
    pub end_at: Option<DateTimeUtc>,
    /// Why a back-dated start was recorded late (issue #11 point 1).
    #[sea_orm(column_type = "Text", nullable)]
    pub backdate_reason: Option<String>,
}

super::no_relations!();
