//! Queue calling and extended service (延时服务制, Seed §二(四)): tickets per center and day,
//! windows calling the queues they serve, and the rules that keep anyone already in the hall
//! from being sent home — checked with `rules::extended`.
//!
//! A ticket's status: `waiting` → `called` → `serving` → `done`, or `no_show` (called, recalled,
//! not there), or `reassigning` ("cannot serve": waiting for the chief representative to assign
//! another staff member or window, after which it waits again, reserved for that window). There
//! is no way to drop a waiting ticket.

mod admin;
mod board;
mod calling;
mod day;
mod extended;
mod reassignment;
mod tickets;

pub use admin::create_queue;
pub use board::{display, window_board};
pub use calling::{call_next, step, transfer};
pub use day::{close_day, reopen_day};
pub use extended::{extended_list, start_extended};
pub use reassignment::{assign, cannot_serve, reassignments};
pub(crate) use tickets::issue_ticket;
pub use tickets::{list, public_ticket, take};

use std::collections::BTreeMap;

use app::api::{
    Role,
    queue::{QueueView, TicketView},
};
use chrono::NaiveDate;
use rules::{TicketEvent, TicketState, extended::estimate_wait_minutes};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QueryTrait, Set,
};

use super::{Ctx, Principal, versioned};
use crate::{
    error::{AppError, AppResult},
    services::found,
    store::{
        columns::TicketStatus,
        documents,
        entities::{
            queue_day, queue_def, queue_ticket, service_center, staff, staff_role, staff_window,
            window, window_unit,
        },
    },
};

versioned::versioned!(
    queue_ticket as "queue_ticket",
    stamp(_active, _now) {},
    view(row) serde_json::json!({
        "status": rules::TicketStatus::from(row.status),
        "window_id": row.window_id,
        "recalls": row.recalls,
    }),
);

/// A ticket's state as the rules see it.
pub(crate) fn state_of(t: &queue_ticket::Model) -> TicketState {
    TicketState {
        status: t.status.into(),
        recalls: t.recalls.max(0) as u32,
    }
}

/// Applies `event` to the ticket (refused as the rules say), lets `change` set what else the
/// step changes, and saves it with its audit record as `ticket.{event}`.
pub(crate) async fn advance(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: i64,
    before: &queue_ticket::Model,
    event: TicketEvent,
    change: impl FnOnce(&mut queue_ticket::ActiveModel),
) -> AppResult<queue_ticket::Model> {
    let next = state_of(before).apply(event)?;
    let mut m: queue_ticket::ActiveModel = before.clone().into();
    m.status = Set(next.status.into());
    m.recalls = Set(next.recalls as i32);
    change(&mut m);
    let action = format!("ticket.{}", event.code());
    versioned::save(txn, ctx.now, Some(actor), &action, before, m).await
}

pub(crate) async fn center<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> AppResult<(service_center::Model, rules::BusinessHours)> {
    let c = service_center::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| c.active)
        .ok_or_else(|| {
            AppError::invalid("unknown_center", "服务中心不存在或已停用").with_field("center_id")
        })?;
    let hours = documents::business_hours(&c.business_hours)?;
    Ok((c, hours))
}

pub(crate) async fn day_closed<C: ConnectionTrait>(
    db: &C,
    center_id: i64,
    day: NaiveDate,
) -> AppResult<bool> {
    Ok(queue_day::Entity::find_by_id((center_id, day))
        .one(db)
        .await?
        .is_some())
}

/// Windows (active) serving each unit of a center.
pub(crate) async fn windows_by_unit<C: ConnectionTrait>(
    db: &C,
    center_id: i64,
) -> AppResult<BTreeMap<i64, Vec<window::Model>>> {
    let windows = window::Entity::find()
        .filter(window::Column::CenterId.eq(center_id))
        .filter(window::Column::Active.eq(true))
        .all(db)
        .await?;
    let ids: Vec<i64> = windows.iter().map(|w| w.id).collect();
    let links = window_unit::Entity::find()
        .filter(window_unit::Column::WindowId.is_in(ids))
        .all(db)
        .await?;
    let mut map: BTreeMap<i64, Vec<window::Model>> = BTreeMap::new();
    for link in links {
        if let Some(w) = windows.iter().find(|w| w.id == link.window_id) {
            map.entry(link.unit_id).or_default().push(w.clone());
        }
    }
    Ok(map)
}

