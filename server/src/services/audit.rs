//! The audit log (`AuditRecord`): every state change writes one record in the same transaction.
//!
//! Records are append-only and hash-chained: each record's hash covers its own fields and the
//! previous record's hash. Appending locks the single `audit_head` row, so the chain cannot fork,
//! and the record id is taken from the head (id = last id + 1), so a deleted or inserted row shows.
//! [`verify`] walks the chain and names the first record that no longer matches. The hash is
//! keyed (HMAC with the configured audit key, see [`audit_chain`]).

use app::api::audit::Verification;
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QuerySelect, Set};
use serde::Serialize;

pub use super::audit_chain::GENESIS_HASH;
use super::audit_chain::{self, Fields, Sealing, chain_hash};
use crate::{
    error::{AppError, AppResult},
    store::{
        AuditKey, audit_key,
        entities::{audit_head, audit_record},
    },
};

/// One change to record.
pub struct Change<'a> {
    pub actor_id: Option<i64>,
    /// e.g. `center.create`, `calendar.replace_year`
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Serialises a value for `before`/`after`.
pub fn snapshot<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

impl<'a> Change<'a> {
    /// A row created (or an event recorded): nothing before, `after` after.
    pub fn new_row(
        actor_id: Option<i64>,
        action: &'a str,
        entity: &'a str,
        entity_id: impl ToString,
        after: serde_json::Value,
    ) -> Self {
        Change {
            actor_id,
            action,
            entity,
            entity_id: entity_id.to_string(),
            before: None,
            after: Some(after),
        }
    }

    /// A change shown as the API view of the row before (none when it was created) and after.
    pub fn of_views<T: Serialize>(
        actor_id: Option<i64>,
        action: &'a str,
        entity: &'a str,
        entity_id: impl ToString,
        before: Option<&T>,
        after: &T,
    ) -> Self {
        Change {
            actor_id,
            action,
            entity,
            entity_id: entity_id.to_string(),
            before: before.and_then(snapshot),
            after: snapshot(after),
        }
    }
}

/// Appends `change` at instant `at`, inside the caller's transaction.
pub async fn record<C: ConnectionTrait>(
    txn: &C,
    at: DateTime<Utc>,
    change: Change<'_>,
) -> AppResult<()> {
    // The database keeps microseconds; hash what will be read back.
    let at = at.trunc_subsecs(6);
    // Every write runs in `Db::write`, which makes the audit key current (`store::audit_key`).
    let key = audit_key::current().ok_or_else(|| {
        AppError::internal(anyhow::anyhow!("audit record appended outside Db::write"))
    })?;
    // FOR UPDATE on PostgreSQL (SQLite writers are already one at a time, see `store::Db`).
    let head = audit_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("audit head row missing")))?;

    let id = head.last_id + 1;
    let before = change.before.map(|v| v.to_string());
    let after = change.after.map(|v| v.to_string());
    let hash = chain_hash(
        Sealing::Keyed(&key),
        &Fields {
            id,
            at,
            actor_id: change.actor_id,
            action: change.action,
            entity: change.entity,
            entity_id: &change.entity_id,
            before: before.as_deref(),
            after: after.as_deref(),
            prev_hash: &head.last_hash,
        },
    );
    audit_record::ActiveModel {
        id: Set(id),
        at: Set(at),
        actor_id: Set(change.actor_id),
        action: Set(change.action.to_string()),
        entity: Set(change.entity.to_string()),
        entity_id: Set(change.entity_id),
        before: Set(before),
        after: Set(after),
        prev_hash: Set(head.last_hash.clone()),
        hash: Set(hash.clone()),
    }
    .insert(txn)
    .await?;
    audit_head::ActiveModel {
        id: Set(1),
        last_id: Set(id),
        last_hash: Set(hash),
    }
    .update(txn)
    .await?;
    Ok(())
}

/// Walks the whole chain in id order with the key (see [`audit_chain::verify`]).
pub async fn verify<C: ConnectionTrait>(db: &C, key: &AuditKey) -> AppResult<Verification> {
    audit_chain::verify(db, key).await
}
