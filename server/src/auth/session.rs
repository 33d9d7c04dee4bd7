//! Server-side staff sessions in the same database as everything else, through the maintained
//! `tower-sessions-sqlx-store` stores. The `staff_session` table is created by our own migration
//! (see `store::migration`) with exactly the columns each store expects, so the schema has one
//! source.
//!
//! - Every session write (create, save, delete, the expired sweep) queues with the database's
//!   other writers ([`Db::serialized`]): on SQLite a session row written between another
//!   transaction's read and its write would make that transaction fail with `SQLITE_BUSY`.
//! - The idle timeout is real: the session remembers when it was last used (by the server's
//!   clock) and ends after `session_idle_minutes` without a request; each use renews it, at most
//!   once every [`touch_interval`] so that reads do not all become writes (see
//!   `caller::principal_from_parts`). The stored row expires the same idle time after its last
//!   save; the cookie itself carries no lifetime and only names the row.
//! - A session also remembers a stamp of the password it was opened with
//!   ([`credential_stamp`]): when the password changes — by its owner or an administrator — every
//!   other session of the account stops at its next request.
//! - A session row read is kept in memory for a few seconds (`store::cache`): every write of a
//!   row (save, delete — logout, a new id at login or password change) forgets it on this
//!   instance at once and announces it to the others, so a cookie that was logged out is refused
//!   at its next request.

use std::sync::Arc;

use async_trait::async_trait;
use sea_orm::DatabaseBackend;
use sha2::{Digest, Sha512};
use tower_sessions::{
    Expiry, SessionManagerLayer,
    cookie::{
        Key, SameSite,
        time::{Duration, OffsetDateTime},
    },
    service::SignedCookie,
    session::{Id, Record},
    session_store::{self, ExpiredDeletion, SessionStore},
};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::store::{
    Db,
    cache::{self, TtlCache},
};

/// Table name shared with the migration.
pub const SESSION_TABLE: &str = "staff_session";
/// The cookie's name.
pub const SESSION_COOKIE: &str = "chuangkou_session";

/// Session keys: the signed-in staff id is `caller::STAFF_ID_KEY`; these two keep the session
/// honest.
pub const LAST_SEEN_KEY: &str = "last_seen";
/// When the session was opened (sign-in or password change): its absolute age counts from here.
pub const SIGNED_IN_KEY: &str = "signed_in_at";
pub const CREDENTIAL_KEY: &str = "credential";

/// How often a session in use is renewed: a quarter of the idle time, at most every two minutes.
pub fn touch_interval(idle_minutes: i64) -> chrono::Duration {
    (chrono::Duration::minutes(idle_minutes) / 4).min(chrono::Duration::minutes(2))
}

pub use crate::services::staff::password::credential_stamp;

#[derive(Debug, Clone)]
enum Inner {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

/// The store for whichever database the server runs on; its writes queue with the other
/// writers, and each saved row expires `idle` after the save.
#[derive(Clone)]
pub struct StaffSessionStore {
    inner: Inner,
    db: Db,
    idle: Duration,
    cache: Arc<TtlCache<i128, Record>>,
}

impl std::fmt::Debug for StaffSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffSessionStore")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl StaffSessionStore {
    pub fn for_db(db: &Db, idle_minutes: i64) -> anyhow::Result<Self> {
        let inner = match db.backend() {
            DatabaseBackend::Sqlite => Inner::Sqlite(
                SqliteStore::new(db.conn.get_sqlite_connection_pool().clone())
                    .with_table_name(SESSION_TABLE)
                    .map_err(anyhow::Error::msg)?,
            ),
            DatabaseBackend::Postgres => Inner::Postgres(
                PostgresStore::new(db.conn.get_postgres_connection_pool().clone())
                    .with_schema_name("public")
                    .map_err(anyhow::Error::msg)?
                    .with_table_name(SESSION_TABLE)
                    .map_err(anyhow::Error::msg)?,
            ),
            other => anyhow::bail!("unsupported database backend {other:?}"),
        };
        let cache = Arc::new(TtlCache::new(cache::TTL));
        let forget = cache.clone();
        db.changes.listen(&[], move |what| {
            if what == cache::EVERYTHING {
                forget.clear();
            } else if let Some(id) = what.strip_prefix("session:")
                && let Ok(id) = id.parse::<i128>()
            {
                forget.forget(&id);
            }
        });
        Ok(Self {
            inner,
            db: db.clone(),
            idle: Duration::minutes(idle_minutes),
            cache,
        })
    }

