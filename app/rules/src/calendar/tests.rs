//! The official calendar 2022–2026: every holiday run, every make-up day and the traps.

use chrono::{Datelike, NaiveDate};

use super::*;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn cal() -> WorkCalendar {
    WorkCalendar::shipped()
}

/// One official holiday run: every day from `first_off` to `last_off` is off; the last working day
/// before it is `before` and the first after it is `after`.
struct Run {
    name: &'static str,
    before: &'static str,
    first_off: &'static str,
    last_off: &'static str,
    after: &'static str,
}

const fn run(
    name: &'static str,
    before: &'static str,
    first_off: &'static str,
    last_off: &'static str,
    after: &'static str,
) -> Run {
    Run {
        name,
        before,
        first_off,
        last_off,
        after,
    }
}

/// Transcribed from the State Council notices, independently of the CSV.
const RUNS_2022: &[Run] = &[
    run(
        "元旦",
        "2021-12-31",
        "2022-01-01",
        "2022-01-03",
        "2022-01-04",
    ),
    run(
        "春节",
        "2022-01-30",
        "2022-01-31",
        "2022-02-06",
        "2022-02-07",
    ),
    run(
        "清明节",
        "2022-04-02",
        "2022-04-03",
        "2022-04-05",
        "2022-04-06",
    ),
    run(
        "劳动节",
        "2022-04-29",
        "2022-04-30",
        "2022-05-04",
        "2022-05-05",
    ),
    run(
        "端午节",
        "2022-06-02",
        "2022-06-03",
        "2022-06-05",
        "2022-06-06",
    ),
    run(
        "中秋节",
        "2022-09-09",
        "2022-09-10",
        "2022-09-12",
        "2022-09-13",
    ),
    run(
        "国庆节",
        "2022-09-30",
        "2022-10-01",
        "2022-10-07",
        "2022-10-08",
    ),
];
const RUNS_2023: &[Run] = &[
    run(
        "元旦",
        "2022-12-30",
        "2022-12-31",
        "2023-01-02",
        "2023-01-03",
    ),
    run(
        "春节",
        "2023-01-20",
        "2023-01-21",
        "2023-01-27",
        "2023-01-28",
    ),
    run(
        "清明节",
        "2023-04-04",
        "2023-04-05",
        "2023-04-05",
        "2023-04-06",
    ),
    run(
        "劳动节",
        "2023-04-28",
        "2023-04-29",
        "2023-05-03",
        "2023-05-04",
    ),
    run(
        "端午节",
        "2023-06-21",
        "2023-06-22",
        "2023-06-24",
        "2023-06-25",
    ),
    run(
        "中秋节、国庆节",
        "2023-09-28",
        "2023-09-29",
        "2023-10-06",
        "2023-10-07",
    ),
];
const RUNS_2024: &[Run] = &[
    run(
        "元旦",
        "2023-12-29",
        "2023-12-30",
        "2024-01-01",
        "2024-01-02",
    ),
    run(
        "春节",
        "2024-02-09",
        "2024-02-10",
        "2024-02-17",
        "2024-02-18",
    ),
    run(
        "清明节",
        "2024-04-03",
        "2024-04-04",
        "2024-04-06",
        "2024-04-07",
    ),
    run(
        "劳动节",
        "2024-04-30",
        "2024-05-01",
        "2024-05-05",
        "2024-05-06",
    ),
    run(
        "端午节",
        "2024-06-07",
        "2024-06-08",
        "2024-06-10",
        "2024-06-11",
    ),
    run(
        "中秋节",
        "2024-09-14",
        "2024-09-15",
        "2024-09-17",
        "2024-09-18",
    ),
    run(
        "国庆节",
        "2024-09-30",
        "2024-10-01",
        "2024-10-07",
        "2024-10-08",
    ),
];
const RUNS_2025: &[Run] = &[
    run(
        "元旦",
        "2024-12-31",
        "2025-01-01",
        "2025-01-01",
        "2025-01-02",
    ),
    run(
        "春节",
        "2025-01-27",
        "2025-01-28",
        "2025-02-04",
        "2025-02-05",
    ),
    run(
        "清明节",
        "2025-04-03",
        "2025-04-04",
        "2025-04-06",
        "2025-04-07",
    ),
    run(
        "劳动节",
        "2025-04-30",
        "2025-05-01",
        "2025-05-05",
        "2025-05-06",
    ),
    run(
        "端午节",
        "2025-05-30",
        "2025-05-31",
        "2025-06-02",
        "2025-06-03",
    ),
    run(
        "国庆节、中秋节",
        "2025-09-30",
        "2025-10-01",
        "2025-10-08",
        "2025-10-09",
    ),
];
const RUNS_2026: &[Run] = &[
    run(
        "元旦",
        "2025-12-31",
        "2026-01-01",
        "2026-01-03",
        "2026-01-04",
    ),
    run(
        "春节",
        "2026-02-14",
        "2026-02-15",
        "2026-02-23",
        "2026-02-24",
    ),
    run(
        "清明节",
        "2026-04-03",
        "2026-04-04",
        "2026-04-06",
        "2026-04-07",
    ),
    run(
        "劳动节",
        "2026-04-30",
        "2026-05-01",
        "2026-05-05",
        "2026-05-06",
    ),
    run(
        "端午节",
        "2026-06-18",
        "2026-06-19",
        "2026-06-21",
        "2026-06-22",
    ),
    run(
        "中秋节",
        "2026-09-24",
        "2026-09-25",
        "2026-09-27",
        "2026-09-28",
    ),
    run(
        "国庆节",
        "2026-09-30",
        "2026-10-01",
        "2026-10-07",
        "2026-10-08",
    ),
];

