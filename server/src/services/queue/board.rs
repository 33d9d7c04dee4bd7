//! What the hall and a window see: the call display and the window's own board.

use app::api::queue::{CallView, DisplayBoard, WindowBoard};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    center, current_at, ensure_at_window, in_hand_of, queues_of, ticket_view, waiting_for,
    window_number,
};
use crate::{
    error::AppResult,
    services::{Ctx, Principal},
    store::{
        columns::TicketStatus,
        entities::{queue_ticket, staff},
    },
};

/// The hall's display: the last calls of today and the queues.
pub async fn display(ctx: &Ctx, center_id: i64) -> AppResult<DisplayBoard> {
    let db = &ctx.db.conn;
    let (c, _) = center(db, center_id).await?;
    let day = ctx.today();
    let called = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::CenterId.eq(center_id))
        .filter(queue_ticket::Column::Day.eq(day))
        .filter(queue_ticket::Column::CalledAt.is_not_null())
        .filter(queue_ticket::Column::Status.is_in([TicketStatus::Called, TicketStatus::Serving]))
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

/// The board of the caller's window: the current ticket, who is reserved for it, who waits.
pub async fn window_board(ctx: &Ctx, p: &Principal, window_id: i64) -> AppResult<WindowBoard> {
    let db = &ctx.db.conn;
    let w = ensure_at_window(db, p, window_id).await?;
    let day = ctx.today();
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
    let (current, current_held_by) = match current_at(db, w.id, day).await? {
        Some(t) => {
            let holder = match t.called_by.filter(|&id| id != p.id) {
                Some(id) => staff::Entity::find_by_id(id).one(db).await?.map(|s| s.name),
                None => None,
            };
            (Some(ticket_view(db, t).await?), holder)
        }
        None => (None, None),
    };
    let mine = in_hand_of(db, p.id, day).await?;
    let yours_elsewhere = match mine.filter(|t| t.window_id != Some(w.id)) {
        Some(t) => {
            let at = t.window_id.unwrap_or_default();
            let number = window_number(db, t.window_id).await?.unwrap_or_default();
            Some((at, number, t.number))
        }
        None => None,
    };
    Ok(WindowBoard {
        window_id: w.id,
        window_number: w.number,
        current,
        waiting,
        assigned,
        current_held_by,
        yours_elsewhere,
    })
}
