//! Gap-free counters (case numbers per center and year, notice numbers per unit, kind and year).
//! The number is taken inside the caller's transaction: if the transaction rolls back, so does
//! the number, and the next caller gets it — no gaps, and (writers being serialised, with a
//! unique index behind) no duplicates.
//!
//! In a batch of [`super::group`] the counter's row is written once, not once per number (issue
//! 16): the batch's first job on a counter takes its number from the row (and, on PostgreSQL,
//! locks the row until the `COMMIT`); the later jobs count on in memory ([`Batched`]), and the
//! row gets the last number just before the `COMMIT`. A job rolled back to its savepoint leaves
//! the batch's count where it was, so its number goes to the next job as before.
//!
//! On PostgreSQL a center's next batch can even skip that first read ([`resume`]): a counter
//! whose row only changes in writes on the center's own chain ([`next_on_chain`]: the center's
//! case numbers) stands where the writer's last batch left it as long as the chain's head is the
//! one that batch left — nobody appended to the chain since, so nobody took a number either,
//! and that batch's `COMMIT` went through.

use std::{collections::HashMap, fmt::Write};

use sea_orm::{
    ConnectionTrait, Value,
    sea_query::{DynIden, Expr, IntoIden, OnConflict, Query, SimpleExpr, UpdateStatement},
};

use super::{
    audit_key::CURRENT,
    chain::{Head, HeadState},
};
use crate::error::{AppError, AppResult};

/// The counters a batch has taken numbers from, by row: where each stands in the batch and
/// what its row holds. Carried from job to job by [`super::group`].
#[derive(Clone, Default)]
pub(crate) struct Batched(HashMap<String, Count>);

#[derive(Clone)]
struct Count {
    table: DynIden,
    keys: Vec<(DynIden, Value)>,
    last: DynIden,
    /// The last number given out in the batch.
    given: i64,
    /// What the row holds.
    stored: i64,
    /// The batch read (and wrote) the row; otherwise the count came from its writer's last
    /// batch ([`resume`]).
    read_from_row: bool,
    /// Only writes on the chain of the transaction change the row ([`next_on_chain`]).
    on_chain: bool,
}

impl Batched {
    /// Whether `self` took a number from a row that `before` had not read: a job that did so
    /// wrote to that row (see [`next`]).
    pub(crate) fn read_rows_beyond(&self, before: &Batched) -> bool {
        let mut counts = self.0.iter();
        counts.any(|(key, count)| count.read_from_row && !before.0.contains_key(key))
    }

    /// The counts a later batch on the same chain may start from (see [`resume`]), once the
    /// rows hold them.
    pub(crate) fn on_chain(&self) -> Batched {
        let kept = self.0.iter().filter(|(_, count)| count.on_chain);
        let kept = kept.map(|(key, count)| {
            debug_assert_eq!(count.given, count.stored, "counts written out first");
            let count = Count {
                read_from_row: false,
                ..count.clone()
            };
            (key.clone(), count)
        });
        Batched(kept.collect())
    }

    /// The `UPDATE`s that give every row the batch moved on in memory its last number; the
    /// counts then stand as stored, so the caller runs them before the `COMMIT` (on
    /// PostgreSQL as part of the batch's last statement, see [`super::deferred`]) or the batch
    /// fails as a whole.
    pub(crate) fn updates(&mut self) -> Vec<UpdateStatement> {
        let moved = self.0.values_mut().filter(|c| c.given > c.stored);
        moved
            .map(|count| {
                let mut update = Query::update();
                update
                    .table(count.table.clone())
                    .value(count.last.clone(), count.given);
                for (column, value) in &count.keys {
                    update.and_where(Expr::col(column.clone()).eq(value.clone()));
                }
                count.stored = count.given;
                update
            })
            .collect()
    }
}

