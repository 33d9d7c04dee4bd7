//! Queue calling (取号/叫号) and extended service. The kiosk, the display and a ticket's own
//! page are public; windows act as their clerks; chief representatives reassign "cannot serve"
//! tickets; supervisors read the extended-service records.

use app::api::org::PageQuery;
use app::api::queue::{
    AssignRequest, CannotServeRequest, CloseDayRequest, DisplayBoard, ExtendedRequest,
    ExtendedServiceView, QueueInput, QueueList, QueueView, ReassignmentView, TakeTicket,
    TicketStep, TicketView, TransferRequest, WindowBoard, WindowRequest,
};
use axum::{
    Json, Router,
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};
use chrono::NaiveDate;
use rules::TicketEvent;
use serde::Deserialize;

use super::{auth::PublicWrite, paging};
use crate::{
    auth::{
        Caller,
        policy::{Admins, Chiefs, Clerks, ExtendedReaders, QueueClosers},
    },
    error::{AppError, AppResult, ErrorBody},
    events::{EventExt, Topic, event},
    extract::{ApiJson, ApiPath, ApiQuery},
    services::{Ctx, queue},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/public/queues", get(queues))
        .route("/public/queue-tickets", post(take_public))
        .route("/public/queue-tickets/{id}", get(public_ticket))
        .route("/public/display/{center}", get(display))
        .route("/queue-tickets", post(take_staff))
        .route("/queue/windows/{id}", get(window_board))
        .route("/queue/call-next", post(call_next))
        .route("/queue-tickets/{id}/recall", post(recall))
        .route("/queue-tickets/{id}/start", post(start))
        .route("/queue-tickets/{id}/finish", post(finish))
        .route("/queue-tickets/{id}/no-show", post(no_show))
        .route("/queue-tickets/{id}/transfer", post(transfer))
        .route("/queue-tickets/{id}/cannot-serve", post(cannot_serve))
        .route("/queue-tickets/{id}/extended-service", post(extended))
        .route("/queue/reassignments", get(reassignments))
        .route("/queue/reassignments/{id}", post(assign))
        .route("/queue/close-day", post(close_day))
        .route("/queue/reopen-day", post(reopen_day))
        .route("/extended-services", get(extended_list))
        .route("/queues", post(create_queue))
}

/// Tells displays and window panels of the center that its queue changed.
pub(crate) async fn queue_changed(ctx: &Ctx, center_id: i64, ticket_id: Option<i64>) {
    let mut e = event(Topic::Queue, "queue.changed").center(center_id);
    if let Some(id) = ticket_id {
        e = e.id(id);
    }
    ctx.publish(e).await;
}

async fn ticket_changed(ctx: &Ctx, t: TicketView) -> Json<TicketView> {
    queue_changed(ctx, t.center_id, Some(t.id)).await;
    Json(t)
}

/// Tells the chief representatives' inboxes of the unit that its reports changed.
async fn reassignments_changed(ctx: &Ctx, r: &ReassignmentView) {
    queue_changed(ctx, r.ticket.center_id, Some(r.ticket.id)).await;
    let e = event(Topic::Reassignments, "reassignment.changed")
        .center(r.ticket.center_id)
        .unit(r.ticket.unit_id);
    ctx.publish(e).await;
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CenterQuery {
    pub center: i64,
}

/// A center's queues, their waiting counts and estimates, and whether tickets can be taken now
/// (anyone).
#[utoipa::path(get, path = "/api/v1/public/queues", tag = "queue", params(CenterQuery),
    responses((status = 200, body = QueueList), (status = 422, body = ErrorBody)))]
pub async fn queues(ctx: Ctx, ApiQuery(q): ApiQuery<CenterQuery>) -> AppResult<Json<QueueList>> {
    queue::list(&ctx, q.center).await.map(Json)
}

/// Takes a ticket at the kiosk (anyone). No ticket after close or the center's cut-off.
#[utoipa::path(
    post,
    path = "/api/v1/public/queue-tickets",
    tag = "queue",
    request_body = TakeTicket,
    responses((status = 201, body = TicketView), (status = 422, body = ErrorBody))
)]
pub async fn take_public(
    State(state): State<AppState>,
    ctx: Ctx,
    write: PublicWrite,
    ApiJson(body): ApiJson<TakeTicket>,
) -> AppResult<(StatusCode, Json<TicketView>)> {
    if write.kiosk_center.is_some_and(|c| c != body.center_id) {
        return Err(
            AppError::invalid("kiosk_other_center", "本取号机只能领取本中心的号")
                .with_field("center_id"),
        );
    }
    write.charge_phone_ticket(&state)?;
    let t = queue::take(&ctx, None, body).await?;
    Ok((StatusCode::CREATED, ticket_changed(&ctx, t).await))
}

