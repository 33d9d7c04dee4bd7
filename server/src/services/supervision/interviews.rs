//! 约谈: people and units with repeated problems in a quarter (the configurable threshold), and
//! the record of each talk (who, when, outcome).

use std::collections::BTreeMap;

use app::api::supervision::{InterviewFlag, InterviewView, NewInterview};
use rules::supervision::{ProblemKind, Quarter, lapses_by_subject, needs_interview};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use super::{staff_name, text, unit_name};
use crate::{
    error::{AppError, AppResult},
    services::{
        Ctx, Principal, audit,
        paging::{ById, Page, PageRequest},
    },
    store::entities::{interview, problem, staff, unit},
};

/// `2026Q1` for the first quarter of 2026.
fn quarter_code(q: Quarter) -> String {
    q.code()
}

/// Reads `2026Q1` (or `2026-Q1`).
pub fn parse_quarter(text: &str) -> Option<Quarter> {
    Quarter::parse(text)
}

/// A problem as counted: its subject, kind and evidence (kind and id).
type ProblemRow = (Option<i64>, String, Option<String>, Option<i64>);

async fn counts<C: ConnectionTrait>(
    db: &C,
    q: Quarter,
    column: problem::Column,
) -> AppResult<BTreeMap<i64, u32>> {
    let rows: Vec<ProblemRow> = problem::Entity::find()
        .select_only()
        .column(column)
        .column(problem::Column::Kind)
        .column(problem::Column::EvidenceKind)
        .column(problem::Column::EvidenceId)
        .filter(problem::Column::Struck.eq(false))
        .filter(problem::Column::FoundOn.gte(q.first_day()))
        .filter(problem::Column::FoundOn.lt(q.end()))
        .into_tuple()
        .all(db)
        .await?;
    let mut of_subjects = Vec::with_capacity(rows.len());
    for (subject, kind, evidence, id) in rows {
        let Some(subject) = subject else { continue };
        let kind = ProblemKind::from_code(&kind);
        if !kind.is_some_and(ProblemKind::counts_towards_interview) {
            continue;
        }
        let system = kind.and_then(ProblemKind::system);
        let failed = match (system, evidence, id) {
            (Some(system), Some(evidence), Some(id)) => super::problems::case_of(db, &evidence, id)
                .await?
                .map(|case| (case, system)),
            _ => None,
        };
        of_subjects.push((subject, failed));
    }
    Ok(lapses_by_subject(of_subjects))
}

/// Who is due a 约谈 in quarter `q`: people and units at or above the hall's threshold
/// (setting `interview_problems_per_quarter`).
pub async fn flags(ctx: &Ctx, q: Option<Quarter>) -> AppResult<Vec<InterviewFlag>> {
    let q = q.unwrap_or_else(|| Quarter::of(ctx.today()));
    let threshold = ctx.settings.interview_threshold;
    let code = quarter_code(q);
    let held: Vec<(String, i64)> = interview::Entity::find()
        .select_only()
        .columns([interview::Column::SubjectKind, interview::Column::SubjectId])
        .filter(interview::Column::Quarter.eq(code.clone()))
        .into_tuple()
        .all(ctx.conn())
        .await?;
    let mut out = Vec::new();
    for (kind, column) in [
        ("staff", problem::Column::StaffId),
        ("unit", problem::Column::UnitId),
    ] {
        for (id, n) in counts(ctx.conn(), q, column).await? {
            if !needs_interview(n, threshold) {
                continue;
            }
            let name = match kind {
                "staff" => staff_name(ctx.conn(), Some(id)).await?.unwrap_or_default(),
                _ => unit_name(ctx.conn(), id).await?,
            };
            out.push(InterviewFlag {
                subject_kind: kind.into(),
                subject_id: id,
                name,
                quarter: code.clone(),
                problems: n,
                threshold: threshold.problems_per_quarter,
                held: held.iter().any(|(k, i)| k == kind && *i == id),
            });
        }
    }
    Ok(out)
}