/// Make-up working days (调休上班) per the notices.
const MAKEUP_DAYS: &[&str] = &[
    "2022-01-29",
    "2022-01-30",
    "2022-04-02",
    "2022-04-24",
    "2022-05-07",
    "2022-10-08",
    "2022-10-09",
    "2023-01-28",
    "2023-01-29",
    "2023-04-23",
    "2023-05-06",
    "2023-06-25",
    "2023-10-07",
    "2023-10-08",
    "2024-02-04",
    "2024-02-18",
    "2024-04-07",
    "2024-04-28",
    "2024-05-11",
    "2024-09-14",
    "2024-09-29",
    "2024-10-12",
    "2025-01-26",
    "2025-02-08",
    "2025-04-27",
    "2025-09-28",
    "2025-10-11",
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
];

fn check_runs(runs: &[Run]) {
    let cal = cal();
    for r in runs {
        let (before, first, last, after) = (d(r.before), d(r.first_off), d(r.last_off), d(r.after));
        for day in first.iter_days().take_while(|x| *x <= last) {
            assert_eq!(
                cal.is_working_day(day),
                Ok(false),
                "{} {day} is a day off",
                r.name
            );
        }
        assert_eq!(cal.is_working_day(after), Ok(true), "{} ends", r.name);
        if cal.holds_year(before.year()) {
            assert_eq!(cal.is_working_day(before), Ok(true), "{} starts", r.name);
            assert_eq!(
                cal.add_working_days(before, 1),
                Ok(after),
                "{}: the working day after {before} is {after}",
                r.name
            );
            assert_eq!(cal.working_days_between(before, after), Ok(1), "{}", r.name);
        }
        // From the first day off, the first working day is the day after the run.
        assert_eq!(cal.add_working_days(first, 1), Ok(after), "{}", r.name);
        assert_eq!(cal.next_working_day(last), Ok(after), "{}", r.name);
    }
}

#[test]
fn every_holiday_run_of_2022_is_off_and_counting_skips_it() {
    check_runs(RUNS_2022);
}

#[test]
fn every_holiday_run_of_2023_is_off_and_counting_skips_it() {
    check_runs(RUNS_2023);
}

#[test]
fn every_holiday_run_of_2024_is_off_and_counting_skips_it() {
    check_runs(RUNS_2024);
}

#[test]
fn every_holiday_run_of_2025_is_off_and_counting_skips_it() {
    check_runs(RUNS_2025);
}

#[test]
fn every_holiday_run_of_2026_is_off_and_counting_skips_it() {
    check_runs(RUNS_2026);
}

#[test]
fn every_official_holiday_of_the_shipped_file_is_not_a_working_day() {
    let cal = cal();
    for year in shipped_years() {
        for h in &year.holidays {
            assert_eq!(
                cal.is_working_day(h.date),
                Ok(false),
                "{} {}",
                h.date,
                h.name
            );
        }
    }
}

#[test]
fn every_makeup_day_is_a_working_day_and_the_file_lists_exactly_the_notices_days() {
    let cal = cal();
    let mut listed: Vec<NaiveDate> = shipped_years()
        .iter()
        .flat_map(|y| y.makeup_workdays.iter().map(|m| m.date))
        .collect();
    listed.sort();
    let expected: Vec<NaiveDate> = MAKEUP_DAYS.iter().map(|s| d(s)).collect();
    assert_eq!(listed, expected);
    for day in expected {
        assert!(is_weekend(day), "{day} is a weekend day");
        assert_eq!(cal.is_working_day(day), Ok(true), "{day} is worked");
    }
}

