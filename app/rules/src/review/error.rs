//! Errors of the acceptance review.

use chrono::NaiveDate;
use thiserror::Error;

use crate::calendar::CalendarError;

/// Why the review input cannot be decided (the clerk must complete or fix it; nothing is accepted).
///
/// Source: Seed §二(二)三, 六; 行政许可法 第三十二条; issue #4 ("a missing verdict for a required
/// material is an error, not an acceptance").
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReviewError {
    /// Required (or applicable conditional) materials without a verdict.
    #[error("以下必需材料尚未作出审查结论：{}", .names.join("、"))]
    MissingVerdicts {
        /// Their keys.
        keys: Vec<String>,
        /// Their names.
        names: Vec<String>,
    },
    /// Verdicts for materials the item does not list.
    #[error("以下材料不属于本事项：{}", .keys.join("、"))]
    UnknownMaterials {
        /// The keys given.
        keys: Vec<String>,
    },
    /// More than one verdict for a material.
    #[error("以下材料有重复的审查结论：{}", .keys.join("、"))]
    DuplicateVerdicts {
        /// The keys.
        keys: Vec<String>,
    },
    /// A condition marked as applying for a material that is not conditional.
    #[error("以下材料不是附条件材料：{}", .keys.join("、"))]
    NotConditional {
        /// The keys.
        keys: Vec<String>,
    },
    /// Deferred (commitment) materials the item does not list.
    #[error("承诺后补的材料不属于本事项：{}", .keys.join("、"))]
    UnknownDeferredMaterials {
        /// The keys.
        keys: Vec<String>,
    },
    /// A nonconforming verdict without its reason.
    #[error("材料“{name}”不符合法定形式，须写明原因")]
    EmptyReason {
        /// The key.
        key: String,
        /// The name.
        name: String,
    },
    /// A correction on the spot the applicant did not sign or seal.
    #[error("材料“{name}”当场更正处须由申请人签名或者盖章确认")]
    CorrectionNotConfirmed {
        /// The key.
        key: String,
        /// The name.
        name: String,
    },
    /// A correction dated after the review.
    #[error("材料“{name}”的更正日期{corrected_on}晚于审查日期")]
    CorrectionDateAfterReview {
        /// The key.
        key: String,
        /// The name.
        name: String,
        /// The date given.
        corrected_on: NaiveDate,
    },
    /// A correction dated before the application was received.
    #[error("材料“{name}”的更正日期{corrected_on}早于收件日期")]
    CorrectionDateBeforeReceipt {
        /// The key.
        key: String,
        /// The name.
        name: String,
        /// The date given.
        corrected_on: NaiveDate,
    },
    /// Not within this unit's authority, without saying which authority is: the applicant must
    /// be told where to apply (行政许可法 第三十二条第一款第（二）项).
    #[error("不属于本单位职权的，须写明申请人应当向哪个行政机关申请")]
    CompetentAuthorityRequired,
    /// The follow-up check date falls in a year the calendar does not hold.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl ReviewError {
    /// Stable snake_case code. Source: product rule (errors carry a code).
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingVerdicts { .. } => "missing_verdicts",
            Self::UnknownMaterials { .. } => "unknown_materials",
            Self::DuplicateVerdicts { .. } => "duplicate_verdicts",
            Self::NotConditional { .. } => "not_conditional",
            Self::UnknownDeferredMaterials { .. } => "unknown_deferred_materials",
            Self::EmptyReason { .. } => "empty_reason",
            Self::CorrectionNotConfirmed { .. } => "correction_not_confirmed",
            Self::CorrectionDateAfterReview { .. } => "correction_date_after_review",
            Self::CorrectionDateBeforeReceipt { .. } => "correction_date_before_receipt",
            Self::CompetentAuthorityRequired => "competent_authority_required",
            Self::Calendar(e) => e.code(),
        }
    }

    /// The request field the refusal concerns, when it is one field.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::CompetentAuthorityRequired => Some("jurisdiction.name"),
            _ => None,
        }
    }

    /// The message for the clerk, in Chinese. Source: product rule.
    pub fn message_zh(&self) -> String {
        self.to_string()
    }
}
