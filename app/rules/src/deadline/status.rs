//! Where a case stands against its due: on track, near due, overdue or suspended.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::error::DeadlineError;
use super::limit::{Due, TimeLimit};
use crate::calendar::WorkingDays;
use crate::hours::BusinessHours;

/// An amount of time left or overrun: working days for promised items, minutes for immediate items.
///
/// Source: Seed §二(三)二 (即办件以分钟或小时计算，承诺件以工作日计算).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", content = "value", rename_all = "snake_case")]
pub enum Span {
    /// Working days (promised items).
    WorkingDays(u32),
    /// Minutes, rounded up (immediate items).
    Minutes(u64),
}

/// When a case counts as near due.
///
/// Source: issue #4 (near-due cases warn in advance; defaults ≤ 2 working days, ≤ 20 % of the
/// minutes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusThresholds {
    /// Promised items: near due when at most this many working days are left after today.
    pub near_due_working_days: u32,
    /// Immediate items: near due when at most this percentage of the limit is left.
    pub near_due_percent: u32,
}

impl Default for StatusThresholds {
    /// 2 working days; 20 %. Source: issue #4.
    fn default() -> Self {
        Self {
            near_due_working_days: 2,
            near_due_percent: 20,
        }
    }
}

impl StatusThresholds {
    /// The last day whose due counts as near due seen on `today` (a promised item due on it
    /// has at most [`Self::near_due_working_days`] working days left after today): the day a
    /// list of near-due cases reaches to, the same rule as each case's own status.
    /// Source: issue #4; an examiner found an overview counting 48 clock hours instead.
    pub fn near_due_through<C: WorkingDays + ?Sized>(
        &self,
        today: NaiveDate,
        cal: &C,
    ) -> Result<NaiveDate, DeadlineError> {
        Ok(cal.add_working_days(today, self.near_due_working_days)?)
    }
}

/// The status of a case at a moment.
///
/// Source: Seed §二(三)四 (坚决杜绝…导致办件超期); issue #4 (NearDue, Overdue, Suspended).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// Comfortably within the limit.
    OnTrack {
        /// Time left.
        remaining: Span,
    },
    /// Within the warning threshold.
    NearDue {
        /// Time left.
        remaining: Span,
    },
    /// Past the due moment.
    Overdue {
        /// How far past: working days after the due date (0 = overdue since close of business that
        /// day), or minutes.
        overdue_by: Span,
    },
    /// The clock is stopped by a special procedure.
    Suspended,
}

impl DeadlineStatus {
    /// Stable snake_case code (as serialised). Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::OnTrack { .. } => "on_track",
            Self::NearDue { .. } => "near_due",
            Self::Overdue { .. } => "overdue",
            Self::Suspended => "suspended",
        }
    }

    /// The Chinese label shown on the workbench. Source: issue #5 (near-due amber, overdue red).
    pub fn label_zh(&self) -> &'static str {
        match self {
            Self::OnTrack { .. } => "正常",
            Self::NearDue { .. } => "临近到期",
            Self::Overdue { .. } => "已超期",
            Self::Suspended => "暂停计时",
        }
    }
}

/// The status at local moment `now` of a case due at `due` under `limit`.
///
/// Promised: remaining = working days in `(today, due date]` (0 on the due date itself); near due
/// when ≤ `near_due_working_days`. Immediate: remaining minutes of wall-clock time (see
/// [`status_at_with_hours`] for business minutes); near due when ≤ `near_due_percent` % of the
/// limit. Overdue as soon as `now` is past the due moment.
/// Source: Seed §二(三); issue #4 status rules.
pub fn status_at<C: WorkingDays + ?Sized>(
    due: &Due,
    limit: &TimeLimit,
    now: NaiveDateTime,
    cal: &C,
    thresholds: &StatusThresholds,
) -> Result<DeadlineStatus, DeadlineError> {
    let Due::At(due_at) = *due else {
        return Ok(DeadlineStatus::Suspended);
    };
    if now > due_at {
        let overdue_by = match limit {
            TimeLimit::Promised { .. } => {
                Span::WorkingDays(to_u32(cal.working_days_between(due_at.date(), now.date())?))
            }
            TimeLimit::Immediate { .. } => Span::Minutes(minutes_up(now - due_at)),
        };
        return Ok(DeadlineStatus::Overdue { overdue_by });
    }
    let (remaining, near) = match *limit {
        TimeLimit::Promised { .. } => {
            let left = to_u32(cal.working_days_between(now.date(), due_at.date())?);
            (
                Span::WorkingDays(left),
                left <= thresholds.near_due_working_days,
            )
        }
        TimeLimit::Immediate { minutes } => {
            let left = due_at - now;
            (
                Span::Minutes(minutes_up(left)),
                is_near(left, minutes, thresholds),
            )
        }
    };
    Ok(if near {
        DeadlineStatus::NearDue { remaining }
    } else {
        DeadlineStatus::OnTrack { remaining }
    })
}

/// [`status_at`] with immediate items counted in business minutes: the minutes left (or overrun)
/// are the business time between `now` and the due moment
/// ([`BusinessHours::business_time_between`]), so a countdown stands still over the noon break and
/// the night. Promised items as [`status_at`].
/// Source: Seed §二(三)二 (即办件以分钟或小时计算); issue #4 status rules; issue #11 point 4.
pub fn status_at_with_hours<C: WorkingDays + ?Sized>(
    due: &Due,
    limit: &TimeLimit,
    now: NaiveDateTime,
    cal: &C,
    hours: &BusinessHours,
    thresholds: &StatusThresholds,
) -> Result<DeadlineStatus, DeadlineError> {
    let (TimeLimit::Immediate { minutes }, Due::At(due_at)) = (*limit, *due) else {
        return status_at(due, limit, now, cal, thresholds);
    };
    if now > due_at {
        let over = hours.business_time_between(due_at, now, cal)?;
        return Ok(DeadlineStatus::Overdue {
            overdue_by: Span::Minutes(minutes_up(over)),
        });
    }
    let left = hours.business_time_between(now, due_at, cal)?;
    let remaining = Span::Minutes(minutes_up(left));
    Ok(if is_near(left, minutes, thresholds) {
        DeadlineStatus::NearDue { remaining }
    } else {
        DeadlineStatus::OnTrack { remaining }
    })
}

fn is_near(left: TimeDelta, minutes: u32, thresholds: &StatusThresholds) -> bool {
    i128::from(left.num_seconds()) * 100
        <= i128::from(thresholds.near_due_percent) * i128::from(minutes) * 60
}

fn to_u32(k: i64) -> u32 {
    u32::try_from(k.max(0)).unwrap_or(u32::MAX)
}

fn minutes_up(span: TimeDelta) -> u64 {
    let seconds = u64::try_from(span.num_seconds().max(0)).unwrap_or(0);
    seconds.div_ceil(60)
}
