//! Server-side staff sessions in the same database as everything else, through the maintained
//! `tower-sessions-sqlx-store` stores. The `staff_session` table is created by our own migration
//! (see `store::migration`) with exactly the columns each store expects, so the schema has one
//! source.

use async_trait::async_trait;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection};
use sha2::{Digest, Sha512};
use tower_sessions::{
    Expiry, SessionManagerLayer,
    cookie::{Key, SameSite, time::Duration},
    service::SignedCookie,
    session::{Id, Record},
    session_store::{self, ExpiredDeletion, SessionStore},
};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// Table name shared with the migration.
pub const SESSION_TABLE: &str = "staff_session";
/// The cookie's name.
pub const SESSION_COOKIE: &str = "chuangkou_session";

/// The store for whichever database the server runs on.
#[derive(Debug, Clone)]
pub enum StaffSessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl StaffSessionStore {
    pub fn for_connection(db: &DatabaseConnection) -> anyhow::Result<Self> {
        Ok(match db.get_database_backend() {
            DatabaseBackend::Sqlite => Self::Sqlite(
                SqliteStore::new(db.get_sqlite_connection_pool().clone())
                    .with_table_name(SESSION_TABLE)
                    .map_err(anyhow::Error::msg)?,
            ),
            DatabaseBackend::Postgres => Self::Postgres(
                PostgresStore::new(db.get_postgres_connection_pool().clone())
                    .with_schema_name("public")
                    .map_err(anyhow::Error::msg)?
                    .with_table_name(SESSION_TABLE)
                    .map_err(anyhow::Error::msg)?,
            ),
            other => anyhow::bail!("unsupported database backend {other:?}"),
        })
    }
}

#[async_trait]
impl SessionStore for StaffSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite(s) => s.create(record).await,
            Self::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite(s) => s.save(record).await,
            Self::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Self::Sqlite(s) => s.load(id).await,
            Self::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Self::Sqlite(s) => s.delete(id).await,
            Self::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for StaffSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Self::Sqlite(s) => s.delete_expired().await,
            Self::Postgres(s) => s.delete_expired().await,
        }
    }
}

/// The session layer: signed cookie, `HttpOnly`, `SameSite=Strict`, idle expiry.
pub fn layer(
    store: StaffSessionStore,
    secret: &str,
    idle_minutes: i64,
    secure: bool,
) -> SessionManagerLayer<StaffSessionStore, SignedCookie> {
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(Duration::minutes(idle_minutes)))
        // The cookie key wants 64 bytes; SHA-512 of the configured secret gives them.
        .with_signed(Key::from(&Sha512::digest(secret.as_bytes())))
}