/// Today's average service minutes of a queue (finished tickets), if any.
pub(crate) async fn average_service<C: ConnectionTrait>(
    db: &C,
    queue_id: i64,
    day: NaiveDate,
) -> AppResult<Option<f64>> {
    let done = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::QueueId.eq(queue_id))
        .filter(queue_ticket::Column::Day.eq(day))
        .filter(queue_ticket::Column::Status.eq(TicketStatus::Done))
        .all(db)
        .await?;
    let minutes: Vec<f64> = done
        .iter()
        .filter_map(|t| Some((t.serve_ended_at? - t.serve_started_at?).num_seconds() as f64 / 60.0))
        .collect();
    Ok((!minutes.is_empty()).then(|| minutes.iter().sum::<f64>() / minutes.len() as f64))
}

pub(crate) async fn waiting_in<C: ConnectionTrait>(
    db: &C,
    queue_id: i64,
    day: NaiveDate,
) -> AppResult<Vec<queue_ticket::Model>> {
    Ok(queue_ticket::Entity::find()
        .filter(queue_ticket::Column::QueueId.eq(queue_id))
        .filter(queue_ticket::Column::Day.eq(day))
        .filter(queue_ticket::Column::Status.eq(TicketStatus::Waiting))
        .order_by_desc(queue_ticket::Column::Priority)
        .order_by_asc(queue_ticket::Column::Id)
        .all(db)
        .await?)
}

pub(crate) async fn queue_view<C: ConnectionTrait>(
    db: &C,
    def: &queue_def::Model,
    day: NaiveDate,
    windows: usize,
) -> AppResult<QueueView> {
    let waiting = waiting_in(db, def.id, day).await?.len() as u32;
    let avg = average_service(db, def.id, day).await?;
    Ok(QueueView {
        id: def.id,
        center_id: def.center_id,
        letter: def.letter.clone(),
        name: def.name.clone(),
        unit_id: def.unit_id,
        waiting,
        estimate_minutes: estimate_wait_minutes(waiting, windows as u32, avg),
    })
}

pub(crate) async fn queues_of<C: ConnectionTrait>(
    db: &C,
    center_id: i64,
    day: NaiveDate,
) -> AppResult<Vec<QueueView>> {
    let defs = queue_def::Entity::find()
        .filter(queue_def::Column::CenterId.eq(center_id))
        .filter(queue_def::Column::Active.eq(true))
        .order_by_asc(queue_def::Column::Letter)
        .all(db)
        .await?;
    let windows = windows_by_unit(db, center_id).await?;
    let mut out = Vec::with_capacity(defs.len());
    for def in &defs {
        let n = windows.get(&def.unit_id).map_or(0, Vec::len);
        out.push(queue_view(db, def, day, n).await?);
    }
    Ok(out)
}

pub(crate) async fn window_number<C: ConnectionTrait>(
    db: &C,
    id: Option<i64>,
) -> AppResult<Option<String>> {
    Ok(match id {
        Some(id) => window::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|w| w.number),
        None => None,
    })
}

