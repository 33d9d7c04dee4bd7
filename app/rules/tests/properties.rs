//! Property tests of the calendar and the deadline engine (proptest).

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use proptest::prelude::*;
use rules::deadline::{
    DueChange, DueHistory, Timeliness, check_new_suspension, check_resume, timeliness,
};
use rules::{
    BusinessHours, CalendarError, Deadline, Due, Extension, SpecialProcedure, Suspension,
    TimeLimit, WorkCalendar, compute_due, compute_due_provisional,
};
use std::sync::OnceLock;

fn cal() -> &'static WorkCalendar {
    static CAL: OnceLock<WorkCalendar> = OnceLock::new();
    CAL.get_or_init(WorkCalendar::shipped)
}

fn hall() -> BusinessHours {
    BusinessHours::district_hall_default()
}

const FIRST: NaiveDate = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
/// Days from 2022-01-01 to 2026-12-31.
const SPAN_DAYS: u64 = 1825;

fn date() -> impl Strategy<Value = NaiveDate> {
    (0..SPAN_DAYS).prop_map(|i| FIRST + Days::new(i))
}

fn moment() -> impl Strategy<Value = NaiveDateTime> {
    (date(), 0u32..24 * 60)
        .prop_map(|(d, m)| d.and_time(NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap()))
}

