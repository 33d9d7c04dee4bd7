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
    #[error("中止计时开始时间{}早于计时起点{}", zh_moment(.start), zh_moment(.clock_start))]
    SuspensionBeforeClockStart {
        /// Suspension start.
        start: NaiveDateTime,
        /// Clock start.
        clock_start: NaiveDateTime,
    },
    /// A suspension ending before (or, when resumed, at) its start.
    #[error("恢复计时时间{}须晚于中止开始时间{}", zh_moment(.end), zh_moment(.start))]
    SuspensionEndsBeforeStart {
        /// Start.
        start: NaiveDateTime,
        /// End.
        end: NaiveDateTime,
    },
    /// A suspension that would start at or after the due moment: the clock had already run out and
    /// a special procedure cannot revive an overdue case.
    #[error("办件已于{}到期，不能再中止计时", zh_moment(.due))]
    CaseOverdue {
        /// The due moment in force when the suspension would start.
        due: NaiveDateTime,
    },
    /// A suspension that would start later than now.
    #[error("中止计时开始时间{}不能晚于现在（{}）", zh_moment(.start), zh_moment(.now))]
    SuspensionStartInFuture {
        /// The start given.
        start: NaiveDateTime,
        /// Now.
        now: NaiveDateTime,
    },
    /// A resumption later than now.
    #[error("恢复计时时间{}不能晚于现在（{}）", zh_moment(.end), zh_moment(.now))]
    ResumeInFuture {
        /// The end given.
        end: NaiveDateTime,
        /// Now.
        now: NaiveDateTime,
    },
    /// A suspension sharing time with one already recorded.
    #[error("与已记录的中止计时（{}起）时间重叠", zh_moment(.existing_start))]
    SuspensionsOverlap {
        /// Start of the suspension already recorded.
        existing_start: NaiveDateTime,
    },
    /// Resuming a suspension that has already ended.
    #[error("该中止计时已于{}恢复", zh_moment(.end))]
    SuspensionNotOpen {
        /// When it ended.
        end: NaiveDateTime,
    },
    /// A back-dated suspension without the reason for the late record.
    #[error(
        "中止计时开始时间{}早于现在{}分钟以上，须说明补录理由",
        zh_moment(.start),
        super::suspension_check::BACK_DATING_TOLERANCE_MINUTES
    )]
    BackDatedWithoutReason {
        /// The back-dated start.
        start: NaiveDateTime,
    },
    /// A back-dated suspension starting before the previous working day.
    #[error(
        "中止计时最多补录到上一个工作日，开始时间{}过早：特别程序开始时就应记录并书面告知申请人",
        zh_moment(.start)
    )]
    BackDatedTooFar {
        /// The back-dated start.
        start: NaiveDateTime,
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
            Self::CaseOverdue { .. } => "case_overdue",
            Self::SuspensionStartInFuture { .. } => "start_in_future",
            Self::ResumeInFuture { .. } => "end_in_future",
            Self::SuspensionsOverlap { .. } => "suspensions_overlap",
            Self::SuspensionNotOpen { .. } => "suspension_not_open",
            Self::BackDatedWithoutReason { .. } => "back_dated_reason_required",
            Self::BackDatedTooFar { .. } => "back_dated_too_far",
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

/// A local moment as written in Chinese notices and messages, e.g. 「2025年3月4日 17:00」.
/// Source: product rule (messages in Chinese).
pub fn zh_moment(t: &NaiveDateTime) -> String {
    t.format("%Y年%-m月%-d日 %H:%M").to_string()
}

impl From<HoursError> for DeadlineError {
    fn from(e: HoursError) -> Self {
        match e {
            HoursError::Calendar(e) => Self::Calendar(e),
            HoursError::NoOpeningWithin { from, days } => Self::NoBusinessDay { from, days },
        }
    }
}
