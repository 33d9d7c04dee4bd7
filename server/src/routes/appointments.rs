//! After-hours appointments. Citizens book, view, cancel and reschedule without an account (by
//! code and phone; lookups rate limited); staff record phone and on-site bookings, check in for
//! duty, turn arrivals into priority tickets and record no-shows; admins define the slots.

use app::api::appointments::{
    AppointmentView, BookingKey, BookingMethod, BookingRequest, BookingRow, DayList, DayQuery,
    DutyRequest, DutyView, PhoneQuery, RescheduleRequest, SlotList, SlotQuery, SlotRuleInput,
    SlotRuleView, StaffBookingRequest, StaffSlotView,
};
use app::api::{org::PageQuery, queue::TicketView};
use axum::{
    Json, Router,
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post, put},
};

use super::{
    auth::{PublicLookup, PublicRead, PublicWrite},
    paging,
    queue::CenterDay,
};
use crate::{
    auth::{
        Caller,
        policy::{Admins, Clerks, DutyEditors, SlotReaders, UnitStaff},
    },
    error::{AppError, AppResult, ErrorBody},
    events::{EventExt, Topic, event},
    extract::{ApiJson, ApiPath, ApiQuery},
    services::{Ctx, appointments},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/public/appointment-days", get(public_days))
        .route("/public/appointment-slots", get(public_slots))
        .route("/public/appointments", post(book))
        .route("/public/appointments/{code}", get(view).delete(cancel))
        .route("/public/appointments/{code}/reschedule", post(reschedule))
        .route("/appointments", post(record))
        .route("/appointments/{code}/arrive", post(arrive))
        .route("/appointments/{code}/no-show", post(no_show))
        .route("/appointment-slots", get(staff_slots))
        .route("/appointment-slots/{id}/check-in", post(check_in))
        .route("/appointment-slots/{id}/duty", put(set_duty))
        .route("/slot-rules", get(rules).post(create_rule))
        .route("/slot-rules/{id}", put(update_rule))
        .route("/slot-rules/{id}/activate", post(activate_rule))
        .route("/slot-rules/{id}/deactivate", post(deactivate_rule))
}

async fn changed(ctx: &Ctx, center_id: i64) {
    let e = event(Topic::Appointments, "appointment.changed").center(center_id);
    ctx.publish(e).await;
}

/// A change whose center the answer does not carry (a check-in, a no-show): the duty pages
/// re-read their own center's day either way.
async fn changed_somewhere(ctx: &Ctx) {
    ctx.publish(event(Topic::Appointments, "appointment.changed"))
        .await;
}

/// Bookable after-hours slots of a center for an item on a date, with the seats left (anyone;
/// `public_reads_per_minute` per address).
#[utoipa::path(
    get,
    path = "/api/v1/public/appointment-slots",
    tag = "appointments",
    params(SlotQuery),
    responses(
        (status = 200, body = SlotList),
        (status = 400, body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody)
    )
)]
pub async fn public_slots(
    ctx: Ctx,
    _: PublicRead,
    ApiQuery(q): ApiQuery<SlotQuery>,
) -> AppResult<Json<SlotList>> {
    appointments::public_slots(&ctx, q).await.map(Json)
}

/// The days of the booking window with slots for an item and the seats left (anyone;
/// `public_reads_per_minute` per address).
#[utoipa::path(
    get,
    path = "/api/v1/public/appointment-days",
    tag = "appointments",
    params(DayQuery),
    responses(
        (status = 200, body = DayList),
        (status = 400, body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody)
    )
)]
pub async fn public_days(
    ctx: Ctx,
    _: PublicRead,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> AppResult<Json<DayList>> {
    appointments::public_days(&ctx, q).await.map(Json)
}

/// Books a seat; answers the booking code and the materials to bring (anyone). A full slot is `409
/// slot_full`; a second booking of the same phone at an overlapping time `409 duplicate_booking`.
#[utoipa::path(
    post,
    path = "/api/v1/public/appointments",
    tag = "appointments",
    request_body = BookingRequest,
    responses(
        (status = 201, body = AppointmentView),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn book(
    ctx: Ctx,
    write: PublicWrite,
    ApiJson(body): ApiJson<BookingRequest>,
) -> AppResult<(StatusCode, Json<AppointmentView>)> {
    // A registered kiosk is spared the per-address limit for its own hall only.
    if let Some(kiosk) = write.kiosk_center
        && appointments::slot_center(&ctx, body.slot_id)
            .await?
            .is_some_and(|c| c != kiosk)
    {
        return Err(
            AppError::invalid("kiosk_other_center", "本机只能预约本中心的时段")
                .with_field("slot_id"),
        );
    }
    let a = appointments::book(&ctx, body, BookingMethod::Online, None).await?;
    changed(&ctx, a.center_id).await;
    Ok((StatusCode::CREATED, Json(a)))
}

/// The code and phone a citizen names a booking by, the phone parsed once (any written form of
/// the number); one that is no mobile number matches nothing: the same 404 as a wrong pair.
fn key(code: &str, phone: &str) -> AppResult<BookingKey> {
    BookingKey::parse(code, phone).ok_or_else(appointments::not_found)
}

/// The booking of a code, given the phone it was made with (anyone; rate limited; wrong pair 404).
#[utoipa::path(
    get,
    path = "/api/v1/public/appointments/{code}",
    tag = "appointments",
    params(PhoneQuery),
    responses(
        (status = 200, body = AppointmentView),
        (status = 404, body = ErrorBody),
        (status = 429, body = ErrorBody)
    )
)]
pub async fn view(
    ctx: Ctx,
    lookup: PublicLookup,
    headers: HeaderMap,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<PhoneQuery>,
) -> AppResult<Json<AppointmentView>> {
    let phone = held_phone(&headers, &code, &q.phone)?;
    let found = async { appointments::view(&ctx, &key(&code, &phone)?).await };
    lookup.booking(&code, found).await.map(Json)
}

