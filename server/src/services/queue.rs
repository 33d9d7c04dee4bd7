//! Queue calling and extended service (延时服务制, Seed §二(四)): tickets per center and day,
//! windows calling the queues they serve, and the rules that keep anyone already in the hall
//! from being sent home — checked with `rules::extended`.
//!
//! A ticket's status: `waiting` → `called` → `serving` → `done`, or `no_show` (called, recalled,
//! not there), or `reassigning` ("cannot serve": waiting for the chief representative to assign
//! another staff member or window, after which it waits again, reserved for that window). There
//! is no way to drop a waiting ticket.

use std::collections::BTreeMap;

use app::api::{
    Role,
    catalog::LimitSpec,
    queue::{
        AssignRequest, CallView, CannotServeRequest, DisplayBoard, ExtendedRequest,
        ExtendedServiceView, QueueList, QueueView, ReassignmentView, TakeTicket, TicketView,
        TransferRequest, WindowBoard,
    },
};
use chrono::{DateTime, NaiveDate, Utc};
use rules::extended::{
    ExtendedKind, can_close_day, can_issue_ticket, estimate_wait_minutes, extended_service_for,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, sea_query::IntoIden,
};

use super::{
    audit::{self, Change},
    cases::Ctx,
    catalog,
};
use crate::{
    auth::Principal,
    error::{AppError, AppResult},
    state::AppState,
    store::{
        counter,
        entities::{
            extended_service, queue_counter, queue_day, queue_def, queue_ticket, reassignment,
            service_center, staff, staff_role, staff_window, window, window_unit,
        },
    },
};

const WAITING: &str = "waiting";
const CALLED: &str = "called";
const SERVING: &str = "serving";
const DONE: &str = "done";
const NO_SHOW: &str = "no_show";
const REASSIGNING: &str = "reassigning";
/// Statuses of a ticket that still has to be served today.
pub const UNFINISHED: [&str; 4] = [WAITING, CALLED, SERVING, REASSIGNING];

pub(crate) fn today(ctx: &Ctx) -> NaiveDate {
    ctx.now.with_timezone(&ctx.tz).date_naive()
}

async fn center<C: ConnectionTrait>(
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
    let hours = serde_json::from_str(&c.business_hours).map_err(AppError::internal)?;
    Ok((c, hours))
}

async fn day_closed<C: ConnectionTrait>(db: &C, center_id: i64, day: NaiveDate) -> AppResult<bool> {
    Ok(queue_day::Entity::find_by_id((center_id, day))
        .one(db)
        .await?
        .is_some())
}

/// Windows (active) serving each unit of a center.
async fn windows_by_unit<C: ConnectionTrait>(
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
async fn average_service<C: ConnectionTrait>(
    db: &C,
    queue_id: i64,
    day: NaiveDate,
) -> AppResult<Option<f64>> {
    let done = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::QueueId.eq(queue_id))
        .filter(queue_ticket::Column::Day.eq(day))
        .filter(queue_ticket::Column::Status.eq(DONE))
        .all(db)
        .await?;
    let minutes: Vec<f64> = done
        .iter()
        .filter_map(|t| Some((t.serve_ended_at? - t.serve_started_at?).num_seconds() as f64 / 60.0))
        .collect();
    Ok((!minutes.is_empty()).then(|| minutes.iter().sum::<f64>() / minutes.len() as f64))
}

async fn waiting_in<C: ConnectionTrait>(
    db: &C,
    queue_id: i64,
    day: NaiveDate,
) -> AppResult<Vec<queue_ticket::Model>> {
    Ok(queue_ticket::Entity::find()
        .filter(queue_ticket::Column::QueueId.eq(queue_id))
        .filter(queue_ticket::Column::Day.eq(day))
        .filter(queue_ticket::Column::Status.eq(WAITING))
        .order_by_desc(queue_ticket::Column::Priority)
        .order_by_asc(queue_ticket::Column::Id)
        .all(db)
        .await?)
}

