//! Reading cases: the workbench list (sorted by urgency) and one case in full.

use std::collections::BTreeMap;

use app::api::{
    Role,
    cases::{
        ApplicantKind, CaseDetail, CaseList, CaseScope, CaseSummary, Channel, CorrectionRecord,
        ExtensionRecord, HandoverRecord, OneTimeExceptionRecord, ReviewRecord, SuspensionRecord,
    },
};
use chrono::{DateTime, Utc};
use rules::TimeLimit;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DerivePartialModel, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, SimpleExpr},
};

use super::{
    Ctx, Loaded, Principal, can_read,
    deadlines::{suspension, suspension_rows},
    load, sweep_clock_for_read, timeliness,
};
use crate::{
    error::{AppError, AppResult},
    services::{notices, paging::PageRequest},
    store::{
        columns, documents,
        entities::{
            case_correction, case_extension, case_handover, case_review, cases, one_time_exception,
            staff,
        },
    },
};

/// The columns of `cases` a list shows (issue 16: a page reads these, not whole rows with their
/// item snapshots).
#[derive(DerivePartialModel, FromQueryResult)]
#[sea_orm(entity = "cases::Entity")]
struct SummaryRow {
    id: i64,
    number: String,
    item_code: String,
    unit_id: i64,
    center_id: i64,
    owner_id: i64,
    applicant_name: String,
    state: String,
    stage: Option<String>,
    received_at: DateTime<Utc>,
    review_due_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
    due_provisional: bool,
    version: i64,
    overdue_at: Option<DateTime<Utc>>,
    decided_on_time: Option<bool>,
    item_name: Option<String>,
    time_limit_kind: Option<String>,
    time_limit_amount: Option<i32>,
}

impl SummaryRow {
    fn time_limit(&self) -> Option<TimeLimit> {
        columns::time_limit_of(self.time_limit_kind.as_deref(), self.time_limit_amount)
    }

    /// Whether the row has the item's columns (m0016).
    fn has_item_head(&self) -> bool {
        self.item_name.is_some() && self.time_limit().is_some()
    }

    /// The item's name and time limit from the row's columns (m0016), if it has them; the
    /// name is moved out.
    fn take_item_head(&mut self) -> Option<(String, TimeLimit)> {
        let limit = self.time_limit()?;
        Some((self.item_name.take()?, limit))
    }
}

impl From<&cases::Model> for SummaryRow {
    fn from(row: &cases::Model) -> Self {
        SummaryRow {
            id: row.id,
            number: row.number.clone(),
            item_code: row.item_code.clone(),
            unit_id: row.unit_id,
            center_id: row.center_id,
            owner_id: row.owner_id,
            applicant_name: row.applicant_name.clone(),
            state: row.state.clone(),
            stage: row.stage.clone(),
            received_at: row.received_at,
            review_due_at: row.review_due_at,
            due_at: row.due_at,
            due_provisional: row.due_provisional,
            version: row.version,
            overdue_at: row.overdue_at,
            decided_on_time: row.decided_on_time,
            item_name: row.item_name.clone(),
            time_limit_kind: row.time_limit_kind.clone(),
            time_limit_amount: row.time_limit_amount,
        }
    }
}

fn summary_of(
    row: SummaryRow,
    (item_name, time_limit): (String, TimeLimit),
    owner_name: String,
) -> AppResult<CaseSummary> {
    let state = rules::CaseState::from_code(&row.state).ok_or_else(|| {
        AppError::internal(anyhow::anyhow!("case {} state {}", row.id, row.state))
    })?;
    Ok(CaseSummary {
        id: row.id,
        number: row.number,
        item_code: row.item_code,
        item_name,
        unit_id: row.unit_id,
        center_id: row.center_id,
        owner_id: row.owner_id,
        owner_name,
        applicant_name: row.applicant_name,
        state,
        state_label: state.label_zh().to_string(),
        stage: row.stage,
        received_at: row.received_at,
        review_due_at: row.review_due_at.filter(|_| {
            matches!(
                state,
                rules::CaseState::Received | rules::CaseState::CorrectionRequested
            )
        }),
        due_at: row
            .due_at
            .filter(|_| state.is_clock_running() || state == rules::CaseState::Suspended),
        due_provisional: row.due_provisional,
        time_limit,
        version: row.version,
        overdue_at: row.overdue_at,
        decided_on_time: row.decided_on_time,
    })
}

