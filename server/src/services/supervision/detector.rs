//! The detector (日监控): finds problems in the data and raises each once, with its evidence and
//! a rectification item. It runs in the server every few minutes and on demand; a second run on
//! the same data raises nothing (each problem is keyed by its kind and evidence).

use std::collections::{BTreeMap, HashSet};

use app::api::supervision::DetectorRun;
use chrono::{DateTime, Duration, Utc};
use rules::{
    extended::ExtendedKind,
    supervision::{ProblemKind, ProblemSource},
};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
    sea_query::{Query, SelectStatement},
};

use super::{DEFAULT_RECTIFICATION_WORKING_DAYS, Raise, raise};
use crate::{
    error::{AppError, AppResult},
    services::{Ctx, cases},
    store::{
        columns::{InquiryStatus, TicketStatus},
        documents,
        entities::{
            appointment_slot, escalation, extended_service, inquiry, problem, queue_ticket,
            reassignment, rectification, referral, service_center, slot_duty, staff, violation,
        },
    },
};

/// A "cannot serve" report left without a reassignment this long is a problem.
/// Source: Seed §二(四)三 (另行安排人员); product rule for the limit.
const REASSIGN_LIMIT_MINUTES: i64 = 30;

/// A limit that runs in the hall's business time (首问负责, 另行安排): it stands still over the
/// noon break, after closing and on days off, as the hall's staff do. Counted in clock hours, a
/// referral made at 16:30 was "unconfirmed for four hours" 35 minutes after the next opening, and
/// one made before a holiday was a problem on the first day back.
struct HallTime<'a> {
    ctx: &'a Ctx,
    limit: Duration,
    hours: BTreeMap<i64, rules::BusinessHours>,
    /// Nothing created after this moment can be past the limit (business time never runs
    /// faster than the clock): a first filter for the database.
    cutoff: DateTime<Utc>,
}

impl<'a> HallTime<'a> {
    async fn read(txn: &DatabaseTransaction, ctx: &'a Ctx, limit: Duration) -> AppResult<Self> {
        let mut hours = BTreeMap::new();
        for c in service_center::Entity::find().all(txn).await? {
            hours.insert(c.id, documents::business_hours(&c.business_hours)?);
        }
        Ok(Self {
            ctx,
            limit,
            hours,
            cutoff: ctx.now - limit,
        })
    }

    /// Whether more than the limit of the center's business time has passed since `since`.
    fn past_limit(&self, center_id: i64, since: DateTime<Utc>) -> AppResult<bool> {
        let Some(hours) = self.hours.get(&center_id) else {
            return Ok(since < self.cutoff);
        };
        let calendar = self.ctx.calendar.provisional();
        let (from, to) = (self.ctx.local(since), self.ctx.local_now());
        let elapsed = hours
            .business_time_between(from, to, &calendar)
            .map_err(|e| AppError::internal(anyhow::anyhow!("business time: {e}")))?;
        Ok(elapsed > self.limit)
    }
}

/// Runs every check once. What the checks find is read first, in one read transaction; each
/// center's problems are then raised in one write on that center's chain, so the detector never
/// holds the deployment's chain and two halls' problems never wait on each other. A problem found
/// by two runs at once is raised once: `raise` looks its key up again in the center's turn.
pub async fn run(ctx: &Ctx) -> AppResult<DetectorRun> {
    let read = ctx.conn().begin().await?;
    let mut found: Vec<Raise> = Vec::new();
    cases_overdue(&read, ctx, &mut found).await?;
    stages_overdue(&read, ctx, &mut found).await?;
    violations(&read, &mut found).await?;
    first_inquiry(&read, ctx, &mut found).await?;
    tickets(&read, ctx, &mut found).await?;
    duty(&read, ctx, &mut found).await?;
    rectifications_overdue(&read, ctx, &mut found).await?;
    let known = known_keys(&read, &found).await?;
    read.rollback().await?;
    let fresh = found
        .into_iter()
        .filter(|r| !r.dedupe_key().is_some_and(|k| known.contains(&k)));
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut created = 0;
    for (center, raises) in cases::by_center(fresh.collect(), |r| r.center_id) {
        let kinds = ctx
            .write_for_center(center, move |txn, ctx| {
                Box::pin(async move {
                    let mut kinds = Vec::new();
                    for r in raises {
                        let kind = r.kind.code().to_string();
                        if raise(txn, &ctx, r).await?.is_some() {
                            kinds.push(kind);
                        }
                    }
                    Ok(kinds)
                })
            })
            .await?;
        for kind in kinds {
            created += 1;
            *by_kind.entry(kind).or_default() += 1;
        }
    }
    Ok(DetectorRun {
        created,
        by_kind: by_kind.into_iter().collect(),
    })
}