async fn queue_view<C: ConnectionTrait>(
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

async fn queues_of<C: ConnectionTrait>(
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

/// The queues of a center and whether tickets can be taken now (anyone).
pub async fn list(state: &AppState, center_id: i64) -> AppResult<QueueList> {
    let ctx = Ctx::of(state).await?;
    let db = &state.db.conn;
    let (_, hours) = center(db, center_id).await?;
    let day = today(&ctx);
    let local = ctx.now.with_timezone(&ctx.tz).naive_local();
    let closed = day_closed(db, center_id, day).await?;
    let open = can_issue_ticket(
        local,
        &hours,
        &ctx.calendar.provisional(),
        state.settings.ticket_cutoff_minutes,
        closed,
    )?;
    Ok(QueueList {
        center_id,
        day,
        open_for_tickets: open.is_ok(),
        closed_reason: open.err().map(|r| r.to_string()),
        queues: queues_of(db, center_id, day).await?,
    })
}

async fn window_number<C: ConnectionTrait>(db: &C, id: Option<i64>) -> AppResult<Option<String>> {
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
    let ahead = if t.status == WAITING { ahead } else { 0 };
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
        status: t.status.clone(),
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

/// Issues a ticket inside the caller's transaction. Appointment holders who arrive get a
/// priority ticket, after hours included (they were booked for then).
pub(crate) async fn issue_ticket(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    cutoff_minutes: u32,
    issuer: Option<i64>,
    req: &TakeTicket,
    appointment_id: Option<i64>,
) -> AppResult<queue_ticket::Model> {
    let (_, hours) = center(txn, req.center_id).await?;
    let def = queue_def::Entity::find_by_id(req.queue_id)
        .one(txn)
        .await?
        .filter(|q| q.active && q.center_id == req.center_id)
        .ok_or_else(|| {
            AppError::invalid("unknown_queue", "该中心没有这个队列").with_field("queue_id")
        })?;
    if let Some(code) = &req.item_code {
        let item = catalog::active_item(txn, code, "item_code").await?;
        if item.unit_id != def.unit_id {
            return Err(AppError::invalid(
                "item_not_in_queue",
                format!("“{}”不在{}办理", item.name, def.name),
            )
            .with_field("item_code"));
        }
    }
    let day = today(ctx);
    let priority = appointment_id.is_some();
    if !priority {
        let local = ctx.now.with_timezone(&ctx.tz).naive_local();
        let closed = day_closed(txn, req.center_id, day).await?;
        if let Err(refusal) = can_issue_ticket(
            local,
            &hours,
            &ctx.calendar.provisional(),
            cutoff_minutes,
            closed,
        )? {
            return Err(AppError::invalid(refusal.code(), refusal.to_string()));
        }
    }
    let seq = counter::next(
        txn,
        queue_counter::Entity,
        vec![
            (queue_counter::Column::QueueId.into_iden(), def.id.into()),
            (queue_counter::Column::Day.into_iden(), day.into()),
        ],
        queue_counter::Column::LastSeq,
    )
    .await?;
    let row = queue_ticket::ActiveModel {
        center_id: Set(req.center_id),
        day: Set(day),
        queue_id: Set(def.id),
        seq: Set(seq),
        number: Set(format!("{}{seq:03}", def.letter)),
        unit_id: Set(def.unit_id),
        item_code: Set(req.item_code.clone()),
        priority: Set(priority),
        appointment_id: Set(appointment_id),
        status: Set(WAITING.into()),
        issued_at: Set(ctx.now),
        issued_by: Set(issuer),
        recalls: Set(0),
        version: Set(1),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::record(
        txn,
        ctx.now,
        Change {
            actor_id: issuer,
            action: "ticket.issue",
            entity: "queue_ticket",
            entity_id: row.id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "number": row.number, "priority": priority, "appointment_id": appointment_id })),
        },
    )
    .await?;
    Ok(row)
}

/// A ticket from the kiosk (anyone) or from staff.
pub async fn take(state: &AppState, issuer: Option<i64>, req: TakeTicket) -> AppResult<TicketView> {
    let ctx = Ctx::of(state).await?;
    let cutoff = state.settings.ticket_cutoff_minutes;
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let row = issue_ticket(txn, &ctx, cutoff, issuer, &req, None).await?;
                ticket_view(txn, row).await
            })
        })
        .await
}

pub async fn public_ticket(state: &AppState, id: i64) -> AppResult<TicketView> {
    let t = queue_ticket::Entity::find_by_id(id)
        .one(&state.db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("排队号"))?;
    ticket_view(&state.db.conn, t).await
}

