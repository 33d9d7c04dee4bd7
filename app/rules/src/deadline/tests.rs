//! The deadline engine against the official calendar and the district hall's hours.

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::calendar::{CalendarError, WorkCalendar};
use crate::hours::{BusinessHours, Closure, DaySchedule, Session, WeekdayOverride};

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn t(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn cal() -> WorkCalendar {
    WorkCalendar::shipped()
}

fn hall() -> BusinessHours {
    BusinessHours::district_hall_default()
}

fn promised(working_days: u32) -> TimeLimit {
    TimeLimit::Promised { working_days }
}

fn due(limit: TimeLimit, start: &str, suspensions: &[Suspension], ext: Option<&Extension>) -> Due {
    compute_due(&limit, t(start), suspensions, ext, &cal(), &hall()).unwrap()
}

/// A suspension recorded by dates only (before suspensions carried moments).
fn suspension(start: &str, end: Option<&str>) -> Suspension {
    Suspension::from_dates(
        SpecialProcedure::ExpertReview,
        d(start),
        end.map(d),
        "组织专家评审",
    )
}

/// A suspension from a moment to a moment.
fn stop(start: &str, end: Option<&str>) -> Suspension {
    Suspension {
        procedure: SpecialProcedure::ExpertReview,
        start: t(start),
        end: end.map(t),
        reason: "组织专家评审".into(),
    }
}

fn extension(days: u32) -> Extension {
    Extension {
        working_days: days,
        requested_at: t("2025-03-05 10:00"),
        reason: "需征求相关部门意见".into(),
    }
}

// --- promised items ---------------------------------------------------------------------------

#[test]
fn acceptance_day_is_not_counted_and_the_due_is_close_of_business() {
    // Accepted Monday 2025-03-03: five working days are Tue..Mon, due Monday 17:00.
    assert_eq!(
        due(promised(5), "2025-03-03 10:00", &[], None),
        Due::At(t("2025-03-10 17:00"))
    );
}

#[test]
fn acceptance_after_hours_still_leaves_the_day_uncounted() {
    assert_eq!(
        due(promised(5), "2025-03-03 17:40", &[], None),
        Due::At(t("2025-03-10 17:00"))
    );
}

#[test]
fn a_clock_starting_on_a_weekend_counts_from_the_next_working_day() {
    assert_eq!(
        due(promised(5), "2025-03-08 11:00", &[], None),
        Due::At(t("2025-03-14 17:00"))
    );
}

#[test]
fn a_promised_limit_across_spring_festival_2026_counts_the_makeup_saturday() {
    // Thu 02-12 accepted: 02-13, 02-14 (make-up Sat), 02-24, 02-25, 02-26.
    assert_eq!(
        due(promised(5), "2026-02-12 10:00", &[], None),
        Due::At(t("2026-02-26 17:00"))
    );
}

#[test]
fn a_promised_limit_across_national_day_2025_skips_the_eight_days_off() {
    // Tue 09-30 accepted: 10-09, 10-10, 10-11 (make-up Sat).
    assert_eq!(
        due(promised(3), "2025-09-30 15:00", &[], None),
        Due::At(t("2025-10-11 17:00"))
    );
}

#[test]
fn a_zero_day_limit_is_due_at_close_of_the_acceptance_day() {
    assert_eq!(
        due(promised(0), "2025-03-03 10:00", &[], None),
        Due::At(t("2025-03-03 17:00"))
    );
}

#[test]
fn a_due_date_on_a_one_off_closure_moves_to_the_next_business_day_never_earlier() {
    let mut hours = hall();
    hours.closures.push(Closure {
        date: d("2025-03-10"),
        reason: "停电检修".into(),
    });
    let due = compute_due(
        &promised(5),
        t("2025-03-03 10:00"),
        &[],
        None,
        &cal(),
        &hours,
    );
    assert_eq!(due, Ok(Due::At(t("2025-03-11 17:00"))));
}

#[test]
fn the_due_moment_follows_the_centres_own_close_of_business() {
    let mut hours = hall();
    hours.regular.overrides.push(WeekdayOverride {
        weekday: chrono::Weekday::Mon,
        schedule: DaySchedule::new(vec![Session::hm((8, 30), (12, 0))]),
    });
    let due = compute_due(
        &promised(5),
        t("2025-03-03 10:00"),
        &[],
        None,
        &cal(),
        &hours,
    );
    assert_eq!(due, Ok(Due::At(t("2025-03-10 12:00"))));
}

#[test]
fn a_year_not_held_is_an_error_for_the_strict_due() {
    let e = compute_due(
        &promised(5),
        t("2026-12-28 10:00"),
        &[],
        None,
        &cal(),
        &hall(),
    );
    assert_eq!(
        e,
        Err(DeadlineError::Calendar(CalendarError::CalendarYearUnknown(
            2027
        )))
    );
    assert_eq!(e.unwrap_err().code(), "calendar_year_unknown");
}

#[test]
fn the_provisional_due_skips_the_statutory_holidays_of_an_unknown_year_and_flags_it() {
    let p = compute_due_provisional(
        &promised(5),
        t("2026-12-28 10:00"),
        &[],
        None,
        &cal(),
        &hall(),
    );
    // 12-29, 12-30, 12-31, then Mon 2027-01-04 and Tue 01-05: Fri 01-01 is 元旦 by law even
    // before the State Council publishes 2027.
    assert_eq!(
        p,
        Ok(ProvisionalDue {
            due: Due::At(t("2027-01-05 17:00")),
            provisional: true
        })
    );
    let p = compute_due_provisional(
        &promised(2),
        t("2026-12-28 10:00"),
        &[],
        None,
        &cal(),
        &hall(),
    );
    assert!(!p.unwrap().provisional);
}

// --- immediate items --------------------------------------------------------------------------

#[test]
fn an_immediate_item_counts_business_minutes_only_not_across_the_noon_break() {
    let limit = TimeLimit::Immediate { minutes: 30 };
    // 11:50–12:00 counts 10 minutes; the break does not count; 13:00–13:20 the other 20.
    assert_eq!(
        due(limit, "2025-03-03 11:50", &[], None),
        Due::At(t("2025-03-03 13:20"))
    );
    assert_eq!(
        due(limit, "2025-03-03 10:00", &[], None),
        Due::At(t("2025-03-03 10:30"))
    );
}

#[test]
fn an_immediate_item_counts_business_minutes_only_not_overnight() {
    let limit = TimeLimit::Immediate { minutes: 60 };
    // Friday 16:30: 30 minutes on Friday, 30 on Monday morning.
    assert_eq!(
        due(limit, "2025-03-07 16:30", &[], None),
        Due::At(t("2025-03-10 09:30"))
    );
}

#[test]
fn immediate_items_take_no_suspension_or_extension() {
    let limit = TimeLimit::Immediate { minutes: 30 };
    let s = [suspension("2025-03-03", None)];
    let e = compute_due(&limit, t("2025-03-03 10:00"), &s, None, &cal(), &hall());
    assert_eq!(e, Err(DeadlineError::NotForImmediateItems));
    let x = extension(2);
    let e = compute_due(
        &limit,
        t("2025-03-03 10:00"),
        &[],
        Some(&x),
        &cal(),
        &hall(),
    );
    assert_eq!(e.unwrap_err().message_zh(), "即办件不适用中止计时或延期");
}

#[test]
fn the_limit_reads_in_chinese() {
    assert_eq!(promised(5).label_zh(), "承诺件，5个工作日");
    assert_eq!(
        TimeLimit::Immediate { minutes: 30 }.label_zh(),
        "即办件，30分钟"
    );
    assert_eq!(
        TimeLimit::Immediate { minutes: 120 }.label_zh(),
        "即办件，2小时"
    );
}

// --- suspension -------------------------------------------------------------------------------

#[test]
fn a_closed_suspension_pushes_the_due_by_its_working_days() {
    // 10 days from Mon 03-03 → Mon 03-17; stopped Wed 03-05 and Thu 03-06 → Wed 03-19.
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &[], None),
        Due::At(t("2025-03-17 17:00"))
    );
    let s = [suspension("2025-03-05", Some("2025-03-07"))];
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &s, None),
        Due::At(t("2025-03-19 17:00"))
    );
}

