//! Gap-free counters (case numbers per center and year, notice numbers per unit, kind and year).
//! The number is taken inside the caller's transaction: if the transaction rolls back, so does
//! the number, and the next caller gets it — no gaps, and (writers being serialised, with a
//! unique index behind) no duplicates.

use sea_orm::{
    ConnectionTrait, Value,
    sea_query::{DynIden, Expr, IntoIden, OnConflict, Query},
};

use crate::error::{AppError, AppResult};

/// Increments the counter row identified by `keys` (creating it at 0 first) and returns the new
/// value.
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
    let mut values: Vec<sea_orm::sea_query::SimpleExpr> =
        keys.iter().map(|(_, v)| v.clone().into()).collect();
    values.push(0i64.into());
    let insert = Query::insert()
        .into_table(table.clone())
        .columns(columns)
        .values_panic(values)
        .on_conflict(
            OnConflict::columns(keys.iter().map(|(c, _)| c.clone()))
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    txn.execute(backend.build(&insert)).await?;
    let mut update = Query::update();
    update
        .table(table)
        .value(last.clone(), Expr::col(last.clone()).add(1));
    for (column, value) in keys {
        update.and_where(Expr::col(column).eq(value));
    }
    update.returning_col(last.clone());
    let row = txn
        .query_one(backend.build(&update))
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("counter row missing")))?;
    Ok(row.try_get::<i64>("", &last.to_string())?)
}
