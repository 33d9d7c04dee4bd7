//! The scenario-test harness: every test starts the real server on port 0 with its own fresh
//! database and drives it over HTTP, like any other client would.
//!
//! The store is chosen by `CHUANGKOU_TEST_STORE` (`sqlite`, the default, or `postgres`); for
//! PostgreSQL `CHUANGKOU_TEST_PG_URL` names a server where the tests may create databases
//! (default `postgres://postgres:postgres@127.0.0.1:5432/postgres`). Each test gets its own
//! database, dropped when the test ends. The clock is a `TestClock` the test can move.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use reqwest::{
    Client, Method, Response, StatusCode,
    cookie::{CookieStore, Jar},
};
use sea_orm::{ConnectionTrait, Database};
use serde::de::DeserializeOwned;
use serde_json::Value;
use server::{
    Application,
    config::{Mode, Settings},
    store::Db,
    time_source::TestClock,
};

pub use server::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Sqlite,
    Postgres,
}

impl Store {
    /// The store this run of the suite uses.
    pub fn from_env() -> Store {
        match std::env::var("CHUANGKOU_TEST_STORE").as_deref() {
            Ok("postgres") => Store::Postgres,
            Ok("sqlite") | Err(_) => Store::Sqlite,
            Ok(other) => panic!("CHUANGKOU_TEST_STORE must be sqlite or postgres, not {other}"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Store::Sqlite => "sqlite",
            Store::Postgres => "postgres",
        }
    }
}

fn pg_admin_url() -> String {
    std::env::var("CHUANGKOU_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres:postgres@127.0.0.1:5432/postgres".into())
}

/// A fresh database for one test; dropped (PostgreSQL) or deleted (SQLite) at the end.
pub struct TestDatabase {
    pub url: String,
    store: Store,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub async fn create(store: Store) -> TestDatabase {
        match store {
            Store::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                TestDatabase {
                    url,
                    store,
                    pg_name: None,
                    _dir: Some(dir),
                }
            }
            Store::Postgres => {
                let name = format!("ck_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(pg_admin_url()).await.expect(
                    "PostgreSQL for the scenario tests (CHUANGKOU_TEST_PG_URL) is not reachable",
                );
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let base = pg_admin_url();
                let cut = base.rfind('/').expect("database url has a path");
                let url = format!("{}/{}", &base[..cut], name);
                TestDatabase {
                    url,
                    store,
                    pg_name: Some(name),
                    _dir: None,
                }
            }
        }
    }

    /// Several servers on one database (PostgreSQL only).
    pub fn store(&self) -> Store {
        self.store
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        // Drop runs outside any runtime we could borrow: use a small one of our own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let admin = Database::connect(pg_admin_url()).await.ok()?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .ok()?;
                admin.close().await.ok()
            })
        })
        .join();
    }
}

/// The audit key of every test server (the intruder in the audit tests does not know it).
pub const TEST_AUDIT_KEY: &str = "test-audit-key-test-audit-key-0123456789";

/// A running server and a client for it.
pub struct TestApp {
    pub address: String,
    pub store: Store,
    pub db: Db,
    /// The settings it was started with (to run `audit-verify` on its database).
    pub settings: Settings,
    pub clock: TestClock,
    /// A client without a session.
    pub anonymous: Client,
    _database: Arc<TestDatabase>,
}

