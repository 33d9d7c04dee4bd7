//! First-inquiry responsibility (首问负责制, Seed §二(一)): every contact is owned by the staff
//! member who took it and ends in exactly one outcome. An internal referral keeps the owner
//! responsible until the receiving window confirms; an escalation goes to the unit's chief
//! representative, and the owner reports the result back to the applicant.
//!
//! Status: `open` (no outcome yet) → `waiting` (referral unconfirmed / escalation unresolved) →
//! `feedback_due` (escalation resolved, owner to report back) → `closed`.

use app::api::{
    Role,
    cases::Channel,
    inquiries::{
        CheckedInquiry, EscalationView, FeedbackRequest, InquiryInbox, InquiryOutcome, InquiryView,
        NewInquiry, OutcomeRequest, ReferralView, ResolveRequest,
    },
    validate::required_text,
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use rules::InquiryEvent;

use super::{
    Ctx, Principal, audit, catalog,
    org::{active_unit, active_windows},
    versioned,
};
use crate::{
    error::{AppError, AppResult},
    services::found,
    store::{
        columns::InquiryStatus,
        documents,
        entities::{cases, escalation, inquiry, referral, staff, unit},
    },
};

fn limit(ctx: &Ctx) -> Duration {
    Duration::hours(ctx.settings.inquiry_limit_hours)
}

versioned::versioned!(
    inquiry as "inquiry",
    stamp(_active, _now) {},
    view(row) serde_json::json!({
        "status": rules::InquiryStatus::from(row.status),
        "outcome": row.outcome,
        "case_id": row.case_id,
    }),
);

/// The inquiry's next status after `event`, or the rules' refusal.
fn step(row: &inquiry::Model, event: InquiryEvent) -> AppResult<InquiryStatus> {
    Ok(rules::InquiryStatus::from(row.status).apply(event)?.into())
}

async fn name_of<C: ConnectionTrait>(db: &C, id: Option<i64>) -> AppResult<String> {
    Ok(match id {
        Some(id) => staff::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|s| s.name)
            .unwrap_or_default(),
        None => String::new(),
    })
}

async fn referral_view<C: ConnectionTrait>(
    db: &C,
    r: referral::Model,
    inq: &inquiry::Model,
) -> AppResult<ReferralView> {
    let to_unit = unit::Entity::find_by_id(r.to_unit_id)
        .one(db)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    Ok(ReferralView {
        id: r.id,
        inquiry_id: r.inquiry_id,
        from_unit_id: inq.unit_id,
        to_unit_id: r.to_unit_id,
        to_unit_name: to_unit,
        to_window_id: r.to_window_id,
        note: r.note,
        created_at: r.created_at,
        confirmed_by: match r.confirmed_by {
            Some(_) => Some(name_of(db, r.confirmed_by).await?),
            None => None,
        },
        confirmed_at: r.confirmed_at,
        topic: inq.topic.clone(),
        from_name: name_of(db, Some(inq.owner_id)).await?,
        applicant_name: inq.applicant_name.clone(),
        applicant_phone: inq.applicant_phone.clone(),
    })
}

async fn escalation_view<C: ConnectionTrait>(
    db: &C,
    e: escalation::Model,
    inq: &inquiry::Model,
) -> AppResult<EscalationView> {
    Ok(EscalationView {
        id: e.id,
        inquiry_id: e.inquiry_id,
        unit_id: e.unit_id,
        question: e.question,
        created_at: e.created_at,
        resolution: e.resolution,
        resolved_by: match e.resolved_by {
            Some(_) => Some(name_of(db, e.resolved_by).await?),
            None => None,
        },
        resolved_at: e.resolved_at,
        topic: inq.topic.clone(),
        from_name: name_of(db, Some(inq.owner_id)).await?,
    })
}