#[test]
fn an_open_suspension_leaves_no_due_moment() {
    let s = [suspension("2025-03-05", None)];
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &s, None),
        Due::Suspended
    );
}

#[test]
fn a_suspension_starting_on_the_acceptance_day_does_not_count_that_day_twice() {
    let s = [suspension("2025-03-03", Some("2025-03-05"))];
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &s, None),
        Due::At(t("2025-03-18 17:00"))
    );
}

#[test]
fn a_suspension_starting_on_the_due_date_pushes_it() {
    let s = [suspension("2025-03-17", Some("2025-03-18"))];
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &s, None),
        Due::At(t("2025-03-18 17:00"))
    );
}

#[test]
fn a_suspension_after_the_due_date_does_not_move_it() {
    let closed = [suspension("2025-03-18", Some("2025-03-25"))];
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &closed, None),
        Due::At(t("2025-03-17 17:00"))
    );
    let open = [suspension("2025-03-18", None)];
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &open, None),
        Due::At(t("2025-03-17 17:00"))
    );
}

#[test]
fn a_suspension_over_a_weekend_only_stops_no_working_day() {
    let s = [suspension("2025-03-08", Some("2025-03-10"))];
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &s, None),
        Due::At(t("2025-03-17 17:00"))
    );
}

#[test]
fn overlapping_suspensions_stop_each_working_day_once() {
    let s = [
        suspension("2025-03-05", Some("2025-03-07")),
        suspension("2025-03-06", Some("2025-03-08")),
    ];
    // Stopped: 03-05, 03-06, 03-07 → three days later than 03-17.
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &s, None),
        Due::At(t("2025-03-20 17:00"))
    );
}

#[test]
fn a_suspension_that_pushes_the_due_brings_a_later_one_into_range() {
    // Due 03-17; the first stops 5 days (03-10..03-14) → due 03-24; the second (03-20) now counts.
    let s = [
        suspension("2025-03-10", Some("2025-03-17")),
        suspension("2025-03-20", Some("2025-03-21")),
    ];
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &s, None),
        Due::At(t("2025-03-25 17:00"))
    );
}

#[test]
fn a_suspension_before_the_clock_start_is_an_error() {
    let s = [suspension("2025-03-01", Some("2025-03-05"))];
    let e = compute_due(
        &promised(10),
        t("2025-03-03 10:00"),
        &s,
        None,
        &cal(),
        &hall(),
    );
    assert_eq!(
        e,
        Err(DeadlineError::SuspensionBeforeClockStart {
            start: t("2025-03-01 00:00"),
            clock_start: t("2025-03-03 10:00")
        })
    );
}

// --- extension --------------------------------------------------------------------------------

#[test]
fn an_approved_extension_adds_working_days_to_the_due() {
    let x = extension(5);
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &[], Some(&x)),
        Due::At(t("2025-03-24 17:00"))
    );
}

#[test]
fn an_extension_and_a_suspension_add_up() {
    let x = extension(2);
    let s = [suspension("2025-03-05", Some("2025-03-07"))];
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &s, Some(&x)),
        Due::At(t("2025-03-21 17:00"))
    );
}

// --- clock start and deemed acceptance --------------------------------------------------------

#[test]
fn the_clock_starts_at_acceptance_or_last_correction_or_receipt() {
    let received = t("2025-03-03 09:30");
    let accepted = ClockStartBasis::Accepted {
        accepted_at: t("2025-03-03 10:00"),
    };
    assert_eq!(clock_start(received, &accepted), Ok(t("2025-03-03 10:00")));
    let corrected = ClockStartBasis::AcceptedAfterCorrection {
        last_correction_received_at: t("2025-03-06 15:20"),
    };
    assert_eq!(clock_start(received, &corrected), Ok(t("2025-03-06 15:20")));
    assert_eq!(
        clock_start(received, &ClockStartBasis::DeemedAccepted),
        Ok(received)
    );
}