#[test]
fn each_year_has_the_published_number_of_working_days() {
    let cal = cal();
    for (year, expected) in [
        (2022, 249),
        (2023, 249),
        (2024, 251),
        (2025, 248),
        (2026, 248),
    ] {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
        let days = cal.working_days_between(first, last).unwrap()
            + i64::from(cal.is_working_day(first).unwrap());
        assert_eq!(days, expected, "{year}");
    }
}

#[test]
fn new_years_eve_2024_02_09_friday_is_a_working_day() {
    let cal = cal();
    assert_eq!(cal.is_working_day(d("2024-02-09")), Ok(true));
    assert_eq!(
        cal.add_working_days(d("2024-02-08"), 1),
        Ok(d("2024-02-09"))
    );
    assert_eq!(
        cal.add_working_days(d("2024-02-08"), 2),
        Ok(d("2024-02-18"))
    );
}

#[test]
fn spring_festival_2026_makeup_saturday_is_a_working_day() {
    let cal = cal();
    assert_eq!(cal.is_working_day(d("2026-02-14")), Ok(true));
    assert_eq!(cal.is_working_day(d("2026-02-28")), Ok(true));
    assert_eq!(
        cal.add_working_days(d("2026-02-13"), 1),
        Ok(d("2026-02-14"))
    );
    assert_eq!(
        cal.add_working_days(d("2026-02-13"), 2),
        Ok(d("2026-02-24"))
    );
    assert_eq!(
        cal.add_working_days(d("2026-02-27"), 1),
        Ok(d("2026-02-28"))
    );
}

#[test]
fn spring_festival_2026_runs_nine_days_from_the_15th_to_the_23rd() {
    let cal = cal();
    let off: Vec<NaiveDate> = d("2026-02-13")
        .iter_days()
        .take_while(|x| *x <= d("2026-02-28"))
        .filter(|x| !cal.is_working_day(*x).unwrap())
        .collect();
    let mut expected: Vec<NaiveDate> = d("2026-02-15").iter_days().take(9).collect();
    // The ordinary weekend after the make-up Saturday of the 28th's week.
    expected.push(d("2026-02-22"));
    expected.sort();
    expected.dedup();
    assert_eq!(off, expected);
    assert_eq!(
        cal.working_days_between(d("2026-02-14"), d("2026-02-24")),
        Ok(1)
    );
}

#[test]
fn the_last_day_of_2022_belongs_to_the_2023_new_year_run() {
    let cal = cal();
    let h = cal
        .arrangement(2022)
        .unwrap()
        .holiday_on(d("2022-12-31"))
        .unwrap();
    assert!(h.part_of_run);
    assert_eq!(
        cal.add_working_days(d("2022-12-30"), 1),
        Ok(d("2023-01-03"))
    );
}

#[test]
fn acceptance_day_is_not_counted() {
    let cal = cal();
    // Monday 2025-03-03 + 1 working day is Tuesday, not Monday itself.
    assert_eq!(
        cal.add_working_days(d("2025-03-03"), 1),
        Ok(d("2025-03-04"))
    );
    assert_eq!(
        cal.add_working_days(d("2025-03-03"), 5),
        Ok(d("2025-03-10"))
    );
}

#[test]
fn adding_zero_working_days_returns_the_start_unchanged_even_on_a_holiday() {
    let cal = cal();
    assert_eq!(
        cal.add_working_days(d("2025-10-03"), 0),
        Ok(d("2025-10-03"))
    );
}

#[test]
fn counting_from_a_weekend_starts_on_the_next_working_day() {
    let cal = cal();
    assert_eq!(
        cal.add_working_days(d("2025-03-08"), 1),
        Ok(d("2025-03-10"))
    );
}

#[test]
fn counting_crosses_year_boundaries() {
    let cal = cal();
    assert_eq!(
        cal.add_working_days(d("2025-12-31"), 1),
        Ok(d("2026-01-04"))
    );
    assert_eq!(
        cal.add_working_days(d("2023-09-28"), 20),
        Ok(d("2023-11-01"))
    );
    assert_eq!(
        cal.add_working_days(d("2022-01-01"), 249 + 249),
        Ok(d("2023-12-29"))
    );
    assert_eq!(
        cal.working_days_between(d("2022-01-01"), d("2026-12-31")),
        Ok(249 + 249 + 251 + 248 + 248)
    );
}

