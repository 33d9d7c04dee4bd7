//! Errors of the work calendar.

use thiserror::Error;

use super::arrangement::{CalendarIssue, FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR};

/// Why a calendar question could not be answered, or a calendar could not be built.
///
/// Source: issue #4 ("a date in a year the calendar does not hold is an error, never a silent
/// guess"); Seed §二(三)二 (承诺件以工作日计算).
/// Not serialised as such: the API renders `{"code", "message"}` from [`code`](Self::code) and
/// [`message_zh`](Self::message_zh).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CalendarError {
    /// The calendar does not hold this year's official arrangement.
    #[error("工作日历尚未收录{0}年的节假日安排")]
    CalendarYearUnknown(i32),
    /// A year's arrangement failed validation; every issue is listed.
    #[error("{year}年的节假日安排有误：{}", join_issues(.issues))]
    InvalidYear {
        /// The year.
        year: i32,
        /// Every problem found.
        issues: Vec<CalendarIssue>,
    },
    /// The same year was given twice.
    #[error("{0}年的节假日安排重复提供")]
    DuplicateYear(i32),
    /// A computation left the supported years (even guessed).
    #[error("日期超出支持范围（{FIRST_SUPPORTED_YEAR}—{LAST_SUPPORTED_YEAR}年），涉及{0}年")]
    YearOutOfRange(i32),
}

fn join_issues(issues: &[CalendarIssue]) -> String {
    issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("；")
}

impl CalendarError {
    /// Stable snake_case code (the API's error `code`, e.g. `calendar_year_unknown` → HTTP 422).
    /// Source: issue #4 API contract.
    pub fn code(&self) -> &'static str {
        match self {
            Self::CalendarYearUnknown(_) => "calendar_year_unknown",
            Self::InvalidYear { .. } => "invalid_year",
            Self::DuplicateYear(_) => "duplicate_year",
            Self::YearOutOfRange(_) => "year_out_of_range",
        }
    }

    /// The message for users, in Chinese. Source: product rule.
    pub fn message_zh(&self) -> String {
        self.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_year_has_the_public_error_code_and_a_chinese_message() {
        let e = CalendarError::CalendarYearUnknown(2027);
        assert_eq!(e.code(), "calendar_year_unknown");
        assert_eq!(e.message_zh(), "工作日历尚未收录2027年的节假日安排");
    }

    #[test]
    fn an_invalid_year_message_lists_every_issue() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 2, 13).unwrap();
        let e = CalendarError::InvalidYear {
            year: 2026,
            issues: vec![
                CalendarIssue::MakeupDayNotWeekend { date },
                CalendarIssue::EmptyName { date },
            ],
        };
        assert_eq!(
            e.message_zh(),
            "2026年的节假日安排有误：调休上班日2026-02-13必须是周六或周日；2026-02-13缺少名称"
        );
    }
}
