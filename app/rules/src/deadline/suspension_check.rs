//! Recording a suspension and its end: the checks that keep a special procedure from reviving an
//! overdue case (行政许可法 第四十五条; issue #11 point 1).

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::Deadline;
use super::compute::walk_promised;
use super::error::DeadlineError;
use super::limit::{Due, TimeLimit};
use super::suspension::{SpecialProcedure, Suspension, check_suspension_allowed};
use crate::calendar::WorkingDays;
use crate::hours::BusinessHours;

/// How far before `now` a suspension may start and still count as recorded when it began, in
/// minutes. Filling in the form takes a few minutes; a start further back is *back-dated* and needs
/// a reason that goes into the audit record.
///
/// Source: product rule where the seed and the law are silent (issue #11 point 1: a back-dated
/// start needs a reason). 15 minutes: the time a clerk needs to record a procedure that began at
/// the window, short enough that a start earlier the same morning is reported.
pub const BACK_DATING_TOLERANCE_MINUTES: i64 = 15;

/// How many working days before today a back-dated suspension may start: a procedure begun on
/// the previous working day can still be recorded; one begun earlier had to be recorded (and the
/// applicant told in writing) when it began.
///
/// Source: 行政许可法 第四十五条 (所需时间书面告知申请人: the notice goes out when the procedure
/// starts). A tester back-dated a suspension six working days on the due day, ten minutes before
/// close, resumed at once and moved the due six days later, unseen by anyone.
pub const BACK_DATING_MAX_WORKING_DAYS: i64 = 1;

/// Whether a suspension's start is as it is recorded, or back-dated.
///
/// Source: issue #11 point 1 (a back-dated start needs a reason that is kept in the audit record).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SuspensionStart {
    /// The start is at most [`BACK_DATING_TOLERANCE_MINUTES`] before now.
    Current,
    /// The start lies further back.
    BackDated {
        /// Whole minutes between the start and now.
        by_minutes: i64,
    },
}

impl SuspensionStart {
    /// Classifies `start` against `now` with [`BACK_DATING_TOLERANCE_MINUTES`].
    /// Source: issue #11 point 1; see [`BACK_DATING_TOLERANCE_MINUTES`].
    pub fn of(start: NaiveDateTime, now: NaiveDateTime) -> Self {
        let back = now - start;
        if back > TimeDelta::minutes(BACK_DATING_TOLERANCE_MINUTES) {
            Self::BackDated {
                by_minutes: back.num_minutes(),
            }
        } else {
            Self::Current
        }
    }

    /// A back-dated start needs a non-blank reason for the late record (kept in the audit record);
    /// a current one needs none. Source: issue #11 point 1.
    pub fn require_reason(
        &self,
        start: NaiveDateTime,
        reason: Option<&str>,
    ) -> Result<(), DeadlineError> {
        match self {
            Self::BackDated { .. } if reason.is_none_or(|r| r.trim().is_empty()) => {
                Err(DeadlineError::BackDatedWithoutReason { start })
            }
            _ => Ok(()),
        }
    }
}

