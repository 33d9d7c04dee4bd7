//! After-hours appointments (Seed §二(四)四、五): slots from each center's rules, a booking code to
//! view, cancel or reschedule, the one-time list of materials with every booking, the duty roster
//! and its check-ins, arrival (a priority ticket) and no-shows.
//!
//! Seats and duplicates are the database's to keep: a seat is taken by one conditional update
//! (`booked = booked + 1 WHERE booked < capacity`, with a CHECK behind it), and booking
//! transactions run one at a time (see `store::Db::write`), so "full" and "already booked" hold
//! under any number of simultaneous requests.

use std::collections::BTreeMap;

use app::api::{
    Role,
    appointments::{
        AppointmentView, BookingMethod, BookingRequest, BookingRow, CODE_ALPHABET, DayList,
        DayQuery, DayView, DutyView, RescheduleRequest, SlotList, SlotQuery, SlotRuleInput,
        SlotRuleView, SlotView, StaffSlotView, normalize_code,
    },
    catalog::ServiceItem,
    queue::{TakeTicket, TicketView},
};
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Utc};
use rand::Rng;
use rules::extended::{check_booking_window, lateness_minutes};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
    sea_query::{Expr, OnConflict, Query},
};

use super::{
    audit::{self, Change},
    cases::Ctx,
    catalog, queue,
};
use crate::{
    auth::Principal,
    error::{AppError, AppResult},
    state::AppState,
    store::entities::{
        appointment, appointment_slot, queue_def, queue_ticket, service_center, slot_duty,
        slot_rule, staff, unit,
    },
};

const BOOKED: &str = "booked";

fn parse_list<T: serde::de::DeserializeOwned>(json: &str) -> AppResult<Vec<T>> {
    serde_json::from_str(json).map_err(AppError::internal)
}

fn slot_view(s: &appointment_slot::Model) -> SlotView {
    SlotView {
        id: s.id,
        start: s.start_at,
        end: s.end_at,
        capacity: s.capacity,
        remaining: (s.capacity - s.booked).max(0),
    }
}

/// Whether the slot takes bookings for this item: the slot's unit (if any) does the item, and
/// the slot lists it (if it lists any).
fn serves(slot: &appointment_slot::Model, item: &ServiceItem) -> AppResult<bool> {
    let codes: Vec<String> = parse_list(&slot.item_codes)?;
    Ok(slot.center_id == item.center_id
        && slot.unit_id.is_none_or(|u| u == item.unit_id)
        && (codes.is_empty() || codes.contains(&item.code)))
}

