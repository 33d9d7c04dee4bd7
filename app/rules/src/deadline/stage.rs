//! Stage limits inside the total: 受理, 审查, 决定, 送达.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::compute::compute_due;
use super::error::DeadlineError;
use super::extension::Extension;
use super::limit::{Due, TimeLimit};
use super::suspension::Suspension;
use crate::calendar::WorkingDays;
use crate::hours::BusinessHours;

/// A stage of handling with its own limit inside the total.
///
/// Source: Seed §二(三) (明确审批过程中的受理、审查、决定、送达等环节办结时限).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 受理.
    Acceptance,
    /// 审查.
    Review,
    /// 决定.
    Decision,
    /// 送达.
    Delivery,
}

impl Stage {
    /// Every stage, in handling order. Source: Seed §二(三).
    pub const ALL: [Self; 4] = [
        Self::Acceptance,
        Self::Review,
        Self::Decision,
        Self::Delivery,
    ];

    /// The Chinese name. Source: Seed §二(三).
    pub fn label_zh(&self) -> &'static str {
        match self {
            Self::Acceptance => "受理",
            Self::Review => "审查",
            Self::Decision => "决定",
            Self::Delivery => "送达",
        }
    }
}

/// A stage's limit in working days. Higher-level approval time is inside these limits, not added.
///
/// Source: Seed §二(三) (环节办结时限), §二(三)三 (其办结时限包括上级主管机关的审批时限).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageLimit {
    /// The stage.
    pub stage: Stage,
    /// Its limit in working days.
    pub working_days: u32,
}

/// Why stage limits do not fit the item's total.
///
/// Source: Seed §二(三) and §二(三)三.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum StageLimitError {
    /// A stage given twice.
    #[error("环节“{}”重复设置时限", .stage.label_zh())]
    DuplicateStage {
        /// The stage.
        stage: Stage,
    },
    /// A stage of no working days: it would be late the moment it starts (a stage done on the
    /// spot needs no limit of its own; leave it out).
    #[error("环节“{}”的时限至少 1 个工作日（当场办结的环节不必设时限）", .stage.label_zh())]
    ZeroDays {
        /// The stage.
        stage: Stage,
    },
    /// The stages add up to more than the total.
    #[error("各环节时限合计{sum}个工作日，超过承诺时限{total}个工作日")]
    ExceedsTotal {
        /// Sum of the stages.
        sum: u64,
        /// The item's total.
        total: u32,
    },
}

impl StageLimitError {
    /// Stable snake_case code (as serialised). Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::DuplicateStage { .. } => "duplicate_stage",
            Self::ZeroDays { .. } => "zero_days",
            Self::ExceedsTotal { .. } => "exceeds_total",
        }
    }
}

/// Each stage at most once, each of at least one working day, and the stages add up to no more
/// than the item's promised total.
/// Source: Seed §二(三), §二(三)三.
pub fn validate_stage_limits(stages: &[StageLimit], total: u32) -> Result<(), StageLimitError> {
    for (i, s) in stages.iter().enumerate() {
        if stages[..i].iter().any(|earlier| earlier.stage == s.stage) {
            return Err(StageLimitError::DuplicateStage { stage: s.stage });
        }
        if s.working_days == 0 {
            return Err(StageLimitError::ZeroDays { stage: s.stage });
        }
    }
    let sum: u64 = stages.iter().map(|s| u64::from(s.working_days)).sum();
    if sum > u64::from(total) {
        return Err(StageLimitError::ExceedsTotal { sum, total });
    }
    Ok(())
}

/// A stage's due, counted from its own start like a promised item (start day not counted, close of
/// business of the N-th working day, suspensions not counted). An extension asked for during the
/// stage lengthens the stage too: the extra days are for the work the stage could not finish, and
/// a lawfully extended case was otherwise flagged 环节超时 the day after its approval.
/// Source: Seed §二(三); 民法典 第二百零三条; 行政许可法 第四十二条, 第四十五条.
pub fn stage_due<C: WorkingDays + ?Sized>(
    limit: &StageLimit,
    stage_start: NaiveDateTime,
    suspensions: &[Suspension],
    extension: Option<&Extension>,
    cal: &C,
    hours: &BusinessHours,
) -> Result<Due, DeadlineError> {
    let limit = TimeLimit::Promised {
        working_days: limit.working_days,
    };
    let during = extension.filter(|e| e.requested_at >= stage_start);
    compute_due(&limit, stage_start, suspensions, during, cal, hours)
}
