//! Extension of the time limit (行政许可法 第四十二条).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::Deadline;
use super::compute::walk_promised;
use super::error::{DeadlineError, zh_moment};
use super::limit::{Due, TimeLimit};
use crate::calendar::WorkingDays;
use crate::hours::BusinessHours;

/// The statutory bound of an extension for administrative licensing: 10 working days.
/// Source: 行政许可法 第四十二条 (经本行政机关负责人批准，可以延长十日).
pub const LICENSING_EXTENSION_BOUND: u32 = 10;

/// An extension of a promised item's limit, approved by the chief representative before the due
/// moment. Approved, it adds `working_days` to the limit; the reason goes on the applicant's
/// notice.
///
/// Source: 行政许可法 第四十二条 (并应当将延长期限的理由告知申请人); Seed §二(三)四.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// Additional working days.
    pub working_days: u32,
    /// When the extension was requested (local time).
    pub requested_at: NaiveDateTime,
    /// Why, as told to the applicant.
    pub reason: String,
}

/// Why an extension request is refused.
///
/// Source: 行政许可法 第四十二条; Seed §二(三)四 (延期办理不及时导致超期).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ExtensionError {
    /// The case was extended already (once only).
    #[error("本案已延期一次，不能再次延期")]
    AlreadyExtended,
    /// Requested at or after the due moment.
    #[error("延期须在办理期限届满（{}）前申请", .due.format("%Y-%m-%d %H:%M"))]
    ExtensionTooLate {
        /// The due moment that has passed.
        due: NaiveDateTime,
    },
    /// Zero days.
    #[error("延期天数须大于零")]
    ZeroDays,
    /// More days than the item's bound.
    #[error("{}", exceeds_text(*.bound))]
    ExtensionExceedsBound {
        /// The bound.
        bound: u32,
    },
    /// No reason given.
    #[error("须说明延期理由，并告知申请人")]
    EmptyReason,
    /// A suspension started at or after the due moment: the case was overdue when it was suspended
    /// and can never be extended.
    #[error("办件在中止计时前已于{}到期，不能延期", zh_moment(.due))]
    OverdueWhenSuspended {
        /// The due moment that had passed when the suspension started.
        due: NaiveDateTime,
    },
}

/// An item whose bound is zero is not extendable at all ("不得超过0个工作日" read as a typo).
fn exceeds_text(bound: u32) -> String {
    if bound == 0 {
        "本事项依法不得延期".into()
    } else {
        format!("延期不得超过{bound}个工作日")
    }
}

impl ExtensionError {
    /// Stable snake_case code (as serialised). Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyExtended => "already_extended",
            Self::ExtensionTooLate { .. } => "extension_too_late",
            Self::ZeroDays => "zero_days",
            Self::ExtensionExceedsBound { .. } => "extension_exceeds_bound",
            Self::EmptyReason => "empty_reason",
            Self::OverdueWhenSuspended { .. } => "overdue_when_suspended",
        }
    }

    /// The message for users, in Chinese. Source: product rule.
    pub fn message_zh(&self) -> String {
        self.to_string()
    }

    /// The request field the refusal concerns (`days` or `reason`), so that a form shows the
    /// message at that field; `None` for a refusal about the case itself.
    /// Source: issue #14 point 1 (the error sits at the field it concerns).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::ZeroDays | Self::ExtensionExceedsBound { .. } => Some("days"),
            Self::EmptyReason => Some("reason"),
            _ => None,
        }
    }
}

/// Checks an extension request against the case's [`Deadline`] (without the requested extension):
///
/// - once only: refused when the deadline already carries an extension or `already_extended` (e.g.
///   a request is pending);
/// - never for a case that was overdue when it was suspended (a suspension that started at or after
///   the due moment then in force) — [`ExtensionError::OverdueWhenSuspended`];
/// - strictly before the due moment; while the case is suspended, before the due it would have if
///   the procedure resumed at the request ([`Deadline::due_if_resumed_at`]);
/// - 1..=`bound` working days, with a reason.
///
/// The outer error is a deadline that cannot be computed (calendar; an immediate item, which is
/// never extended).
/// Source: 行政许可法 第四十二条, 第四十五条; Seed §二(三)四; issue #4; issue #11 point 2.
pub fn check_extension_request<C: WorkingDays + ?Sized>(
    request: &Extension,
    deadline: &Deadline,
    bound: u32,
    already_extended: bool,
    cal: &C,
    hours: &BusinessHours,
) -> Result<Result<(), ExtensionError>, DeadlineError> {
    let TimeLimit::Promised { working_days } = deadline.limit else {
        return Err(DeadlineError::NotForImmediateItems);
    };
    if already_extended || deadline.extension.is_some() {
        return Ok(Err(ExtensionError::AlreadyExtended));
    }
    let resumed = deadline.resumed_at(request.requested_at);
    let walk = walk_promised(
        resumed.clock_start,
        working_days,
        &resumed.suspensions,
        cal,
        hours,
    )?;
    if let Some(due) = walk.overdue_when_suspended {
        return Ok(Err(ExtensionError::OverdueWhenSuspended { due }));
    }
    Ok(check_fields(request, walk.due.at(), bound))
}

