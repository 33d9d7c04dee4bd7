//! Gap-free counters (case numbers per center and year, notice numbers per unit, kind and year).
//! The number is taken inside the caller's transaction: if the transaction rolls back, so does
//! the number, and the next caller gets it — no gaps, and (writers being serialised, with a
//! unique index behind) no duplicates.

use sea_orm::{
    ConnectionTrait, Value,
    sea_query::{DynIden, Expr, IntoIden, OnConflict, Query, SimpleExpr},
};

use crate::error::{AppError, AppResult};

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
    let backend = txn.get_database_backend();
    let table = table.into_iden();
    let last = last.into_iden();
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
