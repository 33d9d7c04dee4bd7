//! Group commit (issue 16): several queued writes share one transaction and one `COMMIT` (one
//! sync of the WAL), each inside its own savepoint. On SQLite one [`Writer`] takes every write
//! (SQLite has one writer anyway); on PostgreSQL each center has its own ([`Writers`]), for the
//! writes that belong to that center (receipts, the steps of a case): they take turns on the
//! center's chain head and counters anyway, so queueing them in-process first costs nothing,
//! and a batch holds those locks once for all its jobs, where one transaction per write would
//! hold them across a `COMMIT` each. Other instances' writes of the center wait on the head's
//! row lock as before.
//!
//! There is no writer thread: each caller runs its own job, in its own task, when its turn
//! comes. A turn is the [`Writer`]'s lock (FIFO). Whoever holds it:
//! 1. undoes a job whose caller went away in the middle of it (see [`Writer::tidy`]);
//! 2. opens a transaction if none is open (`BEGIN`), or continues the open one;
//! 3. runs its job inside `SAVEPOINT ck_job`; a job that fails is rolled back to its savepoint
//!    (`ROLLBACK TO ck_job`) and its caller gets its error at once: the other jobs of the
//!    batch do not see it. The transaction's first job runs without a savepoint: undoing it
//!    is rolling back the transaction, which holds nothing else. A kept job's savepoint is
//!    released by the next job of the batch in the same round trip as its own (`RELEASE
//!    ck_job; SAVEPOINT ck_job`), or by the `COMMIT`: at most one savepoint is open at a time,
//!    and a job costs one round trip for them, not two. (Leaving every kept job's savepoint
//!    open, nested, measured no faster on PostgreSQL, and on SQLite it cost a quarter of the
//!    receipts: SQLite empties its in-memory sub-journal only once no savepoint is open, and
//!    spills it to a file past 64 KiB. `bench/RESULTS.md`, 2026-12-04 evening.)
//! 4. commits the batch if no other write is waiting for a turn or the batch ran
//!    [`MAX_BATCH`] jobs, else hands the open transaction to the next writer in line: a batch
//!    never waits to fill up, it only takes what queued while it ran. On PostgreSQL the next
//!    batch may begin while this one's `COMMIT` is on its way (see [`Writer::commit`]).
//!
//! A receipt on PostgreSQL runs as a *deferring* job ([`Writer::run_deferring`]): it writes
//! nothing itself but leaves its new case and audit record to the batch
//! ([`super::deferred`]), which writes those of all its deferring jobs in one statement before
//! its next job that is not deferring and before the `COMMIT`. Such a job sets no savepoint:
//! one that fails before it took a number, or after a number the batch counted in memory,
//! leaves nothing to undo; one that fails after it read its number from the counter's row (the
//! batch's first on that counter) gives up the batch so far, and none of those jobs is
//! acknowledged.
//!
//! A job's caller gets its value only after the `COMMIT` of its batch succeeded, so nothing
//! acknowledged is ever lost; when the `COMMIT` fails, every job of the batch gets an error and
//! none of them is kept. The `COMMIT` runs in a task of its own, so a caller that goes away
//! cannot leave it half done. After it, the entities the batch's audit records touched are
//! announced to the caches (see [`super::cache`]); live events are published by the callers,
//! after their value arrived.
//!
//! Jobs of one batch run one after another in the same transaction: each sees the writes of
//! those before it, so the audit chains' heads and the gap-free counters move on exactly as
//! they did with one transaction per write (a job rolled back gives its number back). A counter
//! row is written once per batch: the first job on it reads its number from the row, the later
//! ones count on in memory, and the row gets the batch's last number before the `COMMIT` (one
//! statement less per receipt, see [`counter`]).
//!
//! Writes that are not jobs (the session store's own SQL, see [`Writer::serialized`]) take a
//! turn too, after committing an open batch: SQLite has one writer, and the open batch holds it.

use std::{
    collections::{BTreeSet, HashMap},
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
};

use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

use super::{
    TxFuture,
    audit_key::{self, JobState},
    cache,
    chain::{self, Head, HeadState},
    counter,
    deferred::{Deferred, Written},
};
use crate::error::{AppError, AppResult};