#[test]
fn a_clock_start_before_receipt_is_an_error() {
    let basis = ClockStartBasis::Accepted {
        accepted_at: t("2025-03-03 09:00"),
    };
    assert_eq!(
        clock_start(t("2025-03-03 09:30"), &basis)
            .unwrap_err()
            .code(),
        "before_receipt"
    );
}

#[test]
fn deemed_acceptance_falls_at_close_of_business_on_the_fifth_working_day() {
    let moment = deemed_acceptance_moment(t("2025-03-03 09:30"), &cal(), &hall());
    assert_eq!(moment, Ok(t("2025-03-10 17:00")));
    // Received before National Day 2025: 10-09, 10-10, 10-11 (make-up Sat), 10-13, 10-14.
    let moment = deemed_acceptance_moment(t("2025-09-30 16:00"), &cal(), &hall());
    assert_eq!(moment, Ok(t("2025-10-14 17:00")));
}

#[test]
fn the_last_correction_is_to_be_accepted_by_close_of_business_that_day_or_the_next_open_one() {
    let due = |at: &str| acceptance_after_corrections_moment(t(at), &cal(), &hall());
    // Monday 2025-03-03.
    assert_eq!(due("2025-03-03 10:00"), Ok(t("2025-03-03 17:00")));
    // Handed in after closing (extended service): by the next day's close, never already past.
    assert_eq!(due("2025-03-03 17:30"), Ok(t("2025-03-04 17:00")));
    // On a Saturday (the hall closed): Monday's close.
    assert_eq!(due("2025-03-08 10:00"), Ok(t("2025-03-10 17:00")));
}

/// A last correction handed in at 16:59:50 was due for acceptance at 17:00:00: ten seconds
/// before the case was deemed accepted and the clerk, still serving the applicant, recorded a
/// violation she could not have avoided.
#[test]
fn a_last_correction_in_the_final_hour_before_closing_is_to_be_accepted_by_the_next_days_close() {
    let due = |at: &str| acceptance_after_corrections_moment(t(at), &cal(), &hall());
    assert_eq!(due("2025-03-03 15:59"), Ok(t("2025-03-03 17:00")));
    assert_eq!(due("2025-03-03 16:00"), Ok(t("2025-03-03 17:00")));
    assert_eq!(due("2025-03-03 16:01"), Ok(t("2025-03-04 17:00")));
    assert_eq!(
        due("2025-03-03 16:59"),
        Ok(t("2025-03-04 17:00")),
        "seconds before closing"
    );
    // Friday's last hour: Monday's close.
    assert_eq!(due("2025-03-07 16:30"), Ok(t("2025-03-10 17:00")));
}

#[test]
fn an_application_without_any_answer_after_five_working_days_is_deemed_accepted() {
    let received = t("2025-03-03 09:30");
    let check = |notice, decision, now| {
        is_deemed_accepted(received, notice, decision, t(now), &cal(), &hall()).unwrap()
    };
    assert!(!check(None, None, "2025-03-10 17:00"));
    assert!(check(None, None, "2025-03-10 17:01"));
}

#[test]
fn a_correction_notice_in_time_prevents_deemed_acceptance() {
    let received = t("2025-03-03 09:30");
    let in_time = Some(t("2025-03-10 16:59"));
    let late = Some(t("2025-03-11 09:00"));
    let deemed = |notice| {
        is_deemed_accepted(
            received,
            notice,
            None,
            t("2025-03-12 10:00"),
            &cal(),
            &hall(),
        )
        .unwrap()
    };
    assert!(!deemed(in_time));
    assert!(deemed(late));
}

#[test]
fn a_decision_on_acceptance_in_time_prevents_deemed_acceptance() {
    let received = t("2025-03-03 09:30");
    let accepted = Some(t("2025-03-04 10:00"));
    let deemed = is_deemed_accepted(
        received,
        None,
        accepted,
        t("2025-03-20 10:00"),
        &cal(),
        &hall(),
    );
    assert_eq!(deemed, Ok(false));
}

#[test]
fn a_deemed_accepted_case_is_due_counted_from_receipt() {
    let received = t("2025-03-03 09:30");
    let start = clock_start(received, &ClockStartBasis::DeemedAccepted).unwrap();
    let deadline = Deadline::new(promised(10), start);
    assert_eq!(
        deadline.due(&cal(), &hall()),
        Ok(Due::At(t("2025-03-17 17:00")))
    );
}

// --- status -----------------------------------------------------------------------------------

fn status(limit: TimeLimit, due: Due, now: &str) -> DeadlineStatus {
    status_at(&due, &limit, t(now), &cal(), &StatusThresholds::default()).unwrap()
}

#[test]
fn a_promised_case_is_on_track_then_near_due_then_overdue() {
    let due = Due::At(t("2025-03-10 17:00"));
    let on_track = DeadlineStatus::OnTrack {
        remaining: Span::WorkingDays(5),
    };
    assert_eq!(status(promised(5), due, "2025-03-03 10:00"), on_track);
    assert_eq!(
        status(promised(5), due, "2025-03-05 10:00"),
        DeadlineStatus::OnTrack {
            remaining: Span::WorkingDays(3)
        }
    );
    assert_eq!(
        status(promised(5), due, "2025-03-06 10:00"),
        DeadlineStatus::NearDue {
            remaining: Span::WorkingDays(2)
        }
    );
    assert_eq!(
        status(promised(5), due, "2025-03-10 17:00"),
        DeadlineStatus::NearDue {
            remaining: Span::WorkingDays(0)
        }
    );
    assert_eq!(
        status(promised(5), due, "2025-03-10 17:01"),
        DeadlineStatus::Overdue {
            overdue_by: Span::WorkingDays(0)
        }
    );
    assert_eq!(
        status(promised(5), due, "2025-03-12 09:00"),
        DeadlineStatus::Overdue {
            overdue_by: Span::WorkingDays(2)
        }
    );
}