/// The phone of a request: the one given, else the one this browser proved for the code (the
/// booking pages name a booking by its code alone); neither is `422 phone_required`.
fn held_phone(headers: &HeaderMap, code: &str, given: &str) -> AppResult<String> {
    let phone = super::holder::phone_for(headers, code, given);
    if phone.trim().is_empty() {
        return Err(
            AppError::invalid("phone_required", "请填写预约时的手机号码").with_field("phone"),
        );
    }
    Ok(phone)
}

/// Cancels a booking (anyone with code and phone; rate limited).
#[utoipa::path(
    delete,
    path = "/api/v1/public/appointments/{code}",
    tag = "appointments",
    params(PhoneQuery),
    responses(
        (status = 200, body = AppointmentView),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    lookup: PublicLookup,
    write: PublicWrite,
    headers: HeaderMap,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<PhoneQuery>,
) -> AppResult<Json<AppointmentView>> {
    let phone = held_phone(&headers, &code, &q.phone)?;
    let cancelled = async {
        let key = key(&code, &phone)?;
        charge_kiosk(&state, &ctx, &write, &key).await?;
        appointments::cancel(&ctx, key).await
    };
    let a = lookup.booking(&code, cancelled).await?;
    changed(&ctx, a.center_id).await;
    Ok(Json(a))
}

/// Moves a booking to another slot (anyone with code and phone; rate limited).
#[utoipa::path(
    post,
    path = "/api/v1/public/appointments/{code}/reschedule",
    tag = "appointments",
    request_body = RescheduleRequest,
    responses(
        (status = 200, body = AppointmentView),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)
    )
)]
pub async fn reschedule(
    State(state): State<AppState>,
    ctx: Ctx,
    lookup: PublicLookup,
    write: PublicWrite,
    headers: HeaderMap,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<RescheduleRequest>,
) -> AppResult<Json<AppointmentView>> {
    let phone = held_phone(&headers, &code, &body.phone)?;
    let moved = async {
        let key = key(&code, &phone)?;
        charge_kiosk(&state, &ctx, &write, &key).await?;
        appointments::reschedule(&ctx, key, body.slot_id).await
    };
    let a = lookup.booking(&code, moved).await?;
    changed(&ctx, a.center_id).await;
    Ok(Json(a))
}

/// A kiosk's change to a booking of another center counts against the kiosk's address (a
/// tester's hall kiosk cancelled a town's bookings unlimited). Reads only for kiosks.
async fn charge_kiosk(
    state: &AppState,
    ctx: &Ctx,
    write: &PublicWrite,
    key: &BookingKey,
) -> AppResult<()> {
    if write.kiosk_center.is_none() {
        return Ok(());
    }
    let center = appointments::view(ctx, key).await?.center_id;
    write.charge_unless_kiosk_of(state, center)
}

