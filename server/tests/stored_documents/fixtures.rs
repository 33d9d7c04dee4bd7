//! The frozen fixtures: one file per stored document kind, each row the stored text of a column.

use std::{
    fs,
    path::{Path, PathBuf},
};

use serde::Deserialize;
use serde_json::Value;
use server::{services::notices::NoticeData, store::documents};

/// Every document kind the store keeps as JSON, by fixture file name.
pub const DOCUMENTS: [&str; 8] = [
    "item_definition",
    "case_item",
    "business_hours",
    "review_verdicts",
    "review_outcome",
    "inquiry_outcome",
    "notice",
    "lists",
];

#[derive(Debug, Deserialize)]
struct Fixture {
    document: String,
    rows: Vec<Row>,
}

/// One stored value: the table and column, the row's key, and the text exactly as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct Row {
    pub column: String,
    pub row: String,
    pub stored: String,
}

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/documents")
}

/// The rows of one fixture file.
pub fn load(document: &str) -> Vec<Row> {
    let path = dir().join(format!("{document}.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let fixture: Fixture =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(fixture.document, document, "{}", path.display());
    assert!(!fixture.rows.is_empty(), "{} holds no row", path.display());
    fixture.rows
}

/// The stored text of the one row of `column` keyed `row`.
pub fn stored(document: &str, column: &str, row: &str) -> String {
    let found: Vec<Row> = load(document)
        .into_iter()
        .filter(|r| r.column == column && r.row == row)
        .collect();
    assert_eq!(found.len(), 1, "{document}: {column} row {row}");
    found[0].stored.clone()
}

fn show<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Reads a stored value of `column` with the store's reader and writes it back with its writer.
pub fn reread(column: &str, stored: &str) -> Result<String, String> {
    use documents as d;
    match column {
        "service_item.definition" => {
            d::item_definition_json(&d::item_definition(stored).map_err(show)?)
        }
        "cases.item_snapshot" => d::case_item_json(&d::case_item(stored).map_err(show)?),
        "service_center.business_hours" => {
            d::business_hours_json(&d::business_hours(stored).map_err(show)?)
        }
        "case_review.verdicts" => {
            d::review_verdicts_json(&d::review_verdicts(stored).map_err(show)?)
        }
        "case_review.outcome_detail" => {
            d::review_outcome_json(&d::review_outcome(stored).map_err(show)?)
        }
        "inquiry.outcome_detail" => {
            d::inquiry_outcome_json(&d::inquiry_outcome(stored).map_err(show)?)
        }
        "notice.data" => NoticeData::from_stored(stored).map_err(show)?.to_stored(),
        "case_correction.material_keys"
        | "one_time_exception.material_keys"
        | "slot_rule.item_codes"
        | "appointment_slot.item_codes" => d::list_json(&d::list::<String>(stored).map_err(show)?),
        "slot_rule.weekdays" => d::list_json(&d::list::<u32>(stored).map_err(show)?),
        "slot_rule.duty_staff_ids" => d::list_json(&d::list::<i64>(stored).map_err(show)?),
        other => return Err(format!("no reader for column {other}")),
    }
    .map_err(show)
}

#[test]
fn every_fixture_file_is_a_known_stored_document_and_every_document_has_one() {
    let mut files: Vec<String> = fs::read_dir(dir())
        .expect("fixture dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    let mut expected: Vec<String> = DOCUMENTS.iter().map(|d| format!("{d}.json")).collect();
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
fn every_stored_row_reads_and_is_written_back_unchanged_but_for_the_version_marker() {
    let mut checked = 0;
    for document in DOCUMENTS {
        for row in load(document) {
            let at = format!("{document}: {} row {}", row.column, row.row);
            let written = reread(&row.column, &row.stored).unwrap_or_else(|e| panic!("{at}: {e}"));
            let old: Value = serde_json::from_str(&row.stored).expect("fixture rows are JSON");
            let mut new: Value = serde_json::from_str(&written).expect("written JSON");
            if let Value::Object(fields) = &mut new {
                assert_eq!(
                    fields.remove("v"),
                    Some(Value::from(1)),
                    "{at}: version marker"
                );
            }
            assert_eq!(new, old, "{at}");
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} rows checked");
}