/// The hall's display: the last calls of today and the queues.
pub async fn display(state: &AppState, center_id: i64) -> AppResult<DisplayBoard> {
    let ctx = Ctx::of(state).await?;
    let db = &state.db.conn;
    let (c, _) = center(db, center_id).await?;
    let day = today(&ctx);
    let called = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::CenterId.eq(center_id))
        .filter(queue_ticket::Column::Day.eq(day))
        .filter(queue_ticket::Column::CalledAt.is_not_null())
        .filter(queue_ticket::Column::Status.is_in([CALLED, SERVING]))
        .order_by_desc(queue_ticket::Column::CalledAt)
        .limit(10)
        .all(db)
        .await?;
    let mut calls = Vec::new();
    for t in called {
        calls.push(CallView {
            ticket_id: t.id,
            number: t.number.clone(),
            window_number: window_number(db, t.window_id).await?.unwrap_or_default(),
            called_at: t.called_at.unwrap_or(t.issued_at),
            recalls: t.recalls,
        });
    }
    Ok(DisplayBoard {
        center_id,
        center_name: c.name,
        calls,
        queues: queues_of(db, center_id, day).await?,
    })
}

/// The caller works at this window (assigned to it, as a clerk).
async fn ensure_at_window<C: ConnectionTrait>(
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
        return Err(AppError::client(
            axum::http::StatusCode::FORBIDDEN,
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

async fn window_units<C: ConnectionTrait>(db: &C, window_id: i64) -> AppResult<Vec<i64>> {
    Ok(window_unit::Entity::find()
        .filter(window_unit::Column::WindowId.eq(window_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.unit_id)
        .collect())
}

/// Who waits for a window: tickets reserved for it first, then priority, then in order of issue.
async fn waiting_for<C: ConnectionTrait>(
    db: &C,
    w: &window::Model,
    day: NaiveDate,
) -> AppResult<Vec<queue_ticket::Model>> {
    let units = window_units(db, w.id).await?;
    let mut tickets: Vec<queue_ticket::Model> = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::CenterId.eq(w.center_id))
        .filter(queue_ticket::Column::Day.eq(day))
        .filter(queue_ticket::Column::Status.eq(WAITING))
        .filter(queue_ticket::Column::UnitId.is_in(units))
        .all(db)
        .await?
        .into_iter()
        .filter(|t| t.window_id.is_none_or(|reserved| reserved == w.id))
        .collect();
    tickets.sort_by_key(|t| (t.window_id != Some(w.id), !t.priority, t.id));
    Ok(tickets)
}

async fn current_at<C: ConnectionTrait>(
    db: &C,
    window_id: i64,
    day: NaiveDate,
) -> AppResult<Option<queue_ticket::Model>> {
    Ok(queue_ticket::Entity::find()
        .filter(queue_ticket::Column::WindowId.eq(window_id))
        .filter(queue_ticket::Column::Day.eq(day))
        .filter(queue_ticket::Column::Status.is_in([CALLED, SERVING]))
        .one(db)
        .await?)
}

pub async fn window_board(
    state: &AppState,
    p: &Principal,
    window_id: i64,
) -> AppResult<WindowBoard> {
    let ctx = Ctx::of(state).await?;
    let db = &state.db.conn;
    let w = ensure_at_window(db, p, window_id).await?;
    let day = today(&ctx);
    let mut waiting = Vec::new();
    let mut assigned = Vec::new();
    for t in waiting_for(db, &w, day).await? {
        let reserved = t.window_id == Some(w.id);
        let view = ticket_view(db, t).await?;
        if reserved {
            assigned.push(view)
        } else {
            waiting.push(view)
        }
    }
    let current = match current_at(db, w.id, day).await? {
        Some(t) => Some(ticket_view(db, t).await?),
        None => None,
    };
    Ok(WindowBoard {
        window_id: w.id,
        window_number: w.number,
        current,
        waiting,
        assigned,
    })
}

fn ticket_change<'a>(
    actor: i64,
    action: &'a str,
    before: &queue_ticket::Model,
    after: &queue_ticket::Model,
) -> Change<'a> {
    let snap = |t: &queue_ticket::Model| serde_json::json!({ "status": t.status, "window_id": t.window_id, "recalls": t.recalls });
    Change {
        actor_id: Some(actor),
        action,
        entity: "queue_ticket",
        entity_id: after.id.to_string(),
        before: Some(snap(before)),
        after: Some(snap(after)),
    }
}

/// Calls the next ticket for the caller's window.
pub async fn call_next(state: &AppState, p: &Principal, window_id: i64) -> AppResult<TicketView> {
    let ctx = Ctx::of(state).await?;
    let p = p.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let w = ensure_at_window(txn, &p, window_id).await?;
                let day = today(&ctx);
                if let Some(current) = current_at(txn, w.id, day).await? {
                    return Err(AppError::conflict(
                        "window_busy",
                        format!("请先办结当前的 {} 号", current.number),
                    ));
                }
                let Some(next) = waiting_for(txn, &w, day).await?.into_iter().next() else {
                    return Err(AppError::conflict("queue_empty", "目前没有等候的群众"));
                };
                let mut m: queue_ticket::ActiveModel = next.clone().into();
                m.status = Set(CALLED.into());
                m.called_at = Set(Some(ctx.now));
                m.window_id = Set(Some(w.id));
                m.called_by = Set(Some(p.id));
                m.version = Set(next.version + 1);
                let after = m.update(txn).await?;
                audit::record(
                    txn,
                    ctx.now,
                    ticket_change(p.id, "ticket.call", &next, &after),
                )
                .await?;
                ticket_view(txn, after).await
            })
        })
        .await
}

