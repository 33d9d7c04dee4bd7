//! The command line: `server [--addr HOST:PORT] [--database-url URL] [--demo [--demo-clock T]]
//! [--config FILE]`
//! serves; `server audit-verify` checks the audit chain (with the configured audit key, and
//! against the anchor file when there is one) and exits non-zero if a record was edited;
//! `server audit-seal` seals a chain written before the chain was keyed; `server backup DEST`
//! writes a consistent copy of the database while the server runs (SQLite: `VACUUM INTO`;
//! PostgreSQL: `pg_dump --format=custom`).

use std::{net::SocketAddr, path::PathBuf};

use app::api::audit::Verification;
use clap::{Parser, Subcommand};

use crate::{
    config::{Overrides, Settings},
    services::audit_chain::{self, Unsealed},
    store::{self, AuditKey},
};

#[derive(Debug, Parser)]
#[command(name = "chuangkou", version, about = "政务窗口 — 政务服务大厅窗口系统")]
pub struct Cli {
    /// Address to listen on, e.g. 127.0.0.1:3000 (port 0 picks a free port).
    #[arg(long, global = true)]
    pub addr: Option<SocketAddr>,
    /// sqlite://path/to/file.db?mode=rwc or postgres://user:pass@host/db
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Load the demo organisation (and print the demo accounts).
    #[arg(long, global = true)]
    pub demo: bool,
    /// Demo only: the clock starts at this instant (RFC 3339, e.g. 2026-03-04T09:30:00+08:00) and
    /// runs on, for training sessions and browser tests held outside office hours.
    #[arg(long, global = true, requires = "demo")]
    pub demo_clock: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Configuration file (default: ./chuangkou.toml if present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the app (the default).
    Serve,
    /// Verify the audit log's hash chain; prints the first broken record.
    AuditVerify {
        /// Anchor file to check against (default: `audit_anchor_file` of the configuration).
        #[arg(long)]
        anchors: Option<PathBuf>,
    },
    /// Check an audit chain written before keying as it was written, then seal it with the
    /// configured audit key (once, when upgrading).
    AuditSeal,
    /// Print the OpenAPI document of the JSON API (the contract clients and tests use).
    Openapi,
    /// Write a consistent backup of the database to DEST (a new file) while the server may
    /// run: SQLite with `VACUUM INTO` (restore: copy it in place of the database file, server
    /// stopped), PostgreSQL with `pg_dump --format=custom` (restore: `pg_restore`).
    Backup {
        /// The backup file to write; it must not exist yet.
        dest: PathBuf,
    },
}

/// `server audit-verify`: the chain with the configured key, then the anchors.
pub async fn audit_verify(
    settings: &Settings,
    anchors: Option<PathBuf>,
) -> anyhow::Result<Verification> {
    let key = AuditKey::new(&settings.resolve_audit_key()?);
    let db = store::connect(&settings.database_url(), key.clone()).await?;
    let anchors = match anchors.or_else(|| settings.audit_anchor_file.clone()) {
        Some(path) => audit_chain::read_anchors(&path)?,
        None => Vec::new(),
    };
    audit_chain::verify_with_anchors(&db.conn, &key, &anchors)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// `server audit-seal`: seals an unsealed chain (checked first) with the configured key.
pub async fn audit_seal(settings: &Settings) -> anyhow::Result<()> {
    let key = AuditKey::new(&settings.resolve_audit_key()?);
    let db = store::connect(&settings.database_url(), key).await?;
    audit_chain::ensure_sealed(&db, Unsealed::Seal).await
}

/// Which store a database URL names.
fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// `server backup DEST`: a consistent copy of the database, taken while the server may run.
/// SQLite: `VACUUM INTO` (one read transaction: a snapshot, compacted; readers and the writer
/// go on). PostgreSQL: `pg_dump --format=custom` (one snapshot; needs `pg_dump` of the server's
/// major version or newer on `PATH`). The audit key is not in the database: keep it apart.
pub async fn backup(settings: &Settings, dest: &std::path::Path) -> anyhow::Result<u64> {
    use sea_orm::{ConnectionTrait, Database};
    if dest.exists() {
        anyhow::bail!("备份文件已存在，不会覆盖：{}", dest.display());
    }
    let url = settings.database_url();
    if is_postgres(&url) {
        let (file, dbname) = (dest.to_path_buf(), url.clone());
        let status = tokio::task::spawn_blocking(move || {
            std::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--no-owner")
                .arg("--file")
                .arg(file)
                .arg("--dbname")
                .arg(dbname)
                .status()
        })
        .await?
        .map_err(|e| anyhow::anyhow!("无法运行 pg_dump（需安装 PostgreSQL 客户端）：{e}"))?;
        if !status.success() {
            let _ = std::fs::remove_file(dest);
            anyhow::bail!("pg_dump 失败：{status}");
        }
    } else {
        let path = dest
            .to_str()
            .ok_or_else(|| anyhow::anyhow!("备份路径须为 UTF-8：{}", dest.display()))?;
        let db = Database::connect(&url).await?;
        // A string literal: single quotes doubled.
        let sql = format!("VACUUM INTO '{}'", path.replace('\'', "''"));
        db.execute_unprepared(&sql).await?;
        db.close().await?;
    }
    Ok(std::fs::metadata(dest)?.len())
}

impl Cli {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            config_file: self.config.clone(),
            addr: self.addr,
            database_url: self.database_url.clone(),
            demo: self.demo,
        }
    }
}