/// Makes sure the slots of a center's rules exist for `day` (not on public holidays), with the
/// rule's duty roster. Idempotent.
async fn materialize(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    center_id: i64,
    day: NaiveDate,
) -> AppResult<()> {
    let holiday = ctx
        .calendar
        .arrangement(day.year())
        .is_some_and(|a| a.holiday_on(day).is_some());
    if holiday {
        return Ok(());
    }
    let rules = slot_rule::Entity::find()
        .filter(slot_rule::Column::CenterId.eq(center_id))
        .filter(slot_rule::Column::Active.eq(true))
        .all(txn)
        .await?;
    for rule in rules {
        let weekdays: Vec<u32> = parse_list(&rule.weekdays)?;
        if !weekdays.contains(&day.weekday().number_from_monday()) {
            continue;
        }
        let exists = appointment_slot::Entity::find()
            .filter(appointment_slot::Column::RuleId.eq(rule.id))
            .filter(appointment_slot::Column::Day.eq(day))
            .one(txn)
            .await?
            .is_some();
        if exists {
            continue;
        }
        let at = |t| {
            ctx.tz
                .from_local_datetime(&day.and_time(t))
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("no such local time")))
        };
        let insert = Query::insert()
            .into_table(appointment_slot::Entity)
            .columns([
                appointment_slot::Column::RuleId,
                appointment_slot::Column::CenterId,
                appointment_slot::Column::UnitId,
                appointment_slot::Column::ItemCodes,
                appointment_slot::Column::Day,
                appointment_slot::Column::StartAt,
                appointment_slot::Column::EndAt,
                appointment_slot::Column::Capacity,
                appointment_slot::Column::Booked,
            ])
            .values_panic([
                rule.id.into(),
                rule.center_id.into(),
                rule.unit_id.into(),
                rule.item_codes.clone().into(),
                day.into(),
                at(rule.start_time)?.into(),
                at(rule.end_time)?.into(),
                rule.capacity.into(),
                0i32.into(),
            ])
            .on_conflict(
                OnConflict::columns([
                    appointment_slot::Column::RuleId,
                    appointment_slot::Column::Day,
                ])
                .do_nothing()
                .to_owned(),
            )
            .to_owned();
        txn.execute(txn.get_database_backend().build(&insert))
            .await?;
        let slot = appointment_slot::Entity::find()
            .filter(appointment_slot::Column::RuleId.eq(rule.id))
            .filter(appointment_slot::Column::Day.eq(day))
            .one(txn)
            .await?
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("slot not created")))?;
        for staff_id in parse_list::<i64>(&rule.duty_staff_ids)? {
            slot_duty::ActiveModel {
                slot_id: Set(slot.id),
                staff_id: Set(staff_id),
                checked_in_at: Set(None),
                late_minutes: Set(None),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

fn booking_settings(state: &AppState) -> (u32, u32) {
    (
        state.settings.booking_notice_hours,
        state.settings.booking_days_ahead,
    )
}

/// The active center and the item it does, or the 422 a citizen's link with a wrong pair gets.
async fn item_at_center(state: &AppState, center: i64, item: &str) -> AppResult<ServiceItem> {
    let item = catalog::active_item(&state.db.conn, item, "item").await?;
    if item.center_id != center {
        return Err(
            AppError::invalid("item_not_at_center", "该中心不办理这个事项").with_field("item"),
        );
    }
    service_center::Entity::find_by_id(center)
        .one(&state.db.conn)
        .await?
        .filter(|c| c.active)
        .ok_or_else(|| {
            AppError::invalid("unknown_center", "服务中心不存在").with_field("center")
        })?;
    Ok(item)
}

/// The center's stopped slot rules: their slots already made keep their bookings but take no
/// new ones.
async fn stopped_rules(txn: &DatabaseTransaction, center_id: i64) -> AppResult<Vec<i64>> {
    Ok(slot_rule::Entity::find()
        .filter(slot_rule::Column::CenterId.eq(center_id))
        .filter(slot_rule::Column::Active.eq(false))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// The slots of `day` that take bookings for `item` now (inside the booking window).
async fn open_slots(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    settings: (u32, u32),
    item: &ServiceItem,
    day: NaiveDate,
) -> AppResult<Vec<appointment_slot::Model>> {
    materialize(txn, ctx, item.center_id, day).await?;
    let rows = appointment_slot::Entity::find()
        .filter(appointment_slot::Column::CenterId.eq(item.center_id))
        .filter(appointment_slot::Column::Day.eq(day))
        .order_by_asc(appointment_slot::Column::StartAt)
        .all(txn)
        .await?;
    let stopped = stopped_rules(txn, item.center_id).await?;
    let local = |t: DateTime<Utc>| t.with_timezone(&ctx.tz).naive_local();
    let mut out = Vec::new();
    for s in rows {
        if check_booking_window(local(ctx.now), local(s.start_at), settings.0, settings.1).is_ok()
            && serves(&s, item)?
            && !stopped.contains(&s.rule_id)
        {
            out.push(s);
        }
    }
    Ok(out)
}

/// Bookable slots of a center for an item on a date (anyone).
pub async fn public_slots(state: &AppState, q: SlotQuery) -> AppResult<SlotList> {
    let item = item_at_center(state, q.center, &q.item).await?;
    let ctx = Ctx::of(state).await?;
    let settings = booking_settings(state);
    let slots = state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let rows = open_slots(txn, &ctx, settings, &item, q.date).await?;
                Ok(rows.iter().map(slot_view).collect())
            })
        })
        .await?;
    Ok(SlotList { slots })
}

/// The days of the booking window that have slots for an item, with the seats left (anyone):
/// the citizen picks a day that has something to offer.
pub async fn public_days(state: &AppState, q: DayQuery) -> AppResult<DayList> {
    let item = item_at_center(state, q.center, &q.item).await?;
    let ctx = Ctx::of(state).await?;
    let settings = booking_settings(state);
    let today = ctx.now.with_timezone(&ctx.tz).date_naive();
    let days = state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let mut out = Vec::new();
                for offset in 0..=settings.1 {
                    let day = today + TimeDelta::days(offset.into());
                    let rows = open_slots(txn, &ctx, settings, &item, day).await?;
                    if !rows.is_empty() {
                        out.push(DayView {
                            date: day,
                            slots: rows.len() as u32,
                            remaining: rows.iter().map(|s| (s.capacity - s.booked).max(0)).sum(),
                        });
                    }
                }
                Ok(out)
            })
        })
        .await?;
    Ok(DayList { days })
}

