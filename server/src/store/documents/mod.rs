//! Stored JSON documents: what a column of JSON holds, as the store's own types. Services read
//! and write them only through these functions.
//!
//! # The stored format is not the API's wire format
//! Each document has store-owned, versioned types (`item`, `hours`, `review`, `inquiry`,
//! `notice`), converted to and from the API and rules types field by field. Renaming a field of
//! `app::api` or `rules` therefore breaks the build of a conversion here instead of silently
//! changing what is written or making every old row unreadable. Version 1 of every document is
//! exactly the JSON the server wrote before these types existed (serde of the API types then);
//! `server/tests/fixtures/documents/` holds such rows, frozen, and `server/tests/stored_documents/`
//! reads every one of them, checks the values field by field and writes them back unchanged.
//! Dates and times are chrono's ISO 8601 text (`2026-03-04`, `09:00:00`, `2026-03-11T17:00:00`);
//! weekdays are spelled out here (`"Mon"` …) rather than left to chrono.
//!
//! The notice's in-memory form belongs to the notice service, above the store: there the service
//! converts to and from [`notice::NoticeDoc`] itself (`services::notices::stored`).
//!
//! # Version marker
//! - A document that is a JSON object carries `"v": 1` from now on. A row without `v` was written
//!   before the marker existed and is version 1.
//! - A document that is a JSON array (review verdicts) is version 1 and carries no marker; a later
//!   version of it is written as an object `{"v": 2, …}`, so the shape tells them apart.
//! - A version this server does not know is refused (an internal error naming the column), never
//!   read as if it were another one.
//!
//! # Adding a version 2
//! 1. Add `FooV2` beside `FooV1` in the document's module, and the conversion `FooV1 → FooV2`
//!    (fill what V1 lacks with what V1 rows meant).
//! 2. Convert the API/rules type to and from `FooV2` instead of `FooV1`; keep `FooV1`, its serde
//!    attributes and its conversion unchanged forever: old rows stay V1 until rewritten.
//! 3. In the reading function, dispatch on the version: `1 => v1.into()` (upgraded to V2),
//!    `2 => v2`. The writing function stamps `"v": 2`.
//! 4. Add a frozen fixture of V2 rows and keep the V1 fixture: both must read.

pub mod hours;
pub mod inquiry;
pub mod item;
pub mod notice;
pub mod review;

use app::api::{
    catalog::{LimitSpec, ServiceItem, ServiceItemInput},
    inquiries::InquiryOutcome,
};
use rules::{
    BusinessHours, MaterialReview, ReviewOutcome,
    supervision::{RatingIndicator, RatingLevel},
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::error::{AppError, AppResult};

/// The version every document is written in today.
pub const CURRENT_VERSION: u64 = 1;

/// The key of the version marker in an object document.
const VERSION_KEY: &str = "v";

fn unreadable(what: &str, why: impl std::fmt::Display) -> AppError {
    AppError::internal(anyhow::anyhow!("stored {what} unreadable: {why}"))
}

/// Parses a stored document and returns its version and its content without the marker.
fn versioned(what: &str, json: &str) -> AppResult<(u64, Value)> {
    let mut value: Value = serde_json::from_str(json).map_err(|e| unreadable(what, e))?;
    let version = match &mut value {
        Value::Object(fields) => match fields.remove(VERSION_KEY) {
            None => 1,
            Some(v) => v
                .as_u64()
                .ok_or_else(|| unreadable(what, format!("version marker {v}")))?,
        },
        _ => 1,
    };
    Ok((version, value))
}

/// Refuses a version other than 1 of a document that has only version 1 so far.
fn only_v1(what: &str, version: u64) -> AppResult<()> {
    match version {
        1 => Ok(()),
        v => Err(unreadable(
            what,
            format!("version {v} is not one this server reads"),
        )),
    }
}

/// Reads a document that has only version 1 so far.
fn read_v1<T: DeserializeOwned>(what: &str, json: &str) -> AppResult<T> {
    let (version, value) = versioned(what, json)?;
    only_v1(what, version)?;
    serde_json::from_value(value).map_err(|e| unreadable(what, e))
}

/// Writes a document in the current version: objects get the marker, arrays stay bare.
fn write_current<T: Serialize>(doc: &T) -> AppResult<String> {
    let mut value = serde_json::to_value(doc).map_err(AppError::internal)?;
    if let Value::Object(fields) = &mut value {
        fields.insert(VERSION_KEY.into(), CURRENT_VERSION.into());
    }
    serde_json::to_string(&value).map_err(AppError::internal)
}

/// `service_item.definition`.
pub fn item_definition(json: &str) -> AppResult<ServiceItemInput> {
    read_v1::<item::ItemDefinitionV1>("item definition", json).map(Into::into)
}

pub fn item_definition_json(item: &ServiceItemInput) -> AppResult<String> {
    write_current(&item::ItemDefinitionV1::from(item))
}

/// `cases.item_snapshot`: the item as it was when the case was received.
pub fn case_item(json: &str) -> AppResult<ServiceItem> {
    read_v1::<item::CaseItemV1>("case item snapshot", json).map(Into::into)
}

/// The name and time limit of a `cases.item_snapshot`, for lists of cases: the same values as
/// [`case_item`] gives, without building the whole item.
pub fn case_item_head(json: &str) -> AppResult<CaseItemHead> {
    const WHAT: &str = "case item snapshot";
    let head: item::CaseItemHeadV1 = serde_json::from_str(json).map_err(|e| unreadable(WHAT, e))?;
    only_v1(WHAT, head.v.unwrap_or(1))?;
    Ok(CaseItemHead {
        name: head.name,
        time_limit: head.time_limit.into(),
    })
}

/// What [`case_item_head`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseItemHead {
    pub name: String,
    pub time_limit: LimitSpec,
}

