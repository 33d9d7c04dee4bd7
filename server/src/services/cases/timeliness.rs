//! The on-time record (限时办结, issue #11 point 3): every due in force — of the case and of each
//! stage with a limit — is written when it takes effect (`case_due`), and each step taken (the
//! decision, a completed stage) is judged against the due in force at that moment
//! (`rules::deadline::timeliness`) and kept (`case_step`, and `cases.decided_on_time`,
//! `cases.decision_due_at`, `cases.overdue_at` for supervision's queries). A decided case keeps
//! all of it after its due is no longer shown.

use app::api::cases::{CaseTimeliness, DueRecord, StepRecord};
use chrono::{DateTime, Utc};
use rules::{
    Due, DueChange, DueHistory, Stage, StageLimit, Suspension, Timeliness,
    deadline::{stage_due, timeliness},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};

use super::{Ctx, Loaded, deadlines::suspensions_of};
use crate::{
    error::{AppError, AppResult},
    services::audit::{self, Change},
    store::entities::{case_due, case_step, cases},
};

/// What made a due take effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cause {
    Accepted,
    DeemedAccepted,
    HandledOnTheSpot,
    StageStarted,
    Suspended,
    Resumed,
    Extended,
    Calendar,
    CorrectionRequested,
    CorrectionsComplete,
}

impl Cause {
    const ALL: [Cause; 10] = [
        Cause::Accepted,
        Cause::DeemedAccepted,
        Cause::HandledOnTheSpot,
        Cause::StageStarted,
        Cause::Suspended,
        Cause::Resumed,
        Cause::Extended,
        Cause::Calendar,
        Cause::CorrectionRequested,
        Cause::CorrectionsComplete,
    ];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Cause::Accepted => "accepted",
            Cause::DeemedAccepted => "deemed_accepted",
            Cause::HandledOnTheSpot => "handled_on_the_spot",
            Cause::StageStarted => "stage_started",
            Cause::Suspended => "suspended",
            Cause::Resumed => "resumed",
            Cause::Extended => "extended",
            Cause::Calendar => "calendar",
            Cause::CorrectionRequested => "correction_requested",
            Cause::CorrectionsComplete => "corrections_complete",
        }
    }

    fn label_zh(self) -> &'static str {
        match self {
            Cause::Accepted => "受理",
            Cause::DeemedAccepted => "视为受理",
            Cause::HandledOnTheSpot => "当场受理并办结",
            Cause::StageStarted => "环节开始",
            Cause::Suspended => "中止计时",
            Cause::Resumed => "恢复计时",
            Cause::Extended => "批准延期",
            Cause::Calendar => "工作日历更新",
            Cause::CorrectionRequested => "一次性告知补正，等待申请人补正",
            Cause::CorrectionsComplete => "补正材料收齐",
        }
    }

    fn from_code(code: &str) -> Option<Cause> {
        Cause::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The stage a case row names (stored by its Chinese name).
pub(crate) fn stage_of(row: &cases::Model) -> Option<Stage> {
    let name = row.stage.as_deref()?;
    Stage::ALL.into_iter().find(|s| s.label_zh() == name)
}

fn stage_code(stage: Stage) -> &'static str {
    match stage {
        Stage::Acceptance => "acceptance",
        Stage::Review => "review",
        Stage::Decision => "decision",
        Stage::Delivery => "delivery",
    }
}

fn stage_from_code(code: &str) -> Option<Stage> {
    Stage::ALL.into_iter().find(|s| stage_code(*s) == code)
}

const DECISION: &str = "decision";

fn step_code(stage: Stage) -> String {
    format!("stage_{}", stage_code(stage))
}

/// Records that `due_at` (`None`: clock stopped) is the case's due from `at` on.
pub(crate) async fn record_case_due(
    txn: &DatabaseTransaction,
    case_id: i64,
    at: DateTime<Utc>,
    due_at: Option<DateTime<Utc>>,
    provisional: bool,
    cause: Cause,
) -> AppResult<()> {
    record(txn, case_id, None, at, due_at, provisional, cause).await
}