#[test]
fn an_immediate_case_is_near_due_with_a_fifth_of_its_minutes_left() {
    let limit = TimeLimit::Immediate { minutes: 60 };
    let due = Due::At(t("2025-03-03 11:00"));
    assert_eq!(
        status(limit, due, "2025-03-03 10:30"),
        DeadlineStatus::OnTrack {
            remaining: Span::Minutes(30)
        }
    );
    assert_eq!(
        status(limit, due, "2025-03-03 10:47"),
        DeadlineStatus::OnTrack {
            remaining: Span::Minutes(13)
        }
    );
    assert_eq!(
        status(limit, due, "2025-03-03 10:48"),
        DeadlineStatus::NearDue {
            remaining: Span::Minutes(12)
        }
    );
    assert_eq!(
        status(limit, due, "2025-03-03 11:03"),
        DeadlineStatus::Overdue {
            overdue_by: Span::Minutes(3)
        }
    );
}

#[test]
fn a_suspended_case_has_suspended_status() {
    let s = status(promised(5), Due::Suspended, "2025-03-03 10:00");
    assert_eq!(s, DeadlineStatus::Suspended);
    assert_eq!(s.label_zh(), "暂停计时");
    assert_eq!(s.code(), "suspended");
}

#[test]
fn thresholds_are_configurable() {
    let thresholds = StatusThresholds {
        near_due_working_days: 3,
        near_due_percent: 50,
    };
    let due = Due::At(t("2025-03-10 17:00"));
    let s = status_at(
        &due,
        &promised(5),
        t("2025-03-05 10:00"),
        &cal(),
        &thresholds,
    );
    assert_eq!(s.unwrap().code(), "near_due");
    let due = Due::At(t("2025-03-03 11:00"));
    let limit = TimeLimit::Immediate { minutes: 60 };
    let s = status_at(&due, &limit, t("2025-03-03 10:30"), &cal(), &thresholds);
    assert_eq!(s.unwrap().code(), "near_due");
}

#[test]
fn the_deadline_record_computes_due_and_status_together() {
    let mut deadline = Deadline::new(promised(10), t("2025-03-03 10:00"));
    deadline.suspensions.push(suspension("2025-03-05", None));
    let (cal, hours) = (cal(), hall());
    assert_eq!(deadline.due(&cal, &hours), Ok(Due::Suspended));
    let thresholds = StatusThresholds::default();
    assert_eq!(
        deadline.status_at(t("2025-03-20 10:00"), &cal, &hours, &thresholds),
        Ok(DeadlineStatus::Suspended)
    );
    deadline.suspensions[0].end = Some(t("2025-03-07 00:00"));
    assert_eq!(
        deadline.due(&cal, &hours),
        Ok(Due::At(t("2025-03-19 17:00")))
    );
    assert_eq!(
        deadline.due_provisional(&cal, &hours),
        Ok(ProvisionalDue {
            due: Due::At(t("2025-03-19 17:00")),
            provisional: false
        })
    );
}

// --- stages -----------------------------------------------------------------------------------

fn stages(days: [u32; 4]) -> Vec<StageLimit> {
    Stage::ALL
        .iter()
        .zip(days)
        .map(|(&stage, working_days)| StageLimit {
            stage,
            working_days,
        })
        .collect()
}

#[test]
fn stage_limits_must_fit_inside_the_total() {
    assert_eq!(validate_stage_limits(&stages([1, 5, 3, 1]), 10), Ok(()));
    assert_eq!(validate_stage_limits(&stages([1, 4, 3, 1]), 10), Ok(()));
    let e = validate_stage_limits(&stages([1, 6, 3, 1]), 10).unwrap_err();
    assert_eq!(e, StageLimitError::ExceedsTotal { sum: 11, total: 10 });
    assert_eq!(
        e.to_string(),
        "各环节时限合计11个工作日，超过承诺时限10个工作日"
    );
}

#[test]
fn a_stage_of_zero_working_days_is_refused_because_it_would_be_late_from_its_start() {
    let e = validate_stage_limits(&stages([0, 5, 3, 1]), 10).unwrap_err();
    assert_eq!(
        e,
        StageLimitError::ZeroDays {
            stage: Stage::Acceptance
        }
    );
    assert_eq!(e.code(), "zero_days");
    assert!(e.to_string().contains("至少 1 个工作日"));
}

#[test]
fn a_stage_is_limited_once() {
    let mut s = stages([1, 2, 3, 1]);
    s[3].stage = Stage::Review;
    assert_eq!(
        validate_stage_limits(&s, 10),
        Err(StageLimitError::DuplicateStage {
            stage: Stage::Review
        })
    );
}

#[test]
fn each_stage_is_due_from_its_own_start() {
    let review = StageLimit {
        stage: Stage::Review,
        working_days: 3,
    };
    let due = stage_due(&review, t("2025-03-05 11:00"), &[], None, &cal(), &hall());
    assert_eq!(due, Ok(Due::At(t("2025-03-10 17:00"))));
    assert_eq!(Stage::Delivery.label_zh(), "送达");
}

#[test]
fn an_extension_asked_for_during_a_stage_lengthens_that_stage_and_no_other() {
    let review = StageLimit {
        stage: Stage::Review,
        working_days: 3,
    };
    let extension = Extension {
        working_days: 5,
        requested_at: t("2025-03-07 10:00"),
        reason: "需要补充核查".into(),
    };
    let during = stage_due(
        &review,
        t("2025-03-05 11:00"),
        &[],
        Some(&extension),
        &cal(),
        &hall(),
    );
    // 3 + 5 working days after Wednesday 03-05: Wednesday 03-12 → 03-17.
    assert_eq!(during, Ok(Due::At(t("2025-03-17 17:00"))));
    // A stage begun after the request keeps its own limit.
    let later = stage_due(
        &review,
        t("2025-03-10 09:00"),
        &[],
        Some(&extension),
        &cal(),
        &hall(),
    );
    assert_eq!(later, Ok(Due::At(t("2025-03-13 17:00"))));
}