/// The item heads of the listed cases whose rows lack the m0016 columns (written by an older
/// instance), read from their snapshots; none to read on a database this version wrote.
async fn heads_from_snapshots<C: ConnectionTrait>(
    db: &C,
    rows: &[SummaryRow],
) -> AppResult<BTreeMap<i64, (String, TimeLimit)>> {
    let missing: Vec<i64> = rows
        .iter()
        .filter(|r| !r.has_item_head())
        .map(|r| r.id)
        .collect();
    if missing.is_empty() {
        return Ok(BTreeMap::new());
    }
    let snapshots: Vec<(i64, String)> = cases::Entity::find()
        .select_only()
        .columns([cases::Column::Id, cases::Column::ItemSnapshot])
        .filter(cases::Column::Id.is_in(missing))
        .into_tuple()
        .all(db)
        .await?;
    snapshots
        .into_iter()
        .map(|(id, json)| {
            let head = documents::case_item_head(&json)?;
            Ok((id, (head.name, head.time_limit.time_limit())))
        })
        .collect()
}

/// What hangs off a case besides its row: read for [`detail_of`], empty for a case just
/// received ([`detail_of_new`]).
struct Attached {
    reviews: Vec<case_review::Model>,
    extensions: Vec<case_extension::Model>,
    exceptions: Vec<one_time_exception::Model>,
    corrections: Vec<case_correction::Model>,
    handovers: Vec<case_handover::Model>,
    owner_active: bool,
    names: BTreeMap<i64, String>,
    suspensions: Vec<SuspensionRecord>,
    notices: Vec<app::api::notices::NoticeSummary>,
    timeliness: app::api::cases::CaseTimeliness,
}

/// The whole case as its unit and supervisors see it.
pub(crate) async fn detail_of<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    loaded: &Loaded,
) -> AppResult<CaseDetail> {
    let attached = attached(db, ctx, loaded).await?;
    assemble(loaded, attached)
}

/// [`detail_of`] for a case received in this very transaction, built from what the transaction
/// holds (issue 16: no read-back): nothing hangs off it yet and its owner is the receiving
/// clerk, `owner_name`.
pub(crate) fn detail_of_new(loaded: &Loaded, owner_name: String) -> AppResult<CaseDetail> {
    let row = &loaded.row;
    let attached = Attached {
        reviews: Vec::new(),
        extensions: Vec::new(),
        exceptions: Vec::new(),
        corrections: Vec::new(),
        handovers: Vec::new(),
        owner_active: true,
        names: BTreeMap::from([(row.owner_id, owner_name)]),
        suspensions: Vec::new(),
        notices: Vec::new(),
        timeliness: timeliness::view_of_new(row),
    };
    assemble(loaded, attached)
}