/// A ticket at the caller's window, at the expected version.
async fn at_my_window(
    txn: &DatabaseTransaction,
    p: &Principal,
    id: i64,
    version: i64,
) -> AppResult<queue_ticket::Model> {
    let t = queue_ticket::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("排队号"))?;
    let window_id = t
        .window_id
        .ok_or_else(|| AppError::conflict("not_called", "这个号还没有被叫到"))?;
    ensure_at_window(txn, p, window_id).await?;
    if t.version != version {
        return Err(
            AppError::conflict("stale_version", "这个号的状态已变化，请刷新").with_current(
                serde_json::to_value(ticket_view(txn, t).await?).map_err(AppError::internal)?,
            ),
        );
    }
    Ok(t)
}

/// Whether the ticket's business is an immediate item (the noon rule covers those).
async fn immediate_item<C: ConnectionTrait>(db: &C, t: &queue_ticket::Model) -> AppResult<bool> {
    Ok(match &t.item_code {
        Some(code) => matches!(
            catalog::get(db, code).await?.time_limit,
            LimitSpec::Immediate { .. }
        ),
        None => false,
    })
}

/// Recall, start, finish or no-show, at the caller's window.
pub async fn step(
    state: &AppState,
    p: &Principal,
    id: i64,
    action: &'static str,
    version: i64,
) -> AppResult<TicketView> {
    let ctx = Ctx::of(state).await?;
    let p = p.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let before = at_my_window(txn, &p, id, version).await?;
                let mut m: queue_ticket::ActiveModel = before.clone().into();
                match (action, before.status.as_str()) {
                    ("recall", CALLED) => {
                        m.recalls = Set(before.recalls + 1);
                        m.called_at = Set(Some(ctx.now));
                    }
                    ("start", CALLED) => {
                        m.status = Set(SERVING.into());
                        m.serve_started_at = Set(Some(ctx.now));
                        m.served_by = Set(Some(p.id));
                    }
                    ("finish", SERVING) => {
                        m.status = Set(DONE.into());
                        m.serve_ended_at = Set(Some(ctx.now));
                    }
                    ("no-show", CALLED) if before.recalls >= 1 => {
                        m.status = Set(NO_SHOW.into());
                        m.no_show_at = Set(Some(ctx.now));
                    }
                    ("no-show", CALLED) => {
                        return Err(AppError::conflict(
                            "recall_first",
                            "请先重呼一次，确认不在场后再登记未到",
                        ));
                    }
                    (_, status) => {
                        return Err(AppError::conflict(
                            "illegal_transition",
                            format!("该号当前状态为“{}”，不能进行此操作", status_label(status)),
                        ));
                    }
                }
                m.version = Set(before.version + 1);
                let after = m.update(txn).await?;
                audit::record(
                    txn,
                    ctx.now,
                    ticket_change(p.id, &format!("ticket.{action}"), &before, &after),
                )
                .await?;
                if action == "finish" {
                    record_after_hours(txn, &ctx, p.id, &after).await?;
                }
                ticket_view(txn, after).await
            })
        })
        .await
}