/// Options for [`spawn_app_with`].
pub struct AppOptions {
    pub demo: bool,
    pub now: DateTime<Utc>,
    pub login_attempts_per_minute: u32,
    /// Where the server anchors the audit chain's head, if anywhere.
    pub audit_anchor_file: Option<std::path::PathBuf>,
    /// The sessions' idle timeout, measured on the test clock. Scenarios move the clock by days
    /// while a clerk stays signed in, so by default a session outlives any of them; the session
    /// tests set the shipped 480 minutes.
    pub session_idle_minutes: i64,
    /// The sessions' absolute age, measured on the test clock: out of reach by default, as the
    /// idle timeout; the session tests set the shipped 14 hours.
    pub session_max_hours: i64,
    /// Anonymous writes per address and hour. Scenarios book and take tickets from one address
    /// by the hundred, so by default the limit is out of reach; the limit tests set their own.
    pub public_writes_per_hour: u32,
    /// The public origin a proxy in front serves the site under (`public_origin`), if any.
    pub public_origin: Option<String>,
    /// The compiled site to serve (default: none; the API tests need no bundle).
    pub site_root: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`trusted_proxies`; default none).
    pub trusted_proxies: Vec<String>,
    /// 约谈's threshold (`interview_problems_per_quarter`; default: the shipped 3).
    pub interview_problems_per_quarter: Option<u32>,
    /// The score formula's weights (`score_weights`; default: the shipped ones).
    pub score_weights: Option<server::config::ScoreWeights>,
    /// Live event streams per client address (`event_streams_per_address`; default shipped).
    pub event_streams_per_address: Option<u32>,
    /// The time a client has to send a request's headers or body (`slow_client_seconds`;
    /// default shipped).
    pub slow_client_seconds: Option<u64>,
    /// Anonymous lookups per address and minute (`public_lookups_per_minute`; default shipped).
    pub public_lookups_per_minute: Option<u32>,
}

/// A session idle timeout longer than any scenario's clock moves (60 days).
pub const SCENARIO_IDLE_MINUTES: i64 = 60 * 24 * 60;

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            demo: true,
            // A Wednesday morning at the district hall (10:00 China Standard Time).
            now: Utc.with_ymd_and_hms(2026, 3, 4, 2, 0, 0).unwrap(),
            login_attempts_per_minute: 10,
            audit_anchor_file: None,
            session_idle_minutes: SCENARIO_IDLE_MINUTES,
            session_max_hours: SCENARIO_IDLE_MINUTES / 60,
            public_writes_per_hour: 100_000,
            public_origin: None,
            site_root: None,
            trusted_proxies: Vec::new(),
            interview_problems_per_quarter: None,
            score_weights: None,
            event_streams_per_address: None,
            slow_client_seconds: None,
            public_lookups_per_minute: None,
        }
    }
}

pub fn settings_for(database_url: &str, demo: bool) -> Settings {
    let dir = std::env::temp_dir().join(format!("ck-test-{}", uuid::Uuid::new_v4().simple()));
    Settings {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: Some(database_url.to_string()),
        data_dir: dir,
        session_secret: Some("test-secret-test-secret-test-secret-0123456789".into()),
        audit_key: Some(TEST_AUDIT_KEY.into()),
        mode: Mode::Dev,
        demo,
        ..Settings::default()
    }
}

/// The demo organisation on a fresh database of this run's store.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(AppOptions::default()).await
}

pub async fn spawn_app_with(options: AppOptions) -> TestApp {
    let database = Arc::new(TestDatabase::create(Store::from_env()).await);
    spawn_on(database, options).await
}

/// Starts a server on an existing test database (a second instance shares it).
pub async fn spawn_on(database: Arc<TestDatabase>, options: AppOptions) -> TestApp {
    // `RUST_LOG=warn cargo test … -- --nocapture` shows the server's own log (internal errors).
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
    }
    let mut settings = settings_for(&database.url, options.demo);
    settings.login_attempts_per_minute = options.login_attempts_per_minute;
    settings.audit_anchor_file = options.audit_anchor_file;
    settings.session_idle_minutes = options.session_idle_minutes;
    settings.session_max_hours = options.session_max_hours;
    settings.public_writes_per_hour = options.public_writes_per_hour;
    settings.public_origin = options.public_origin;
    settings.trusted_proxies = options.trusted_proxies;
    if let Some(n) = options.event_streams_per_address {
        settings.event_streams_per_address = n;
    }
    if let Some(n) = options.public_lookups_per_minute {
        settings.public_lookups_per_minute = n;
    }
    if let Some(n) = options.slow_client_seconds {
        settings.slow_client_seconds = n;
    }
    if let Some(n) = options.interview_problems_per_quarter {
        settings.interview_problems_per_quarter = n;
    }
    if let Some(w) = options.score_weights {
        settings.score_weights = w;
    }
    if let Some(root) = options.site_root {
        settings.site_root = root;
    }
    let clock = TestClock::at(options.now);
    let app = Application::build_with_clock(settings.clone(), Arc::new(clock.clone()))
        .await
        .expect("the server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        store: database.store(),
        db,
        settings,
        clock,
        anonymous: client(),
        _database: database,
    }
}

