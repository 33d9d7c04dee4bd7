//! The command line: `server [--addr HOST:PORT] [--database-url URL] [--demo [--demo-clock T]]
//! [--config FILE]`
//! serves; `server audit-verify` checks the audit chain (with the configured audit key, and
//! against the anchor file when there is one) and exits non-zero if a record was edited;
//! `server audit-seal` seals a chain written before the chain was keyed.

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
