//! Ids taken before a write (issue 16): a new row whose audit record is sealed over its id can
//! then be written together with that record in one statement (`services::audit::insert_known`).

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use crate::error::{AppError, AppResult};

/// PostgreSQL: the next value of the id sequence of `table` (taken outside the write, so that
/// the center's turn does not wait for it; a write that then fails skips its id, as a rolled-back
/// insert does anyway). SQLite: none; its rows get their ids as they are inserted.
pub async fn next_id<C: ConnectionTrait>(db: &C, table: &str) -> AppResult<Option<i64>> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(None);
    }
    let row = db
        .query_one(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT nextval(pg_get_serial_sequence($1, 'id'))",
            [table.into()],
        ))
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no id sequence for {table}")))?;
    Ok(Some(row.try_get_by_index::<i64>(0)?))
}
