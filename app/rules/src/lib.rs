//! # rules — the four systems of the service hall as pure code
//!
//! The rules core of 政务窗口 (Chuangkou): the official work calendar, business hours, the deadline
//! engine, the acceptance review, the case state machine and applicant identifiers. The server
//! enforces them and the clerk's browser (WebAssembly) previews with the very same code.
//!
//! ## No IO
//! Nothing here reads a clock, a file, the network or a database. The shipped official calendar is
//! embedded at compile time (`include_str!`). `now`, the calendar and the business hours are
//! arguments. The crate builds for `wasm32-unknown-unknown`.
//!
//! ## Time model
//! Every rule works in the service centre's **local civil time** (China Standard Time, UTC+8, no
//! DST): `chrono::NaiveDate`, `NaiveTime` and `NaiveDateTime`. Business hours, working days and due
//! moments are local facts ("close of business at 17:00 on the 5th working day"). The server stores
//! instants in UTC and converts them to Asia/Shanghai local time before calling these functions,
//! and converts results back; the browser does the same. No function here knows about time zones or
//! UTC.
//!
//! ## Sources
//! Each public item's doc comment cites where its rule comes from:
//! - the seed notice (金凤区审批服务管理局, 2022-04-12) on
//!   首问负责、一次性告知、限时办结、延时服务, cited by section, e.g. "Seed §二(三)二";
//! - 行政许可法 第三十二条 (acceptance review; five days; deemed acceptance), 第四十二条 (extension
//!   by ten days), 第四十五条 (special procedures not counted), 第八十二条 (limits in working
//!   days);
//! - 民法典 第二百零一条 (the first day is not counted), 第二百零三条 (a period ends when business
//!   stops);
//! - 优化营商环境条例 第三十六条; the State Council's yearly holiday notices; GB 11643-1999;
//!   GB 32100-2015;
//! - the product's issues (#4 rules core, #5 cases, #6 queue, #11 rule fidelity) where the rule
//!   is a product decision.
//!
//! `RULES.md` next to this crate's `Cargo.toml` lists every rule with its source, including the
//! choices made where the seed is silent (what counts as 「可当即办结」, a back-dated suspension
//! and its tolerance, which working day a suspension takes out).
//!
//! ## Map
//! - [`calendar`]: [`WorkCalendar`] — working days, strict (unknown year → error) or provisional;
//!   working day, rest day or public holiday ([`DayKind`]).
//! - [`hours`]: [`BusinessHours`] — sessions, seasons, closures; open / close of business / next
//!   opening; business minutes.
//! - [`deadline`]: [`Deadline`] — clock start, deemed acceptance, due moments (immediate items in
//!   business minutes), suspensions from moment to moment ([`check_new_suspension`],
//!   [`check_resume`]), extension ([`check_extension_request`]), stage limits, status, and whether
//!   each step was on time ([`on_time_record`]).
//! - [`review`](mod@review): [`MaterialVerdict`] and the acceptance review ([`review()`]); the
//!   one-time rule against everything told before ([`ToldBefore`](review::ToldBefore)).
//! - [`case_state`]: [`CaseState`] and its transitions.
//! - [`lifecycle`]: the other typed lifecycles — [`TicketStatus`], [`AppointmentStatus`],
//!   [`RequestStatus`] (exceptions, extensions), [`InquiryStatus`].
//! - [`ids`]: [`ResidentId`], [`UnifiedSocialCreditCode`], [`MobilePhone`].
//! - [`supervision`]: problems, the rectification deadline and monthly report status, 好差评
//!   ratings, 约谈 and the score formula (Seed §三(三)(四)).
//! - [`extended`]: `ExtendedService` — tickets after close, noon ([`OnTheSpot`]) and close
//!   extensions, service on days off, the wait estimate, slot rules ([`SlotDays`]), the booking
//!   window and duty lateness.
//!
//! ## Example
//! A promised item of 5 working days accepted on Thursday 2026-02-12 at 10:00, across the Spring
//! Festival (02-15…02-23 off, Saturday 02-14 worked), at the district hall (close of business
//! 17:00):
//! ```
//! use chrono::NaiveDate;
//! use rules::{BusinessHours, Due, TimeLimit, WorkCalendar, compute_due};
//!
//! let cal = WorkCalendar::shipped();
//! let hours = BusinessHours::district_hall_default();
//! let accepted = NaiveDate::from_ymd_opt(2026, 2, 12).unwrap().and_hms_opt(10, 0, 0).unwrap();
//! let limit = TimeLimit::Promised { working_days: 5 };
//! let due = compute_due(&limit, accepted, &[], None, &cal, &hours).unwrap();
//! let expected = NaiveDate::from_ymd_opt(2026, 2, 26).unwrap().and_hms_opt(17, 0, 0).unwrap();
//! assert_eq!(due, Due::At(expected));
//!
//! // A year the calendar does not hold is an error, never a guess…
//! let new_year = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
//! assert_eq!(cal.add_working_days(new_year, 1).unwrap_err().code(), "calendar_year_unknown");
//! // …unless the service layer asks for the provisional (「暂定」) answer explicitly.
//! assert!(cal.add_working_days_provisional(new_year, 1).unwrap().provisional);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod calendar;
pub mod case_state;
pub mod deadline;
pub mod extended;
pub mod hours;
pub mod ids;
#[macro_use]
pub mod lifecycle;
pub mod review;
pub mod supervision;
pub mod tracking;
pub mod wire_date;

pub use calendar::{
    CalendarError, CalendarIssue, DayKind, DueDate, Holiday, MakeupWorkday, ProvisionalCalendar,
    WorkCalendar, WorkingDays, YearArrangement, shipped_years, validate_announced_year,
    validate_year,
};
pub use case_state::{CaseEvent, CaseState, Decision, IllegalTransition};
pub use deadline::{
    ClockStartBasis, Deadline, DeadlineError, DeadlineStatus, Due, DueChange, DueHistory,
    Extension, ExtensionError, OnTimeRecord, ProvisionalDue, Span, SpecialProcedure, Stage,
    StageLimit, StatusThresholds, Suspension, SuspensionStart, TimeLimit, Timeliness,
    check_extension_request, check_new_suspension, check_resume, compute_due,
    compute_due_provisional, on_time_record,
};
pub use extended::{ExtendedKind, OnTheSpot, SlotDays};
pub use hours::{BusinessHours, Closure, DaySchedule, HoursError, Season, Session, WeekSchedule};
pub use ids::{MobilePhone, ResidentId, UnifiedSocialCreditCode};
pub use lifecycle::{
    AppealEvent, AppealStatus, AppointmentEvent, AppointmentStatus, InquiryEvent, InquiryStatus,
    RectificationActor, RectificationEvent, RectificationStatus, RequestEvent, RequestKind,
    RequestStatus, TicketEvent, TicketState, TicketStatus,
};
pub use review::{
    Deficiency, Jurisdiction, MaterialReview, MaterialSpec, MaterialVerdict, ReviewError,
    ReviewInput, ReviewOutcome, review,
};
