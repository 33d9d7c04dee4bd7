//! `Deadline`: the time-limited completion engine (Seed §二(三) 限时办结制).
//!
//! The clock starts at acceptance (or the last correction, or receipt when deemed accepted);
//! promised items count working days after that day and end at close of business; special
//! procedures stop the clock; an approved extension adds working days; the status says on track,
//! near due, overdue or suspended. All times are the centre's local civil time; `now` is always an
//! argument.

mod acceptance;
mod compute;
mod error;
mod extension;
mod immediate_timer;
mod limit;
mod stage;
mod status;
mod suspension;
mod suspension_check;
mod timeliness;

#[cfg(test)]
mod tests;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::calendar::{WorkCalendar, WorkingDays};
use crate::hours::BusinessHours;

pub use acceptance::{
    ClockStartBasis, DEEMED_ACCEPTANCE_WORKING_DAYS, LATE_CORRECTION_MINUTES,
    acceptance_after_corrections_moment, clock_start, deemed_acceptance_moment, is_deemed_accepted,
};
pub use compute::{compute_due, compute_due_provisional};
pub use error::DeadlineError;
pub use error::zh_moment;
#[allow(deprecated)]
pub use extension::check_extension;
pub use extension::{
    Extension, ExtensionError, LICENSING_EXTENSION_BOUND, check_extension_request,
};
pub use immediate_timer::{BusinessClock, business_clock};
pub use limit::{Due, ProvisionalDue, TimeLimit};
pub use stage::{Stage, StageLimit, StageLimitError, stage_due, validate_stage_limits};
pub use status::{DeadlineStatus, Span, StatusThresholds, status_at, status_at_with_hours};
pub use suspension::{SpecialProcedure, Suspension, check_suspension_allowed};
pub use suspension_check::{
    BACK_DATING_TOLERANCE_MINUTES, SuspensionStart, check_new_suspension, check_resume,
};
pub use timeliness::{
    CompletedStage, DueChange, DueHistory, NoDueInForce, OnTimeRecord, Timeliness, on_time_record,
    timeliness,
};

/// Everything that decides a case's due: its limit, when its clock started, its suspensions and its
/// approved extension (at most one).
///
/// Source: Seed §二(三)二; 行政许可法 第四十二条, 第四十五条.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The item's limit.
    pub limit: TimeLimit,
    /// When the clock started ([`clock_start`]).
    pub clock_start: NaiveDateTime,
    /// Special procedures that stopped the clock.
    #[serde(default)]
    pub suspensions: Vec<Suspension>,
    /// The approved extension, if any.
    #[serde(default)]
    pub extension: Option<Extension>,
}

impl Deadline {
    /// A deadline without suspension or extension. Source: Seed §二(三)二.
    pub fn new(limit: TimeLimit, clock_start: NaiveDateTime) -> Self {
        Self {
            limit,
            clock_start,
            suspensions: Vec::new(),
            extension: None,
        }
    }

    /// The due (strict: a year not held is an error). See [`compute_due`].
    /// Source: Seed §二(三)二; 民法典 第二百零三条; 行政许可法 第四十二条, 第四十五条.
    pub fn due<C: WorkingDays + ?Sized>(
        &self,
        cal: &C,
        hours: &BusinessHours,
    ) -> Result<Due, DeadlineError> {
        compute_due(
            &self.limit,
            self.clock_start,
            &self.suspensions,
            self.extension.as_ref(),
            cal,
            hours,
        )
    }

    /// The due in the service layer's provisional mode. See [`compute_due_provisional`].
    /// Source: issue #4 unknown-year policy.
    pub fn due_provisional(
        &self,
        cal: &WorkCalendar,
        hours: &BusinessHours,
    ) -> Result<ProvisionalDue, DeadlineError> {
        compute_due_provisional(
            &self.limit,
            self.clock_start,
            &self.suspensions,
            self.extension.as_ref(),
            cal,
            hours,
        )
    }

    /// The status at `now`, immediate items in business minutes. See [`status_at_with_hours`].
    /// Source: Seed §二(三); issue #4; issue #11 point 4.
    pub fn status_at<C: WorkingDays + ?Sized>(
        &self,
        now: NaiveDateTime,
        cal: &C,
        hours: &BusinessHours,
        thresholds: &StatusThresholds,
    ) -> Result<DeadlineStatus, DeadlineError> {
        let due = self.due(cal, hours)?;
        status_at_with_hours(&due, &self.limit, now, cal, hours, thresholds)
    }
}
