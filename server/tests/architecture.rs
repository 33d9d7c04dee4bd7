//! The architecture, checked: dependencies point one way (routes → services → store/rules),
//! migrations are frozen text, lifecycles are typed, and every source line fits the formatter.
//! These read the source tree; they fail with the file and line that breaks a rule.

use std::{
    fs,
    path::{Path, PathBuf},
};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server lives in the workspace")
        .to_path_buf()
}

/// Every `.rs` file below `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The code of a line, without a `//` comment (doc comments may name anything).
fn code(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed.starts_with("//") {
        return "";
    }
    line
}

/// Lines of the files below `dir` (relative to the server's `src`) whose code matches `bad`.
fn offences(dir: &str, bad: impl Fn(&str) -> bool) -> Vec<String> {
    let root = workspace().join(dir);
    let mut found = Vec::new();
    for file in rust_files(&root) {
        let text = fs::read_to_string(&file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            if bad(code(line)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn services_never_see_http_or_the_router_state() {
    let found = offences("server/src/services", |l| {
        l.contains("axum") || l.contains("AppState") || l.contains("crate::routes")
    });
    assert!(
        found.is_empty(),
        "services import the HTTP layer:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_store_imports_nothing_above_it() {
    let found = offences("server/src/store", |l| {
        [
            "services",
            "crate::routes",
            "crate::auth",
            "crate::state",
            "axum",
        ]
        .iter()
        .any(|bad| l.contains(bad))
    });
    assert!(
        found.is_empty(),
        "the store imports a higher layer:\n{}",
        found.join("\n")
    );
}

/// A JSON column written as serde of an API type would make the API's wire format the storage
/// format again; services go through `store::documents`, whose versioned types own that format.
#[test]
fn services_read_and_write_stored_json_only_through_the_store_documents() {
    let found = offences("server/src/services", |l| {
        [
            "serde_json::from_",
            "serde_json::to_string",
            "serde_json::to_vec",
        ]
        .iter()
        .any(|parse_or_write| l.contains(parse_or_write))
    });
    assert!(
        found.is_empty(),
        "a service parses or writes JSON text itself:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_shipped_migration_imports_nothing_from_the_application() {
    let found = offences("server/src/store/migration", |l| l.contains("crate::"));
    assert!(
        found.is_empty(),
        "a migration imports live code:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_rules_depend_on_nothing_of_the_workspace() {
    let manifest = fs::read_to_string(workspace().join("app/rules/Cargo.toml")).expect("manifest");
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap_or("");
    for line in deps.lines().filter(|l| !l.trim().is_empty()) {
        let name = line.split(['=', '.']).next().unwrap_or("").trim();
        assert!(
            !line.contains("path") && !["app", "server", "scenario-tests"].contains(&name),
            "rules depend on a workspace crate: {line}"
        );
    }
    let found = offences("app/rules/src", |l| {
        l.contains("app::") || l.contains("server::") || l.contains("std::fs")
    });
    assert!(
        found.is_empty(),
        "rules reach outside:\n{}",
        found.join("\n")
    );
}

/// Every code of a lifecycle of `rules` (case, ticket, appointment, request, inquiry,
/// rectification, appeal, monthly submission) and of a case decision.
fn lifecycle_codes() -> Vec<&'static str> {
    use rules::supervision::{MonthlyStatus, SubmissionState};
    let mut codes: Vec<&'static str> = rules::CaseState::ALL.iter().map(|s| s.code()).collect();
    codes.extend([rules::Decision::Approved, rules::Decision::Denied].map(|d| d.code()));
    codes.extend(rules::TicketStatus::ALL.iter().map(|s| s.code()));
    codes.extend(rules::AppointmentStatus::ALL.iter().map(|s| s.code()));
    codes.extend(rules::RequestStatus::ALL.iter().map(|s| s.code()));
    codes.extend(rules::InquiryStatus::ALL.iter().map(|s| s.code()));
    codes.extend(rules::RectificationStatus::ALL.iter().map(|s| s.code()));
    codes.extend(rules::AppealStatus::ALL.iter().map(|s| s.code()));
    codes.extend(MonthlyStatus::ALL.iter().map(|s| s.code()));
    codes.extend(SubmissionState::ALL.iter().map(|s| s.code()));
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// A lifecycle status or state compared or written as text, e.g. `status == "waiting"`,
/// `c.state == "received"`, `Status.eq("pending")` or `decision.get() == "denied"`.
fn compares_lifecycle_text(line: &str, codes: &[&str]) -> bool {
    let l = line.replace(' ', "");
    let by_name = ["status", "state", "Status", "State"].iter().any(|name| {
        [
            "==\"",
            "!=\"",
            ".as_str()",
            ".eq(\"",
            ".ne(\"",
            ".is_in([\"",
            ":Set(\"",
            "=Set(\"",
        ]
        .iter()
        .any(|op| l.contains(&format!("{name}{op}")))
    });
    let by_code = codes.iter().any(|code| {
        let quoted = format!("\"{code}\"");
        ["==", "!=", "Set(", "Set(Some("]
            .iter()
            .any(|op| l.contains(&format!("{op}{quoted}")))
            || l.contains(&format!("{quoted}=="))
            || l.contains(&format!("{quoted}!="))
            || l.contains(&format!("Some({quoted})=>"))
    });
    by_name || by_code
}

#[test]
fn no_lifecycle_status_is_compared_as_text() {
    let codes = lifecycle_codes();
    let bad = |l: &str| compares_lifecycle_text(l, &codes);
    let mut found = offences("server/src", bad);
    found.extend(offences("app/src", bad));
    assert!(
        found.is_empty(),
        "status compared as text:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_lifecycle_text_check_catches_each_way_of_writing_it() {
    let codes = lifecycle_codes();
    for line in [
        r#"if t.status == "waiting" {"#,
        r#"let (label, due) = if s.state == "received" {"#,
        r#"let show = due.is_some() || c.state != "suspended";"#,
        r#".filter(cases::Column::State.eq("received"))"#,
        r#"prop:checked=move || decision.get() == "denied""#,
        r#"model.decision = Set(Some("approved".into()));"#,
        r#"match row.status.as_str() {"#,
        r#"Some("pending") => {"#,
    ] {
        assert!(compares_lifecycle_text(line, &codes), "not caught: {line}");
    }
    for line in [
        r#"if s.state == CaseState::Received {"#,
        r#"let missing = error.status == 404;"#,
        r#"if path == "/login""#,
        r#"e.code == "stale_version""#,
    ] {
        assert!(
            !compares_lifecycle_text(line, &codes),
            "caught wrongly: {line}"
        );
    }
}

/// The columns a line takes on screen, as rustfmt counts them (CJK characters take two).
fn display_width(line: &str) -> usize {
    line.chars()
        .map(|c| {
            let wide = matches!(u32::from(c),
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
            if wide { 2 } else { 1 }
        })
        .sum()
}

#[test]
fn no_source_line_is_wider_than_the_formatter_allows() {
    let mut found = Vec::new();
    for dir in [
        "app/src",
        "app/rules/src",
        "app/rules/tests",
        "server/src",
        "server/tests",
        "tests",
    ] {
        let root = workspace().join(dir);
        if !root.exists() {
            continue;
        }
        for file in rust_files(&root) {
            let text = fs::read_to_string(&file).expect("readable source");
            for (n, line) in text.lines().enumerate() {
                if display_width(line) > 100 {
                    found.push(format!("{}:{}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} lines wider than 100 columns:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// Every file below `dir` whose code mentions `needle` (doc comments left out).
fn files_mentioning(dir: &str, needle: &str) -> Vec<PathBuf> {
    rust_files(&workspace().join(dir))
        .into_iter()
        .filter(|file| {
            let text = fs::read_to_string(file).expect("readable source");
            text.lines().any(|line| code(line).contains(needle))
        })
        .collect()
}

/// A topic published with no page listening to it is an update nobody sees (reassignments were
/// once published on their own topic while their page listened to the queue); a topic listened
/// to but never published is a page that never refreshes.
#[test]
fn every_published_topic_has_a_subscriber_page_and_every_subscribed_topic_a_publisher() {
    use app::api::events::Topic;
    let mut broken = Vec::new();
    for topic in Topic::ALL {
        let name = format!("Topic::{topic:?}");
        let publishers = files_mentioning("server/src", &format!("event({name}"));
        let pages: Vec<_> = files_mentioning("app/src/pages", &name)
            .into_iter()
            .filter(|file| {
                // The element may span lines once formatted: read it up to its end.
                let text = fs::read_to_string(file).expect("readable source");
                text.split("<LiveRefresh").skip(1).any(|rest| {
                    let element = rest.split("/>").next().unwrap_or_default();
                    element.contains(&name)
                })
            })
            .collect();
        if publishers.is_empty() || pages.is_empty() {
            broken.push(format!(
                "{}: {} publisher(s), {} page(s) listening",
                topic.code(),
                publishers.len(),
                pages.len()
            ));
        }
    }
    assert!(
        broken.is_empty(),
        "topics without both sides:\n{}",
        broken.join("\n")
    );
}