pub(crate) async fn ticket_view<C: ConnectionTrait>(
    db: &C,
    t: queue_ticket::Model,
) -> AppResult<TicketView> {
    let def = queue_def::Entity::find_by_id(t.queue_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("ticket {} without queue", t.id)))?;
    let waiting = waiting_in(db, t.queue_id, t.day).await?;
    let ahead = waiting.iter().take_while(|w| w.id != t.id).count() as u32;
    let ahead = if t.status == TicketStatus::Waiting {
        ahead
    } else {
        0
    };
    let windows = windows_by_unit(db, t.center_id)
        .await?
        .get(&def.unit_id)
        .map_or(0, Vec::len);
    let avg = average_service(db, t.queue_id, t.day).await?;
    Ok(TicketView {
        id: t.id,
        center_id: t.center_id,
        day: t.day,
        number: t.number.clone(),
        queue_id: t.queue_id,
        queue_name: def.name,
        unit_id: t.unit_id,
        item_code: t.item_code.clone(),
        priority: t.priority,
        status: t.status.into(),
        issued_at: t.issued_at,
        called_at: t.called_at,
        window_number: window_number(db, t.window_id).await?,
        window_id: t.window_id,
        recalls: t.recalls,
        serve_started_at: t.serve_started_at,
        serve_ended_at: t.serve_ended_at,
        ahead,
        estimate_minutes: estimate_wait_minutes(ahead, windows as u32, avg),
        version: t.version,
    })
}

/// The caller works at this window (assigned to it, as a clerk).
pub(crate) async fn ensure_at_window<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    window_id: i64,
) -> AppResult<window::Model> {
    if !p.has(Role::Clerk) {
        return Err(AppError::forbidden());
    }
    let assigned = staff_window::Entity::find()
        .filter(staff_window::Column::StaffId.eq(p.id))
        .filter(staff_window::Column::WindowId.eq(window_id))
        .one(db)
        .await?
        .is_some();
    if !assigned {
        return Err(AppError::not_here(
            "not_your_window",
            "您没有被分配到这个窗口",
        ));
    }
    window::Entity::find_by_id(window_id)
        .one(db)
        .await?
        .filter(|w| w.active)
        .ok_or_else(|| AppError::not_found("窗口"))
}

/// An open window of `center_id` that a ticket is sent to (by a transfer or the chief's
/// assignment), or a 422 at `window_id`: a ticket reserved for a closed window would wait for
/// nobody and keep the day from closing.
pub(super) async fn open_window_in<C: ConnectionTrait>(
    db: &C,
    window_id: i64,
    center_id: i64,
) -> AppResult<window::Model> {
    window::Entity::find_by_id(window_id)
        .one(db)
        .await?
        .filter(|w| w.active && w.center_id == center_id)
        .ok_or_else(|| {
            AppError::invalid("unknown_window", "该窗口不存在、已停用或不在本中心")
                .with_field("window_id")
        })
}

pub(crate) async fn window_units<C: ConnectionTrait>(
    db: &C,
    window_id: i64,
) -> AppResult<Vec<i64>> {
    Ok(window_unit::Entity::find()
        .filter(window_unit::Column::WindowId.eq(window_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.unit_id)
        .collect())
}

/// Who waits for a window: tickets reserved for it first, then priority, then in order of issue.
pub(crate) async fn waiting_for<C: ConnectionTrait>(
    db: &C,
    w: &window::Model,
    day: NaiveDate,
) -> AppResult<Vec<queue_ticket::Model>> {
    let units = window_units(db, w.id).await?;
    let mut tickets: Vec<queue_ticket::Model> = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::CenterId.eq(w.center_id))
        .filter(queue_ticket::Column::Day.eq(day))
        .filter(queue_ticket::Column::Status.eq(TicketStatus::Waiting))
        .filter(queue_ticket::Column::UnitId.is_in(units))
        .all(db)
        .await?
        .into_iter()
        .filter(|t| t.window_id.is_none_or(|reserved| reserved == w.id))
        .collect();
    tickets.sort_by_key(|t| (t.window_id != Some(w.id), !t.priority, t.id));
    Ok(tickets)
}

pub(crate) async fn current_at<C: ConnectionTrait>(
    db: &C,
    window_id: i64,
    day: NaiveDate,
) -> AppResult<Option<queue_ticket::Model>> {
    Ok(queue_ticket::Entity::find()
        .filter(queue_ticket::Column::WindowId.eq(window_id))
        .filter(queue_ticket::Column::Day.eq(day))
        .filter(queue_ticket::Column::Status.is_in([TicketStatus::Called, TicketStatus::Serving]))
        .one(db)
        .await?)
}

