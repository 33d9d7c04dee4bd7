//! Violations (compliance problems found in the data): the feed supervision works from.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::Ctx;
use crate::{
    error::AppResult,
    store::entities::{cases, violation},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No review outcome within five working days of receipt (行政许可法 第三十二条).
    DeemedAcceptance,
    /// A later correction notice named an item the first did not (一次性告知).
    OneTimeRuleBreach,
    /// An extension asked at or after the due moment: refused, and recorded here (限时办结:
    /// 申请延期办理不及时, issue #13).
    ExtensionAfterDue,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::DeemedAcceptance => "deemed_acceptance",
            Kind::OneTimeRuleBreach => "one_time_rule_breach",
            Kind::ExtensionAfterDue => "extension_after_due",
        }
    }
}

/// Records a violation found on `case`, now, naming the staff member responsible if known.
pub async fn record<C: ConnectionTrait>(
    txn: &C,
    ctx: &Ctx,
    kind: Kind,
    case: &cases::Model,
    staff_id: Option<i64>,
    detail: String,
) -> AppResult<()> {
    violation::ActiveModel {
        kind: Set(kind.code().to_string()),
        center_id: Set(case.center_id),
        unit_id: Set(case.unit_id),
        staff_id: Set(staff_id),
        case_id: Set(Some(case.id)),
        inquiry_id: Set(None),
        at: Set(ctx.now),
        detail: Set(detail),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}
