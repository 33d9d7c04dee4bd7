//! The extended-service record of one finished service: which rule it fell under and how many
//! minutes lay outside the sessions (Seed §二(四)一; issue #11 points 8 and 9).

use chrono::{NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, WorkingDays};
use crate::hours::BusinessHours;

/// Which extended-service rule a service past the session falls under.
///
/// Source: Seed §二(四) (延时服务制: 延长办公时间, or service 在法定节假日或公休日内),
/// §二(四)一、二.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtendedKind {
    /// Served through the noon break (business that could be finished on the spot).
    Noon,
    /// Served past close of business.
    Close,
    /// Asked for by the citizen.
    CitizenRequest,
    /// Started by the window.
    StaffStarted,
    /// An after-hours appointment.
    Appointment,
    /// Served on a day without business hours: a public holiday, a rest day or a closure.
    DayOff,
}

impl ExtendedKind {
    /// Every kind. Source: Seed §二(四).
    pub const ALL: [Self; 6] = [
        Self::Noon,
        Self::Close,
        Self::CitizenRequest,
        Self::StaffStarted,
        Self::Appointment,
        Self::DayOff,
    ];

    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Noon => "noon",
            Self::Close => "close",
            Self::CitizenRequest => "citizen_request",
            Self::StaffStarted => "staff_started",
            Self::Appointment => "appointment",
            Self::DayOff => "day_off",
        }
    }

    /// Chinese label. Source: Seed §二(四).
    pub fn label_zh(&self) -> &'static str {
        match self {
            Self::Noon => "午间延时",
            Self::Close => "下班延时",
            Self::CitizenRequest => "群众申请延时",
            Self::StaffStarted => "窗口主动延时",
            Self::Appointment => "预约延时服务",
            Self::DayOff => "节假日、公休日延时服务",
        }
    }

    /// From [`code`](Self::code). Source: product rule.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Whether the business being served can be finished on the spot (「当即能够办结」), the condition
/// of the noon rule. The seed does not define it; the definition used here:
///
/// **Finishable**: the window can complete the business during this visit, by itself and with what
/// the applicant has brought — an immediate item (即办件); receiving and reviewing an application
/// of a promised item and issuing the acceptance, correction or non-acceptance notice (受理 /
/// 一次性补正 / 不予受理: the window's own step); a 告知承诺 decision; handing over a result (送达,
/// 领证); answering an inquiry, giving the service guide, a referral.
///
/// **Not finishable**: it needs someone or something not at the window — another unit, a superior's
/// approval, a site visit, an expert, a system that is down — or materials the applicant must
/// fetch. Such a service pauses at noon and goes on in the afternoon; the break is no extended
/// service.
///
/// Source: Seed §二(四)一 (当到达中午12:00时，对当即能够办结的，必须延时办理完毕), §二(一)三
/// (即办业务必须当场办理); issue #11 point 8 (not only 即办件: receiving and accepting is such
/// business).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnTheSpot {
    /// Can be finished during this visit (see the type's definition).
    Finishable,
    /// Cannot (see the type's definition).
    NotFinishable,
}

/// Whole minutes from `session_end` to `ended_at`, rounded up; 0 when it ended in time.
///
/// Source: Seed §二(四) (records each extension: staff, ticket, minutes past hours).
pub fn minutes_past(ended_at: NaiveDateTime, session_end: NaiveDateTime) -> u32 {
    minutes_up(ended_at - session_end)
}

fn minutes_up(span: TimeDelta) -> u32 {
    if span <= TimeDelta::zero() {
        return 0;
    }
    let secs = span.num_seconds();
    u32::try_from((secs + 59) / 60).unwrap_or(u32::MAX)
}

