//! After acceptance: the stages (审查 → 决定 → 送达), special procedures that stop the clock
//! (行政许可法 第四十五条), the one extension (第四十二条), the decision, delivery and closing with
//! the owner's feedback; or the applicant's withdrawal.

use app::api::catalog::LimitSpec;
use app::api::{
    cases::{
        ApprovalDecisionInput, CaseDetail, CloseRequest, DecisionRequest, DeliveryRequest,
        ExtensionRecord, ExtensionRequest, ResumeRequest, SuspendRequest, WithdrawRequest,
    },
    notices::NoticeKind,
    validate::required_text,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rules::{
    CaseEvent, CaseState, DeadlineError, Decision, Extension, RequestEvent, RequestKind, Stage,
    Suspension, SuspensionStart, check_extension_request, check_new_suspension, check_resume,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, JoinType, Order, QueryFilter,
    QueryOrder, QuerySelect, RelationDef, Set, sea_query::Expr,
};

use super::{
    Ctx, Loaded, Principal, center_of,
    deadlines::{deadline_of, due_of, suspension},
    ensure_clerk_of, ensure_version, load,
    notice::issue,
    save,
    timeliness::{self, Cause},
    views,
};
use crate::{
    error::{AppError, AppResult},
    services::{
        audit::{self, Change},
        found,
        notices::NoticeBody,
        paging::{Page, PageRequest},
    },
    store::{
        columns::RequestStatus,
        documents,
        entities::{case_extension, case_suspension, cases, staff},
    },
};

/// Runs one step on a case as one of its unit's clerks: load, authorise, check the version,
/// then `step`, then answer with the case as it now is.
async fn clerk_step<F>(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    version: i64,
    step: F,
) -> AppResult<CaseDetail>
where
    F: for<'c> FnOnce(
            &'c DatabaseTransaction,
            &'c Ctx,
            &'c Loaded,
        ) -> crate::store::TxFuture<'c, ()>
        + Send
        + 'static,
{
    let p = p.clone();
    let center = center_of(ctx, case_id).await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let loaded = load(txn, case_id).await?;
            ensure_clerk_of(&p, &loaded.row)?;
            ensure_version(txn, &ctx, &loaded, version).await?;
            step(txn, &ctx, &loaded).await?;
            let loaded = load(txn, case_id).await?;
            views::detail_of(txn, &ctx, &loaded).await
        })
    })
    .await
}

pub(super) fn required(text: &str, field: &str, label: &str) -> AppResult<String> {
    let t = text.trim();
    if !app::api::validate::shows_something(t) {
        return Err(AppError::invalid("required", format!("请填写{label}")).with_field(field));
    }
    if t.chars().count() > 2000 {
        return Err(AppError::invalid("too_long", format!("{label}过长")).with_field(field));
    }
    Ok(t.to_string())
}

/// The chief's note on a request's decision: a refusal says why (the clerk who asked, and
/// through them the applicant, are owed the reason); an approval may carry a note.
pub(super) fn decision_note(input: &ApprovalDecisionInput) -> AppResult<Option<String>> {
    match input.note.as_deref().map(str::trim) {
        _ if !input.approve => Some(required(
            input.note.as_deref().unwrap_or(""),
            "note",
            "不予批准的理由",
        ))
        .transpose(),
        Some(n) if !n.is_empty() => Some(required(n, "note", "批准意见")).transpose(),
        _ => Ok(None),
    }
}