/// Of the keys of `found`, those raised already: looked up by the keys themselves (a unique
/// index), a batch at a time, rather than by reading every key ever raised at every run.
async fn known_keys(txn: &DatabaseTransaction, found: &[Raise]) -> AppResult<HashSet<String>> {
    let candidates: Vec<String> = found.iter().filter_map(Raise::dedupe_key).collect();
    let mut known = HashSet::new();
    for batch in candidates.chunks(500) {
        let keys: Vec<Option<String>> = problem::Entity::find()
            .select_only()
            .column(problem::Column::DedupeKey)
            .filter(problem::Column::DedupeKey.is_in(batch.iter().cloned()))
            .into_tuple()
            .all(txn)
            .await?;
        known.extend(keys.into_iter().flatten());
    }
    Ok(known)
}

fn detected(kind: ProblemKind, center_id: i64, unit_id: i64, description: String) -> Raise {
    Raise {
        kind,
        source: ProblemSource::Detected,
        center_id,
        unit_id,
        window_id: None,
        staff_id: None,
        description,
        evidence: None,
        key_extra: None,
        reported_by: None,
        working_days: DEFAULT_RECTIFICATION_WORKING_DAYS,
    }
}

/// 限时办结: a case past its due moment, undecided or decided late (kept after the decision).
/// Two reads, each from its own index and only of cases not raised yet: the undecided ones past
/// due (`ix_cases_decided_at_due_at`), and those decided late (the partial index
/// `ix_cases_decided_late`): a case decided on time can never raise one, and with 1,000,000
/// cases those are nearly all of them (bench/overview).
async fn cases_overdue(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    out: &mut Vec<Raise>,
) -> AppResult<()> {
    use crate::store::entities::cases::{Column, Entity};
    let read = |late: sea_orm::sea_query::SimpleExpr| {
        Entity::find()
            .select_only()
            .columns([
                Column::Id,
                Column::Number,
                Column::CenterId,
                Column::UnitId,
                Column::OwnerId,
                Column::DueAt,
            ])
            .filter(late)
            .filter(Column::DueAt.lt(ctx.now))
            .filter(Column::Id.not_in_subquery(known_evidence(ProblemKind::CaseOverdue, "case")))
            .into_tuple::<OverdueCase>()
            .all(txn)
    };
    let mut rows = read(Column::DecidedAt.is_null()).await?;
    // The very term of the partial index, so that both stores read through it.
    rows.extend(read(Column::DecidedAt.into_expr().gt(Column::DueAt.into_expr())).await?);
    for (id, number, center_id, unit_id, owner_id, due_at) in rows {
        let due = due_at.map(|d| ctx.local(d).format("%Y-%m-%d %H:%M").to_string());
        let mut r = detected(
            ProblemKind::CaseOverdue,
            center_id,
            unit_id,
            format!("办件 {number} 超过办结期限（{}）", due.unwrap_or_default()),
        );
        r.staff_id = Some(owner_id);
        r.evidence = Some(("case", id));
        out.push(r);
    }
    Ok(())
}

/// A case past due as the detector reads it: id, number, center, unit, owner, due.
type OverdueCase = (i64, String, i64, i64, i64, Option<DateTime<Utc>>);

/// The evidence ids of the problems of `kind` raised on `evidence` (a subquery).
fn known_evidence(kind: ProblemKind, evidence: &str) -> SelectStatement {
    Query::select()
        .column(problem::Column::EvidenceId)
        .from(problem::Entity)
        .and_where(problem::Column::Kind.eq(kind.code()))
        .and_where(problem::Column::EvidenceKind.eq(evidence))
        .and_where(problem::Column::EvidenceId.is_not_null())
        .to_owned()
}

