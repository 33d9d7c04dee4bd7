//! The acceptance review (一次性告知, 行政许可法 第三十二条): a verdict for every material, the
//! outcome exactly as the rules decide, and its notice — all in one transaction. Corrections
//! received restart the review; a later correction notice may only repeat the first one's items
//! unless the chief representative approved a new one (recorded as a breach of the one-time rule).

mod corrections;
mod exceptions;
mod one_time;

use app::api::{
    cases::{ReviewRequest, ReviewResult},
    catalog::LimitSpec,
    notices::NoticeKind,
};
use rules::{
    CaseEvent, CaseState, ClockStartBasis, WorkingDays,
    review::{CommitmentTerms, Deficiency, DeficiencyKind, ItemKind, ReviewInput, ReviewOutcome},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};

pub use corrections::receive_correction;
pub(super) use corrections::{correction_progress, corrections_complete};
pub use exceptions::{approve_exception, pending_exceptions, request_exception};

use super::{
    Ctx, Loaded, Principal, center_of,
    deadlines::{clock_start_of, due_of},
    ensure_clerk_of, ensure_version, load,
    notice::{acceptance_body, issue},
    save,
    timeliness::{self, Cause},
    transition, views,
};
use crate::{
    error::{AppError, AppResult},
    services::notices::{NoticeBody, data::DeficiencyLine},
    store::{
        documents,
        entities::{case_review, cases},
    },
};

/// What one review outcome changes: the case row, the notices to issue, the audit action, and
/// the due it puts in force (with its provisional flag and the moment it took effect).
struct Step {
    model: cases::ActiveModel,
    notices: Vec<(NoticeKind, NoticeBody)>,
    action: &'static str,
    due: Option<Starts>,
    /// The stage the case enters.
    enters: Option<rules::Stage>,
}

/// The due a review outcome starts: in force from `from`.
struct Starts {
    from: chrono::DateTime<chrono::Utc>,
    due_at: Option<chrono::DateTime<chrono::Utc>>,
    provisional: bool,
    cause: Cause,
}

pub async fn review(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    req: ReviewRequest,
) -> AppResult<ReviewResult> {
    let p = p.clone();
    let center = center_of(ctx, case_id).await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let loaded = load(txn, case_id).await?;
            ensure_clerk_of(&p, &loaded.row)?;
            ensure_version(txn, &ctx, &loaded, req.version).await?;
            let current = loaded.state()?;
            if !matches!(
                current,
                CaseState::Received | CaseState::CorrectionRequested
            ) {
                return Err(AppError::conflict(
                    "illegal_transition",
                    format!("案件当前状态为「{}」，不能进行受理审查", current.label_zh()),
                ));
            }
            let outcome = outcome_of(&ctx, &loaded, &req)?;
            if current == CaseState::CorrectionRequested {
                corrections::ensure_corrections_in(txn, case_id, &outcome).await?;
            }
            let mut step = match &outcome {
                ReviewOutcome::CorrectionRequired { deficiencies } => {
                    let next = transition(current, CaseEvent::RequestCorrection)?;
                    one_time::request_correction(txn, &ctx, &p, &loaded, next, deficiencies).await?
                }
                ReviewOutcome::Accept => {
                    accept(txn, &ctx, &loaded, transition(current, CaseEvent::Accept)?).await?
                }
                ReviewOutcome::AcceptAndHandleOnSpot => {
                    let next = transition(current, CaseEvent::HandleOnTheSpot)?;
                    handle_on_the_spot(txn, &ctx, &loaded, next).await?
                }
                ReviewOutcome::NotAccepted {
                    ground,
                    competent_authority,
                } => {
                    let next = transition(current, CaseEvent::RefuseAcceptance)?;
                    let mut model: cases::ActiveModel = loaded.row.clone().into();
                    model.state = Set(next.code().to_string());
                    model.stage = Set(None);
                    let body = NoticeBody::NonAcceptance {
                        ground: ground.label_zh().to_string(),
                        competent_authority: competent_authority.clone(),
                    };
                    Step {
                        model,
                        notices: vec![(NoticeKind::NonAcceptanceNotice, body)],
                        action: "case.not_accepted",
                        due: None,
                        enters: None,
                    }
                }
                ReviewOutcome::CommitmentDecision {
                    follow_up_check,
                    deferred_materials,
                } => {
                    let next = transition(current, CaseEvent::DecideOnCommitment)?;
                    let terms = (*follow_up_check, deferred_materials.as_slice());
                    decide_on_commitment(txn, &ctx, &loaded, next, terms).await?
                }
            };
            if matches!(
                outcome,
                ReviewOutcome::AcceptAndHandleOnSpot | ReviewOutcome::CommitmentDecision { .. }
            ) {
                // Decided at the review, by the clerk who reviewed.
                step.model.decided_by = Set(Some(p.id));
            }
            record_review(txn, &ctx, p.id, case_id, &req, &outcome).await?;
            if !matches!(outcome, ReviewOutcome::CorrectionRequired { .. }) {
                // Every other outcome ends the acceptance stage.
                timeliness::finish_stage(txn, &ctx, &loaded, ctx.now).await?;
            }
            save(txn, &ctx, Some(p.id), step.action, &loaded.row, step.model).await?;
            let loaded = load(txn, case_id).await?;
            if let Some(starts) = step.due {
                let (id, due_at) = (case_id, starts.due_at);
                let (from, provisional) = (starts.from, starts.provisional);
                timeliness::record_case_due(txn, id, from, due_at, provisional, starts.cause)
                    .await?;
            }
            if let Some(stage) = step.enters {
                timeliness::start_stage(txn, &ctx, &loaded, stage, ctx.now).await?;
            }
            if matches!(outcome, ReviewOutcome::CorrectionRequired { .. }) {
                // The applicant's turn: the acceptance stage waits with the case.
                timeliness::wait_for_corrections(txn, &ctx, &loaded, false).await?;
            }
            let mut notices = Vec::new();
            for (kind, body) in step.notices {
                notices.push(issue(txn, &ctx, p.id, &loaded, kind, body).await?);
            }
            Ok(ReviewResult {
                outcome,
                case: views::detail_of(txn, &ctx, &loaded).await?,
                notices,
            })
        })
    })
    .await
}

