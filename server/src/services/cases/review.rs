//! The acceptance review (一次性告知, 行政许可法 第三十二条): a verdict for every material, the
//! outcome exactly as the rules decide, and its notice — all in one transaction. Corrections
//! received restart the review; a later correction notice may only repeat the first one's items
//! unless the chief representative approved a new one (recorded as a breach of the one-time rule).

use std::collections::BTreeSet;

use app::api::{
    cases::{
        CaseDetail, CorrectionReceipt, OneTimeExceptionRecord, OneTimeExceptionRequest,
        ReviewRequest, ReviewResult,
    },
    catalog::LimitSpec,
    notices::{NoticeKind, NoticeSummary},
};
use rules::{
    CaseEvent, CaseState, ClockStartBasis,
    review::{
        CommitmentTerms, Deficiency, DeficiencyKind, ItemKind, NewItemApproval, OneTimeCheck,
        ReviewInput, ReviewOutcome, check_one_time_rule,
    },
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    Ctx, Loaded,
    clock::{clock_start_of, due_of, to_local},
    ensure_chief_of, ensure_clerk_of, ensure_version, load, save, transition, views,
};
use crate::{
    auth::Principal,
    error::{AppError, AppResult},
    services::{
        audit::{self, Change},
        notices::{self, NoticeBody, NoticeData, data::DeficiencyLine},
        violations,
    },
    state::AppState,
    store::entities::{case_correction, case_review, cases, one_time_exception, staff},
};

/// The notice header every case notice shares.
pub(crate) fn notice_data(
    ctx: &Ctx,
    loaded: &Loaded,
    unit_name: &str,
    kind: NoticeKind,
    body: NoticeBody,
) -> NoticeData {
    NoticeData {
        kind,
        number: String::new(),
        title: String::new(),
        issued_on: to_local(ctx, ctx.now).date(),
        licensing: loaded.item.category == app::api::catalog::ItemCategory::Licensing,
        unit_name: unit_name.to_string(),
        center_name: loaded.center.name.clone(),
        center_address: loaded.center.address.clone(),
        center_phone: loaded.center.phone.clone(),
        applicant_name: loaded.row.applicant_name.clone(),
        case_number: loaded.row.number.clone(),
        item_code: loaded.item.code.clone(),
        item_name: loaded.item.name.clone(),
        received_on: to_local(ctx, loaded.row.received_at).date(),
        body,
    }
}

