//! The audit log (`AuditRecord`): every state change writes one record in the same transaction.
//!
//! Records are append-only and hash-chained, one chain per center and one for the deployment:
//! each record's hash covers its own fields, its chain and place in it, and the previous record's
//! hash. Appending holds the chain's head (`store::chain`), so a chain cannot fork, and the place
//! is taken from the head (seq = last seq + 1), so a deleted or inserted row shows.
//! [`verify`] walks the chain and names the first record that no longer matches. The hash is
//! keyed (HMAC with the configured audit key, see [`audit_chain`]).

use app::api::audit::Verification;
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DatabaseBackend, EntityTrait,
    FromQueryResult, IntoActiveModel, QueryTrait, Set,
};
use serde::Serialize;

pub use super::audit_chain::GENESIS_HASH;
use super::audit_chain::{self, Fields, Sealing, chain_hash};
use crate::{
    error::{AppError, AppResult},
    store::{
        AuditKey, audit_key, chain, deferred,
        entities::{audit_record, cases},
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

/// Appends `change` at instant `at`, inside the caller's transaction, to the chain that
/// transaction locked (see `store::chain`).
pub async fn record<C: ConnectionTrait>(
    txn: &C,
    at: DateTime<Utc>,
    change: Change<'_>,
) -> AppResult<()> {
    let Sealed { record, mut next } = seal(txn, at, change).await?;
    next.last_id =
        chain::append(txn, record, next.chain_id, next.last_seq, &next.last_hash).await?;
    chain::advance(next)
}

/// A record sealed onto the head of its transaction's chain, not yet written.
struct Sealed {
    record: audit_record::ActiveModel,
    /// The chain's head once the record is written (`last_id` then set to the record's id).
    next: chain::Head,
}

/// Seals `change` as the next record of the transaction's chain: its place and its keyed hash.
async fn seal<C: ConnectionTrait>(
    txn: &C,
    at: DateTime<Utc>,
    change: Change<'_>,
) -> AppResult<Sealed> {
    // The caches that hold this entity hear of it after the commit (`store::cache`).
    crate::store::cache::touch(change.entity);
    // The database keeps microseconds; hash what will be read back.
    let at = at.trunc_subsecs(6);
    // Every write runs in `Db::write`, which makes the audit key current (`store::audit_key`).
    let key = audit_key::current().ok_or_else(|| {
        AppError::internal(anyhow::anyhow!("audit record appended outside Db::write"))
    })?;
    // Locked by the transaction before its first write; read once per transaction.
    let head = chain::head(txn).await?;
    let seq = head.last_seq + 1;
    let before = change.before.map(|v| v.to_string());
    let after = change.after.map(|v| v.to_string());
    let hash = chain_hash(
        Sealing::Keyed(&key),
        &Fields {
            chain_id: head.chain_id,
            seq,
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
    let record = audit_record::ActiveModel {
        chain_id: Set(head.chain_id),
        seq: Set(seq),
        at: Set(at),
        actor_id: Set(change.actor_id),
        action: Set(change.action.to_string()),
        entity: Set(change.entity.to_string()),
        entity_id: Set(change.entity_id),
        before: Set(before),
        after: Set(after),
        prev_hash: Set(head.last_hash),
        hash: Set(hash.clone()),
        ..Default::default()
    };
    Ok(Sealed {
        record,
        next: chain::Head {
            chain_id: head.chain_id,
            last_seq: seq,
            last_id: 0,
            last_hash: hash,
        },
    })
}

/// [`insert_new`] for a row whose id was taken beforehand (`store::ids`), its record's `after`
/// worked out without reading the row back. On PostgreSQL the row, its record and the move of
/// the chain's head are one statement: one round trip while the chain is held, not two (issue
/// 16). The values in `after` must be those the row stores (times in whole microseconds).
pub async fn insert_known<C, A>(
    txn: &C,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    (action, entity): (&str, &str),
    (id, row): (i64, A),
    after: serde_json::Value,
) -> AppResult<<A::Entity as EntityTrait>::Model>
where
    C: ConnectionTrait,
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A> + FromQueryResult,
{
    let change = Change::new_row(actor_id, action, entity, id, after);
    if txn.get_database_backend() != DatabaseBackend::Postgres {
        let inserted = row.insert(txn).await?;
        record(txn, at, change).await?;
        return Ok(inserted);
    }
    let Sealed { record, mut next } = seal(txn, at, change).await?;
    let insert = <A::Entity as EntityTrait>::insert(row).into_query();
    let place = (next.chain_id, next.last_seq, next.last_hash.as_str());
    let (stored, record_id) = chain::append_with_row(txn, insert, record, place).await?;
    next.last_id = record_id;
    chain::advance(next)?;
    Ok(<A::Entity as EntityTrait>::Model::from_query_result(
        &stored, "",
    )?)
}

/// [`insert_known`] for a new case in a deferring write (`Db::write_deferred_for_center`,
/// PostgreSQL): the record is sealed now, and the case and its record are written with the
/// batch's others at its end (`store::deferred`). `row` is the case exactly as it will be
/// stored (its id taken beforehand, times in whole microseconds), and is given back.
pub async fn defer_new_case<C: ConnectionTrait>(
    txn: &C,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    action: &str,
    row: cases::Model,
    after: serde_json::Value,
) -> AppResult<cases::Model> {
    let change = Change::new_row(actor_id, action, "case", row.id, after);
    let Sealed { record, next } = seal(txn, at, change).await?;
    let head = (next.chain_id, next.last_seq, next.last_hash.clone());
    deferred::defer_case(row.clone(), record, head)?;
    chain::advance(next)?;
    Ok(row)
}

/// Inserts a new row and records its creation in the same transaction: `action` on `entity`,
/// nothing before, and after it what `describe` keeps of the row as inserted (with its id).
pub async fn insert_new<'a, C, A, I>(
    txn: &'a C,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    (action, entity): (&str, &str),
    row: A,
    describe: impl FnOnce(&<A::Entity as EntityTrait>::Model) -> (I, serde_json::Value),
) -> AppResult<<A::Entity as EntityTrait>::Model>
where
    C: ConnectionTrait,
    A: ActiveModelTrait + ActiveModelBehavior + Send + 'a,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
    I: ToString,
{
    let inserted = row.insert(txn).await?;
    let (id, after) = describe(&inserted);
    record(
        txn,
        at,
        Change::new_row(actor_id, action, entity, id, after),
    )
    .await?;
    Ok(inserted)
}

/// Records a change shown as the API view of the row before (none when it was created) and
/// after, and gives the view after back.
pub async fn record_views<C: ConnectionTrait, T: Serialize>(
    txn: &C,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    (action, entity): (&str, &str),
    entity_id: impl ToString,
    before: Option<&T>,
    after: T,
) -> AppResult<T> {
    let change = Change::of_views(actor_id, action, entity, entity_id, before, &after);
    record(txn, at, change).await?;
    Ok(after)
}

/// Walks every chain in order with the key (see [`audit_chain::verify`]).
pub async fn verify<C: ConnectionTrait>(db: &C, key: &AuditKey) -> AppResult<Verification> {
    audit_chain::verify(db, key).await
}