async fn record(
    txn: &DatabaseTransaction,
    case_id: i64,
    stage: Option<Stage>,
    at: DateTime<Utc>,
    due_at: Option<DateTime<Utc>>,
    provisional: bool,
    cause: Cause,
) -> AppResult<()> {
    case_due::ActiveModel {
        case_id: Set(case_id),
        stage: Set(stage.map(|s| stage_code(s).to_string())),
        effective_at: Set(at),
        due_at: Set(due_at),
        due_provisional: Set(provisional),
        cause: Set(cause.code().to_string()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

fn limit_of(loaded: &Loaded, stage: Stage) -> Option<StageLimit> {
    loaded
        .item
        .stage_limits
        .iter()
        .find(|l| l.stage == stage)
        .copied()
}

/// The case's suspensions as seen from a stage that started at `start`: those over before it
/// are left out, one running at its start counts from the start.
fn within(suspensions: Vec<Suspension>, start: chrono::NaiveDateTime) -> Vec<Suspension> {
    suspensions
        .into_iter()
        .filter(|s| s.end.is_none_or(|end| end > start))
        .map(|mut s| {
            s.start = s.start.max(start);
            s
        })
        .collect()
}

/// The due of `stage` (started at `start`) with the suspensions known now, if it has a limit.
async fn stage_due_now(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
    stage: Stage,
    start: DateTime<Utc>,
) -> AppResult<Option<(Option<DateTime<Utc>>, bool)>> {
    let Some(limit) = limit_of(loaded, stage) else {
        return Ok(None);
    };
    let local_start = ctx.local(start);
    let suspensions = within(suspensions_of(txn, ctx, loaded.row.id).await?, local_start);
    let extension = super::deadlines::approved_extension(txn, ctx, loaded.row.id).await?;
    let cal = ctx.calendar.provisional();
    let due = stage_due(
        &limit,
        local_start,
        &suspensions,
        extension.as_ref(),
        &cal,
        &loaded.hours,
    )?;
    let provisional = cal.was_provisional();
    let at = match due.at() {
        Some(local) => Some(ctx.to_utc(local)?),
        None => None,
    };
    // Stage limits lie inside the promised total (各环节时限在承诺时限之内，不另行累加): no
    // stage is due after the case itself. A stage begun once the total had passed keeps its own
    // limit: the lateness is the earlier stage's, already on record.
    let total = loaded.row.due_at.filter(|total| *total > start);
    let at = at.map(|at| total.map_or(at, |total| at.min(total)));
    Ok(Some((at, provisional)))
}

/// The due in force of the case's running stage, if the item limits it: the newest recorded
/// since the stage began (`None` while the clock is stopped), so a suspension or a resumption is
/// seen as the case page shows it; a stage begun before dues were recorded gets its due computed
/// now, with the case's suspensions.
pub(crate) async fn running_stage_due(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
) -> AppResult<Option<Option<DateTime<Utc>>>> {
    let (Some(stage), Some(start)) = (stage_of(&loaded.row), loaded.row.stage_started_at) else {
        return Ok(None);
    };
    if let Some(row) = newest_stage_due(txn, loaded.row.id, stage, start).await? {
        return Ok(Some(row.due_at));
    }
    let computed = stage_due_now(txn, ctx, loaded, stage, start).await?;
    Ok(computed.map(|(due_at, _)| due_at))
}

/// The newest due recorded for `stage` since it began at `start`.
async fn newest_stage_due(
    txn: &DatabaseTransaction,
    case_id: i64,
    stage: Stage,
    start: DateTime<Utc>,
) -> AppResult<Option<case_due::Model>> {
    Ok(case_due::Entity::find()
        .filter(case_due::Column::CaseId.eq(case_id))
        .filter(case_due::Column::Stage.eq(stage_code(stage)))
        .filter(case_due::Column::EffectiveAt.gte(start))
        .order_by_desc(case_due::Column::Id)
        .one(txn)
        .await?)
}

/// After a calendar year was added or replaced: the running stage's due counted again with it,
/// and recorded when it moved (one counted into a year not yet published was provisional, like
/// the case's). Whether it moved.
pub(crate) async fn recompute_stage(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
) -> AppResult<bool> {
    let (Some(stage), Some(start)) = (stage_of(&loaded.row), loaded.row.stage_started_at) else {
        return Ok(false);
    };
    let Some((due_at, provisional)) = stage_due_now(txn, ctx, loaded, stage, start).await? else {
        return Ok(false);
    };
    // A stage with no due recorded has it counted when it is read (`running_stage_due`).
    let Some(newest) = newest_stage_due(txn, loaded.row.id, stage, start).await? else {
        return Ok(false);
    };
    if newest.due_at == due_at && newest.due_provisional == provisional {
        return Ok(false);
    }
    let (id, cause) = (loaded.row.id, Cause::Calendar);
    record(txn, id, Some(stage), ctx.now, due_at, provisional, cause).await?;
    Ok(true)
}

/// `stage` starts at `at`: its due (if the item limits it) is recorded.
pub(crate) async fn start_stage(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
    stage: Stage,
    at: DateTime<Utc>,
) -> AppResult<()> {
    if let Some((due_at, provisional)) = stage_due_now(txn, ctx, loaded, stage, at).await? {
        let (id, cause) = (loaded.row.id, Cause::StageStarted);
        record(txn, id, Some(stage), at, due_at, provisional, cause).await?;
    }
    Ok(())
}

/// The acceptance stage waits with the case while the applicant corrects (需要补正的，办理时限从
/// 全部补齐材料之时计算, Seed §二(三)二): recorded as stopped when the correction notice goes out,
/// and running again, counted afresh, from the moment the last correction came in (`loaded` as
/// it is now; its stage is the acceptance stage).
pub(crate) async fn wait_for_corrections(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
    complete: bool,
) -> AppResult<()> {
    let Some(stage) = stage_of(&loaded.row) else {
        return Ok(());
    };
    if limit_of(loaded, stage).is_none() {
        return Ok(());
    }
    let id = loaded.row.id;
    if !complete {
        return record(
            txn,
            id,
            Some(stage),
            ctx.now,
            None,
            false,
            Cause::CorrectionRequested,
        )
        .await;
    }
    if let Some((due_at, provisional)) = stage_due_now(txn, ctx, loaded, stage, ctx.now).await? {
        let cause = Cause::CorrectionsComplete;
        record(txn, id, Some(stage), ctx.now, due_at, provisional, cause).await?;
    }
    Ok(())
}

/// The running stage's due after a suspension began or ended (`loaded` as it is now).
pub(crate) async fn refresh_stage(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
    cause: Cause,
) -> AppResult<()> {
    let (Some(stage), Some(start)) = (stage_of(&loaded.row), loaded.row.stage_started_at) else {
        return Ok(());
    };
    if let Some((due_at, provisional)) = stage_due_now(txn, ctx, loaded, stage, start).await? {
        record(
            txn,
            loaded.row.id,
            Some(stage),
            ctx.now,
            due_at,
            provisional,
            cause,
        )
        .await?;
    }
    Ok(())
}

/// The history of the case's due (`stage` `None`) or of one stage, as the rules read it.
async fn history<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    case_id: i64,
    stage: Option<Stage>,
) -> AppResult<DueHistory> {
    let mut query = case_due::Entity::find().filter(case_due::Column::CaseId.eq(case_id));
    query = match stage {
        Some(s) => query.filter(case_due::Column::Stage.eq(stage_code(s))),
        None => query.filter(case_due::Column::Stage.is_null()),
    };
    let rows = query.order_by_asc(case_due::Column::Id).all(db).await?;
    Ok(DueHistory::new(
        rows.into_iter()
            .map(|r| DueChange {
                from: ctx.local(r.effective_at),
                due: r.due_at.map_or(Due::Suspended, |d| Due::At(ctx.local(d))),
            })
            .collect(),
    ))
}

/// How a step taken at `at` stood against `history`; a case with no recorded due (received
/// before dues were recorded) is judged against `fallback`, the due it carries.
fn judge(
    ctx: &Ctx,
    history: &DueHistory,
    at: DateTime<Utc>,
    fallback: Option<DateTime<Utc>>,
) -> Option<Timeliness> {
    match timeliness(history, ctx.local(at)) {
        Ok(t) => Some(t),
        Err(_) => {
            let due = ctx.local(fallback?);
            let history = DueHistory::new(vec![DueChange {
                from: ctx.local(at),
                due: Due::At(due),
            }]);
            timeliness(&history, ctx.local(at)).ok()
        }
    }
}

fn due_of(ctx: &Ctx, t: &Timeliness) -> AppResult<Option<DateTime<Utc>>> {
    match t {
        Timeliness::OnTime { due } | Timeliness::Late { due } => Ok(Some(ctx.to_utc(*due)?)),
        Timeliness::ClockStopped => Ok(None),
    }
}

async fn record_step(
    txn: &DatabaseTransaction,
    case_id: i64,
    step: String,
    at: DateTime<Utc>,
    due_at: Option<DateTime<Utc>>,
    code: &str,
) -> AppResult<()> {
    case_step::ActiveModel {
        case_id: Set(case_id),
        step: Set(step),
        done_at: Set(at),
        due_at: Set(due_at),
        timeliness: Set(code.to_string()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The running stage of `loaded` is done at `at`: kept with the due in force then, if the item
/// limits it.
pub(crate) async fn finish_stage(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let Some(stage) = stage_of(&loaded.row) else {
        return Ok(());
    };
    if limit_of(loaded, stage).is_none() {
        return Ok(());
    }
    let mut dues = history(txn, ctx, loaded.row.id, Some(stage)).await?;
    if dues.changes().is_empty()
        && let Some(start) = loaded.row.stage_started_at
        && let Some((due_at, _)) = stage_due_now(txn, ctx, loaded, stage, start).await?
    {
        // A stage begun before dues were recorded: its due as computed now.
        dues.record(
            ctx.local(start),
            due_at.map_or(Due::Suspended, |d| Due::At(ctx.local(d))),
        );
    }
    let Some(t) = judge(ctx, &dues, at, None) else {
        return Ok(());
    };
    let due_at = due_of(ctx, &t)?;
    record_step(txn, loaded.row.id, step_code(stage), at, due_at, t.code()).await
}

/// The decision taken at `at`: judged against the case's due in force then, kept as a step and
/// on the case row (`decided_on_time`, `decision_due_at`; `overdue_at` when late). Returns the
/// judgement for the caller's audit record.
pub(crate) async fn judge_decision(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
    at: DateTime<Utc>,
    model: &mut cases::ActiveModel,
) -> AppResult<Option<Timeliness>> {
    let dues = history(txn, ctx, loaded.row.id, None).await?;
    let t = judge(ctx, &dues, at, loaded.row.due_at);
    let Some(t) = t else {
        // Decided at acceptance (告知承诺制): no due was ever running, nothing was late.
        record_step(txn, loaded.row.id, DECISION.into(), at, None, "on_time").await?;
        model.decided_on_time = Set(Some(true));
        return Ok(None);
    };
    let due_at = due_of(ctx, &t)?;
    record_step(txn, loaded.row.id, DECISION.into(), at, due_at, t.code()).await?;
    model.decided_on_time = Set(Some(t.is_on_time()));
    model.decision_due_at = Set(due_at);
    if let Timeliness::Late { .. } = t
        && loaded.row.overdue_at.is_none()
    {
        model.overdue_at = Set(due_at);
    }
    Ok(Some(t))
}

/// Marks every running case whose due moment has passed as overdue (`overdue_at` = that due),
/// once, with an audit record. Not a case step: the version stays, so nobody working on the
/// case is refused for it.
pub(crate) async fn sweep_overdue(ctx: &Ctx) -> AppResult<usize> {
    let running = [
        rules::CaseState::Accepted { deemed: false },
        rules::CaseState::Accepted { deemed: true },
        rules::CaseState::InReview,
    ]
    .map(|s| s.code());
    let due: Vec<cases::Model> = cases::Entity::find()
        .filter(cases::Column::State.is_in(running))
        .filter(cases::Column::OverdueAt.is_null())
        .filter(cases::Column::DueAt.lt(ctx.now))
        .all(ctx.conn())
        .await?;
    let mut marked = 0;
    for (center, due) in super::by_center(due, |row| row.center_id) {
        marked += mark_overdue_in(ctx, center, due, running).await?;
    }
    Ok(marked)
}

async fn mark_overdue_in(
    ctx: &Ctx,
    center: i64,
    due: Vec<cases::Model>,
    running: [&'static str; 3],
) -> AppResult<usize> {
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let mut marked = 0;
            for row in due {
                let Some(due_at) = row.due_at else { continue };
                // Conditional: a concurrent sweep or step may have got there first.
                let done = cases::Entity::update_many()
                    .col_expr(cases::Column::OverdueAt, Expr::value(due_at))
                    .filter(cases::Column::Id.eq(row.id))
                    .filter(cases::Column::OverdueAt.is_null())
                    .filter(cases::Column::DueAt.eq(due_at))
                    .filter(cases::Column::State.is_in(running))
                    .exec(txn)
                    .await?;
                if done.rows_affected == 0 {
                    continue;
                }
                audit::record(
                    txn,
                    ctx.now,
                    Change {
                        actor_id: None,
                        action: "case.overdue",
                        entity: "case",
                        entity_id: row.id.to_string(),
                        before: Some(serde_json::json!({ "overdue_at": null })),
                        after: Some(serde_json::json!({
                            "number": row.number, "overdue_at": due_at,
                        })),
                    },
                )
                .await?;
                marked += 1;
            }
            Ok(marked)
        })
    })
    .await
}

/// The on-time record of a case as the API shows it.
/// [`view`] of a case received in this transaction: no due change and no step recorded yet.
pub(crate) fn view_of_new(row: &cases::Model) -> CaseTimeliness {
    CaseTimeliness {
        overdue_at: row.overdue_at,
        decision_due_at: row.decision_due_at,
        decided_on_time: row.decided_on_time,
        dues: Vec::new(),
        steps: Vec::new(),
    }
}

pub(crate) async fn view<C: ConnectionTrait>(
    db: &C,
    row: &cases::Model,
) -> AppResult<CaseTimeliness> {
    let dues = case_due::Entity::find()
        .filter(case_due::Column::CaseId.eq(row.id))
        .order_by_asc(case_due::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|d| {
            let cause = Cause::from_code(&d.cause);
            DueRecord {
                stage: d.stage.as_deref().and_then(stage_from_code),
                effective_at: d.effective_at,
                due_at: d.due_at,
                due_provisional: d.due_provisional,
                cause_label: cause.map(Cause::label_zh).unwrap_or_default().to_string(),
                cause: d.cause,
            }
        })
        .collect();
    let steps = case_step::Entity::find()
        .filter(case_step::Column::CaseId.eq(row.id))
        .order_by_asc(case_step::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(step_record)
        .collect::<AppResult<_>>()?;
    Ok(CaseTimeliness {
        overdue_at: row.overdue_at,
        decision_due_at: row.decision_due_at,
        decided_on_time: row.decided_on_time,
        dues,
        steps,
    })
}

fn step_record(s: case_step::Model) -> AppResult<StepRecord> {
    let label = match s.step.strip_prefix("stage_").and_then(stage_from_code) {
        Some(stage) => format!("{}环节", stage.label_zh()),
        None if s.step == DECISION => "作出决定".to_string(),
        None => {
            return Err(AppError::internal(anyhow::anyhow!(
                "case step {} is {}",
                s.id,
                s.step
            )));
        }
    };
    let (on_time, timeliness_label) = match s.timeliness.as_str() {
        "on_time" => (true, "按时"),
        "late" => (false, "超期"),
        "clock_stopped" => (true, "暂停计时期间"),
        other => {
            return Err(AppError::internal(anyhow::anyhow!(
                "case step {} timeliness {other}",
                s.id
            )));
        }
    };
    Ok(StepRecord {
        step: s.step,
        label,
        done_at: s.done_at,
        due_at: s.due_at,
        timeliness: s.timeliness,
        timeliness_label: timeliness_label.to_string(),
        on_time,
    })
}
