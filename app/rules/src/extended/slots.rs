//! After-hours appointment slots: on which days a slot rule makes slots (rest days and public
//! holidays included), and that a slot lies outside the opening hours (Seed §二(四); issue #11
//! point 9).

use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::{CalendarError, DayKind, WorkCalendar};
use crate::hours::{BusinessHours, DaySchedule, Session, weekday_zh};

/// The days a slot rule makes slots on.
///
/// Source: Seed §二(四) (延时服务: 延长办公时间, or 在法定节假日或公休日内办理); issue #11 point 9
/// (slot rules on rest days and holidays; the duty roster covers them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotDays {
    /// Working days falling on these weekdays (a make-up working day on a Saturday is a working
    /// day falling on Saturday).
    #[serde(default)]
    pub weekdays: Vec<Weekday>,
    /// Every rest day (公休日).
    #[serde(default)]
    pub rest_days: bool,
    /// Every day of a public holiday (法定节假日).
    #[serde(default)]
    pub public_holidays: bool,
}

impl SlotDays {
    /// Whether the rule makes a slot on `date` ([`WorkCalendar::day_kind`]); a year not held is an
    /// error. Source: Seed §二(四); issue #11 point 9.
    pub fn applies_on(&self, date: NaiveDate, cal: &WorkCalendar) -> Result<bool, CalendarError> {
        use chrono::Datelike;
        Ok(match cal.day_kind(date)? {
            DayKind::WorkingDay => self.weekdays.contains(&date.weekday()),
            DayKind::RestDay => self.rest_days,
            DayKind::PublicHoliday => self.public_holidays,
        })
    }

    /// Whether the rule names no day at all. Source: product rule.
    pub fn is_empty(&self) -> bool {
        self.weekdays.is_empty() && !self.rest_days && !self.public_holidays
    }
}

/// Why a slot (or a slot rule's times) cannot be offered.
///
/// Source: Seed §二(四) (延时服务 is service outside the opening hours); issue #11 point 9.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum SlotRefusal {
    /// The start is not before the end.
    #[error("预约时段的开始时间须早于结束时间")]
    EmptySlot,
    /// The rule names no day.
    #[error("请至少选择一种预约日期（工作日、公休日或法定节假日）")]
    NoDays,
    /// The slot shares time with an opening session: that is ordinary service, not extended
    /// service.
    #[error(
        "预约时段{}—{}与{at}的办公时间{}—{}重叠，延时服务预约须在办公时间以外",
        hm(.start), hm(.end), hm(&.session.start), hm(&.session.end)
    )]
    InsideOpeningHours {
        /// Slot start.
        start: NaiveTime,
        /// Slot end.
        end: NaiveTime,
        /// Where the overlap is, in Chinese (a date, or e.g. 常规作息周三).
        at: String,
        /// The session it overlaps.
        session: Session,
    },
}

impl SlotRefusal {
    /// Stable snake_case code (as serialised). Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::EmptySlot => "empty_slot",
            Self::NoDays => "no_days",
            Self::InsideOpeningHours { .. } => "inside_opening_hours",
        }
    }
}