fn new_code() -> String {
    let mut rng = rand::rng();
    (0..8)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

async fn view_of<C: ConnectionTrait>(db: &C, a: &appointment::Model) -> AppResult<AppointmentView> {
    let slot = appointment_slot::Entity::find_by_id(a.slot_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("appointment without slot")))?;
    let center = service_center::Entity::find_by_id(a.center_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("appointment without center")))?;
    let item = catalog::get(db, &a.item_code).await?;
    Ok(AppointmentView {
        code: a.code.clone(),
        status: a.status.clone(),
        slot: slot_view(&slot),
        center_id: center.id,
        center_name: center.name,
        center_address: center.address,
        center_phone: center.phone,
        item_code: item.code.clone(),
        item_name: item.name.clone(),
        name: a.name.clone(),
        phone_masked: rules::ids::MobilePhone::parse(&a.phone)
            .map(|p| p.masked())
            .unwrap_or_default(),
        method: BookingMethod::from_code(&a.method).unwrap_or(BookingMethod::Online),
        materials: item.materials,
    })
}

fn audit_change<'a>(
    actor: Option<i64>,
    action: &'a str,
    a: &appointment::Model,
    before: Option<serde_json::Value>,
) -> Change<'a> {
    Change {
        actor_id: actor,
        action,
        entity: "appointment",
        entity_id: a.id.to_string(),
        before,
        after: Some(
            serde_json::json!({ "code": a.code, "slot_id": a.slot_id, "status": a.status, "method": a.method }),
        ),
    }
}

/// Takes a seat in `slot` for `item` at `phone`, checking the booking window, the slot's items
/// and overlapping bookings of the same phone (`except` is the appointment being moved).
async fn take_seat(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    settings: (u32, u32),
    slot_id: i64,
    item: &ServiceItem,
    phone: &str,
    except: Option<i64>,
) -> AppResult<appointment_slot::Model> {
    let slot = appointment_slot::Entity::find_by_id(slot_id)
        .one(txn)
        .await?
        .ok_or_else(|| {
            AppError::invalid("unknown_slot", "没有这个预约时段").with_field("slot_id")
        })?;
    let rule_active = slot_rule::Entity::find_by_id(slot.rule_id)
        .one(txn)
        .await?
        .is_some_and(|r| r.active);
    if !rule_active {
        return Err(
            AppError::invalid("unknown_slot", "这个预约时段已停止预约，请另选时段")
                .with_field("slot_id"),
        );
    }
    if !serves(&slot, item)? {
        return Err(AppError::invalid(
            "slot_not_for_item",
            format!("该时段不办理“{}”，请另选时段", item.name),
        )
        .with_field("slot_id"));
    }
    let local = |t: DateTime<Utc>| t.with_timezone(&ctx.tz).naive_local();
    check_booking_window(local(ctx.now), local(slot.start_at), settings.0, settings.1)
        .map_err(|e| AppError::invalid(e.code(), e.to_string()).with_field("slot_id"))?;
    // The same phone may not hold two bookings whose slots overlap.
    let theirs = appointment::Entity::find()
        .filter(appointment::Column::Phone.eq(phone))
        .filter(appointment::Column::Status.eq(BOOKED))
        .all(txn)
        .await?;
    for other in theirs.into_iter().filter(|a| Some(a.id) != except) {
        if let Some(s) = appointment_slot::Entity::find_by_id(other.slot_id)
            .one(txn)
            .await?
            && s.start_at < slot.end_at
            && slot.start_at < s.end_at
        {
            return Err(AppError::conflict(
                "duplicate_booking",
                "该手机号已预约了同一时间的服务，请先取消或改约",
            )
            .with_field("phone"));
        }
    }
    let taken = appointment_slot::Entity::update_many()
        .col_expr(
            appointment_slot::Column::Booked,
            Expr::col(appointment_slot::Column::Booked).add(1),
        )
        .filter(appointment_slot::Column::Id.eq(slot.id))
        .filter(
            Expr::col(appointment_slot::Column::Booked)
                .lt(Expr::col(appointment_slot::Column::Capacity)),
        )
        .exec(txn)
        .await?;
    if taken.rows_affected == 0 {
        return Err(
            AppError::conflict("slot_full", "该时段已约满，请选择其他时段").with_field("slot_id"),
        );
    }
    Ok(slot)
}

async fn release_seat(txn: &DatabaseTransaction, slot_id: i64) -> AppResult<()> {
    appointment_slot::Entity::update_many()
        .col_expr(
            appointment_slot::Column::Booked,
            Expr::col(appointment_slot::Column::Booked).sub(1),
        )
        .filter(appointment_slot::Column::Id.eq(slot_id))
        .filter(Expr::col(appointment_slot::Column::Booked).gt(0))
        .exec(txn)
        .await?;
    Ok(())
}

