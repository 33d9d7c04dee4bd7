//! The audit log (`AuditRecord`): every state change writes one record in the same transaction.
//!
//! Records are append-only and hash-chained: each record's hash covers its own fields and the
//! previous record's hash. Appending locks the single `audit_head` row, so the chain cannot fork,
//! and the record id is taken from the head (id = last id + 1), so a deleted or inserted row shows.
//! [`verify`] walks the chain and names the first record that no longer matches.

use app::api::audit::Verification;
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{
    error::{AppError, AppResult},
    store::entities::{audit_head, audit_record},
};

/// The `prev_hash` of the first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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
    // FOR UPDATE on PostgreSQL (SQLite writers are already one at a time, see `store::Db`).
    let head = audit_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("audit head row missing")))?;

    let id = head.last_id + 1;
    let before = change.before.map(|v| v.to_string());
    let after = change.after.map(|v| v.to_string());
    let hash = chain_hash(&Fields {
        id,
        at,
        actor_id: change.actor_id,
        action: change.action,
        entity: change.entity,
        entity_id: &change.entity_id,
        before: before.as_deref(),
        after: after.as_deref(),
        prev_hash: &head.last_hash,
    });
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

struct Fields<'a> {
    id: i64,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    action: &'a str,
    entity: &'a str,
    entity_id: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
    prev_hash: &'a str,
}

/// SHA-256 over the previous hash and every field, each length-prefixed so that no two different
/// records can produce the same input.
fn chain_hash(f: &Fields<'_>) -> String {
    let mut hasher = Sha256::new();
    let mut put = |label: &str, value: Option<&str>| {
        let value = value.unwrap_or("\u{0}null");
        hasher.update(label.as_bytes());
        hasher.update((value.len() as u64).to_be_bytes());
        hasher.update(value.as_bytes());
    };
    put("prev", Some(f.prev_hash));
    put("id", Some(&f.id.to_string()));
    put(
        "at",
        Some(&f.at.to_rfc3339_opts(SecondsFormat::Micros, true)),
    );
    put("actor", f.actor_id.map(|a| a.to_string()).as_deref());
    put("action", Some(f.action));
    put("entity", Some(f.entity));
    put("entity_id", Some(f.entity_id));
    put("before", f.before);
    put("after", f.after);
    hex::encode(hasher.finalize())
}

/// Walks the whole chain in id order.
pub async fn verify<C: ConnectionTrait>(db: &C) -> AppResult<Verification> {
    let head = audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("audit head row missing")))?;
    let mut expected_prev = GENESIS_HASH.to_string();
    let mut expected_id = 1i64;
    let mut count = 0u64;
    let mut last_id = 0i64;
    let mut pages = audit_record::Entity::find()
        .order_by_asc(audit_record::Column::Id)
        .paginate(db, 1000);
    while let Some(rows) = pages.fetch_and_next().await? {
        for row in rows {
            let broken = |reason: &str| Verification {
                ok: false,
                records: count,
                first_broken_id: Some(row.id),
                reason: Some(reason.to_string()),
            };
            if row.id != expected_id {
                return Ok(broken("记录编号不连续（有记录被删除或插入）"));
            }
            if row.prev_hash != expected_prev {
                return Ok(broken("与前一条记录的链接不符"));
            }
            let recomputed = chain_hash(&Fields {
                id: row.id,
                at: row.at,
                actor_id: row.actor_id,
                action: &row.action,
                entity: &row.entity,
                entity_id: &row.entity_id,
                before: row.before.as_deref(),
                after: row.after.as_deref(),
                prev_hash: &row.prev_hash,
            });
            if recomputed != row.hash {
                return Ok(broken("记录内容已被修改"));
            }
            expected_prev = row.hash;
            expected_id += 1;
            last_id = row.id;
            count += 1;
        }
    }
    if head.last_id != last_id || head.last_hash != expected_prev {
        return Ok(Verification {
            ok: false,
            records: count,
            first_broken_id: Some(head.last_id.max(last_id)),
            reason: Some("链尾与最新记录不符（最新记录被删除或修改）".into()),
        });
    }
    Ok(Verification {
        ok: true,
        records: count,
        first_broken_id: None,
        reason: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(prev: &'a str, after: Option<&'a str>) -> Fields<'a> {
        Fields {
            id: 1,
            at: DateTime::parse_from_rfc3339("2026-03-02T01:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            actor_id: Some(7),
            action: "center.create",
            entity: "service_center",
            entity_id: "1",
            before: None,
            after,
            prev_hash: prev,
        }
    }

    #[test]
    fn the_hash_depends_on_every_field_and_the_previous_hash() {
        let a = chain_hash(&fields(GENESIS_HASH, Some("{\"name\":\"a\"}")));
        let b = chain_hash(&fields(GENESIS_HASH, Some("{\"name\":\"b\"}")));
        let c = chain_hash(&fields(&a, Some("{\"name\":\"a\"}")));
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn a_missing_value_and_an_empty_value_hash_differently() {
        assert_ne!(
            chain_hash(&fields(GENESIS_HASH, None)),
            chain_hash(&fields(GENESIS_HASH, Some("")))
        );
    }
}
