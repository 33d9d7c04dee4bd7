//! The audit chain's key travels with the database handle: [`super::Db::write`] makes it the
//! current key of the transaction it runs, and `services::audit::record` seals what it appends
//! with it. Every write goes through `Db::write`, so every appended record is keyed without each
//! service passing the key along; a record appended anywhere else finds no key and fails.
//!
//! The same task-local state holds the head of the chain the transaction appends to (see
//! [`super::chain`]).
//!
//! The key comes from the configuration (`audit_key`), never from the database.

use std::{cell::RefCell, future::Future, sync::Arc};

use super::{chain::HeadState, counter::Batched, deferred::Deferred};

#[derive(Clone)]
pub struct AuditKey(Arc<[u8]>);

impl AuditKey {
    pub fn new(secret: &str) -> Self {
        Self(Arc::from(secret.as_bytes()))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

/// What one writing transaction carries besides its connection.
pub(crate) struct WriteState {
    pub(crate) key: AuditKey,
    pub(crate) head: RefCell<HeadState>,
    /// In a batch ([`super::group`]): the counters its jobs took numbers from.
    pub(crate) counters: RefCell<Option<Batched>>,
    /// In a deferring job of a batch: the rows it left for the batch's end (see
    /// [`super::deferred`]); `None` anywhere else.
    pub(crate) deferred: RefCell<Option<Deferred>>,
}

tokio::task_local! {
    pub(crate) static CURRENT: WriteState;
}

/// Runs `work` with `key` as the current audit key (and no chain locked yet).
pub async fn scope<F: Future>(key: AuditKey, work: F) -> F::Output {
    CURRENT
        .scope(
            WriteState {
                key,
                head: RefCell::new(HeadState::Unlocked),
                counters: RefCell::new(None),
                deferred: RefCell::new(None),
            },
            work,
        )
        .await
}

/// Where a job of a batch ([`super::group`]) starts, and where it left things: its chain's
/// head, the batch's counters and (a deferring job's) the rows left for the batch's end.
pub(crate) struct JobState {
    pub(crate) head: HeadState,
    pub(crate) counters: Batched,
    pub(crate) deferred: Option<Deferred>,
}

/// Runs `work` with `key` as the current audit key and `start` as where its chain, the batch's
/// counters and its deferred rows stand (a batch's next job starts where its last kept job left
/// them, see [`super::group`]); also returns where it left them. The work is kept on the heap:
/// a write's future is large.
pub(crate) fn scope_from<F: Future>(
    key: AuditKey,
    start: JobState,
    work: F,
) -> impl Future<Output = (F::Output, JobState)> {
    let state = WriteState {
        key,
        head: RefCell::new(start.head),
        counters: RefCell::new(Some(start.counters)),
        deferred: RefCell::new(start.deferred),
    };
    let mut scoped = Box::pin(CURRENT.scope(state, work));
    std::future::poll_fn(move |cx| {
        let out = std::task::ready!(scoped.as_mut().poll(cx));
        let end = scoped.as_mut().take_value().map_or_else(
            || JobState {
                head: HeadState::Unlocked,
                counters: Batched::default(),
                deferred: None,
            },
            |state| JobState {
                head: state.head.into_inner(),
                counters: state.counters.into_inner().unwrap_or_default(),
                deferred: state.deferred.into_inner(),
            },
        );
        std::task::Poll::Ready((out, end))
    })
}

/// The key of the write under way, if any.
pub fn current() -> Option<AuditKey> {
    CURRENT.try_with(|state| state.key.clone()).ok()
}
