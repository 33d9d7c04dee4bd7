//! New cases written at the end of their batch, all of them in one statement (issue 16,
//! PostgreSQL). A receipt writes nothing but a new case and its audit record; in a batch of
//! [`super::group`] each of them cost a round trip to the database while the center's turn was
//! held (and one more for the job's savepoint). A deferring job instead seals its record on the
//! chain's head in memory and leaves the case and the record here; the batch writes every row
//! left with it, and moves the chain's head once, in one statement
//! ([`super::chain::append_many_with_rows`]) before the batch's next job that is not deferring
//! (which could read those rows or append to the chain) and before its `COMMIT`. A case's
//! number is still taken in the job from the batch's counter ([`super::counter`]), its id
//! before the turn ([`super::ids`]).
//!
//! Nothing about what is kept changes: the rows are in the batch's transaction before it
//! commits, and a caller hears of its case only after the `COMMIT` succeeded; if writing them
//! fails, the whole batch fails and none of its jobs is acknowledged.

use sea_orm::{
    ConnectionTrait, EntityTrait, IntoActiveModel, QueryTrait, sea_query::UpdateStatement,
};

use super::{
    audit_key::CURRENT,
    chain,
    entities::{audit_record, cases},
};
use crate::error::{AppError, AppResult};

/// What [`Deferred::write`] did.
pub(crate) enum Written {
    /// The rows are in; the chain's head names its newest record, `last_id`.
    Rows { chain_id: i64, last_id: i64 },
    /// There were none: the statements to run along with them were not run.
    Nothing(Vec<UpdateStatement>),
}

/// The new cases and their sealed records that wait for the batch's end.
#[derive(Default)]
pub(crate) struct Deferred {
    cases: Vec<cases::ActiveModel>,
    records: Vec<audit_record::ActiveModel>,
    /// The chain's head once the records are written: chain, seq and hash of the last.
    head: Option<(i64, i64, String)>,
}

impl Deferred {
    pub(crate) fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The chain the records are on.
    pub(crate) fn chain_id(&self) -> Option<i64> {
        self.head.as_ref().map(|(chain_id, _, _)| *chain_id)
    }

    /// Adds the rows a later job left, after these. A writer that defers is its center's
    /// (`Db::write_deferred_for_center`): every deferring job of a batch is on that chain.
    pub(crate) fn extend(&mut self, later: Deferred) {
        debug_assert!(self.is_empty() || later.is_empty() || self.chain_id() == later.chain_id());
        self.cases.extend(later.cases);
        self.records.extend(later.records);
        if later.head.is_some() {
            self.head = later.head;
        }
    }

    /// Writes every row and moves the chain's head, in one statement that also runs `also`
    /// (see [`chain::append_many_with_rows`]); returns the chain and the id of its newest
    /// record. With nothing to write, `also` comes back unrun.
    pub(crate) async fn write<C: ConnectionTrait>(
        &mut self,
        txn: &C,
        also: Vec<UpdateStatement>,
    ) -> AppResult<Written> {
        let Some((chain_id, seq, hash)) = self.head.take() else {
            return Ok(Written::Nothing(also));
        };
        let rows = cases::Entity::insert_many(std::mem::take(&mut self.cases)).into_query();
        let records = std::mem::take(&mut self.records);
        let head = (chain_id, seq, hash.as_str());
        let last_id = chain::append_many_with_rows(txn, rows, records, head, also).await?;
        Ok(Written::Rows { chain_id, last_id })
    }
}

/// Leaves a new case and its record, sealed onto `head` (chain, seq, hash of the record), for
/// the end of the batch. Only a deferring job may (`Db::write_deferred_for_center`).
pub(crate) fn defer_case(
    case: cases::Model,
    record: audit_record::ActiveModel,
    head: (i64, i64, String),
) -> AppResult<()> {
    let deferring = CURRENT.try_with(|state| {
        let mut deferred = state.deferred.borrow_mut();
        let deferred = deferred.as_mut()?;
        deferred.cases.push(case.into_active_model());
        deferred.records.push(record);
        deferred.head = Some(head);
        Some(())
    });
    match deferring {
        Ok(Some(())) => Ok(()),
        _ => Err(AppError::internal(anyhow::anyhow!(
            "a row deferred outside a deferring write"
        ))),
    }
}
