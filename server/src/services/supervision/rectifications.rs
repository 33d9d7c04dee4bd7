//! The rectification list (问题整改清单): the unit reports its fix, a supervisor closes it out
//! (销号), sends it back or reopens it. Every step is a `rules::RectificationStatus` transition,
//! audited with the row's version.

use app::api::supervision::{
    RectificationFilter, RectificationQuery, RectificationView, ReportFix, SupervisorStep,
};
use rules::supervision::{ProblemKind, ProblemSource, monthly_status};
use rules::{RectificationActor, RectificationEvent};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{can_read_unit, staff_name, text, unit_name};
use crate::{
    error::{AppError, AppResult},
    services::{
        Ctx, Principal, found,
        paging::{Page, PageRequest},
        versioned,
    },
    store::{
        columns::RectificationStatus,
        entities::{problem, rating, rectification},
    },
};

versioned::versioned!(
    rectification as "rectification",
    stamp(active, now) {
        active.updated_at = sea_orm::Set(now);
    },
    view(row) serde_json::json!({
        "status": rules::RectificationStatus::from(row.status),
        "deadline": row.deadline,
        "measure": row.measure,
        "report_note": row.report_note,
        "close_note": row.close_note,
        "reopened": row.reopened,
    }),
);

pub(crate) async fn view<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    r: rectification::Model,
) -> AppResult<RectificationView> {
    let p = problem::Entity::find_by_id(r.problem_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("rectification without problem")))?;
    let kind = ProblemKind::from_code(&p.kind).unwrap_or(ProblemKind::Conduct);
    let source = ProblemSource::from_code(&p.source).unwrap_or(ProblemSource::Detected);
    let status: rules::RectificationStatus = r.status.into();
    Ok(RectificationView {
        id: r.id,
        problem_id: r.problem_id,
        kind,
        kind_label: kind.label_zh().into(),
        source_label: source.label_zh().into(),
        description: p.description,
        center_id: r.center_id,
        unit_id: r.unit_id,
        unit_name: unit_name(db, r.unit_id).await?,
        staff_id: r.staff_id,
        staff_name: staff_name(db, r.staff_id).await?,
        status,
        status_label: status.label_zh().into(),
        report_status: monthly_status(status, r.deadline, r.closed_on, ctx.today()),
        found_on: r.found_on,
        deadline: r.deadline,
        measure: r.measure,
        report_note: r.report_note,
        reported_at: r.reported_at,
        close_note: r.close_note,
        closed_on: r.closed_on,
        reopened: r.reopened,
        version: r.version,
    })
}

/// The list, soonest deadline first: supervisors see all, unit staff their unit's.
/// Where a page of rectification items starts: after this deadline and id (the list's order).
pub type RectificationKey = (chrono::NaiveDate, i64);

/// A page of rectification items, soonest deadline first (then by id): at most `page.limit`,
/// each after `page.after` in that order when given.
pub async fn list(
    ctx: &Ctx,
    p: &Principal,
    q: RectificationQuery,
    page: &PageRequest<RectificationKey>,
) -> AppResult<Page<RectificationView, RectificationKey>> {
    use RectificationStatus as S;
    let mut find = rectification::Entity::find();
    if !p.has(app::api::Role::Supervisor) {
        let unit = p.unit_id.ok_or_else(AppError::forbidden)?;
        find = find.filter(rectification::Column::UnitId.eq(unit));
    }
    let filter = q.filter().map_err(|_| {
        AppError::invalid("unknown_status", "没有这个整改状态").with_field("status")
    })?;
    match filter {
        None => {}
        Some(RectificationFilter::Pending) => {
            let pending = rules::RectificationStatus::ALL
                .iter()
                .filter(|s| s.is_pending())
                .map(|s| S::from(*s));
            find = find.filter(rectification::Column::Status.is_in(pending))
        }
        Some(RectificationFilter::Status(status)) => {
            find = find.filter(rectification::Column::Status.eq(S::from(status)));
        }
    }
    if let Some(u) = q.unit_id {
        find = find.filter(rectification::Column::UnitId.eq(u));
    }
    if let Some((deadline, id)) = page.after {
        find = find.filter(
            Condition::any()
                .add(rectification::Column::Deadline.gt(deadline))
                .add(
                    Condition::all()
                        .add(rectification::Column::Deadline.eq(deadline))
                        .add(rectification::Column::Id.gt(id)),
                ),
        );
    }
    let rows = find
        .order_by_asc(rectification::Column::Deadline)
        .order_by_asc(rectification::Column::Id)
        .limit(page.fetch())
        .all(ctx.conn())
        .await?;
    let rows = page.page(rows, |r| (r.deadline, r.id));
    let mut items = Vec::with_capacity(rows.items.len());
    for r in rows.items {
        items.push(view(ctx.conn(), ctx, r).await?);
    }
    Ok(Page {
        items,
        next: rows.next,
    })
}

/// One item (supervisors; the staff of its unit).
pub async fn detail(ctx: &Ctx, p: &Principal, id: i64) -> AppResult<RectificationView> {
    let r = load(ctx.conn(), id).await?;
    if !can_read_unit(p, Some(r.unit_id)) {
        return Err(AppError::not_found("整改事项"));
    }
    view(ctx.conn(), ctx, r).await
}

/// The center of rectification item `id`: its steps run on that center's chain.
async fn item_center(ctx: &Ctx, id: i64) -> AppResult<i64> {
    let column = rectification::Column::CenterId;
    crate::services::center_of::<rectification::Entity>(ctx, column, id, "整改事项").await
}

async fn load<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<rectification::Model> {
    found(db, rectification::Entity, id, "整改事项").await
}