async fn attached<C: ConnectionTrait>(db: &C, ctx: &Ctx, loaded: &Loaded) -> AppResult<Attached> {
    let row = &loaded.row;
    let reviews = case_review::Entity::find()
        .filter(case_review::Column::CaseId.eq(row.id))
        .order_by_asc(case_review::Column::Round)
        .all(db)
        .await?;
    let extensions = case_extension::Entity::find()
        .filter(case_extension::Column::CaseId.eq(row.id))
        .order_by_asc(case_extension::Column::Id)
        .all(db)
        .await?;
    let exceptions = one_time_exception::Entity::find()
        .filter(one_time_exception::Column::CaseId.eq(row.id))
        .order_by_asc(one_time_exception::Column::Id)
        .all(db)
        .await?;
    let corrections = case_correction::Entity::find()
        .filter(case_correction::Column::CaseId.eq(row.id))
        .order_by_asc(case_correction::Column::Id)
        .all(db)
        .await?;
    let handovers = case_handover::Entity::find()
        .filter(case_handover::Column::CaseId.eq(row.id))
        .order_by_asc(case_handover::Column::Id)
        .all(db)
        .await?;
    let owner_active = staff::Entity::find_by_id(row.owner_id)
        .select_only()
        .column(staff::Column::Active)
        .into_tuple::<bool>()
        .one(db)
        .await?
        .unwrap_or(false);
    let suspended = suspension_rows(db, row.id).await?;
    // Collected first: an iterator borrowing the rows, held across the names' await, is not
    // `Send` for every lifetime.
    let suspension_staff: Vec<i64> = suspended
        .iter()
        .flat_map(|r| std::iter::once(r.created_by).chain(r.ended_by))
        .collect();
    let names = ctx
        .caches
        .staff_names(
            db,
            std::iter::once(row.owner_id)
                .chain(reviews.iter().map(|r| r.reviewed_by))
                .chain(extensions.iter().map(|e| e.requested_by))
                .chain(corrections.iter().map(|c| c.received_by))
                .chain(
                    [row.decided_by, row.delivered_by, row.closed_by]
                        .into_iter()
                        .flatten(),
                )
                .chain(exceptions.iter().map(|e| e.requested_by))
                .chain(suspension_staff)
                .chain(
                    handovers
                        .iter()
                        .flat_map(|h| [h.from_staff_id, h.to_staff_id, h.handed_over_by]),
                ),
        )
        .await?;
    let suspensions = suspended
        .into_iter()
        .map(|r| {
            let s = suspension(ctx, &r)?;
            Ok(SuspensionRecord {
                id: r.id,
                procedure: s.procedure,
                start_date: r.start_date,
                end_date: r.end_date,
                start_at: ctx.to_utc(s.start)?,
                end_at: s.end.map(|e| ctx.to_utc(e)).transpose()?,
                reason: s.reason,
                backdate_reason: r.backdate_reason,
                recorded_by: names.get(&r.created_by).cloned().unwrap_or_default(),
                ended_by: r.ended_by.and_then(|id| names.get(&id).cloned()),
            })
        })
        .collect::<AppResult<_>>()?;
    Ok(Attached {
        reviews,
        extensions,
        exceptions,
        corrections,
        handovers,
        owner_active,
        names,
        suspensions,
        notices: notices::of_case(db, row.id).await?,
        timeliness: timeliness::view(db, row).await?,
    })
}

/// What review `r` judged handed in that neither the receipt (`received`: `None` when it did
/// not list materials one by one), nor an earlier review (`earlier`: judged present there),
/// nor a correction registered before it had.
fn handed_in_at(
    received: &Option<Vec<String>>,
    earlier: &[String],
    corrections: &[case_correction::Model],
    r: &case_review::Model,
    verdicts: &[rules::review::MaterialReview],
) -> AppResult<Vec<String>> {
    let Some(received) = received else {
        return Ok(Vec::new());
    };
    let mut corrected = earlier.to_vec();
    for c in corrections
        .iter()
        .filter(|c| c.received_at <= r.reviewed_at)
    {
        corrected.extend(documents::list::<String>(&c.material_keys)?);
    }
    Ok(rules::review::handed_in_at_review(
        received, &corrected, verdicts,
    ))
}