fn unknown_2027<T: std::fmt::Debug>(r: &Result<T, CalendarError>) -> bool {
    matches!(r, Err(CalendarError::CalendarYearUnknown(2027)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn working_days_between_inverts_add_working_days(d in date(), n in 0u32..400) {
        let due = cal().add_working_days(d, n);
        match due {
            Ok(due) => prop_assert_eq!(cal().working_days_between(d, due), Ok(i64::from(n))),
            Err(_) => prop_assert!(unknown_2027(&due), "only the next year is unknown: {:?}", due),
        }
    }

    #[test]
    fn the_nth_working_day_after_a_date_is_a_working_day_after_it(d in date(), n in 1u32..300) {
        if let Ok(due) = cal().add_working_days(d, n) {
            prop_assert!(due > d);
            prop_assert_eq!(cal().is_working_day(due), Ok(true));
        }
    }

    #[test]
    fn add_working_days_is_strictly_monotonic_in_n(d in date(), n in 0u32..300) {
        if let (Ok(a), Ok(b)) = (cal().add_working_days(d, n), cal().add_working_days(d, n + 1)) {
            prop_assert!(a < b, "{} then {}", a, b);
        }
    }

    #[test]
    fn working_days_between_is_antisymmetric(a in date(), b in date()) {
        let ab = cal().working_days_between(a, b).unwrap();
        let ba = cal().working_days_between(b, a).unwrap();
        prop_assert_eq!(ab, -ba);
    }

    #[test]
    fn the_provisional_count_agrees_with_the_strict_one_where_the_year_is_held(
        d in date(), n in 0u32..400
    ) {
        let provisional = cal().add_working_days_provisional(d, n).unwrap();
        match cal().add_working_days(d, n) {
            Ok(strict) => {
                prop_assert_eq!(provisional.date, strict);
                prop_assert!(!provisional.provisional);
            }
            Err(_) => prop_assert!(provisional.provisional),
        }
    }

    #[test]
    fn a_promised_due_is_at_close_of_business_on_a_working_day_after_the_clock_start(
        start in moment(), n in 1u32..60
    ) {
        let limit = TimeLimit::Promised { working_days: n };
        if let Ok(Due::At(due)) = compute_due(&limit, start, &[], None, cal(), &hall()) {
            prop_assert!(due.date() > start.date());
            prop_assert_eq!(cal().is_working_day(due.date()), Ok(true));
            prop_assert_eq!(due.time(), NaiveTime::from_hms_opt(17, 0, 0).unwrap());
        }
    }

    #[test]
    fn a_suspension_never_makes_the_due_earlier(
        start in moment(),
        n in 1u32..40,
        offset in 0u64..80,
        length in 0u64..40,
        open in any::<bool>(),
    ) {
        let limit = TimeLimit::Promised { working_days: n };
        let begin = start + TimeDelta::hours(offset as i64 * 7);
        let suspension = Suspension {
            procedure: SpecialProcedure::OnSiteSurvey,
            start: begin,
            end: (!open).then(|| begin + TimeDelta::hours(length as i64 * 5)),
            reason: "现场勘验".into(),
        };
        let without = compute_due(&limit, start, &[], None, cal(), &hall());
        let with = compute_due(&limit, start, &[suspension], None, cal(), &hall());
        if let (Ok(Due::At(a)), Ok(with)) = (without, with) {
            match with {
                Due::At(b) => prop_assert!(b >= a, "{} moved earlier to {}", a, b),
                Due::Suspended => prop_assert!(open),
            }
        }
    }

    #[test]
    fn an_extension_never_makes_the_due_earlier(start in moment(), n in 1u32..40, m in 0u32..=10) {
        let limit = TimeLimit::Promised { working_days: n };
        let extension = Extension {
            working_days: m,
            requested_at: start,
            reason: "需实地核查".into(),
        };
        let without = compute_due(&limit, start, &[], None, cal(), &hall());
        let with = compute_due(&limit, start, &[], Some(&extension), cal(), &hall());
        if let (Ok(Due::At(a)), Ok(Due::At(b))) = (without, with) {
            prop_assert!(b >= a);
            if m > 0 {
                prop_assert!(b > a);
            }
        }
    }

    #[test]
    fn the_provisional_due_never_blocks_and_matches_the_strict_one_where_known(
        start in moment(), n in 0u32..120
    ) {
        let limit = TimeLimit::Promised { working_days: n };
        let provisional = compute_due_provisional(&limit, start, &[], None, cal(),
            &hall()).unwrap();
        match compute_due(&limit, start, &[], None, cal(), &hall()) {
            Ok(strict) => {
                prop_assert_eq!(provisional.due, strict);
                prop_assert!(!provisional.provisional);
            }
            Err(_) => prop_assert!(provisional.provisional),
        }
    }

    #[test]
    fn counting_the_business_minutes_to_their_sum_gives_them_back(
        start in moment(), n in 0u32..3000
    ) {
        if let Ok(end) = hall().add_business_minutes(start, n, cal()) {
            prop_assert!(end >= start + TimeDelta::minutes(i64::from(n)));
            prop_assert_eq!(
                hall().business_minutes_between(start, end, cal()),
                Ok(u64::from(n))
            );
            if n > 0 {
                // The count ends inside a session (or exactly at its end), never in a break.
                prop_assert_eq!(hall().is_open(end - TimeDelta::seconds(1), cal()), Ok(true));
            }
        }
    }

    #[test]
    fn more_business_minutes_never_end_earlier(start in moment(), n in 0u32..2000, k in 1u32..200) {
        let a = hall().add_business_minutes(start, n, cal());
        let b = hall().add_business_minutes(start, n + k, cal());
        if let (Ok(a), Ok(b)) = (a, b) {
            prop_assert!(b > a, "{} then {}", a, b);
        }
    }

    #[test]
    fn a_suspension_starting_at_or_after_the_due_moment_never_moves_it(
        start in moment(),
        n in 1u32..40,
        after_minutes in 0i64..20_000,
        length_minutes in proptest::option::of(0i64..20_000),
    ) {
        let limit = TimeLimit::Promised { working_days: n };
        if let Ok(Due::At(due)) = compute_due(&limit, start, &[], None, cal(), &hall()) {
            let begin = due + TimeDelta::minutes(after_minutes);
            let late = Suspension {
                procedure: SpecialProcedure::ExpertReview,
                start: begin,
                end: length_minutes.map(|m| begin + TimeDelta::minutes(m)),
                reason: "专家评审".into(),
            };
            let with = compute_due(&limit, start, &[late], None, cal(), &hall());
            if let Ok(with) = with {
                prop_assert_eq!(with, Due::At(due));
            }
        }
    }

    #[test]
    fn an_accepted_suspension_starts_before_the_due_after_the_clock_start_and_not_after_now(
        clock in moment(),
        n in 1u32..20,
        start_minutes in -600i64..30_000,
        now_after_start in 0i64..30_000,
    ) {
        let deadline = Deadline::new(TimeLimit::Promised { working_days: n }, clock);
        let begin = clock + TimeDelta::minutes(start_minutes);
        let new = Suspension {
            procedure: SpecialProcedure::ExpertReview,
            start: begin,
            end: None,
            reason: "专家评审".into(),
        };
        let now = begin + TimeDelta::minutes(now_after_start);
        let listed = [SpecialProcedure::ExpertReview];
        if check_new_suspension(&new, &listed, &deadline, now, cal(), &hall()).is_ok() {
            let Ok(Due::At(due)) = deadline.due(cal(), &hall()) else {
                return Err(TestCaseError::fail("a running case has a due moment"));
            };
            prop_assert!(begin < due, "{} accepted at/after due {}", begin, due);
            prop_assert!(begin >= clock && begin <= now);
            // Resumed at any later moment up to now, the case is never due before it was.
            let mut suspended = deadline.clone();
            suspended.suspensions.push(new.clone());
            prop_assert!(check_resume(&new, now, now).is_ok() || now == begin);
            if now > begin {
                suspended.suspensions[0].end = Some(now);
                if let Ok(Due::At(after)) = suspended.due(cal(), &hall()) {
                    prop_assert!(after >= due);
                }
            }
        }
    }

    #[test]
    fn resuming_later_never_makes_the_due_earlier(
        clock in moment(),
        n in 1u32..30,
        start_minutes in 0i64..20_000,
        end_a in 1i64..20_000,
        extra in 0i64..5_000,
    ) {
        let begin = clock + TimeDelta::minutes(start_minutes);
        let with_end = |minutes: i64| {
            let mut d = Deadline::new(TimeLimit::Promised { working_days: n }, clock);
            d.suspensions.push(Suspension {
                procedure: SpecialProcedure::Testing,
                start: begin,
                end: Some(begin + TimeDelta::minutes(minutes)),
                reason: "检验".into(),
            });
            d.due(cal(), &hall())
        };
        if let (Ok(Due::At(a)), Ok(Due::At(b))) = (with_end(end_a), with_end(end_a + extra)) {
            prop_assert!(b >= a, "{} then {}", a, b);
        }
    }

    #[test]
    fn a_step_is_late_exactly_when_it_comes_after_the_due_in_force_at_that_moment(
        changes in proptest::collection::btree_map(
            0i64..10_000,
            proptest::option::of(0i64..12_000),
            1..6,
        ),
        done in 0i64..12_000,
        rotate in 0usize..6,
    ) {
        let base = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let at = |m: i64| base + TimeDelta::minutes(m);
        let mut list: Vec<DueChange> = changes
            .iter()
            .map(|(from, due)| DueChange {
                from: at(*from),
                due: due.map_or(Due::Suspended, |d| Due::At(at(d))),
            })
            .collect();
        let len = list.len();
        list.rotate_left(rotate % len);
        let history = DueHistory::new(list);
        let in_force = changes.range(..=done).next_back().map(|(_, due)| *due);
        match (in_force, timeliness(&history, at(done))) {
            (None, r) => prop_assert!(r.is_err()),
            (Some(None), r) => prop_assert_eq!(r, Ok(Timeliness::ClockStopped)),
            (Some(Some(due)), Ok(t)) => prop_assert_eq!(t.is_on_time(), done <= due),
            (Some(Some(_)), Err(e)) => prop_assert!(false, "{:?}", e),
        }
    }
}