/// Issues a notice for the case and returns its summary.
pub(crate) async fn issue(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: i64,
    loaded: &Loaded,
    kind: NoticeKind,
    body: NoticeBody,
) -> AppResult<NoticeSummary> {
    let data = notice_data(ctx, loaded, &loaded.item.unit_name, kind, body);
    let row = notices::issue(
        txn,
        ctx.tz,
        ctx.now,
        actor,
        loaded.row.unit_id,
        Some(loaded.row.id),
        data,
    )
    .await?;
    notices::summary(txn, &row).await
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

/// The keys of the first correction notice of the case, if there was one.
async fn first_correction_keys(
    txn: &DatabaseTransaction,
    case_id: i64,
) -> AppResult<Option<Vec<String>>> {
    let first = case_review::Entity::find()
        .filter(case_review::Column::CaseId.eq(case_id))
        .filter(case_review::Column::Outcome.eq("correction_required"))
        .order_by_asc(case_review::Column::Round)
        .one(txn)
        .await?;
    match first {
        None => Ok(None),
        Some(r) => match serde_json::from_str(&r.outcome_detail).map_err(AppError::internal)? {
            ReviewOutcome::CorrectionRequired { deficiencies } => {
                Ok(Some(deficiencies.into_iter().map(|d| d.key).collect()))
            }
            _ => Ok(None),
        },
    }
}

pub async fn review(
    state: &AppState,
    p: &Principal,
    case_id: i64,
    req: ReviewRequest,
) -> AppResult<ReviewResult> {
    let ctx = Ctx::of(state).await?;
    let p = p.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let loaded = load(txn, case_id).await?;
                ensure_clerk_of(&p, &loaded.row)?;
                ensure_version(txn, &ctx, &loaded, req.version).await?;
                let current = loaded.state()?;
                if !matches!(current, CaseState::Received | CaseState::CorrectionRequested) {
                    return Err(AppError::conflict(
                        "illegal_transition",
                        format!("案件当前状态为「{}」，不能进行受理审查", current.label_zh()),
                    ));
                }
                let item = &loaded.item;
                if req.commitment_signed && item.commitment.is_none() {
                    return Err(AppError::invalid("not_a_commitment_item", "该事项不适用告知承诺制").with_field("commitment_signed"));
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
                    reviewed_on: to_local(&ctx, ctx.now).date(),
                };
                let outcome = rules::review::review(&item.material_specs(), &input, &ctx.calendar.provisional())?;

                let round = case_review::Entity::find()
                    .filter(case_review::Column::CaseId.eq(case_id))
                    .all(txn)
                    .await?
                    .len() as i32
                    + 1;
                let row = &loaded.row;
                let mut model: cases::ActiveModel = row.clone().into();
                let mut pending_notices: Vec<(NoticeKind, NoticeBody)> = Vec::new();
                let action;
                match &outcome {
                    ReviewOutcome::CorrectionRequired { deficiencies } => {
                        let next = transition(current, CaseEvent::RequestCorrection)?;
                        let later: Vec<String> = deficiencies.iter().map(|d| d.key.clone()).collect();
                        let mut exception_reason = None;
                        if let Some(first) = first_correction_keys(txn, case_id).await? {
                            let new_keys: Vec<String> = later.iter().filter(|k| !first.contains(k)).cloned().collect();
                            let approved = approved_exception_covering(txn, case_id, &new_keys).await?;
                            let approval = approved.as_ref().map(|(ex, chief)| NewItemApproval {
                                reason: ex.reason.clone(),
                                approved_by: chief.clone(),
                            });
                            match check_one_time_rule(&first, &later, approval.as_ref())? {
                                OneTimeCheck::Compliant => {}
                                OneTimeCheck::RecordedBreach(breach) => {
                                    let (ex, _) = approved.expect("a recorded breach has an approval");
                                    let mut used: one_time_exception::ActiveModel = ex.into();
                                    used.status = Set("used".into());
                                    used.update(txn).await?;
                                    violations::record(
                                        txn,
                                        ctx.now,
                                        violations::Kind::OneTimeRuleBreach,
                                        row.center_id,
                                        row.unit_id,
                                        Some(p.id),
                                        Some(row.id),
                                        None,
                                        format!(
                                            "办件 {} 的补正告知新增了首次告知未列明的材料（{}），经首席代表{}批准，理由：{}",
                                            row.number,
                                            breach.new_items.join("、"),
                                            breach.approved_by,
                                            breach.reason
                                        ),
                                    )
                                    .await?;
                                    exception_reason = Some(breach.reason);
                                }
                            }
                        }
                        model.state = Set(next.code().to_string());
                        if row.first_correction_at.is_none() {
                            model.first_correction_at = Set(Some(ctx.now));
                        }
                        pending_notices.push((
                            NoticeKind::CorrectionNotice,
                            NoticeBody::Correction {
                                deficiencies: deficiency_lines(deficiencies),
                                exception_reason,
                            },
                        ));
                        action = "case.correction_requested";
                    }
                    ReviewOutcome::Accept | ReviewOutcome::AcceptAndHandleOnSpot => {
                        let next = transition(current, CaseEvent::Accept)?;
                        let basis = match row.last_correction_at {
                            Some(at) => ClockStartBasis::AcceptedAfterCorrection {
                                last_correction_received_at: to_local(&ctx, at),
                            },
                            None => ClockStartBasis::Accepted {
                                accepted_at: to_local(&ctx, ctx.now),
                            },
                        };
                        let start = clock_start_of(&ctx, row, &basis)?;
                        let (due_at, provisional) = due_of(txn, &ctx, &loaded, start).await?;
                        model.state = Set(next.code().to_string());
                        model.accepted_at = Set(Some(ctx.now));
                        model.clock_start_at = Set(Some(start));
                        model.due_at = Set(due_at);
                        model.due_provisional = Set(provisional);
                        model.stage = Set(Some(rules::Stage::Review.label_zh().to_string()));
                        model.stage_started_at = Set(Some(ctx.now));
                        pending_notices.push((
                            NoticeKind::AcceptanceNotice,
                            NoticeBody::Acceptance {
                                accepted_on: to_local(&ctx, ctx.now).date(),
                                limit_label: item.time_limit.promised_label(),
                                due: due_at.map(|d| to_local(&ctx, d)),
                                due_provisional: provisional,
                                deemed: false,
                            },
                        ));
                        action = "case.accepted";
                    }
                    ReviewOutcome::NotAccepted { ground, competent_authority } => {
                        let next = transition(current, CaseEvent::RefuseAcceptance)?;
                        model.state = Set(next.code().to_string());
                        model.stage = Set(None);
                        pending_notices.push((
                            NoticeKind::NonAcceptanceNotice,
                            NoticeBody::NonAcceptance {
                                ground: ground.label_zh().to_string(),
                                competent_authority: competent_authority.clone(),
                            },
                        ));
                        action = "case.not_accepted";
                    }
                    ReviewOutcome::CommitmentDecision { follow_up_check, deferred_materials } => {
                        let next = transition(current, CaseEvent::DecideOnCommitment)?;
                        let terms = item.commitment.clone().expect("checked above");
                        model.state = Set(next.code().to_string());
                        model.accepted_at = Set(Some(ctx.now));
                        model.clock_start_at = Set(Some(ctx.now));
                        model.decided_at = Set(Some(ctx.now));
                        model.decision = Set(Some("approved".into()));
                        model.follow_up_check_on = Set(Some(*follow_up_check));
                        model.stage = Set(Some(rules::Stage::Delivery.label_zh().to_string()));
                        model.stage_started_at = Set(Some(ctx.now));
                        model.due_at = Set(None);
                        pending_notices.push((
                            NoticeKind::CommitmentNotice,
                            NoticeBody::Commitment {
                                standards: terms.standards.clone(),
                                deferred_materials: deferred_materials
                                    .iter()
                                    .map(|key| {
                                        item.materials
                                            .iter()
                                            .find(|m| &m.key == key)
                                            .map_or_else(|| key.clone(), |m| m.name.clone())
                                    })
                                    .collect(),
                                deferred_within_working_days: terms.deferred_within_working_days,
                                follow_up_check_on: *follow_up_check,
                            },
                        ));
                        pending_notices.push((
                            NoticeKind::ApprovalDecision,
                            NoticeBody::Approval {
                                decided_on: to_local(&ctx, ctx.now).date(),
                                content: format!("准予办理“{}”（告知承诺制）。", item.name),
                            },
                        ));
                        action = "case.commitment_decided";
                    }
                }
                case_review::ActiveModel {
                    case_id: Set(case_id),
                    round: Set(round),
                    verdicts: Set(serde_json::to_string(&req.verdicts).map_err(AppError::internal)?),
                    outcome: Set(outcome.code().to_string()),
                    outcome_detail: Set(serde_json::to_string(&outcome).map_err(AppError::internal)?),
                    reviewed_by: Set(p.id),
                    reviewed_at: Set(ctx.now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                save(txn, &ctx, Some(p.id), action, row, model).await?;
                let loaded = load(txn, case_id).await?;
                let mut issued = Vec::new();
                for (kind, body) in pending_notices {
                    issued.push(issue(txn, &ctx, p.id, &loaded, kind, body).await?);
                }
                Ok(ReviewResult {
                    outcome,
                    case: views::detail_of(txn, &ctx, &loaded).await?,
                    notices: issued,
                })
            })
        })
        .await
}

