//! The case clock (限时办结): when review must have an outcome, when the case is due, and the
//! automatic steps time alone causes — deemed acceptance (with its numbered 受理通知书), marking a
//! case overdue, and the recomputation of due dates when a year's calendar is added or replaced.

use app::api::notices::NoticeKind;
use chrono::{DateTime, Datelike, NaiveTime, TimeDelta, Utc};
use rules::{
    CaseEvent, CaseState, ClockStartBasis, Deadline, Extension, SpecialProcedure, Stage,
    Suspension, TimeLimit,
    deadline::{
        acceptance_after_corrections_moment, clock_start, compute_due_provisional,
        deemed_acceptance_moment,
    },
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::{
    Ctx, Loaded, by_center, load,
    notice::{acceptance_body, issue_as},
    save,
    timeliness::{self, Cause},
};
use crate::{
    error::{AppError, AppResult},
    services::{notices::NoticeBody, violations},
    store::{
        columns::RequestStatus,
        entities::{case_extension, case_suspension, cases},
    },
};

/// Close of business on the 5th working day after receipt (行政许可法 第三十二条). Years not yet
/// published are guessed (暂定); acceptance is never blocked by a missing year.
pub(crate) fn review_due(
    ctx: &Ctx,
    loaded_hours: &rules::BusinessHours,
    received_at: DateTime<Utc>,
) -> AppResult<DateTime<Utc>> {
    let view = ctx.calendar.provisional();
    let moment = deemed_acceptance_moment(ctx.local(received_at), &view, loaded_hours)?;
    ctx.to_utc(moment)
}

/// Whether an acceptance due (a review due, or the one after corrections) rests on a year whose
/// official calendar is not published: counted on a guess, it is shown 暂定 (issue #4).
/// The case's `due_provisional` says so until acceptance gives it a due of its own.
pub(crate) fn acceptance_due_provisional(ctx: &Ctx, due: DateTime<Utc>) -> bool {
    !ctx.calendar.holds_year(ctx.local(due).year())
}

/// Close of business on the day the last correction came in: by then a case whose every
/// correction is in must be accepted (必须即时受理), else it is deemed accepted as of that receipt.
pub(crate) fn acceptance_due_after_corrections(
    ctx: &Ctx,
    loaded_hours: &rules::BusinessHours,
    last_correction_at: DateTime<Utc>,
) -> AppResult<DateTime<Utc>> {
    let view = ctx.calendar.provisional();
    let local = ctx.local(last_correction_at);
    let moment = acceptance_after_corrections_moment(local, &view, loaded_hours)?;
    ctx.to_utc(moment)
}

/// A stored suspension as the rules see it: from moment to moment; a row recorded by date only
/// (before suspensions carried moments) counts from 00:00 to 00:00 (`Suspension::from_dates`).
pub(crate) fn suspension(ctx: &Ctx, s: &case_suspension::Model) -> AppResult<Suspension> {
    let procedure = SpecialProcedure::ALL
        .into_iter()
        .find(|p| p.code() == s.procedure)
        .ok_or_else(|| {
            AppError::internal(anyhow::anyhow!(
                "suspension {} procedure {}",
                s.id,
                s.procedure
            ))
        })?;
    let midnight = |d: chrono::NaiveDate| d.and_time(NaiveTime::MIN);
    Ok(Suspension {
        procedure,
        start: s.start_at.map_or(midnight(s.start_date), |t| ctx.local(t)),
        end: match (s.end_at, s.end_date) {
            (Some(t), _) => Some(ctx.local(t)),
            (None, Some(d)) => Some(midnight(d)),
            (None, None) => None,
        },
        reason: s.reason.clone(),
    })
}

pub(crate) async fn suspension_rows<C: ConnectionTrait>(
    db: &C,
    case_id: i64,
) -> AppResult<Vec<case_suspension::Model>> {
    Ok(case_suspension::Entity::find()
        .filter(case_suspension::Column::CaseId.eq(case_id))
        .order_by_asc(case_suspension::Column::Id)
        .all(db)
        .await?)
}

pub(crate) async fn suspensions_of<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    case_id: i64,
) -> AppResult<Vec<Suspension>> {
    suspension_rows(db, case_id)
        .await?
        .iter()
        .map(|s| suspension(ctx, s))
        .collect()
}

/// Everything that decides the case's due, as the rules see it (the clock must have started).
pub(crate) async fn deadline_of<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    loaded: &Loaded,
) -> AppResult<Deadline> {
    let start = loaded.row.clock_start_at.ok_or_else(|| {
        AppError::internal(anyhow::anyhow!("case {} has no clock", loaded.row.id))
    })?;
    deadline_from(db, ctx, loaded, start).await
}