/// Books a seat: online by a citizen, or by phone / on site by staff.
pub async fn book(
    state: &AppState,
    req: BookingRequest,
    method: BookingMethod,
    staff_id: Option<i64>,
) -> AppResult<AppointmentView> {
    let who = req.check()?;
    let ctx = Ctx::of(state).await?;
    let settings = booking_settings(state);
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let item = catalog::active_item(txn, &req.item_code, "item_code").await?;
                let slot =
                    take_seat(txn, &ctx, settings, req.slot_id, &item, &who.phone, None).await?;
                // Unguessable and short; a collision (rare) just draws again.
                let mut code = new_code();
                while appointment::Entity::find()
                    .filter(appointment::Column::Code.eq(&code))
                    .one(txn)
                    .await?
                    .is_some()
                {
                    code = new_code();
                }
                let row = appointment::ActiveModel {
                    code: Set(code),
                    slot_id: Set(slot.id),
                    center_id: Set(slot.center_id),
                    item_code: Set(item.code.clone()),
                    name: Set(who.name),
                    phone: Set(who.phone),
                    id_number: Set(who.id_number),
                    method: Set(method.code().into()),
                    status: Set(BOOKED.into()),
                    created_at: Set(ctx.now),
                    created_by: Set(staff_id),
                    version: Set(1),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit::record(
                    txn,
                    ctx.now,
                    audit_change(staff_id, "appointment.book", &row, None),
                )
                .await?;
                view_of(txn, &row).await
            })
        })
        .await
}

fn not_found() -> AppError {
    AppError::client(
        axum::http::StatusCode::NOT_FOUND,
        "appointment_not_found",
        "没有找到该预约：请核对预约码和手机号",
    )
}

/// The appointment of a code, if the phone matches (a wrong pair is the same 404 as no code).
async fn by_code<C: ConnectionTrait>(
    db: &C,
    code: &str,
    phone: &str,
) -> AppResult<appointment::Model> {
    let phone = phone.trim();
    appointment::Entity::find()
        .filter(appointment::Column::Code.eq(normalize_code(code)))
        .one(db)
        .await?
        .filter(|a| !phone.is_empty() && a.phone == phone)
        .ok_or_else(not_found)
}

pub async fn view(state: &AppState, code: &str, phone: &str) -> AppResult<AppointmentView> {
    let a = by_code(&state.db.conn, code, phone).await?;
    view_of(&state.db.conn, &a).await
}

pub async fn cancel(state: &AppState, code: String, phone: String) -> AppResult<AppointmentView> {
    let now = state.now();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let a = by_code(txn, &code, &phone).await?;
                if a.status != BOOKED {
                    return Err(AppError::conflict(
                        "not_cancellable",
                        "该预约已取消或已办理，不能再取消",
                    ));
                }
                release_seat(txn, a.slot_id).await?;
                let before = serde_json::json!({ "status": a.status });
                let mut m: appointment::ActiveModel = a.clone().into();
                m.status = Set("cancelled".into());
                m.cancelled_at = Set(Some(now));
                m.version = Set(a.version + 1);
                let after = m.update(txn).await?;
                audit::record(
                    txn,
                    now,
                    audit_change(None, "appointment.cancel", &after, Some(before)),
                )
                .await?;
                view_of(txn, &after).await
            })
        })
        .await
}

pub async fn reschedule(
    state: &AppState,
    code: String,
    req: RescheduleRequest,
) -> AppResult<AppointmentView> {
    let ctx = Ctx::of(state).await?;
    let settings = booking_settings(state);
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let a = by_code(txn, &code, &req.phone).await?;
                if a.status != BOOKED {
                    return Err(AppError::conflict(
                        "not_reschedulable",
                        "该预约已取消或已办理，不能改约",
                    ));
                }
                if a.slot_id == req.slot_id {
                    return Err(
                        AppError::invalid("same_slot", "请选择另一个时段").with_field("slot_id")
                    );
                }
                let item = catalog::get(txn, &a.item_code).await?;
                let slot = take_seat(
                    txn,
                    &ctx,
                    settings,
                    req.slot_id,
                    &item,
                    &a.phone,
                    Some(a.id),
                )
                .await?;
                release_seat(txn, a.slot_id).await?;
                let before = serde_json::json!({ "slot_id": a.slot_id });
                let mut m: appointment::ActiveModel = a.clone().into();
                m.slot_id = Set(slot.id);
                m.version = Set(a.version + 1);
                let after = m.update(txn).await?;
                audit::record(
                    txn,
                    ctx.now,
                    audit_change(None, "appointment.reschedule", &after, Some(before)),
                )
                .await?;
                view_of(txn, &after).await
            })
        })
        .await
}