/// The most jobs (kept or rolled back) one transaction runs.
pub const MAX_BATCH: usize = 32;

const SAVEPOINT: &str = "SAVEPOINT ck_job";
/// The previous kept job's savepoint ended and the next one's set, in one round trip.
const RELEASE_AND_SAVEPOINT: &str = "RELEASE ck_job; SAVEPOINT ck_job";
/// A job undone: back to its savepoint, which then ends (one round trip).
const UNDO: &str = "ROLLBACK TO ck_job; RELEASE ck_job";

/// The writer of one SQLite file, or of one center on PostgreSQL, in this process.
pub(crate) struct Writer {
    conn: DatabaseConnection,
    /// PostgreSQL: what a batch changed is announced to the other instances too.
    notify_others: bool,
    batch: Arc<Mutex<Option<Batch>>>,
    /// Writers that asked for a turn and do not have it yet.
    waiting: AtomicUsize,
    changes: Arc<cache::Changes>,
    /// Held by the batch whose `COMMIT` is in flight, until its jobs are told (see
    /// [`Writer::commit`]).
    committing: Arc<Mutex<()>>,
    /// PostgreSQL: the chain's head the last batch left, and the counts it left for that
    /// chain, once its `COMMIT` is under way (see [`counter::resume`]).
    left: std::sync::Mutex<Option<(Head, counter::Batched)>>,
    commits: AtomicU64,
    committed_jobs: AtomicU64,
}

/// The open transaction and the jobs in it that wait for its `COMMIT`.
struct Batch {
    txn: DatabaseTransaction,
    members: Vec<Member>,
    /// Savepoints set: the jobs run, kept or not.
    jobs_run: usize,
    /// Each chain's head as the batch's last kept job on it left it (its lock, on PostgreSQL,
    /// held by the transaction since): the next job on that chain starts there instead of
    /// reading (and locking) the head again. A job rolled back to its savepoint leaves it as
    /// it was.
    heads: HashMap<i64, Head>,
    /// The counters the batch's kept jobs took numbers from, as they left them (the rows get
    /// their last numbers before the `COMMIT`, see [`counter`]).
    counters: counter::Batched,
    /// A job has begun and not ended: its caller went away mid-job.
    job_open: bool,
    /// The last job that set a savepoint was kept and its savepoint is still set (the next
    /// job that sets one, or the `COMMIT`, ends it).
    kept_savepoint: bool,
    /// How the open job can be undone.
    open_job: JobKind,
    /// The rows the deferring jobs left, written before the next job that is not deferring
    /// and before the `COMMIT` (see [`super::deferred`]).
    deferred: Deferred,
}

/// How a job runs in its batch, and so how it is undone.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum JobKind {
    /// The transaction's first job, without a savepoint: undoing it is rolling the transaction
    /// back, which holds nothing else.
    Bare,
    /// In its own savepoint.
    Savepoint,
    /// A deferring job (see [`Writer::run_deferring`]), without a savepoint: it writes only
    /// through the batch's counters and its deferred rows, so a failure before it took a
    /// number from a counter's row leaves nothing to undo; after that, the batch is given up.
    Deferring,
}

struct Member {
    done: oneshot::Sender<Result<(), Failure>>,
    touched: BTreeSet<String>,
}

/// Why a batch was not committed, told to each of its jobs.
#[derive(Clone, Debug)]
struct Failure {
    message: String,
    unavailable: bool,
}

impl Failure {
    fn of(err: &DbErr) -> Self {
        Self {
            message: err.to_string(),
            unavailable: matches!(err, DbErr::ConnectionAcquire(_) | DbErr::Conn(_)),
        }
    }

    fn of_app(err: &AppError) -> Self {
        Self {
            message: format!("{err:?}"),
            unavailable: matches!(err, AppError::Unavailable(_)),
        }
    }

    fn error(&self) -> AppError {
        let err = anyhow::anyhow!("the write's batch was not committed: {}", self.message);
        if self.unavailable {
            AppError::Unavailable(err)
        } else {
            AppError::internal(err)
        }
    }
}

