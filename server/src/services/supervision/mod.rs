//! Supervision (Seed §三(三)(四), issue #13): the detector that finds problems in the data,
//! problems filed by hand, the rectification list with 销号, 好差评 ratings and appeals, 约谈,
//! the monthly report (attachment 1), scores and the overview.
//!
//! Supervisors read everything and change only supervision records; unit staff read their
//! unit's problems and report their fixes.

pub mod bulletin;
pub mod detector;
pub mod interviews;
pub mod monthly;
pub mod overview;
pub mod patrols;
pub mod problems;
pub mod ratings;
pub mod records;
pub mod rectifications;
pub mod scores;

use app::api::Role;
use chrono::NaiveDate;
use rules::supervision::{ProblemKind, ProblemSource, rectification_deadline};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{Ctx, Principal, audit};
use crate::{
    error::{AppError, AppResult},
    store::{
        columns::RectificationStatus,
        entities::{problem, rectification, staff, unit},
    },
};

/// Working days a unit has to rectify a problem unless the supervisor says otherwise.
/// Source: product rule (configurable per problem when filed by hand).
pub const DEFAULT_RECTIFICATION_WORKING_DAYS: u32 = 10;

impl From<rules::lifecycle::RectificationRefusal> for AppError {
    fn from(err: rules::lifecycle::RectificationRefusal) -> Self {
        match err {
            rules::lifecycle::RectificationRefusal::NotAllowed { .. } => {
                AppError::not_here(err.code(), err.message())
            }
            rules::lifecycle::RectificationRefusal::Illegal { .. } => {
                AppError::conflict(err.code(), err.message())
            }
        }
    }
}

impl From<rules::lifecycle::AppealRefusal> for AppError {
    fn from(err: rules::lifecycle::AppealRefusal) -> Self {
        AppError::conflict(err.code(), err.to_string())
    }
}

/// Whether `p` may read supervision records of `unit_id`: supervisors everything, a unit's
/// clerks and chief representative their own unit.
pub(crate) fn can_read_unit(p: &Principal, unit_id: Option<i64>) -> bool {
    p.has(Role::Supervisor)
        || (unit_id.is_some()
            && p.unit_id == unit_id
            && (p.has(Role::Clerk) || p.has(Role::ChiefRepresentative)))
}

/// A problem about to be raised.
pub(crate) struct Raise {
    pub kind: ProblemKind,
    pub source: ProblemSource,
    pub center_id: i64,
    pub unit_id: i64,
    pub window_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub description: String,
    pub evidence: Option<(&'static str, i64)>,
    /// A second id in the key where the evidence alone is not one problem (a duty: the slot
    /// and the person).
    pub key_extra: Option<i64>,
    pub reported_by: Option<i64>,
    pub working_days: u32,
}

impl Raise {
    /// The detector's idempotence key: one problem per kind and piece of evidence. Problems
    /// filed by hand have none (two complaints about one case are two problems).
    pub fn dedupe_key(&self) -> Option<String> {
        if self.source.is_manual() {
            return None;
        }
        let (what, id) = self.evidence?;
        Some(match self.key_extra {
            Some(extra) => format!("{}:{what}:{id}:{extra}", self.kind.code()),
            None => format!("{}:{what}:{id}", self.kind.code()),
        })
    }
}

/// The deadline `working_days` working days after `found_on` (provisional past the calendar's
/// last published year, rather than no deadline at all).
pub(crate) fn deadline_of(
    ctx: &Ctx,
    found_on: NaiveDate,
    working_days: u32,
) -> AppResult<NaiveDate> {
    match rectification_deadline(&*ctx.calendar, found_on, working_days) {
        Ok(d) => Ok(d),
        Err(_) => Ok(ctx
            .calendar
            .add_working_days_provisional(found_on, working_days)?
            .date),
    }
}

/// Writes a problem and its rectification item (and their audit records) in `txn`, unless a
/// problem with the same evidence exists already. Returns the new problem.
pub(crate) async fn raise<C: ConnectionTrait>(
    txn: &C,
    ctx: &Ctx,
    r: Raise,
) -> AppResult<Option<(problem::Model, rectification::Model)>> {
    let key = r.dedupe_key();
    if let Some(k) = &key {
        let existing = problem::Entity::find()
            .filter(problem::Column::DedupeKey.eq(k.clone()))
            .one(txn)
            .await?;
        if existing.is_some() {
            return Ok(None);
        }
    }
    let today = ctx.today();
    let new_row = problem::ActiveModel {
        kind: Set(r.kind.code().into()),
        source: Set(r.source.code().into()),
        center_id: Set(r.center_id),
        unit_id: Set(Some(r.unit_id)),
        window_id: Set(r.window_id),
        staff_id: Set(r.staff_id),
        found_at: Set(ctx.now),
        found_on: Set(today),
        description: Set(r.description),
        evidence_kind: Set(r.evidence.map(|e| e.0.to_string())),
        evidence_id: Set(r.evidence.map(|e| e.1)),
        dedupe_key: Set(key),
        reported_by: Set(r.reported_by),
        struck: Set(false),
        ..Default::default()
    };
    let p = audit::insert_new(
        txn,
        ctx.now,
        r.reported_by,
        ("problem.raise", "problem"),
        new_row,
        |p| {
            (
                p.id,
                serde_json::json!({
                    "kind": p.kind, "source": p.source, "unit_id": p.unit_id,
                    "staff_id": p.staff_id, "evidence": [p.evidence_kind, p.evidence_id],
                }),
            )
        },
    )
    .await?;
    let deadline = deadline_of(ctx, today, r.working_days)?;
    let new_row = rectification::ActiveModel {
        problem_id: Set(p.id),
        center_id: Set(r.center_id),
        unit_id: Set(r.unit_id),
        staff_id: Set(r.staff_id),
        status: Set(RectificationStatus::Open),
        found_on: Set(today),
        deadline: Set(deadline),
        reopened: Set(0),
        created_at: Set(ctx.now),
        updated_at: Set(ctx.now),
        version: Set(1),
        ..Default::default()
    };
    let item = audit::insert_new(
        txn,
        ctx.now,
        r.reported_by,
        ("rectification.open", "rectification"),
        new_row,
        |item| {
            (
                item.id,
                serde_json::json!({
                    "problem_id": p.id, "unit_id": item.unit_id,
                    "deadline": item.deadline, "status": rules::RectificationStatus::Open,
                }),
            )
        },
    )
    .await?;
    Ok(Some((p, item)))
}

/// Names of staff members (empty for an unknown id).
pub(crate) async fn staff_name<C: ConnectionTrait>(
    db: &C,
    id: Option<i64>,
) -> AppResult<Option<String>> {
    Ok(match id {
        Some(id) => staff::Entity::find_by_id(id).one(db).await?.map(|s| s.name),
        None => None,
    })
}

/// A unit's name (empty for an unknown id).
pub(crate) async fn unit_name<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<String> {
    Ok(unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|u| u.name)
        .unwrap_or_default())
}

/// Refuses text with control characters or beyond `max` characters; `label` names the field.
pub(crate) fn text(value: &str, field: &str, label: &str, max: usize) -> AppResult<String> {
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AppError::bad_request(
            "control_characters",
            format!("{label}含有不可见的控制字符"),
        )
        .with_field(field));
    }
    Ok(app::api::validate::required_text(value, field, label, max)?)
}
