//! Typed configuration, layered: built-in defaults → optional `chuangkou.toml` → environment
//! (`CHUANGKOU_*`, plus the conventional `DATABASE_URL`) → command line.
//!
//! Policy on the session secret and the audit key: in production mode a missing one is a start-up
//! error (no default secret ever signs a production cookie or seals a production audit log); in
//! dev mode a random one is generated once and kept in the data folder so that sessions and the
//! audit chain survive a restart. Neither is ever stored in the database.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

use crate::auth::client_address::TrustedProxies;

pub use rules::supervision::{InterviewThreshold, ScoreWeights};

/// Minimum length of a session secret (bytes); the cookie key is derived from it.
pub const MIN_SECRET_LEN: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Dev,
    Production,
}

/// Everything the server needs to start. Built by [`Settings::load`]; tests build it directly.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Where the HTTP server listens. Port 0 picks a free port (tests).
    pub addr: SocketAddr,
    /// `sqlite://…` (default: a file in the data folder) or `postgres://…`.
    pub database_url: Option<String>,
    /// Folder for the SQLite database and the generated dev secret.
    pub data_dir: PathBuf,
    /// Signs the session cookie. Required in production.
    pub session_secret: Option<String>,
    /// Keys the audit log's hash chain (HMAC-SHA256), so that someone who can edit the database
    /// but does not hold this key cannot rewrite the chain unnoticed. Required in production;
    /// kept outside the database.
    pub audit_key: Option<String>,
    /// An append-only file outside the database where the server writes the audit chain's head
    /// (id and hash) as it grows; `server audit-verify` checks the chain against every line.
    pub audit_anchor_file: Option<PathBuf>,
    /// The site's public origin (`https://hall.example.gov.cn`) when a proxy in front rewrites
    /// the `Host` header; form posts must come from it. Unset: the request's own `Host`.
    pub public_origin: Option<String>,
    /// IANA name of the halls' time zone; China Standard Time.
    pub time_zone: String,
    pub mode: Mode,
    /// Load the demo organisation and print the demo passwords at start.
    pub demo: bool,
    /// A staff session ends after this many minutes without a request.
    pub session_idle_minutes: i64,
    /// A staff session ends this many hours after its sign-in however busy it is: a stolen
    /// cookie kept alive by use does not outlive the working day.
    pub session_max_hours: i64,
    /// Login attempts allowed per staff number and per minute before 429.
    pub login_attempts_per_minute: u32,
    /// Login attempts allowed per client address and per minute before 429.
    pub login_attempts_per_minute_per_ip: u32,
    /// Citizens' lookups by number or code allowed per client address and per minute.
    pub public_lookups_per_minute: u32,
    /// Wrong public case lookups allowed per case number and hour, over every client address
    /// (case numbers are sequential: guessing one case's phone from many addresses stops here;
    /// the receipt's 查询码 is never refused for them).
    pub public_lookups_per_case_per_hour: u32,
    /// Anonymous reads of the booking calendar (slots, days) per client address and minute.
    pub public_reads_per_minute: u32,
    /// Anonymous writes (kiosk tickets, bookings and their changes) allowed per client address
    /// and per hour; a registered kiosk is not limited.
    pub public_writes_per_hour: u32,
    /// Live event streams (`/api/v1/events`) one client address may hold open at once.
    pub event_streams_per_address: u32,
    /// Live event streams the server holds open at once, over all addresses.
    pub event_streams: u32,
    /// Bookings one mobile number may hold at once (booked, not yet arrived or cancelled).
    pub bookings_per_phone: u32,
    /// An inquiry, referral or escalation left without its next step longer than this many
    /// working hours shows as overdue on the owner's workbench and to supervisors.
    pub inquiry_limit_hours: i64,
    /// Tickets stop this many minutes before close of business (0: at close).
    pub ticket_cutoff_minutes: u32,
    /// Appointments can be booked this many days ahead …
    pub booking_days_ahead: u32,
    /// … and up to this many hours before the slot begins.
    pub booking_notice_hours: u32,
    /// 周巡查: the weekly patrol checklist's items, in order (default: the built-in list of
    /// `rules::supervision::DEFAULT_PATROL_ITEMS`).
    pub patrol_items: Vec<String>,
    /// 约谈: a person or unit with this many problems (not struck) in one quarter is flagged for
    /// a talk; at least 2 ("多次", Seed §三(四)).
    pub interview_problems_per_quarter: u32,
    /// The area the deployment serves, as its reports name it (e.g. `金凤区`): the monthly report
    /// is 《{region}政务服务系统“改进作风 提升质效”深入落实“四项制度”问题整改清单月报表》.
    /// The demo names 金凤区 when this is left empty.
    pub region_name: String,
    /// 季考核 / 年评定: the weights of the score formula, whole points summing to 100
    /// (`on_time`, `one_time`, `extended`, `ratings`, `rectification`, `first_inquiry`).
    /// A file written before `first_inquiry` existed names five weights summing to 100; the
    /// sixth then keeps its default and the server says so rather than start with other
    /// weights than the hall chose.
    pub score_weights: ScoreWeights,
    /// Mark cookies `Secure` (set when the hall serves over HTTPS).
    pub secure_cookies: bool,
    /// Reverse proxies (addresses or networks) whose `X-Forwarded-For` names the client that
    /// the per-address limits count (`auth::client_address`); empty: the socket's address.
    pub trusted_proxies: Vec<String>,
    /// Where cargo-leptos put the compiled site (wasm, js, css, public files).
    pub site_root: String,
    /// The most a client may take to send a request's headers (waiting on an idle kept-alive
    /// connection included) and, separately, its body; then the connection is closed (headers)
    /// or the request refused with 408 (body). A client holding connections open by sending
    /// slowly ("slowloris") otherwise exhausts the server's file descriptors. Longer than a
    /// reverse proxy keeps an idle connection to us (nginx: 60 s), so that the proxy never
    /// reuses one we are closing.
    pub slow_client_seconds: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            addr: "127.0.0.1:3000".parse().expect("static address"),
            database_url: None,
            data_dir: PathBuf::from("data"),
            session_secret: None,
            audit_key: None,
            audit_anchor_file: None,
            public_origin: None,
            time_zone: "Asia/Shanghai".into(),
            mode: Mode::Dev,
            demo: false,
            session_idle_minutes: 8 * 60,
            session_max_hours: 14,
            login_attempts_per_minute: 10,
            login_attempts_per_minute_per_ip: 60,
            public_lookups_per_minute: 20,
            public_lookups_per_case_per_hour: 10,
            public_reads_per_minute: 120,
            public_writes_per_hour: 30,
            event_streams_per_address: 100,
            event_streams: 5_000,
            bookings_per_phone: 3,
            inquiry_limit_hours: 4,
            ticket_cutoff_minutes: 0,
            booking_days_ahead: 14,
            booking_notice_hours: 2,
            patrol_items: rules::supervision::DEFAULT_PATROL_ITEMS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            interview_problems_per_quarter: InterviewThreshold::default().problems_per_quarter,
            region_name: String::new(),
            score_weights: ScoreWeights::default(),
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            site_root: "target/site".into(),
            slow_client_seconds: 65,
        }
    }
}

