//! Windows (窗口) of a center and the units each serves.

use std::collections::BTreeMap;

use app::api::org::{WindowInput, WindowView};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, Set,
    sea_query::{Expr, Func},
};

use super::{active_center, active_unit};
use crate::{
    error::{AppError, AppResult},
    services::{
        Ctx, audit, found,
        paging::{ById, Page, PageRequest},
        taken, versioned,
    },
    store::{
        columns::TicketStatus,
        entities::{queue_ticket, window, window_unit},
    },
};

async fn window_views<C: ConnectionTrait>(
    db: &C,
    rows: Vec<window::Model>,
) -> AppResult<Vec<WindowView>> {
    let ids: Vec<i64> = rows.iter().map(|w| w.id).collect();
    let mut units: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for link in window_unit::Entity::find()
        .filter(window_unit::Column::WindowId.is_in(ids))
        .all(db)
        .await?
    {
        units.entry(link.window_id).or_default().push(link.unit_id);
    }
    Ok(rows
        .into_iter()
        .map(|w| {
            let mut unit_ids = units.remove(&w.id).unwrap_or_default();
            unit_ids.sort_unstable();
            WindowView {
                id: w.id,
                center_id: w.center_id,
                number: w.number,
                name: w.name,
                unit_ids,
                active: w.active,
            }
        })
        .collect())
}

/// A page of every window, in the order they were set up (the app sorts them by center and
/// number).
pub async fn list_windows<C: ConnectionTrait>(
    db: &C,
    request: &PageRequest<i64>,
) -> AppResult<Page<WindowView, i64>> {
    let page = request
        .by_id(
            db,
            window::Entity::find(),
            window::Column::Id,
            ById::OldestFirst,
        )
        .await?;
    Ok(Page {
        items: window_views(db, page.items).await?,
        next: page.next,
    })
}

pub async fn get_window<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<WindowView> {
    let row = found(db, window::Entity, id, "窗口").await?;
    Ok(window_views(db, vec![row]).await?.remove(0))
}

/// Active windows by id with the units each serves; an unknown or inactive one is a 422.
pub async fn active_windows<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
    field: &str,
) -> AppResult<Vec<(window::Model, Vec<i64>)>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let row = window::Entity::find_by_id(*id)
            .one(db)
            .await?
            .filter(|w| w.active)
            .ok_or_else(|| {
                AppError::invalid("unknown_window", format!("窗口 {id} 不存在或已停用"))
                    .with_field(field)
            })?;
        let units = window_unit::Entity::find()
            .filter(window_unit::Column::WindowId.eq(*id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.unit_id)
            .collect();
        out.push((row, units));
    }
    Ok(out)
}

async fn check_window_input(
    txn: &DatabaseTransaction,
    input: &WindowInput,
    except: Option<i64>,
) -> AppResult<()> {
    active_center(txn, input.center_id, "center_id").await?;
    for unit_id in &input.unit_ids {
        let u = active_unit(txn, *unit_id, "unit_ids").await?;
        if u.center_id != input.center_id {
            return Err(AppError::invalid(
                "unit_of_other_center",
                format!("单位「{}」不在该服务中心", u.name),
            )
            .with_field("unit_ids"));
        }
    }
    // Case does not tell two windows apart: "a01" beside "A01" put both in the clerks' lists.
    let lower = Func::lower(Expr::col(window::Column::Number));
    let same_number = window::Entity::find()
        .filter(window::Column::CenterId.eq(input.center_id))
        .filter(Expr::expr(lower).eq(input.number.to_lowercase()));
    if taken(txn, same_number, window::Column::Id, except).await? {
        return Err(AppError::conflict(
            "number_taken",
            format!("该中心已有 {} 号窗口", input.number),
        )
        .with_field("number"));
    }
    Ok(())
}

async fn write_window_units(
    txn: &DatabaseTransaction,
    window_id: i64,
    unit_ids: &[i64],
) -> AppResult<()> {
    window_unit::Entity::delete_many()
        .filter(window_unit::Column::WindowId.eq(window_id))
        .exec(txn)
        .await?;
    for unit_id in unit_ids {
        window_unit::ActiveModel {
            window_id: Set(window_id),
            unit_id: Set(*unit_id),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

pub async fn create_window(
    ctx: &Ctx,
    actor: Option<i64>,
    input: WindowInput,
) -> AppResult<WindowView> {
    let now = ctx.now;
    let input = input.validated()?;
    ctx.write(move |txn, _| {
        Box::pin(async move {
            check_window_input(txn, &input, None).await?;
            let row = window::ActiveModel {
                center_id: Set(input.center_id),
                number: Set(input.number.clone()),
                name: Set(input.name.clone()),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            write_window_units(txn, row.id, &input.unit_ids).await?;
            let view = get_window(txn, row.id).await?;
            audit::record_views(
                txn,
                now,
                actor,
                ("window.create", "window"),
                row.id,
                None,
                view,
            )
            .await
        })
    })
    .await
}

pub async fn update_window(
    ctx: &Ctx,
    actor: i64,
    id: i64,
    input: WindowInput,
) -> AppResult<WindowView> {
    let now = ctx.now;
    let input = input.validated()?;
    ctx.write(move |txn, _| {
        Box::pin(async move {
            let row = found(txn, window::Entity, id, "窗口").await?;
            if row.center_id != input.center_id {
                return Err(
                    AppError::invalid("center_fixed", "窗口不能改属其他服务中心")
                        .with_field("center_id"),
                );
            }
            check_window_input(txn, &input, Some(id)).await?;
            let before = get_window(txn, id).await?;
            let mut model: window::ActiveModel = row.into();
            model.number = Set(input.number.clone());
            model.name = Set(input.name.clone());
            model.updated_at = Set(now);
            model.update(txn).await?;
            write_window_units(txn, id, &input.unit_ids).await?;
            let after = get_window(txn, id).await?;
            audit::record_views(
                txn,
                now,
                Some(actor),
                ("window.update", "window"),
                id,
                Some(&before),
                after,
            )
            .await
        })
    })
    .await
}

/// Refuses to take a window or a person out of service while a citizen stands there: a called or
/// served ticket held by them could then be finished by nobody, and the hall's day could not be
/// closed (a tester stranded A043 this way). `held` says whose ticket it is.
pub async fn ensure_no_ticket_in_hand<C: ConnectionTrait>(
    db: &C,
    held: Condition,
    whose: &str,
) -> AppResult<()> {
    let in_hand = queue_ticket::Entity::find()
        .filter(held)
        .filter(queue_ticket::Column::Status.is_in([TicketStatus::Called, TicketStatus::Serving]))
        .one(db)
        .await?;
    match in_hand {
        Some(t) => Err(AppError::conflict(
            "ticket_in_hand",
            format!("{whose}正在接待 {} 号，请先办结或转窗口后再停用", t.number),
        )),
        None => Ok(()),
    }
}

pub async fn set_window_active(ctx: &Ctx, actor: i64, id: i64, on: bool) -> AppResult<()> {
    ctx.write(move |txn, ctx| {
        Box::pin(async move {
            let row = found(txn, window::Entity, id, "窗口").await?;
            if on && !row.active {
                active_center(txn, row.center_id, "center_id").await?;
            }
            if !on && row.active {
                let here = Condition::all().add(queue_ticket::Column::WindowId.eq(id));
                ensure_no_ticket_in_hand(txn, here, "该窗口").await?;
            }
            versioned::set_active(txn, ctx.now, actor, row, on).await?;
            Ok(())
        })
    })
    .await
}
