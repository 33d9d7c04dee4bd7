//! A window calls, recalls, serves, finishes, marks a no-show or transfers a ticket — each step
//! one event of the ticket's lifecycle (`rules::TicketState`).

use std::collections::{HashMap, HashSet};

use app::api::queue::{TicketView, TransferRequest};
use rules::{OnTheSpot, TicketEvent};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};

use super::{
    Holder, advance, at_my_window, current_at, ensure_at_window, extended::record_after_hours,
    in_hand_of, open_window_in, state_of, ticket_view, waiting_for, window_units,
};
use crate::{
    error::{AppError, AppResult},
    services::{Ctx, Principal},
    store::entities::{queue_ticket, reassignment},
};

/// Calls the next ticket for the caller's window.
pub async fn call_next(ctx: &Ctx, p: &Principal, window_id: i64) -> AppResult<TicketView> {
    let p = p.clone();
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let w = ensure_at_window(txn, &p, window_id).await?;
            // Before the queue is read: calls at one center are ordered, other centers' not.
            Ctx::lock_center(txn, w.center_id).await?;
            let day = ctx.today();
            if let Some(current) = current_at(txn, w.id, day).await? {
                return Err(AppError::conflict(
                    "window_busy",
                    format!("请先办结当前的 {} 号", current.number),
                ));
            }
            // One citizen at a time: a clerk who still holds a ticket (at this window or another
            // they serve) finishes or transfers it first; a second call left it unattended.
            if let Some(t) = in_hand_of(txn, p.id, day).await? {
                return Err(AppError::conflict(
                    "ticket_in_hand",
                    format!("您正在接待 {} 号，请先办结或转窗口，再叫下一位", t.number),
                ));
            }
            let waiting = waiting_for(txn, &w, day).await?;
            let for_others = assigned_to_others(txn, &waiting, p.id).await?;
            let Some(next) = waiting.into_iter().find(|t| !for_others.contains(&t.id)) else {
                return Err(AppError::conflict("queue_empty", "目前没有等候的群众"));
            };
            let after = advance(txn, &ctx, p.id, &next, TicketEvent::Call, |m| {
                m.called_at = Set(Some(ctx.now));
                m.window_id = Set(Some(w.id));
                m.called_by = Set(Some(p.id));
            })
            .await?;
            ticket_view(txn, after).await
        })
    })
    .await
}

/// The tickets among `waiting` that the chief representative last assigned to someone other than
/// `staff_id`: they wait at the window for that person (the clerk who reported they could not
/// serve one, sitting at the same window, called it straight back).
async fn assigned_to_others(
    txn: &DatabaseTransaction,
    waiting: &[queue_ticket::Model],
    staff_id: i64,
) -> AppResult<HashSet<i64>> {
    let reserved: Vec<i64> = waiting
        .iter()
        .filter(|t| t.window_id.is_some())
        .map(|t| t.id)
        .collect();
    // Only a ticket held for a window can have been assigned: most calls ask nothing more.
    if reserved.is_empty() {
        return Ok(HashSet::new());
    }
    let decisions = reassignment::Entity::find()
        .filter(reassignment::Column::TicketId.is_in(reserved))
        .filter(reassignment::Column::AssignedStaffId.is_not_null())
        .order_by_asc(reassignment::Column::Id)
        .all(txn)
        .await?;
    // A ticket reported again is assigned again: its last decision stands.
    let last: HashMap<i64, Option<i64>> = decisions
        .into_iter()
        .map(|r| (r.ticket_id, r.assigned_staff_id))
        .collect();
    let others = last.into_iter().filter(|(_, to)| *to != Some(staff_id));
    Ok(others.map(|(ticket, _)| ticket).collect())
}

/// Recall, start, finish or no-show, at the caller's window. Finishing records the extended
/// service the ticket amounted to (`on_the_spot`: whether its business could be finished on the
/// spot, for the noon rule).
pub async fn step(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    event: TicketEvent,
    version: i64,
    on_the_spot: Option<OnTheSpot>,
) -> AppResult<TicketView> {
    if !matches!(
        event,
        TicketEvent::Recall | TicketEvent::Start | TicketEvent::Finish | TicketEvent::NoShow
    ) {
        return Err(AppError::internal(anyhow::anyhow!(
            "not a window step: {event:?}"
        )));
    }
    let p = p.clone();
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let before = at_my_window(txn, &p, (id, version), Holder::OnlyTheCaller).await?;
            // The ticket's version guards what was read before the lock.
            Ctx::lock_center(txn, before.center_id).await?;
            let now = Some(ctx.now);
            let after = advance(txn, &ctx, p.id, &before, event, |m| match event {
                TicketEvent::Recall => m.called_at = Set(now),
                TicketEvent::Start => {
                    m.serve_started_at = Set(now);
                    m.served_by = Set(Some(p.id));
                }
                TicketEvent::Finish => m.serve_ended_at = Set(now),
                _ => m.no_show_at = Set(now),
            })
            .await?;
            if event == TicketEvent::Finish {
                // Window business is the window's own step unless the clerk says otherwise.
                let on_the_spot = on_the_spot.unwrap_or(OnTheSpot::Finishable);
                record_after_hours(txn, &ctx, p.id, &after, on_the_spot).await?;
            }
            ticket_view(txn, after).await
        })
    })
    .await
}

/// Sends a called or serving ticket to another window of the center that serves its unit.
pub async fn transfer(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    req: TransferRequest,
) -> AppResult<TicketView> {
    let p = p.clone();
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let before = at_my_window(txn, &p, (id, req.version), Holder::AnyAtTheWindow).await?;
            Ctx::lock_center(txn, before.center_id).await?;
            state_of(&before).apply(TicketEvent::Transfer)?;
            let target = open_window_in(txn, req.window_id, before.center_id).await?;
            if target.id == before.window_id.unwrap_or_default() {
                return Err(
                    AppError::invalid("same_window", "请选择另一个窗口").with_field("window_id")
                );
            }
            if !window_units(txn, target.id)
                .await?
                .contains(&before.unit_id)
            {
                return Err(
                    AppError::invalid("window_not_of_unit", "该窗口不办理这个队列的业务")
                        .with_field("window_id"),
                );
            }
            // A window nobody works at would strand the citizen and keep the day from closing.
            if super::active_clerks_at(txn, vec![target.id], None).await? == 0 {
                return Err(AppError::invalid(
                    "nobody_at_window",
                    format!(
                        "{}号窗口没有工作人员值守，请选择有人值守的窗口",
                        target.number
                    ),
                )
                .with_field("window_id"));
            }
            let after = advance(txn, &ctx, p.id, &before, TicketEvent::Transfer, |m| {
                m.window_id = Set(Some(target.id));
                m.called_at = Set(None);
                m.serve_started_at = Set(None);
            })
            .await?;
            ticket_view(txn, after).await
        })
    })
    .await
}