/// Command-line overrides (the top layer).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub addr: Option<SocketAddr>,
    pub database_url: Option<String>,
    pub demo: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration is invalid: {0}")]
    Invalid(String),
    #[error(
        "production mode needs a session secret of at least {MIN_SECRET_LEN} bytes: set \
            CHUANGKOU_SESSION_SECRET or session_secret in chuangkou.toml"
    )]
    MissingSecret,
    #[error(
        "production mode needs an audit key of at least {MIN_SECRET_LEN} bytes: set \
            CHUANGKOU_AUDIT_KEY or audit_key in chuangkou.toml"
    )]
    MissingAuditKey,
    #[error("could not keep the generated dev secret in {path}: {source}")]
    SecretFile {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// `CHUANGKOU_*` variables read by the scripts and test harnesses, not by the server: they share
/// the prefix, and a typo in a real setting must still be refused, so they are named here.
const NOT_SETTINGS: &[&str] = &[
    "config",
    "cache",
    "server_bin",
    "e2e_port",
    "e2e_hall_port",
    "e2e_evening_port",
    "test_store",
    "test_pg_url",
];

impl Settings {
    /// Layers defaults, the optional file, the environment and the command line.
    pub fn load(overrides: &Overrides) -> Result<Self, ConfigError> {
        let file = overrides
            .config_file
            .clone()
            .or_else(|| std::env::var_os("CHUANGKOU_CONFIG").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("chuangkou.toml"));
        let mut figment = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(&file))
            .merge(Env::prefixed("CHUANGKOU_").ignore(NOT_SETTINGS));
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(Serialized::default("database_url", url));
        }
        // cargo-leptos tells the server where the site is and where to listen.
        if let Ok(root) = std::env::var("LEPTOS_SITE_ROOT") {
            figment = figment.merge(Serialized::default("site_root", root));
        }
        let mut settings: Settings = figment
            .extract()
            .map_err(|e| ConfigError::Invalid(e.to_string()))?;
        if let Some(addr) = overrides.addr {
            settings.addr = addr;
        }
        if let Some(url) = &overrides.database_url {
            settings.database_url = Some(url.clone());
        }
        settings.demo |= overrides.demo;
        settings.validate()?;
        Ok(settings)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        self.tz()?;
        if self.session_idle_minutes <= 0 {
            return Err(ConfigError::Invalid(
                "session_idle_minutes must be positive".into(),
            ));
        }
        if self.session_max_hours <= 0 {
            return Err(ConfigError::Invalid(
                "session_max_hours must be positive".into(),
            ));
        }
        if self.login_attempts_per_minute == 0 || self.login_attempts_per_minute_per_ip == 0 {
            return Err(ConfigError::Invalid(
                "login attempt limits must be positive".into(),
            ));
        }
        if let Some(secret) = &self.session_secret
            && secret.len() < MIN_SECRET_LEN
        {
            return Err(ConfigError::Invalid(format!(
                "session_secret must be at least {MIN_SECRET_LEN} bytes"
            )));
        }
        if let Some(key) = &self.audit_key
            && key.len() < MIN_SECRET_LEN
        {
            return Err(ConfigError::Invalid(format!(
                "audit_key must be at least {MIN_SECRET_LEN} bytes"
            )));
        }
        if let Some(origin) = &self.public_origin {
            let parsed = url::Url::parse(origin).ok().filter(|u| {
                matches!(u.scheme(), "http" | "https")
                    && u.host().is_some()
                    && u.path() == "/"
                    && u.query().is_none()
            });
            if parsed.is_none() {
                return Err(ConfigError::Invalid(format!(
                    "public_origin must be like https://hall.example (scheme and host only), not \
                        {origin}"
                )));
            }
        }
        if self.patrol_items.is_empty()
            || self.patrol_items.len() > 50
            || self
                .patrol_items
                .iter()
                .any(|i| i.trim().is_empty() || i.chars().count() > 200)
        {
            return Err(ConfigError::Invalid(
                "patrol_items must list 1 to 50 items of up to 200 characters".into(),
            ));
        }
        if !(1..=600).contains(&self.slow_client_seconds) {
            return Err(ConfigError::Invalid(
                "slow_client_seconds must be from 1 to 600".into(),
            ));
        }
        TrustedProxies::parse(&self.trusted_proxies).map_err(ConfigError::Invalid)?;
        self.interview_threshold()?;
        self.score_weights()?;
        if self.mode == Mode::Production && self.session_secret.is_none() {
            return Err(ConfigError::MissingSecret);
        }
        if self.mode == Mode::Production && self.audit_key.is_none() {
            return Err(ConfigError::MissingAuditKey);
        }
        Ok(())
    }

    /// [`Settings::slow_client_seconds`] as a duration.
    pub fn slow_client(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.slow_client_seconds)
    }

    pub fn tz(&self) -> Result<chrono_tz::Tz, ConfigError> {
        self.time_zone
            .parse()
            .map_err(|_| ConfigError::Invalid(format!("unknown time zone {}", self.time_zone)))
    }

    /// 约谈's threshold, checked by its rule (fewer than 2 problems is not "repeated").
    pub fn interview_threshold(&self) -> Result<InterviewThreshold, ConfigError> {
        InterviewThreshold::new(self.interview_problems_per_quarter).ok_or_else(|| {
            ConfigError::Invalid(format!(
                "interview_problems_per_quarter must be at least 2 (a 约谈 is for repeated \
                    problems), not {}",
                self.interview_problems_per_quarter
            ))
        })
    }

    /// The score formula's weights, checked by their rule (they must sum to 100).
    pub fn score_weights(&self) -> Result<ScoreWeights, ConfigError> {
        self.score_weights.validate().map_err(|e| {
            let w = self.score_weights;
            ConfigError::Invalid(format!(
                "score_weights must sum to 100, not {} (on_time {}, one_time {}, extended {}, \
                    ratings {}, rectification {}, first_inquiry {})",
                e.0, w.on_time, w.one_time, w.extended, w.ratings, w.rectification, w.first_inquiry
            ))
        })
    }

    /// The database URL to use: the configured one, or the SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("chuangkou.db").display()
            )
        })
    }

    /// The secret that signs session cookies: the configured one, or (dev only) the one kept in
    /// the data folder, generated on first start.
    pub fn resolve_secret(&self) -> Result<String, ConfigError> {
        if let Some(secret) = &self.session_secret {
            return Ok(secret.clone());
        }
        if self.mode == Mode::Production {
            return Err(ConfigError::MissingSecret);
        }
        dev_secret(&self.data_dir, "dev_session_secret")
    }

    /// The key of the audit chain: the configured one, or (dev only) the one kept in the data
    /// folder, generated on first start.
    pub fn resolve_audit_key(&self) -> Result<String, ConfigError> {
        if let Some(key) = &self.audit_key {
            return Ok(key.clone());
        }
        if self.mode == Mode::Production {
            return Err(ConfigError::MissingAuditKey);
        }
        dev_secret(&self.data_dir, "dev_audit_key")
    }
}