/// 受理 → 审查.
pub async fn start_review(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    version: i64,
) -> AppResult<CaseDetail> {
    let actor = p.id;
    clerk_step(ctx, p, case_id, version, move |txn, ctx, loaded| {
        Box::pin(async move {
            let mut model = loaded.after(CaseEvent::StartReview)?;
            // The review stage began at acceptance; starting the work does not restart it.
            if timeliness::stage_of(&loaded.row) != Some(Stage::Review) {
                model.stage = Set(Some(Stage::Review.label_zh().to_string()));
                model.stage_started_at = Set(Some(ctx.now));
            }
            save(
                txn,
                ctx,
                Some(actor),
                "case.review_started",
                &loaded.row,
                model,
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// 审查 → 决定 (the stage changes; the state stays in review until the decision).
pub async fn to_decision(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    version: i64,
) -> AppResult<CaseDetail> {
    let actor = p.id;
    clerk_step(ctx, p, case_id, version, move |txn, ctx, loaded| {
        Box::pin(async move {
            if loaded.state()? != CaseState::InReview
                || loaded.row.stage.as_deref() != Some(Stage::Review.label_zh())
            {
                return Err(AppError::conflict(
                    "illegal_transition",
                    "只有审查中的办件可以进入决定环节",
                ));
            }
            timeliness::finish_stage(txn, ctx, loaded, ctx.now).await?;
            let mut model: cases::ActiveModel = loaded.row.clone().into();
            model.stage = Set(Some(Stage::Decision.label_zh().to_string()));
            model.stage_started_at = Set(Some(ctx.now));
            let action = "case.stage_decision";
            save(txn, ctx, Some(actor), action, &loaded.row, model).await?;
            let loaded = load(txn, loaded.row.id).await?;
            timeliness::start_stage(txn, ctx, &loaded, Stage::Decision, ctx.now).await
        })
    })
    .await
}

/// A moment given by an older client as a date: today is now, an earlier day its 00:00.
fn moment_of_date(ctx: &Ctx, date: NaiveDate) -> NaiveDateTime {
    if date == ctx.today() {
        ctx.local_now()
    } else {
        date.and_time(NaiveTime::MIN)
    }
}

/// The rules' refusal of a suspension or resumption, at the field it concerns.
fn at_field(e: DeadlineError, moment_field: &'static str) -> AppError {
    let field = match &e {
        DeadlineError::ProcedureNotListed { .. } => "procedure",
        DeadlineError::EmptySuspensionReason => "reason",
        DeadlineError::BackDatedWithoutReason { .. } => "backdate_reason",
        DeadlineError::CaseOverdue { .. }
        | DeadlineError::SuspensionStartInFuture { .. }
        | DeadlineError::BackDatedTooFar { .. }
        | DeadlineError::SuspensionBeforeClockStart { .. }
        | DeadlineError::SuspensionsOverlap { .. }
        | DeadlineError::SuspensionEndsBeforeStart { .. }
        | DeadlineError::ResumeInFuture { .. } => moment_field,
        _ => return AppError::from(e),
    };
    AppError::from(e).with_field(field)
}

/// A special procedure the item lists stops the clock from a moment (now, or back-dated with a
/// reason kept in the audit record); the applicant is told in writing. It must start before the
/// due moment in force then (`case_overdue` names it) and overlap no other
/// (行政许可法 第四十五条; issue #11 point 1).
pub async fn suspend(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    req: SuspendRequest,
) -> AppResult<CaseDetail> {
    let actor = p.id;
    req.check()?;
    let reason = req.reason.trim().to_string();
    let backdate_reason = (req.backdate_reason.as_deref().map(str::trim))
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    let expected = req.expected_working_days;
    clerk_step(ctx, p, case_id, req.version, move |txn, ctx, loaded| {
        Box::pin(async move {
            let mut model = loaded.after(CaseEvent::Suspend)?;
            let now = ctx.local_now();
            let start = match (req.start_at, req.start_date) {
                (Some(t), _) => ctx.local(t),
                (None, Some(d)) => moment_of_date(ctx, d),
                (None, None) => now,
            };
            let new = Suspension {
                procedure: req.procedure,
                start,
                end: None,
                reason: reason.clone(),
            };
            let deadline = deadline_of(txn, ctx, loaded).await?;
            let cal = ctx.calendar.provisional();
            let procedures = &loaded.item.special_procedures;
            let kind = check_new_suspension(&new, procedures, &deadline, now, &cal, &loaded.hours)
                .map_err(|e| at_field(e, "start_at"))?;
            kind.require_reason(start, backdate_reason.as_deref())
                .map_err(|e| at_field(e, "start_at"))?;
            let backdate_reason = match kind {
                SuspensionStart::BackDated { .. } => backdate_reason,
                SuspensionStart::Current => None,
            };
            let start_at = ctx.to_utc(start)?;
            let row = case_suspension::ActiveModel {
                case_id: Set(loaded.row.id),
                procedure: Set(req.procedure.code().to_string()),
                start_date: Set(start.date()),
                end_date: Set(None),
                start_at: Set(Some(start_at)),
                end_at: Set(None),
                reason: Set(reason.clone()),
                backdate_reason: Set(backdate_reason.clone()),
                created_by: Set(actor),
                created_at: Set(ctx.now),
                ended_by: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            // The suspension itself, with how far back it was dated and why.
            let back_dated_by = match kind {
                SuspensionStart::BackDated { by_minutes } => Some(by_minutes),
                SuspensionStart::Current => None,
            };
            audit::record(
                txn,
                ctx.now,
                Change::new_row(
                    Some(actor),
                    "case.suspension_recorded",
                    "case_suspension",
                    row.id,
                    serde_json::json!({
                        "case_id": loaded.row.id, "procedure": req.procedure.code(),
                        "start_at": start_at, "reason": reason,
                        "back_dated_by_minutes": back_dated_by,
                        "backdate_reason": backdate_reason,
                        "expected_working_days": expected,
                    }),
                ),
            )
            .await?;
            model.due_at = Set(None);
            save(txn, ctx, Some(actor), "case.suspended", &loaded.row, model).await?;
            let (id, cause) = (loaded.row.id, Cause::Suspended);
            timeliness::record_case_due(txn, id, start_at, None, false, cause).await?;
            let loaded = load(txn, loaded.row.id).await?;
            timeliness::refresh_stage(txn, ctx, &loaded, cause).await?;
            issue(
                txn,
                ctx,
                actor,
                &loaded,
                NoticeKind::SuspensionNotice,
                NoticeBody::Suspension {
                    procedure: req.procedure.label_zh().to_string(),
                    reason,
                    start_date: start.date(),
                    expected_working_days: expected,
                },
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// The special procedure has ended (now, or at an earlier moment after its start): the clock
/// runs again and the due moment is recomputed.
pub async fn resume(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    req: ResumeRequest,
) -> AppResult<CaseDetail> {
    let actor = p.id;
    clerk_step(ctx, p, case_id, req.version, move |txn, ctx, loaded| {
        Box::pin(async move {
            let mut model = loaded.after(CaseEvent::Resume)?;
            let now = ctx.local_now();
            let end = match (req.end_at, req.end_date) {
                (Some(t), _) => ctx.local(t),
                (None, Some(d)) => moment_of_date(ctx, d),
                (None, None) => now,
            };
            let open = case_suspension::Entity::find()
                .filter(case_suspension::Column::CaseId.eq(loaded.row.id))
                .filter(case_suspension::Column::EndDate.is_null())
                .one(txn)
                .await?
                .ok_or_else(|| {
                    AppError::internal(anyhow::anyhow!("suspended case without open suspension"))
                })?;
            check_resume(&suspension(ctx, &open)?, end, now).map_err(|e| at_field(e, "end_at"))?;
            let end_at = ctx.to_utc(end)?;
            let mut s: case_suspension::ActiveModel = open.into();
            s.end_date = Set(Some(end.date()));
            s.end_at = Set(Some(end_at));
            s.ended_by = Set(Some(actor));
            s.update(txn).await?;
            let start = loaded
                .row
                .clock_start_at
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("no clock start")))?;
            let (due_at, provisional) = due_of(txn, ctx, loaded, start).await?;
            model.due_at = Set(due_at);
            model.due_provisional = Set(provisional);
            save(txn, ctx, Some(actor), "case.resumed", &loaded.row, model).await?;
            let (id, cause) = (loaded.row.id, Cause::Resumed);
            timeliness::record_case_due(txn, id, end_at, due_at, provisional, cause).await?;
            let loaded = load(txn, loaded.row.id).await?;
            timeliness::refresh_stage(txn, ctx, &loaded, cause).await
        })
    })
    .await
}

/// The rules' check of an extension request made at `requested_at`: once, never for a case
/// overdue when it was suspended, strictly before the due moment — while suspended, before the
/// due it would have if the procedure resumed now (行政许可法 第四十二条; issue #11 point 2).
async fn check_extension(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
    request: &Extension,
) -> AppResult<()> {
    let deadline = deadline_of(txn, ctx, loaded).await?;
    let cal = ctx.calendar.provisional();
    let bound = loaded.item.extension_bound_days;
    check_extension_request(request, &deadline, bound, false, &cal, &loaded.hours)??;
    Ok(())
}

/// A clerk asks for the one extension the law allows; the chief representative decides.
/// Refused at once when asked at or after the due moment (`extension_too_late`).
pub async fn request_extension(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    req: ExtensionRequest,
) -> AppResult<CaseDetail> {
    let actor = p.id;
    let days = req.days;
    // The reason goes onto the 延期通知书: one of invisible characters would say nothing there.
    let reason = required_text(&req.reason, "reason", "延期理由", 2_000)?;
    let result = clerk_step(ctx, p, case_id, req.version, move |txn, ctx, loaded| {
        Box::pin(async move {
            ensure_extensible(txn, loaded).await?;
            let interested = [actor, loaded.row.owner_id];
            crate::services::staff::ensure_a_chief_decides(txn, loaded.row.unit_id, &interested)
                .await?;
            let request = Extension {
                working_days: req.days,
                requested_at: ctx.local_now(),
                reason: reason.clone(),
            };
            check_extension(txn, ctx, loaded, &request).await?;
            let new_row = case_extension::ActiveModel {
                case_id: Set(loaded.row.id),
                days: Set(req.days as i32),
                reason: Set(request.reason.clone()),
                requested_by: Set(actor),
                requested_at: Set(ctx.now),
                status: Set(RequestStatus::Pending),
                ..Default::default()
            };
            audit::insert_new(
                txn,
                ctx.now,
                Some(actor),
                ("case.extension_requested", "case_extension"),
                new_row,
                |row| {
                    (
                        row.id,
                        serde_json::json!({
                            "case_id": loaded.row.id, "days": req.days, "reason": row.reason,
                        }),
                    )
                },
            )
            .await?;
            // The case's version moves too: an extension request changes what the case is.
            let model: cases::ActiveModel = loaded.row.clone().into();
            let action = "case.extension_requested";
            save(txn, ctx, Some(actor), action, &loaded.row, model).await?;
            Ok(())
        })
    })
    .await;
    if let Err(err) = &result
        && err.code() == "extension_too_late"
    {
        record_late_extension(ctx, actor, case_id, days).await;
    }
    result
}

/// Keeps the refused late request on record for supervision (its own transaction: the request
/// itself changed nothing). A failure here is logged, never shown in place of the refusal.
async fn record_late_extension(ctx: &Ctx, actor: i64, case_id: i64, days: u32) {
    let record = async {
        let center = center_of(ctx, case_id).await?;
        ctx.write_for_center(center, move |txn, ctx| {
            Box::pin(async move {
                let loaded = super::load(txn, case_id).await?;
                let detail = format!(
                    "办件 {} 在办结期限届满后才申请延期 {days} 个工作日（已拒绝）",
                    loaded.row.number
                );
                let kind = crate::services::violations::Kind::ExtensionAfterDue;
                crate::services::violations::record(
                    txn,
                    &ctx,
                    kind,
                    &loaded.row,
                    Some(actor),
                    detail,
                )
                .await
            })
        })
        .await
    };
    if let Err(err) = record.await {
        tracing::warn!(error = %err, case_id, "could not record a late extension request");
    }
}

/// An extension may be asked for a promised item being worked on, once (行政许可法 第四十二条).
async fn ensure_extensible(txn: &DatabaseTransaction, loaded: &Loaded) -> AppResult<()> {
    let st = loaded.state()?;
    if !st.may_be_extended() {
        return Err(AppError::conflict(
            "illegal_transition",
            format!("案件当前状态为「{}」，不能申请延期", st.label_zh()),
        ));
    }
    if matches!(loaded.item.time_limit, LimitSpec::Immediate { .. }) {
        return Err(AppError::invalid(
            "not_for_immediate_items",
            "即办件不能延期",
        ));
    }
    let earlier = case_extension::Entity::find()
        .filter(case_extension::Column::CaseId.eq(loaded.row.id))
        .filter(
            case_extension::Column::Status.is_in([RequestStatus::Pending, RequestStatus::Approved]),
        )
        .one(txn)
        .await?;
    match earlier.map(|e| rules::RequestStatus::from(e.status)) {
        Some(rules::RequestStatus::Pending) => Err(AppError::conflict(
            "already_extended",
            "已有待审批的延期申请",
        )),
        Some(_) => Err(AppError::conflict(
            "already_extended",
            "本案已延期一次，不能再次延期",
        )),
        None => Ok(()),
    }
}

async fn extension_record(
    txn: &impl sea_orm::ConnectionTrait,
    row: case_extension::Model,
) -> AppResult<ExtensionRecord> {
    let case = found(txn, cases::Entity, row.case_id, "办件").await?;
    let item = documents::case_item(&case.item_snapshot)?;
    let by = staff::Entity::find_by_id(row.requested_by).one(txn).await?;
    Ok(ExtensionRecord {
        id: row.id,
        case_id: case.id,
        case_number: case.number,
        item_name: item.name,
        days: row.days,
        reason: row.reason,
        requested_by: by.map(|s| s.name).unwrap_or_default(),
        requested_at: row.requested_at,
        status: row.status.into(),
        decided_at: row.decided_at,
        decision_note: row.decision_note,
        due_at: case.due_at,
    })
}

/// Where a page of pending extension requests ends: the case's due moment (`None`: its clock
/// is stopped) and the request's id.
pub type ExtensionKey = (Option<DateTime<Utc>>, i64);

/// A page of the pending extension requests of the chief representative's unit, most urgent
/// first: cases whose clock is stopped (no due moment), then by due moment, then by request.
pub async fn pending_extensions(
    ctx: &Ctx,
    p: &Principal,
    page: &PageRequest<ExtensionKey>,
) -> AppResult<Page<ExtensionRecord, ExtensionKey>> {
    let Some(unit_id) = p.unit_id else {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    };
    let of_case: RelationDef = case_extension::Entity::belongs_to(cases::Entity)
        .from(case_extension::Column::CaseId)
        .to(cases::Column::Id)
        .into();
    let due = || Expr::col((cases::Entity, cases::Column::DueAt));
    let id = || Expr::col((case_extension::Entity, case_extension::Column::Id));
    let mut find = case_extension::Entity::find()
        .join(JoinType::InnerJoin, of_case)
        .filter(cases::Column::UnitId.eq(unit_id))
        .filter(cases::Column::State.is_in(extensible_states()))
        .filter(case_extension::Column::Status.eq(RequestStatus::Pending));
    match page.after {
        None => {}
        Some((None, after)) => {
            find = find.filter(due().is_not_null().or(due().is_null().and(id().gt(after))));
        }
        Some((Some(at), after)) => {
            find = find.filter(due().gt(at).or(due().eq(at).and(id().gt(after))));
        }
    }
    let rows = find
        .order_by(due().is_null(), Order::Desc)
        .order_by(due(), Order::Asc)
        .order_by(id(), Order::Asc)
        .limit(page.fetch())
        .all(ctx.conn())
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(extension_record(ctx.conn(), row).await?);
    }
    let page = page.page(items, |e| (e.due_at, e.id));
    Ok(page)
}

/// The codes of the states in which a case may be extended.
fn extensible_states() -> Vec<&'static str> {
    CaseState::ALL
        .into_iter()
        .filter(CaseState::may_be_extended)
        .map(|s| s.code())
        .collect()
}

/// A request whose case has left the states it was asked for: it may only be refused.
pub(super) fn moved_on(st: CaseState) -> AppError {
    AppError::conflict(
        "case_moved_on",
        format!(
            "案件当前状态为「{}」，该申请已失效，只能不予批准",
            st.label_zh()
        ),
    )
}

/// The chief representative approves (strictly before the due moment) or refuses.
pub async fn decide_extension(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    input: ApprovalDecisionInput,
) -> AppResult<ExtensionRecord> {
    let p = p.clone();
    let case_id = found(ctx.conn(), case_extension::Entity, id, "延期申请")
        .await?
        .case_id;
    let center = center_of(ctx, case_id).await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let row = found(txn, case_extension::Entity, id, "延期申请").await?;
            let loaded = load(txn, row.case_id).await?;
            p.ensure_chief_of(loaded.row.unit_id)?;
            p.ensure_not_own(row.requested_by)?;
            p.ensure_not_owner(loaded.row.owner_id)?;
            let event = if input.approve {
                RequestEvent::Approve
            } else {
                RequestEvent::Refuse
            };
            let next = rules::RequestStatus::from(row.status).apply(event)?;
            if input.approve {
                let st = loaded.state()?;
                if !RequestKind::Extension.served_in(st) {
                    return Err(moved_on(st));
                }
                // Approval, too, must come strictly before the due moment.
                let request = Extension {
                    working_days: row.days.max(0) as u32,
                    requested_at: ctx.local_now(),
                    reason: row.reason.clone(),
                };
                check_extension(txn, &ctx, &loaded, &request)
                    .await
                    .map_err(approval_too_late)?;
            }
            let note = decision_note(&input)?;
            let mut model: case_extension::ActiveModel = row.clone().into();
            model.decided_by = Set(Some(p.id));
            model.decided_at = Set(Some(ctx.now));
            model.decision_note = Set(note);
            model.status = Set(next.into());
            let decided = model.update(txn).await?;
            audit::record(
                txn,
                ctx.now,
                Change {
                    actor_id: Some(p.id),
                    action: if input.approve {
                        "case.extension_approved"
                    } else {
                        "case.extension_refused"
                    },
                    entity: "case_extension",
                    entity_id: id.to_string(),
                    before: Some(serde_json::json!({ "status": rules::RequestStatus::Pending })),
                    after: Some(serde_json::json!({
                        "status": next, "note": decided.decision_note,
                    })),
                },
            )
            .await?;
            if input.approve {
                extend(txn, &ctx, p.id, &loaded, &row).await?;
            }
            extension_record(txn, decided).await
        })
    })
    .await
}

/// A request made in time but decided once the due moment has passed is refused with words
/// that say so: the request's own refusal says it must be *asked* before the due moment, which
/// it was.
fn approval_too_late(e: AppError) -> AppError {
    if e.code() != "extension_too_late" {
        return e;
    }
    AppError::invalid(
        "extension_too_late",
        "办理期限已届满，延期须在届满前批准；此申请已不能批准，请作“不予批准”处理",
    )
}

/// An approved extension moves the due moment (unless the clock is stopped) and is told to the
/// applicant with an extension notice.
async fn extend(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: i64,
    loaded: &Loaded,
    request: &case_extension::Model,
) -> AppResult<()> {
    let mut case_model: cases::ActiveModel = loaded.row.clone().into();
    let mut new_due = None;
    let mut provisional = loaded.row.due_provisional;
    if let Some(start) = loaded.row.clock_start_at
        && loaded.state()? != CaseState::Suspended
    {
        let (due_at, prov) = due_of(txn, ctx, loaded, start).await?;
        new_due = due_at;
        provisional = prov;
        case_model.due_at = Set(due_at);
        case_model.due_provisional = Set(prov);
        let (id, cause) = (loaded.row.id, Cause::Extended);
        timeliness::record_case_due(txn, id, ctx.now, due_at, prov, cause).await?;
    }
    save(
        txn,
        ctx,
        Some(actor),
        "case.extended",
        &loaded.row,
        case_model,
    )
    .await?;
    let loaded = load(txn, loaded.row.id).await?;
    // A running stage capped at the old total gets the room the extension gives.
    timeliness::refresh_stage(txn, ctx, &loaded, Cause::Extended).await?;
    let body = NoticeBody::Extension {
        days: request.days.max(0) as u32,
        reason: request.reason.clone(),
        new_due: new_due.map(|d| ctx.local(d)),
        new_due_provisional: provisional,
    };
    issue(txn, ctx, actor, &loaded, NoticeKind::ExtensionNotice, body).await?;
    Ok(())
}

/// The decision: approve, or deny with reasons (and the applicant's right to review and
/// litigation on the document).
pub async fn decide(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    req: DecisionRequest,
) -> AppResult<CaseDetail> {
    let actor = p.id;
    let reasons = match req.decision {
        Decision::Denied => required(&req.reasons, "reasons", "不予准予的理由")?,
        Decision::Approved => req.reasons.trim().to_string(),
    };
    clerk_step(ctx, p, case_id, req.version, move |txn, ctx, loaded| {
        Box::pin(async move {
            let mut model = loaded.after(CaseEvent::Decide(req.decision))?;
            timeliness::finish_stage(txn, ctx, loaded, ctx.now).await?;
            timeliness::judge_decision(txn, ctx, loaded, ctx.now, &mut model).await?;
            model.decided_at = Set(Some(ctx.now));
            model.decided_by = Set(Some(actor));
            model.decision = Set(Some(req.decision.code().to_string()));
            model.decision_reasons = Set(Some(reasons.clone()).filter(|r| !r.is_empty()));
            model.stage = Set(Some(Stage::Delivery.label_zh().to_string()));
            model.stage_started_at = Set(Some(ctx.now));
            save(txn, ctx, Some(actor), "case.decided", &loaded.row, model).await?;
            let loaded = load(txn, loaded.row.id).await?;
            timeliness::start_stage(txn, ctx, &loaded, Stage::Delivery, ctx.now).await?;
            let decided_on = ctx.local_now().date();
            let (kind, body) = match req.decision {
                Decision::Approved => (
                    NoticeKind::ApprovalDecision,
                    NoticeBody::Approval {
                        decided_on,
                        content: if reasons.is_empty() {
                            format!("准予办理“{}”。", loaded.item.name)
                        } else {
                            reasons
                        },
                    },
                ),
                Decision::Denied => (
                    NoticeKind::DenialDecision,
                    NoticeBody::Denial {
                        decided_on,
                        reasons,
                    },
                ),
            };
            issue(txn, ctx, actor, &loaded, kind, body).await?;
            Ok(())
        })
    })
    .await
}

/// The result reaches the applicant (送达).
pub async fn deliver(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    req: DeliveryRequest,
) -> AppResult<CaseDetail> {
    let actor = p.id;
    let method = required(&req.method, "method", "送达方式")?;
    clerk_step(ctx, p, case_id, req.version, move |txn, ctx, loaded| {
        Box::pin(async move {
            let mut model = loaded.after(CaseEvent::Deliver)?;
            timeliness::finish_stage(txn, ctx, loaded, ctx.now).await?;
            model.delivered_at = Set(Some(ctx.now));
            model.delivered_by = Set(Some(actor));
            model.delivery_method = Set(Some(method));
            model.stage = Set(None);
            save(txn, ctx, Some(actor), "case.delivered", &loaded.row, model).await?;
            Ok(())
        })
    })
    .await
}

/// The owner closes the case with the feedback given to the applicant (首问负责).
pub async fn close(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    req: CloseRequest,
) -> AppResult<CaseDetail> {
    let actor = p.id;
    let feedback = required(&req.feedback, "feedback", "向申请人反馈的情况")?;
    clerk_step(ctx, p, case_id, req.version, move |txn, ctx, loaded| {
        Box::pin(async move {
            if loaded.row.owner_id != actor {
                return Err(AppError::not_here(
                    "not_the_owner",
                    "办结反馈须由首问负责人填写",
                ));
            }
            let mut model = loaded.after(CaseEvent::Close)?;
            model.closed_at = Set(Some(ctx.now));
            model.closed_by = Set(Some(actor));
            model.feedback = Set(Some(feedback));
            save(txn, ctx, Some(actor), "case.closed", &loaded.row, model).await?;
            Ok(())
        })
    })
    .await
}

/// The applicant withdraws the application before a decision.
pub async fn withdraw(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    req: WithdrawRequest,
) -> AppResult<CaseDetail> {
    let actor = p.id;
    let reason = required(&req.reason, "reason", "撤回原因")?;
    clerk_step(ctx, p, case_id, req.version, move |txn, ctx, loaded| {
        Box::pin(async move {
            let mut model = loaded.after(CaseEvent::Withdraw)?;
            model.closed_at = Set(Some(ctx.now));
            model.closed_by = Set(Some(actor));
            model.feedback = Set(Some(format!("申请人撤回：{reason}")));
            model.due_at = Set(None);
            model.stage = Set(None);
            save(txn, ctx, Some(actor), "case.withdrawn", &loaded.row, model).await?;
            Ok(())
        })
    })
    .await
}