fn assemble(loaded: &Loaded, attached: Attached) -> AppResult<CaseDetail> {
    let row = &loaded.row;
    let Attached {
        reviews,
        extensions,
        exceptions,
        corrections,
        handovers,
        owner_active,
        names,
        suspensions,
        notices,
        timeliness,
    } = attached;
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let received: Option<Vec<String>> = row
        .received_materials
        .as_deref()
        .map(documents::list)
        .transpose()?;
    let mut earlier: Vec<String> = Vec::new();
    let head = (
        loaded.item.name.clone(),
        loaded.item.time_limit.time_limit(),
    );
    let summary = summary_of(SummaryRow::from(row), head, name(row.owner_id))?;
    Ok(CaseDetail {
        summary: summary.clone(),
        applicant_kind: ApplicantKind::from_code(&row.applicant_kind)
            .unwrap_or(ApplicantKind::Person),
        applicant_id_number: row.applicant_id_number.clone(),
        applicant_phone: row.applicant_phone.as_str().to_string(),
        channel: Channel::from_code(&row.channel).unwrap_or(Channel::Counter),
        inquiry_id: row.inquiry_id,
        item: loaded.item.clone(),
        accepted_at: row.accepted_at,
        clock_start_at: row.clock_start_at,
        first_correction_at: row.first_correction_at,
        last_correction_at: row.last_correction_at,
        decided_at: row.decided_at,
        decision: row.decision.clone(),
        decision_reasons: row.decision_reasons.clone(),
        follow_up_check_on: row.follow_up_check_on,
        delivered_at: row.delivered_at,
        delivery_method: row.delivery_method.clone(),
        closed_at: row.closed_at,
        feedback: row.feedback.clone(),
        decided_by: row.decided_by.map(name),
        delivered_by: row.delivered_by.map(name),
        closed_by: row.closed_by.map(name),
        reviews: reviews
            .iter()
            .map(|r| {
                let verdicts = documents::review_verdicts(&r.verdicts)?;
                let handed_in = handed_in_at(&received, &earlier, &corrections, r, &verdicts)?;
                // A material judged present here was in the clerk's hands from now on.
                let present = verdicts.iter().filter(|v| v.verdict.handed_in());
                earlier.extend(present.map(|v| v.key.clone()));
                Ok(ReviewRecord {
                    round: r.round,
                    handed_in,
                    verdicts,
                    outcome: documents::review_outcome(&r.outcome_detail)?,
                    reviewed_by: name(r.reviewed_by),
                    reviewed_at: r.reviewed_at,
                })
            })
            .collect::<AppResult<_>>()?,
        corrections: corrections
            .iter()
            .map(|c| {
                Ok(CorrectionRecord {
                    material_keys: documents::list(&c.material_keys)?,
                    received_at: c.received_at,
                    received_by: name(c.received_by),
                })
            })
            .collect::<AppResult<_>>()?,
        suspensions,
        extensions: extensions
            .into_iter()
            .map(|e| ExtensionRecord {
                id: e.id,
                case_id: row.id,
                case_number: row.number.clone(),
                item_name: loaded.item.name.clone(),
                days: e.days,
                reason: e.reason,
                requested_by: name(e.requested_by),
                requested_at: e.requested_at,
                status: e.status.into(),
                decided_at: e.decided_at,
                decision_note: e.decision_note,
                due_at: summary.due_at,
            })
            .collect(),
        one_time_exceptions: exceptions
            .into_iter()
            .map(|e| {
                let material_keys: Vec<String> = documents::list(&e.material_keys)?;
                Ok(OneTimeExceptionRecord {
                    id: e.id,
                    case_id: row.id,
                    case_number: row.number.clone(),
                    material_names: loaded.material_names(&material_keys),
                    material_keys,
                    reason: e.reason,
                    requested_by: name(e.requested_by),
                    requested_at: e.requested_at,
                    status: e.status.into(),
                    decided_at: e.approved_at,
                    decision_note: e.decision_note,
                })
            })
            .collect::<AppResult<_>>()?,
        notices,
        timeliness,
        owner_active,
        handovers: handovers
            .into_iter()
            .map(|h| HandoverRecord {
                from_staff_id: h.from_staff_id,
                from_name: name(h.from_staff_id),
                to_staff_id: h.to_staff_id,
                to_name: name(h.to_staff_id),
                reason: h.reason,
                handed_over_by: name(h.handed_over_by),
                handed_over_at: h.handed_over_at,
            })
            .collect(),
    })
}

pub async fn detail(ctx: &Ctx, p: &Principal, id: i64) -> AppResult<CaseDetail> {
    sweep_clock_for_read(ctx).await?;
    let loaded = load(&ctx.db.conn, id).await?;
    if !can_read(p, &loaded.row) {
        return Err(AppError::forbidden());
    }
    detail_of(&ctx.db.conn, ctx, &loaded).await
}