/// Who `p` acts as on `r`: a supervisor, or the responsible unit's staff; anyone else is refused.
fn actor_of(p: &Principal, r: &rectification::Model) -> AppResult<RectificationActor> {
    use app::api::Role;
    if p.has(Role::Supervisor) {
        // Separation of duties: a supervisor placed in a unit never supervises it (closes out
        // or reopens its own unit's rectification).
        if p.unit_id == Some(r.unit_id) {
            return Err(own_unit());
        }
        Ok(RectificationActor::Supervisor)
    } else if p.unit_id == Some(r.unit_id)
        && (p.has(Role::Clerk) || p.has(Role::ChiefRepresentative))
    {
        Ok(RectificationActor::ResponsibleUnit)
    } else {
        Err(AppError::not_found("整改事项"))
    }
}

/// A supervisor's refusal on their own unit's work.
pub(super) fn own_unit() -> AppError {
    AppError::not_here(
        "own_unit",
        "督查人员不能督办本人所在单位的事项，请由其他督查人员办理",
    )
}

/// Loads, checks the version and the step, and saves with `change` applied.
async fn step(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    version: i64,
    event: RectificationEvent,
    change: impl FnOnce(&mut rectification::ActiveModel),
) -> AppResult<rectification::Model> {
    let before = load(txn, id).await?;
    let actor = actor_of(p, &before)?;
    if before.version != version {
        let current = view(txn, ctx, before).await?;
        return Err(versioned::stale(
            "此整改事项已被他人更新，请查看最新情况后再操作",
            current,
        ));
    }
    let status = rules::RectificationStatus::from(before.status).apply(actor, event)?;
    let mut active = before.clone().into_active_model();
    active.status = Set(status.into());
    change(&mut active);
    let action = format!("rectification.{}", event.code());
    versioned::save(txn, ctx.now, Some(p.id), &action, &before, active).await
}

/// The responsible unit reports its fix: the measure taken and what was done.
pub async fn report(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    body: ReportFix,
) -> AppResult<RectificationView> {
    let measure = text(&body.measure, "measure", "整改措施", 500)?;
    let note = text(&body.note, "note", "整改情况", 1000)?;
    let p = p.clone();
    let center = item_center(ctx, id).await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let now = ctx.now;
            let actor = p.id;
            let row = step(
                txn,
                &ctx,
                &p,
                id,
                body.version,
                RectificationEvent::Report,
                |a| {
                    a.measure = Set(Some(measure));
                    a.report_note = Set(Some(note));
                    a.reported_at = Set(Some(now));
                    a.reported_by = Set(Some(actor));
                },
            )
            .await?;
            view(txn, &ctx, row).await
        })
    })
    .await
}

/// A supervisor's step on an item: close out (销号), send back or reopen, with a note.
pub async fn supervise(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    event: RectificationEvent,
    body: SupervisorStep,
) -> AppResult<RectificationView> {
    let note = match event {
        RectificationEvent::Close => text(&body.note, "note", "销号说明", 500)?,
        _ => text(&body.note, "note", "说明", 500)?,
    };
    let p = p.clone();
    let center = item_center(ctx, id).await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let now = ctx.now;
            let today = ctx.today();
            let actor = p.id;
            if event == RectificationEvent::Close {
                ensure_followed_up(txn, id).await?;
            }
            let row = step(txn, &ctx, &p, id, body.version, event, |a| match event {
                RectificationEvent::Close => {
                    a.close_note = Set(Some(note));
                    a.closed_at = Set(Some(now));
                    a.closed_on = Set(Some(today));
                    a.closed_by = Set(Some(actor));
                }
                RectificationEvent::Reopen => {
                    a.close_note = Set(Some(format!("重新打开：{note}")));
                    a.closed_at = Set(None);
                    a.closed_on = Set(None);
                    a.closed_by = Set(None);
                    if let sea_orm::ActiveValue::Unchanged(n) | sea_orm::ActiveValue::Set(n) =
                        a.reopened.clone()
                    {
                        a.reopened = Set(n + 1);
                    }
                }
                _ => a.close_note = Set(Some(note)),
            })
            .await?;
            view(txn, &ctx, row).await
        })
    })
    .await
}

/// A bad rating's item closes only once the citizen has been called back (回访) and the call is
/// recorded: one was closed on the note "已电话回访" alone, and the follow-up rate stayed 0 %.
async fn ensure_followed_up(txn: &DatabaseTransaction, item_id: i64) -> AppResult<()> {
    let Some(item) = rectification::Entity::find_by_id(item_id).one(txn).await? else {
        return Ok(());
    };
    let unanswered = rating::Entity::find()
        .filter(rating::Column::ProblemId.eq(item.problem_id))
        .filter(rating::Column::FollowUpAt.is_null())
        .one(txn)
        .await?;
    match unanswered {
        None => Ok(()),
        Some(_) => Err(AppError::conflict(
            "follow_up_missing",
            "这是群众差评的整改，须先由单位记录回访情况，才能销号",
        )),
    }
}

/// Withdraws the pending item of a struck problem (an upheld rating appeal), in `txn`.
pub(crate) async fn withdraw_for_problem(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    p: &Principal,
    problem_id: i64,
    note: &str,
) -> AppResult<()> {
    let Some(item) = rectification::Entity::find()
        .filter(rectification::Column::ProblemId.eq(problem_id))
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let status = rules::RectificationStatus::from(item.status);
    if !status.is_pending() {
        return Ok(());
    }
    let note = note.to_string();
    step(
        txn,
        ctx,
        p,
        item.id,
        item.version,
        RectificationEvent::Withdraw,
        |a| a.close_note = Set(Some(note)),
    )
    .await?;
    Ok(())
}
