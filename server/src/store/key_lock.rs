//! A lock on something that is not a row — a citizen's phone number — held by the transaction
//! until it ends. Writes on different centers' chains no longer wait on each other (issue 16),
//! but a few rules span centers: a phone holds at most so many open bookings, and never two
//! whose slots overlap, wherever they are. Such a write locks the phone after its center's
//! chain, so two bookings of one phone take turns and every other booking goes on.
//!
//! PostgreSQL: `pg_advisory_xact_lock` on the key's hash (a collision only makes two unrelated
//! writes take turns). SQLite: nothing to do, its writes are ordered already (see
//! [`super::Db`]).
//!
//! Lock order: a chain's head first, then keys; a transaction locks one chain, so two of them
//! can wait on each other only for keys, which they lock in the same order.

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use crate::error::AppResult;

/// The kinds of key, each its own space of locks.
#[derive(Clone, Copy, Debug)]
pub enum KeySpace {
    /// A phone number as stored (`StoredPhone`).
    Phone = 1,
}

/// Locks `key` in `space` until the end of the transaction.
pub async fn lock<C: ConnectionTrait>(txn: &C, space: KeySpace, key: &str) -> AppResult<()> {
    if txn.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    txn.execute(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1, hashtext($2))",
        [(space as i32).into(), key.into()],
    ))
    .await?;
    Ok(())
}
