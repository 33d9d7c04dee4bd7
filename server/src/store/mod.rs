//! Storage: SeaORM over SQLite (default, a file in the data folder) or PostgreSQL (several
//! instances). Nothing outside this module and `services` talks SQL.

pub mod audit_key;
pub mod cache;
pub mod chain;
pub mod columns;
pub mod counter;
pub(crate) mod deferred;
pub mod documents;
pub mod entities;
pub mod group;
pub mod ids;
pub mod key_lock;
pub mod migration;

use std::{future::Future, pin::Pin, sync::Arc, time::Duration};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::error::{AppError, AppResult};

pub use audit_key::AuditKey;

/// The database handle: a pool plus the group-commit writers ([`group`]): on SQLite the single
/// writer, on PostgreSQL one per center.
///
/// Every writing transaction appends to exactly one audit chain — its center's, or the
/// deployment's (chain 0) — and locks that chain's head before its first write (see [`chain`]).
/// What orders what:
/// - **SQLite** allows one writer anyway, and two deferred transactions that both read and then
///   write make one of them fail at once with `SQLITE_BUSY` (the busy timeout does not help
///   there), so writers queue in-process for their turn: every write is ordered with every other
///   one, as before. One instance per SQLite file. The writes queued meanwhile share one
///   transaction and one `COMMIT` (group commit, see [`group`]): each runs in its own
///   savepoint, one after the other, and its caller hears of it once the batch committed.
/// - **PostgreSQL** (several instances): [`Db::write`] locks the deployment chain's head at
///   `BEGIN`, so every write that runs there is ordered with every other such write, on every
///   instance, exactly as the single `audit_head` lock did. [`Db::write_in_center`] runs a write
///   that belongs to one center: it reads what it needs, then locks that center's head
///   ([`chain::lock`]) before its first write; the writes of one center are ordered among
///   themselves, two centers never wait on each other, and a center's writes do not wait on the
///   deployment chain (nor it on them).
///   [`Db::write_for_center`] does the same for a write that knows its center before it starts,
///   and queues it in-process behind the center's other such writes: one transaction and one
///   `COMMIT` for those queued together (group commit, see [`group`]).
/// - What the lock of one chain no longer orders against the others is made safe on its own:
///   - numbering (case numbers per center and year, notice and ticket numbers): the counter row
///     is incremented by one `UPDATE … RETURNING` (a row lock held to the end of the
///     transaction), so two writers on any chains get consecutive numbers, and a rollback gives
///     the number back ([`counter`]); unique indexes stand behind them;
///   - version checks: [`crate::services::versioned::save`] writes with `UPDATE … WHERE id = ?
///     AND version = ?` and answers `409 stale_version` when another chain's writer got there
///     first;
///   - the audit record's own order: the chain's head row, locked by its writer (records of
///     different chains have their own `seq`; their `id`s come from a sequence);
///   - rules that span centers: a phone's open bookings are counted, and compared for
///     overlap, over every center; a booking locks its phone after its center's chain
///     ([`key_lock`]), so two bookings of one phone take turns and no other write waits;
///   - on a center's chain: receipts and every later step of a case (review, corrections,
///     one-time exceptions, extensions, suspension, decision, delivery, closing, and the
///     sweeps that deem acceptance or mark a case overdue, one center at a time), kiosk tickets
///     and the window's calls and steps, bookings (made, moved, cancelled, arrived, missed),
///     the duty roster and check-in, closing and reopening the day (ordered with the kiosk's
///     tickets), inquiries, notice printings, citizens' ratings and their follow-up, appeal
///     and decision, patrols, problems (by hand or by the detector, one center at a time) and
///     their rectification, a unit's monthly list, slot rules and the making of a day's slots,
///     kiosks and queues. The writes still on the deployment chain (administration of the
///     organisation, staff and catalog, the calendar, interviews, monthly exports) keep the
///     old order among themselves; what a receipt touches beside its own new rows is the
///     counter row and, when it concludes an inquiry, the inquiry row (a versioned save), both
///     safe as above.
///
/// Writes that are not ours to shape as a SeaORM transaction — the session store's own SQL —
/// queue for the same turn through [`Db::serialized`] (after the open batch is committed), so
/// that no writer on SQLite ever runs beside another.
///
/// The handle also carries the audit chain's key (see [`audit_key`]).
#[derive(Clone)]
pub struct Db {
    pub conn: DatabaseConnection,
    /// SQLite only: the writer whose turns every write takes.
    writer: Option<Arc<group::Writer>>,
    /// PostgreSQL only: each center's writer, for [`Db::write_for_center`].
    center_writers: Option<Arc<group::Writers>>,
    audit_key: AuditKey,
    /// PostgreSQL: ids taken from the sequences ahead of the writes that use them.
    pub ids: Arc<ids::IdBlocks>,
    /// Who hears of committed changes (the in-memory caches, see [`cache`]).
    pub changes: Arc<cache::Changes>,
}