#[test]
fn a_date_in_a_year_not_held_is_an_error_never_a_guess() {
    let cal = cal();
    let unknown = CalendarError::CalendarYearUnknown(2027);
    assert_eq!(cal.is_working_day(d("2027-03-01")), Err(unknown.clone()));
    assert_eq!(
        cal.add_working_days(d("2027-03-01"), 0),
        Err(unknown.clone())
    );
    assert_eq!(
        cal.add_working_days(d("2026-12-30"), 5),
        Err(unknown.clone())
    );
    assert_eq!(
        cal.working_days_between(d("2026-12-01"), d("2027-01-05")),
        Err(unknown)
    );
    assert_eq!(
        cal.working_days_between(d("2021-12-01"), d("2022-01-05")),
        Err(CalendarError::CalendarYearUnknown(2021))
    );
}

#[test]
fn the_last_held_day_can_still_be_reached() {
    let cal = cal();
    assert_eq!(
        cal.add_working_days(d("2026-12-30"), 1),
        Ok(d("2026-12-31"))
    );
}

#[test]
fn working_days_between_counts_after_from_up_to_and_including_to() {
    let cal = cal();
    assert_eq!(
        cal.working_days_between(d("2025-03-03"), d("2025-03-03")),
        Ok(0)
    );
    assert_eq!(
        cal.working_days_between(d("2025-03-03"), d("2025-03-07")),
        Ok(4)
    );
    assert_eq!(
        cal.working_days_between(d("2025-03-07"), d("2025-03-09")),
        Ok(0)
    );
    assert_eq!(
        cal.working_days_between(d("2025-03-07"), d("2025-03-03")),
        Ok(-4)
    );
    assert_eq!(
        cal.working_days_between(d("2025-09-30"), d("2025-10-09")),
        Ok(1)
    );
}

#[test]
fn working_days_between_is_the_inverse_of_add_working_days() {
    let cal = cal();
    let start = d("2024-01-15");
    for n in 0..400 {
        let due = cal.add_working_days(start, n).unwrap();
        assert_eq!(cal.working_days_between(start, due), Ok(i64::from(n)));
    }
}

#[test]
fn the_working_day_on_or_after_a_holiday_is_the_first_after_the_run() {
    let cal = cal();
    assert_eq!(
        cal.working_day_on_or_after(d("2025-10-01")),
        Ok(d("2025-10-09"))
    );
    assert_eq!(
        cal.working_day_on_or_after(d("2025-10-09")),
        Ok(d("2025-10-09"))
    );
}

#[test]
fn the_provisional_count_keeps_new_years_day_off_in_a_year_not_published_and_says_so() {
    let cal = cal();
    // 2027-01-01 is a Friday, but 元旦 by law: the first working day after 2026-12-31 is Monday
    // 2027-01-04, and the answer is flagged provisional.
    assert_eq!(
        cal.add_working_days_provisional(d("2026-12-31"), 1),
        Ok(DueDate {
            date: d("2027-01-04"),
            provisional: true
        })
    );
    assert_eq!(
        cal.add_working_days_provisional(d("2026-12-29"), 2),
        Ok(DueDate {
            date: d("2026-12-31"),
            provisional: false
        })
    );
    // The strict function still refuses.
    assert_eq!(
        cal.add_working_days(d("2026-12-31"), 1),
        Err(CalendarError::CalendarYearUnknown(2027))
    );
}

#[test]
fn the_provisional_count_uses_held_years_beyond_an_unknown_one() {
    let mut y2028 = YearArrangement::empty(2028);
    y2028.holidays.push(Holiday {
        date: d("2028-01-03"),
        name: "元旦".into(),
        part_of_run: false,
    });
    let cal = cal().with_year(y2028).unwrap();
    assert_eq!(cal.years(), vec![2022, 2023, 2024, 2025, 2026, 2028]);
    assert!(!cal.holds_year(2027));
    // 2027-12-31 is a Friday; 2028-01-03 (Monday) is a holiday in this made-up year.
    let due = cal
        .add_working_days_provisional(d("2027-12-30"), 2)
        .unwrap();
    assert_eq!(
        due,
        DueDate {
            date: d("2028-01-04"),
            provisional: true
        }
    );
    assert_eq!(
        cal.add_working_days(d("2026-12-31"), 300),
        Err(CalendarError::CalendarYearUnknown(2027))
    );
}