async fn view<C: ConnectionTrait>(
    db: &C,
    row: inquiry::Model,
    now: DateTime<Utc>,
    limit: Duration,
) -> AppResult<InquiryView> {
    let referral = match referral::Entity::find()
        .filter(referral::Column::InquiryId.eq(row.id))
        .one(db)
        .await?
    {
        Some(r) => Some(referral_view(db, r, &row).await?),
        None => None,
    };
    let escalation = match escalation::Entity::find()
        .filter(escalation::Column::InquiryId.eq(row.id))
        .one(db)
        .await?
    {
        Some(e) => Some(escalation_view(db, e, &row).await?),
        None => None,
    };
    let outcome: Option<InquiryOutcome> = match &row.outcome_detail {
        Some(json) => Some(documents::inquiry_outcome(json)?),
        None => None,
    };
    Ok(InquiryView {
        id: row.id,
        center_id: row.center_id,
        unit_id: row.unit_id,
        owner_id: row.owner_id,
        owner_name: name_of(db, Some(row.owner_id)).await?,
        channel: Channel::from_code(&row.channel).unwrap_or(Channel::Counter),
        topic: row.topic.clone(),
        item_code: row.item_code.clone(),
        applicant_name: row.applicant_name.clone(),
        applicant_phone: row.applicant_phone.clone(),
        overdue: row.status != InquiryStatus::Closed && now - row.created_at > limit,
        status: row.status.into(),
        outcome,
        case_id: row.case_id,
        created_at: row.created_at,
        outcome_at: row.outcome_at,
        closed_at: row.closed_at,
        referral,
        escalation,
        version: row.version,
    })
}

/// A staff member records a contact in a few taps; they own it from now on.
pub async fn create(ctx: &Ctx, p: &Principal, input: NewInquiry) -> AppResult<InquiryView> {
    let Some(unit_id) = p
        .unit_id
        .filter(|_| p.has(Role::Clerk) || p.has(Role::ChiefRepresentative))
    else {
        return Err(AppError::forbidden());
    };
    let CheckedInquiry {
        topic,
        applicant_name,
        applicant_phone,
    } = input.check()?;
    let now = ctx.now;
    let owner = p.id;
    let limit = limit(ctx);
    ctx.write_in_center(move |txn, _| {
        Box::pin(async move {
            let unit = active_unit(txn, unit_id, "unit_id").await?;
            // On the center's chain: two halls' inquiries never wait on each other.
            Ctx::lock_center(txn, unit.center_id).await?;
            if let Some(code) = &input.item_code {
                catalog::active_item(txn, code, "item_code").await?;
            }
            let new_row = inquiry::ActiveModel {
                center_id: Set(unit.center_id),
                unit_id: Set(unit_id),
                owner_id: Set(owner),
                channel: Set(input.channel.code().to_string()),
                topic: Set(topic),
                item_code: Set(input.item_code.clone()),
                applicant_name: Set(applicant_name),
                applicant_phone: Set(applicant_phone),
                status: Set(InquiryStatus::Open),
                created_at: Set(now),
                version: Set(1),
                ..Default::default()
            };
            let row = audit::insert_new(
                txn,
                now,
                Some(owner),
                ("inquiry.create", "inquiry"),
                new_row,
                |row| {
                    (
                        row.id,
                        serde_json::json!({
                            "topic": row.topic, "channel": row.channel,
                            "status": rules::InquiryStatus::Open,
                        }),
                    )
                },
            )
            .await?;
            view(txn, row, now, limit).await
        })
    })
    .await
}

async fn owned(
    txn: &DatabaseTransaction,
    p_id: i64,
    id: i64,
    version: Option<i64>,
) -> AppResult<inquiry::Model> {
    let row = found(txn, inquiry::Entity, id, "咨询记录").await?;
    if row.owner_id != p_id {
        return Err(AppError::not_here(
            "not_the_owner",
            "只有首问负责人可以处理这条咨询",
        ));
    }
    if let Some(v) = version
        && row.version != v
    {
        return Err(AppError::conflict(
            "stale_version",
            "这条咨询已被更新，请刷新后再操作",
        ));
    }
    Ok(row)
}