fn dev_secret(data_dir: &Path, file: &str) -> Result<String, ConfigError> {
    let path = data_dir.join(file);
    let io = |source| ConfigError::SecretFile {
        path: path.clone(),
        source,
    };
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_string();
        if existing.len() >= MIN_SECRET_LEN {
            return Ok(existing);
        }
    }
    std::fs::create_dir_all(data_dir).map_err(io)?;
    let secret = crate::auth::random_token(48);
    write_private(&path, &secret).map_err(io)?;
    Ok(secret)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_without_a_secret_is_refused() {
        let settings = Settings {
            mode: Mode::Production,
            ..Settings::default()
        };
        assert!(matches!(
            settings.validate(),
            Err(ConfigError::MissingSecret)
        ));
    }

    #[test]
    fn production_without_an_audit_key_is_refused() {
        let settings = Settings {
            mode: Mode::Production,
            session_secret: Some("s".repeat(MIN_SECRET_LEN)),
            ..Settings::default()
        };
        assert!(matches!(
            settings.validate(),
            Err(ConfigError::MissingAuditKey)
        ));
        assert!(matches!(
            settings.resolve_audit_key(),
            Err(ConfigError::MissingAuditKey)
        ));
    }

    #[test]
    fn dev_mode_generates_an_audit_key_apart_from_the_session_secret() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            data_dir: dir.path().to_path_buf(),
            ..Settings::default()
        };
        let key = settings.resolve_audit_key().unwrap();
        assert_eq!(key, settings.resolve_audit_key().unwrap());
        assert_ne!(key, settings.resolve_secret().unwrap());
        assert!(key.len() >= MIN_SECRET_LEN);
    }

    #[test]
    fn a_public_origin_must_be_a_bare_origin() {
        for (origin, ok) in [
            ("https://hall.example", true),
            ("http://127.0.0.1:3000", true),
            ("https://hall.example/path", false),
            ("hall.example", false),
            ("ftp://hall.example", false),
        ] {
            let settings = Settings {
                public_origin: Some(origin.into()),
                ..Settings::default()
            };
            assert_eq!(settings.validate().is_ok(), ok, "{origin}");
        }
    }

    #[test]
    fn a_short_secret_is_refused() {
        let settings = Settings {
            session_secret: Some("short".into()),
            ..Settings::default()
        };
        assert!(matches!(settings.validate(), Err(ConfigError::Invalid(_))));
    }

    #[test]
    fn dev_mode_generates_and_keeps_a_secret() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            data_dir: dir.path().to_path_buf(),
            ..Settings::default()
        };
        let first = settings.resolve_secret().unwrap();
        let second = settings.resolve_secret().unwrap();
        assert_eq!(first, second);
        assert!(first.len() >= MIN_SECRET_LEN);
    }

    #[test]
    fn an_interview_threshold_below_two_is_refused_with_its_name() {
        for (n, ok) in [(0, false), (1, false), (2, true), (3, true), (10, true)] {
            let settings = Settings {
                interview_problems_per_quarter: n,
                ..Settings::default()
            };
            match settings.validate() {
                Ok(()) => assert!(ok, "{n} accepted"),
                Err(ConfigError::Invalid(message)) => {
                    assert!(!ok, "{n} refused: {message}");
                    assert!(
                        message.contains("interview_problems_per_quarter"),
                        "{message}"
                    );
                }
                Err(other) => panic!("{other}"),
            }
        }
        assert_eq!(
            Settings::default().interview_threshold().unwrap(),
            InterviewThreshold::default()
        );
    }

    #[test]
    fn score_weights_that_do_not_sum_to_one_hundred_are_refused_with_their_sum() {
        let settings = Settings {
            score_weights: ScoreWeights {
                on_time: 35,
                ..ScoreWeights::default()
            },
            ..Settings::default()
        };
        let Err(ConfigError::Invalid(message)) = settings.validate() else {
            panic!("weights summing to 110 accepted");
        };
        assert!(
            message.contains("score_weights must sum to 100, not 110"),
            "{message}"
        );
        let settings = Settings {
            score_weights: ScoreWeights {
                on_time: 35,
                one_time: 10,
                ..ScoreWeights::default()
            },
            ..Settings::default()
        };
        assert!(settings.validate().is_ok());
    }

    #[test]
    #[allow(
        clippy::result_large_err,
        reason = "figment's Jail fixes the closure's error type"
    )]
    fn supervision_settings_come_from_the_file_and_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "chuangkou.toml",
                "interview_problems_per_quarter = 4\n\n[score_weights]\non_time = 30\n\
                    one_time = 15\n",
            )?;
            let settings = Settings::load(&Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(
                settings.interview_threshold().unwrap().problems_per_quarter,
                4
            );
            // The keys not named keep their defaults.
            assert_eq!(
                settings.score_weights,
                ScoreWeights {
                    on_time: 30,
                    one_time: 15,
                    ..ScoreWeights::default()
                }
            );
            jail.set_env("CHUANGKOU_INTERVIEW_PROBLEMS_PER_QUARTER", "2");
            jail.set_env("CHUANGKOU_SCORE_WEIGHTS", "{ratings = 30, extended = 0}");
            let settings = Settings::load(&Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(settings.interview_problems_per_quarter, 2);
            assert_eq!(settings.score_weights.ratings, 30);
            assert_eq!(settings.score_weights.on_time, 30);
            jail.set_env("CHUANGKOU_INTERVIEW_PROBLEMS_PER_QUARTER", "1");
            assert!(matches!(
                Settings::load(&Overrides::default()),
                Err(ConfigError::Invalid(m)) if m.contains("interview_problems_per_quarter")
            ));
            jail.set_env("CHUANGKOU_INTERVIEW_PROBLEMS_PER_QUARTER", "3");
            jail.set_env("CHUANGKOU_SCORE_WEIGHTS", "{ratings = 35}");
            assert!(matches!(
                Settings::load(&Overrides::default()),
                Err(ConfigError::Invalid(m)) if m.contains("score_weights must sum to 100")
            ));
            // A misspelt weight is refused, not ignored.
            jail.set_env("CHUANGKOU_SCORE_WEIGHTS", "{rating = 20}");
            assert!(Settings::load(&Overrides::default()).is_err());
            Ok(())
        });
    }

    #[test]
    fn an_unknown_time_zone_is_refused() {
        let settings = Settings {
            time_zone: "Mars/Olympus".into(),
            ..Settings::default()
        };
        assert!(settings.validate().is_err());
    }

    #[test]
    #[allow(
        clippy::result_large_err,
        reason = "figment's Jail fixes the closure's error type"
    )]
    fn the_scripts_own_variables_do_not_stop_the_server() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("CHUANGKOU_SERVER_BIN", "/tmp/server");
            jail.set_env("CHUANGKOU_TEST_STORE", "postgres");
            jail.set_env("CHUANGKOU_INQUIRY_LIMIT_HOURS", "8");
            let settings = Settings::load(&Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(settings.inquiry_limit_hours, 8);
            Ok(())
        });
    }

    #[test]
    #[allow(
        clippy::result_large_err,
        reason = "figment's Jail fixes the closure's error type"
    )]
    fn a_misspelt_setting_in_the_environment_is_refused() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("CHUANGKOU_SESION_SECRET", "x");
            assert!(matches!(
                Settings::load(&Overrides::default()),
                Err(ConfigError::Invalid(_))
            ));
            Ok(())
        });
    }
}