/// One ticket: number, place in the queue, estimate, the window when called (anyone).
#[utoipa::path(get, path = "/api/v1/public/queue-tickets/{id}", tag = "queue",
    responses((status = 200, body = TicketView), (status = 404, body = ErrorBody)))]
pub async fn public_ticket(ctx: Ctx, ApiPath(id): ApiPath<i64>) -> AppResult<Json<TicketView>> {
    queue::public_ticket(&ctx, id).await.map(Json)
}

/// The hall's call display: the last calls and the queues (anyone).
#[utoipa::path(get, path = "/api/v1/public/display/{center}", tag = "queue",
    responses((status = 200, body = DisplayBoard), (status = 422, body = ErrorBody)))]
pub async fn display(ctx: Ctx, ApiPath(center): ApiPath<i64>) -> AppResult<Json<DisplayBoard>> {
    queue::display(&ctx, center).await.map(Json)
}

/// Issues a ticket at the counter (Clerk).
#[utoipa::path(post, path = "/api/v1/queue-tickets", tag = "queue", request_body = TakeTicket,
    responses((status = 201, body = TicketView), (status = 422, body = ErrorBody)))]
pub async fn take_staff(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiJson(body): ApiJson<TakeTicket>,
) -> AppResult<(StatusCode, Json<TicketView>)> {
    let t = queue::take(&ctx, Some(&c), body).await?;
    Ok((StatusCode::CREATED, ticket_changed(&ctx, t).await))
}

/// The caller's window: current ticket, who waits, tickets assigned to it (Clerk at that window).
#[utoipa::path(get, path = "/api/v1/queue/windows/{id}", tag = "queue",
    responses((status = 200, body = WindowBoard), (status = 403, body = ErrorBody)))]
pub async fn window_board(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<WindowBoard>> {
    queue::window_board(&ctx, &c, id).await.map(Json)
}

/// Calls the next ticket of the queues the window serves (Clerk at that window).
#[utoipa::path(post, path = "/api/v1/queue/call-next", tag = "queue", request_body = WindowRequest,
    responses((status = 200, body = TicketView), (status = 409, body = ErrorBody)))]
pub async fn call_next(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiJson(body): ApiJson<WindowRequest>,
) -> AppResult<Json<TicketView>> {
    let t = queue::call_next(&ctx, &c, body.window_id).await?;
    Ok(ticket_changed(&ctx, t).await)
}

/// Writes a ticket step handler (Clerk at the ticket's window).
macro_rules! ticket_step {
    ($name:ident, $segment:literal, $event:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = concat!("/api/v1/queue-tickets/{id}/", $segment),
                    tag = "queue", request_body = TicketStep,
                    responses((status = 200, body = TicketView), (status = 409, body = ErrorBody)))]
        pub async fn $name(
            ctx: Ctx,
            c: Caller<Clerks>,
            ApiPath(id): ApiPath<i64>,
            ApiJson(body): ApiJson<TicketStep>,
        ) -> AppResult<Json<TicketView>> {
            let t = queue::step(&ctx, &c, id, $event, body.version, body.on_the_spot).await?;
            Ok(ticket_changed(&ctx, t).await)
        }
    };
}

ticket_step!(
    recall,
    "recall",
    TicketEvent::Recall,
    "Calls the same ticket again (Clerk at its window)."
);
ticket_step!(
    start,
    "start",
    TicketEvent::Start,
    "The citizen is at the window: service starts (Clerk at its window)."
);
ticket_step!(
    finish,
    "finish",
    TicketEvent::Finish,
    "Service ends; extended service (noon break, past close, a day off) is recorded with its \
        minutes (Clerk at its window)."
);
ticket_step!(
    no_show,
    "no-show",
    TicketEvent::NoShow,
    "Called, recalled, not there (Clerk at its window)."
);

/// Sends the ticket to another window serving its queue (Clerk at its window).
#[utoipa::path(
    post,
    path = "/api/v1/queue-tickets/{id}/transfer",
    tag = "queue",
    request_body = TransferRequest,
    responses((status = 200, body = TicketView), (status = 422, body = ErrorBody))
)]
pub async fn transfer(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TransferRequest>,
) -> AppResult<Json<TicketView>> {
    let t = queue::transfer(&ctx, &c, id, body).await?;
    Ok(ticket_changed(&ctx, t).await)
}