fn status_label(status: &str) -> &'static str {
    match status {
        WAITING => "等候中",
        CALLED => "已叫号",
        SERVING => "办理中",
        DONE => "已办结",
        NO_SHOW => "未到",
        REASSIGNING => "待首席代表安排",
        _ => "未知",
    }
}

/// After a service: the noon or close extension it amounted to, and any extended service the
/// citizen asked for or the window started, each with the minutes past the session.
async fn record_after_hours(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    staff_id: i64,
    t: &queue_ticket::Model,
) -> AppResult<()> {
    let (Some(start), Some(end)) = (t.serve_started_at, t.serve_ended_at) else {
        return Ok(());
    };
    let (_, hours) = center(txn, t.center_id).await?;
    let local = |x: DateTime<Utc>| x.with_timezone(&ctx.tz).naive_local();
    let immediate = immediate_item(txn, t).await?;
    let cal = ctx.calendar.provisional();
    let past = extended_service_for(local(start), local(end), immediate, &hours, &cal)?;
    let open: Vec<extended_service::Model> = extended_service::Entity::find()
        .filter(extended_service::Column::TicketId.eq(t.id))
        .filter(extended_service::Column::EndedAt.is_null())
        .all(txn)
        .await?;
    let minutes = past.map_or(0, |(_, m)| m as i32);
    for e in open {
        let mut m: extended_service::ActiveModel = e.into();
        m.ended_at = Set(Some(end));
        m.minutes_past = Set(minutes);
        m.update(txn).await?;
    }
    if let Some((kind, minutes)) = past {
        let row = extended_service::ActiveModel {
            center_id: Set(t.center_id),
            day: Set(t.day),
            ticket_id: Set(Some(t.id)),
            slot_id: Set(None),
            staff_id: Set(staff_id),
            kind: Set(kind.code().into()),
            started_at: Set(start),
            ended_at: Set(Some(end)),
            minutes_past: Set(minutes as i32),
            note: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::record(
            txn,
            ctx.now,
            Change {
                actor_id: Some(staff_id),
                action: "extended_service.record",
                entity: "extended_service",
                entity_id: row.id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "ticket": t.number, "kind": kind.code(), "minutes_past": minutes })),
            },
        )
        .await?;
    }
    Ok(())
}

/// Sends a called or serving ticket to another window of the center that serves its unit.
pub async fn transfer(
    state: &AppState,
    p: &Principal,
    id: i64,
    req: TransferRequest,
) -> AppResult<TicketView> {
    let ctx = Ctx::of(state).await?;
    let p = p.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let before = at_my_window(txn, &p, id, req.version).await?;
                if !matches!(before.status.as_str(), CALLED | SERVING) {
                    return Err(AppError::conflict(
                        "illegal_transition",
                        "只能转移已叫号或办理中的号",
                    ));
                }
                let target = window::Entity::find_by_id(req.window_id)
                    .one(txn)
                    .await?
                    .filter(|w| w.active && w.center_id == before.center_id)
                    .ok_or_else(|| {
                        AppError::invalid("unknown_window", "该窗口不存在或不在本中心")
                            .with_field("window_id")
                    })?;
                if target.id == before.window_id.unwrap_or_default() {
                    return Err(AppError::invalid("same_window", "请选择另一个窗口")
                        .with_field("window_id"));
                }
                if !window_units(txn, target.id)
                    .await?
                    .contains(&before.unit_id)
                {
                    return Err(AppError::invalid(
                        "window_not_of_unit",
                        "该窗口不办理这个队列的业务",
                    )
                    .with_field("window_id"));
                }
                let mut m: queue_ticket::ActiveModel = before.clone().into();
                m.status = Set(WAITING.into());
                m.window_id = Set(Some(target.id));
                m.called_at = Set(None);
                m.serve_started_at = Set(None);
                m.version = Set(before.version + 1);
                let after = m.update(txn).await?;
                audit::record(
                    txn,
                    ctx.now,
                    ticket_change(p.id, "ticket.transfer", &before, &after),
                )
                .await?;
                ticket_view(txn, after).await
            })
        })
        .await
}