/// Ends an inquiry in exactly one outcome.
pub async fn set_outcome(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    req: OutcomeRequest,
) -> AppResult<InquiryView> {
    let outcome = req.outcome.validated()?;
    let now = ctx.now;
    let actor = p.id;
    let limit = limit(ctx);
    ctx.write_in_center(move |txn, _| {
        Box::pin(async move {
            let before = owned(txn, actor, id, Some(req.version)).await?;
            // The version checked again by the save guards what was read before the lock.
            Ctx::lock_center(txn, before.center_id).await?;
            let handed_over = matches!(
                outcome,
                InquiryOutcome::InternalReferral { .. } | InquiryOutcome::Escalation { .. }
            );
            let event = if handed_over {
                InquiryEvent::HandOver
            } else {
                InquiryEvent::Conclude
            };
            let status = step(&before, event)?;
            let mut case_id = None;
            match &outcome {
                InquiryOutcome::HandledOnSpot { .. } | InquiryOutcome::ExternalReferral { .. } => {}
                InquiryOutcome::GuideGiven { item_code } => {
                    catalog::active_item(txn, item_code, "item_code").await?;
                }
                InquiryOutcome::InternalReferral {
                    unit_id,
                    window_id,
                    note,
                } => {
                    let to = active_unit(txn, *unit_id, "unit_id").await?;
                    if to.center_id != before.center_id {
                        return Err(AppError::invalid(
                            "unit_of_other_center",
                            "内部转办只能转至本大厅的单位；其他单位请用“外部指引”",
                        )
                        .with_field("unit_id"));
                    }
                    if let Some(w) = window_id {
                        let windows = active_windows(txn, &[*w], "window_id").await?;
                        if !windows[0].1.contains(unit_id) {
                            return Err(AppError::invalid(
                                "window_not_of_unit",
                                "该窗口不服务于所选单位",
                            )
                            .with_field("window_id"));
                        }
                    }
                    referral::ActiveModel {
                        inquiry_id: Set(id),
                        to_unit_id: Set(*unit_id),
                        to_window_id: Set(*window_id),
                        note: Set(note.clone()),
                        created_at: Set(now),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?;
                }
                InquiryOutcome::Escalation { question } => {
                    active_unit(txn, before.unit_id, "unit_id").await?;
                    // Another chief must be there to coordinate: a clerk who is also the
                    // unit's chief representative resolved their own escalation.
                    let interested = [actor, before.owner_id];
                    crate::services::staff::ensure_a_chief_decides(
                        txn,
                        before.unit_id,
                        &interested,
                    )
                    .await?;
                    escalation::ActiveModel {
                        inquiry_id: Set(id),
                        unit_id: Set(before.unit_id),
                        question: Set(question.clone()),
                        created_at: Set(now),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?;
                }
                InquiryOutcome::BecameCase { case_id: cid } => {
                    let case = cases::Entity::find_by_id(*cid)
                        .one(txn)
                        .await?
                        .filter(|c| c.owner_id == actor)
                        .ok_or_else(|| {
                            AppError::invalid("unknown_case", "没有找到您受理的该办件")
                                .with_field("case_id")
                        })?;
                    ensure_case_came_from(txn, &before, &case).await?;
                    case_id = Some(case.id);
                }
            }
            let mut model: inquiry::ActiveModel = before.clone().into();
            model.outcome = Set(Some(outcome.code().to_string()));
            model.outcome_detail = Set(Some(documents::inquiry_outcome_json(&outcome)?));
            model.outcome_at = Set(Some(now));
            model.status = Set(status);
            model.case_id = Set(case_id);
            if status == InquiryStatus::Closed {
                model.closed_at = Set(Some(now));
            }
            let action = "inquiry.outcome";
            let after = versioned::save(txn, now, Some(actor), action, &before, model).await?;
            view(txn, after, now, limit).await
        })
    })
    .await
}

/// A case ends an inquiry as "became a case" only if it can have come from it: received after
/// the inquiry was taken, and no other inquiry's case (one old case named for any number of
/// inquiries closed them all, and none showed as unanswered).
async fn ensure_case_came_from(
    txn: &DatabaseTransaction,
    inquiry: &inquiry::Model,
    case: &cases::Model,
) -> AppResult<()> {
    let taken = |message: String| {
        AppError::invalid("case_of_another_inquiry", message).with_field("case_id")
    };
    if let Some(other) = case.inquiry_id.filter(|other| *other != inquiry.id) {
        return Err(taken(format!(
            "办件 {} 由另一条咨询（{other} 号）受理",
            case.number
        )));
    }
    let claimed = inquiry::Entity::find()
        .filter(inquiry::Column::CaseId.eq(case.id))
        .filter(inquiry::Column::Id.ne(inquiry.id))
        .one(txn)
        .await?;
    if let Some(other) = claimed {
        let message = format!(
            "办件 {} 已是另一条咨询（{} 号）的结果",
            case.number, other.id
        );
        return Err(taken(message));
    }
    if case.received_at < inquiry.created_at {
        return Err(AppError::invalid(
            "case_before_inquiry",
            format!(
                "办件 {} 收件早于本次咨询，不是由本次咨询转为的办件",
                case.number
            ),
        )
        .with_field("case_id"));
    }
    Ok(())
}

/// Called when a case is received from an inquiry: the inquiry's outcome is "became a case".
pub async fn link_case(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: i64,
    inquiry_id: i64,
    case_id: i64,
) -> AppResult<()> {
    let before = owned(txn, actor, inquiry_id, None)
        .await
        .map_err(|e| e.with_field("inquiry_id"))?;
    let status = step(&before, InquiryEvent::Conclude).map_err(|e| e.with_field("inquiry_id"))?;
    let outcome = InquiryOutcome::BecameCase { case_id };
    let mut model: inquiry::ActiveModel = before.clone().into();
    model.outcome = Set(Some(outcome.code().to_string()));
    model.outcome_detail = Set(Some(documents::inquiry_outcome_json(&outcome)?));
    model.outcome_at = Set(Some(ctx.now));
    model.closed_at = Set(Some(ctx.now));
    model.status = Set(status);
    model.case_id = Set(Some(case_id));
    let action = "inquiry.became_case";
    versioned::save(txn, ctx.now, Some(actor), action, &before, model).await?;
    Ok(())
}

/// The receiving unit's clerk confirms a referral; the owner's responsibility ends and the
/// confirming clerk's begins: the inquiry opens again in their name, at their unit, with the
/// applicant's contact, to be answered like any other (confirming had closed it, and nobody held
/// it any more).
pub async fn confirm_referral(
    ctx: &Ctx,
    p: &Principal,
    referral_id: i64,
) -> AppResult<ReferralView> {
    let now = ctx.now;
    let p = p.clone();
    ctx.write_in_center(move |txn, _| {
        Box::pin(async move {
            let r = found(txn, referral::Entity, referral_id, "转办记录").await?;
            p.ensure_clerk_of(r.to_unit_id, "只有接收单位的窗口工作人员可以确认")?;
            if r.confirmed_at.is_some() {
                return Err(AppError::conflict("already_confirmed", "该转办已确认"));
            }
            let inq = inquiry::Entity::find_by_id(r.inquiry_id)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("referral without inquiry")))?;
            // The owner stays responsible until someone else at the receiving unit takes it on.
            if inq.owner_id == p.id {
                return Err(AppError::not_here(
                    "own_referral",
                    "转办须由接收单位的其他工作人员确认，首问责任人不能自己确认",
                ));
            }
            // The inquiry's version, checked again by its save, guards what was read before.
            Ctx::lock_center(txn, inq.center_id).await?;
            let mut rm: referral::ActiveModel = r.into();
            rm.confirmed_by = Set(Some(p.id));
            rm.confirmed_at = Set(Some(now));
            let r = rm.update(txn).await?;
            let mut im: inquiry::ActiveModel = inq.clone().into();
            im.status = Set(step(&inq, InquiryEvent::ConfirmReferral)?);
            im.closed_at = Set(Some(now));
            let action = "inquiry.referral_confirmed";
            let after = versioned::save(txn, now, Some(p.id), action, &inq, im).await?;
            let taken = inquiry::ActiveModel {
                center_id: Set(inq.center_id),
                unit_id: Set(r.to_unit_id),
                owner_id: Set(p.id),
                channel: Set(inq.channel.clone()),
                topic: Set(inq.topic.clone()),
                item_code: Set(inq.item_code.clone()),
                applicant_name: Set(inq.applicant_name.clone()),
                applicant_phone: Set(inq.applicant_phone.clone()),
                status: Set(InquiryStatus::Open),
                created_at: Set(now),
                version: Set(1),
                ..Default::default()
            };
            let referral_id = r.id;
            audit::insert_new(
                txn,
                now,
                Some(p.id),
                ("inquiry.taken_over", "inquiry"),
                taken,
                |row| {
                    (
                        row.id,
                        serde_json::json!({
                            "topic": row.topic, "referral_id": referral_id,
                            "status": rules::InquiryStatus::Open,
                        }),
                    )
                },
            )
            .await?;
            referral_view(txn, r, &after).await
        })
    })
    .await
}

