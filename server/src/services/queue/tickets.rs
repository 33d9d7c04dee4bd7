//! Taking a ticket (取号): at the kiosk, at the counter, or on arrival for an appointment.

use app::api::queue::{QueueList, TakeTicket, TicketView};
use rules::extended::{TicketRefusal, can_issue_ticket, ticket_cutoff};
use sea_orm::{DatabaseTransaction, EntityTrait, Set, sea_query::IntoIden};

use super::{center, day_closed, queues_of, ticket_view};
use crate::{
    error::{AppError, AppResult},
    services::{Ctx, Principal, audit, catalog, found},
    store::{
        columns::TicketStatus,
        counter,
        entities::{queue_counter, queue_def, queue_ticket},
    },
};

/// The queues of a center and whether tickets can be taken now (anyone).
pub async fn list(ctx: &Ctx, center_id: i64) -> AppResult<QueueList> {
    let db = &ctx.db.conn;
    let (_, hours) = center(db, center_id).await?;
    let day = ctx.today();
    let closed = day_closed(db, center_id, day).await?;
    let open = can_issue_ticket(
        ctx.local_now(),
        &hours,
        &ctx.calendar.provisional(),
        ctx.settings.ticket_cutoff_minutes,
        closed,
    )?;
    // When closed: the next session start at which tickets can be taken (tomorrow on, when the
    // day's queue was closed or the cut-off passed).
    let opens_at = match &open {
        Ok(()) => None,
        Err(refusal) => {
            let from = match refusal {
                TicketRefusal::BeforeOpening { .. } | TicketRefusal::ClosedToday => ctx.local_now(),
                _ => day
                    .succ_opt()
                    .unwrap_or(day)
                    .and_time(chrono::NaiveTime::MIN),
            };
            let next = hours.next_opening(from, &ctx.calendar.provisional()).ok();
            match next {
                Some(at) => Some(ctx.to_utc(at)?),
                None => None,
            }
        }
    };
    let changes_at = match (&open, opens_at) {
        (Ok(()), _) => {
            let cal = ctx.calendar.provisional();
            let cutoff = ticket_cutoff(day, &hours, &cal, ctx.settings.ticket_cutoff_minutes)?;
            match cutoff {
                Some(at) => Some(ctx.to_utc(at)?),
                None => None,
            }
        }
        (Err(_), opens_at) => opens_at,
    };
    Ok(QueueList {
        center_id,
        day,
        changes_at,
        open_for_tickets: open.is_ok(),
        closed_reason: open.as_ref().err().map(|r| r.to_string()),
        closed_code: open.err().map(|r| r.code().to_owned()),
        opens_at,
        queues: queues_of(db, center_id, day).await?,
    })
}

/// Issues a ticket inside the caller's transaction. Appointment holders who arrive get a
/// priority ticket, after hours included (they were booked for then).
pub(crate) async fn issue_ticket(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
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
    let day = ctx.today();
    let priority = appointment_id.is_some();
    if !priority {
        let closed = day_closed(txn, req.center_id, day).await?;
        if let Err(refusal) = can_issue_ticket(
            ctx.local_now(),
            &hours,
            &ctx.calendar.provisional(),
            ctx.settings.ticket_cutoff_minutes,
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
    let new_row = queue_ticket::ActiveModel {
        center_id: Set(req.center_id),
        day: Set(day),
        queue_id: Set(def.id),
        seq: Set(seq),
        number: Set(format!("{}{seq:03}", def.letter)),
        unit_id: Set(def.unit_id),
        item_code: Set(req.item_code.clone()),
        priority: Set(priority),
        appointment_id: Set(appointment_id),
        status: Set(TicketStatus::Waiting),
        issued_at: Set(ctx.now),
        issued_by: Set(issuer),
        recalls: Set(0),
        version: Set(1),
        ..Default::default()
    };
    let row = audit::insert_new(
        txn,
        ctx.now,
        issuer,
        ("ticket.issue", "queue_ticket"),
        new_row,
        |row| {
            (
                row.id,
                serde_json::json!({
                    "number": row.number, "priority": priority, "appointment_id": appointment_id,
                }),
            )
        },
    )
    .await?;
    Ok(row)
}

/// A ticket from the kiosk (anyone) or from staff, who issue tickets only at their own center.
pub async fn take(ctx: &Ctx, issuer: Option<&Principal>, req: TakeTicket) -> AppResult<TicketView> {
    if let Some(p) = issuer {
        p.ensure_acts_in(req.center_id)?;
    }
    let issuer = issuer.map(|p| p.id);
    // The center's own chain: kiosks of different halls never wait on each other (issue 16).
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            Ctx::lock_center(txn, req.center_id).await?;
            let row = issue_ticket(txn, &ctx, issuer, &req, None).await?;
            ticket_view(txn, row).await
        })
    })
    .await
}

/// A ticket as its holder follows it: today's only. Ticket ids run in sequence, and an older
/// ticket says who came for which business when; a holder has no use for it after the day.
pub async fn public_ticket(ctx: &Ctx, id: i64) -> AppResult<TicketView> {
    let t = found(&ctx.db.conn, queue_ticket::Entity, id, "排队号").await?;
    if t.day != ctx.today() {
        return Err(AppError::not_found("排队号"));
    }
    ticket_view(&ctx.db.conn, t).await
}