type Turn = OwnedMutexGuard<Option<Batch>>;

impl Writer {
    pub(crate) fn new(conn: DatabaseConnection, changes: Arc<cache::Changes>) -> Self {
        Self {
            notify_others: conn.get_database_backend() == sea_orm::DatabaseBackend::Postgres,
            conn,
            batch: Arc::new(Mutex::new(None)),
            waiting: AtomicUsize::new(0),
            changes,
            committing: Arc::new(Mutex::new(())),
            left: std::sync::Mutex::new(None),
            commits: AtomicU64::new(0),
            committed_jobs: AtomicU64::new(0),
        }
    }

    /// Transactions committed and the jobs they held, since start.
    pub(crate) fn stats(&self) -> (u64, u64) {
        (
            self.commits.load(Ordering::Relaxed),
            self.committed_jobs.load(Ordering::Relaxed),
        )
    }

    /// Runs `f` as one job of a batch (see the module's doc): `chain` is locked first when
    /// given, `key` seals its audit records. The value comes back once the batch committed.
    pub(crate) async fn run<T, F>(
        self: &Arc<Self>,
        key: audit_key::AuditKey,
        chain_id: Option<i64>,
        f: F,
    ) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> TxFuture<'c, T> + Send,
    {
        self.run_job(key, chain_id, false, f).await
    }

    /// [`Writer::run`] for a job that writes nothing but new rows left for the batch's end
    /// ([`super::deferred`]) and numbers from the batch's counters, and that fails, if it does,
    /// before it takes a number: it needs no savepoint, and its rows are written together with
    /// those of the deferring jobs around it (issue 16: a receipt then costs no round trip of
    /// its own while the center's turn is held).
    pub(crate) async fn run_deferring<T, F>(
        self: &Arc<Self>,
        key: audit_key::AuditKey,
        chain_id: i64,
        f: F,
    ) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> TxFuture<'c, T> + Send,
    {
        self.run_job(key, Some(chain_id), true, f).await
    }

