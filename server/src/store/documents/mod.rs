//! Stored JSON documents: what a column of JSON holds, as the store's own types. Services read
//! and write them only through these functions, so that the storage format does not follow the
//! API's wire format by accident.

use app::api::{
    catalog::{ServiceItem, ServiceItemInput},
    inquiries::InquiryOutcome,
};
use rules::{BusinessHours, MaterialReview, ReviewOutcome};
use serde::{Serialize, de::DeserializeOwned};

use crate::error::{AppError, AppResult};

fn read<T: DeserializeOwned>(what: &str, json: &str) -> AppResult<T> {
    serde_json::from_str(json)
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored {what} unreadable: {e}")))
}

fn write<T: Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(AppError::internal)
}

/// `service_item.definition`.
pub fn item_definition(json: &str) -> AppResult<ServiceItemInput> {
    read("item definition", json)
}

pub fn item_definition_json(item: &ServiceItemInput) -> AppResult<String> {
    write(item)
}

/// `cases.item_snapshot`: the item as it was when the case was received.
pub fn case_item(json: &str) -> AppResult<ServiceItem> {
    read("case item snapshot", json)
}

pub fn case_item_json(item: &ServiceItem) -> AppResult<String> {
    write(item)
}

/// `service_center.business_hours`.
pub fn business_hours(json: &str) -> AppResult<BusinessHours> {
    read("business hours", json)
}

pub fn business_hours_json(hours: &BusinessHours) -> AppResult<String> {
    write(hours)
}

/// `case_review.verdicts`.
pub fn review_verdicts(json: &str) -> AppResult<Vec<MaterialReview>> {
    read("review verdicts", json)
}

pub fn review_verdicts_json(verdicts: &[MaterialReview]) -> AppResult<String> {
    write(&verdicts)
}

/// `case_review.outcome_detail`.
pub fn review_outcome(json: &str) -> AppResult<ReviewOutcome> {
    read("review outcome", json)
}

pub fn review_outcome_json(outcome: &ReviewOutcome) -> AppResult<String> {
    write(outcome)
}

/// `inquiry.outcome_detail`.
pub fn inquiry_outcome(json: &str) -> AppResult<InquiryOutcome> {
    read("inquiry outcome", json)
}

pub fn inquiry_outcome_json(outcome: &InquiryOutcome) -> AppResult<String> {
    write(outcome)
}

/// A JSON list of plain values (material keys, weekdays, item codes, staff ids).
pub fn list<T: DeserializeOwned>(json: &str) -> AppResult<Vec<T>> {
    read("list", json)
}

pub fn list_json<T: Serialize>(list: &[T]) -> AppResult<String> {
    write(&list)
}