/// Checks an extension request against the current due (computed without it): once only, strictly
/// before the due moment, 1..=`bound` working days, with a reason. While the clock is suspended
/// there is no due moment, so the request is not late.
///
/// Source: 行政许可法 第四十二条; issue #4 (`ExtensionTooLate`).
#[deprecated(
    note = "a suspended case is never late here, and one overdue when suspended can be extended; \
            use check_extension_request with the case's Deadline"
)]
pub fn check_extension(
    request: &Extension,
    current_due: &Due,
    bound: u32,
    already_extended: bool,
) -> Result<(), ExtensionError> {
    if already_extended {
        return Err(ExtensionError::AlreadyExtended);
    }
    check_fields(request, current_due.at(), bound)
}

/// Before the due moment (if any), 1..=`bound` days, a reason.
fn check_fields(
    request: &Extension,
    due: Option<NaiveDateTime>,
    bound: u32,
) -> Result<(), ExtensionError> {
    if let Some(due) = due
        && request.requested_at >= due
    {
        return Err(ExtensionError::ExtensionTooLate { due });
    }
    if request.working_days == 0 {
        return Err(ExtensionError::ZeroDays);
    }
    if request.working_days > bound {
        return Err(ExtensionError::ExtensionExceedsBound { bound });
    }
    if request.reason.trim().is_empty() {
        return Err(ExtensionError::EmptyReason);
    }
    Ok(())
}

#[cfg(test)]
#[allow(deprecated)] // the old check still answers until every caller has moved
mod tests {
    use super::*;

    fn t(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn request(at: &str, days: u32) -> Extension {
        Extension {
            working_days: days,
            requested_at: t(at),
            reason: "需征求相关部门意见".into(),
        }
    }

    fn due() -> Due {
        Due::At(t("2025-03-10 17:00"))
    }

    #[test]
    fn an_extension_requested_before_due_within_the_bound_is_allowed() {
        let r = request("2025-03-10 16:59", 10);
        assert_eq!(
            check_extension(&r, &due(), LICENSING_EXTENSION_BOUND, false),
            Ok(())
        );
    }

    #[test]
    fn an_extension_requested_at_the_due_moment_is_too_late() {
        let r = request("2025-03-10 17:00", 5);
        let e = check_extension(&r, &due(), 10, false).unwrap_err();
        assert_eq!(
            e,
            ExtensionError::ExtensionTooLate {
                due: t("2025-03-10 17:00")
            }
        );
        assert_eq!(
            e.message_zh(),
            "延期须在办理期限届满（2025-03-10 17:00）前申请"
        );
    }

    #[test]
    fn an_extension_requested_after_the_due_moment_is_too_late() {
        let r = request("2025-03-11 09:00", 5);
        assert_eq!(
            check_extension(&r, &due(), 10, false).unwrap_err().code(),
            "extension_too_late"
        );
    }

    #[test]
    fn an_extension_beyond_the_bound_is_refused() {
        let r = request("2025-03-05 10:00", 11);
        assert_eq!(
            check_extension(&r, &due(), LICENSING_EXTENSION_BOUND, false),
            Err(ExtensionError::ExtensionExceedsBound { bound: 10 })
        );
    }

    #[test]
    fn an_item_with_no_extension_days_says_it_cannot_be_extended() {
        let r = request("2025-03-05 10:00", 1);
        let e = check_extension(&r, &due(), 0, false).unwrap_err();
        assert_eq!(e.code(), "extension_exceeds_bound");
        assert_eq!(e.message_zh(), "本事项依法不得延期");
    }

    #[test]
    fn a_case_is_extended_once_only() {
        let r = request("2025-03-05 10:00", 3);
        assert_eq!(
            check_extension(&r, &due(), 10, true),
            Err(ExtensionError::AlreadyExtended)
        );
    }

    #[test]
    fn an_extension_of_zero_days_or_without_reason_is_refused() {
        let r = request("2025-03-05 10:00", 0);
        assert_eq!(
            check_extension(&r, &due(), 10, false),
            Err(ExtensionError::ZeroDays)
        );
        let mut r = request("2025-03-05 10:00", 2);
        r.reason = String::new();
        assert_eq!(
            check_extension(&r, &due(), 10, false),
            Err(ExtensionError::EmptyReason)
        );
    }

    #[test]
    fn a_refusal_about_the_days_or_the_reason_names_that_field() {
        assert_eq!(ExtensionError::ZeroDays.field(), Some("days"));
        let bound = ExtensionError::ExtensionExceedsBound { bound: 5 };
        assert_eq!(bound.field(), Some("days"));
        assert_eq!(ExtensionError::EmptyReason.field(), Some("reason"));
        assert_eq!(ExtensionError::AlreadyExtended.field(), None);
    }
}
