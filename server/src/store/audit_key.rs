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

use super::{chain::HeadState, counter::Batched};

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
            },
            work,
        )
        .await
}

/// Runs `work` with `key` as the current audit key, its chain where `head` stands and the
/// batch's counters where `counters` stand (a batch's next job starts where its last kept job
/// left them, see [`super::group`]); also returns where it left them. The work is kept on the
/// heap: a write's future is large.
pub(crate) fn scope_from<F: Future>(
    key: AuditKey,
    head: HeadState,
    counters: Batched,
    work: F,
) -> impl Future<Output = (F::Output, HeadState, Batched)> {
    let state = WriteState {
        key,
        head: RefCell::new(head),
        counters: RefCell::new(Some(counters)),
    };
    let mut scoped = Box::pin(CURRENT.scope(state, work));
    std::future::poll_fn(move |cx| {
        let out = std::task::ready!(scoped.as_mut().poll(cx));
        let (head, counters) = scoped.as_mut().take_value().map_or_else(
            || (HeadState::Unlocked, Batched::default()),
            |state| {
                let counters = state.counters.into_inner().unwrap_or_default();
                (state.head.into_inner(), counters)
            },
        );
        std::task::Poll::Ready((out, head, counters))
    })
}

/// The key of the write under way, if any.
pub fn current() -> Option<AuditKey> {
    CURRENT.try_with(|state| state.key.clone()).ok()
}