#[test]
fn an_immediate_case_counts_its_minutes_left_in_business_time() {
    let limit = TimeLimit::Immediate { minutes: 30 };
    let due = Due::At(t("2025-03-03 13:20"));
    let at = |now: &str| {
        status_at_with_hours(
            &due,
            &limit,
            t(now),
            &cal(),
            &hall(),
            &StatusThresholds::default(),
        )
        .unwrap()
    };
    // At 11:55 there are 5 + 20 business minutes left, not 85.
    assert_eq!(
        at("2025-03-03 11:55"),
        DeadlineStatus::OnTrack {
            remaining: Span::Minutes(25)
        }
    );
    // Over the break the countdown stands still.
    assert_eq!(at("2025-03-03 12:40"), at("2025-03-03 12:05"));
    assert_eq!(
        at("2025-03-03 13:15"),
        DeadlineStatus::NearDue {
            remaining: Span::Minutes(5)
        }
    );
    assert_eq!(
        at("2025-03-03 13:27"),
        DeadlineStatus::Overdue {
            overdue_by: Span::Minutes(7)
        }
    );
}

// --- suspensions carry moments (issue #11 point 1) -----------------------------------------------

const ITEM_PROCEDURES: [SpecialProcedure; 2] = [
    SpecialProcedure::ExpertReview,
    SpecialProcedure::OnSiteSurvey,
];

/// The example: 1 working day, accepted Mon 2025-03-03 10:00, due Tue 03-04 17:00.
fn one_day_case() -> Deadline {
    Deadline::new(promised(1), t("2025-03-03 10:00"))
}

fn check_new(
    deadline: &Deadline,
    new: &Suspension,
    now: &str,
) -> Result<SuspensionStart, DeadlineError> {
    check_new_suspension(new, &ITEM_PROCEDURES, deadline, t(now), &cal(), &hall())
}

#[test]
fn a_suspension_starting_after_the_due_moment_is_refused_as_case_overdue() {
    let e = check_new(
        &one_day_case(),
        &stop("2025-03-04 17:30", None),
        "2025-03-04 17:30",
    );
    assert_eq!(
        e,
        Err(DeadlineError::CaseOverdue {
            due: t("2025-03-04 17:00")
        })
    );
    let e = e.unwrap_err();
    assert_eq!(e.code(), "case_overdue");
    assert_eq!(
        e.message_zh(),
        "办件已于2025年3月4日 17:00到期，不能再中止计时"
    );
}

#[test]
fn a_suspension_starting_exactly_at_the_due_moment_is_refused_as_case_overdue() {
    let e = check_new(
        &one_day_case(),
        &stop("2025-03-04 17:00", None),
        "2025-03-04 17:00",
    );
    assert_eq!(e.unwrap_err().code(), "case_overdue");
}

#[test]
fn a_suspension_back_dated_into_the_overdue_period_cannot_erase_the_lateness() {
    // On Friday 03-07 a review is back-dated to Wednesday 03-05: the case was overdue since
    // Tuesday.
    let e = check_new(
        &one_day_case(),
        &stop("2025-03-05 09:00", None),
        "2025-03-07 10:00",
    );
    assert_eq!(
        e,
        Err(DeadlineError::CaseOverdue {
            due: t("2025-03-04 17:00")
        })
    );
}

#[test]
fn a_suspension_recorded_once_the_case_is_overdue_cannot_be_back_dated_before_the_due() {
    // Due Tuesday 03-04 17:00. On Friday 03-07 a review is back-dated to Tuesday 10:00, before
    // the due: the clock had run out when it was recorded, and the applicant was never told in
    // time, so the record cannot make the case on time again.
    let e = check_new(
        &one_day_case(),
        &stop("2025-03-04 10:00", None),
        "2025-03-07 10:00",
    );
    assert_eq!(
        e,
        Err(DeadlineError::CaseOverdue {
            due: t("2025-03-04 17:00")
        })
    );
    // Recorded before close on the due day, the same back-dated start is allowed.
    assert_eq!(
        check_new(
            &one_day_case(),
            &stop("2025-03-04 10:00", None),
            "2025-03-04 16:30"
        ),
        Ok(SuspensionStart::BackDated { by_minutes: 390 })
    );
}

#[test]
fn a_suspension_may_be_back_dated_to_the_previous_working_day_and_no_further() {
    // 20 working days from Mon 2025-03-03: on Monday 03-10, Friday 03-07 is the working day
    // before (the weekend does not count); Thursday 03-06 is two back.
    let case = Deadline::new(promised(20), t("2025-03-03 10:00"));
    assert_eq!(
        check_new(&case, &stop("2025-03-07 09:00", None), "2025-03-10 09:00"),
        Ok(SuspensionStart::BackDated {
            by_minutes: 3 * 24 * 60
        })
    );
    let e = check_new(&case, &stop("2025-03-06 16:00", None), "2025-03-10 09:00");
    assert_eq!(
        e,
        Err(DeadlineError::BackDatedTooFar {
            start: t("2025-03-06 16:00")
        })
    );
    assert_eq!(e.unwrap_err().code(), "back_dated_too_far");
}

#[test]
fn a_suspension_on_the_due_day_before_close_is_allowed_and_pushes_the_due() {
    let case = one_day_case();
    assert_eq!(
        check_new(&case, &stop("2025-03-04 16:50", None), "2025-03-04 16:55"),
        Ok(SuspensionStart::Current)
    );
    // Stopped at 03-04's close: that day is not counted; resumed 03-05 at 10:00 it counts again.
    let s = [stop("2025-03-04 16:50", Some("2025-03-05 10:00"))];
    assert_eq!(
        due(promised(1), "2025-03-03 10:00", &s, None),
        Due::At(t("2025-03-05 17:00"))
    );
}

