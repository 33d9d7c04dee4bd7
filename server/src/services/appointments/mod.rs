//! After-hours appointments (Seed §二(四)四、五): slots from each center's rules, a booking code to
//! view, cancel or reschedule, the one-time list of materials with every booking, the duty roster
//! and its check-ins, arrival (a priority ticket) and no-shows.
//!
//! Seats and duplicates are the database's to keep: a seat is taken by one conditional update
//! (`booked = booked + 1 WHERE booked < capacity`, with a CHECK behind it), and booking
//! transactions run one at a time (see `store::Db::write`), so "full" and "already booked" hold
//! under any number of simultaneous requests.

mod booking;
mod desk;
mod duty;
mod slot_rules;
mod slots;

pub use booking::{book, cancel, not_found, reschedule, resubmitted, view};
pub use desk::{arrive, no_show, staff_slots};
pub use duty::{check_in, set_duty};
pub use slot_rules::{rules_list, save_rule, set_rule_active};
pub use slots::{public_days, public_slots, slot_center};

use std::collections::BTreeMap;

use app::api::{
    Role,
    appointments::{
        AppointmentView, BookingKey, BookingMethod, BookingRequest, BookingRow, CODE_ALPHABET,
        DayList, DayQuery, DayView, DutyView, SlotList, SlotQuery, SlotRuleInput, SlotRuleView,
        SlotView, StaffSlotView, normalize_code,
    },
    catalog::ServiceItem,
    queue::{TakeTicket, TicketView},
};
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use rand::Rng;
use rules::extended::{check_booking_window, lateness_minutes};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
    sea_query::{Expr, OnConflict, Query},
};

use rules::AppointmentEvent;

use super::{
    Ctx, Principal,
    audit::{self, Change},
    catalog, queue,
    versioned::{self, Versioned},
};
use crate::{
    error::{AppError, AppResult},
    services::{center_of, found},
    store::{
        columns::{AppointmentStatus, StoredPhone},
        documents,
        entities::{
            appointment, appointment_slot, queue_def, queue_ticket, service_center, slot_duty,
            slot_rule, staff, unit,
        },
    },
};

fn parse_list<T: documents::ListValue>(json: &str) -> AppResult<Vec<T>> {
    documents::list(json)
}

versioned::versioned!(
    appointment as "appointment",
    stamp(_active, _now) {},
    view(row) serde_json::json!({
        "code": row.code,
        "slot_id": row.slot_id,
        "status": rules::AppointmentStatus::from(row.status),
        "method": row.method,
    }),
);

/// Applies `event` to the booking (refused as the rules say), lets `change` set what else the
/// step changes, and saves it with its audit record as `appointment.{event}`.
async fn advance(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: Option<i64>,
    before: &appointment::Model,
    event: AppointmentEvent,
    change: impl FnOnce(&mut appointment::ActiveModel),
) -> AppResult<appointment::Model> {
    let next = rules::AppointmentStatus::from(before.status).apply(event)?;
    let mut m: appointment::ActiveModel = before.clone().into();
    m.status = Set(next.into());
    change(&mut m);
    let action = format!("appointment.{}", event.code());
    versioned::save(txn, ctx.now, actor, &action, before, m).await
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

/// The units of the staff on each slot's duty roster (slots without a roster are absent).
async fn units_on_duty<C: ConnectionTrait>(
    db: &C,
    slot_ids: Vec<i64>,
) -> AppResult<BTreeMap<i64, Vec<Option<i64>>>> {
    let duty = slot_duty::Entity::find()
        .filter(slot_duty::Column::SlotId.is_in(slot_ids))
        .all(db)
        .await?;
    // A deactivated member serves nobody: their unit does not staff the slot.
    let people: BTreeMap<i64, Option<i64>> = staff::Entity::find()
        .filter(staff::Column::Id.is_in(duty.iter().map(|d| d.staff_id)))
        .filter(staff::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.unit_id))
        .collect();
    let mut units = BTreeMap::<i64, Vec<Option<i64>>>::new();
    for d in duty {
        let unit = people.get(&d.staff_id).copied().flatten();
        units.entry(d.slot_id).or_default().push(unit);
    }
    Ok(units)
}

/// Whether someone who handles `item` is on a slot's roster (`units`, see [`units_on_duty`]):
/// a citizen booked a 人社 item on a Sunday morning only a 市场监管 clerk was on duty for. A slot
/// whose roster is not set yet takes bookings (its chief staffs it for them).
fn staffed_for(units: Option<&[Option<i64>]>, item: &ServiceItem) -> bool {
    units.is_none_or(|u| u.is_empty() || u.contains(&Some(item.unit_id)))
}

/// Whether the slot takes bookings for this item: the slot's unit (if any) does the item, and
/// the slot lists it (if it lists any).
fn serves(slot: &appointment_slot::Model, item: &ServiceItem) -> AppResult<bool> {
    let codes: Vec<String> = parse_list(&slot.item_codes)?;
    Ok(slot.center_id == item.center_id
        && slot.unit_id.is_none_or(|u| u == item.unit_id)
        && (codes.is_empty() || codes.contains(&item.code)))
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
        status: a.status.into(),
        slot: slot_view(&slot),
        center_id: center.id,
        center_name: center.name,
        center_address: center.address,
        center_phone: center.phone,
        item_code: item.code.clone(),
        item_name: item.name.clone(),
        name: a.name.clone(),
        phone_masked: a.phone.mobile().map(|p| p.masked()).unwrap_or_default(),
        method: BookingMethod::from_code(&a.method).unwrap_or(BookingMethod::Online),
        materials: item.materials,
    })
}

/// Whether a slot starting at `start` can be booked now (the booking window).
fn booking_window(ctx: &Ctx, start: DateTime<Utc>) -> Result<(), rules::extended::BookingRefusal> {
    let s = &ctx.settings;
    check_booking_window(
        ctx.local_now(),
        ctx.local(start),
        s.booking_notice_hours,
        s.booking_days_ahead,
    )
}