    async fn run_job<T, F>(
        self: &Arc<Self>,
        key: audit_key::AuditKey,
        chain_id: Option<i64>,
        deferring: bool,
        f: F,
    ) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> TxFuture<'c, T> + Send,
    {
        let mut ticket = Ticket::new(self.clone());
        let mut turn = self.batch.clone().lock_owned().await;
        ticket.served();
        self.tidy(&mut turn).await;
        if !deferring {
            // It may read what the batch committing now wrote, or the caches it changed.
            self.settled().await;
        }
        let batch = match &mut *turn {
            Some(batch) => batch,
            empty => match self.conn.begin().await {
                Ok(txn) => empty.insert(Batch {
                    txn,
                    members: Vec::new(),
                    jobs_run: 0,
                    heads: HashMap::new(),
                    counters: counter::Batched::default(),
                    job_open: false,
                    kept_savepoint: false,
                    open_job: JobKind::Bare,
                    deferred: Deferred::default(),
                }),
                Err(err) => {
                    ticket.done();
                    return Err(err.into());
                }
            },
        };
        // A job that is not deferring could read the deferred rows or append to their chain:
        // they are written first.
        if !deferring && let Err(err) = batch.write_deferred().await {
            self.abort(&mut turn, Failure::of_app(&err)).await;
            ticket.done();
            return Err(err);
        }
        // The transaction's first job needs no savepoint (one round trip less per batch).
        let kind = match (batch.jobs_run == 0, deferring) {
            (true, _) => JobKind::Bare,
            (false, true) => JobKind::Deferring,
            (false, false) => JobKind::Savepoint,
        };
        if kind == JobKind::Savepoint {
            let begin_job = if batch.kept_savepoint {
                RELEASE_AND_SAVEPOINT
            } else {
                SAVEPOINT
            };
            if let Err(err) = batch.txn.execute_unprepared(begin_job).await {
                self.abort(&mut turn, Failure::of(&err)).await;
                ticket.done();
                return Err(err.into());
            }
            batch.kept_savepoint = false;
        }
        batch.open_job = kind;
        batch.job_open = true;
        batch.jobs_run += 1;
        let txn = &batch.txn;
        // Built now, polled only after the chain below is locked.
        let work = f(txn);
        // Locking the chain anew: the counts the last batch left may still stand.
        let left = chain_id
            .filter(|id| !batch.heads.contains_key(id))
            .and_then(|_| self.left().clone());
        let job = async move {
            if let Some(chain_id) = chain_id {
                chain::lock(txn, chain_id).await?;
                if let Some((head, counts)) = &left {
                    counter::resume(head, counts);
                }
            }
            work.await
        };
        let start = JobState {
            head: chain_id
                .and_then(|id| batch.heads.get(&id).cloned())
                .map_or(HeadState::Unlocked, HeadState::Held),
            counters: batch.counters.clone(),
            deferred: deferring.then(Deferred::default),
        };
        let ((result, end), touched) =
            cache::collect_touched(audit_key::scope_from(key, start, job)).await;
        let value = match result {
            Ok(value) => value,
            Err(err) => {
                match kind {
                    JobKind::Bare => {
                        tracing::debug!(error = %err, "the first job of a write batch failed");
                        give_up(&mut turn).await;
                    }
                    // Rolled back to its savepoint; the others of the batch go on.
                    JobKind::Savepoint => match undo(txn).await {
                        Ok(()) => {
                            batch.job_open = false;
                            self.pass_on(turn);
                        }
                        // The transaction is in a state we do not know: none of it is kept.
                        Err(undo_err) => self.abort(&mut turn, Failure::of(&undo_err)).await,
                    },
                    // Nothing written, unless it took a number from a counter's row or the
                    // database failed it: then none of the batch is kept.
                    JobKind::Deferring => {
                        let wrote = end.counters.read_rows_beyond(&batch.counters);
                        if wrote || !matches!(err, AppError::Client { .. }) {
                            self.abort(&mut turn, Failure::of_app(&err)).await;
                        } else {
                            batch.job_open = false;
                            self.pass_on(turn);
                        }
                    }
                }
                ticket.done();
                return Err(err);
            }
        };
        batch.job_open = false;
        if kind == JobKind::Savepoint {
            batch.kept_savepoint = true;
        }
        batch.counters = end.counters;
        if let HeadState::Held(head) = end.head {
            batch.heads.insert(head.chain_id, head);
        }
        if let Some(deferred) = end.deferred {
            // On its center's chain, like every deferring job of this writer.
            batch.deferred.extend(deferred);
        }
        let (done, received) = oneshot::channel();
        batch.members.push(Member { done, touched });
        self.pass_on(turn);
        ticket.done();
        match received.await {
            Ok(Ok(())) => Ok(value),
            Ok(Err(failure)) => Err(failure.error()),
            Err(_) => Err(AppError::internal(anyhow::anyhow!(
                "the write's batch ended without an answer"
            ))),
        }
    }

    /// Runs `work` (a write that is not a job) while no batch is open and no job runs.
    pub(crate) async fn serialized<F: std::future::Future>(self: &Arc<Self>, work: F) -> F::Output {
        loop {
            let turn = self.batch.clone().lock_owned().await;
            if turn.is_none() {
                let out = work.await;
                drop(turn);
                return out;
            }
            // Commit the open batch in a task of its own, then queue again.
            let this = self.clone();
            let _ = tokio::spawn(async move {
                let mut turn = turn;
                this.tidy(&mut turn).await;
                this.commit(turn).await;
            })
            .await;
        }
    }

    /// After a job: commit now, or leave the open batch to the next writer in line.
    fn pass_on(self: &Arc<Self>, turn: Turn) {
        let full = turn.as_ref().is_some_and(|b| b.jobs_run >= MAX_BATCH);
        if full || self.waiting.load(Ordering::Acquire) == 0 {
            let this = self.clone();
            tokio::spawn(async move { this.commit(turn).await });
        }
    }

    /// Commits whatever is open, now (a writer left without passing its turn on).
    fn flush_later(self: &Arc<Self>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let this = self.clone();
        runtime.spawn(async move {
            let mut turn = this.batch.clone().lock_owned().await;
            this.tidy(&mut turn).await;
            if this.waiting.load(Ordering::Acquire) == 0 {
                this.commit(turn).await;
            }
        });
    }