#[test]
fn a_recorded_suspension_starting_after_close_on_the_due_day_does_not_move_the_due() {
    // Records made before the check existed are still computed without reviving the case.
    let s = [stop("2025-03-04 17:30", Some("2025-03-07 10:00"))];
    assert_eq!(
        due(promised(1), "2025-03-03 10:00", &s, None),
        Due::At(t("2025-03-04 17:00"))
    );
    let open = [stop("2025-03-04 17:30", None)];
    assert_eq!(
        due(promised(1), "2025-03-03 10:00", &open, None),
        Due::At(t("2025-03-04 17:00"))
    );
}

#[test]
fn a_working_day_counts_unless_the_clock_is_stopped_at_its_close_of_business() {
    // 10 days from Mon 03-03 → Mon 03-17.
    let cases = [
        // Begun before opening on Wed and ended after close on Thu: both days out.
        (("2025-03-05 08:00", "2025-03-06 18:00"), "2025-03-19 17:00"),
        // Begun after close on Wed: Wed counts; ended Fri 10:00: Thu out, Fri counts.
        (("2025-03-05 17:30", "2025-03-07 10:00"), "2025-03-18 17:00"),
        // Begun and ended the same day before close: no working day out.
        (("2025-03-05 09:30", "2025-03-05 16:00"), "2025-03-17 17:00"),
        // Ended exactly at close: that day is out.
        (("2025-03-05 10:00", "2025-03-05 17:00"), "2025-03-18 17:00"),
        // Begun exactly at close: that day counts.
        (("2025-03-05 17:00", "2025-03-06 17:00"), "2025-03-18 17:00"),
    ];
    for ((start, end), expected) in cases {
        let s = [stop(start, Some(end))];
        assert_eq!(
            due(promised(10), "2025-03-03 10:00", &s, None),
            Due::At(t(expected)),
            "{start} → {end}"
        );
    }
}

#[test]
fn a_working_day_stopped_at_close_follows_the_centres_own_close_of_business() {
    // A centre closing at 12:00 on Wednesdays: a procedure begun Wed 13:00 leaves Wed counted.
    let mut hours = hall();
    hours.regular.overrides.push(WeekdayOverride {
        weekday: chrono::Weekday::Wed,
        schedule: DaySchedule::new(vec![Session::hm((8, 30), (12, 0))]),
    });
    let s = [stop("2025-03-05 13:00", Some("2025-03-06 10:00"))];
    let got = compute_due(
        &promised(10),
        t("2025-03-03 10:00"),
        &s,
        None,
        &cal(),
        &hours,
    );
    assert_eq!(got, Ok(Due::At(t("2025-03-17 17:00"))));
}

#[test]
fn date_only_suspensions_keep_the_date_rule_they_were_recorded_under() {
    // From 03-05 to 03-07 by dates = 00:00 to 00:00: 03-05 and 03-06 out, 03-07 counted.
    assert_eq!(
        Suspension::from_dates(
            SpecialProcedure::Hearing,
            d("2025-03-05"),
            Some(d("2025-03-07")),
            "听证"
        ),
        Suspension {
            procedure: SpecialProcedure::Hearing,
            start: t("2025-03-05 00:00"),
            end: Some(t("2025-03-07 00:00")),
            reason: "听证".into(),
        }
    );
    let s = [suspension("2025-03-05", Some("2025-03-07"))];
    assert_eq!(
        due(promised(10), "2025-03-03 10:00", &s, None),
        Due::At(t("2025-03-19 17:00"))
    );
}

#[test]
fn suspensions_may_not_overlap() {
    let mut case = Deadline::new(promised(10), t("2025-03-03 10:00"));
    case.suspensions
        .push(stop("2025-03-05 10:00", Some("2025-03-06 10:00")));
    let e = check_new(&case, &stop("2025-03-05 15:00", None), "2025-03-07 09:00");
    assert_eq!(
        e,
        Err(DeadlineError::SuspensionsOverlap {
            existing_start: t("2025-03-05 10:00")
        })
    );
    assert_eq!(
        e.unwrap_err().message_zh(),
        "与已记录的中止计时（2025年3月5日 10:00起）时间重叠"
    );
    // Starting when the earlier one ended is no overlap.
    assert!(check_new(&case, &stop("2025-03-06 10:00", None), "2025-03-06 10:05").is_ok());
    // A back-dated closed one before it is no overlap either.
    let earlier = stop("2025-03-04 09:00", Some("2025-03-04 16:00"));
    assert!(check_new(&case, &earlier, "2025-03-05 09:00").is_ok());
    // While one is open, nothing else may start.
    case.suspensions.push(stop("2025-03-10 10:00", None));
    let e = check_new(&case, &stop("2025-03-11 10:00", None), "2025-03-11 10:00");
    assert_eq!(e.unwrap_err().code(), "suspensions_overlap");
}

#[test]
fn a_suspension_may_not_start_in_the_future_or_before_the_clock_start() {
    let case = Deadline::new(promised(10), t("2025-03-03 10:00"));
    let e = check_new(&case, &stop("2025-03-05 10:01", None), "2025-03-05 10:00");
    assert_eq!(
        e,
        Err(DeadlineError::SuspensionStartInFuture {
            start: t("2025-03-05 10:01"),
            now: t("2025-03-05 10:00")
        })
    );
    assert_eq!(e.unwrap_err().code(), "start_in_future");
    let e = check_new(&case, &stop("2025-03-03 09:59", None), "2025-03-05 10:00");
    assert_eq!(e.unwrap_err().code(), "suspension_before_clock_start");
    assert!(check_new(&case, &stop("2025-03-03 10:00", None), "2025-03-03 10:00").is_ok());
}

