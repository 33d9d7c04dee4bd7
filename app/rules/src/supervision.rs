//! Supervision (Seed §三(三)(四)): what a problem is and where it came from, the rectification
//! deadline and the monthly report status (attachment 1), 好差评 ratings and what a bad one
//! opens, the repeat-problem threshold for 约谈, and the configurable score formula.
//!
//! All of it is pure: the calendar, the dates and the settings are arguments.

mod interview;
mod monthly;
mod patrol;
mod problem;
mod rating;
mod score;

pub use interview::{InterviewThreshold, Quarter, lapses_by_subject, needs_interview};
pub use monthly::{
    MonthlyStatus, SUBMISSION_DUE_DAY, SUBMISSION_REMIND_FROM_DAY, SubmissionState, monthly_status,
    rectification_deadline, submission_state,
};
pub use patrol::{
    DEFAULT_PATROL_ITEMS, PatrolAnswer, PatrolRefusal, check_patrol, parse_patrol_week,
    patrol_week, patrol_week_zh,
};
pub use problem::{FourSystem, ProblemKind, ProblemSource};
pub use rating::{
    RATING_RECTIFICATION_WORKING_DAYS, RatedSubject, RatingChannel, RatingCode, RatingIndicator,
    RatingLevel, RatingRefusal, check_comment, follow_up_rate, satisfaction_rate,
};
pub use score::{Ratio, ScoreBreakdown, ScoreInputs, ScoreLine, ScoreWeights, WeightsError};