    /// Undoes a job whose caller went away in the middle of it.
    async fn tidy(&self, turn: &mut Option<Batch>) {
        let Some(batch) = turn.as_mut() else { return };
        if !batch.job_open {
            return;
        }
        match batch.open_job {
            JobKind::Bare => give_up(turn).await,
            JobKind::Savepoint => match undo(&batch.txn).await {
                Ok(()) => batch.job_open = false,
                Err(err) => self.abort(turn, Failure::of(&err)).await,
            },
            // It may have taken a number from a counter's row, which only the rollback of the
            // whole transaction gives back.
            JobKind::Deferring => {
                let failure = Failure {
                    message: "a deferring job's caller went away mid-job".into(),
                    unavailable: false,
                };
                self.abort(turn, failure).await;
            }
        }
    }

    /// Commits the open batch and tells its jobs; the caches hear of what it changed first.
    ///
    /// On PostgreSQL the turn passes on once the batch's last statement before the `COMMIT`
    /// ran, not after the `COMMIT` came back: the next batch opens its transaction meanwhile
    /// and asks for the chain head's lock, which the database gives it the moment this
    /// `COMMIT` ends, with no round trip of ours in between (issue 16: the chain head, the
    /// counters and every row the next batch writes are locked or checked by the database, as
    /// between two instances, so nothing of the order changes). A job that is not deferring
    /// waits for the `COMMIT` in flight first ([`Writer::settled`]): it sees the caches told.
    async fn commit(self: &Arc<Self>, mut turn: Turn) {
        let Some(mut batch) = turn.take() else { return };
        debug_assert!(!batch.job_open, "tidy before commit");
        if batch.members.is_empty() {
            // Only jobs that failed: nothing to keep.
            let _ = batch.txn.rollback().await;
            return;
        }
        // Held until the caches and the jobs are told; taken while the turn is held, so
        // commits end in the order of their batches.
        let in_flight = self.committing.clone().lock_owned().await;
        let committed = match batch.write_out().await {
            Ok(()) => {
                if self.notify_others {
                    *self.left() = batch.left();
                    drop(turn);
                }
                batch.txn.commit().await.map_err(|e| Failure::of(&e))
            }
            Err(err) => {
                let _ = batch.txn.rollback().await;
                Err(Failure::of_app(&err))
            }
        };
        match committed {
            Ok(()) => {
                self.commits.fetch_add(1, Ordering::Relaxed);
                self.committed_jobs
                    .fetch_add(batch.members.len() as u64, Ordering::Relaxed);
                let touched: BTreeSet<&String> =
                    batch.members.iter().flat_map(|m| &m.touched).collect();
                for entity in touched {
                    if self.changes.watches(entity) {
                        self.changes.tell(entity);
                        if self.notify_others {
                            super::notify_others(&self.conn, entity).await;
                        }
                    }
                }
                for member in batch.members {
                    let _ = member.done.send(Ok(()));
                }
            }
            Err(failure) => {
                *self.left() = None;
                let jobs = batch.members.len();
                tracing::error!(error = %failure.message, jobs, "group commit failed");
                // What a job read inside the batch may have been cached: forget it.
                self.changes.tell(cache::EVERYTHING);
                for member in batch.members {
                    let _ = member.done.send(Err(failure.clone()));
                }
            }
        }
        drop(in_flight);
    }

    fn left(&self) -> std::sync::MutexGuard<'_, Option<(Head, counter::Batched)>> {
        self.left.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for the `COMMIT` in flight, if any, and what follows it (see [`Writer::commit`]).
    async fn settled(&self) {
        drop(self.committing.lock().await);
    }

    /// Gives up the open batch: every job in it gets an error, nothing of it is kept.
    async fn abort(&self, turn: &mut Option<Batch>, failure: Failure) {
        let Some(batch) = turn.take() else { return };
        let jobs = batch.members.len();
        tracing::error!(error = %failure.message, jobs, "write batch abandoned");
        self.changes.tell(cache::EVERYTHING);
        for member in batch.members {
            let _ = member.done.send(Err(failure.clone()));
        }
        let _ = batch.txn.rollback().await;
    }
}