/// An approved, unused exception that covers every one of `new_keys`, with the approver's name.
async fn approved_exception_covering(
    txn: &DatabaseTransaction,
    case_id: i64,
    new_keys: &[String],
) -> AppResult<Option<(one_time_exception::Model, String)>> {
    if new_keys.is_empty() {
        return Ok(None);
    }
    let approved = one_time_exception::Entity::find()
        .filter(one_time_exception::Column::CaseId.eq(case_id))
        .filter(one_time_exception::Column::Status.eq("approved"))
        .all(txn)
        .await?;
    for ex in approved {
        let keys: BTreeSet<String> =
            serde_json::from_str(&ex.material_keys).map_err(AppError::internal)?;
        if new_keys.iter().all(|k| keys.contains(k)) {
            let chief = match ex.approved_by {
                Some(id) => staff::Entity::find_by_id(id)
                    .one(txn)
                    .await?
                    .map(|s| s.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            return Ok(Some((ex, chief)));
        }
    }
    Ok(None)
}

/// Records corrected materials handed in; the clock will start from the last of them.
pub async fn receive_correction(
    state: &AppState,
    p: &Principal,
    case_id: i64,
    req: CorrectionReceipt,
) -> AppResult<CaseDetail> {
    let ctx = Ctx::of(state).await?;
    let p = p.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let loaded = load(txn, case_id).await?;
                ensure_clerk_of(&p, &loaded.row)?;
                ensure_version(txn, &ctx, &loaded, req.version).await?;
                if loaded.state()? != CaseState::CorrectionRequested {
                    return Err(AppError::conflict(
                        "illegal_transition",
                        "只有待补正的办件可以接收补正材料",
                    ));
                }
                if req.material_keys.is_empty() {
                    return Err(AppError::invalid("required", "请选择收到的补正材料")
                        .with_field("material_keys"));
                }
                for key in &req.material_keys {
                    if !loaded.item.materials.iter().any(|m| &m.key == key) {
                        return Err(AppError::invalid(
                            "unknown_materials",
                            format!("该事项没有材料“{key}”"),
                        )
                        .with_field("material_keys"));
                    }
                }
                case_correction::ActiveModel {
                    case_id: Set(case_id),
                    material_keys: Set(
                        serde_json::to_string(&req.material_keys).map_err(AppError::internal)?
                    ),
                    received_by: Set(p.id),
                    received_at: Set(ctx.now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                let mut model: cases::ActiveModel = loaded.row.clone().into();
                model.last_correction_at = Set(Some(ctx.now));
                save(
                    txn,
                    &ctx,
                    Some(p.id),
                    "case.correction_received",
                    &loaded.row,
                    model,
                )
                .await?;
                let loaded = load(txn, case_id).await?;
                views::detail_of(txn, &ctx, &loaded).await
            })
        })
        .await
}

