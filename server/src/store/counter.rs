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

use std::{collections::HashMap, fmt::Write};

use sea_orm::{
    ConnectionTrait, DbErr, Value,
    sea_query::{DynIden, Expr, IntoIden, OnConflict, Query, SimpleExpr},
};

use super::audit_key::CURRENT;
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
}

impl Batched {
    /// Whether `self` took a number from a row that `before` had not read: a job that did so
    /// wrote to that row (see [`next`]).
    pub(crate) fn read_rows_beyond(&self, before: &Batched) -> bool {
        self.0.keys().any(|key| !before.0.contains_key(key))
    }

    /// Writes every count the batch moved on in memory to its row (before the `COMMIT`).
    pub(crate) async fn store<C: ConnectionTrait>(&mut self, txn: &C) -> Result<(), DbErr> {
        let backend = txn.get_database_backend();
        for count in self.0.values_mut().filter(|c| c.given > c.stored) {
            let mut update = Query::update();
            update
                .table(count.table.clone())
                .value(count.last.clone(), count.given);
            for (column, value) in &count.keys {
                update.and_where(Expr::col(column.clone()).eq(value.clone()));
            }
            txn.execute(backend.build(&update)).await?;
            count.stored = count.given;
        }
        Ok(())
    }
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
    let table = table.into_iden();
    let last = last.into_iden();
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
