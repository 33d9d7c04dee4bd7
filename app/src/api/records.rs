//! Read-only records of one ticket and one booking: where supervision's drill-down ends when a
//! figure is not about a case (issue #13: "every figure drills down to the list behind it and
//! then to the case, ticket or booking").

use chrono::{DateTime, NaiveDate, Utc};
use rules::{AppointmentStatus, TicketStatus};
use serde::{Deserialize, Serialize};

use super::{ApiError, client::get};

/// A ticket's day in the hall, step by step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketRecord {
    pub id: i64,
    pub number: String,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub day: NaiveDate,
    pub center_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub item_code: Option<String>,
    pub priority: bool,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: TicketStatus,
    pub status_label: String,
    pub issued_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    pub recalls: i32,
    pub window_name: Option<String>,
    pub called_by_name: Option<String>,
    pub serve_started_at: Option<DateTime<Utc>>,
    pub serve_ended_at: Option<DateTime<Utc>>,
    pub served_by_name: Option<String>,
    pub no_show_at: Option<DateTime<Utc>>,
    /// The booking the ticket was issued for, if any.
    pub booking_id: Option<i64>,
    pub reassignments: Vec<ReassignmentStep>,
    pub extended_services: Vec<ExtendedStep>,
}

/// A "cannot serve" of the ticket and the chief representative's choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReassignmentStep {
    pub reason: String,
    pub from_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub assigned_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// An extended service (延时服务) given on the ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExtendedStep {
    pub kind_label: String,
    pub staff_name: Option<String>,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub minutes_past: i32,
}

/// A booking (预约) and what became of it; the holder's phone masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BookingRecord {
    pub id: i64,
    /// The 预约码's first four characters, the rest masked (`JB98-****`).
    pub code: String,
    pub center_name: String,
    pub unit_name: Option<String>,
    pub item_code: String,
    pub name: String,
    pub phone_masked: String,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub slot_day: NaiveDate,
    pub slot_start_at: DateTime<Utc>,
    pub slot_end_at: DateTime<Utc>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: AppointmentStatus,
    pub status_label: String,
    pub created_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub arrived_at: Option<DateTime<Utc>>,
    pub no_show_at: Option<DateTime<Utc>>,
    /// The ticket the visit was served on.
    pub ticket_id: Option<i64>,
}

pub async fn ticket(id: i64) -> Result<TicketRecord, ApiError> {
    get(format!("/api/v1/supervision/tickets/{id}")).await
}

pub async fn booking(id: i64) -> Result<BookingRecord, ApiError> {
    get(format!("/api/v1/supervision/bookings/{id}")).await
}