/// 限时办结: the current stage of a case past its own limit (the item's stage limits).
async fn stages_overdue(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    out: &mut Vec<Raise>,
) -> AppResult<()> {
    use crate::store::entities::cases::{Column, Entity};
    let undecided: Vec<(i64, Option<String>)> = Entity::find()
        .select_only()
        .columns([Column::Id, Column::Stage])
        .filter(Column::Stage.is_not_null())
        .filter(Column::StageStartedAt.is_not_null())
        // Delivery (送达) is a stage too: a decided case is watched until it is delivered.
        .filter(Column::DeliveredAt.is_null())
        .into_tuple()
        .all(txn)
        .await?;
    // A case whose current stage was raised already is not loaded again (its snapshot parsed):
    // on a second run that is every case still over its stage.
    let raised: HashSet<(String, i64)> = problem::Entity::find()
        .select_only()
        .columns([problem::Column::EvidenceKind, problem::Column::EvidenceId])
        .filter(problem::Column::Kind.eq(ProblemKind::StageOverdue.code()))
        .into_tuple::<(Option<String>, Option<i64>)>()
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|(kind, id)| Some((kind?, id?)))
        .collect();
    let ids = undecided.into_iter().filter_map(|(id, stage)| {
        let key = (stage_evidence(stage.as_deref()?).to_string(), id);
        (!raised.contains(&key)).then_some(id)
    });
    for id in ids {
        let loaded = cases::load(txn, id).await?;
        let row = &loaded.row;
        let Some(stage) = &row.stage else {
            continue;
        };
        let Some(limit) = loaded
            .item
            .stage_limits
            .iter()
            .find(|l| l.stage.label_zh() == stage)
        else {
            continue;
        };
        // The due in force (suspensions and resumptions included), as the case page shows it.
        let due = cases::running_stage_due(txn, ctx, &loaded).await?;
        if due.flatten().is_some_and(|at| at < ctx.now) {
            let mut r = detected(
                ProblemKind::StageOverdue,
                row.center_id,
                row.unit_id,
                format!(
                    "办件 {} 的“{stage}”环节超过 {} 个工作日",
                    row.number, limit.working_days
                ),
            );
            r.staff_id = Some(row.owner_id);
            // One problem per case and stage.
            r.evidence = Some((stage_evidence(stage), row.id));
            out.push(r);
        }
    }
    Ok(())
}

fn stage_evidence(stage: &str) -> &'static str {
    match stage {
        "受理" => "case_stage_acceptance",
        "审查" => "case_stage_review",
        "决定" => "case_stage_decision",
        "送达" => "case_stage_delivery",
        _ => "case_stage",
    }
}

/// The violations the case workflow records: deemed acceptance and one-time breach (一次性告知),
/// an extension asked after the due moment (限时办结).
async fn violations(txn: &DatabaseTransaction, out: &mut Vec<Raise>) -> AppResult<()> {
    let raised = Query::select()
        .column(problem::Column::EvidenceId)
        .from(problem::Entity)
        .and_where(problem::Column::EvidenceKind.eq("violation"))
        .and_where(problem::Column::EvidenceId.is_not_null())
        .to_owned();
    let fresh = violation::Entity::find()
        .filter(violation::Column::Id.not_in_subquery(raised))
        .all(txn)
        .await?;
    for v in fresh {
        let kind = match v.kind.as_str() {
            "deemed_acceptance" => ProblemKind::DeemedAcceptance,
            "one_time_rule_breach" => ProblemKind::OneTimeRuleBreach,
            "extension_after_due" => ProblemKind::ExtensionAfterDue,
            _ => continue,
        };
        let mut r = detected(kind, v.center_id, v.unit_id, v.detail.clone());
        r.staff_id = v.staff_id;
        // The link goes to the case; the key to the violation record.
        r.evidence = Some(("violation", v.id));
        out.push(r);
    }
    Ok(())
}

/// 首问负责: referrals unconfirmed, escalations unresolved, inquiries without an outcome, all
/// past the hall's limit.
async fn first_inquiry(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    out: &mut Vec<Raise>,
) -> AppResult<()> {
    let limit = ctx.settings.inquiry_limit_hours;
    let hall = HallTime::read(txn, ctx, Duration::hours(limit)).await?;
    let cutoff = hall.cutoff;
    let referrals = referral::Entity::find()
        .filter(referral::Column::ConfirmedAt.is_null())
        .filter(referral::Column::CreatedAt.lt(cutoff))
        .all(txn)
        .await?;
    for r in referrals {
        let Some(inq) = inquiry::Entity::find_by_id(r.inquiry_id).one(txn).await? else {
            continue;
        };
        if !hall.past_limit(inq.center_id, r.created_at)? {
            continue;
        }
        let mut p = detected(
            ProblemKind::ReferralUnconfirmed,
            inq.center_id,
            r.to_unit_id,
            format!("咨询“{}”转办后超过 {limit} 小时未确认", inq.topic),
        );
        p.window_id = r.to_window_id;
        p.evidence = Some(("referral", r.id));
        out.push(p);
    }
    let escalations = escalation::Entity::find()
        .filter(escalation::Column::ResolvedAt.is_null())
        .filter(escalation::Column::CreatedAt.lt(cutoff))
        .all(txn)
        .await?;
    for e in escalations {
        let Some(inq) = inquiry::Entity::find_by_id(e.inquiry_id).one(txn).await? else {
            continue;
        };
        if !hall.past_limit(inq.center_id, e.created_at)? {
            continue;
        }
        let mut p = detected(
            ProblemKind::EscalationUnresolved,
            inq.center_id,
            e.unit_id,
            format!("咨询“{}”提请协调后超过 {limit} 小时未解决", inq.topic),
        );
        p.evidence = Some(("escalation", e.id));
        out.push(p);
    }
    let open = inquiry::Entity::find()
        .filter(inquiry::Column::Status.eq(InquiryStatus::Open))
        .filter(inquiry::Column::CreatedAt.lt(cutoff))
        .all(txn)
        .await?;
    for inq in open {
        if !hall.past_limit(inq.center_id, inq.created_at)? {
            continue;
        }
        let mut p = detected(
            ProblemKind::InquiryWithoutOutcome,
            inq.center_id,
            inq.unit_id,
            format!("咨询“{}”超过 {limit} 小时没有处理结果", inq.topic),
        );
        p.staff_id = Some(inq.owner_id);
        p.evidence = Some(("inquiry", inq.id));
        out.push(p);
    }
    Ok(())
}