/// The ticket `staff_id` holds today (called or being served), if any: a clerk serves one
/// citizen at a time.
pub(crate) async fn in_hand_of<C: ConnectionTrait>(
    db: &C,
    staff_id: i64,
    day: NaiveDate,
) -> AppResult<Option<queue_ticket::Model>> {
    Ok(queue_ticket::Entity::find()
        .filter(queue_ticket::Column::CalledBy.eq(staff_id))
        .filter(queue_ticket::Column::Day.eq(day))
        .filter(queue_ticket::Column::Status.is_in(TicketStatus::in_hand()))
        .one(db)
        .await?)
}

/// Who at a shared window may act on a ticket in hand.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holder {
    /// Only the clerk who called it: serving steps.
    OnlyTheCaller,
    /// Any clerk at the window: handing it to another window, so that a ticket whose clerk has
    /// gone does not hold up the hall's day; the transfer is audited under who did it.
    AnyAtTheWindow,
}

/// A window may be shared: a called ticket is in the hands of the clerk who called it. A second
/// clerk at the window finished the first one's citizen (and got the rating code), and started
/// extended service on it in the first one's name.
pub(crate) async fn ensure_in_callers_hands<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    t: &queue_ticket::Model,
) -> AppResult<()> {
    let Some(holder) = t.called_by.filter(|&id| id != p.id) else {
        return Ok(());
    };
    if !TicketStatus::in_hand().contains(&t.status) {
        return Ok(());
    }
    let name = staff::Entity::find_by_id(holder).one(db).await?;
    let name = name.map_or_else(|| "其他工作人员".to_owned(), |s| s.name);
    Err(AppError::conflict(
        "ticket_of_another_clerk",
        format!(
            "{} 号由{name}叫号接待，只能由其本人办理；其本人不在时可转窗口",
            t.number
        ),
    ))
}

/// A ticket at the caller's window, at the expected version, in the caller's hands (`Holder`).
pub(crate) async fn at_my_window(
    txn: &DatabaseTransaction,
    p: &Principal,
    (id, version): (i64, i64),
    holder_only: Holder,
) -> AppResult<queue_ticket::Model> {
    let t = found(txn, queue_ticket::Entity, id, "排队号").await?;
    // Another center's ticket is refused as such, before its state is told (issue 12).
    p.ensure_acts_in(t.center_id)?;
    let window_id = t
        .window_id
        .ok_or_else(|| AppError::conflict("not_called", "这个号还没有被叫到"))?;
    ensure_at_window(txn, p, window_id).await?;
    if holder_only == Holder::OnlyTheCaller {
        ensure_in_callers_hands(txn, p, &t).await?;
    }
    if t.version != version {
        let current = ticket_view(txn, t).await?;
        return Err(versioned::stale("这个号的状态已变化，请刷新", current));
    }
    Ok(t)
}

/// How many active clerks, other than `except`, are assigned to any of `windows`: a citizen is
/// only ever sent where someone can serve them.
pub(super) async fn active_clerks_at(
    txn: &DatabaseTransaction,
    windows: Vec<i64>,
    except: Option<i64>,
) -> AppResult<u64> {
    let at_windows: Vec<i64> = staff_window::Entity::find()
        .filter(staff_window::Column::WindowId.is_in(windows))
        .apply_if(except, |q, id| {
            q.filter(staff_window::Column::StaffId.ne(id))
        })
        .all(txn)
        .await?
        .into_iter()
        .map(|l| l.staff_id)
        .collect();
    let clerks: Vec<i64> = staff_role::Entity::find()
        .filter(staff_role::Column::StaffId.is_in(at_windows))
        .filter(staff_role::Column::Role.eq(Role::Clerk.code()))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| r.staff_id)
        .collect();
    Ok(staff::Entity::find()
        .filter(staff::Column::Id.is_in(clerks))
        .filter(staff::Column::Active.eq(true))
        .count(txn)
        .await?)
}