async fn staff_names<C: ConnectionTrait>(db: &C) -> AppResult<BTreeMap<i64, String>> {
    Ok(staff::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

async fn booking_row<C: ConnectionTrait>(db: &C, a: appointment::Model) -> AppResult<BookingRow> {
    let item_name = catalog::get(db, &a.item_code)
        .await
        .map(|i| i.name)
        .unwrap_or_default();
    let ticket_number = match a.ticket_id {
        Some(id) => queue_ticket::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|t| t.number),
        None => None,
    };
    Ok(BookingRow {
        id: a.id,
        code: a.code,
        name: a.name,
        phone_masked: rules::ids::MobilePhone::parse(&a.phone)
            .map(|p| p.masked())
            .unwrap_or_default(),
        item_name,
        method: BookingMethod::from_code(&a.method).unwrap_or(BookingMethod::Online),
        status: a.status,
        ticket_number,
    })
}

async fn staff_slot_view<C: ConnectionTrait>(
    db: &C,
    s: appointment_slot::Model,
) -> AppResult<StaffSlotView> {
    let names = staff_names(db).await?;
    let rule = slot_rule::Entity::find_by_id(s.rule_id).one(db).await?;
    let duty = slot_duty::Entity::find()
        .filter(slot_duty::Column::SlotId.eq(s.id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| DutyView {
            staff_id: d.staff_id,
            staff_name: names.get(&d.staff_id).cloned().unwrap_or_default(),
            checked_in_at: d.checked_in_at,
            late_minutes: d.late_minutes,
        })
        .collect();
    let mut bookings = Vec::new();
    for a in appointment::Entity::find()
        .filter(appointment::Column::SlotId.eq(s.id))
        .order_by_asc(appointment::Column::Id)
        .all(db)
        .await?
    {
        bookings.push(booking_row(db, a).await?);
    }
    Ok(StaffSlotView {
        slot: slot_view(&s),
        name: rule.map(|r| r.name).unwrap_or_default(),
        center_id: s.center_id,
        duty,
        bookings,
    })
}

/// Slots of a center on a date with bookings and the duty roster (staff).
pub async fn staff_slots(
    state: &AppState,
    center: i64,
    day: NaiveDate,
) -> AppResult<Vec<StaffSlotView>> {
    let ctx = Ctx::of(state).await?;
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                materialize(txn, &ctx, center, day).await?;
                let rows = appointment_slot::Entity::find()
                    .filter(appointment_slot::Column::CenterId.eq(center))
                    .filter(appointment_slot::Column::Day.eq(day))
                    .order_by_asc(appointment_slot::Column::StartAt)
                    .all(txn)
                    .await?;
                let mut out = Vec::new();
                for s in rows {
                    out.push(staff_slot_view(txn, s).await?);
                }
                Ok(out)
            })
        })
        .await
}

/// A duty staff member checks in for their slot; minutes after the slot's start are recorded.
pub async fn check_in(state: &AppState, p: &Principal, slot_id: i64) -> AppResult<DutyView> {
    let ctx = Ctx::of(state).await?;
    let p = p.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let slot = appointment_slot::Entity::find_by_id(slot_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::not_found("预约时段"))?;
                let duty = slot_duty::Entity::find_by_id((slot_id, p.id))
                    .one(txn)
                    .await?
                    .ok_or_else(|| {
                        AppError::client(
                            axum::http::StatusCode::FORBIDDEN,
                            "not_on_duty",
                            "您不在这个时段的值班表上",
                        )
                    })?;
                if duty.checked_in_at.is_some() {
                    return Err(AppError::conflict("already_checked_in", "已签到"));
                }
                if ctx.now < slot.start_at - TimeDelta::hours(1) || ctx.now > slot.end_at {
                    return Err(AppError::invalid(
                        "not_now",
                        "只能在时段开始前一小时至结束前签到",
                    ));
                }
                let local = |t: DateTime<Utc>| t.with_timezone(&ctx.tz).naive_local();
                let late = lateness_minutes(local(ctx.now), local(slot.start_at)) as i32;
                let mut m: slot_duty::ActiveModel = duty.into();
                m.checked_in_at = Set(Some(ctx.now));
                m.late_minutes = Set(Some(late));
                let d = m.update(txn).await?;
                audit::record(
                    txn,
                    ctx.now,
                    Change {
                        actor_id: Some(p.id),
                        action: "duty.check_in",
                        entity: "slot_duty",
                        entity_id: format!("{slot_id}/{}", p.id),
                        before: None,
                        after: Some(serde_json::json!({ "late_minutes": late })),
                    },
                )
                .await?;
                Ok(DutyView {
                    staff_id: d.staff_id,
                    staff_name: p.name.clone(),
                    checked_in_at: d.checked_in_at,
                    late_minutes: d.late_minutes,
                })
            })
        })
        .await
}