/// Records a booking taken by phone or at the counter (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/appointments",
    tag = "appointments",
    request_body = StaffBookingRequest,
    responses(
        (status = 201, body = AppointmentView),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn record(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiJson(body): ApiJson<StaffBookingRequest>,
) -> AppResult<(StatusCode, Json<AppointmentView>)> {
    if body.method == BookingMethod::Online {
        return Err(AppError::invalid(
            "invalid_method",
            "工作人员代为预约须注明电话预约或现场预约",
        )
        .with_field("method"));
    }
    let a = appointments::book(&ctx, body.booking, body.method, Some(&c)).await?;
    changed(&ctx, a.center_id).await;
    Ok((StatusCode::CREATED, Json(a)))
}

/// The citizen arrived: a priority ticket (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/appointments/{code}/arrive",
    tag = "appointments",
    responses(
        (status = 200, body = TicketView),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn arrive(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<TicketView>> {
    let t = appointments::arrive(&ctx, &c, code).await?;
    super::queue::queue_changed(&ctx, t.center_id, Some(t.id)).await;
    changed(&ctx, t.center_id).await;
    Ok(Json(t))
}

/// Nobody came: recorded as a no-show, 15 minutes after the slot began (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/appointments/{code}/no-show",
    tag = "appointments",
    responses(
        (status = 200, body = BookingRow),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn no_show(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<BookingRow>> {
    let row = appointments::no_show(&ctx, &c, code).await?;
    changed_somewhere(&ctx).await;
    Ok(Json(row))
}

/// A center's slots of a day with bookings and duty roster (staff).
#[utoipa::path(get, path = "/api/v1/appointment-slots", tag = "appointments", params(CenterDay),
    responses((status = 200, body = Vec<StaffSlotView>)))]
pub async fn staff_slots(
    ctx: Ctx,
    c: Caller<SlotReaders>,
    ApiQuery(q): ApiQuery<CenterDay>,
) -> AppResult<Json<Vec<StaffSlotView>>> {
    appointments::staff_slots(&ctx, &c, q.center, q.date)
        .await
        .map(Json)
}

/// The duty staff member checks in; lateness is recorded (the slot's duty staff).
#[utoipa::path(
    post,
    path = "/api/v1/appointment-slots/{id}/check-in",
    tag = "appointments",
    responses(
        (status = 200, body = DutyView),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)
    )
)]
pub async fn check_in(
    ctx: Ctx,
    c: Caller<UnitStaff>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<DutyView>> {
    let duty = appointments::check_in(&ctx, &c, id).await?;
    changed_somewhere(&ctx).await;
    Ok(Json(duty))
}

/// Sets a slot's duty roster (Admin, ChiefRepresentative).
#[utoipa::path(
    put,
    path = "/api/v1/appointment-slots/{id}/duty",
    tag = "appointments",
    request_body = DutyRequest,
    responses((status = 200, body = StaffSlotView), (status = 422, body = ErrorBody))
)]
pub async fn set_duty(
    ctx: Ctx,
    c: Caller<DutyEditors>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DutyRequest>,
) -> AppResult<Json<StaffSlotView>> {
    let slot = appointments::set_duty(&ctx, &c, id, body.staff_ids).await?;
    changed(&ctx, slot.center_id).await;
    Ok(Json(slot))
}

/// The recurring after-hours slots in the order they were made, a page at a time (`limit`,
/// `cursor`; the next page in `Link` and `X-Next-Cursor`) (Admin).
#[utoipa::path(get, path = "/api/v1/slot-rules", tag = "appointments", params(PageQuery),
    responses((status = 200, body = Vec<SlotRuleView>), (status = 422, body = ErrorBody)))]
pub async fn rules(
    ctx: Ctx,
    _c: Caller<Admins>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> AppResult<(HeaderMap, Json<Vec<SlotRuleView>>)> {
    let request = paging::by_id(q.limit, q.cursor.as_deref())?;
    let page = appointments::rules_list(&ctx, &request).await?;
    Ok(paging::answer_by_id("/slot-rules", raw, page))
}

/// Adds a recurring slot (Admin).
#[utoipa::path(
    post,
    path = "/api/v1/slot-rules",
    tag = "appointments",
    request_body = SlotRuleInput,
    responses((status = 201, body = SlotRuleView), (status = 422, body = ErrorBody))
)]
pub async fn create_rule(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiJson(body): ApiJson<SlotRuleInput>,
) -> AppResult<(StatusCode, Json<SlotRuleView>)> {
    Ok((
        StatusCode::CREATED,
        Json(appointments::save_rule(&ctx, Some(c.id), None, body).await?),
    ))
}

/// Replaces a recurring slot (Admin).
#[utoipa::path(
    put,
    path = "/api/v1/slot-rules/{id}",
    tag = "appointments",
    request_body = SlotRuleInput,
    responses(
        (status = 200, body = SlotRuleView),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn update_rule(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SlotRuleInput>,
) -> AppResult<Json<SlotRuleView>> {
    appointments::save_rule(&ctx, Some(c.id), Some(id), body)
        .await
        .map(Json)
}

/// Starts a stopped slot rule again (Admin).
#[utoipa::path(post, path = "/api/v1/slot-rules/{id}/activate", tag = "appointments",
    responses((status = 200, body = SlotRuleView), (status = 404, body = ErrorBody)))]
pub async fn activate_rule(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<SlotRuleView>> {
    appointments::set_rule_active(&ctx, c.id, id, true)
        .await
        .map(Json)
}

/// Stops a slot rule: no new bookings; bookings already made stand (Admin).
#[utoipa::path(post, path = "/api/v1/slot-rules/{id}/deactivate", tag = "appointments",
    responses((status = 200, body = SlotRuleView), (status = 404, body = ErrorBody)))]
pub async fn deactivate_rule(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<SlotRuleView>> {
    appointments::set_rule_active(&ctx, c.id, id, false)
        .await
        .map(Json)
}
