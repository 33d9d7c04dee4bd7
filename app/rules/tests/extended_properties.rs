//! Property tests of the extended-service record (proptest): only time outside the sessions counts,
//! and every minute of a day off does.

use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta};
use proptest::prelude::*;
use rules::extended::{ExtendedKind, OnTheSpot, extended_service_for};
use rules::{BusinessHours, WorkCalendar};
use std::sync::OnceLock;

fn cal() -> &'static WorkCalendar {
    static CAL: OnceLock<WorkCalendar> = OnceLock::new();
    CAL.get_or_init(WorkCalendar::shipped)
}

fn hall() -> BusinessHours {
    BusinessHours::district_hall_default()
}

/// A service starting between 2022-01-01 and 2026-12-31, lasting up to 5 hours (same day).
fn service() -> impl Strategy<Value = (NaiveDateTime, NaiveDateTime)> {
    (0u64..1825, 0i64..18 * 60, 0i64..300).prop_map(|(day, start, length)| {
        let date = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + Days::new(day);
        let from = date.and_hms_opt(6, 0, 0).unwrap() + TimeDelta::minutes(start);
        (from, from + TimeDelta::minutes(length))
    })
}

fn spot() -> impl Strategy<Value = OnTheSpot> {
    prop_oneof![Just(OnTheSpot::Finishable), Just(OnTheSpot::NotFinishable)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn extended_minutes_never_exceed_the_service_and_count_only_time_outside_the_sessions(
        (from, to) in service(), on_the_spot in spot()
    ) {
        let got = extended_service_for(from, to, on_the_spot, &hall(), cal()).unwrap();
        let length = (to - from).num_minutes();
        let inside = hall().business_minutes_between(from, to, cal()).unwrap();
        let minutes = got.map_or(0, |(_, m)| i64::from(m));
        prop_assert!(minutes <= length - i64::try_from(inside).unwrap());
        let day_off = hall().close_of_business(from.date(), cal()).unwrap().is_none();
        if got.is_some_and(|(k, _)| k == ExtendedKind::DayOff) || day_off {
            // A day without sessions: every minute of the service is extended service.
            prop_assert_eq!(minutes, length);
        }
    }

    #[test]
    fn business_finishable_on_the_spot_never_records_fewer_minutes(
        (from, to) in service()
    ) {
        let minutes = |s| {
            let got = extended_service_for(from, to, s, &hall(), cal()).unwrap();
            got.map_or(0, |(_, m)| m)
        };
        prop_assert!(minutes(OnTheSpot::Finishable) >= minutes(OnTheSpot::NotFinishable));
    }

    #[test]
    fn a_service_inside_the_sessions_records_nothing(
        (from, to) in service(), on_the_spot in spot()
    ) {
        let inside = hall().business_time_between(from, to, cal()).unwrap();
        if inside == to - from && to > from {
            let got = extended_service_for(from, to, on_the_spot, &hall(), cal()).unwrap();
            prop_assert_eq!(got, None);
        }
    }
}