/// Staff of the appointment's center (clerks).
fn ensure_center_clerk(p: &Principal) -> AppResult<()> {
    if p.has(Role::Clerk) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// The center a staff member works in, through their unit (none without a unit).
async fn unit_center(txn: &DatabaseTransaction, unit_id: Option<i64>) -> AppResult<Option<i64>> {
    Ok(match unit_id {
        Some(id) => unit::Entity::find_by_id(id)
            .one(txn)
            .await?
            .map(|u| u.center_id),
        None => None,
    })
}

/// A clerk acts only on the bookings of their own center.
async fn ensure_own_center(
    txn: &DatabaseTransaction,
    unit_id: Option<i64>,
    center_id: i64,
) -> AppResult<()> {
    if unit_center(txn, unit_id).await? == Some(center_id) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// The citizen has arrived: the booking becomes a priority ticket in the item's queue.
pub async fn arrive(state: &AppState, p: &Principal, code: String) -> AppResult<TicketView> {
    ensure_center_clerk(p)?;
    let ctx = Ctx::of(state).await?;
    let cutoff = state.settings.ticket_cutoff_minutes;
    let actor = p.id;
    let actor_unit = p.unit_id;
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let a = appointment::Entity::find()
                    .filter(appointment::Column::Code.eq(normalize_code(&code)))
                    .one(txn)
                    .await?
                    .ok_or_else(not_found)?;
                ensure_own_center(txn, actor_unit, a.center_id).await?;
                if a.status != BOOKED {
                    return Err(AppError::conflict(
                        "not_booked",
                        "该预约已取消、已到或已记为未到",
                    ));
                }
                let slot = appointment_slot::Entity::find_by_id(a.slot_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| {
                        AppError::internal(anyhow::anyhow!("appointment without slot"))
                    })?;
                if ctx.now < slot.start_at - TimeDelta::minutes(30) || ctx.now > slot.end_at {
                    return Err(AppError::invalid(
                        "not_in_slot",
                        "请在预约时段内（可提前 30 分钟）到场",
                    ));
                }
                let item = catalog::get(txn, &a.item_code).await?;
                let def = queue_def::Entity::find()
                    .filter(queue_def::Column::CenterId.eq(a.center_id))
                    .filter(queue_def::Column::UnitId.eq(item.unit_id))
                    .filter(queue_def::Column::Active.eq(true))
                    .one(txn)
                    .await?
                    .ok_or_else(|| {
                        AppError::invalid("no_queue", "该事项所属单位没有排队队列，请联系管理员")
                    })?;
                let request = TakeTicket {
                    center_id: a.center_id,
                    queue_id: def.id,
                    item_code: Some(item.code.clone()),
                };
                let ticket =
                    queue::issue_ticket(txn, &ctx, cutoff, Some(actor), &request, Some(a.id))
                        .await?;
                let mut m: appointment::ActiveModel = a.clone().into();
                m.status = Set("arrived".into());
                m.arrived_at = Set(Some(ctx.now));
                m.ticket_id = Set(Some(ticket.id));
                m.version = Set(a.version + 1);
                let after = m.update(txn).await?;
                audit::record(
                    txn,
                    ctx.now,
                    audit_change(
                        Some(actor),
                        "appointment.arrive",
                        &after,
                        Some(serde_json::json!({ "status": BOOKED })),
                    ),
                )
                .await?;
                queue::ticket_view(txn, ticket).await
            })
        })
        .await
}