async fn view<C: ConnectionTrait>(db: &C, i: interview::Model) -> AppResult<InterviewView> {
    let name = match i.subject_kind.as_str() {
        "staff" => staff_name(db, Some(i.subject_id))
            .await?
            .unwrap_or_default(),
        _ => unit_name(db, i.subject_id).await?,
    };
    Ok(InterviewView {
        id: i.id,
        subject_kind: i.subject_kind,
        subject_id: i.subject_id,
        name,
        quarter: i.quarter,
        problems: i.problems,
        held_on: i.held_on,
        interviewer_name: staff_name(db, Some(i.interviewer_id))
            .await?
            .unwrap_or_default(),
        outcome: i.outcome,
    })
}

/// A page of the 约谈 records, newest first.
pub async fn list(ctx: &Ctx, page: &PageRequest<i64>) -> AppResult<Page<InterviewView, i64>> {
    let rows = page
        .by_id(
            ctx.conn(),
            interview::Entity::find(),
            interview::Column::Id,
            ById::NewestFirst,
        )
        .await?;
    rows.try_map(|r| view(ctx.conn(), r)).await
}

/// Records a 约谈 held by the calling supervisor.
pub async fn record(ctx: &Ctx, p: &Principal, body: NewInterview) -> AppResult<InterviewView> {
    let outcome = text(&body.outcome, "outcome", "约谈情况", 1000)?;
    if body.held_on > ctx.today() {
        return Err(
            AppError::invalid("held_in_future", "约谈日期不能晚于今天").with_field("held_on")
        );
    }
    // A talk is recorded when held, or soon after: not for a quarter long closed.
    let year_ago = ctx.today().checked_sub_months(chrono::Months::new(12));
    if year_ago.is_some_and(|d| body.held_on < d) {
        return Err(
            AppError::invalid("held_too_long_ago", "约谈日期不能早于一年前").with_field("held_on"),
        );
    }
    let kind = body.subject_kind.clone();
    if kind != "staff" && kind != "unit" {
        return Err(
            AppError::invalid("unknown_subject_kind", "约谈对象须为人员或单位")
                .with_field("subject_kind"),
        );
    }
    let q = Quarter::of(body.held_on);
    let actor = p.id;
    let row = ctx
        .write(move |txn, ctx| {
            Box::pin(async move {
                // The people talked to are a unit's: its window staff and chief representative.
                let exists = match kind.as_str() {
                    "staff" => staff::Entity::find_by_id(body.subject_id)
                        .one(txn)
                        .await?
                        .is_some_and(|s| s.unit_id.is_some()),
                    _ => unit::Entity::find_by_id(body.subject_id)
                        .one(txn)
                        .await?
                        .is_some(),
                };
                if !exists {
                    return Err(AppError::invalid(
                        "unknown_subject",
                        "没有这个约谈对象：约谈对象须为入驻单位或其工作人员",
                    )
                    .with_field("subject_id"));
                }
                // A double submit, or the same talk typed twice: one record a day.
                let twice = interview::Entity::find()
                    .filter(interview::Column::SubjectKind.eq(kind.clone()))
                    .filter(interview::Column::SubjectId.eq(body.subject_id))
                    .filter(interview::Column::HeldOn.eq(body.held_on))
                    .one(txn)
                    .await?;
                if twice.is_some() {
                    return Err(AppError::conflict(
                        "interview_already_recorded",
                        "该对象当天的约谈已经记录",
                    )
                    .with_field("held_on"));
                }
                let column = match kind.as_str() {
                    "staff" => problem::Column::StaffId,
                    _ => problem::Column::UnitId,
                };
                let n = counts(txn, q, column)
                    .await?
                    .get(&body.subject_id)
                    .copied()
                    .unwrap_or(0);
                let new_row = interview::ActiveModel {
                    subject_kind: Set(kind),
                    subject_id: Set(body.subject_id),
                    quarter: Set(quarter_code(q)),
                    problems: Set(n as i32),
                    held_on: Set(body.held_on),
                    interviewer_id: Set(actor),
                    outcome: Set(outcome),
                    created_at: Set(ctx.now),
                    ..Default::default()
                };
                let row = audit::insert_new(
                    txn,
                    ctx.now,
                    Some(actor),
                    ("interview.record", "interview"),
                    new_row,
                    |row| {
                        (
                            row.id,
                            serde_json::json!({
                                "subject": [row.subject_kind, row.subject_id],
                                "held_on": row.held_on, "outcome": row.outcome,
                            }),
                        )
                    },
                )
                .await?;
                Ok(row)
            })
        })
        .await?;
    view(ctx.conn(), row).await
}