pub fn case_item_json(item: &ServiceItem) -> AppResult<String> {
    write_current(&item::CaseItemV1::from(item))
}

/// `service_center.business_hours`.
pub fn business_hours(json: &str) -> AppResult<BusinessHours> {
    read_v1::<hours::HoursV1>("business hours", json).map(Into::into)
}

pub fn business_hours_json(hours: &BusinessHours) -> AppResult<String> {
    write_current(&hours::HoursV1::from(hours))
}

/// `case_review.verdicts` (a JSON array: version 1 has no marker).
pub fn review_verdicts(json: &str) -> AppResult<Vec<MaterialReview>> {
    let verdicts: Vec<review::MaterialReviewV1> = read_v1("review verdicts", json)?;
    Ok(verdicts.into_iter().map(Into::into).collect())
}

pub fn review_verdicts_json(verdicts: &[MaterialReview]) -> AppResult<String> {
    let docs: Vec<review::MaterialReviewV1> = verdicts.iter().map(Into::into).collect();
    write_current(&docs)
}

/// `case_review.outcome_detail`.
pub fn review_outcome(json: &str) -> AppResult<ReviewOutcome> {
    read_v1::<review::OutcomeV1>("review outcome", json).map(Into::into)
}

pub fn review_outcome_json(outcome: &ReviewOutcome) -> AppResult<String> {
    write_current(&review::OutcomeV1::from(outcome))
}

/// `inquiry.outcome_detail`.
pub fn inquiry_outcome(json: &str) -> AppResult<InquiryOutcome> {
    read_v1::<inquiry::InquiryOutcomeV1>("inquiry outcome", json).map(Into::into)
}

pub fn inquiry_outcome_json(outcome: &InquiryOutcome) -> AppResult<String> {
    write_current(&inquiry::InquiryOutcomeV1::from(outcome))
}

/// `notice.data`: what a notice says. Its in-memory form (`NoticeData`) belongs to the notice
/// service, above the store, so the service converts to and from [`notice::NoticeDoc`], the
/// current version; older versions are upgraded here.
pub fn notice(json: &str) -> AppResult<notice::NoticeDoc> {
    read_v1::<notice::NoticeDocV1>("notice data", json)
}

pub fn notice_json(doc: &notice::NoticeDoc) -> AppResult<String> {
    write_current(doc)
}

/// A rating's level per indicator (`rating.indicators`): a bare array of `[indicator, level]`
/// pairs of the rules' stable codes (a code is never renamed; a new one is added).
pub fn rating_indicators(json: &str) -> AppResult<Vec<(RatingIndicator, RatingLevel)>> {
    let pairs: Vec<(String, String)> =
        serde_json::from_str(json).map_err(|e| unreadable("rating indicators", e))?;
    pairs
        .iter()
        .map(
            |(i, l)| match (RatingIndicator::from_code(i), RatingLevel::from_code(l)) {
                (Some(i), Some(l)) => Ok((i, l)),
                _ => Err(AppError::internal(anyhow::anyhow!(
                    "unknown rating indicator or level in a stored rating: {i}/{l}"
                ))),
            },
        )
        .collect()
}

pub fn rating_indicators_json(list: &[(RatingIndicator, RatingLevel)]) -> AppResult<String> {
    let pairs: Vec<(&str, &str)> = list.iter().map(|(i, l)| (i.code(), l.code())).collect();
    serde_json::to_string(&pairs).map_err(AppError::internal)
}

/// A plain value a JSON list column may hold: text or a number, never a structure (a structure
/// is a document and gets types of its own above).
pub trait ListValue: Serialize + DeserializeOwned + sealed::Sealed {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for String {}
    impl Sealed for i64 {}
    impl Sealed for u32 {}
}

impl ListValue for String {}
impl ListValue for i64 {}
impl ListValue for u32 {}

/// A JSON list of plain values (material keys, weekdays, item codes, staff ids). A list of plain
/// values has no field to rename; it stays a bare array.
pub fn list<T: ListValue>(json: &str) -> AppResult<Vec<T>> {
    serde_json::from_str(json).map_err(|e| unreadable("list", e))
}

pub fn list_json<T: ListValue>(list: &[T]) -> AppResult<String> {
    serde_json::to_string(list).map_err(AppError::internal)
}