/// What decides the due of `loaded` with its clock started at `clock_start_at`: the item's
/// limit and, for a promised item, the case's suspensions and approved extension.
async fn deadline_from<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    loaded: &Loaded,
    clock_start_at: DateTime<Utc>,
) -> AppResult<Deadline> {
    let limit = loaded.item.time_limit.time_limit();
    let (suspensions, extension) = match limit {
        TimeLimit::Immediate { .. } => (Vec::new(), None),
        TimeLimit::Promised { .. } => (
            suspensions_of(db, ctx, loaded.row.id).await?,
            approved_extension(db, ctx, loaded.row.id).await?,
        ),
    };
    Ok(Deadline {
        limit,
        clock_start: ctx.local(clock_start_at),
        suspensions,
        extension,
    })
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
    let d = deadline_from(db, ctx, loaded, clock_start_at).await?;
    let due = compute_due_provisional(
        &d.limit,
        d.clock_start,
        &d.suspensions,
        d.extension.as_ref(),
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

/// The steps time alone causes, run once a minute in the background, before a review and (at
/// most every [`READ_SWEEP_EVERY`], see [`sweep_clock_for_read`]) when cases are read, so the
/// rules hold whether or not anyone looks: deemed acceptance (with its notice), then marking
/// running cases overdue once their due moment has passed.
pub async fn sweep_clock(ctx: &Ctx) -> AppResult<usize> {
    let deemed = sweep_deemed_acceptance(ctx).await?;
    Ok(deemed + timeliness::sweep_overdue(ctx).await?)
}

/// How long, on the requests' clock, the reads of one process go without sweeping again.
pub const READ_SWEEP_EVERY: TimeDelta = TimeDelta::seconds(2);

/// [`sweep_clock`] for a read (issue 16): a page of cases does not pay for the sweep each time,
/// only the first read of each [`READ_SWEEP_EVERY`] of the clock does (concurrent reads do not
/// wait for it). A case passes its due moment on a read at most that long before it shows as
/// overdue.
pub async fn sweep_clock_for_read(ctx: &Ctx) -> AppResult<()> {
    if !ctx.caches.read_sweep.claim(ctx.now, READ_SWEEP_EVERY) {
        return Ok(());
    }
    if let Err(err) = sweep_clock(ctx).await {
        ctx.caches.read_sweep.reset();
        return Err(err);
    }
    Ok(())
}

/// Deems accepted, as of the day of receipt, every application that had no review outcome by
/// close of business on the 5th working day after receipt, records the violation and issues the
/// numbered 受理通知书 with the deemed-acceptance wording (行政许可法 第三十二条).
async fn sweep_deemed_acceptance(ctx: &Ctx) -> AppResult<usize> {
    let overdue: Vec<(i64, i64)> = cases::Entity::find()
        .select_only()
        .columns([cases::Column::CenterId, cases::Column::Id])
        .filter(cases::Column::State.is_in([
            CaseState::Received.code(),
            CaseState::CorrectionRequested.code(),
        ]))
        .filter(cases::Column::ReviewDueAt.lt(ctx.now))
        .into_tuple()
        .all(&ctx.db.conn)
        .await?;
    let mut done = 0;
    for (center, cases) in by_center(overdue, |(center, _)| *center) {
        let ids = cases.into_iter().map(|(_, id)| id).collect();
        done += deem_accepted_in(ctx, center, ids).await?;
    }
    Ok(done)
}

async fn deem_accepted_in(ctx: &Ctx, center: i64, overdue: Vec<i64>) -> AppResult<usize> {
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let mut done = 0;
            for id in overdue {
                let loaded = load(txn, id).await?;
                // Re-checked inside the writer: someone may have reviewed it meanwhile.
                let waiting = match loaded.state()? {
                    CaseState::Received => true,
                    // Only once every correction asked for is in (a row written before this
                    // rule may still hold its receipt's review due).
                    CaseState::CorrectionRequested => {
                        super::review::corrections_complete(txn, id).await?
                    }
                    _ => false,
                };
                if !waiting || loaded.row.review_due_at.is_none_or(|d| d >= ctx.now) {
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
    let mut model = loaded.after(CaseEvent::DeemAccept)?;
    // After corrections the clock runs from the last of them (办理时限从全部补齐材料之时计算).
    let corrected = row
        .last_correction_at
        .filter(|_| loaded.state().ok() == Some(CaseState::CorrectionRequested));
    let basis = match corrected {
        Some(at) => ClockStartBasis::AcceptedAfterCorrection {
            last_correction_received_at: ctx.local(at),
        },
        None => ClockStartBasis::DeemedAccepted,
    };
    let start = clock_start_of(ctx, row, &basis)?;
    let (due_at, provisional) = due_of(txn, ctx, loaded, start).await?;
    timeliness::finish_stage(txn, ctx, loaded, ctx.now).await?;
    model.accepted_at = Set(Some(corrected.unwrap_or(row.received_at)));
    model.clock_start_at = Set(Some(start));
    model.due_at = Set(due_at);
    model.due_provisional = Set(provisional);
    model.stage = Set(Some(Stage::Review.label_zh().to_string()));
    model.stage_started_at = Set(Some(ctx.now));
    save(txn, ctx, None, "case.deemed_accepted", row, model).await?;
    // The clock ran from receipt: that is when this due took effect.
    let cause = Cause::DeemedAccepted;
    timeliness::record_case_due(txn, row.id, start, due_at, provisional, cause).await?;
    let loaded = load(txn, row.id).await?;
    timeliness::start_stage(txn, ctx, &loaded, Stage::Review, ctx.now).await?;
    let what = match corrected {
        Some(_) => format!(
            "办件 {} 补正材料齐全后未即时受理，依法视为自补正材料齐全之时起受理",
            row.number
        ),
        None => format!(
            "办件 {} 收件后五个工作日内未作出受理、补正或不予受理决定，依法视为自收件之日起受理",
            row.number
        ),
    };
    let kind = violations::Kind::DeemedAcceptance;
    violations::record(txn, ctx, kind, row, Some(row.owner_id), what).await?;
    // The notice the law implies: issued in the unit's name under the case's owner, the
    // system as the actor of the audit record.
    let mut body = acceptance_body(ctx, &loaded, &basis, due_at, provisional);
    if let (NoticeBody::Acceptance { deemed, .. }, Some(_)) = (&mut body, corrected) {
        *deemed = true;
    }
    let kind = NoticeKind::AcceptanceNotice;
    issue_as(txn, ctx, row.owner_id, None, &loaded, kind, body).await?;
    Ok(())
}

/// Whether a case's clock span (clock start to due) touches `year`: the year of the clock start,
/// of the due, or any between; a provisional due always does (it waited for a year).
fn touches(ctx: &Ctx, row: &cases::Model, year: i32) -> bool {
    let Some(start) = row.clock_start_at else {
        return false;
    };
    let from = ctx.local(start).year();
    let to = row.due_at.map_or(i32::MAX, |d| ctx.local(d).year());
    row.due_provisional || (from <= year && year <= to)
}

/// After a year's calendar is added or replaced: every open case whose due touches that year is
/// computed again — running and suspended cases' due, received cases' review due — and each
/// changed due gets its own audit record (and a due-history entry). Decided cases keep the due
/// they were judged against. A case no longer past its due under the corrected year loses its
/// overdue mark (in the same audit record).
pub async fn recompute_year(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: i64,
    year: i32,
) -> AppResult<usize> {
    let open = [
        CaseState::Received,
        CaseState::Accepted { deemed: false },
        CaseState::Accepted { deemed: true },
        CaseState::InReview,
        CaseState::Suspended,
    ]
    .map(|s| s.code());
    let rows = cases::Entity::find()
        .filter(cases::Column::State.is_in(open))
        .order_by_asc(cases::Column::Id)
        .all(txn)
        .await?;
    let mut changed = 0;
    for row in rows {
        let loaded = load(txn, row.id).await?;
        let state = loaded.state()?;
        if state == CaseState::Received {
            let review_due = review_due(ctx, &loaded.hours, row.received_at)?;
            let provisional = acceptance_due_provisional(ctx, review_due);
            if row.review_due_at != Some(review_due) || row.due_provisional != provisional {
                let mut model: cases::ActiveModel = row.clone().into();
                model.review_due_at = Set(Some(review_due));
                model.due_provisional = Set(provisional);
                save(
                    txn,
                    ctx,
                    Some(actor),
                    "case.recompute_review_due",
                    &row,
                    model,
                )
                .await?;
                changed += 1;
            }
            continue;
        }
        let Some(start) = row.clock_start_at else {
            continue;
        };
        if !touches(ctx, &row, year) && state != CaseState::Suspended {
            continue;
        }
        let (due_at, provisional) = due_of(txn, ctx, &loaded, start).await?;
        if due_at == row.due_at && provisional == row.due_provisional {
            continue;
        }
        let mut model: cases::ActiveModel = row.clone().into();
        model.due_at = Set(due_at);
        model.due_provisional = Set(provisional);
        if row.overdue_at.is_some() && due_at.is_some_and(|d| d >= ctx.now) {
            model.overdue_at = Set(None);
        }
        save(txn, ctx, Some(actor), "case.recompute_due", &row, model).await?;
        let cause = Cause::Calendar;
        timeliness::record_case_due(txn, row.id, ctx.now, due_at, provisional, cause).await?;
        changed += 1;
    }
    // The running stage of every case that has one (decided cases too: 送达), whatever its
    // case's due did.
    let staged = cases::Entity::find()
        .filter(cases::Column::Stage.is_not_null())
        .order_by_asc(cases::Column::Id)
        .all(txn)
        .await?;
    for row in staged {
        let loaded = load(txn, row.id).await?;
        if timeliness::recompute_stage(txn, ctx, &loaded).await? {
            changed += 1;
        }
    }
    Ok(changed)
}
