//! Cases (`Case`): receipt, acceptance review, the clock, special procedures, extensions,
//! decision, delivery and closing — each step checked with the rules core and written with its
//! audit record (and its notice, where one is due) in one transaction.
//!
//! Concurrency: every case carries a `version`. A write names the version it was made against;
//! a stale one gets 409 with the current case and changes nothing. Writers are serialised (see
//! `store::Db::write`), so the compare-and-bump inside the transaction cannot race.

mod deadlines;
mod handover;
mod lapse;
mod lookup;
mod notice;
mod progress;
mod receipt;
mod receive;
mod review;
mod timeliness;
mod views;

use app::api::{Role, catalog::ServiceItem};
use rules::{BusinessHours, CaseEvent, CaseState};
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait, Set};

pub use deadlines::{recompute_year, sweep_clock, sweep_clock_for_read};
pub use handover::hand_over;
pub use lookup::{CaseKey, public_status, stored_number};
pub use progress::{
    ExtensionKey, close, decide, decide_extension, deliver, pending_extensions, request_extension,
    resume, start_review, suspend, to_decision, withdraw,
};
pub use receipt::receipt;
pub use receive::receive;
pub use review::{
    approve_exception, pending_exceptions, receive_correction, request_exception, review,
};
pub(crate) use timeliness::running_stage_due;
pub use views::{detail, list};

use super::{Ctx, Principal, versioned};
use crate::{
    error::{AppError, AppResult},
    services::found,
    store::{
        documents,
        entities::{cases, service_center},
    },
};

/// A case row with what it was received under.
pub(crate) struct Loaded {
    pub row: cases::Model,
    pub item: ServiceItem,
    pub hours: BusinessHours,
    pub center: service_center::Model,
}

impl Loaded {
    /// The names of the case's materials `keys` (a key the item does not know, as it is).
    pub fn material_names(&self, keys: &[String]) -> Vec<String> {
        keys.iter()
            .map(|k| {
                let m = self.item.materials.iter().find(|m| &m.key == k);
                m.map_or_else(|| k.clone(), |m| m.name.clone())
            })
            .collect()
    }

    pub fn state(&self) -> AppResult<CaseState> {
        CaseState::from_code(&self.row.state).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!(
                "case {} state {}",
                self.row.id,
                self.row.state
            ))
        })
    }

    /// The row to write once `event` happens: the state the rules give (409 when the step is
    /// not allowed now), every other field as loaded.
    pub fn after(&self, event: CaseEvent) -> AppResult<cases::ActiveModel> {
        let next = transition(self.state()?, event)?;
        let mut model: cases::ActiveModel = self.row.clone().into();
        model.state = Set(next.code().to_string());
        Ok(model)
    }
}

/// The center of case `id` (404 when there is none). A case never changes center, so this is
/// read before a step's write, which then runs on that center's chain
/// ([`Ctx::write_for_center`]): ordered with every other write of the center, with no other
/// center's, and reading the case only once it holds the center's chain.
pub(crate) async fn center_of(ctx: &Ctx, id: i64) -> AppResult<i64> {
    super::center_of::<cases::Entity>(ctx, cases::Column::CenterId, id, "办件").await
}

/// `items` grouped by their case's center, each group in the given order: a sweep over many
/// cases writes each center's on that center's chain.
pub(crate) fn by_center<T>(
    items: Vec<T>,
    center_of: impl Fn(&T) -> i64,
) -> std::collections::BTreeMap<i64, Vec<T>> {
    let mut groups = std::collections::BTreeMap::<i64, Vec<T>>::new();
    for item in items {
        groups.entry(center_of(&item)).or_default().push(item);
    }
    groups
}

pub(crate) async fn load<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<Loaded> {
    let row = found(db, cases::Entity, id, "办件").await?;
    let item = documents::case_item(&row.item_snapshot)?;
    let center = service_center::Entity::find_by_id(row.center_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("case {} has no center", row.id)))?;
    let hours = documents::business_hours(&center.business_hours)?;
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
    p.ensure_clerk_of(row.unit_id, "只有本单位窗口工作人员可以办理此件")
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
    Err(versioned::stale(
        "此件已被他人更新，请查看最新情况后再操作",
        current,
    ))
}

/// The state machine's answer to `event`, as a 409 when the step is not allowed now.
pub(crate) fn transition(state: CaseState, event: CaseEvent) -> AppResult<CaseState> {
    Ok(state.apply(event)?)
}

/// Writes the changed row with its version bumped, and the audit record, in `txn`; requests the
/// step leaves without a purpose lapse with it.
pub(crate) async fn save(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: Option<i64>,
    action: &str,
    before: &cases::Model,
    model: cases::ActiveModel,
) -> AppResult<cases::Model> {
    let saved = versioned::save(txn, ctx.now, actor, action, before, model).await?;
    lapse::lapse_requests(txn, ctx, actor, before, &saved).await?;
    Ok(saved)
}

// The case fields an auditor reads (the item snapshot is left out: it never changes).
versioned::versioned!(
    cases as "case",
    stamp(active, now) {
        active.updated_at = Set(now);
    },
    view(row) serde_json::json!({
        "number": row.number,
        "owner_id": row.owner_id,
        "state": row.state,
        "stage": row.stage,
        "accepted_at": row.accepted_at,
        "clock_start_at": row.clock_start_at,
        "due_at": row.due_at,
        "due_provisional": row.due_provisional,
        "decision": row.decision,
        "decided_on_time": row.decided_on_time,
        "decision_due_at": row.decision_due_at,
        "overdue_at": row.overdue_at,
        "version": row.version,
    }),
);
