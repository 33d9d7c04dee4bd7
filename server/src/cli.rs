//! The command line: `server [--addr HOST:PORT] [--database-url URL] [--demo [--demo-clock T]]
//! [--config FILE]`
//! serves; `server audit-verify` checks the audit chain and exits non-zero if a record was edited.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Parser, Subcommand};

use crate::config::Overrides;

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
    AuditVerify,
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
