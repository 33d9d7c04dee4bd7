//! Queue calling (取号 / 叫号) and extended service (延时服务) as the API carries them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{
    ApiError, Method,
    client::{get, send},
};

/// A queue of a center and how long it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QueueView {
    pub id: i64,
    pub center_id: i64,
    /// The ticket prefix, e.g. `A`.
    pub letter: String,
    pub name: String,
    pub unit_id: i64,
    pub waiting: u32,
    /// Minutes a new ticket can expect to wait (today's service times).
    pub estimate_minutes: u32,
}

impl QueueView {
    /// "等候 3 人 · 约 12 分钟", as the kiosk and the display show it.
    pub fn wait_label(&self) -> String {
        format!(
            "等候 {} 人 · 约 {} 分钟",
            self.waiting, self.estimate_minutes
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QueueList {
    pub center_id: i64,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub day: NaiveDate,
    /// Whether tickets can be taken now, and if not why (Chinese).
    pub open_for_tickets: bool,
    pub closed_reason: Option<String>,
    /// While closed: why, as a stable code (`day_closed` when the chief ended the day).
    #[serde(default)]
    pub closed_code: Option<String>,
    /// While closed: when tickets can next be taken (the next session start), if known.
    #[serde(default)]
    pub opens_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When `open_for_tickets` next changes (the cut-off while open, else `opens_at`): a
    /// kiosk, display or panel left on screen reads the list again then.
    #[serde(default)]
    pub changes_at: Option<chrono::DateTime<chrono::Utc>>,
    pub queues: Vec<QueueView>,
}

/// A ticket as the person holding it, the display and the window see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketView {
    pub id: i64,
    pub center_id: i64,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub day: NaiveDate,
    pub number: String,
    pub queue_id: i64,
    pub queue_name: String,
    pub unit_id: i64,
    pub item_code: Option<String>,
    pub priority: bool,
    /// `waiting` · `called` · `serving` · `done` · `no_show` · `reassigning`
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: rules::TicketStatus,
    pub issued_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    pub window_id: Option<i64>,
    pub window_number: Option<String>,
    pub recalls: i32,
    pub serve_started_at: Option<DateTime<Utc>>,
    pub serve_ended_at: Option<DateTime<Utc>>,
    /// Tickets ahead in the same queue (waiting only).
    pub ahead: u32,
    pub estimate_minutes: u32,
    pub version: i64,
}

/// Taking a ticket (kiosk or staff).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TakeTicket {
    pub center_id: i64,
    pub queue_id: i64,
    #[serde(default)]
    pub item_code: Option<String>,
}

/// What the hall's display shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DisplayBoard {
    pub center_id: i64,
    pub center_name: String,
    /// Most recent first.
    pub calls: Vec<CallView>,
    pub queues: Vec<QueueView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CallView {
    pub ticket_id: i64,
    pub number: String,
    pub window_number: String,
    pub called_at: DateTime<Utc>,
    pub recalls: i32,
}

/// A window's panel: what it serves now and who waits for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WindowBoard {
    pub window_id: i64,
    pub window_number: String,
    pub current: Option<TicketView>,
    pub waiting: Vec<TicketView>,
    /// Tickets reassigned to this window by the chief representative.
    pub assigned: Vec<TicketView>,
    /// The colleague who called the current ticket, when it is not the caller: it is theirs to
    /// serve, and this panel only shows it (a window may be shared).
    #[serde(default)]
    pub current_held_by: Option<String>,
    /// The caller's own ticket in hand at another window (its window id, window number and
    /// ticket number): a clerk back from another page had lost sight of their citizen.
    #[serde(default)]
    pub yours_elsewhere: Option<(i64, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WindowRequest {
    pub window_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TicketStep {
    pub version: i64,
    /// `finish` only: whether the business could be finished on the spot (「当即能够办结」;
    /// default: it could). Finishable business served through the noon break records the break's
    /// minutes as extended service; business that needs someone or something not at the window
    /// pauses at noon and records none (Seed §二(四)一).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub on_the_spot: Option<rules::OnTheSpot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    pub version: i64,
    pub window_id: i64,
}

/// "Cannot serve": the only way a window lets a ticket go; the chief representative must assign
/// someone else (Seed §二(四)三).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CannotServeRequest {
    pub version: i64,
    pub reason: String,
}

/// Extended service asked for by the citizen or started by the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtendedRequest {
    /// `citizen_request` or `staff_started`
    pub kind: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReassignmentView {
    pub id: i64,
    pub ticket: TicketView,
    pub from_staff: String,
    /// Who reported: never the one assigned (须安排另一位工作人员).
    #[serde(default)]
    pub from_staff_id: i64,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub assigned_staff: Option<String>,
    pub assigned_window: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub staff_id: i64,
    pub window_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CloseDayRequest {
    pub center_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExtendedServiceView {
    pub id: i64,
    pub center_id: i64,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub day: NaiveDate,
    pub ticket_number: Option<String>,
    pub slot_id: Option<i64>,
    pub staff_name: String,
    /// `rules::extended::ExtendedKind` code.
    pub kind: String,
    pub kind_label: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub minutes_past: i32,
    pub note: Option<String>,
}

pub async fn queues(center_id: i64) -> Result<QueueList, ApiError> {
    get(format!("/api/v1/public/queues?center={center_id}")).await
}

pub async fn display(center_id: i64) -> Result<DisplayBoard, ApiError> {
    get(format!("/api/v1/public/display/{center_id}")).await
}

pub async fn take_ticket(body: TakeTicket) -> Result<TicketView, ApiError> {
    send(
        Method::Post,
        "/api/v1/public/queue-tickets".into(),
        Some(&body),
    )
    .await
}

/// One ticket as its holder sees it (public: a number carries nothing personal).
pub async fn ticket(id: i64) -> Result<TicketView, ApiError> {
    get(format!("/api/v1/public/queue-tickets/{id}")).await
}

pub async fn window_board(window_id: i64) -> Result<WindowBoard, ApiError> {
    get(format!("/api/v1/queue/windows/{window_id}")).await
}

pub async fn call_next(window_id: i64) -> Result<TicketView, ApiError> {
    send(
        Method::Post,
        "/api/v1/queue/call-next".into(),
        Some(&WindowRequest { window_id }),
    )
    .await
}

/// `action`: `recall`, `no-show`, `start`, `finish`.
pub async fn ticket_step(id: i64, action: &str, version: i64) -> Result<TicketView, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/queue-tickets/{id}/{action}"),
        Some(&TicketStep {
            version,
            on_the_spot: None,
        }),
    )
    .await
}

/// Finishes the ticket being served, saying whether its business could be finished on the spot.
pub async fn finish(
    id: i64,
    version: i64,
    on_the_spot: rules::OnTheSpot,
) -> Result<TicketView, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/queue-tickets/{id}/finish"),
        Some(&TicketStep {
            version,
            on_the_spot: Some(on_the_spot),
        }),
    )
    .await
}

