//! Issue 14 point 16, running it for real: `server backup DEST` copies a serving database
//! (SQLite: `VACUUM INTO`; PostgreSQL: `pg_dump`), the copy restores and passes `audit-verify`
//! and a server starts on it; a database written by the previous release starts, migrates and
//! passes `audit-verify` on the current server.

use std::{io::Read, path::Path, sync::Arc};

use chrono::{TimeZone, Utc};
use reqwest::StatusCode;
use scenario_tests::{AppOptions, Staff, Store, TestDatabase, expect_json, spawn_app, spawn_on};
use serde_json::{Value, json};

async fn receive(clerk: &Staff, name: &str) -> Value {
    expect_json(
        clerk
            .post(
                "/api/v1/cases",
                &json!({
                    "item_code": "640106-XK-0001",
                    "applicant": {"kind": "person", "name": name,
                        "id_number": "11010519491231002X"},
                    "phone": "13995012345", "channel": "counter"
                }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await
}

fn sqlite_path(url: &str) -> &str {
    let path = url.trim_start_matches("sqlite://");
    path.split('?').next().unwrap()
}

/// Puts a backup where the empty test database is, as the README says to restore one.
fn restore(into: &TestDatabase, store: Store, backup: &Path) {
    match store {
        Store::Sqlite => {
            std::fs::copy(backup, sqlite_path(&into.url)).unwrap();
        }
        Store::Postgres => {
            let out = std::process::Command::new("pg_restore")
                .args(["--no-owner", "--exit-on-error", "--dbname"])
                .arg(&into.url)
                .arg(backup)
                .output()
                .expect("pg_restore runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

fn later() -> AppOptions {
    AppOptions {
        demo: false,
        ..AppOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_a_serving_database_restores_and_passes_audit_verify() {
    let app = spawn_app().await;
    let clerk = app.login("clerk01").await;
    let kept = receive(&clerk, "张三").await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("chuangkou.backup");
    let bytes = server::cli::backup(&app.settings, &dest).await.unwrap();
    assert!(bytes > 0);
    // Never over an earlier backup.
    assert!(server::cli::backup(&app.settings, &dest).await.is_err());
    // A write after the backup is not in it.
    let after = receive(&clerk, "李四").await;
    let restored = Arc::new(TestDatabase::create(app.store).await);
    restore(&restored, app.store, &dest);
    let mut settings = app.settings.clone();
    settings.database_url = Some(restored.url.clone());
    let v = server::cli::audit_verify(&settings, None).await.unwrap();
    assert!(v.ok, "{v:?}");
    assert!(v.records > 0);
    // A server starts on the restored copy and serves what was there.
    let again = spawn_on(restored, later()).await;
    let clerk = again.login("clerk01").await;
    let id = kept["summary"]["id"].as_i64().unwrap();
    let case: Value = expect_json(
        clerk.get(&format!("/api/v1/cases/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(case["summary"]["number"], kept["summary"]["number"]);
    let gone = after["summary"]["id"].as_i64().unwrap();
    let missing = clerk.get(&format!("/api/v1/cases/{gone}")).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    // It writes on: the audit chain goes on from the restored head.
    receive(&clerk, "王五").await;
    let v = server::cli::audit_verify(&again.settings, None)
        .await
        .unwrap();
    assert!(v.ok, "{v:?}");
}

/// The fixture's cases (see `tests/fixtures/README.md`).
const PREVIOUS_CASES: [&str; 2] = ["2026-01-00001", "2026-01-00002"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_of_the_previous_release_starts_migrates_and_passes_audit_verify() {
    // A SQLite file whichever store this run uses: that is what the fixture is.
    let database = Arc::new(TestDatabase::create(Store::Sqlite).await);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/previous-release.sqlite.gz");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(fixture).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    std::fs::write(sqlite_path(&database.url), bytes).unwrap();
    let app = spawn_on(
        database,
        AppOptions {
            now: Utc.with_ymd_and_hms(2026, 12, 4, 2, 0, 0).unwrap(),
            ..later()
        },
    )
    .await;
    let v = server::cli::audit_verify(&app.settings, None)
        .await
        .unwrap();
    assert!(v.ok, "{v:?}");
    // The old cases read, and the new columns are there: a receipt (without a code: those
    // cases were received before receipts) and the public lookup with the phone.
    let clerk = app.login("clerk01").await;
    let r: Value = expect_json(clerk.get("/api/v1/cases/1/receipt").await, StatusCode::OK).await;
    assert_eq!(r["number"], PREVIOUS_CASES[0]);
    assert_eq!(r["lookup_code"], Value::Null);
    assert_eq!(r["materials_recorded"], false);
    let status: Value = expect_json(
        app.get(&format!(
            "/api/v1/public/cases/{}?phone=13800138000",
            PREVIOUS_CASES[1]
        ))
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(status["state"], "correction_requested");
    // New writes go on the old chain.
    let new = receive(&clerk, "赵六").await;
    assert_eq!(new["summary"]["number"], "2026-01-00003");
    let v = server::cli::audit_verify(&app.settings, None)
        .await
        .unwrap();
    assert!(v.ok, "{v:?}");
}