/// A clerk asks the chief representative to let a later notice name a material the first did
/// not (一次性告知 exception).
pub async fn request_exception(
    state: &AppState,
    p: &Principal,
    case_id: i64,
    req: OneTimeExceptionRequest,
) -> AppResult<OneTimeExceptionRecord> {
    let ctx = Ctx::of(state).await?;
    let p = p.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let loaded = load(txn, case_id).await?;
                ensure_clerk_of(&p, &loaded.row)?;
                if loaded.state()? != CaseState::CorrectionRequested {
                    return Err(AppError::conflict("illegal_transition", "只有已发出补正告知的办件需要补充告知"));
                }
                let reason = req.reason.trim().to_string();
                if reason.is_empty() {
                    return Err(AppError::invalid("missing_reason", "请说明需要补充告知的理由").with_field("reason"));
                }
                let first = first_correction_keys(txn, case_id).await?.unwrap_or_default();
                if req.material_keys.is_empty() {
                    return Err(AppError::invalid("required", "请选择需要补充告知的材料").with_field("material_keys"));
                }
                for key in &req.material_keys {
                    if !loaded.item.materials.iter().any(|m| &m.key == key) {
                        return Err(AppError::invalid("unknown_materials", format!("该事项没有材料“{key}”")).with_field("material_keys"));
                    }
                    if first.contains(key) {
                        return Err(AppError::invalid("already_on_first_notice", "该材料已在首次补正告知中列明，无需批准")
                            .with_field("material_keys"));
                    }
                }
                let row = one_time_exception::ActiveModel {
                    case_id: Set(case_id),
                    material_keys: Set(serde_json::to_string(&req.material_keys).map_err(AppError::internal)?),
                    reason: Set(reason),
                    requested_by: Set(p.id),
                    requested_at: Set(ctx.now),
                    status: Set("pending".into()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit::record(
                    txn,
                    ctx.now,
                    Change {
                        actor_id: Some(p.id),
                        action: "case.one_time_exception_requested",
                        entity: "one_time_exception",
                        entity_id: row.id.to_string(),
                        before: None,
                        after: Some(serde_json::json!({ "case_id": case_id, "material_keys": req.material_keys, "reason": row.reason })),
                    },
                )
                .await?;
                exception_record(txn, row).await
            })
        })
        .await
}