/// 延时服务: tickets of a past day never served, "cannot serve" reports left unassigned.
async fn tickets(txn: &DatabaseTransaction, ctx: &Ctx, out: &mut Vec<Raise>) -> AppResult<()> {
    let unserved = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::Day.lt(ctx.today()))
        .filter(queue_ticket::Column::Status.is_in([
            TicketStatus::Waiting,
            TicketStatus::Called,
            TicketStatus::Serving,
            TicketStatus::Reassigning,
        ]))
        .filter(
            queue_ticket::Column::Id
                .not_in_subquery(known_evidence(ProblemKind::TicketUnservedAtClose, "ticket")),
        )
        .all(txn)
        .await?;
    for t in unserved {
        let mut p = detected(
            ProblemKind::TicketUnservedAtClose,
            t.center_id,
            t.unit_id,
            format!("{} 的 {} 号下班时未办理完毕", t.day, t.number),
        );
        p.window_id = t.window_id;
        // A ticket reported "cannot serve" waits for the chief representative's assignment: the
        // clerk who reported it did as the rule says (Seed §二(四)三) and is not named.
        p.staff_id = match t.status {
            TicketStatus::Reassigning => None,
            _ => t.served_by.or(t.called_by),
        };
        p.evidence = Some(("ticket", t.id));
        out.push(p);
    }
    refused_extended_service(txn, out).await?;
    let hall = HallTime::read(txn, ctx, Duration::minutes(REASSIGN_LIMIT_MINUTES)).await?;
    let waiting = reassignment::Entity::find()
        .filter(reassignment::Column::DecidedAt.is_null())
        .filter(reassignment::Column::CreatedAt.lt(hall.cutoff))
        .all(txn)
        .await?;
    for r in waiting {
        if !hall.past_limit(r.center_id, r.created_at)? {
            continue;
        }
        let mut p = detected(
            ProblemKind::CannotServeWithoutReassignment,
            r.center_id,
            r.unit_id,
            format!(
                "窗口报告不能提供服务（{}），超过 {REASSIGN_LIMIT_MINUTES} 分钟未另行安排人员",
                r.reason
            ),
        );
        // The unit's chief representative failed to assign; the reporting clerk followed the
        // rule, so the problem names no one of them (it is the unit's).
        p.evidence = Some(("reassignment", r.id));
        out.push(p);
    }
    Ok(())
}

/// 延时服务: a window may not refuse extended service a citizen asked for (Seed §二(四)三; one
/// who cannot serve reports to the chief representative). A request whose ticket was then
/// registered as absent, instead of being served or reported, is such a refusal: the request
/// stays open (only a finished service ends it) beside a ticket that can no longer be served.
async fn refused_extended_service(
    txn: &DatabaseTransaction,
    out: &mut Vec<Raise>,
) -> AppResult<()> {
    let asked: Vec<(Option<i64>, i64)> = extended_service::Entity::find()
        .select_only()
        .column(extended_service::Column::TicketId)
        .column(extended_service::Column::StaffId)
        .filter(extended_service::Column::Kind.eq(ExtendedKind::CitizenRequest.code()))
        .filter(extended_service::Column::EndedAt.is_null())
        .filter(extended_service::Column::TicketId.is_not_null())
        .into_tuple()
        .all(txn)
        .await?;
    let asked_by: BTreeMap<i64, i64> = asked
        .into_iter()
        .filter_map(|(ticket, staff)| Some((ticket?, staff)))
        .collect();
    if asked_by.is_empty() {
        return Ok(());
    }
    let absent = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::Id.is_in(asked_by.keys().copied()))
        .filter(queue_ticket::Column::Status.eq(TicketStatus::NoShow))
        .all(txn)
        .await?;
    for t in absent {
        let mut p = detected(
            ProblemKind::ExtendedServiceRefused,
            t.center_id,
            t.unit_id,
            format!(
                "{} 的 {} 号申请延时服务后被登记为未到，未提供延时服务",
                t.day, t.number
            ),
        );
        p.window_id = t.window_id;
        p.staff_id = t.called_by.or(asked_by.get(&t.id).copied());
        p.evidence = Some(("ticket", t.id));
        out.push(p);
    }
    Ok(())
}