/// Right after a batch's job locked `head`'s chain: when the head is `left` (the head the
/// writer's last batch on that chain committed), the counts that batch left for its chain
/// ([`Batched::on_chain`]) are the rows' and the batch goes on from them without reading them
/// again. Any other head means someone else appended meanwhile (or that batch's `COMMIT`
/// failed): the rows are read as usual.
pub(crate) fn resume(left: &Head, counts: &Batched) {
    let _ = CURRENT.try_with(|state| {
        let HeadState::Held(head) = &*state.head.borrow() else {
            return;
        };
        let same = head.chain_id == left.chain_id
            && head.last_seq == left.last_seq
            && head.last_hash == left.last_hash;
        if let (true, Some(batched)) = (same, state.counters.borrow_mut().as_mut()) {
            for (key, count) in &counts.0 {
                batched
                    .0
                    .entry(key.clone())
                    .or_insert_with(|| count.clone());
            }
        }
    });
}

/// The row of a counter, as a key of [`Batched`].
fn row_key(table: &DynIden, keys: &[(DynIden, Value)]) -> String {
    let mut key = table.to_string();
    for (column, value) in keys {
        let _ = write!(key, "\u{1f}{}={value:?}", column.to_string());
    }
    key
}

/// Increments the counter row identified by `keys` (creating it at 1) and returns the new value:
/// one upsert, `INSERT … ON CONFLICT DO UPDATE SET last = last + 1 RETURNING last` (issue 16:
/// one round trip of a receipt's nine, where an insert-if-missing and an update took two). The
/// conflicting row stays locked until the caller's transaction ends, so concurrent callers
/// take turns on it (PostgreSQL) or are serialised already (SQLite).
pub async fn next<C: ConnectionTrait>(
    txn: &C,
    table: impl IntoIden,
    keys: Vec<(DynIden, Value)>,
    last: impl IntoIden,
) -> AppResult<i64> {
    take(txn, table.into_iden(), keys, last.into_iden(), false).await
}

/// [`next`] for a counter whose row only changes in writes on the transaction's chain (a
/// center's case numbers: only its receipts take them, on its chain); see [`resume`].
pub async fn next_on_chain<C: ConnectionTrait>(
    txn: &C,
    table: impl IntoIden,
    keys: Vec<(DynIden, Value)>,
    last: impl IntoIden,
) -> AppResult<i64> {
    take(txn, table.into_iden(), keys, last.into_iden(), true).await
}

async fn take<C: ConnectionTrait>(
    txn: &C,
    table: DynIden,
    keys: Vec<(DynIden, Value)>,
    last: DynIden,
    on_chain: bool,
) -> AppResult<i64> {
    let key = row_key(&table, &keys);
    // In a batch that took a number from this row already: the next one, in memory.
    let counted = CURRENT.try_with(|state| {
        let mut counters = state.counters.borrow_mut();
        let count = counters.as_mut()?.0.get_mut(&key)?;
        count.given += 1;
        Some(count.given)
    });
    if let Ok(Some(given)) = counted {
        return Ok(given);
    }
    let given = upsert(txn, table.clone(), keys.clone(), last.clone()).await?;
    let _ = CURRENT.try_with(|state| {
        if let Some(counters) = state.counters.borrow_mut().as_mut() {
            let count = Count {
                table,
                keys,
                last,
                given,
                stored: given,
                read_from_row: true,
                on_chain,
            };
            counters.0.insert(key, count);
        }
    });
    Ok(given)
}

/// The row's next number, from the row: one upsert.
async fn upsert<C: ConnectionTrait>(
    txn: &C,
    table: DynIden,
    keys: Vec<(DynIden, Value)>,
    last: DynIden,
) -> AppResult<i64> {
    let backend = txn.get_database_backend();
    let mut columns: Vec<DynIden> = keys.iter().map(|(c, _)| c.clone()).collect();
    columns.push(last.clone());
    let mut values: Vec<SimpleExpr> = keys.iter().map(|(_, v)| v.clone().into()).collect();
    values.push(1i64.into());
    let upsert = Query::insert()
        .into_table(table.clone())
        .columns(columns)
        .values_panic(values)
        .on_conflict(
            OnConflict::columns(keys.into_iter().map(|(c, _)| c))
                .value(last.clone(), Expr::col((table, last.clone())).add(1))
                .to_owned(),
        )
        .returning_col(last.clone())
        .to_owned();
    let row = txn
        .query_one(backend.build(&upsert))
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("counter upsert returned no row")))?;
    Ok(row.try_get::<i64>("", &last.to_string())?)
}
