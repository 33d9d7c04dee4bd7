//! When the clock starts, and deemed acceptance (行政许可法 第三十二条).

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::error::DeadlineError;
use crate::calendar::WorkingDays;
use crate::hours::BusinessHours;

/// Working days after receipt within which the review must answer (correction notice or decision).
/// Source: 行政许可法 第三十二条 (当场或者在五日内一次告知), 第八十二条 (working days); Seed
/// §二(二)四.
pub const DEEMED_ACCEPTANCE_WORKING_DAYS: u32 = 5;

/// How an application came to be accepted, which decides when its clock starts.
///
/// Source: Seed §二(三)二 (办结时限从受理申请之时开始计算…从全部补齐材料之时计算…自收到申请材料之时
/// 即视为受理); 行政许可法 第三十二条.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClockStartBasis {
    /// Accepted on review without corrections.
    Accepted {
        /// Moment of acceptance.
        accepted_at: NaiveDateTime,
    },
    /// Accepted after a correction notice: the clock starts when the last correction was received.
    AcceptedAfterCorrection {
        /// Moment the last corrected material was received.
        last_correction_received_at: NaiveDateTime,
    },
    /// No correction notice in time: deemed accepted from receipt.
    DeemedAccepted,
}

/// The moment the clock starts: at acceptance; after corrections, at receipt of the last
/// correction; when deemed accepted, at receipt. A moment before receipt is an error.
///
/// Source: Seed §二(三)二; 行政许可法 第三十二条.
pub fn clock_start(
    received_at: NaiveDateTime,
    basis: &ClockStartBasis,
) -> Result<NaiveDateTime, DeadlineError> {
    let at = match *basis {
        ClockStartBasis::Accepted { accepted_at } => accepted_at,
        ClockStartBasis::AcceptedAfterCorrection {
            last_correction_received_at,
        } => last_correction_received_at,
        ClockStartBasis::DeemedAccepted => received_at,
    };
    if at < received_at {
        return Err(DeadlineError::BeforeReceipt { at, received_at });
    }
    Ok(at)
}

/// The moment after which an unanswered application is deemed accepted: close of business on the
/// 5th working day after the day of receipt (moved to the next day with business if the centre is
/// closed).
///
/// Source: 行政许可法 第三十二条 (逾期不告知的，自收到申请材料之日起即为受理); Seed §二(二)四;
/// 民法典 第二百零一条, 第二百零三条.
pub fn deemed_acceptance_moment<C: WorkingDays + ?Sized>(
    received_at: NaiveDateTime,
    cal: &C,
    hours: &BusinessHours,
) -> Result<NaiveDateTime, DeadlineError> {
    let last_day = cal.add_working_days(received_at.date(), DEEMED_ACCEPTANCE_WORKING_DAYS)?;
    Ok(hours.close_of_business_on_or_after(last_day, cal)?)
}

/// How long before closing a last correction counts as handed in after closing: a clerk still
/// serving the applicant (the last hour of a session is when extended service may begin) is
/// not to be deemed late at closing, seconds after the papers came in.
/// Source: product rule, after Seed §二(二)四 (必须即时受理) and §二(四) (延时服务).
pub const LATE_CORRECTION_MINUTES: i64 = 60;

/// The moment by which an application whose every correction is in must be accepted: close of
/// business on the day the last one was received; the next day with business when the centre is
/// closed that day, or when it came in after closing (in extended service) or within
/// [`LATE_CORRECTION_MINUTES`] of it. Past it, the application is deemed accepted as of that
/// receipt.
///
/// Source: Seed §二(二)四 (申请人按照要求提交全部补正材料的，必须即时受理); 行政许可法 第三十二条.
pub fn acceptance_after_corrections_moment<C: WorkingDays + ?Sized>(
    last_correction_at: NaiveDateTime,
    cal: &C,
    hours: &BusinessHours,
) -> Result<NaiveDateTime, DeadlineError> {
    let day = last_correction_at.date();
    let close = hours.close_of_business_on_or_after(day, cal)?;
    if close - last_correction_at >= TimeDelta::minutes(LATE_CORRECTION_MINUTES) {
        return Ok(close);
    }
    let next = day.succ_opt().unwrap_or(day);
    Ok(hours.close_of_business_on_or_after(next, cal)?)
}

/// Whether the application is deemed accepted at `now`: neither a correction notice nor a decision
/// on acceptance (accept / not accept) was given by the [`deemed_acceptance_moment`], and `now` is
/// past it. The clock then starts at receipt ([`ClockStartBasis::DeemedAccepted`]) and a violation
/// is recorded.
///
/// Source: 行政许可法 第三十二条; Seed §二(二)四 (逾期不告知的，自收到申请材料之日起即为受理).
pub fn is_deemed_accepted<C: WorkingDays + ?Sized>(
    received_at: NaiveDateTime,
    correction_notice_at: Option<NaiveDateTime>,
    acceptance_decision_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
    cal: &C,
    hours: &BusinessHours,
) -> Result<bool, DeadlineError> {
    let moment = deemed_acceptance_moment(received_at, cal, hours)?;
    let answered_in_time = [correction_notice_at, acceptance_decision_at]
        .into_iter()
        .flatten()
        .any(|at| at <= moment);
    Ok(!answered_in_time && now > moment)
}