/// Checks a suspension before it is recorded on the case whose clock is `deadline`, at `now`:
///
/// 1. the item lists the procedure, and the reason (told to the applicant in writing) is not blank;
/// 2. the item is a promised item (an immediate item's clock is never stopped);
/// 3. the start is not later than `now` and not before the clock start (moments);
/// 4. it overlaps no suspension already recorded (an open one overlaps everything after its start);
///    an end, if given, is after the start and not later than `now`;
/// 5. the start is strictly before the due moment in force at that start (the due given the
///    suspensions before it): at or after it the clock had run out, refused as `case_overdue`
///    naming the due moment;
/// 6. the case is not overdue now (the due given every suspension recorded): a record made after
///    the clock ran out cannot be back-dated to revive the case, whose applicant was not told in
///    time (`case_overdue` too);
/// 7. a back-dated start lies at most [`BACK_DATING_MAX_WORKING_DAYS`] working days before today
///    (`back_dated_too_far`).
///
/// Returns whether the start is back-dated ([`SuspensionStart`]); the service then demands the
/// reason with [`SuspensionStart::require_reason`].
/// Source: 行政许可法 第四十五条; Seed §二(三); issue #11 point 1.
pub fn check_new_suspension<C: WorkingDays + ?Sized>(
    new: &Suspension,
    item_procedures: &[SpecialProcedure],
    deadline: &Deadline,
    now: NaiveDateTime,
    cal: &C,
    hours: &BusinessHours,
) -> Result<SuspensionStart, DeadlineError> {
    check_suspension_allowed(new.procedure, item_procedures)?;
    if new.reason.trim().is_empty() {
        return Err(DeadlineError::EmptySuspensionReason);
    }
    let TimeLimit::Promised { working_days } = deadline.limit else {
        return Err(DeadlineError::NotForImmediateItems);
    };
    if new.start > now {
        return Err(DeadlineError::SuspensionStartInFuture {
            start: new.start,
            now,
        });
    }
    if new.start < deadline.clock_start {
        return Err(DeadlineError::SuspensionBeforeClockStart {
            start: new.start,
            clock_start: deadline.clock_start,
        });
    }
    if let Some(end) = new.end {
        check_end(new.start, end, now)?;
    }
    if let Some(existing) = deadline.suspensions.iter().find(|s| s.overlaps(new)) {
        return Err(DeadlineError::SuspensionsOverlap {
            existing_start: existing.start,
        });
    }
    // Not overlapping, every suspension that started before this one has ended by its start.
    let before: Vec<Suspension> = deadline
        .suspensions
        .iter()
        .filter(|s| s.start < new.start)
        .cloned()
        .collect();
    let n = working_days.saturating_add(deadline.extension.as_ref().map_or(0, |e| e.working_days));
    let walk = walk_promised(deadline.clock_start, n, &before, cal, hours)?;
    match (walk.overdue_when_suspended, walk.due) {
        (Some(due), _) => return Err(DeadlineError::CaseOverdue { due }),
        (None, Due::At(due)) if new.start >= due => return Err(DeadlineError::CaseOverdue { due }),
        _ => {}
    }
    let in_force = walk_promised(deadline.clock_start, n, &deadline.suspensions, cal, hours)?;
    match (in_force.overdue_when_suspended, in_force.due) {
        (Some(due), _) => return Err(DeadlineError::CaseOverdue { due }),
        (None, Due::At(due)) if now > due => return Err(DeadlineError::CaseOverdue { due }),
        _ => {}
    }
    let kind = SuspensionStart::of(new.start, now);
    if matches!(kind, SuspensionStart::BackDated { .. })
        && cal.working_days_between(new.start.date(), now.date())? > BACK_DATING_MAX_WORKING_DAYS
    {
        return Err(DeadlineError::BackDatedTooFar { start: new.start });
    }
    Ok(kind)
}

/// Checks the end of the open suspension `open` at `end`, at `now`: the suspension is still open,
/// and the end is after its start and not later than `now`.
/// Source: 行政许可法 第四十五条; issue #11 point 1.
pub fn check_resume(
    open: &Suspension,
    end: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), DeadlineError> {
    if let Some(ended) = open.end {
        return Err(DeadlineError::SuspensionNotOpen { end: ended });
    }
    check_end(open.start, end, now)
}

fn check_end(
    start: NaiveDateTime,
    end: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), DeadlineError> {
    if end <= start {
        return Err(DeadlineError::SuspensionEndsBeforeStart { start, end });
    }
    if end > now {
        return Err(DeadlineError::ResumeInFuture { end, now });
    }
    Ok(())
}

impl Deadline {
    /// The due the case would have if every open suspension ended at `at` (the procedure resumed
    /// now): what an extension request made while suspended is judged against. Open suspensions
    /// that started after `at` are treated as not begun.
    /// Source: 行政许可法 第四十二条, 第四十五条; issue #11 point 2.
    pub fn due_if_resumed_at<C: WorkingDays + ?Sized>(
        &self,
        at: NaiveDateTime,
        cal: &C,
        hours: &BusinessHours,
    ) -> Result<Due, DeadlineError> {
        self.resumed_at(at).due(cal, hours)
    }

    /// This deadline with every open suspension ended at `at`.
    pub(super) fn resumed_at(&self, at: NaiveDateTime) -> Deadline {
        let mut resumed = self.clone();
        resumed
            .suspensions
            .retain(|s| s.end.is_some() || s.start <= at);
        for s in &mut resumed.suspensions {
            if s.end.is_none() {
                s.end = Some(at);
            }
        }
        resumed
    }
}
