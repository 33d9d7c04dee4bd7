//! The case clock (限时办结): when review must have an outcome, when the case is due, and the
//! automatic steps time alone causes — deemed acceptance, and the recomputation of provisional
//! (「暂定」) due dates once the year's calendar is published.

use chrono::{DateTime, Utc};
use rules::{
    CaseEvent, CaseState, ClockStartBasis, Extension, SpecialProcedure, Suspension, TimeLimit,
    deadline::{clock_start, compute_due_provisional, deemed_acceptance_moment},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{Ctx, Loaded, load, save, transition};
use crate::{
    error::{AppError, AppResult},
    services::violations,
    store::{
        columns::RequestStatus,
        entities::{case_extension, case_suspension, cases},
    },
};

/// Close of business on the 5th working day after receipt (行政许可法 第三十二条). Years not yet
/// published count weekends only; acceptance is never blocked by a missing year.
pub(crate) fn review_due(
    ctx: &Ctx,
    loaded_hours: &rules::BusinessHours,
    received_at: DateTime<Utc>,
) -> AppResult<DateTime<Utc>> {
    let view = ctx.calendar.provisional();
    let moment = deemed_acceptance_moment(ctx.local(received_at), &view, loaded_hours)?;
    ctx.to_utc(moment)
}

pub(crate) async fn suspensions_of<C: ConnectionTrait>(
    db: &C,
    case_id: i64,
) -> AppResult<Vec<Suspension>> {
    case_suspension::Entity::find()
        .filter(case_suspension::Column::CaseId.eq(case_id))
        .order_by_asc(case_suspension::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            Ok(Suspension {
                procedure: SpecialProcedure::ALL
                    .into_iter()
                    .find(|p| p.code() == s.procedure)
                    .ok_or_else(|| {
                        AppError::internal(anyhow::anyhow!(
                            "suspension {} procedure {}",
                            s.id,
                            s.procedure
                        ))
                    })?,
                start: s.start_date,
                end: s.end_date,
                reason: s.reason,
            })
        })
        .collect()
}

/// The approved extension, if any (at most one).
pub(crate) async fn approved_extension<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    case_id: i64,
) -> AppResult<Option<Extension>> {
    Ok(case_extension::Entity::find()
        .filter(case_extension::Column::CaseId.eq(case_id))
        .filter(case_extension::Column::Status.eq(RequestStatus::Approved))
        .one(db)
        .await?
        .map(|e| Extension {
            working_days: e.days.max(0) as u32,
            requested_at: ctx.local(e.requested_at),
            reason: e.reason,
        }))
}

/// The due moment of a running case from its clock start, suspensions and extension, and
/// whether it is provisional. `None` while a suspension is open.
pub(crate) async fn due_of<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    loaded: &Loaded,
    clock_start_at: DateTime<Utc>,
) -> AppResult<(Option<DateTime<Utc>>, bool)> {
    let limit = loaded.item.time_limit.time_limit();
    let (suspensions, extension) = match limit {
        TimeLimit::Immediate { .. } => (Vec::new(), None),
        TimeLimit::Promised { .. } => (
            suspensions_of(db, loaded.row.id).await?,
            approved_extension(db, ctx, loaded.row.id).await?,
        ),
    };
    let due = compute_due_provisional(
        &limit,
        ctx.local(clock_start_at),
        &suspensions,
        extension.as_ref(),
        &ctx.calendar,
        &loaded.hours,
    )?;
    let at = match due.due.at() {
        Some(local) => Some(ctx.to_utc(local)?),
        None => None,
    };
    Ok((at, due.provisional))
}

/// The clock start of an accepted case (行政许可法 第三十二条; Seed §二(三)二).
pub(crate) fn clock_start_of(
    ctx: &Ctx,
    row: &cases::Model,
    basis: &ClockStartBasis,
) -> AppResult<DateTime<Utc>> {
    let local = clock_start(ctx.local(row.received_at), basis)?;
    ctx.to_utc(local)
}