async fn reassignment_view<C: ConnectionTrait>(
    db: &C,
    r: reassignment::Model,
) -> AppResult<ReassignmentView> {
    let ticket = queue_ticket::Entity::find_by_id(r.ticket_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("reassignment without ticket")))?;
    let name = |id: Option<i64>| async move {
        Ok::<_, AppError>(match id {
            Some(id) => staff::Entity::find_by_id(id).one(db).await?.map(|s| s.name),
            None => None,
        })
    };
    Ok(ReassignmentView {
        id: r.id,
        ticket: ticket_view(db, ticket).await?,
        from_staff: name(Some(r.from_staff_id)).await?.unwrap_or_default(),
        reason: r.reason,
        created_at: r.created_at,
        assigned_staff: name(r.assigned_staff_id).await?,
        assigned_window: window_number(db, r.assigned_window_id).await?,
        decided_at: r.decided_at,
    })
}

/// "Cannot serve" (Seed §二(四)三): the ticket goes to the unit's chief representative, who must
/// assign another staff member or window. A window has no other way to let a ticket go.
pub async fn cannot_serve(
    state: &AppState,
    p: &Principal,
    id: i64,
    req: CannotServeRequest,
) -> AppResult<ReassignmentView> {
    let reason = req.reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::invalid("required", "请说明不能提供服务的原因").with_field("reason"));
    }
    let ctx = Ctx::of(state).await?;
    let p = p.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let before = at_my_window(txn, &p, id, req.version).await?;
                if !matches!(before.status.as_str(), CALLED | SERVING) {
                    return Err(AppError::conflict(
                        "illegal_transition",
                        "只能对已叫号或办理中的号报告",
                    ));
                }
                let mut m: queue_ticket::ActiveModel = before.clone().into();
                m.status = Set(REASSIGNING.into());
                m.version = Set(before.version + 1);
                let after = m.update(txn).await?;
                let r = reassignment::ActiveModel {
                    ticket_id: Set(id),
                    center_id: Set(before.center_id),
                    unit_id: Set(before.unit_id),
                    from_staff_id: Set(p.id),
                    reason: Set(reason),
                    created_at: Set(ctx.now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit::record(
                    txn,
                    ctx.now,
                    ticket_change(p.id, "ticket.cannot_serve", &before, &after),
                )
                .await?;
                reassignment_view(txn, r).await
            })
        })
        .await
}

/// Pending "cannot serve" reports of the chief representative's unit.
pub async fn reassignments(state: &AppState, p: &Principal) -> AppResult<Vec<ReassignmentView>> {
    let Some(unit_id) = p.unit_id else {
        return Ok(Vec::new());
    };
    let rows = reassignment::Entity::find()
        .filter(reassignment::Column::UnitId.eq(unit_id))
        .filter(reassignment::Column::DecidedAt.is_null())
        .order_by_asc(reassignment::Column::Id)
        .all(&state.db.conn)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        out.push(reassignment_view(&state.db.conn, r).await?);
    }
    Ok(out)
}

