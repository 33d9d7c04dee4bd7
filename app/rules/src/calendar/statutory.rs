//! The public holidays whose dates the law itself fixes: the part of a year's arrangement that is
//! known before the State Council publishes it.
//!
//! 《全国年节及纪念日放假办法》 (as amended by 国务院令第795号, in force since 2025-01-01), art. 2:
//! 元旦 1 January; 劳动节 1–2 May; 国庆节 1–3 October. The other holidays of art. 2 (春节, 清明节,
//! 端午节, 中秋节) follow the lunar calendar or the solar terms and are left to the published
//! arrangement. Art. 6: a holiday of all citizens that falls on a Saturday or Sunday is made up
//! (补假) on a working day. Which working day is the State Council's choice; the guess takes the
//! first weekday after it that is not already off, which every published year 2022–2026 agrees
//! with (see the tests).

use chrono::{Datelike, NaiveDate};

use super::arrangement::is_weekend;

/// A holiday of art. 2 with a fixed Gregorian date.
struct FixedDateHoliday {
    month: u32,
    day: u32,
}

/// 元旦, 劳动节 and 国庆节 (art. 2 of the 2024 amendment). Unpublished years are future years in
/// practice, so the law in force is the one applied.
const FIXED_DATE_HOLIDAYS: [FixedDateHoliday; 6] = [
    FixedDateHoliday { month: 1, day: 1 },
    FixedDateHoliday { month: 5, day: 1 },
    FixedDateHoliday { month: 5, day: 2 },
    FixedDateHoliday { month: 10, day: 1 },
    FixedDateHoliday { month: 10, day: 2 },
    FixedDateHoliday { month: 10, day: 3 },
];

/// The days of `year` that are off by law alone: the fixed-date holidays and, for each one that
/// falls on a weekend, the first following weekday not already off (art. 6, 补假). Ascending.
pub(crate) fn days_off_by_law(year: i32) -> Vec<NaiveDate> {
    let fixed: Vec<NaiveDate> = FIXED_DATE_HOLIDAYS
        .iter()
        .filter_map(|h| NaiveDate::from_ymd_opt(year, h.month, h.day))
        .collect();
    let mut off = fixed.clone();
    for holiday in fixed.iter().filter(|d| is_weekend(**d)) {
        let made_up = holiday
            .iter_days()
            .skip(1)
            .take_while(|d| d.year() == year)
            .find(|d| !is_weekend(*d) && !off.contains(d));
        off.extend(made_up);
    }
    off.sort_unstable();
    off
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::WorkCalendar;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn new_years_day_labour_day_and_national_day_are_off_by_law_in_any_year() {
        // 2027: 1 Jan is a Friday; 1–2 May a Saturday and a Sunday (made up on Mon 3 and Tue 4);
        // 1 Oct a Friday, 2–3 Oct a weekend (made up on Mon 4 and Tue 5).
        let expected = [
            "2027-01-01",
            "2027-05-01",
            "2027-05-02",
            "2027-05-03",
            "2027-05-04",
            "2027-10-01",
            "2027-10-02",
            "2027-10-03",
            "2027-10-04",
            "2027-10-05",
        ];
        assert_eq!(
            days_off_by_law(2027),
            expected.iter().map(|s| d(s)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_holiday_on_a_weekend_is_made_up_on_the_next_weekday_not_already_off() {
        // 2028-01-01 is a Saturday: Monday 3 January is off instead.
        let off = days_off_by_law(2028);
        assert!(off.contains(&d("2028-01-03")));
        assert!(!off.contains(&d("2028-01-04")));
    }

    #[test]
    fn every_day_off_by_law_is_off_in_every_published_year() {
        // The guess never takes off a day the State Council kept as a working day.
        let calendar = WorkCalendar::shipped();
        for year in calendar.years() {
            for day in days_off_by_law(year) {
                assert_eq!(
                    calendar.is_working_day(day),
                    Ok(false),
                    "{day} is off by law but worked in the published {year} arrangement"
                );
            }
        }
    }
}