/// Deems accepted, as of the day of receipt, every application that had no review outcome by
/// close of business on the 5th working day after receipt, and records the violation.
/// Runs whenever cases are read and once a minute in the background, so the rule holds whether
/// or not anyone looks.
pub async fn sweep_deemed_acceptance(ctx: &Ctx) -> AppResult<usize> {
    let overdue: Vec<i64> = cases::Entity::find()
        .filter(cases::Column::State.eq(CaseState::Received.code()))
        .filter(cases::Column::ReviewDueAt.lt(ctx.now))
        .all(&ctx.db.conn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if overdue.is_empty() {
        return Ok(0);
    }
    ctx.write(move |txn, ctx| {
        Box::pin(async move {
            let mut done = 0;
            for id in overdue {
                let loaded = load(txn, id).await?;
                // Re-checked inside the writer: someone may have reviewed it meanwhile.
                if loaded.state()? != CaseState::Received
                    || loaded.row.review_due_at.is_none_or(|d| d >= ctx.now)
                {
                    continue;
                }
                deem_accepted(txn, &ctx, &loaded).await?;
                done += 1;
            }
            Ok(done)
        })
    })
    .await
}

async fn deem_accepted(txn: &DatabaseTransaction, ctx: &Ctx, loaded: &Loaded) -> AppResult<()> {
    let row = &loaded.row;
    let next = transition(loaded.state()?, CaseEvent::DeemAccept)?;
    let start = clock_start_of(ctx, row, &ClockStartBasis::DeemedAccepted)?;
    let (due_at, provisional) = due_of(txn, ctx, loaded, start).await?;
    let mut model: cases::ActiveModel = row.clone().into();
    model.state = Set(next.code().to_string());
    model.accepted_at = Set(Some(row.received_at));
    model.clock_start_at = Set(Some(start));
    model.due_at = Set(due_at);
    model.due_provisional = Set(provisional);
    model.stage = Set(Some(rules::Stage::Review.label_zh().to_string()));
    model.stage_started_at = Set(Some(ctx.now));
    save(txn, ctx, None, "case.deemed_accepted", row, model).await?;
    let what = format!(
        "办件 {} 收件后五个工作日内未作出受理、补正或不予受理决定，依法视为自收件之日起受理",
        row.number
    );
    let kind = violations::Kind::DeemedAcceptance;
    violations::record(txn, ctx, kind, row, Some(row.owner_id), what).await
}

/// After a year's calendar is added or replaced: every running case whose due (or review due)
/// was provisional is computed again with the published year; each change is audited.
pub async fn recompute_provisional(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: i64,
) -> AppResult<usize> {
    let rows = cases::Entity::find()
        .filter(cases::Column::DueProvisional.eq(true))
        .all(txn)
        .await?;
    let received = cases::Entity::find()
        .filter(cases::Column::State.eq(CaseState::Received.code()))
        .all(txn)
        .await?;
    let mut changed = 0;
    for row in rows.into_iter().chain(received) {
        let loaded = load(txn, row.id).await?;
        let state = loaded.state()?;
        if !state.is_open() {
            continue;
        }
        let mut model: cases::ActiveModel = loaded.row.clone().into();
        let mut differs = false;
        if state == CaseState::Received {
            let review_due = review_due(ctx, &loaded.hours, loaded.row.received_at)?;
            if loaded.row.review_due_at != Some(review_due) {
                model.review_due_at = Set(Some(review_due));
                differs = true;
            }
        }
        if let Some(start) = loaded.row.clock_start_at
            && loaded.row.due_provisional
        {
            let (due_at, provisional) = due_of(txn, ctx, &loaded, start).await?;
            if due_at != loaded.row.due_at || provisional != loaded.row.due_provisional {
                model.due_at = Set(due_at);
                model.due_provisional = Set(provisional);
                differs = true;
            }
        }
        if differs {
            save(
                txn,
                ctx,
                Some(actor),
                "case.recompute_due",
                &loaded.row,
                model,
            )
            .await?;
            changed += 1;
        }
    }
    Ok(changed)
}
