//! Closing the day's queue: refused while anyone issued a ticket today is still unserved; a day
//! closed by mistake can be reopened.

use rules::extended::can_close_day;
use sea_orm::{ColumnTrait, EntityTrait, ModelTrait, PaginatorTrait, QueryFilter, Set};

use super::{center, day_closed};
use crate::{
    error::{AppError, AppResult},
    services::{
        Ctx, Principal,
        audit::{self, Change},
    },
    store::{
        columns::TicketStatus,
        entities::{queue_day, queue_ticket},
    },
};

/// Closes the day's queue — refused while any ticket of the day is unfinished.
pub async fn close_day(ctx: &Ctx, p: &Principal, center_id: i64) -> AppResult<()> {
    p.ensure_acts_in(center_id)?;
    let actor = p.id;
    // On the center's chain, locked before the tickets are counted: a kiosk ticket (same chain)
    // is either counted here or refused by the closed day, never issued in between (issue 16).
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            center(txn, center_id).await?;
            Ctx::lock_center(txn, center_id).await?;
            let day = ctx.today();
            if day_closed(txn, center_id, day).await? {
                return Ok(());
            }
            let unfinished = queue_ticket::Entity::find()
                .filter(queue_ticket::Column::CenterId.eq(center_id))
                .filter(queue_ticket::Column::Day.eq(day))
                .filter(queue_ticket::Column::Status.is_in(TicketStatus::unfinished()))
                .count(txn)
                .await? as usize;
            can_close_day(unfinished)
                .map_err(|e| AppError::conflict("tickets_remain", e.to_string()))?;
            let new_row = queue_day::ActiveModel {
                center_id: Set(center_id),
                day: Set(day),
                closed_at: Set(ctx.now),
                closed_by: Set(actor),
            };
            audit::insert_new(
                txn,
                ctx.now,
                Some(actor),
                ("queue.close_day", "queue_day"),
                new_row,
                |_| {
                    (
                        format!("{center_id}/{day}"),
                        serde_json::json!({ "closed": true }),
                    )
                },
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// Reopens today's queue of a center closed by mistake (its kiosk takes tickets again).
pub async fn reopen_day(ctx: &Ctx, p: &Principal, center_id: i64) -> AppResult<()> {
    p.ensure_acts_in(center_id)?;
    let actor = p.id;
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            center(txn, center_id).await?;
            Ctx::lock_center(txn, center_id).await?;
            let day = ctx.today();
            let closed = queue_day::Entity::find_by_id((center_id, day))
                .one(txn)
                .await?
                .ok_or_else(|| {
                    AppError::conflict("day_not_closed", "今天的排队没有结束，无需恢复")
                })?;
            let before = serde_json::json!({
                "closed": true,
                "closed_at": closed.closed_at,
                "closed_by": closed.closed_by,
            });
            closed.delete(txn).await?;
            let change = Change {
                actor_id: Some(actor),
                action: "queue.reopen_day",
                entity: "queue_day",
                entity_id: format!("{center_id}/{day}"),
                before: Some(before),
                after: Some(serde_json::json!({ "closed": false })),
            };
            audit::record(txn, ctx.now, change).await
        })
    })
    .await
}