/// 延时服务 (准时到岗): duty check-ins late, or missing once the slot has ended.
async fn duty(txn: &DatabaseTransaction, ctx: &Ctx, out: &mut Vec<Raise>) -> AppResult<()> {
    let duties = slot_duty::Entity::find()
        .filter(
            slot_duty::Column::LateMinutes
                .gt(0)
                .or(slot_duty::Column::CheckedInAt.is_null()),
        )
        .all(txn)
        .await?;
    for d in duties {
        let Some(slot) = appointment_slot::Entity::find_by_id(d.slot_id)
            .one(txn)
            .await?
        else {
            continue;
        };
        // The duty follows a booking (对…接受的预约服务…按照预约时间准时到岗): a slot nobody
        // booked, or whose bookings were all cancelled, needs nobody there.
        if slot.booked == 0 {
            continue;
        }
        let late = d.late_minutes.unwrap_or(0);
        let kind = if d.checked_in_at.is_some() && late > 0 {
            ProblemKind::DutyCheckInLate
        } else if d.checked_in_at.is_none() && slot.end_at < ctx.now {
            ProblemKind::DutyCheckInMissing
        } else {
            continue;
        };
        let person = staff::Entity::find_by_id(d.staff_id).one(txn).await?;
        let Some(unit_id) = slot.unit_id.or(person.as_ref().and_then(|s| s.unit_id)) else {
            continue;
        };
        let when = ctx.local(slot.start_at).format("%Y-%m-%d %H:%M");
        let description = match kind {
            ProblemKind::DutyCheckInLate => format!("{when} 的预约时段值守迟到 {late} 分钟"),
            _ => format!("{when} 的预约时段值守人员未到岗"),
        };
        let mut p = detected(kind, slot.center_id, unit_id, description);
        p.staff_id = Some(d.staff_id);
        // A duty is one slot and one person: the key names both.
        p.evidence = Some(("appointment_slot", slot.id));
        p.key_extra = Some(d.staff_id);
        out.push(p);
    }
    Ok(())
}

/// 问题清单整改销号: a rectification past its deadline is itself a problem (once per item).
async fn rectifications_overdue(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    out: &mut Vec<Raise>,
) -> AppResult<()> {
    use crate::store::columns::RectificationStatus as S;
    let late = rectification::Entity::find()
        .filter(rectification::Column::Status.is_in([S::Open, S::Reopened, S::Reported]))
        .filter(rectification::Column::Deadline.lt(ctx.today()))
        .filter(rectification::Column::Id.not_in_subquery(known_evidence(
            ProblemKind::RectificationOverdue,
            "rectification",
        )))
        // An overdue "overdue" item does not breed another one, nor does a struck problem's:
        // left out here rather than looked up one by one at every run.
        .filter(
            rectification::Column::ProblemId.not_in_subquery(
                Query::select()
                    .column(problem::Column::Id)
                    .from(problem::Entity)
                    .cond_where(
                        sea_orm::Condition::any()
                            .add(problem::Column::Kind.eq(ProblemKind::RectificationOverdue.code()))
                            .add(problem::Column::Struck.eq(true)),
                    )
                    .to_owned(),
            ),
        )
        .all(txn)
        .await?;
    for item in late {
        let Some(origin) = problem::Entity::find_by_id(item.problem_id)
            .one(txn)
            .await?
        else {
            continue;
        };
        // An overdue "overdue" item does not breed another one.
        if origin.kind == ProblemKind::RectificationOverdue.code() || origin.struck {
            continue;
        }
        let mut p = detected(
            ProblemKind::RectificationOverdue,
            item.center_id,
            item.unit_id,
            format!(
                "整改事项（{}）超过整改时限 {} 未销号",
                origin.description, item.deadline
            ),
        );
        p.staff_id = item.staff_id;
        p.evidence = Some(("rectification", item.id));
        out.push(p);
    }
    Ok(())
}