fn hm(t: &NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// The first session of `schedule` sharing time with `[start, end)`.
fn overlapping(schedule: &[Session], start: NaiveTime, end: NaiveTime) -> Option<Session> {
    schedule
        .iter()
        .find(|s| s.start < end && start < s.end)
        .copied()
}

/// Checks the times of a slot rule at save time: start before end, at least one day named, and on
/// every working weekday it names no overlap with the sessions of any schedule of the centre (the
/// regular week and every season, weekday overrides included; a make-up Saturday or Sunday follows
/// the working-day schedule). Rest days and public holidays have no sessions. Touching a session
/// (17:00 after a close at 17:00) is allowed.
/// Source: Seed §二(四); issue #11 point 9 (refuse a slot inside opening hours).
pub fn check_slot_rule(
    days: &SlotDays,
    start: NaiveTime,
    end: NaiveTime,
    hours: &BusinessHours,
) -> Result<(), SlotRefusal> {
    if start >= end {
        return Err(SlotRefusal::EmptySlot);
    }
    if days.is_empty() {
        return Err(SlotRefusal::NoDays);
    }
    let schedules = std::iter::once(("常规作息", &hours.regular))
        .chain(hours.seasons.iter().map(|s| (s.name.as_str(), &s.schedule)));
    for (name, week) in schedules {
        for &weekday in &days.weekdays {
            let day: &DaySchedule = week.for_weekday(weekday);
            if let Some(session) = overlapping(&day.sessions, start, end) {
                return Err(SlotRefusal::InsideOpeningHours {
                    start,
                    end,
                    at: format!("{name}{}", weekday_zh(weekday)),
                    session,
                });
            }
        }
    }
    Ok(())
}

/// Checks a slot on `date` before it is made: start before end, and no overlap with that day's
/// sessions (none on a rest day, a public holiday or a closure). Source: Seed §二(四); issue #11
/// point 9.
pub fn check_slot_on(
    date: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
    hours: &BusinessHours,
    cal: &WorkCalendar,
) -> Result<Result<(), SlotRefusal>, CalendarError> {
    if start >= end {
        return Ok(Err(SlotRefusal::EmptySlot));
    }
    let sessions = hours.sessions_on(date, cal)?;
    Ok(match overlapping(sessions, start, end) {
        Some(session) => Err(SlotRefusal::InsideOpeningHours {
            start,
            end,
            at: date.format("%Y年%-m月%-d日").to_string(),
            session,
        }),
        None => Ok(()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::{MonthDay, Season, WeekSchedule};

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn weekdays() -> SlotDays {
        SlotDays {
            weekdays: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            ..SlotDays::default()
        }
    }

    #[test]
    fn a_slot_rule_may_name_rest_days_and_public_holidays() {
        let cal = WorkCalendar::shipped();
        let days = SlotDays {
            weekdays: vec![Weekday::Sat],
            rest_days: true,
            public_holidays: true,
        };
        assert_eq!(days.applies_on(d("2025-03-08"), &cal), Ok(true)); // rest day
        assert_eq!(days.applies_on(d("2025-10-01"), &cal), Ok(true)); // National Day
        assert_eq!(days.applies_on(d("2025-10-11"), &cal), Ok(true)); // make-up Saturday
        assert_eq!(days.applies_on(d("2025-03-05"), &cal), Ok(false)); // Wednesday
        let working_only = weekdays();
        assert_eq!(working_only.applies_on(d("2025-10-01"), &cal), Ok(false));
        assert_eq!(working_only.applies_on(d("2025-03-08"), &cal), Ok(false));
        assert_eq!(working_only.applies_on(d("2025-03-05"), &cal), Ok(true));
        let holidays_only = SlotDays {
            public_holidays: true,
            ..SlotDays::default()
        };
        assert_eq!(holidays_only.applies_on(d("2025-10-04"), &cal), Ok(true));
        assert_eq!(holidays_only.applies_on(d("2025-03-08"), &cal), Ok(false));
    }

    #[test]
    fn a_slot_inside_opening_hours_is_refused() {
        let hours = BusinessHours::district_hall_default();
        let e = check_slot_rule(&weekdays(), hm(16, 0), hm(18, 0), &hours).unwrap_err();
        assert_eq!(e.code(), "inside_opening_hours");
        assert_eq!(
            e.to_string(),
            "预约时段16:00—18:00与常规作息周一的办公时间13:00—17:00重叠，延时服务预约须在办公时间以\
                外"
        );
        assert_eq!(
            check_slot_rule(&weekdays(), hm(17, 0), hm(19, 0), &hours),
            Ok(())
        );
        assert_eq!(
            check_slot_rule(&weekdays(), hm(12, 0), hm(13, 0), &hours),
            Ok(())
        );
        assert_eq!(
            check_slot_rule(&weekdays(), hm(8, 0), hm(9, 30), &hours)
                .unwrap_err()
                .code(),
            "inside_opening_hours"
        );
    }

    #[test]
    fn a_slot_on_a_rest_day_or_public_holiday_may_lie_in_the_daytime() {
        let hours = BusinessHours::district_hall_default();
        let weekend = SlotDays {
            rest_days: true,
            public_holidays: true,
            ..SlotDays::default()
        };
        assert_eq!(
            check_slot_rule(&weekend, hm(9, 0), hm(11, 0), &hours),
            Ok(())
        );
        let cal = WorkCalendar::shipped();
        let on = |date: &str| check_slot_on(d(date), hm(9, 0), hm(11, 0), &hours, &cal).unwrap();
        assert_eq!(on("2025-10-01"), Ok(()));
        assert_eq!(on("2025-03-08"), Ok(()));
        // …but a make-up working Saturday has the working-day hours.
        assert_eq!(on("2025-10-11").unwrap_err().code(), "inside_opening_hours");
    }

    #[test]
    fn a_slot_rule_is_checked_against_every_season_of_the_centre() {
        let mut hours = BusinessHours::district_hall_default();
        hours.seasons.push(Season {
            name: "夏季作息".into(),
            from: MonthDay::new(5, 1),
            to: MonthDay::new(9, 30),
            schedule: WeekSchedule::uniform(DaySchedule::new(vec![
                Session::hm((8, 30), (12, 0)),
                Session::hm((14, 30), (18, 0)),
            ])),
        });
        let e = check_slot_rule(&weekdays(), hm(17, 0), hm(19, 0), &hours).unwrap_err();
        assert!(e.to_string().contains("夏季作息周一"), "{e}");
        let cal = WorkCalendar::shipped();
        let july = check_slot_on(d("2025-07-02"), hm(17, 0), hm(19, 0), &hours, &cal).unwrap();
        assert_eq!(july.unwrap_err().code(), "inside_opening_hours");
        let march = check_slot_on(d("2025-03-05"), hm(17, 0), hm(19, 0), &hours, &cal).unwrap();
        assert_eq!(march, Ok(()));
    }

    #[test]
    fn a_slot_rule_needs_a_day_and_a_start_before_its_end() {
        let hours = BusinessHours::district_hall_default();
        assert_eq!(
            check_slot_rule(&weekdays(), hm(19, 0), hm(17, 0), &hours),
            Err(SlotRefusal::EmptySlot)
        );
        assert_eq!(
            check_slot_rule(&SlotDays::default(), hm(17, 0), hm(19, 0), &hours),
            Err(SlotRefusal::NoDays)
        );
    }
}