impl Batch {
    /// Writes the rows the deferring jobs left (see [`super::deferred`]); the chain's head then
    /// names the newest record.
    async fn write_deferred(&mut self) -> AppResult<()> {
        let written = self.deferred.write(&self.txn, Vec::new()).await?;
        self.deferred_written(written);
        Ok(())
    }

    /// Before the `COMMIT`: the deferred rows and the counters' last numbers, in one statement
    /// when there are rows (one round trip less per batch), else the counters alone.
    async fn write_out(&mut self) -> AppResult<()> {
        let counters = self.counters.updates();
        match self.deferred.write(&self.txn, counters).await? {
            Written::Nothing(counters) => {
                let backend = self.txn.get_database_backend();
                for update in counters {
                    self.txn.execute(backend.build(&update)).await?;
                }
            }
            written => self.deferred_written(written),
        }
        Ok(())
    }

    /// Once written out: the chain's head it leaves and its counts for that chain (a center's
    /// batch appends to its center's chain alone).
    fn left(&self) -> Option<(Head, counter::Batched)> {
        let mut heads = self.heads.values();
        match (heads.next(), heads.next()) {
            (Some(head), None) => Some((head.clone(), self.counters.on_chain())),
            _ => None,
        }
    }

    fn deferred_written(&mut self, written: Written) {
        if let Written::Rows { chain_id, last_id } = written
            && let Some(head) = self.heads.get_mut(&chain_id)
        {
            head.last_id = last_id;
        }
    }
}

/// PostgreSQL: one [`Writer`] per center, made when the center's first write comes.
pub(crate) struct Writers {
    conn: DatabaseConnection,
    changes: Arc<cache::Changes>,
    of_center: std::sync::Mutex<HashMap<i64, Arc<Writer>>>,
}

impl Writers {
    pub(crate) fn new(conn: DatabaseConnection, changes: Arc<cache::Changes>) -> Self {
        Self {
            conn,
            changes,
            of_center: Default::default(),
        }
    }

    pub(crate) fn of(&self, center_id: i64) -> Arc<Writer> {
        let mut writers = self.of_center.lock().unwrap_or_else(|e| e.into_inner());
        writers
            .entry(center_id)
            .or_insert_with(|| Arc::new(Writer::new(self.conn.clone(), self.changes.clone())))
            .clone()
    }

    /// Transactions committed and the jobs they held, summed over the centers.
    pub(crate) fn stats(&self) -> (u64, u64) {
        let writers = self.of_center.lock().unwrap_or_else(|e| e.into_inner());
        writers.values().fold((0, 0), |(c, j), w| {
            let (wc, wj) = w.stats();
            (c + wc, j + wj)
        })
    }
}

/// Rolls back the open transaction, whose only job failed or went away: it has no members.
async fn give_up(turn: &mut Option<Batch>) {
    if let Some(batch) = turn.take() {
        debug_assert!(batch.members.is_empty(), "a bare job is its batch's first");
        let _ = batch.txn.rollback().await;
    }
}

/// Rolls the job back to its savepoint and ends the savepoint.
async fn undo(txn: &DatabaseTransaction) -> Result<(), DbErr> {
    txn.execute_unprepared(UNDO).await.map(drop)
}

/// A writer's place in line: counted in `waiting` until its turn comes; if it goes away before
/// it passed its turn on (its request was dropped, its job panicked), whatever is open is
/// committed by a task of its own (a job cut off mid-way is undone first).
struct Ticket {
    writer: Arc<Writer>,
    queued: bool,
    finished: bool,
}

impl Ticket {
    fn new(writer: Arc<Writer>) -> Self {
        writer.waiting.fetch_add(1, Ordering::AcqRel);
        Self {
            writer,
            queued: true,
            finished: false,
        }
    }

    fn served(&mut self) {
        if self.queued {
            self.queued = false;
            self.writer.waiting.fetch_sub(1, Ordering::AcqRel);
        }
    }

    fn done(mut self) {
        self.served();
        self.finished = true;
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.served();
        if !self.finished {
            self.writer.flush_later();
        }
    }
}