/// `state IN ('received', …)`: the unfinished states, written as literals in the order of the
/// partial index of their ids (m0014). SQLite uses a partial index only when the query's
/// condition matches the index's own, which it cannot know of parameters when it plans the
/// statement; with parameters the page walked every finished case (≈0.1 s on 100,000).
///
/// Every open case of the deployment (`every_open`, the supervisors' list) on SQLite is asked
/// for as `+state IN (…)`, the condition of m0017's index, which no index on `state` can serve:
/// written plainly, SQLite's planner (with statistics) sorted all the open cases on each page.
/// A unit's list keeps the plain form: the index on (unit, state) bounds its sort by the unit's
/// open cases, where the plus form would walk every case of the unit. A clerk's own list keeps
/// it too (not measured on a large database).
fn unfinished(backend: DatabaseBackend, every_open: bool) -> SimpleExpr {
    let codes: Vec<String> = rules::CaseState::UNFINISHED
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect();
    let plus = if every_open && backend == DatabaseBackend::Sqlite {
        "+"
    } else {
        ""
    };
    Expr::cust(format!(
        "{plus}\"cases\".\"state\" IN ({})",
        codes.join(", ")
    ))
}

/// The caller's cases (or their unit's, or — supervisors — all), open ones by default, one
/// keyset page in order of receipt (issue 12: no unbounded lists), the page most urgent first:
/// overdue and near-due before the rest, then by due moment. With a `number` (as a person types
/// it), only that case, open or finished: a closed case was reachable by no page of the
/// product (an applicant back with a receipt, a decision to print again).
pub async fn list(
    ctx: &Ctx,
    p: &Principal,
    scope: CaseScope,
    include_closed: bool,
    number: Option<&str>,
    page: &PageRequest<i64>,
) -> AppResult<CaseList> {
    sweep_clock_for_read(ctx).await?;
    let mut query = cases::Entity::find();
    let include_closed = include_closed || number.is_some();
    if let Some(typed) = number {
        // Control characters never get here: the query extractor refuses them (400).
        let number = rules::tracking::case_number(typed).ok_or_else(|| {
            AppError::invalid(
                "invalid_case_number",
                "申请编号格式不正确，例如 2026-01-00001",
            )
            .with_field("number")
        })?;
        query = query.filter(cases::Column::Number.eq(number));
    }
    match scope {
        CaseScope::Mine => query = query.filter(cases::Column::OwnerId.eq(p.id)),
        CaseScope::Unit => {
            let unit = p.unit_id.ok_or_else(AppError::forbidden)?;
            if !(p.has(Role::Clerk) || p.has(Role::ChiefRepresentative)) {
                return Err(AppError::forbidden());
            }
            query = query.filter(cases::Column::UnitId.eq(unit));
        }
        CaseScope::All => {
            if !p.has(Role::Supervisor) {
                return Err(AppError::forbidden());
            }
        }
    }
    if !include_closed {
        // Finished cases (terminal, or delivered) stay out, in the query so pages stay full.
        let backend = ctx.db.conn.get_database_backend();
        query = query.filter(unfinished(backend, scope == CaseScope::All));
    }
    if let Some(after) = page.after {
        query = query.filter(cases::Column::Id.gt(after));
    }
    let rows = query
        .order_by_asc(cases::Column::Id)
        .limit(page.fetch())
        .into_partial_model::<SummaryRow>()
        .all(&ctx.db.conn)
        .await?;
    let rows = page.page(rows, |r| r.id);
    let next_cursor = rows.next.map(|id| id.to_string());
    let rows = rows.items;
    let names = ctx
        .caches
        .staff_names(&ctx.db.conn, rows.iter().map(|r| r.owner_id))
        .await?;
    let mut old_heads = heads_from_snapshots(&ctx.db.conn, &rows).await?;
    let mut items = Vec::with_capacity(rows.len());
    for mut row in rows {
        let state_now = rules::CaseState::from_code(&row.state);
        if !include_closed && state_now.is_some_and(|s| !s.is_unfinished()) {
            continue;
        }
        let head = match row.take_item_head() {
            Some(head) => head,
            None => old_heads.remove(&row.id).ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("case {}: no item snapshot", row.id))
            })?,
        };
        let owner_name = names.get(&row.owner_id).cloned().unwrap_or_default();
        items.push(summary_of(row, head, owner_name)?);
    }
    app::api::cases::sort_by_urgency(&mut items);
    Ok(CaseList { items, next_cursor })
}