/// The part of `[a, b)` inside `[from, to)`.
fn overlap(
    a: NaiveDateTime,
    b: NaiveDateTime,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> TimeDelta {
    let (start, end) = (a.max(from), b.min(to));
    if end > start {
        end - start
    } else {
        TimeDelta::zero()
    }
}

/// What a finished service (from `serve_started` to `serve_ended`, local time) owes the
/// extended-service record, if anything. Only time outside the day's sessions counts:
///
/// - on a day without sessions (法定节假日, 公休日, a closure): [`ExtendedKind::DayOff`] with every
///   minute of the service;
/// - past close of business (any business: everyone already called is served):
///   [`ExtendedKind::Close`] with the minutes after close, plus the minutes in breaks between
///   sessions when the business was [`OnTheSpot::Finishable`];
/// - through a break between sessions (the noon break) for business that can be finished on the
///   spot: [`ExtendedKind::Noon`] with the minutes inside the break only — 11:55–13:30 with the
///   afternoon opening at 13:00 is 60 minutes, not 90;
/// - time before the first opening is not counted (serving early is no seed obligation).
///
/// Minutes are rounded up. Source: Seed §二(四) (法定节假日或公休日), §二(四)一
/// (当到达中午12:00时，对当即能够办结的，必须延时办理完毕；到达下午17:00时…); issue #11 points 8
/// and 9.
pub fn extended_service_for<C: WorkingDays + ?Sized>(
    serve_started: NaiveDateTime,
    serve_ended: NaiveDateTime,
    on_the_spot: OnTheSpot,
    hours: &BusinessHours,
    cal: &C,
) -> Result<Option<(ExtendedKind, u32)>, CalendarError> {
    let day = serve_started.date();
    let sessions = hours.sessions_on(day, cal)?;
    let Some(last) = sessions.last() else {
        let minutes = minutes_up(serve_ended - serve_started);
        return Ok((minutes > 0).then_some((ExtendedKind::DayOff, minutes)));
    };
    let close = day.and_time(last.end);
    let after_close = overlap(serve_started, serve_ended, close, serve_ended.max(close));
    let in_breaks: TimeDelta = sessions
        .windows(2)
        .map(|pair| {
            let (from, to) = (day.and_time(pair[0].end), day.and_time(pair[1].start));
            overlap(serve_started, serve_ended, from, to)
        })
        .sum();
    let in_breaks = match on_the_spot {
        OnTheSpot::Finishable => in_breaks,
        OnTheSpot::NotFinishable => TimeDelta::zero(),
    };
    let kind = if after_close > TimeDelta::zero() {
        ExtendedKind::Close
    } else {
        ExtendedKind::Noon
    };
    let minutes = minutes_up(after_close + in_breaks);
    Ok((minutes > 0).then_some((kind, minutes)))
}

/// How near the end of a session a window may start the extended service a citizen asks for
/// or the window offers: earlier, the business is still inside the session and nothing is
/// extended yet. Source: product rule (延时服务 extends office hours, Seed §二(四)).
pub const EXTENDED_SERVICE_LEAD_MINUTES: i64 = 60;

/// Extended service asked for while the session still has more than
/// [`EXTENDED_SERVICE_LEAD_MINUTES`] to run.
///
/// Source: Seed §二(四) (延时服务制是应服务对象的要求而延长办公时间).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "现在是办公时间（本时段至 {}），无需延时服务；距本时段结束不足 {} 分钟时再登记",
    session_end.format("%H:%M"),
    EXTENDED_SERVICE_LEAD_MINUTES
)]
pub struct TooEarlyToExtend {
    /// When the current session ends.
    pub session_end: NaiveTime,
}