/// After the slot began (15 minutes' grace), a booking nobody came for is recorded as a no-show.
pub async fn no_show(state: &AppState, p: &Principal, code: String) -> AppResult<BookingRow> {
    ensure_center_clerk(p)?;
    let ctx = Ctx::of(state).await?;
    let actor = p.id;
    let actor_unit = p.unit_id;
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let a = appointment::Entity::find()
                    .filter(appointment::Column::Code.eq(normalize_code(&code)))
                    .one(txn)
                    .await?
                    .ok_or_else(not_found)?;
                ensure_own_center(txn, actor_unit, a.center_id).await?;
                if a.status != BOOKED {
                    return Err(AppError::conflict(
                        "not_booked",
                        "该预约已取消、已到或已记为未到",
                    ));
                }
                let slot = appointment_slot::Entity::find_by_id(a.slot_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| {
                        AppError::internal(anyhow::anyhow!("appointment without slot"))
                    })?;
                if ctx.now < slot.start_at + TimeDelta::minutes(15) {
                    return Err(AppError::invalid(
                        "too_early",
                        "时段开始 15 分钟后仍未到场，才能记为未到",
                    ));
                }
                let mut m: appointment::ActiveModel = a.clone().into();
                m.status = Set("no_show".into());
                m.no_show_at = Set(Some(ctx.now));
                m.version = Set(a.version + 1);
                let after = m.update(txn).await?;
                audit::record(
                    txn,
                    ctx.now,
                    audit_change(
                        Some(actor),
                        "appointment.no_show",
                        &after,
                        Some(serde_json::json!({ "status": BOOKED })),
                    ),
                )
                .await?;
                booking_row(txn, after).await
            })
        })
        .await
}

fn rule_view(r: slot_rule::Model) -> AppResult<SlotRuleView> {
    Ok(SlotRuleView {
        id: r.id,
        active: r.active,
        rule: SlotRuleInput {
            center_id: r.center_id,
            unit_id: r.unit_id,
            name: r.name,
            weekdays: parse_list(&r.weekdays)?,
            item_codes: parse_list(&r.item_codes)?,
            start_time: r.start_time,
            end_time: r.end_time,
            capacity: r.capacity,
            duty_staff_ids: parse_list(&r.duty_staff_ids)?,
        },
    })
}

pub async fn rules_list(state: &AppState) -> AppResult<Vec<SlotRuleView>> {
    slot_rule::Entity::find()
        .order_by_asc(slot_rule::Column::Id)
        .all(&state.db.conn)
        .await?
        .into_iter()
        .map(rule_view)
        .collect()
}

/// Creates or replaces a slot rule (Admin). Slots already made keep their seats and bookings.
pub async fn save_rule(
    state: &AppState,
    actor: Option<i64>,
    id: Option<i64>,
    input: SlotRuleInput,
) -> AppResult<SlotRuleView> {
    let input = input.validated()?;
    let now = state.now();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                service_center::Entity::find_by_id(input.center_id)
                    .one(txn)
                    .await?
                    .filter(|c| c.active)
                    .ok_or_else(|| {
                        AppError::invalid("unknown_center", "服务中心不存在或已停用")
                            .with_field("center_id")
                    })?;
                if let Some(unit) = input.unit_id {
                    let u = super::org::active_unit(txn, unit, "unit_id").await?;
                    if u.center_id != input.center_id {
                        return Err(AppError::invalid(
                            "unit_of_other_center",
                            "该单位不在这个中心",
                        )
                        .with_field("unit_id"));
                    }
                }
                for code in &input.item_codes {
                    let item = catalog::active_item(txn, code, "item_codes").await?;
                    let served_here = item.center_id == input.center_id
                        && input.unit_id.is_none_or(|u| u == item.unit_id);
                    if !served_here {
                        return Err(AppError::invalid(
                            "item_not_at_center",
                            format!("“{}”不在这个中心（单位）办理", item.name),
                        )
                        .with_field("item_codes"));
                    }
                }
                for staff_id in &input.duty_staff_ids {
                    let member = staff::Entity::find_by_id(*staff_id)
                        .one(txn)
                        .await?
                        .filter(|s| s.active)
                        .ok_or_else(|| {
                            AppError::invalid("unknown_staff", "值班人员不存在或已停用")
                                .with_field("duty_staff_ids")
                        })?;
                    if unit_center(txn, member.unit_id).await? != Some(input.center_id) {
                        return Err(AppError::invalid(
                            "staff_of_other_center",
                            format!("{}不在这个中心工作，不能排班", member.name),
                        )
                        .with_field("duty_staff_ids"));
                    }
                }
                let row = match id {
                    Some(id) => {
                        let existing = slot_rule::Entity::find_by_id(id)
                            .one(txn)
                            .await?
                            .ok_or_else(|| AppError::not_found("预约时段规则"))?;
                        let mut m: slot_rule::ActiveModel = existing.into();
                        m.center_id = Set(input.center_id);
                        m.unit_id = Set(input.unit_id);
                        m.name = Set(input.name.clone());
                        m.weekdays = Set(json(&input.weekdays));
                        m.item_codes = Set(json(&input.item_codes));
                        m.start_time = Set(input.start_time);
                        m.end_time = Set(input.end_time);
                        m.capacity = Set(input.capacity);
                        m.duty_staff_ids = Set(json(&input.duty_staff_ids));
                        m.updated_at = Set(now);
                        m.update(txn).await?
                    }
                    None => {
                        slot_rule::ActiveModel {
                            center_id: Set(input.center_id),
                            unit_id: Set(input.unit_id),
                            name: Set(input.name.clone()),
                            weekdays: Set(json(&input.weekdays)),
                            item_codes: Set(json(&input.item_codes)),
                            start_time: Set(input.start_time),
                            end_time: Set(input.end_time),
                            capacity: Set(input.capacity),
                            duty_staff_ids: Set(json(&input.duty_staff_ids)),
                            active: Set(true),
                            created_at: Set(now),
                            updated_at: Set(now),
                            ..Default::default()
                        }
                        .insert(txn)
                        .await?
                    }
                };
                audit::record(
                    txn,
                    now,
                    Change {
                        actor_id: actor,
                        action: if id.is_some() {
                            "slot_rule.update"
                        } else {
                            "slot_rule.create"
                        },
                        entity: "slot_rule",
                        entity_id: row.id.to_string(),
                        before: None,
                        after: audit::snapshot(&input),
                    },
                )
                .await?;
                rule_view(row)
            })
        })
        .await
}

