//! Cases (`Case`): receipt, acceptance review, the clock, special procedures, extensions,
//! decision, delivery and closing — each step checked with the rules core and written with its
//! audit record (and its notice, where one is due) in one transaction.
//!
//! Concurrency: every case carries a `version`. A write names the version it was made against;
//! a stale one gets 409 with the current case and changes nothing. Writers are serialised (see
//! `store::Db::write`), so the compare-and-bump inside the transaction cannot race.

mod clock;
mod lookup;
mod progress;
mod receive;
mod review;
mod views;

use std::sync::Arc;

use app::api::{Role, catalog::ServiceItem};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rules::{BusinessHours, CaseEvent, CaseState, WorkCalendar};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, Set};

pub use clock::{recompute_provisional, sweep_deemed_acceptance};
pub use lookup::public_status;
pub use progress::{
    close, decide, decide_extension, deliver, pending_extensions, request_extension, resume,
    start_review, suspend, to_decision, withdraw,
};
pub use receive::receive;
pub use review::{
    approve_exception, pending_exceptions, receive_correction, request_exception, review,
};
pub use views::{detail, list};

use super::audit::{self, Change};
use crate::{
    auth::Principal,
    error::{AppError, AppResult},
    state::AppState,
    store::entities::{cases, service_center},
};

/// What every case computation needs besides the case: the time zone, the calendar and now.
#[derive(Clone)]
pub struct Ctx {
    pub tz: Tz,
    pub now: DateTime<Utc>,
    pub calendar: Arc<WorkCalendar>,
}

impl Ctx {
    pub async fn of(state: &AppState) -> AppResult<Ctx> {
        Ok(Ctx {
            tz: state.tz,
            now: state.now(),
            calendar: state.calendar.get(&state.db.conn).await?,
        })
    }
}

/// A case row with what it was received under.
pub(crate) struct Loaded {
    pub row: cases::Model,
    pub item: ServiceItem,
    pub hours: BusinessHours,
    pub center: service_center::Model,
}

impl Loaded {
    pub fn state(&self) -> AppResult<CaseState> {
        CaseState::from_code(&self.row.state).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!(
                "case {} state {}",
                self.row.id,
                self.row.state
            ))
        })
    }
}

pub(crate) async fn load<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<Loaded> {
    let row = cases::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("办件"))?;
    let item: ServiceItem = serde_json::from_str(&row.item_snapshot).map_err(AppError::internal)?;
    let center = service_center::Entity::find_by_id(row.center_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("case {} has no center", row.id)))?;
    let hours: BusinessHours =
        serde_json::from_str(&center.business_hours).map_err(AppError::internal)?;
    Ok(Loaded {
        row,
        item,
        hours,
        center,
    })
}

/// Who may read a case: staff of its unit, and supervisors.
pub(crate) fn can_read(p: &Principal, row: &cases::Model) -> bool {
    p.has(Role::Supervisor)
        || (p.unit_id == Some(row.unit_id)
            && (p.has(Role::Clerk) || p.has(Role::ChiefRepresentative)))
}

/// Who may move a case: clerks of its unit (supervisors read, admins manage the catalog).
pub(crate) fn ensure_clerk_of(p: &Principal, row: &cases::Model) -> AppResult<()> {
    if p.has(Role::Clerk) && p.unit_id == Some(row.unit_id) {
        Ok(())
    } else {
        Err(AppError::client(
            axum::http::StatusCode::FORBIDDEN,
            "not_your_unit",
            "只有本单位窗口工作人员可以办理此件",
        ))
    }
}

/// Chief representatives decide for their own unit only.
pub(crate) fn ensure_chief_of(p: &Principal, unit_id: i64) -> AppResult<()> {
    if p.has(Role::ChiefRepresentative) && p.unit_id == Some(unit_id) {
        Ok(())
    } else {
        Err(AppError::client(
            axum::http::StatusCode::FORBIDDEN,
            "not_your_unit",
            "只有本单位首席代表可以审批",
        ))
    }
}

/// A stale version: 409 with the case as it is now, nothing changed.
pub(crate) async fn ensure_version(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    loaded: &Loaded,
    version: i64,
) -> AppResult<()> {
    if loaded.row.version == version {
        return Ok(());
    }
    let current = views::detail_of(txn, ctx, loaded).await?;
    Err(
        AppError::conflict("stale_version", "此件已被他人更新，请查看最新情况后再操作")
            .with_current(serde_json::to_value(current).map_err(AppError::internal)?),
    )
}

/// The state machine's answer to `event`, as a 409 when the step is not allowed now.
pub(crate) fn transition(state: CaseState, event: CaseEvent) -> AppResult<CaseState> {
    state
        .apply(event)
        .map_err(|e| AppError::conflict("illegal_transition", e.to_string()))
}

/// Writes the changed row with its version bumped, and the audit record, in `txn`.
pub(crate) async fn save(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: Option<i64>,
    action: &str,
    before: &cases::Model,
    mut model: cases::ActiveModel,
) -> AppResult<cases::Model> {
    model.version = Set(before.version + 1);
    model.updated_at = Set(ctx.now);
    let after = model.update(txn).await?;
    audit::record(
        txn,
        ctx.now,
        Change {
            actor_id: actor,
            action,
            entity: "case",
            entity_id: after.id.to_string(),
            before: Some(audit_view(before)),
            after: Some(audit_view(&after)),
        },
    )
    .await?;
    Ok(after)
}

/// The case fields an auditor reads (the item snapshot is left out: it never changes).
fn audit_view(row: &cases::Model) -> serde_json::Value {
    serde_json::json!({
        "number": row.number,
        "state": row.state,
        "stage": row.stage,
        "accepted_at": row.accepted_at,
        "clock_start_at": row.clock_start_at,
        "due_at": row.due_at,
        "due_provisional": row.due_provisional,
        "decision": row.decision,
        "version": row.version,
    })
}
