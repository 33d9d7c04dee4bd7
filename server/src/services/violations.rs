//! Violations (compliance problems found in the data): the feed supervision works from.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::{error::AppResult, store::entities::violation};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No review outcome within five working days of receipt (行政许可法 第三十二条).
    DeemedAcceptance,
    /// A later correction notice named an item the first did not (一次性告知).
    OneTimeRuleBreach,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::DeemedAcceptance => "deemed_acceptance",
            Kind::OneTimeRuleBreach => "one_time_rule_breach",
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn record<C: ConnectionTrait>(
    txn: &C,
    at: DateTime<Utc>,
    kind: Kind,
    center_id: i64,
    unit_id: i64,
    staff_id: Option<i64>,
    case_id: Option<i64>,
    inquiry_id: Option<i64>,
    detail: String,
) -> AppResult<()> {
    violation::ActiveModel {
        kind: Set(kind.code().to_string()),
        center_id: Set(center_id),
        unit_id: Set(unit_id),
        staff_id: Set(staff_id),
        case_id: Set(case_id),
        inquiry_id: Set(inquiry_id),
        at: Set(at),
        detail: Set(detail),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}