#[test]
fn adding_a_published_year_makes_provisional_dates_final() {
    let cal = cal();
    let before = cal
        .add_working_days_provisional(d("2026-12-31"), 3)
        .unwrap();
    assert!(before.provisional);
    let mut y2027 = YearArrangement::empty(2027);
    y2027.holidays.push(Holiday {
        date: d("2027-01-01"),
        name: "元旦".into(),
        part_of_run: false,
    });
    let cal = cal.with_year(y2027).unwrap();
    let after = cal
        .add_working_days_provisional(d("2026-12-31"), 3)
        .unwrap();
    assert_eq!(
        after,
        DueDate {
            date: d("2027-01-06"),
            provisional: false
        }
    );
    assert_eq!(
        cal.add_working_days(d("2026-12-31"), 3),
        Ok(d("2027-01-06"))
    );
}

#[test]
fn replacing_a_year_changes_its_working_days() {
    let cal = cal();
    let mut y2026 = cal.arrangement(2026).unwrap().clone();
    y2026.makeup_workdays.retain(|m| m.date != d("2026-02-28"));
    let cal = cal.with_year(y2026).unwrap();
    assert_eq!(cal.is_working_day(d("2026-02-28")), Ok(false));
    assert_eq!(cal.years().len(), 5);
}

#[test]
fn an_invalid_year_is_refused_with_every_issue() {
    let mut bad = YearArrangement::empty(2027);
    bad.makeup_workdays.push(MakeupWorkday {
        date: d("2027-01-04"),
        name: "调休".into(),
    });
    let e = cal().with_year(bad).unwrap_err();
    assert_eq!(
        e,
        CalendarError::InvalidYear {
            year: 2027,
            issues: vec![CalendarIssue::MakeupDayNotWeekend {
                date: d("2027-01-04")
            }]
        }
    );
    assert_eq!(e.code(), "invalid_year");
}

#[test]
fn the_same_year_twice_is_refused() {
    let years = vec![YearArrangement::empty(2027), YearArrangement::empty(2027)];
    assert_eq!(
        WorkCalendar::new(years),
        Err(CalendarError::DuplicateYear(2027))
    );
}

#[test]
fn an_empty_calendar_knows_no_year() {
    let cal = WorkCalendar::new([]).unwrap();
    assert!(cal.years().is_empty());
    assert_eq!(
        cal.is_working_day(d("2025-01-02")),
        Err(CalendarError::CalendarYearUnknown(2025))
    );
}

#[test]
fn the_calendar_converts_to_its_years_and_validates_when_read_back() {
    let cal = cal();
    let years: Vec<YearArrangement> = cal.clone().into();
    assert_eq!(years.len(), 5);
    assert_eq!(WorkCalendar::try_from(years).unwrap(), cal);
    let mut bad = YearArrangement::empty(2027);
    bad.holidays.push(Holiday {
        date: d("2027-01-02"),
        name: "元旦".into(),
        part_of_run: false,
    });
    assert!(WorkCalendar::try_from(vec![bad]).is_err());
}

#[test]
fn the_provisional_view_is_strict_about_the_supported_range() {
    let cal = cal();
    assert_eq!(
        cal.add_working_days_provisional(d("2199-12-31"), 1),
        Err(CalendarError::YearOutOfRange(2200))
    );
}

#[test]
fn a_replacement_may_change_days_to_come_but_never_a_day_gone_by_or_today() {
    let cal = cal();
    let mut year = cal.arrangement(2026).unwrap().clone();
    // A new closure day in December, decided in March: the future only.
    year.holidays.push(Holiday {
        date: d("2026-12-07"),
        name: "临时调整".into(),
        part_of_run: false,
    });
    assert_eq!(
        cal.first_past_day_rewritten(&year, d("2026-03-04")),
        Ok(None)
    );
    // Today itself was counted by the arrangement in force (cases accepted this morning).
    let mut today = cal.arrangement(2026).unwrap().clone();
    today.holidays.push(Holiday {
        date: d("2026-03-04"),
        name: "临时调整".into(),
        part_of_run: false,
    });
    assert_eq!(
        cal.first_past_day_rewritten(&today, d("2026-03-04")),
        Ok(Some(d("2026-03-04")))
    );
    // The same arrangement again rewrites nothing; a year not held yet has no past to rewrite.
    let same = cal.arrangement(2026).unwrap().clone();
    assert_eq!(
        cal.first_past_day_rewritten(&same, d("2026-12-31")),
        Ok(None)
    );
    let new_year = YearArrangement::empty(2027);
    assert_eq!(
        cal.first_past_day_rewritten(&new_year, d("2027-01-04")),
        Ok(None)
    );
}
