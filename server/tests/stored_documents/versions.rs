//! The version marker: written as `"v": 1` on object documents, absent meaning 1, and a version
//! this server does not know refused rather than read as another.

use rules::{BusinessHours, ReviewOutcome};
use serde_json::Value;
use server::store::documents;

#[test]
fn a_document_object_written_today_carries_version_1_and_a_verdict_list_stays_an_array() {
    let written = documents::review_outcome_json(&ReviewOutcome::Accept).unwrap();
    let value: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(value["v"], 1);
    assert_eq!(value["outcome"], "accept");
    let hours = documents::business_hours_json(&BusinessHours::district_hall_default()).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&hours).unwrap()["v"], 1);
    let verdicts = documents::review_verdicts_json(&[]).unwrap();
    assert_eq!(verdicts, "[]");
}

#[test]
fn a_row_without_a_marker_and_a_row_marked_1_read_the_same() {
    let unmarked = documents::review_outcome(r#"{"outcome":"accept"}"#).unwrap();
    let marked = documents::review_outcome(r#"{"v":1,"outcome":"accept"}"#).unwrap();
    assert_eq!(unmarked, ReviewOutcome::Accept);
    assert_eq!(marked, ReviewOutcome::Accept);
}

#[test]
fn a_version_this_server_does_not_know_is_refused_not_misread() {
    assert!(documents::review_outcome(r#"{"v":2,"outcome":"accept"}"#).is_err());
    assert!(documents::inquiry_outcome(r#"{"v":2,"kind":"became_case","case_id":1}"#).is_err());
    assert!(documents::review_verdicts(r#"{"v":2,"verdicts":[]}"#).is_err());
    let hours = r#"{"v":7,"regular":{"working_day":{"sessions":[]}}}"#;
    assert!(documents::business_hours(hours).is_err());
    assert!(documents::review_outcome(r#"{"v":"1","outcome":"accept"}"#).is_err());
    assert!(documents::review_outcome(r#"{"v":0,"outcome":"accept"}"#).is_err());
    let item = r#"{"v":2,"name":"样例","time_limit":{"kind":"immediate","minutes":30}}"#;
    assert!(documents::case_item_head(item).is_err());
    assert!(documents::case_item_head(&item.replace(r#""v":2"#, r#""v":"1""#)).is_err());
}

#[test]
fn a_list_holds_plain_values_only() {
    assert_eq!(documents::list_json(&[3_u32, 1]).unwrap(), "[3,1]");
    assert_eq!(documents::list::<i64>("[7]").unwrap(), [7]);
    assert!(documents::list::<i64>(r#"["7"]"#).is_err());
}