async fn exception_record(
    txn: &DatabaseTransaction,
    row: one_time_exception::Model,
) -> AppResult<OneTimeExceptionRecord> {
    let case = cases::Entity::find_by_id(row.case_id).one(txn).await?;
    let by = staff::Entity::find_by_id(row.requested_by).one(txn).await?;
    Ok(OneTimeExceptionRecord {
        id: row.id,
        case_id: row.case_id,
        case_number: case.map(|c| c.number).unwrap_or_default(),
        material_keys: serde_json::from_str(&row.material_keys).map_err(AppError::internal)?,
        reason: row.reason,
        requested_by: by.map(|s| s.name).unwrap_or_default(),
        requested_at: row.requested_at,
        status: row.status,
    })
}

/// The chief representative approves or refuses an exception for their unit.
pub async fn approve_exception(
    state: &AppState,
    p: &Principal,
    id: i64,
    approve: bool,
) -> AppResult<OneTimeExceptionRecord> {
    let now = state.now();
    let p = p.clone();
    state
        .db
        .write(move |txn| {
            Box::pin(async move {
                let row = one_time_exception::Entity::find_by_id(id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::not_found("补充告知申请"))?;
                let case = cases::Entity::find_by_id(row.case_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::not_found("办件"))?;
                ensure_chief_of(&p, case.unit_id)?;
                if row.status != "pending" {
                    return Err(AppError::conflict("already_decided", "该申请已处理"));
                }
                let mut model: one_time_exception::ActiveModel = row.into();
                model.status = Set(if approve { "approved" } else { "refused" }.into());
                model.approved_by = Set(Some(p.id));
                model.approved_at = Set(Some(now));
                let row = model.update(txn).await?;
                audit::record(
                    txn,
                    now,
                    Change {
                        actor_id: Some(p.id),
                        action: if approve {
                            "case.one_time_exception_approved"
                        } else {
                            "case.one_time_exception_refused"
                        },
                        entity: "one_time_exception",
                        entity_id: id.to_string(),
                        before: Some(serde_json::json!({ "status": "pending" })),
                        after: Some(serde_json::json!({ "status": row.status })),
                    },
                )
                .await?;
                exception_record(txn, row).await
            })
        })
        .await
}

/// Exceptions waiting for this chief representative's unit.
pub async fn pending_exceptions(
    state: &AppState,
    p: &Principal,
) -> AppResult<Vec<OneTimeExceptionRecord>> {
    let Some(unit_id) = p.unit_id else {
        return Ok(Vec::new());
    };
    let case_ids: Vec<i64> = cases::Entity::find()
        .filter(cases::Column::UnitId.eq(unit_id))
        .filter(cases::Column::State.eq(CaseState::CorrectionRequested.code()))
        .all(&state.db.conn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let rows = one_time_exception::Entity::find()
        .filter(one_time_exception::Column::CaseId.is_in(case_ids))
        .filter(one_time_exception::Column::Status.eq("pending"))
        .order_by_asc(one_time_exception::Column::Id)
        .all(&state.db.conn)
        .await?;
    let mut out = Vec::new();
    for row in rows {
        out.push(exception_record_read(state, row).await?);
    }
    Ok(out)
}

async fn exception_record_read(
    state: &AppState,
    row: one_time_exception::Model,
) -> AppResult<OneTimeExceptionRecord> {
    let case = cases::Entity::find_by_id(row.case_id)
        .one(&state.db.conn)
        .await?;
    let by = staff::Entity::find_by_id(row.requested_by)
        .one(&state.db.conn)
        .await?;
    Ok(OneTimeExceptionRecord {
        id: row.id,
        case_id: row.case_id,
        case_number: case.map(|c| c.number).unwrap_or_default(),
        material_keys: serde_json::from_str(&row.material_keys).map_err(AppError::internal)?,
        reason: row.reason,
        requested_by: by.map(|s| s.name).unwrap_or_default(),
        requested_at: row.requested_at,
        status: row.status,
    })
}