/// The chief representative assigns another staff member (at one of their windows).
pub async fn assign(
    state: &AppState,
    p: &Principal,
    id: i64,
    req: AssignRequest,
) -> AppResult<ReassignmentView> {
    let ctx = Ctx::of(state).await?;
    let p = p.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let r = reassignment::Entity::find_by_id(id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::not_found("报告"))?;
                super::cases::ensure_chief_of(&p, r.unit_id)?;
                if r.decided_at.is_some() {
                    return Err(AppError::conflict("already_decided", "已安排过"));
                }
                if req.staff_id == r.from_staff_id {
                    return Err(
                        AppError::invalid("must_be_someone_else", "须安排另一位工作人员")
                            .with_field("staff_id"),
                    );
                }
                let person = staff::Entity::find_by_id(req.staff_id)
                    .one(txn)
                    .await?
                    .filter(|s| s.active)
                    .ok_or_else(|| {
                        AppError::invalid("unknown_staff", "工作人员不存在或已停用")
                            .with_field("staff_id")
                    })?;
                let is_clerk = staff_role::Entity::find()
                    .filter(staff_role::Column::StaffId.eq(person.id))
                    .filter(staff_role::Column::Role.eq(Role::Clerk.code()))
                    .one(txn)
                    .await?
                    .is_some();
                let at_window = staff_window::Entity::find()
                    .filter(staff_window::Column::StaffId.eq(person.id))
                    .filter(staff_window::Column::WindowId.eq(req.window_id))
                    .one(txn)
                    .await?
                    .is_some();
                if !is_clerk || !at_window {
                    return Err(AppError::invalid(
                        "not_at_that_window",
                        format!("{} 不在该窗口值守", person.name),
                    )
                    .with_field("window_id"));
                }
                if !window_units(txn, req.window_id).await?.contains(&r.unit_id) {
                    return Err(AppError::invalid(
                        "window_not_of_unit",
                        "该窗口不办理这个队列的业务",
                    )
                    .with_field("window_id"));
                }
                let ticket = queue_ticket::Entity::find_by_id(r.ticket_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| {
                        AppError::internal(anyhow::anyhow!("reassignment without ticket"))
                    })?;
                let mut tm: queue_ticket::ActiveModel = ticket.clone().into();
                tm.status = Set(WAITING.into());
                tm.window_id = Set(Some(req.window_id));
                tm.called_at = Set(None);
                tm.serve_started_at = Set(None);
                tm.version = Set(ticket.version + 1);
                let after = tm.update(txn).await?;
                audit::record(
                    txn,
                    ctx.now,
                    ticket_change(p.id, "ticket.reassigned", &ticket, &after),
                )
                .await?;
                let mut rm: reassignment::ActiveModel = r.into();
                rm.assigned_staff_id = Set(Some(req.staff_id));
                rm.assigned_window_id = Set(Some(req.window_id));
                rm.decided_by = Set(Some(p.id));
                rm.decided_at = Set(Some(ctx.now));
                let r = rm.update(txn).await?;
                reassignment_view(txn, r).await
            })
        })
        .await
}

/// Closes the day's queue — refused while any ticket of the day is unfinished.
pub async fn close_day(state: &AppState, p: &Principal, center_id: i64) -> AppResult<()> {
    let ctx = Ctx::of(state).await?;
    let actor = p.id;
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                center(txn, center_id).await?;
                let day = today(&ctx);
                if day_closed(txn, center_id, day).await? {
                    return Ok(());
                }
                let unfinished = queue_ticket::Entity::find()
                    .filter(queue_ticket::Column::CenterId.eq(center_id))
                    .filter(queue_ticket::Column::Day.eq(day))
                    .filter(queue_ticket::Column::Status.is_in(UNFINISHED))
                    .all(txn)
                    .await?
                    .len();
                can_close_day(unfinished)
                    .map_err(|e| AppError::conflict("tickets_remain", e.to_string()))?;
                queue_day::ActiveModel {
                    center_id: Set(center_id),
                    day: Set(day),
                    closed_at: Set(ctx.now),
                    closed_by: Set(actor),
                }
                .insert(txn)
                .await?;
                audit::record(
                    txn,
                    ctx.now,
                    Change {
                        actor_id: Some(actor),
                        action: "queue.close_day",
                        entity: "queue_day",
                        entity_id: format!("{center_id}/{day}"),
                        before: None,
                        after: Some(serde_json::json!({ "closed": true })),
                    },
                )
                .await
            })
        })
        .await
}

/// Extended service asked for by the citizen or started by the window, on the caller's ticket;
/// it ends (with its minutes past hours) when the ticket is finished.
pub async fn start_extended(
    state: &AppState,
    p: &Principal,
    id: i64,
    req: ExtendedRequest,
) -> AppResult<ExtendedServiceView> {
    let kind = ExtendedKind::from_code(&req.kind)
        .filter(|k| matches!(k, ExtendedKind::CitizenRequest | ExtendedKind::StaffStarted))
        .ok_or_else(|| {
            AppError::invalid("invalid_kind", "延时服务类型须为“群众申请”或“窗口主动”")
                .with_field("kind")
        })?;
    let ctx = Ctx::of(state).await?;
    let p = p.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let t = queue_ticket::Entity::find_by_id(id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::not_found("排队号"))?;
                let window_id = t
                    .window_id
                    .ok_or_else(|| AppError::conflict("not_called", "这个号还没有被叫到"))?;
                ensure_at_window(txn, &p, window_id).await?;
                if !matches!(t.status.as_str(), CALLED | SERVING) {
                    return Err(AppError::conflict(
                        "illegal_transition",
                        "只能为已叫号或办理中的群众延时服务",
                    ));
                }
                let row = extended_service::ActiveModel {
                    center_id: Set(t.center_id),
                    day: Set(t.day),
                    ticket_id: Set(Some(t.id)),
                    slot_id: Set(None),
                    staff_id: Set(p.id),
                    kind: Set(kind.code().into()),
                    started_at: Set(ctx.now),
                    ended_at: Set(None),
                    minutes_past: Set(0),
                    note: Set(req.note.clone().filter(|n| !n.trim().is_empty())),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit::record(
                    txn,
                    ctx.now,
                    Change {
                        actor_id: Some(p.id),
                        action: "extended_service.start",
                        entity: "extended_service",
                        entity_id: row.id.to_string(),
                        before: None,
                        after: Some(serde_json::json!({ "ticket": t.number, "kind": kind.code() })),
                    },
                )
                .await?;
                extended_view(txn, row).await
            })
        })
        .await
}