    /// Forgets a session row here and on every other instance (after it was written).
    async fn changed(&self, id: &Id) {
        self.db.announce(&cache::session_changed(id.0)).await;
    }

    /// The row lives `idle` from now (the real clock, as the store's own expiry checks use).
    fn renewed(&self, record: &Record) -> Record {
        let mut record = record.clone();
        record.expiry_date = OffsetDateTime::now_utc().saturating_add(self.idle);
        record
    }
}

#[async_trait]
impl SessionStore for StaffSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        *record = self.renewed(record);
        self.db
            .serialized(async {
                match &self.inner {
                    Inner::Sqlite(s) => s.create(record).await,
                    Inner::Postgres(s) => s.create(record).await,
                }
            })
            .await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let record = self.renewed(record);
        let saved = self
            .db
            .serialized(async {
                match &self.inner {
                    Inner::Sqlite(s) => s.save(&record).await,
                    Inner::Postgres(s) => s.save(&record).await,
                }
            })
            .await;
        self.changed(&record.id).await;
        saved
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        if let Some(record) = self.cache.get(&id.0)
            && record.expiry_date > OffsetDateTime::now_utc()
        {
            return Ok(Some(record));
        }
        let began = self.cache.begin();
        let loaded = match &self.inner {
            Inner::Sqlite(s) => s.load(id).await,
            Inner::Postgres(s) => s.load(id).await,
        }?;
        if let Some(record) = &loaded {
            self.cache.put(id.0, record.clone(), began);
        }
        Ok(loaded)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let deleted = self
            .db
            .serialized(async {
                match &self.inner {
                    Inner::Sqlite(s) => s.delete(id).await,
                    Inner::Postgres(s) => s.delete(id).await,
                }
            })
            .await;
        self.changed(id).await;
        deleted
    }
}

#[async_trait]
impl ExpiredDeletion for StaffSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.db
            .serialized(async {
                match &self.inner {
                    Inner::Sqlite(s) => s.delete_expired().await,
                    Inner::Postgres(s) => s.delete_expired().await,
                }
            })
            .await
    }
}

/// The session layer: signed cookie, `HttpOnly`, `SameSite=Strict`. The cookie has no lifetime
/// of its own (it ends with the browser); the session's life is decided on the server, by the
/// idle timeout above.
pub fn layer(
    store: StaffSessionStore,
    secret: &str,
    secure: bool,
) -> SessionManagerLayer<StaffSessionStore, SignedCookie> {
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(secure)
        .with_path("/")
        .with_expiry(Expiry::OnSessionEnd)
        // The cookie key wants 64 bytes; SHA-512 of the configured secret gives them.
        .with_signed(Key::from(&Sha512::digest(secret.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_renewed_a_few_times_per_idle_period_at_most_every_two_minutes() {
        assert_eq!(touch_interval(480), chrono::Duration::minutes(2));
        assert_eq!(touch_interval(4), chrono::Duration::minutes(1));
        assert!(touch_interval(1) < chrono::Duration::minutes(1));
    }

    #[test]
    fn a_new_password_hash_gives_a_new_stamp() {
        let a = credential_stamp("$argon2id$v=19$m=19456,t=2,p=1$c2FsdDE$aGFzaA");
        let b = credential_stamp("$argon2id$v=19$m=19456,t=2,p=1$c2FsdDI$aGFzaA");
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(!a.contains("argon2"));
    }
}