/// Whether extended service may start at `now` (local time): in a break, after close, on a day
/// without sessions, or within [`EXTENDED_SERVICE_LEAD_MINUTES`] of the current session's end.
///
/// Source: Seed §二(四) (延长办公时间; 法定节假日或公休日); product rule (the lead).
pub fn may_start_extended_service<C: WorkingDays + ?Sized>(
    now: NaiveDateTime,
    hours: &BusinessHours,
    cal: &C,
) -> Result<Result<(), TooEarlyToExtend>, CalendarError> {
    let lead = TimeDelta::minutes(EXTENDED_SERVICE_LEAD_MINUTES);
    let running = hours
        .sessions_on(now.date(), cal)?
        .iter()
        .find(|s| s.contains(now.time()))
        .filter(|s| now.date().and_time(s.end) - now > lead);
    Ok(match running {
        Some(s) => Err(TooEarlyToExtend { session_end: s.end }),
        None => Ok(()),
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::calendar::WorkCalendar;
    use crate::hours::Closure;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn served(
        from: NaiveDateTime,
        to: NaiveDateTime,
        on_the_spot: OnTheSpot,
        hours: &BusinessHours,
    ) -> Option<(ExtendedKind, u32)> {
        extended_service_for(from, to, on_the_spot, hours, &WorkCalendar::shipped()).unwrap()
    }

    fn hall() -> BusinessHours {
        BusinessHours::district_hall_default()
    }

    use OnTheSpot::{Finishable, NotFinishable};

    #[test]
    fn extended_service_may_start_only_near_the_end_of_a_session_or_outside_the_sessions() {
        let may = |t: NaiveDateTime| {
            may_start_extended_service(t, &hall(), &WorkCalendar::shipped()).unwrap()
        };
        // Wednesday 4 March 2026, sessions 9:00–12:00 and 13:00–17:00.
        let early = may(at(2026, 3, 4, 10, 30)).unwrap_err();
        assert_eq!(early.session_end.format("%H:%M").to_string(), "12:00");
        assert!(early.to_string().contains("12:00"), "{early}");
        assert!(may(at(2026, 3, 4, 11, 0)).is_ok(), "an hour before noon");
        assert!(may(at(2026, 3, 4, 12, 30)).is_ok(), "the noon break");
        assert!(
            may(at(2026, 3, 4, 15, 59)).is_err(),
            "61 minutes before close"
        );
        assert!(may(at(2026, 3, 4, 16, 30)).is_ok());
        assert!(may(at(2026, 3, 4, 17, 30)).is_ok(), "after close");
        assert!(may(at(2026, 3, 7, 10, 0)).is_ok(), "a Saturday");
    }

    #[test]
    fn business_finishable_on_the_spot_finished_after_noon_records_the_minutes_past_the_morning() {
        let got = served(
            at(2026, 3, 4, 11, 50),
            at(2026, 3, 4, 12, 7),
            Finishable,
            &hall(),
        );
        assert_eq!(got, Some((ExtendedKind::Noon, 7)));
    }

    #[test]
    fn minutes_past_noon_count_only_the_time_outside_the_sessions() {
        // 11:55–13:30, the afternoon opening at 13:00: the break 12:00–13:00 is 60 minutes, not 90.
        let got = served(
            at(2026, 3, 4, 11, 55),
            at(2026, 3, 4, 13, 30),
            Finishable,
            &hall(),
        );
        assert_eq!(got, Some((ExtendedKind::Noon, 60)));
    }

    #[test]
    fn accepting_a_promised_item_at_noon_is_business_finishable_on_the_spot() {
        // Not only 即办件: receiving and accepting a promised item is finished through the break.
        let got = served(
            at(2026, 3, 4, 11, 50),
            at(2026, 3, 4, 12, 20),
            Finishable,
            &hall(),
        );
        assert_eq!(got, Some((ExtendedKind::Noon, 20)));
    }

    #[test]
    fn business_that_cannot_be_finished_on_the_spot_pauses_at_noon_and_records_nothing() {
        let got = served(
            at(2026, 3, 4, 11, 50),
            at(2026, 3, 4, 13, 20),
            NotFinishable,
            &hall(),
        );
        assert_eq!(got, None);
    }

    #[test]
    fn a_service_past_close_records_the_minutes_past_close_whatever_the_business() {
        for kind in [Finishable, NotFinishable] {
            let got = served(
                at(2026, 3, 4, 16, 50),
                at(2026, 3, 4, 17, 20),
                kind,
                &hall(),
            );
            assert_eq!(got, Some((ExtendedKind::Close, 20)));
        }
    }

    #[test]
    fn a_service_in_time_or_started_before_opening_records_nothing() {
        let got = served(
            at(2026, 3, 4, 10, 0),
            at(2026, 3, 4, 10, 20),
            Finishable,
            &hall(),
        );
        assert_eq!(got, None);
        let got = served(
            at(2026, 3, 4, 8, 45),
            at(2026, 3, 4, 9, 10),
            Finishable,
            &hall(),
        );
        assert_eq!(got, None);
    }

    #[test]
    fn any_service_on_a_public_holiday_or_rest_day_is_extended_service_with_all_its_minutes() {
        // National Day 2026-10-01 and an ordinary Saturday 2026-03-07.
        let holiday = served(
            at(2026, 10, 1, 10, 0),
            at(2026, 10, 1, 10, 25),
            NotFinishable,
            &hall(),
        );
        assert_eq!(holiday, Some((ExtendedKind::DayOff, 25)));
        let rest_day = served(
            at(2026, 3, 7, 9, 30),
            at(2026, 3, 7, 11, 0),
            Finishable,
            &hall(),
        );
        assert_eq!(rest_day, Some((ExtendedKind::DayOff, 90)));
        assert_eq!(ExtendedKind::DayOff.label_zh(), "节假日、公休日延时服务");
        assert_eq!(
            ExtendedKind::from_code("day_off"),
            Some(ExtendedKind::DayOff)
        );
    }

    #[test]
    fn a_make_up_working_day_is_an_ordinary_working_day() {
        // Saturday 2026-02-14 is worked (春节调休): 10:00–10:20 is inside the sessions.
        let got = served(
            at(2026, 2, 14, 10, 0),
            at(2026, 2, 14, 10, 20),
            Finishable,
            &hall(),
        );
        assert_eq!(got, None);
    }

    #[test]
    fn a_service_on_a_closure_day_counts_all_its_minutes() {
        let mut hours = hall();
        hours.closures.push(Closure {
            date: NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(),
            reason: "停电检修".into(),
        });
        let got = served(
            at(2026, 3, 4, 10, 0),
            at(2026, 3, 4, 10, 30),
            Finishable,
            &hours,
        );
        assert_eq!(got, Some((ExtendedKind::DayOff, 30)));
    }

    #[test]
    fn partial_minutes_past_round_up() {
        let end = at(2026, 3, 4, 17, 0);
        assert_eq!(minutes_past(end + TimeDelta::seconds(1), end), 1);
        assert_eq!(minutes_past(end, end), 0);
        assert_eq!(minutes_past(end - TimeDelta::minutes(5), end), 0);
    }

    #[test]
    fn every_kind_has_a_code_that_round_trips() {
        for k in ExtendedKind::ALL {
            assert_eq!(ExtendedKind::from_code(k.code()), Some(k));
            assert!(!k.label_zh().is_empty());
        }
        assert_eq!(ExtendedKind::from_code("nap"), None);
    }
}