async fn extended_view<C: ConnectionTrait>(
    db: &C,
    e: extended_service::Model,
) -> AppResult<ExtendedServiceView> {
    let ticket_number = match e.ticket_id {
        Some(id) => queue_ticket::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|t| t.number),
        None => None,
    };
    let staff_name = staff::Entity::find_by_id(e.staff_id)
        .one(db)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let kind = ExtendedKind::from_code(&e.kind);
    Ok(ExtendedServiceView {
        id: e.id,
        center_id: e.center_id,
        day: e.day,
        ticket_number,
        slot_id: e.slot_id,
        staff_name,
        kind_label: kind.map(|k| k.label_zh().to_string()).unwrap_or_default(),
        kind: e.kind,
        started_at: e.started_at,
        ended_at: e.ended_at,
        minutes_past: e.minutes_past,
        note: e.note,
    })
}

/// A center's extended-service records of a day (supervisors and chief representatives).
pub async fn extended_list(
    state: &AppState,
    center_id: i64,
    day: NaiveDate,
) -> AppResult<Vec<ExtendedServiceView>> {
    let rows = extended_service::Entity::find()
        .filter(extended_service::Column::CenterId.eq(center_id))
        .filter(extended_service::Column::Day.eq(day))
        .order_by_asc(extended_service::Column::Id)
        .all(&state.db.conn)
        .await?;
    let mut out = Vec::new();
    for e in rows {
        out.push(extended_view(&state.db.conn, e).await?);
    }
    Ok(out)
}

/// Creates a queue of a center for a unit, under a letter (Admin; demo data).
pub async fn create_queue(
    state: &AppState,
    actor: Option<i64>,
    input: app::api::queue::QueueInput,
) -> AppResult<QueueView> {
    let letter = input.letter.trim().to_uppercase();
    if letter.len() != 1 || !letter.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(
            AppError::invalid("invalid_letter", "队列字母须为一个大写英文字母")
                .with_field("letter"),
        );
    }
    let name = app::api::validate::required_text(&input.name, "name", "队列名称", 30)?;
    let now = state.now();
    let tz = state.tz;
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                center(txn, input.center_id).await?;
                let unit = super::org::active_unit(txn, input.unit_id, "unit_id").await?;
                if unit.center_id != input.center_id {
                    return Err(AppError::invalid("unit_of_other_center", "该单位不在这个中心").with_field("unit_id"));
                }
                let taken = queue_def::Entity::find()
                    .filter(queue_def::Column::CenterId.eq(input.center_id))
                    .filter(queue_def::Column::Letter.eq(&letter))
                    .one(txn)
                    .await?
                    .is_some();
                if taken {
                    return Err(AppError::conflict("letter_taken", format!("该中心已有 {letter} 队列")).with_field("letter"));
                }
                let def = queue_def::ActiveModel {
                    center_id: Set(input.center_id),
                    letter: Set(letter),
                    unit_id: Set(input.unit_id),
                    name: Set(name),
                    active: Set(true),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit::record(
                    txn,
                    now,
                    Change {
                        actor_id: actor,
                        action: "queue.create",
                        entity: "queue_def",
                        entity_id: def.id.to_string(),
                        before: None,
                        after: Some(serde_json::json!({ "letter": def.letter, "unit_id": def.unit_id, "name": def.name })),
                    },
                )
                .await?;
                let day = now.with_timezone(&tz).date_naive();
                queue_view(txn, &def, day, 0).await
            })
        })
        .await
}
