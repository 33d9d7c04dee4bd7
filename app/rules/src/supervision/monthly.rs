//! The rectification deadline and the monthly report (attachment 1: 《“四项制度”问题整改清单
//! 月报表》): each item's 整改情况 and each unit's submission before the 22nd.

use chrono::{Datelike, NaiveDate};

use crate::calendar::{CalendarError, WorkingDays};
use crate::lifecycle::RectificationStatus;

/// The deadline of a rectification found on `found_on` with `working_days` to fix it: the
/// `working_days`-th working day after (the day of finding not counted).
///
/// Source: Seed §二(三)二 (承诺件以工作日计算); 民法典 第二百零一条; issue #13.
pub fn rectification_deadline(
    calendar: &impl WorkingDays,
    found_on: NaiveDate,
    working_days: u32,
) -> Result<NaiveDate, CalendarError> {
    calendar.add_working_days(found_on, working_days)
}

coded_enum! {
    /// 整改情况 in the monthly report. Source: attachment 1 (已销号 / 整改中 / 逾期).
    pub enum MonthlyStatus {
        /// Closed out by a supervisor.
        Closed = ("closed", "已销号"),
        /// Not closed, deadline not passed.
        InProgress = ("in_progress", "整改中"),
        /// Not closed, deadline passed.
        Overdue = ("overdue", "逾期"),
    }
}

