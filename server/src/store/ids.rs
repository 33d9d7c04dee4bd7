//! Ids taken before a write (issue 16): a new row whose audit record is sealed over its id can
//! then be written together with that record, and with other such rows, without reading its id
//! back (`services::audit::insert_known`, `store::deferred`).
//!
//! On PostgreSQL the ids come from the table's own sequence, a block at a time ([`IdBlocks`]):
//! one round trip for [`BLOCK`] receipts instead of one each. Ids are unique and, within one
//! instance, handed out in increasing order; they were never gap-free (a rolled-back insert
//! skips its id, and the ids of a block left when the instance stops are not used). What must
//! be gap-free is the case's number, which comes from its counter inside the write.

use std::{
    collections::{BTreeSet, HashMap},
    sync::Mutex,
};

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use crate::error::{AppError, AppResult};

/// How many ids one trip to a sequence takes.
pub const BLOCK: i64 = 32;

/// The ids this instance took from the tables' sequences and has not handed out yet.
#[derive(Default)]
pub struct IdBlocks {
    unused: Mutex<HashMap<&'static str, BTreeSet<i64>>>,
}

impl IdBlocks {
    /// PostgreSQL: an id for a new row of `table`, from this instance's block, taken from the
    /// table's sequence when the block is used up (taken outside the write, so that the
    /// center's turn does not wait for it). SQLite: none; its rows get their ids as they are
    /// inserted.
    pub async fn next<C: ConnectionTrait>(
        &self,
        db: &C,
        table: &'static str,
    ) -> AppResult<Option<i64>> {
        if db.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(None);
        }
        if let Some(id) = self.take(table, None) {
            return Ok(Some(id));
        }
        let rows = db
            .query_all(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)",
                [table.into(), BLOCK.into()],
            ))
            .await?;
        let block = rows
            .iter()
            .map(|row| row.try_get_by_index::<i64>(0))
            .collect::<Result<BTreeSet<i64>, _>>()?;
        self.take(table, Some(block))
            .map(Some)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("no id sequence for {table}")))
    }

    /// The lowest unused id of `table`, after adding `block` to them.
    fn take(&self, table: &'static str, block: Option<BTreeSet<i64>>) -> Option<i64> {
        let mut unused = self.unused.lock().unwrap_or_else(|e| e.into_inner());
        let ids = unused.entry(table).or_default();
        if let Some(mut block) = block {
            ids.append(&mut block);
        }
        ids.pop_first()
    }
}
