//! Extended service (延时服务, Seed §二(四)): noon and close extensions, service on a day off
//! (public holiday, rest day), and the extended service a citizen asks for or a window starts,
//! each recorded with its minutes outside the sessions.

use app::api::{
    queue::{ExtendedRequest, ExtendedServiceView},
    validate::optional_text,
};
use chrono::NaiveDate;
use rules::{
    OnTheSpot, TicketEvent,
    extended::{ExtendedKind, extended_service_for, may_start_extended_service},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::{center, ensure_at_window, state_of};
use crate::{
    error::{AppError, AppResult},
    services::{Ctx, Principal, audit, found},
    store::entities::{extended_service, queue_ticket, staff},
};

/// After a service: the extended service it amounted to — through the noon break (business
/// finishable on the spot: the break's minutes only), past close, or on a day without sessions
/// (all its minutes) — and any extended service the citizen asked for or the window started,
/// each with its minutes outside the sessions (Seed §二(四); issue #11 points 8 and 9).
pub(super) async fn record_after_hours(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    staff_id: i64,
    t: &queue_ticket::Model,
    on_the_spot: OnTheSpot,
) -> AppResult<()> {
    let (Some(start), Some(end)) = (t.serve_started_at, t.serve_ended_at) else {
        return Ok(());
    };
    let (_, hours) = center(txn, t.center_id).await?;
    let cal = ctx.calendar.provisional();
    let (from, to) = (ctx.local(start), ctx.local(end));
    let past = extended_service_for(from, to, on_the_spot, &hours, &cal)?;
    let open: Vec<extended_service::Model> = extended_service::Entity::find()
        .filter(extended_service::Column::TicketId.eq(t.id))
        .filter(extended_service::Column::EndedAt.is_null())
        .all(txn)
        .await?;
    let minutes = past.map_or(0, |(_, m)| m as i32);
    for e in open {
        let (id, before) = (
            e.id,
            serde_json::json!({
                "ended_at": e.ended_at, "minutes_past": e.minutes_past,
            }),
        );
        let mut m: extended_service::ActiveModel = e.into();
        m.ended_at = Set(Some(end));
        m.minutes_past = Set(minutes);
        m.update(txn).await?;
        let after = serde_json::json!({
            "ticket": t.number, "ended_at": end, "minutes_past": minutes,
        });
        let change = audit::Change {
            actor_id: Some(staff_id),
            action: "extended_service.end",
            entity: "extended_service",
            entity_id: id.to_string(),
            before: Some(before),
            after: Some(after),
        };
        audit::record(txn, ctx.now, change).await?;
    }
    if let Some((kind, minutes)) = past {
        let new_row = extended_service::ActiveModel {
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
        };
        audit::insert_new(
            txn,
            ctx.now,
            Some(staff_id),
            ("extended_service.record", "extended_service"),
            new_row,
            |row| {
                (
                    row.id,
                    serde_json::json!({
                        "ticket": t.number, "kind": kind.code(), "minutes_past": minutes,
                    }),
                )
            },
        )
        .await?;
    }
    Ok(())
}

/// Extended service asked for by the citizen or started by the window, on the caller's ticket;
/// it ends (with its minutes past hours) when the ticket is finished.
pub async fn start_extended(
    ctx: &Ctx,
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
    let note = optional_text(req.note.as_deref(), "note", "备注", 200)?;
    let p = p.clone();
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let t = found(txn, queue_ticket::Entity, id, "排队号").await?;
            p.ensure_acts_in(t.center_id)?;
            Ctx::lock_center(txn, t.center_id).await?;
            let window_id = t
                .window_id
                .ok_or_else(|| AppError::conflict("not_called", "这个号还没有被叫到"))?;
            ensure_at_window(txn, &p, window_id).await?;
            super::ensure_in_callers_hands(txn, &p, &t).await?;
            state_of(&t).apply(TicketEvent::ExtendService)?;
            // Extended service extends office hours: at 10:30 there is nothing to extend yet.
            let (_, hours) = center(txn, t.center_id).await?;
            let cal = ctx.calendar.provisional();
            may_start_extended_service(ctx.local_now(), &hours, &cal)?
                .map_err(|e| AppError::conflict("within_business_hours", e.to_string()))?;
            // One at a time: its minutes are counted once, at the ticket's finish.
            let running = extended_service::Entity::find()
                .filter(extended_service::Column::TicketId.eq(t.id))
                .filter(extended_service::Column::EndedAt.is_null())
                .one(txn)
                .await?;
            if running.is_some() {
                return Err(AppError::conflict(
                    "extended_service_running",
                    "这个号的延时服务已在进行中",
                ));
            }
            let new_row = extended_service::ActiveModel {
                center_id: Set(t.center_id),
                day: Set(t.day),
                ticket_id: Set(Some(t.id)),
                slot_id: Set(None),
                staff_id: Set(p.id),
                kind: Set(kind.code().into()),
                started_at: Set(ctx.now),
                ended_at: Set(None),
                minutes_past: Set(0),
                note: Set(note.clone()),
                ..Default::default()
            };
            let row = audit::insert_new(
                txn,
                ctx.now,
                Some(p.id),
                ("extended_service.start", "extended_service"),
                new_row,
                |row| {
                    (
                        row.id,
                        serde_json::json!({ "ticket": t.number, "kind": kind.code() }),
                    )
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
    ctx: &Ctx,
    p: &Principal,
    center_id: i64,
    day: NaiveDate,
) -> AppResult<Vec<ExtendedServiceView>> {
    p.ensure_sees(center_id)?;
    let rows = extended_service::Entity::find()
        .filter(extended_service::Column::CenterId.eq(center_id))
        .filter(extended_service::Column::Day.eq(day))
        .order_by_asc(extended_service::Column::Id)
        .all(&ctx.db.conn)
        .await?;
    let mut out = Vec::new();
    for e in rows {
        out.push(extended_view(&ctx.db.conn, e).await?);
    }
    Ok(out)
}