pub async fn transfer(id: i64, body: TransferRequest) -> Result<TicketView, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/queue-tickets/{id}/transfer"),
        Some(&body),
    )
    .await
}

pub async fn cannot_serve(id: i64, body: CannotServeRequest) -> Result<ReassignmentView, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/queue-tickets/{id}/cannot-serve"),
        Some(&body),
    )
    .await
}

pub async fn extended(id: i64, body: ExtendedRequest) -> Result<ExtendedServiceView, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/queue-tickets/{id}/extended-service"),
        Some(&body),
    )
    .await
}

pub async fn reassignments() -> Result<Vec<ReassignmentView>, ApiError> {
    get("/api/v1/queue/reassignments".into()).await
}

pub async fn assign(id: i64, body: AssignRequest) -> Result<ReassignmentView, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/queue/reassignments/{id}"),
        Some(&body),
    )
    .await
}

pub async fn close_day(center_id: i64) -> Result<(), ApiError> {
    send(
        Method::Post,
        "/api/v1/queue/close-day".into(),
        Some(&CloseDayRequest { center_id }),
    )
    .await
}

/// Reopens today's queue after a close by mistake (chief representative, admin).
pub async fn reopen_day(center_id: i64) -> Result<(), ApiError> {
    send(
        Method::Post,
        "/api/v1/queue/reopen-day".into(),
        Some(&CloseDayRequest { center_id }),
    )
    .await
}

pub async fn extended_services(
    center_id: i64,
    day: NaiveDate,
) -> Result<Vec<ExtendedServiceView>, ApiError> {
    get(format!(
        "/api/v1/extended-services?center={center_id}&date={day}"
    ))
    .await
}

/// A new queue of a center (Admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QueueInput {
    pub center_id: i64,
    /// One capital letter, the ticket prefix.
    pub letter: String,
    pub unit_id: i64,
    pub name: String,
}