/// The rules' outcome of the clerk's verdicts for this item.
fn outcome_of(ctx: &Ctx, loaded: &Loaded, req: &ReviewRequest) -> AppResult<ReviewOutcome> {
    let item = &loaded.item;
    if req.commitment_signed && item.commitment.is_none() {
        return Err(
            AppError::invalid("not_a_commitment_item", "该事项不适用告知承诺制")
                .with_field("commitment_signed"),
        );
    }
    let input = ReviewInput {
        verdicts: req.verdicts.clone(),
        conditions_apply: req.conditions_apply.clone(),
        jurisdiction: req.jurisdiction.clone(),
        item_kind: match item.time_limit {
            LimitSpec::Immediate { .. } => ItemKind::Immediate,
            LimitSpec::Promised { .. } => ItemKind::Promised,
        },
        commitment: match (&item.commitment, req.commitment_signed) {
            (Some(c), true) => Some(CommitmentTerms {
                signed: true,
                follow_up_after_working_days: c.follow_up_after_working_days,
                deferred_materials: c.deferred_materials.clone(),
            }),
            _ => None,
        },
        reviewed_on: ctx.today(),
        received_on: Some(ctx.local(loaded.row.received_at).date()),
    };
    let calendar = ctx.calendar.provisional();
    Ok(rules::review::review(
        &item.material_specs(),
        &input,
        &calendar,
    )?)
}