pub fn client() -> Client {
    client_with_jar().0
}

/// A client and its cookie jar (to copy the session cookie into a raw request).
pub fn client_with_jar() -> (Client, Arc<Jar>) {
    client_on(None)
}

/// A client whose connections come from another loopback address (`127.0.0.2`, …), so that
/// the server sees a second machine: a stranger, or the counter's tablet.
pub fn client_from(ip: std::net::IpAddr) -> (Client, Arc<Jar>) {
    client_on(Some(ip))
}

fn client_on(ip: Option<std::net::IpAddr>) -> (Client, Arc<Jar>) {
    let jar = Arc::new(Jar::default());
    let client = Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip)
        .build()
        .expect("http client");
    (client, jar)
}

/// A client with a session, as one staff member.
pub struct Staff {
    pub client: Client,
    pub jar: Arc<Jar>,
    pub address: String,
    pub me: Value,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Signs in a demo account (`clerk01`, `chief01`, `super01`, `admin`, …).
    pub async fn login(&self, staff_number: &str) -> Staff {
        self.login_with(staff_number, DEMO_PASSWORD).await
    }

    pub async fn login_with(&self, staff_number: &str, password: &str) -> Staff {
        let (client, jar) = client_with_jar();
        let response = client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({ "staff_number": staff_number, "password": password }))
            .send()
            .await
            .expect("login request");
        assert_eq!(response.status(), StatusCode::OK, "login as {staff_number}");
        let me = response.json().await.unwrap();
        Staff {
            client,
            jar,
            address: self.address.clone(),
            me,
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.anonymous
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// Rows in the audit log (to prove that a refused request wrote nothing).
    pub async fn audit_count(&self) -> i64 {
        self.count("audit_record").await
    }

    pub async fn count(&self, table: &str) -> i64 {
        self.count_where(table, "1 = 1").await
    }

    /// Rows of `table` that meet the SQL `condition` (written by the test itself).
    pub async fn count_where(&self, table: &str, condition: &str) -> i64 {
        let row = self
            .db
            .conn
            .query_one(sea_orm::Statement::from_string(
                self.db.backend(),
                format!("SELECT COUNT(*) AS n FROM \"{table}\" WHERE {condition}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }

    /// Runs raw SQL on the test database (to play the intruder who edits a row by hand).
    pub async fn sql(&self, statement: &str) {
        self.db
            .conn
            .execute_unprepared(statement)
            .await
            .expect("raw sql");
    }
}

impl Staff {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.send(Method::POST, path, Some(body)).await
    }

    /// Reviews `case` with each of `materials` complete (`ok`); the review's answer (200).
    pub async fn review_all_ok(&self, case: &Value, materials: &[&str]) -> Value {
        let verdicts: Vec<Value> = materials
            .iter()
            .map(|k| serde_json::json!({"key": k, "verdict": {"verdict": "ok"}}))
            .collect();
        let path = format!("/api/v1/cases/{}/review", case["summary"]["id"]);
        let body = serde_json::json!({"version": case["summary"]["version"], "verdicts": verdicts});
        expect_json(self.post(&path, &body).await, StatusCode::OK).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Response {
        self.send(Method::PUT, path, Some(body)).await
    }

    /// Sends `body` over a plain socket and reads the answer while still writing, the way a
    /// browser does: a server may answer (413) before it has read a huge body.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Value) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let url: reqwest::Url = self.url(path).parse().unwrap();
        let cookie = self
            .jar
            .cookies(&url)
            .map(|c| c.to_str().unwrap().to_string())
            .unwrap_or_default();
        let host = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
        let stream = tokio::net::TcpStream::connect(&host).await.unwrap();
        let (mut reader, mut writer) = stream.into_split();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nContent-Type: \
                {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let writing = tokio::spawn(async move {
            let _ = writer.write_all(head.as_bytes()).await;
            let _ = writer.write_all(&body).await;
        });
        let mut answer = Vec::new();
        let _ = reader.read_to_end(&mut answer).await;
        writing.abort();
        let text = String::from_utf8_lossy(&answer).to_string();
        let status: u16 = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("an HTTP status line");
        let json_start = text.find("\r\n\r\n").map(|i| i + 4).unwrap_or(text.len());
        let body = text[json_start..].trim();
        // A chunked answer: take the JSON object inside the chunk framing.
        let body = match (body.find('{'), body.rfind('}')) {
            (Some(a), Some(b)) if b > a => &body[a..=b],
            _ => body,
        };
        (
            StatusCode::from_u16(status).unwrap(),
            serde_json::from_str(body).unwrap_or(Value::Null),
        )
    }

    pub fn id(&self) -> i64 {
        self.me["staff"]["id"].as_i64().unwrap()
    }
}

/// Publishes 2027 as the administrator with `holidays` (weekdays) its only holidays: enough for a
/// test of what changes when a year counted provisionally becomes official. The provisional
/// guess already keeps 元旦 (Friday 01-01) off, so a test of a recomputation publishes another
/// weekday off too.
pub async fn publish_2027_with_holidays(app: &TestApp, holidays: &[&str]) {
    let admin = app.login("admin").await;
    let holidays: Vec<Value> = holidays
        .iter()
        .map(|date| serde_json::json!({"date": date, "name": "元旦"}))
        .collect();
    let body = serde_json::json!({"holidays": holidays, "makeup_workdays": []});
    expect_json::<Value>(
        admin.put("/api/v1/calendar/2027", &body).await,
        StatusCode::OK,
    )
    .await;
}

/// Runs the supervision detector as `supervisor`, then returns the problems of `kind` found on
/// the evidence `evidence_id` (a case, a slot…).
pub async fn detected_on(supervisor: &Staff, kind: &str, evidence_id: &Value) -> Vec<Value> {
    let run = supervisor
        .post("/api/v1/supervision/detector/run", &serde_json::json!({}))
        .await;
    expect_json::<Value>(run, StatusCode::OK).await;
    let path = format!("/api/v1/supervision/problems?kind={kind}");
    let found: Value = expect_json(supervisor.get(&path).await, StatusCode::OK).await;
    let found = found.as_array().cloned().unwrap_or_default();
    found
        .into_iter()
        .filter(|p| &p["evidence_id"] == evidence_id)
        .collect()
}

/// Reads a JSON body, failing the test with the body text when it is not the expected status.
/// The line `code` of a score's breakdown (`ScoreBreakdown` as JSON).
pub fn score_line(breakdown: &Value, code: &str) -> Value {
    let lines = breakdown["lines"].as_array();
    let line = lines.and_then(|lines| lines.iter().find(|l| l["code"] == code));
    line.unwrap_or_else(|| panic!("no line {code}: {breakdown}"))
        .clone()
}

pub async fn expect_json<T: DeserializeOwned>(response: Response, status: StatusCode) -> T {
    let got = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(got, status, "unexpected status; body: {text}");
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("body is not the expected JSON ({e}): {text}"))
}

/// Asserts the error shape `{"code","message","field"?}` with a 4xx and returns the code.
pub async fn expect_error(response: Response, status: StatusCode) -> Value {
    let body: Value = expect_json(response, status).await;
    assert!(status.is_client_error(), "{status} is not a 4xx");
    assert!(body["code"].is_string(), "no code in {body}");
    assert!(
        body["code"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_'),
        "code is not snake_case in {body}"
    );
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "no message in {body}"
    );
    body
}

/// The first event a live event stream (`GET /api/v1/events`) sends, or a failure after `secs`.
pub async fn first_event(stream: Response, secs: u64) -> Value {
    use futures::StreamExt;
    assert_eq!(stream.status(), StatusCode::OK);
    let mut body = stream.bytes_stream();
    let mut buffer = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        let chunk = tokio::time::timeout_at(deadline, body.next())
            .await
            .expect("no event in time")
            .unwrap()
            .unwrap();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        if let Some(line) = buffer.lines().find(|l| l.starts_with("data:")) {
            return serde_json::from_str(line.trim_start_matches("data:").trim()).unwrap();
        }
    }
}