/// The chief representative resolves an escalation of their unit; the owner then reports back.
pub async fn resolve_escalation(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    req: ResolveRequest,
) -> AppResult<EscalationView> {
    let resolution = required_text(&req.resolution, "resolution", "协调处理意见", 2000)?;
    let now = ctx.now;
    let p = p.clone();
    ctx.write_in_center(move |txn, _| {
        Box::pin(async move {
            let e = found(txn, escalation::Entity, id, "提请协调记录").await?;
            p.ensure_chief_of(e.unit_id)?;
            if e.resolved_at.is_some() {
                return Err(AppError::conflict("already_resolved", "该事项已处理"));
            }
            let inq = inquiry::Entity::find_by_id(e.inquiry_id)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("escalation without inquiry")))?;
            p.ensure_not_own(inq.owner_id)?;
            Ctx::lock_center(txn, inq.center_id).await?;
            let mut em: escalation::ActiveModel = e.into();
            em.resolution = Set(Some(resolution));
            em.resolved_by = Set(Some(p.id));
            em.resolved_at = Set(Some(now));
            let e = em.update(txn).await?;
            let mut im: inquiry::ActiveModel = inq.clone().into();
            im.status = Set(step(&inq, InquiryEvent::ResolveEscalation)?);
            let action = "inquiry.escalation_resolved";
            let after = versioned::save(txn, now, Some(p.id), action, &inq, im).await?;
            escalation_view(txn, e, &after).await
        })
    })
    .await
}

