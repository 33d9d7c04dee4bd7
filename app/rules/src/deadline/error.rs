//! Errors of the deadline engine.

use chrono::{NaiveDate, NaiveDateTime};
use thiserror::Error;

use super::suspension::SpecialProcedure;
use crate::calendar::CalendarError;
use crate::hours::HoursError;

/// Why a deadline could not be computed or an action on it is not allowed.
///
/// Source: Seed §二(三); 行政许可法 第三十二条, 第四十二条, 第四十五条.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DeadlineError {
    /// A date in a year the calendar does not hold (strict mode).
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// No business day found to end the period on.
    #[error("自{from}起{days}天内没有办公时间，无法确定截止时间")]
    NoBusinessDay {
        /// Where the search started.
        from: NaiveDate,
        /// The window searched.
        days: u32,
    },
    /// Suspensions and extensions apply to promised items only.
    #[error("即办件不适用中止计时或延期")]
    NotForImmediateItems,
    /// A suspension dated before the clock started.
    #[error("中止计时开始日{start}早于计时起点{clock_start}")]
    SuspensionBeforeClockStart {
        /// Suspension start.
        start: NaiveDate,
        /// Clock start date.
        clock_start: NaiveDate,
    },
    /// A suspension ending before it starts.
    #[error("中止计时结束日{end}早于开始日{start}")]
    SuspensionEndsBeforeStart {
        /// Start.
        start: NaiveDate,
        /// End.
        end: NaiveDate,
    },
    /// The item does not list this special procedure.
    #[error("本事项未列明“{}”程序，不能据此中止计时", .procedure.label_zh())]
    ProcedureNotListed {
        /// The procedure asked for.
        procedure: SpecialProcedure,
    },
    /// A suspension must state its reason (the applicant is told in writing).
    #[error("中止计时须说明理由（书面告知申请人）")]
    EmptySuspensionReason,
    /// A moment of the acceptance path before the application was received.
    #[error("时间{at}早于收件时间{received_at}")]
    BeforeReceipt {
        /// The moment given.
        at: NaiveDateTime,
        /// When the application was received.
        received_at: NaiveDateTime,
    },
}

impl DeadlineError {
    /// Stable snake_case code. Source: product rule (errors carry a code).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Calendar(e) => e.code(),
            Self::NoBusinessDay { .. } => "no_business_day",
            Self::NotForImmediateItems => "not_for_immediate_items",
            Self::SuspensionBeforeClockStart { .. } => "suspension_before_clock_start",
            Self::SuspensionEndsBeforeStart { .. } => "suspension_ends_before_start",
            Self::ProcedureNotListed { .. } => "procedure_not_listed",
            Self::EmptySuspensionReason => "empty_suspension_reason",
            Self::BeforeReceipt { .. } => "before_receipt",
        }
    }

    /// The message for users, in Chinese. Source: product rule.
    pub fn message_zh(&self) -> String {
        self.to_string()
    }
}

impl From<HoursError> for DeadlineError {
    fn from(e: HoursError) -> Self {
        match e {
            HoursError::Calendar(e) => Self::Calendar(e),
            HoursError::NoOpeningWithin { from, days } => Self::NoBusinessDay { from, days },
        }
    }
}