#[test]
fn a_suspension_needs_a_listed_procedure_and_a_reason_and_a_promised_item() {
    let case = Deadline::new(promised(10), t("2025-03-03 10:00"));
    let mut hearing = stop("2025-03-04 10:00", None);
    hearing.procedure = SpecialProcedure::Hearing;
    let e = check_new(&case, &hearing, "2025-03-04 10:00");
    assert_eq!(e.unwrap_err().code(), "procedure_not_listed");
    let mut blank = stop("2025-03-04 10:00", None);
    blank.reason = "  ".into();
    let e = check_new(&case, &blank, "2025-03-04 10:00");
    assert_eq!(e, Err(DeadlineError::EmptySuspensionReason));
    let immediate = Deadline::new(TimeLimit::Immediate { minutes: 30 }, t("2025-03-04 09:50"));
    let e = check_new(
        &immediate,
        &stop("2025-03-04 10:00", None),
        "2025-03-04 10:00",
    );
    assert_eq!(e, Err(DeadlineError::NotForImmediateItems));
}

#[test]
fn a_suspension_started_more_than_the_tolerance_ago_is_back_dated_and_needs_a_reason() {
    let case = Deadline::new(promised(10), t("2025-03-03 10:00"));
    let on_time = check_new(&case, &stop("2025-03-05 09:45", None), "2025-03-05 10:00");
    assert_eq!(on_time, Ok(SuspensionStart::Current));
    assert_eq!(
        SuspensionStart::Current.require_reason(t("2025-03-05 09:45"), None),
        Ok(())
    );
    let back = check_new(&case, &stop("2025-03-05 09:44", None), "2025-03-05 10:00").unwrap();
    assert_eq!(back, SuspensionStart::BackDated { by_minutes: 16 });
    let start = t("2025-03-05 09:44");
    let e = back.require_reason(start, Some(" ")).unwrap_err();
    assert_eq!(e.code(), "back_dated_reason_required");
    assert_eq!(
        e.message_zh(),
        "中止计时开始时间2025年3月5日 09:44早于现在15分钟以上，须说明补录理由"
    );
    assert_eq!(
        back.require_reason(start, None),
        Err(DeadlineError::BackDatedWithoutReason { start })
    );
    assert_eq!(
        back.require_reason(start, Some("专家评审通知当日未及时录入")),
        Ok(())
    );
}

#[test]
fn a_back_dated_suspension_is_judged_against_the_due_in_force_at_its_start() {
    // Two procedures recorded; a third back-dated before both, while the case was still running.
    let mut case = Deadline::new(promised(1), t("2025-03-03 10:00"));
    case.suspensions
        .push(stop("2025-03-04 10:00", Some("2025-03-06 10:00")));
    // Due with that suspension: 03-04 and 03-05 out, 03-06 counted → 03-06 17:00.
    assert_eq!(
        case.due(&cal(), &hall()),
        Ok(Due::At(t("2025-03-06 17:00")))
    );
    // Recorded the next morning (the working day after its start: no further back).
    let earlier = stop("2025-03-03 15:00", Some("2025-03-04 09:00"));
    assert!(check_new(&case, &earlier, "2025-03-04 11:00").is_ok());
    // After the recorded one ended the case ran out at 03-06 17:00; a start at 17:10 is refused.
    let late = stop("2025-03-06 17:10", None);
    let e = check_new(&case, &late, "2025-03-07 09:00");
    assert_eq!(
        e,
        Err(DeadlineError::CaseOverdue {
            due: t("2025-03-06 17:00")
        })
    );
}

#[test]
fn resuming_ends_after_the_start_and_not_in_the_future() {
    let open = stop("2025-03-05 10:00", None);
    assert_eq!(
        check_resume(&open, t("2025-03-06 10:00"), t("2025-03-06 10:00")),
        Ok(())
    );
    let e = check_resume(&open, t("2025-03-05 10:00"), t("2025-03-06 10:00"));
    assert_eq!(e.unwrap_err().code(), "suspension_ends_before_start");
    let e = check_resume(&open, t("2025-03-04 10:00"), t("2025-03-06 10:00"));
    assert_eq!(
        e.unwrap_err().message_zh(),
        "恢复计时时间2025年3月4日 10:00须晚于中止开始时间2025年3月5日 10:00"
    );
    let e = check_resume(&open, t("2025-03-06 10:01"), t("2025-03-06 10:00"));
    assert_eq!(
        e,
        Err(DeadlineError::ResumeInFuture {
            end: t("2025-03-06 10:01"),
            now: t("2025-03-06 10:00")
        })
    );
    let closed = stop("2025-03-05 10:00", Some("2025-03-06 10:00"));
    let e = check_resume(&closed, t("2025-03-07 10:00"), t("2025-03-07 10:00"));
    assert_eq!(e.unwrap_err().code(), "suspension_not_open");
}

// --- extensions while suspended (issue #11 point 2) ----------------------------------------------

fn ask(days: u32, at: &str) -> Extension {
    Extension {
        working_days: days,
        requested_at: t(at),
        reason: "需征求相关部门意见".into(),
    }
}

fn judge(deadline: &Deadline, request: &Extension) -> Result<(), ExtensionError> {
    check_extension_request(
        request,
        deadline,
        LICENSING_EXTENSION_BOUND,
        false,
        &cal(),
        &hall(),
    )
    .unwrap()
}

#[test]
fn an_extension_of_a_case_that_was_overdue_when_it_was_suspended_is_refused() {
    // 10 days from 03-03: due 03-17 17:00; a suspension recorded from 03-18 (before the check).
    let mut case = Deadline::new(promised(10), t("2025-03-03 10:00"));
    case.suspensions.push(stop("2025-03-18 09:00", None));
    let e = judge(&case, &ask(5, "2025-03-20 10:00"));
    assert_eq!(
        e,
        Err(ExtensionError::OverdueWhenSuspended {
            due: t("2025-03-17 17:00")
        })
    );
    let e = e.unwrap_err();
    assert_eq!(e.code(), "overdue_when_suspended");
    assert_eq!(
        e.message_zh(),
        "办件在中止计时前已于2025年3月17日 17:00到期，不能延期"
    );
    // Ended or not, that suspension never gives the case time back.
    case.suspensions[0].end = Some(t("2025-03-19 09:00"));
    assert_eq!(
        judge(&case, &ask(5, "2025-03-19 10:00"))
            .unwrap_err()
            .code(),
        "overdue_when_suspended"
    );
}