/// The owner tells the applicant the result of the escalation and closes the inquiry.
pub async fn give_feedback(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    req: FeedbackRequest,
) -> AppResult<InquiryView> {
    let note = required_text(&req.note, "note", "反馈内容", 1000)?;
    let now = ctx.now;
    let actor = p.id;
    let limit = limit(ctx);
    ctx.write_in_center(move |txn, _| {
        Box::pin(async move {
            let before = owned(txn, actor, id, Some(req.version)).await?;
            Ctx::lock_center(txn, before.center_id).await?;
            let mut model: inquiry::ActiveModel = before.clone().into();
            model.status = Set(step(&before, InquiryEvent::GiveFeedback)?);
            model.feedback = Set(Some(note));
            model.closed_at = Set(Some(now));
            let action = "inquiry.feedback_given";
            let after = versioned::save(txn, now, Some(actor), action, &before, model).await?;
            view(txn, after, now, limit).await
        })
    })
    .await
}

/// What the caller owns and what waits for them.
pub async fn inbox(ctx: &Ctx, p: &Principal) -> AppResult<InquiryInbox> {
    let db = &ctx.db.conn;
    let now = ctx.now;
    let limit = limit(ctx);
    let mut mine = Vec::new();
    let open = inquiry::Entity::find()
        .filter(inquiry::Column::OwnerId.eq(p.id))
        .filter(inquiry::Column::Status.ne(InquiryStatus::Closed))
        .order_by_asc(inquiry::Column::Id)
        .all(db)
        .await?;
    let recent_closed = inquiry::Entity::find()
        .filter(inquiry::Column::OwnerId.eq(p.id))
        .filter(inquiry::Column::Status.eq(InquiryStatus::Closed))
        .order_by_desc(inquiry::Column::Id)
        .limit(20)
        .all(db)
        .await?;
    for row in open.into_iter().chain(recent_closed) {
        mine.push(view(db, row, now, limit).await?);
    }
    let mut referrals_to_confirm = Vec::new();
    let mut escalations_to_resolve = Vec::new();
    if let Some(unit_id) = p.unit_id {
        if p.has(Role::Clerk) {
            for r in referral::Entity::find()
                .filter(referral::Column::ToUnitId.eq(unit_id))
                .filter(referral::Column::ConfirmedAt.is_null())
                .order_by_asc(referral::Column::Id)
                .all(db)
                .await?
            {
                if let Some(inq) = inquiry::Entity::find_by_id(r.inquiry_id).one(db).await? {
                    referrals_to_confirm.push(referral_view(db, r, &inq).await?);
                }
            }
        }
        if p.has(Role::ChiefRepresentative) {
            for e in escalation::Entity::find()
                .filter(escalation::Column::UnitId.eq(unit_id))
                .filter(escalation::Column::ResolvedAt.is_null())
                .order_by_asc(escalation::Column::Id)
                .all(db)
                .await?
            {
                if let Some(inq) = inquiry::Entity::find_by_id(e.inquiry_id).one(db).await? {
                    escalations_to_resolve.push(escalation_view(db, e, &inq).await?);
                }
            }
        }
    }
    Ok(InquiryInbox {
        mine,
        referrals_to_confirm,
        escalations_to_resolve,
    })
}