/// "Cannot serve": the ticket goes to the unit's chief representative (Clerk at its window).
#[utoipa::path(
    post,
    path = "/api/v1/queue-tickets/{id}/cannot-serve",
    tag = "queue",
    request_body = CannotServeRequest,
    responses((status = 200, body = ReassignmentView), (status = 422, body = ErrorBody))
)]
pub async fn cannot_serve(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CannotServeRequest>,
) -> AppResult<Json<ReassignmentView>> {
    let r = queue::cannot_serve(&ctx, &c, id, body).await?;
    reassignments_changed(&ctx, &r).await;
    Ok(Json(r))
}

/// Extended service asked for by the citizen or started by the window (Clerk at its window).
#[utoipa::path(
    post,
    path = "/api/v1/queue-tickets/{id}/extended-service",
    tag = "queue",
    request_body = ExtendedRequest,
    responses((status = 200, body = ExtendedServiceView), (status = 422, body = ErrorBody))
)]
pub async fn extended(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ExtendedRequest>,
) -> AppResult<Json<ExtendedServiceView>> {
    queue::start_extended(&ctx, &c, id, body).await.map(Json)
}

/// "Cannot serve" reports of the caller's unit (ChiefRepresentative).
#[utoipa::path(
    get,
    path = "/api/v1/queue/reassignments",
    tag = "queue",
    params(PageQuery),
    responses((status = 200, body = Vec<ReassignmentView>), (status = 422, body = ErrorBody))
)]
pub async fn reassignments(
    ctx: Ctx,
    c: Caller<Chiefs>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<paging::PageParams>,
) -> AppResult<(HeaderMap, Json<Vec<ReassignmentView>>)> {
    let request = paging::by_id(q.limit, q.cursor.as_deref())?;
    let page = queue::reassignments(&ctx, &c, &request).await?;
    Ok(paging::answer_by_id("/queue/reassignments", raw, page))
}

/// Assigns another staff member at one of their windows (ChiefRepresentative of the unit).
#[utoipa::path(
    post,
    path = "/api/v1/queue/reassignments/{id}",
    tag = "queue",
    request_body = AssignRequest,
    responses((status = 200, body = ReassignmentView), (status = 422, body = ErrorBody))
)]
pub async fn assign(
    ctx: Ctx,
    c: Caller<Chiefs>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AssignRequest>,
) -> AppResult<Json<ReassignmentView>> {
    let r = queue::assign(&ctx, &c, id, body).await?;
    reassignments_changed(&ctx, &r).await;
    Ok(Json(r))
}

/// Ends the day's queue; refused while any ticket is waiting, called or being served
/// (ChiefRepresentative, Admin).
#[utoipa::path(
    post,
    path = "/api/v1/queue/close-day",
    tag = "queue",
    request_body = CloseDayRequest,
    responses((status = 204), (status = 409, body = ErrorBody))
)]
pub async fn close_day(
    ctx: Ctx,
    c: Caller<QueueClosers>,
    ApiJson(body): ApiJson<CloseDayRequest>,
) -> AppResult<StatusCode> {
    queue::close_day(&ctx, &c, body.center_id).await?;
    queue_changed(&ctx, body.center_id, None).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Reopens today's queue of the caller's center after a close by mistake (ChiefRepresentative,
/// Admin); audited.
#[utoipa::path(
    post,
    path = "/api/v1/queue/reopen-day",
    tag = "queue",
    request_body = CloseDayRequest,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody))
)]
pub async fn reopen_day(
    ctx: Ctx,
    c: Caller<QueueClosers>,
    ApiJson(body): ApiJson<CloseDayRequest>,
) -> AppResult<StatusCode> {
    queue::reopen_day(&ctx, &c, body.center_id).await?;
    queue_changed(&ctx, body.center_id, None).await;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CenterDay {
    pub center: i64,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub date: NaiveDate,
}

/// Extended-service records of a center and day (Supervisor, ChiefRepresentative).
#[utoipa::path(get, path = "/api/v1/extended-services", tag = "queue", params(CenterDay),
    responses((status = 200, body = Vec<ExtendedServiceView>)))]
pub async fn extended_list(
    ctx: Ctx,
    c: Caller<ExtendedReaders>,
    ApiQuery(q): ApiQuery<CenterDay>,
) -> AppResult<Json<Vec<ExtendedServiceView>>> {
    queue::extended_list(&ctx, &c, q.center, q.date)
        .await
        .map(Json)
}

/// Adds a queue (a ticket letter for a unit) to a center (Admin).
#[utoipa::path(
    post,
    path = "/api/v1/queues",
    tag = "queue",
    request_body = QueueInput,
    responses(
        (status = 201, body = QueueView),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn create_queue(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiJson(body): ApiJson<QueueInput>,
) -> AppResult<(StatusCode, Json<QueueView>)> {
    Ok((
        StatusCode::CREATED,
        Json(queue::create_queue(&ctx, Some(c.id), body).await?),
    ))
}
