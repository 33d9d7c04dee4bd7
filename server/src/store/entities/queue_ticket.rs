use sea_orm::entity::prelude::*;

/// A queue ticket (`QueueTicket`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "queue_ticket")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_id: i64,
    pub day: Date,
    pub queue_id: i64,
    pub seq: i64,
    pub number: String,
    pub unit_id: i64,
    pub item_code: Option<String>,
    pub priority: bool,
    pub appointment_id: Option<i64>,
    pub status: crate::store::columns::TicketStatus,
    pub issued_at: DateTimeUtc,
    pub issued_by: Option<i64>,
    pub called_at: Option<DateTimeUtc>,
    pub window_id: Option<i64>,
    pub called_by: Option<i64>,
    pub recalls: i32,
    pub serve_started_at: Option<DateTimeUtc>,
    pub served_by: Option<i64>,
    pub serve_ended_at: Option<DateTimeUtc>,
    pub no_show_at: Option<DateTimeUtc>,
    pub version: i64,
}

super::no_relations!();