#[test]
fn an_extension_while_suspended_is_judged_against_the_due_if_resumed_now() {
    // Stopped Fri 03-14 10:00 with 03-14 and 03-17 left; resumed on 04-10 10:00 those two days are
    // 04-10 and 04-11 (Qingming 04-04 is off).
    let mut case = Deadline::new(promised(10), t("2025-03-03 10:00"));
    case.suspensions.push(stop("2025-03-14 10:00", None));
    assert_eq!(
        case.due_if_resumed_at(t("2025-04-10 10:00"), &cal(), &hall()),
        Ok(Due::At(t("2025-04-11 17:00")))
    );
    assert_eq!(judge(&case, &ask(5, "2025-04-10 10:00")), Ok(()));
    // The other checks still apply while suspended.
    assert_eq!(
        judge(&case, &ask(11, "2025-04-10 10:00")),
        Err(ExtensionError::ExtensionExceedsBound { bound: 10 })
    );
}

#[test]
fn an_extension_requested_after_the_due_moment_is_refused_by_the_deadline_check() {
    let case = Deadline::new(promised(10), t("2025-03-03 10:00"));
    assert_eq!(
        judge(&case, &ask(5, "2025-03-17 17:00")),
        Err(ExtensionError::ExtensionTooLate {
            due: t("2025-03-17 17:00")
        })
    );
    assert_eq!(judge(&case, &ask(5, "2025-03-17 16:59")), Ok(()));
    let mut extended = case.clone();
    extended.extension = Some(ask(3, "2025-03-10 10:00"));
    assert_eq!(
        judge(&extended, &ask(2, "2025-03-11 10:00")),
        Err(ExtensionError::AlreadyExtended)
    );
    let immediate = Deadline::new(TimeLimit::Immediate { minutes: 30 }, t("2025-03-03 10:00"));
    let e = check_extension_request(
        &ask(1, "2025-03-03 10:05"),
        &immediate,
        10,
        false,
        &cal(),
        &hall(),
    );
    assert_eq!(e, Err(DeadlineError::NotForImmediateItems));
}

// --- on time, against the due in force at each step (issue #11 point 3) -------------------------

/// Accepted 03-03 10:00 (10 days, due 03-17 17:00); suspended 03-05 10:00; resumed 03-07 10:00
/// (due 03-19 17:00).
fn case_dues() -> DueHistory {
    DueHistory::new(vec![
        DueChange {
            from: t("2025-03-07 10:00"),
            due: Due::At(t("2025-03-19 17:00")),
        },
        DueChange {
            from: t("2025-03-03 10:00"),
            due: Due::At(t("2025-03-17 17:00")),
        },
        DueChange {
            from: t("2025-03-05 10:00"),
            due: Due::Suspended,
        },
    ])
}

#[test]
fn a_decision_is_judged_against_the_due_in_force_when_it_was_made() {
    let dues = case_dues();
    assert_eq!(
        timeliness(&dues, t("2025-03-19 16:00")),
        Ok(Timeliness::OnTime {
            due: t("2025-03-19 17:00")
        })
    );
    assert_eq!(
        timeliness(&dues, t("2025-03-19 17:00")),
        Ok(Timeliness::OnTime {
            due: t("2025-03-19 17:00")
        })
    );
    let late = timeliness(&dues, t("2025-03-20 09:00")).unwrap();
    assert_eq!(
        late,
        Timeliness::Late {
            due: t("2025-03-19 17:00")
        }
    );
    assert!(!late.is_on_time());
    assert_eq!((late.code(), late.label_zh()), ("late", "超期办结"));
    assert_eq!(
        timeliness(&dues, t("2025-03-06 09:00")),
        Ok(Timeliness::ClockStopped)
    );
    let e = timeliness(&dues, t("2025-03-03 09:00")).unwrap_err();
    assert_eq!(e.code(), "no_due_in_force");
}

#[test]
fn the_on_time_record_keeps_the_decision_and_every_stage() {
    let mut review = DueHistory::default();
    review.record(t("2025-03-04 09:00"), Due::At(t("2025-03-07 17:00")));
    review.record(t("2025-03-05 10:00"), Due::Suspended);
    review.record(t("2025-03-07 10:00"), Due::At(t("2025-03-11 17:00")));
    let mut acceptance = DueHistory::default();
    acceptance.record(t("2025-03-03 10:00"), Due::At(t("2025-03-03 17:00")));
    let stages = [
        CompletedStage {
            stage: Stage::Acceptance,
            dues: acceptance,
            done_at: t("2025-03-04 09:00"),
        },
        CompletedStage {
            stage: Stage::Review,
            dues: review,
            done_at: t("2025-03-11 15:00"),
        },
    ];
    let record = on_time_record(&case_dues(), t("2025-03-18 11:00"), &stages).unwrap();
    assert_eq!(
        record,
        OnTimeRecord {
            decision: Timeliness::OnTime {
                due: t("2025-03-19 17:00")
            },
            stages: vec![
                (
                    Stage::Acceptance,
                    Timeliness::Late {
                        due: t("2025-03-03 17:00")
                    }
                ),
                (
                    Stage::Review,
                    Timeliness::OnTime {
                        due: t("2025-03-11 17:00")
                    }
                ),
            ],
        }
    );
    assert!(!record.all_on_time());
    // The record survives storage unchanged.
    let json = serde_json::to_string(&record).unwrap();
    assert_eq!(serde_json::from_str::<OnTimeRecord>(&json).unwrap(), record);
}

#[test]
fn near_due_lists_reach_two_working_days_past_today_over_weekends_and_holidays() {
    let near = StatusThresholds::default();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // Friday 2025-03-07: Monday and Tuesday are the next two working days.
    assert_eq!(
        near.near_due_through(day("2025-03-07"), &cal()),
        Ok(day("2025-03-11"))
    );
    // Wednesday 2025-04-02: Friday 04-04 is 清明 and the weekend follows.
    assert_eq!(
        near.near_due_through(day("2025-04-02"), &cal()),
        Ok(day("2025-04-07"))
    );
}