/// Starts or stops a slot rule. Stopping keeps the rule, its slots and their bookings (there is
/// no delete); it only stops new bookings.
pub async fn set_rule_active(
    state: &AppState,
    actor: i64,
    id: i64,
    active: bool,
) -> AppResult<SlotRuleView> {
    let now = state.now();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let existing = slot_rule::Entity::find_by_id(id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::not_found("预约时段规则"))?;
                let before = existing.active;
                let mut m: slot_rule::ActiveModel = existing.into();
                m.active = Set(active);
                m.updated_at = Set(now);
                let row = m.update(txn).await?;
                audit::record(
                    txn,
                    now,
                    Change {
                        actor_id: Some(actor),
                        action: if active {
                            "slot_rule.activate"
                        } else {
                            "slot_rule.deactivate"
                        },
                        entity: "slot_rule",
                        entity_id: id.to_string(),
                        before: Some(serde_json::json!({ "active": before })),
                        after: Some(serde_json::json!({ "active": active })),
                    },
                )
                .await?;
                rule_view(row)
            })
        })
        .await
}

/// Replaces the duty roster of one slot (Admin, or the unit's chief representative).
pub async fn set_duty(
    state: &AppState,
    actor: i64,
    slot_id: i64,
    staff_ids: Vec<i64>,
) -> AppResult<StaffSlotView> {
    let now = state.now();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let slot = appointment_slot::Entity::find_by_id(slot_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::not_found("预约时段"))?;
                for staff_id in &staff_ids {
                    staff::Entity::find_by_id(*staff_id)
                        .one(txn)
                        .await?
                        .filter(|s| s.active)
                        .ok_or_else(|| {
                            AppError::invalid("unknown_staff", "值班人员不存在或已停用")
                                .with_field("staff_ids")
                        })?;
                }
                let existing = slot_duty::Entity::find()
                    .filter(slot_duty::Column::SlotId.eq(slot_id))
                    .all(txn)
                    .await?;
                for d in &existing {
                    if !staff_ids.contains(&d.staff_id) && d.checked_in_at.is_none() {
                        slot_duty::Entity::delete_by_id((slot_id, d.staff_id))
                            .exec(txn)
                            .await?;
                    }
                }
                for staff_id in &staff_ids {
                    if !existing.iter().any(|d| d.staff_id == *staff_id) {
                        slot_duty::ActiveModel {
                            slot_id: Set(slot_id),
                            staff_id: Set(*staff_id),
                            checked_in_at: Set(None),
                            late_minutes: Set(None),
                        }
                        .insert(txn)
                        .await?;
                    }
                }
                audit::record(
                    txn,
                    now,
                    Change {
                        actor_id: Some(actor),
                        action: "duty.set",
                        entity: "appointment_slot",
                        entity_id: slot_id.to_string(),
                        before: None,
                        after: Some(serde_json::json!({ "staff_ids": staff_ids })),
                    },
                )
                .await?;
                staff_slot_view(txn, slot).await
            })
        })
        .await
}

/// A list for the JSON columns.
fn json<T: serde::Serialize>(list: &[T]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}