pub type TxFuture<'c, T> = Pin<Box<dyn Future<Output = AppResult<T>> + Send + 'c>>;

impl Db {
    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    /// `sqlite` or `postgres`, as the health check reports it.
    pub fn backend_name(&self) -> &'static str {
        match self.backend() {
            DatabaseBackend::Postgres => "postgres",
            DatabaseBackend::Sqlite => "sqlite",
            DatabaseBackend::MySql => "mysql",
        }
    }

    /// Runs `f` in one transaction on the deployment chain: everything it writes commits
    /// together or not at all.
    pub async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> TxFuture<'c, T> + Send,
    {
        self.run(Some(chain::DEPLOYMENT), f).await
    }

    /// Runs `f` in one transaction that writes to one center's chain: `f` calls
    /// [`chain::lock`] with the center's id once it knows it, before its first write.
    pub async fn write_in_center<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> TxFuture<'c, T> + Send,
    {
        self.run(None, f).await
    }

    /// Runs `f` as one write of center `center_id`, its chain locked before `f` runs, in a batch
    /// with the center's other writes queued meanwhile (group commit, see [`group`]): for the
    /// writes that know their center before they start (receipts, the steps of a case).
    pub async fn write_for_center<T, F>(&self, center_id: i64, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> TxFuture<'c, T> + Send,
    {
        let writer = match (&self.writer, &self.center_writers) {
            (Some(writer), _) => writer.clone(),
            (None, Some(writers)) => writers.of(center_id),
            (None, None) => return self.run(Some(center_id), f).await,
        };
        writer.run(self.audit_key.clone(), Some(center_id), f).await
    }

    /// [`Db::write_for_center`] for a write whose only writes are new cases left for the
    /// batch's end ([`deferred`]) and numbers from the batch's counters, and that fails, if it
    /// does, before it takes a number (a receipt): it runs without a savepoint of its own, and
    /// its rows are written with those of the receipts around it, in one statement. PostgreSQL
    /// only (there a receipt's id is taken before its write, see [`ids`]).
    pub async fn write_deferred_for_center<T, F>(&self, center_id: i64, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> TxFuture<'c, T> + Send,
    {
        let Some(writers) = &self.center_writers else {
            return Err(AppError::internal(anyhow::anyhow!(
                "deferred writes are for PostgreSQL's center writers"
            )));
        };
        writers
            .of(center_id)
            .run_deferring(self.audit_key.clone(), center_id, f)
            .await
    }

    async fn run<T, F>(&self, chain: Option<i64>, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c DatabaseTransaction) -> TxFuture<'c, T> + Send,
    {
        if let Some(writer) = &self.writer {
            return writer.run(self.audit_key.clone(), chain, f).await;
        }
        let transaction = self.conn.transaction::<_, T, AppError>(move |txn| {
            // Built now, polled only after the chain below is locked.
            let work = f(txn);
            Box::pin(async move {
                if let Some(chain_id) = chain {
                    chain::lock(txn, chain_id).await?;
                }
                work.await
            })
        });
        let (result, touched) =
            cache::collect_touched(audit_key::scope(self.audit_key.clone(), transaction)).await;
        let value = result.map_err(AppError::from)?;
        for entity in touched {
            if self.changes.watches(&entity) {
                self.announce(&entity).await;
            }
        }
        Ok(value)
    }

    /// Tells every cache, of this instance at once and of the others through `NOTIFY`, that
    /// `what` changed (see [`cache`]). Call after the change committed; never fails.
    pub async fn announce(&self, what: &str) {
        self.changes.tell(what);
        if self.backend() == DatabaseBackend::Postgres {
            notify_others(&self.conn, what).await;
        }
    }

    /// Runs a write that is not a SeaORM transaction (the session store's) in the same queue as
    /// [`Db::write`]: on SQLite it waits for the writer before it (and the open batch's
    /// `COMMIT`) and holds up the next one.
    pub async fn serialized<F: Future>(&self, work: F) -> F::Output {
        match &self.writer {
            Some(writer) => writer.serialized(work).await,
            None => work.await,
        }
    }

    /// SQLite: the transactions the writer committed since start and the writes they held
    /// (more writes than transactions: group commit at work). `None` on PostgreSQL.
    pub fn group_commit_stats(&self) -> Option<(u64, u64)> {
        self.writer.as_ref().map(|w| w.stats())
    }

    /// PostgreSQL: the same for the centers' writers ([`Db::write_for_center`]).
    pub fn center_group_commit_stats(&self) -> Option<(u64, u64)> {
        self.center_writers.as_ref().map(|w| w.stats())
    }

    /// The key that seals the audit chain.
    pub fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }

    pub async fn ping(&self) -> Result<(), sea_orm::DbErr> {
        self.conn.ping().await
    }
}