/// Keeps the review round: every verdict and the outcome.
async fn record_review(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: i64,
    case_id: i64,
    req: &ReviewRequest,
    outcome: &ReviewOutcome,
) -> AppResult<()> {
    let earlier = case_review::Entity::find()
        .filter(case_review::Column::CaseId.eq(case_id))
        .count(txn)
        .await?;
    case_review::ActiveModel {
        case_id: Set(case_id),
        round: Set(earlier as i32 + 1),
        verdicts: Set(documents::review_verdicts_json(&req.verdicts)?),
        outcome: Set(outcome.code().to_string()),
        outcome_detail: Set(documents::review_outcome_json(outcome)?),
        reviewed_by: Set(actor),
        reviewed_at: Set(ctx.now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Accepted: the clock starts (from the last correction if there was one) and the acceptance
/// notice states the due moment.
async fn accept(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
    next: CaseState,
) -> AppResult<Step> {
    let row = &loaded.row;
    let basis = match row.last_correction_at {
        Some(at) => ClockStartBasis::AcceptedAfterCorrection {
            last_correction_received_at: ctx.local(at),
        },
        None => ClockStartBasis::Accepted {
            accepted_at: ctx.local_now(),
        },
    };
    let start = clock_start_of(ctx, row, &basis)?;
    let (due_at, provisional) = due_of(txn, ctx, loaded, start).await?;
    let mut model: cases::ActiveModel = row.clone().into();
    model.state = Set(next.code().to_string());
    model.accepted_at = Set(Some(ctx.now));
    model.clock_start_at = Set(Some(start));
    model.due_at = Set(due_at);
    model.due_provisional = Set(provisional);
    model.stage = Set(Some(rules::Stage::Review.label_zh().to_string()));
    model.stage_started_at = Set(Some(ctx.now));
    let body = acceptance_body(ctx, loaded, &basis, due_at, provisional);
    Ok(Step {
        model,
        notices: vec![(NoticeKind::AcceptanceNotice, body)],
        action: "case.accepted",
        due: Some(Starts {
            from: ctx.now,
            due_at,
            provisional,
            cause: Cause::Accepted,
        }),
        enters: Some(rules::Stage::Review),
    })
}

/// 即办件 complete and lawful: accepted and handled on the spot in one step — the clock starts
/// (from the last correction if there was one), its minutes are business minutes, and the
/// result is issued at once with the acceptance notice; the decision is judged against that due.
/// Source: Seed §二(一)三 (即办业务必须当场办理), §二(二); issue #11 point 4.
async fn handle_on_the_spot(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
    next: CaseState,
) -> AppResult<Step> {
    let mut step = accept(txn, ctx, loaded, next).await?;
    let starts = step
        .due
        .take()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("an acceptance starts a due")))?;
    // The due in force at the decision is the one this step starts: record it first.
    let (id, cause) = (loaded.row.id, Cause::HandledOnTheSpot);
    let (from, due_at, provisional) = (starts.from, starts.due_at, starts.provisional);
    timeliness::record_case_due(txn, id, from, due_at, provisional, cause).await?;
    step.enters = Some(rules::Stage::Delivery);
    let model = &mut step.model;
    model.decided_at = Set(Some(ctx.now));
    model.decision = Set(Some(rules::Decision::Approved.code().to_string()));
    model.stage = Set(Some(rules::Stage::Delivery.label_zh().to_string()));
    timeliness::judge_decision(txn, ctx, loaded, ctx.now, model).await?;
    // The acceptance notice of an item handled on the spot states no due: it is done.
    for (_, body) in &mut step.notices {
        if let NoticeBody::Acceptance { due, .. } = body {
            *due = None;
        }
    }
    step.notices.push((
        NoticeKind::ApprovalDecision,
        NoticeBody::Approval {
            decided_on: ctx.today(),
            content: format!("准予办理“{}”（即办件，当场办结）。", loaded.item.name),
        },
    ));
    step.action = "case.handled_on_the_spot";
    Ok(step)
}

/// 告知承诺制: the signed commitment gives the decision at once, with a follow-up check.
async fn decide_on_commitment(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
    next: CaseState,
    (follow_up_check, deferred_materials): (chrono::NaiveDate, &[String]),
) -> AppResult<Step> {
    let item = &loaded.item;
    let terms = item
        .commitment
        .clone()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("commitment decision without terms")))?;
    let mut model: cases::ActiveModel = loaded.row.clone().into();
    model.state = Set(next.code().to_string());
    model.accepted_at = Set(Some(ctx.now));
    model.clock_start_at = Set(Some(ctx.now));
    model.decided_at = Set(Some(ctx.now));
    model.decision = Set(Some(rules::Decision::Approved.code().to_string()));
    model.follow_up_check_on = Set(Some(follow_up_check));
    model.stage = Set(Some(rules::Stage::Delivery.label_zh().to_string()));
    model.stage_started_at = Set(Some(ctx.now));
    model.due_at = Set(None);
    timeliness::judge_decision(txn, ctx, loaded, ctx.now, &mut model).await?;
    let material_name = |key: &String| {
        item.materials
            .iter()
            .find(|m| &m.key == key)
            .map_or_else(|| key.clone(), |m| m.name.clone())
    };
    // The day the deferred materials are due, in working days after the decision.
    let within = terms.deferred_within_working_days;
    let deferred_by = (!deferred_materials.is_empty())
        .then(|| {
            ctx.calendar
                .provisional()
                .add_working_days(ctx.today(), within)
        })
        .transpose()?;
    let commitment = NoticeBody::Commitment {
        standards: terms.standards.clone(),
        deferred_materials: deferred_materials.iter().map(material_name).collect(),
        deferred_within_working_days: within,
        follow_up_check_on: follow_up_check,
        legal_basis: Some(item.legal_basis.clone()).filter(|b| !b.trim().is_empty()),
        deferred_by,
    };
    let approval = NoticeBody::Approval {
        decided_on: ctx.today(),
        content: format!("准予办理“{}”（告知承诺制）。", item.name),
    };
    Ok(Step {
        model,
        notices: vec![
            (NoticeKind::CommitmentNotice, commitment),
            (NoticeKind::ApprovalDecision, approval),
        ],
        action: "case.commitment_decided",
        due: None,
        enters: Some(rules::Stage::Delivery),
    })
}

fn deficiency_lines(deficiencies: &[Deficiency]) -> Vec<DeficiencyLine> {
    deficiencies
        .iter()
        .map(|d| DeficiencyLine {
            material: d.name.clone(),
            problem: match &d.kind {
                DeficiencyKind::Missing => "缺少，请补交".into(),
                DeficiencyKind::Nonconforming { reason } => {
                    format!("不符合法定形式（{reason}），请补正")
                }
            },
        })
        .collect()
}
