//! Business hours against the official calendar.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::*;
use crate::calendar::{WorkCalendar, YearArrangement};

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn t(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn cal() -> WorkCalendar {
    WorkCalendar::shipped()
}

fn hall() -> BusinessHours {
    BusinessHours::district_hall_default()
}

/// A town centre: summer 9:00–12:00 / 14:30–17:30, winter (10-01..04-30) 9:00–12:00 / 13:30–17:00,
/// closed on Wednesday afternoons all year.
fn town() -> BusinessHours {
    let wednesday = WeekdayOverride {
        weekday: Weekday::Wed,
        schedule: DaySchedule::new(vec![Session::hm((9, 0), (12, 0))]),
    };
    let summer = WeekSchedule {
        working_day: DaySchedule::new(vec![
            Session::hm((9, 0), (12, 0)),
            Session::hm((14, 30), (17, 30)),
        ]),
        overrides: vec![wednesday.clone()],
    };
    let winter = WeekSchedule {
        working_day: DaySchedule::new(vec![
            Session::hm((9, 0), (12, 0)),
            Session::hm((13, 30), (17, 0)),
        ]),
        overrides: vec![wednesday],
    };
    BusinessHours {
        regular: summer,
        seasons: vec![Season {
            name: "冬季作息".into(),
            from: MonthDay::new(10, 1),
            to: MonthDay::new(4, 30),
            schedule: winter,
        }],
        closures: vec![Closure {
            date: d("2025-03-05"),
            reason: "停电检修".into(),
        }],
    }
}

#[test]
fn the_district_hall_opens_nine_to_twelve_and_one_to_five_on_working_days() {
    let (h, cal) = (hall(), cal());
    assert_eq!(h.validate(), Ok(()));
    assert_eq!(h.is_open(t("2025-03-03 08:59"), &cal), Ok(false));
    assert_eq!(h.is_open(t("2025-03-03 09:00"), &cal), Ok(true));
    assert_eq!(h.is_open(t("2025-03-03 11:59"), &cal), Ok(true));
    assert_eq!(h.is_open(t("2025-03-03 12:00"), &cal), Ok(false));
    assert_eq!(h.is_open(t("2025-03-03 12:30"), &cal), Ok(false));
    assert_eq!(h.is_open(t("2025-03-03 13:00"), &cal), Ok(true));
    assert_eq!(h.is_open(t("2025-03-03 17:00"), &cal), Ok(false));
}

#[test]
fn close_of_business_is_five_pm_and_the_morning_ends_at_noon() {
    let (h, cal) = (hall(), cal());
    assert_eq!(
        h.close_of_business(d("2025-03-03"), &cal),
        Ok(Some(t("2025-03-03 17:00")))
    );
    assert_eq!(
        h.morning_end(d("2025-03-03"), &cal),
        Ok(Some(t("2025-03-03 12:00")))
    );
}

#[test]
fn weekends_and_holidays_are_closed() {
    let (h, cal) = (hall(), cal());
    assert_eq!(h.sessions_on(d("2025-03-08"), &cal), Ok(&[][..]));
    assert_eq!(h.is_open(t("2026-02-16 10:00"), &cal), Ok(false));
    assert_eq!(h.close_of_business(d("2026-02-16"), &cal), Ok(None));
    assert_eq!(h.morning_end(d("2026-02-16"), &cal), Ok(None));
}

#[test]
fn a_makeup_saturday_follows_the_working_day_schedule() {
    let (h, cal) = (hall(), cal());
    assert_eq!(h.is_open(t("2026-02-14 10:00"), &cal), Ok(true));
    assert_eq!(
        h.close_of_business(d("2026-02-14"), &cal),
        Ok(Some(t("2026-02-14 17:00")))
    );
}

#[test]
fn a_weekday_override_does_not_apply_to_a_makeup_day() {
    let (h, cal) = (town(), cal());
    // 2026-02-28 is a make-up Saturday in winter: the winter working-day schedule.
    assert_eq!(
        h.close_of_business(d("2026-02-28"), &cal),
        Ok(Some(t("2026-02-28 17:00")))
    );
}

#[test]
fn a_one_off_closure_closes_the_date() {
    let (h, cal) = (town(), cal());
    assert_eq!(h.is_open(t("2025-03-05 10:00"), &cal), Ok(false));
    assert_eq!(h.close_of_business(d("2025-03-05"), &cal), Ok(None));
    assert_eq!(h.closure_on(d("2025-03-05")).unwrap().reason, "停电检修");
}

#[test]
fn a_winter_season_wraps_the_new_year() {
    let (h, cal) = (town(), cal());
    // Winter: January and November; summer: June.
    assert_eq!(
        h.close_of_business(d("2025-01-06"), &cal),
        Ok(Some(t("2025-01-06 17:00")))
    );
    assert_eq!(
        h.close_of_business(d("2025-11-03"), &cal),
        Ok(Some(t("2025-11-03 17:00")))
    );
    assert_eq!(
        h.close_of_business(d("2025-06-03"), &cal),
        Ok(Some(t("2025-06-03 17:30")))
    );
    assert_eq!(h.is_open(t("2025-01-06 13:45"), &cal), Ok(true));
    assert_eq!(h.is_open(t("2025-06-03 13:45"), &cal), Ok(false));
    // Boundaries are inclusive: 04-30 (a Wednesday, morning only) is winter, 05-01 is summer.
    assert!(h.seasons[0].contains(d("2025-04-30")));
    assert!(!h.seasons[0].contains(d("2025-05-01")));
    assert_eq!(h.schedule_for(d("2025-04-29")).sessions[1].end, hm(17, 0));
    assert_eq!(h.schedule_for(d("2025-05-06")).sessions[1].end, hm(17, 30));
}

#[test]
fn a_weekday_override_replaces_that_weekdays_sessions() {
    let (h, cal) = (town(), cal());
    // Wednesday 2025-06-04: morning only.
    assert_eq!(
        h.close_of_business(d("2025-06-04"), &cal),
        Ok(Some(t("2025-06-04 12:00")))
    );
    assert_eq!(h.morning_end(d("2025-06-04"), &cal), Ok(None));
}

#[test]
fn the_next_opening_is_the_next_session_start() {
    let (h, cal) = (hall(), cal());
    assert_eq!(
        h.next_opening(t("2025-03-03 08:00"), &cal),
        Ok(t("2025-03-03 09:00"))
    );
    assert_eq!(
        h.next_opening(t("2025-03-03 09:00"), &cal),
        Ok(t("2025-03-03 09:00"))
    );
    assert_eq!(
        h.next_opening(t("2025-03-03 10:00"), &cal),
        Ok(t("2025-03-03 13:00"))
    );
    assert_eq!(
        h.next_opening(t("2025-03-07 17:30"), &cal),
        Ok(t("2025-03-10 09:00"))
    );
}

#[test]
fn the_next_opening_after_national_day_2025_is_on_the_ninth() {
    let (h, cal) = (hall(), cal());
    assert_eq!(
        h.next_opening(t("2025-09-30 17:01"), &cal),
        Ok(t("2025-10-09 09:00"))
    );
}

#[test]
fn the_next_opening_in_a_year_not_held_is_an_error() {
    let (h, cal) = (hall(), cal());
    assert_eq!(
        h.next_opening(t("2026-12-31 17:30"), &cal),
        Err(HoursError::Calendar(CalendarError::CalendarYearUnknown(
            2027
        )))
    );
    assert_eq!(
        h.is_open(t("2027-01-04 10:00"), &cal),
        Err(CalendarError::CalendarYearUnknown(2027))
    );
}

#[test]
fn the_provisional_view_opens_on_weekdays_of_a_year_not_held_but_not_on_new_years_day() {
    let (h, cal) = (hall(), cal());
    let view = cal.provisional();
    assert_eq!(
        h.next_opening(t("2026-12-31 17:30"), &view),
        Ok(t("2027-01-04 09:00"))
    );
    assert!(view.was_provisional());
}

#[test]
fn no_opening_within_sixty_days_is_an_error() {
    let mut h = hall();
    h.regular.working_day = DaySchedule::closed();
    assert_eq!(
        h.next_opening(t("2025-03-03 08:00"), &cal()),
        Err(HoursError::NoOpeningWithin {
            from: d("2025-03-03"),
            days: OPENING_SEARCH_DAYS
        })
    );
}

#[test]
fn the_close_on_or_after_a_closed_date_moves_to_the_next_business_day() {
    let (h, cal) = (town(), cal());
    assert_eq!(
        h.close_of_business_on_or_after(d("2025-03-05"), &cal),
        Ok(t("2025-03-06 17:00"))
    );
    assert_eq!(
        h.close_of_business_on_or_after(d("2025-03-08"), &cal),
        Ok(t("2025-03-10 17:00"))
    );
}

#[test]
fn overlapping_or_inverted_sessions_are_rejected() {
    let mut h = hall();
    h.regular.working_day = DaySchedule::new(vec![
        Session::hm((9, 0), (12, 30)),
        Session::hm((12, 0), (17, 0)),
        Session::hm((18, 0), (17, 30)),
    ]);
    let codes: Vec<_> = h
        .validate()
        .unwrap_err()
        .iter()
        .map(HoursIssue::code)
        .collect();
    assert_eq!(codes, vec!["empty_session", "overlapping_sessions"]);
}

#[test]
fn a_working_day_needs_a_session() {
    let mut h = hall();
    h.regular.working_day = DaySchedule::closed();
    let issues = h.validate().unwrap_err();
    assert_eq!(
        issues[0].message_zh(),
        "常规作息：工作日至少要有一个办公时段"
    );
}

#[test]
fn weekend_and_duplicate_overrides_are_rejected() {
    let mut h = hall();
    for weekday in [Weekday::Sat, Weekday::Mon, Weekday::Mon] {
        h.regular.overrides.push(WeekdayOverride {
            weekday,
            schedule: DaySchedule::closed(),
        });
    }
    let codes: Vec<_> = h
        .validate()
        .unwrap_err()
        .iter()
        .map(HoursIssue::code)
        .collect();
    assert_eq!(codes, vec!["weekend_override", "duplicate_override"]);
}

#[test]
fn overlapping_seasons_are_rejected() {
    let mut h = town();
    h.seasons.push(Season {
        name: "春季作息".into(),
        from: MonthDay::new(4, 30),
        to: MonthDay::new(5, 31),
        schedule: WeekSchedule::uniform(DaySchedule::district_hall()),
    });
    let issues = h.validate().unwrap_err();
    assert_eq!(
        issues,
        vec![HoursIssue::OverlappingSeasons {
            first: "冬季作息".into(),
            second: "春季作息".into()
        }]
    );
    assert_eq!(
        issues[0].message_zh(),
        "季节「冬季作息」与「春季作息」的日期范围重叠"
    );
}

#[test]
fn adjacent_seasons_do_not_overlap() {
    let mut h = town();
    h.seasons.push(Season {
        name: "夏季作息".into(),
        from: MonthDay::new(5, 1),
        to: MonthDay::new(9, 30),
        schedule: WeekSchedule::uniform(DaySchedule::district_hall()),
    });
    assert_eq!(h.validate(), Ok(()));
}

#[test]
fn invalid_season_bounds_and_closure_problems_are_rejected() {
    let mut h = hall();
    h.seasons.push(Season {
        name: " ".into(),
        from: MonthDay::new(2, 30),
        to: MonthDay::new(13, 1),
        schedule: WeekSchedule::uniform(DaySchedule::district_hall()),
    });
    for reason in ["", "搬迁"] {
        h.closures.push(Closure {
            date: d("2025-03-05"),
            reason: reason.into(),
        });
    }
    let codes: Vec<_> = h
        .validate()
        .unwrap_err()
        .iter()
        .map(HoursIssue::code)
        .collect();
    assert_eq!(
        codes,
        vec![
            "empty_season_name",
            "invalid_month_day",
            "invalid_month_day",
            "empty_closure_reason",
            "duplicate_closure"
        ]
    );
}

#[test]
fn february_29th_is_a_valid_season_bound() {
    assert!(MonthDay::new(2, 29).is_valid());
    assert!(!MonthDay::new(2, 30).is_valid());
}

#[test]
fn a_calendar_with_a_new_year_drives_the_hours_of_that_year() {
    let cal = cal().with_year(YearArrangement::empty(2027)).unwrap();
    assert_eq!(hall().is_open(t("2027-01-04 10:00"), &cal), Ok(true));
}

// --- business minutes (即办件, issue #11 point 4) ----------------------------------------------

fn plus(start: &str, minutes: u32) -> NaiveDateTime {
    hall()
        .add_business_minutes(t(start), minutes, &cal())
        .unwrap()
}

#[test]
fn business_minutes_do_not_run_across_the_noon_break() {
    // Wednesday 2025-03-05: 10 minutes before noon, 20 after the afternoon opening.
    assert_eq!(plus("2025-03-05 11:50", 30), t("2025-03-05 13:20"));
    // Ending exactly at the end of the morning is the earliest moment, not 13:00.
    assert_eq!(plus("2025-03-05 11:50", 10), t("2025-03-05 12:00"));
}

#[test]
fn business_minutes_do_not_run_overnight_or_over_a_holiday() {
    assert_eq!(plus("2025-03-05 16:50", 30), t("2025-03-06 09:20"));
    // Tue 2025-09-30 16:40: 20 minutes, then National Day (10-01..10-08) has no business.
    assert_eq!(plus("2025-09-30 16:40", 60), t("2025-10-09 09:40"));
}

#[test]
fn business_minutes_started_outside_the_sessions_start_at_the_next_opening() {
    assert_eq!(plus("2025-03-05 08:30", 30), t("2025-03-05 09:30"));
    assert_eq!(plus("2025-03-05 12:30", 30), t("2025-03-05 13:30"));
    assert_eq!(plus("2025-03-05 17:30", 30), t("2025-03-06 09:30"));
    assert_eq!(plus("2025-03-08 10:00", 30), t("2025-03-10 09:30"));
    assert_eq!(plus("2025-03-05 12:30", 0), t("2025-03-05 12:30"));
}

#[test]
fn business_minutes_follow_the_centres_own_sessions_and_closures() {
    // The town is closed 2025-03-05 and on Wednesday afternoons: Tue 03-04 in winter 16:50 + 30 →
    // 10 minutes, then Thursday 03-06 (the closure took Wednesday) 09:20.
    let got = town().add_business_minutes(t("2025-03-04 16:50"), 30, &cal());
    assert_eq!(got, Ok(t("2025-03-06 09:20")));
}

#[test]
fn business_minutes_between_two_moments_count_only_session_time() {
    let between = |a: &str, b: &str| hall().business_minutes_between(t(a), t(b), &cal()).unwrap();
    assert_eq!(between("2025-03-05 11:55", "2025-03-05 13:30"), 35);
    assert_eq!(between("2025-03-05 16:30", "2025-03-06 09:30"), 60);
    assert_eq!(between("2025-03-07 16:00", "2025-03-10 10:00"), 120);
    assert_eq!(between("2025-03-05 12:10", "2025-03-05 12:50"), 0);
    assert_eq!(between("2025-03-06 10:00", "2025-03-05 10:00"), 0);
}

#[test]
fn adding_business_minutes_in_a_year_the_calendar_does_not_hold_is_an_error() {
    let e = hall().add_business_minutes(t("2026-12-31 16:50"), 30, &cal());
    assert_eq!(
        e,
        Err(HoursError::Calendar(CalendarError::CalendarYearUnknown(
            2027
        )))
    );
}