/// PostgreSQL: tells the other instances' caches that `what` changed (`NOTIFY`); never fails.
async fn notify_others(conn: &DatabaseConnection, what: &str) {
    let notified = sea_orm::sqlx::query("SELECT pg_notify($1, $2)")
        .bind(cache::CHANNEL)
        .bind(what)
        .execute(conn.get_postgres_connection_pool())
        .await;
    if let Err(err) = notified {
        tracing::warn!(error = %err, "could not announce a change to other instances");
    }
}

impl std::ops::Deref for Db {
    type Target = DatabaseConnection;
    fn deref(&self) -> &DatabaseConnection {
        &self.conn
    }
}

/// How long a request waits for a connection from the pool, a newly opened one included.
const POOL_TIMEOUT: Duration = Duration::from_secs(5);

/// A PostgreSQL connection idle in the pool this long is pinged before it is lent.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

/// The PostgreSQL pool. sqlx pings a connection when it comes back to the pool (a broken one is
/// closed then) and, by default, again before lending it: one more round trip for every
/// borrowing, among them every write batch's `BEGIN` (issue 16). Here only a connection that
/// sat idle for [`IDLE_BEFORE_PING`] or longer, which its server may have dropped meanwhile, is
/// pinged again.
async fn postgres_pool(url: &str) -> anyhow::Result<DatabaseConnection> {
    use sea_orm::sqlx::{
        ConnectOptions as _,
        postgres::{PgConnectOptions, PgPoolOptions},
    };
    let options = url.parse::<PgConnectOptions>()?.disable_statement_logging();
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .min_connections(1)
        .acquire_timeout(POOL_TIMEOUT)
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= IDLE_BEFORE_PING {
                    sea_orm::sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
        .connect_with(options)
        .await?;
    Ok(sea_orm::SqlxPostgresConnector::from_sqlx_postgres_pool(
        pool,
    ))
}

/// Connects, prepares SQLite (file, WAL, foreign keys) and applies every migration.
pub async fn connect(url: &str, audit_key: AuditKey) -> anyhow::Result<Db> {
    let is_sqlite = url.starts_with("sqlite:");
    if is_sqlite {
        ensure_sqlite_parent_dir(url)?;
    }
    let conn = if is_sqlite {
        let mut options = ConnectOptions::new(url.to_string());
        options
            .max_connections(8)
            .min_connections(1)
            .acquire_timeout(POOL_TIMEOUT)
            .connect_timeout(POOL_TIMEOUT)
            // A SQLite connection is a file handle in this process: nothing can break it
            // between two uses, so the ping sqlx sends before lending one (a round trip to the
            // connection's thread, one per query) buys nothing (issue 16).
            .test_before_acquire(false)
            .sqlx_logging(false);
        Database::connect(options).await?
    } else {
        postgres_pool(url).await?
    };
    if is_sqlite {
        // WAL lets readers go on while one writer commits; it is a property of the file.
        conn.execute_unprepared("PRAGMA journal_mode=WAL").await?;
        let fk = conn
            .query_one(sea_orm::Statement::from_string(
                DatabaseBackend::Sqlite,
                "PRAGMA foreign_keys",
            ))
            .await?
            .and_then(|row| row.try_get_by_index::<i32>(0).ok());
        anyhow::ensure!(fk == Some(1), "SQLite foreign keys are off");
    }
    migration::Migrator::up(&conn, None).await?;
    let changes: Arc<cache::Changes> = Arc::default();
    Ok(Db {
        writer: is_sqlite.then(|| Arc::new(group::Writer::new(conn.clone(), changes.clone()))),
        center_writers: (!is_sqlite)
            .then(|| Arc::new(group::Writers::new(conn.clone(), changes.clone()))),
        conn,
        audit_key,
        ids: Arc::default(),
        changes,
    })
}

fn ensure_sqlite_parent_dir(url: &str) -> anyhow::Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    Ok(())
}