/// The 整改情况 of an item on `as_of` (the report's date): `closed_on` is the day a supervisor
/// closed it out if it is closed now. A withdrawn item is not reported (`None`). An item closed
/// after `as_of` was still open then.
///
/// Source: attachment 1; Seed §三(四).
pub fn monthly_status(
    status: RectificationStatus,
    deadline: NaiveDate,
    closed_on: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Option<MonthlyStatus> {
    if status == RectificationStatus::Withdrawn {
        return None;
    }
    let closed_then =
        status == RectificationStatus::Closed && closed_on.is_some_and(|d| d <= as_of);
    Some(if closed_then {
        MonthlyStatus::Closed
    } else if as_of > deadline {
        MonthlyStatus::Overdue
    } else {
        MonthlyStatus::InProgress
    })
}

/// Units submit their month's list on or before this day of the month (“每月22日前报送”).
/// Source: Seed §三 (closing paragraph).
pub const SUBMISSION_DUE_DAY: u32 = 22;

/// The dashboard reminds units that have not submitted from this day of the month.
/// Source: issue #13.
pub const SUBMISSION_REMIND_FROM_DAY: u32 = 15;

coded_enum! {
    /// Where a unit's monthly submission stands. Source: Seed §三; issue #13.
    pub enum SubmissionState {
        /// Not submitted, nothing to say yet (before the 15th).
        NotYetDue = ("not_yet_due", "未到报送期"),
        /// Not submitted, due soon: remind (the 15th to the 22nd).
        Remind = ("remind", "请按时报送"),
        /// Submitted on time.
        Submitted = ("submitted", "已报送"),
        /// Submitted after the 22nd.
        SubmittedLate = ("submitted_late", "逾期报送"),
        /// Not submitted and the 22nd has passed.
        Late = ("late", "逾期未报送"),
    }
}

impl SubmissionState {
    /// The report missed the 22nd: not submitted after it, or submitted after it. Source: Seed
    /// §三 (每月22日前报送).
    pub fn missed_the_due_day(self) -> bool {
        matches!(self, SubmissionState::Late | SubmissionState::SubmittedLate)
    }
}

/// The last day the report for the month of `month` is on time: the 22nd, or the first working
/// day after it when the 22nd is a rest day or a holiday (a time limit ending on a day off ends
/// on the next working day: 民法典 第二百零三条). A calendar without the year keeps the 22nd.
///
/// Source: Seed §三 (每月22日前报送); 民法典 第二百零三条.
pub fn submission_due<C: WorkingDays + ?Sized>(month: NaiveDate, cal: &C) -> NaiveDate {
    let day = NaiveDate::from_ymd_opt(month.year(), month.month(), SUBMISSION_DUE_DAY)
        .expect("every month has a 22nd");
    cal.working_day_on_or_after(day).unwrap_or(day)
}

/// The submission state of the report for the month of `month` (any day in it), on `today`.
///
/// Source: Seed §三 (每月22日前报送); issue #13 (remind from the 15th, late after the due day,
/// [`submission_due`]).
pub fn submission_state<C: WorkingDays + ?Sized>(
    month: NaiveDate,
    submitted_on: Option<NaiveDate>,
    today: NaiveDate,
    cal: &C,
) -> SubmissionState {
    let due = submission_due(month, cal);
    let remind = NaiveDate::from_ymd_opt(month.year(), month.month(), SUBMISSION_REMIND_FROM_DAY)
        .expect("every month has a 15th");
    match submitted_on {
        Some(d) if d <= due => SubmissionState::Submitted,
        Some(_) => SubmissionState::SubmittedLate,
        None if today > due => SubmissionState::Late,
        None if today >= remind => SubmissionState::Remind,
        None => SubmissionState::NotYetDue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WorkCalendar;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_rectification_deadline_counts_working_days_across_the_spring_festival() {
        let cal = WorkCalendar::shipped();
        // Thursday 2026-02-12; Saturdays 02-14 and 02-28 are make-up days, 02-15…02-23 off.
        assert_eq!(
            rectification_deadline(&cal, d("2026-02-12"), 2).unwrap(),
            d("2026-02-14")
        );
        assert_eq!(
            rectification_deadline(&cal, d("2026-02-12"), 3).unwrap(),
            d("2026-02-24")
        );
        assert_eq!(
            rectification_deadline(&cal, d("2026-02-12"), 15).unwrap(),
            d("2026-03-11")
        );
    }

    #[test]
    fn an_item_closed_out_is_reported_closed_an_open_one_in_progress_until_its_deadline() {
        use RectificationStatus as S;
        let deadline = d("2026-03-10");
        let closed = Some(d("2026-03-05"));
        assert_eq!(
            monthly_status(S::Closed, deadline, closed, d("2026-03-31")),
            Some(MonthlyStatus::Closed)
        );
        // Closed after the report's date: it was still open (and here overdue) then.
        assert_eq!(
            monthly_status(S::Closed, deadline, Some(d("2026-04-02")), d("2026-03-31")),
            Some(MonthlyStatus::Overdue)
        );
        assert_eq!(
            monthly_status(S::Reported, deadline, None, deadline),
            Some(MonthlyStatus::InProgress)
        );
        assert_eq!(
            monthly_status(S::Open, deadline, None, d("2026-03-11")),
            Some(MonthlyStatus::Overdue)
        );
        assert_eq!(monthly_status(S::Withdrawn, deadline, None, deadline), None);
    }

    #[test]
    fn a_unit_is_reminded_from_the_15th_and_late_after_the_22nd() {
        // April 2026: the 22nd is a Wednesday.
        let m = d("2026-04-01");
        let cal = WorkCalendar::shipped();
        let state = |on: Option<&str>, today: &str| submission_state(m, on.map(d), d(today), &cal);
        assert_eq!(state(None, "2026-04-14"), SubmissionState::NotYetDue);
        assert_eq!(state(None, "2026-04-15"), SubmissionState::Remind);
        assert_eq!(state(None, "2026-04-22"), SubmissionState::Remind);
        assert_eq!(state(None, "2026-04-23"), SubmissionState::Late);
        assert_eq!(state(None, "2026-06-01"), SubmissionState::Late);
        assert_eq!(
            state(Some("2026-04-22"), "2026-05-01"),
            SubmissionState::Submitted
        );
        assert_eq!(
            state(Some("2026-04-23"), "2026-04-23"),
            SubmissionState::SubmittedLate
        );
    }

    #[test]
    fn a_report_missed_the_22nd_when_it_is_late_or_came_in_late() {
        let m = d("2026-04-01");
        let cal = WorkCalendar::shipped();
        let missed = |on: Option<&str>, today: &str| {
            submission_state(m, on.map(d), d(today), &cal).missed_the_due_day()
        };
        assert!(!missed(None, "2026-04-22"));
        assert!(missed(None, "2026-04-23"));
        assert!(!missed(Some("2026-04-22"), "2026-05-01"));
        assert!(missed(Some("2026-04-23"), "2026-05-01"));
    }

    #[test]
    fn a_22nd_on_a_rest_day_or_a_holiday_moves_the_due_to_the_next_working_day() {
        let cal = WorkCalendar::shipped();
        // March 2026: Sunday the 22nd → Monday the 23rd.
        assert_eq!(submission_due(d("2026-03-01"), &cal), d("2026-03-23"));
        let march =
            |on: &str, today: &str| submission_state(d("2026-03-01"), Some(d(on)), d(today), &cal);
        assert_eq!(
            march("2026-03-23", "2026-03-23"),
            SubmissionState::Submitted
        );
        assert_eq!(
            march("2026-03-24", "2026-03-24"),
            SubmissionState::SubmittedLate
        );
        // February 2026: the 22nd falls in the Spring Festival holiday (15th–23rd) → the 24th.
        assert_eq!(submission_due(d("2026-02-01"), &cal), d("2026-02-24"));
        assert_eq!(
            submission_state(d("2026-02-01"), None, d("2026-02-24"), &cal),
            SubmissionState::Remind
        );
        // November 2026: Sunday the 22nd → Monday the 23rd; April 2026: a Wednesday stays.
        assert_eq!(submission_due(d("2026-11-01"), &cal), d("2026-11-23"));
        assert_eq!(submission_due(d("2026-04-01"), &cal), d("2026-04-22"));
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        use crate::lifecycle::coded::assert_codes_round_trip;
        assert_codes_round_trip(
            MonthlyStatus::ALL,
            MonthlyStatus::code,
            MonthlyStatus::label_zh,
        );
        assert_codes_round_trip(
            SubmissionState::ALL,
            SubmissionState::code,
            SubmissionState::label_zh,
        );
    }

    proptest! {
        #[test]
        fn a_rectification_deadline_is_a_working_day_after_the_finding(
            offset in 0i64..600, days in 1u32..40
        ) {
            let cal = WorkCalendar::shipped();
            let found = d("2025-01-01") + chrono::Duration::days(offset);
            let due = rectification_deadline(&cal, found, days).unwrap();
            prop_assert!(due > found);
            prop_assert!(cal.is_working_day(due).unwrap());
            prop_assert_eq!(cal.working_days_between(found, due).unwrap(), i64::from(days));
        }

        #[test]
        fn an_open_item_is_overdue_exactly_when_the_report_date_passes_its_deadline(
            a in 0i64..100, b in 0i64..100
        ) {
            let deadline = d("2026-01-01") + chrono::Duration::days(a);
            let as_of = d("2026-01-01") + chrono::Duration::days(b);
            let s = monthly_status(RectificationStatus::Open, deadline, None, as_of).unwrap();
            prop_assert_eq!(s == MonthlyStatus::Overdue, as_of > deadline);
        }
    }
}
