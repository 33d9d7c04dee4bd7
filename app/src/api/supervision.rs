//! Supervision (Seed §三(三)(四), issue #13): problems found in the data or by hand, the
//! rectification list with 销号, 好差评 ratings and appeals, 约谈, the monthly report
//! (attachment 1), scores and the supervisor's overview.

use chrono::{DateTime, NaiveDate, Utc};
use rules::supervision::{
    MonthlyStatus, ProblemKind, ProblemSource, RatedSubject, RatingChannel, RatingIndicator,
    RatingLevel, ScoreBreakdown, SubmissionState,
};
use rules::{AppealStatus, RectificationStatus};
use serde::{Deserialize, Serialize};

use super::{
    ApiError, Method,
    client::{encode, get, get_page, send},
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProblemView {
    pub id: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub kind: ProblemKind,
    pub kind_label: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub source: ProblemSource,
    pub source_label: String,
    pub center_id: i64,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub window_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub staff_name: Option<String>,
    pub found_at: DateTime<Utc>,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub found_on: NaiveDate,
    pub description: String,
    /// What the problem was found on: `case`, `ticket`, `inquiry`, `rating`…
    pub evidence_kind: Option<String>,
    pub evidence_id: Option<i64>,
    /// The API path of the evidence, for the drill-down.
    pub evidence_link: Option<String>,
    /// Struck (a rating appeal was upheld).
    pub struck: bool,
    pub rectification_id: Option<i64>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub rectification_status: Option<RectificationStatus>,
    pub files: Vec<FileView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FileView {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

/// A problem entered by a supervisor from one of the four channels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewProblem {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub source: ProblemSource,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub kind: ProblemKind,
    pub unit_id: i64,
    #[serde(default)]
    pub window_id: Option<i64>,
    #[serde(default)]
    pub staff_id: Option<i64>,
    pub description: String,
    /// The case the problem was found on (a complaint about a case), if any.
    #[serde(default)]
    pub case_id: Option<i64>,
    /// Working days to rectify (default: the hall's setting).
    #[serde(default)]
    pub working_days: Option<u32>,
}

/// Working days a rectification may be given: 1 to 60.
pub const RECTIFICATION_DAYS: std::ops::RangeInclusive<u32> = 1..=60;

impl NewProblem {
    /// Every field a supervisor must fix before the problem is filed, all at once, in the form's
    /// order (the form showed one at a time, and "没有这个单位" for a unit not chosen). The
    /// server checks the same, then what needs the database.
    pub fn check(&self) -> Result<(), super::validate::Problems> {
        use super::validate::{Checks, Invalid, required_text};
        let mut checks = Checks::default();
        if self.unit_id <= 0 {
            checks.fail(Invalid::new("required", "unit_id", "请选择责任单位"));
        }
        checks.ok(required_text(
            &self.description,
            "description",
            "问题描述",
            500,
        ));
        if self
            .working_days
            .is_some_and(|d| !RECTIFICATION_DAYS.contains(&d))
        {
            checks.fail(Invalid::new(
                "working_days_out_of_range",
                "working_days",
                "整改时限须为 1 至 60 个工作日",
            ));
        }
        checks.finish(())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ProblemQuery {
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// Only the problems of this person (the 约谈 flags' drill-down).
    #[serde(default)]
    pub staff_id: Option<i64>,
    /// Found on or after this day.
    #[serde(default, deserialize_with = "rules::wire_date::optional")]
    pub from: Option<NaiveDate>,
    /// Found on or before this day.
    #[serde(default, deserialize_with = "rules::wire_date::optional")]
    pub to: Option<NaiveDate>,
    /// Page size (1 to 200, default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Where the previous page ended (its `Link: rel="next"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DetectorRun {
    /// Problems raised by this run (0 when run again on the same data).
    pub created: usize,
    /// By kind code.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub by_kind: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RectificationView {
    pub id: i64,
    pub problem_id: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub kind: ProblemKind,
    pub kind_label: String,
    pub source_label: String,
    pub description: String,
    pub center_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub staff_id: Option<i64>,
    pub staff_name: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: RectificationStatus,
    pub status_label: String,
    /// 整改情况 today: 已销号 / 整改中 / 逾期 (none when withdrawn).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub report_status: Option<MonthlyStatus>,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub found_on: NaiveDate,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub deadline: NaiveDate,
    pub measure: Option<String>,
    pub report_note: Option<String>,
    pub reported_at: Option<DateTime<Utc>>,
    pub close_note: Option<String>,
    #[serde(default, deserialize_with = "rules::wire_date::optional")]
    pub closed_on: Option<NaiveDate>,
    pub reopened: i32,
    pub version: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct RectificationQuery {
    /// `pending` (not closed nor withdrawn), or a status code: a [`RectificationFilter`].
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// Page size (1 to 200, default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Where the previous page ended (its `Link: rel="next"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl RectificationQuery {
    /// The items still to be fixed or checked, of every unit.
    pub fn pending() -> Self {
        RectificationQuery {
            status: Some(RectificationFilter::Pending.code().to_string()),
            unit_id: None,
            limit: None,
            cursor: None,
        }
    }

    /// The filter asked for (`None`: every item), or the code that names none.
    pub fn filter(&self) -> Result<Option<RectificationFilter>, String> {
        match self.status.as_deref().filter(|code| !code.is_empty()) {
            None => Ok(None),
            Some(code) => RectificationFilter::from_code(code)
                .map(Some)
                .ok_or_else(|| code.to_string()),
        }
    }
}

/// Which rectification items a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RectificationFilter {
    /// Neither closed out nor withdrawn (see `RectificationStatus::is_pending`).
    Pending,
    /// Those in one status.
    Status(RectificationStatus),
}

impl RectificationFilter {
    /// The code of the query string: `pending` or the status code.
    pub fn code(self) -> &'static str {
        match self {
            RectificationFilter::Pending => "pending",
            RectificationFilter::Status(s) => s.code(),
        }
    }

    /// The filter with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        let statuses = RectificationStatus::ALL.iter().map(|s| Self::Status(*s));
        std::iter::once(Self::Pending)
            .chain(statuses)
            .find(|f| f.code() == code)
    }
}

/// The responsible unit reports its fix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportFix {
    pub version: i64,
    /// 整改措施.
    pub measure: String,
    /// What was done, the evidence.
    pub note: String,
}

/// A supervisor's step: close out (销号), send back, reopen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SupervisorStep {
    pub version: i64,
    #[serde(default)]
    pub note: String,
}

/// Asks for the rating code of a served ticket, delivered case or kept appointment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RatingCodeRequest {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub subject: RatedSubject,
    pub subject_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RatingCodeView {
    pub code: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub subject: RatedSubject,
    pub subject_id: i64,
    /// What kind of service it rates, as the rating page says it (`RatingForm::subject_label`).
    pub subject_label: String,
    /// The service it rates, as the citizen knows it and as the rating page names it
    /// (`RatingForm::reference`): the ticket number and day, the case number, or the booking
    /// code with the slot's date and time.
    pub reference: String,
    /// The public page that rates it.
    pub page: String,
    /// The same page as an absolute address on this site's public origin (what the QR code
    /// holds).
    pub url: String,
    /// The QR code of `url`: a standalone `<svg>` element drawn on the server.
    pub qr_svg: String,
    /// When the citizen rated with it, if they did (一次一评: the code is not offered again).
    #[serde(default)]
    pub rated_at: Option<DateTime<Utc>>,
}

impl RatingCodeView {
    /// The code as printed: two groups of five, easier to read out and type (the rating page
    /// ignores the space).
    pub fn grouped(&self) -> String {
        let (a, b) = self.code.split_at(self.code.len().min(5));
        if b.is_empty() {
            a.to_string()
        } else {
            format!("{a} {b}")
        }
    }

    /// The page where a code is typed by hand (`/rate` on the same origin as `url`).
    pub fn entry_url(&self) -> String {
        self.url
            .strip_suffix(&self.page)
            .map(|origin| format!("{origin}/rate"))
            .unwrap_or_else(|| "/rate".into())
    }
}

/// What the public rating page shows for a code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RatingForm {
    pub code: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub subject: RatedSubject,
    pub subject_label: String,
    /// The ticket number and day, the case number, or the booking code with the slot's date
    /// and time.
    pub reference: String,
    pub unit_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub channel: RatingChannel,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub indicators: Vec<RatingIndicator>,
    pub already_rated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRating {
    /// 整体满意度.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub level: RatingLevel,
    /// The other indicators of the channel (default: the overall level), each a pair
    /// `[indicator, level]`, e.g. `[["efficiency", "satisfied"]]`.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Vec<String>>))]
    pub indicators: Vec<(RatingIndicator, RatingLevel)>,
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RatingView {
    pub id: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub subject: RatedSubject,
    pub subject_id: i64,
    /// The service as the citizen knows it: the case number, the ticket number and day, or the
    /// booking code.
    pub reference: String,
    /// The name and phone recorded with the service, for the unit's call-back (回访); none for
    /// a ticket taken at the kiosk.
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub unit_id: i64,
    pub unit_name: String,
    pub staff_id: Option<i64>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub level: RatingLevel,
    pub level_label: String,
    /// Pairs `[indicator, level]`.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Vec<String>>))]
    pub indicators: Vec<(RatingIndicator, RatingLevel)>,
    pub comment: Option<String>,
    pub rated_at: DateTime<Utc>,
    pub struck: bool,
    pub problem_id: Option<i64>,
    pub follow_up_at: Option<DateTime<Utc>>,
    pub follow_up_note: Option<String>,
    pub appeal: Option<AppealView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppealView {
    pub id: i64,
    pub rating_id: i64,
    pub reason: String,
    pub filed_at: DateTime<Utc>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: AppealStatus,
    pub status_label: String,
    pub decision_note: Option<String>,
    pub version: i64,
}

/// A recorded phone follow-up (回访) of a bad rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub note: String,
}

/// The unit's appeal against a rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAppeal {
    pub reason: String,
}

/// A supervisor's decision on an appeal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AppealDecision {
    pub version: i64,
    /// `true`: the rating was mistaken or abusive and is struck.
    pub uphold: bool,
    pub note: String,
}

/// A person or unit flagged for 约谈.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InterviewFlag {
    /// `staff` or `unit`.
    pub subject_kind: String,
    pub subject_id: i64,
    pub name: String,
    pub quarter: String,
    /// Its lapses in the quarter: problems not struck, those found on one case counted once.
    pub problems: u32,
    /// The hall's threshold it reached (problems per quarter, setting
    /// `interview_problems_per_quarter`).
    #[serde(default)]
    pub threshold: u32,
    /// Whether a 约谈 was recorded for it this quarter.
    pub held: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewInterview {
    pub subject_kind: String,
    pub subject_id: i64,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub held_on: NaiveDate,
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InterviewView {
    pub id: i64,
    pub subject_kind: String,
    pub subject_id: i64,
    pub name: String,
    pub quarter: String,
    pub problems: i32,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub held_on: NaiveDate,
    pub interviewer_name: String,
    pub outcome: String,
}

impl InterviewView {
    /// Records per page on the 约谈 page.
    pub const PAGE: u32 = 20;
}

/// 周巡查: this week's checklist (the configured items, in order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PatrolChecklist {
    /// The ISO week, e.g. `2026-W12`.
    pub week: String,
    pub items: Vec<String>,
}

/// One answered item of the weekly checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PatrolAnswerInput {
    /// Position of the item in the checklist (0-based).
    pub item: u32,
    /// Found as it should be.
    pub ok: bool,
    /// What was found (required for a finding).
    #[serde(default)]
    pub note: Option<String>,
    /// The unit responsible (required for a finding).
    #[serde(default)]
    pub unit_id: Option<i64>,
}

/// A weekly patrol of one center, every item of the checklist answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPatrol {
    pub center_id: i64,
    pub answers: Vec<PatrolAnswerInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PatrolAnswerView {
    pub item: u32,
    pub label: String,
    pub ok: bool,
    pub note: Option<String>,
    pub unit_id: Option<i64>,
    /// The problem a finding became.
    pub problem_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PatrolView {
    pub id: i64,
    pub center_id: i64,
    pub week: String,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub patrolled_on: NaiveDate,
    pub inspector_name: String,
    pub findings: u32,
    pub answers: Vec<PatrolAnswerView>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct PatrolQuery {
    /// An ISO week such as `2026-W12` (default: every week, newest first).
    #[serde(default)]
    pub week: Option<String>,
}

/// One row of attachment 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthlyRow {
    /// 序号.
    pub seq: u32,
    /// 单位.
    pub unit: String,
    /// 问题来源.
    pub source: String,
    /// 发现时间.
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub found_on: NaiveDate,
    /// 问题描述.
    pub description: String,
    /// 责任人.
    pub responsible: String,
    /// 整改措施.
    pub measure: String,
    /// 整改时限.
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub deadline: NaiveDate,
    /// 整改情况: 已销号 / 整改中 / 逾期.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: MonthlyStatus,
    /// 备注.
    pub note: String,
    pub rectification_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitSubmission {
    pub unit_id: i64,
    pub unit_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub state: SubmissionState,
    pub state_label: String,
    #[serde(default, deserialize_with = "rules::wire_date::optional")]
    pub submitted_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthlyReport {
    /// `YYYY-MM`.
    pub month: String,
    pub title: String,
    /// The date the 整改情况 is stated on (the month's last day, or today if earlier).
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub as_of: NaiveDate,
    pub rows: Vec<MonthlyRow>,
    pub closed: u32,
    pub in_progress: u32,
    pub overdue: u32,
    pub units: Vec<UnitSubmission>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// `YYYY-MM`.
    pub month: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitMonth {
    pub month: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScoreRow {
    /// `unit`, `window` or `staff`.
    pub level: String,
    pub id: i64,
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub breakdown: ScoreBreakdown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ScoreQuery {
    /// `unit` (default), `window` or `staff`.
    #[serde(default)]
    pub level: Option<String>,
    /// `YYYY-Qn` (default: this quarter) or `YYYY` for the year.
    #[serde(default)]
    pub period: Option<String>,
}

/// A labelled count (charts and their drill-down).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Bar {
    pub key: String,
    pub label: String,
    pub value: f64,
    /// The page that lists what is behind the figure.
    pub link: String,
}

/// One day's on-time rate: of the cases decided that day, the share decided by their due time.
/// A day on which nothing was decided has no rate (`value` null), not 100 %.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RateBar {
    /// The day, `YYYY-MM-DD`.
    pub key: String,
    /// The day as the chart names it (`3/12`).
    pub label: String,
    /// Percent, one decimal; none when nothing was decided.
    pub value: Option<f64>,
    /// How many cases were decided that day (what the rate is of).
    pub decided: u64,
    /// The page that lists the cases decided that day.
    pub link: String,
}

/// One center's queue now (日监控): who waits, how long they waited to be called today, and
/// the longest wait of anyone still waiting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CenterQueue {
    pub center_id: i64,
    pub center_name: String,
    pub waiting: u64,
    /// Mean wait of today's called tickets, minutes.
    pub mean_wait_minutes: f64,
    /// How long the longest-waiting ticket has waited so far, minutes.
    pub longest_wait_minutes: f64,
}

/// A case decided on a day, behind a bar of the on-time trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DecidedCase {
    pub id: i64,
    pub number: String,
    pub item_name: String,
    pub unit_name: String,
    pub decided_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub on_time: bool,
}

/// The cases behind one day of the on-time trend: late ones first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DecidedDay {
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub day: NaiveDate,
    pub decided: u64,
    pub on_time: u64,
    /// At most [`DecidedDay::LIMIT`] cases, late ones first; `decided` counts them all.
    pub cases: Vec<DecidedCase>,
}

impl DecidedDay {
    pub const LIMIT: u64 = 200;
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct DecidedQuery {
    /// The day (halls' time zone), `YYYY-MM-DD`.
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub day: NaiveDate,
}

pub async fn decided_cases(day: NaiveDate) -> Result<DecidedDay, ApiError> {
    get(format!("/api/v1/supervision/decided-cases?day={day}")).await
}

/// The supervisor's overview (日监控 and the trends).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Overview {
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub today: NaiveDate,
    pub open_problems: u64,
    pub pending_rectifications: u64,
    pub overdue_rectifications: u64,
    pub cases_overdue: u64,
    pub cases_near_due: u64,
    pub waiting_tickets: u64,
    /// Mean wait of today's called tickets, minutes.
    pub mean_wait_minutes: f64,
    pub duty_checked_in: u64,
    pub duty_expected: u64,
    /// Queues per center, today.
    #[serde(default)]
    pub queues: Vec<CenterQueue>,
    /// On-time rate of decided cases per day, the last 14 days (percent; none on a day when
    /// nothing was decided).
    pub on_time_trend: Vec<RateBar>,
    pub problems_by_kind: Vec<Bar>,
    pub problems_by_unit: Vec<Bar>,
    pub ratings: Vec<Bar>,
    pub follow_up_rate: f64,
    /// This month's bad ratings (the follow-up rate means nothing without one).
    #[serde(default)]
    pub bad_ratings: u64,
    pub monthly_reminder: Option<String>,
    /// Appeals of units against ratings that wait for a supervisor's decision (申诉复核).
    #[serde(default)]
    pub pending_appeals: u64,
}

pub async fn overview() -> Result<Overview, ApiError> {
    get("/api/v1/supervision/overview".into()).await
}

pub async fn problems(q: ProblemQuery) -> Result<Vec<ProblemView>, ApiError> {
    let mut path = "/api/v1/supervision/problems?".to_string();
    if let Some(k) = &q.kind {
        path.push_str(&format!("kind={}&", encode(k)));
    }
    if let Some(u) = q.unit_id {
        path.push_str(&format!("unit_id={u}&"));
    }
    if let Some(s) = q.staff_id {
        path.push_str(&format!("staff_id={s}&"));
    }
    if let Some(d) = q.from {
        path.push_str(&format!("from={d}&"));
    }
    if let Some(d) = q.to {
        path.push_str(&format!("to={d}&"));
    }
    get(path).await
}

pub async fn patrol_checklist() -> Result<PatrolChecklist, ApiError> {
    get("/api/v1/supervision/patrol-checklist".into()).await
}

pub async fn record_patrol(body: NewPatrol) -> Result<PatrolView, ApiError> {
    send(
        Method::Post,
        "/api/v1/supervision/patrols".into(),
        Some(&body),
    )
    .await
}

pub async fn problem(id: i64) -> Result<ProblemView, ApiError> {
    get(format!("/api/v1/supervision/problems/{id}")).await
}

pub async fn rectifications(q: RectificationQuery) -> Result<Vec<RectificationView>, ApiError> {
    let mut path = "/api/v1/supervision/rectifications?".to_string();
    if let Some(s) = &q.status {
        path.push_str(&format!("status={}&", encode(s)));
    }
    if let Some(u) = q.unit_id {
        path.push_str(&format!("unit_id={u}&"));
    }
    get(path).await
}

pub async fn close_out(id: i64, body: SupervisorStep) -> Result<RectificationView, ApiError> {
    let path = format!("/api/v1/supervision/rectifications/{id}/close");
    send(Method::Post, path, Some(&body)).await
}

/// `POST /api/v1/supervision/rectifications/{id}/send-back`: the fix is not enough; the unit
/// works on.
pub async fn send_back(id: i64, body: SupervisorStep) -> Result<RectificationView, ApiError> {
    let path = format!("/api/v1/supervision/rectifications/{id}/send-back");
    send(Method::Post, path, Some(&body)).await
}

/// `POST /api/v1/supervision/rating-codes`: the code of a served ticket, delivered case or kept
/// appointment (the same code every time), with its page's QR code.
pub async fn rating_code(
    subject: RatedSubject,
    subject_id: i64,
) -> Result<RatingCodeView, ApiError> {
    send(
        Method::Post,
        "/api/v1/supervision/rating-codes".into(),
        Some(&RatingCodeRequest {
            subject,
            subject_id,
        }),
    )
    .await
}

/// The cookie giving a refused rating form its comment back (one minute, HttpOnly, `/rate`
/// only): the comment had gone into the address, and so into the browser's history.
pub const RATING_TYPED_COOKIE: &str = "chuangkou_rating_typed";

/// The comment typed into a refused rating form, given to the page rendered on the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedComment(pub String);

pub async fn rating_form(code: &str) -> Result<RatingForm, ApiError> {
    get(format!("/api/v1/public/ratings/{}", encode(code))).await
}

pub async fn rate(code: &str, body: NewRating) -> Result<RatingView, ApiError> {
    let path = format!("/api/v1/public/ratings/{}", encode(code));
    send(Method::Post, path, Some(&body)).await
}

pub async fn monthly(month: String) -> Result<MonthlyReport, ApiError> {
    get(format!(
        "/api/v1/supervision/monthly?month={}",
        encode(&month)
    ))
    .await
}

/// 季考核 / 年评定: every active unit's (`unit`) or person's (`staff`) score for a period
/// (`2026Q1`, `2026`; none: this quarter), with the breakdown.
pub async fn scores(level: String, period: Option<String>) -> Result<Vec<ScoreRow>, ApiError> {
    let period = period
        .map(|p| format!("&period={}", encode(&p)))
        .unwrap_or_default();
    get(format!(
        "/api/v1/supervision/scores?level={}{period}",
        encode(&level)
    ))
    .await
}

/// Which ratings a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RatingFilter {
    /// Only this level (a bar of the overview's ratings chart).
    pub level: Option<String>,
    /// Only those whose unit's appeal waits for a decision (待复核申诉).
    pub appeal_pending: bool,
}

/// Ratings, newest first, as `filter` says.
pub async fn ratings(filter: RatingFilter) -> Result<Vec<RatingView>, ApiError> {
    let mut path = "/api/v1/supervision/ratings?".to_string();
    if let Some(l) = &filter.level {
        path.push_str(&format!("level={}&", encode(l)));
    }
    if filter.appeal_pending {
        path.push_str(&format!("appeal={}&", AppealStatus::Pending.code()));
    }
    get(path).await
}

/// Decides a unit's appeal (申诉复核); answers the rating with the appeal as decided.
pub async fn decide_appeal(id: i64, body: AppealDecision) -> Result<RatingView, ApiError> {
    let path = format!("/api/v1/supervision/appeals/{id}/decide");
    send(Method::Post, path, Some(&body)).await
}

/// 约谈: who is due a talk this quarter.
pub async fn interview_flags() -> Result<Vec<InterviewFlag>, ApiError> {
    get("/api/v1/supervision/interviews/flags".into()).await
}

/// A page of the 约谈 records, newest first, and the next page's cursor.
pub async fn interviews(
    cursor: Option<String>,
) -> Result<(Vec<InterviewView>, Option<String>), ApiError> {
    let after = cursor
        .map(|c| format!("&cursor={}", encode(&c)))
        .unwrap_or_default();
    get_page(format!(
        "/api/v1/supervision/interviews?limit={}{after}",
        InterviewView::PAGE
    ))
    .await
}

/// Records a 约谈.
pub async fn record_interview(body: NewInterview) -> Result<InterviewView, ApiError> {
    let path = "/api/v1/supervision/interviews".to_string();
    send(Method::Post, path, Some(&body)).await
}

/// Files a problem found by hand (明察暗访、群众投诉、视频监控、实地督查).
pub async fn create_problem(body: NewProblem) -> Result<ProblemView, ApiError> {
    let path = "/api/v1/supervision/problems".to_string();
    send(Method::Post, path, Some(&body)).await
}

/// Where an export job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportState {
    /// Reading the month's list and writing the file.
    Running,
    /// The file can be downloaded.
    Ready,
    /// It stopped; export again.
    Failed,
}

impl ExportState {
    pub fn label_zh(self) -> &'static str {
        match self {
            ExportState::Running => "正在导出",
            ExportState::Ready => "导出完成",
            ExportState::Failed => "导出失败",
        }
    }
}

/// The monthly report's XLSX made in the background, with its progress (the page polls it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExportJobView {
    pub id: i64,
    /// `YYYY-MM`.
    pub month: String,
    /// `running`, `ready` or `failed`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub state: ExportState,
    pub state_label: String,
    /// Items of the month's rectification list read so far, of `total`.
    pub done: u64,
    pub total: u64,
    /// 0–100; 100 only once the file is made.
    pub percent: u8,
    pub file_name: Option<String>,
    /// The API path of the file, once made.
    pub download: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

/// Starts making the month's XLSX; poll [`export_job`] for its progress.
pub async fn start_monthly_export(month: String) -> Result<ExportJobView, ApiError> {
    let path = "/api/v1/supervision/monthly/exports".to_string();
    send(Method::Post, path, Some(&SubmitMonth { month })).await
}

pub async fn export_job(id: i64) -> Result<ExportJobView, ApiError> {
    get(format!("/api/v1/supervision/monthly/exports/{id}")).await
}

/// A labelled count in the monthly bulletin (a kind of problem, a rating level).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulletinCount {
    pub code: String,
    pub label: String,
    pub count: u64,
}

/// 月通报: one unit's figures for a month (or the hall's, summed over every unit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitBulletin {
    /// `None` for the hall's total.
    pub unit_id: Option<i64>,
    pub unit_name: String,
    /// The month's cases for 限时办结: decided on time in the month, or gone overdue in it
    /// (decided after the due or not yet). Each case counts in one month only, so a published
    /// month does not change.
    pub decided: u64,
    /// Of those, decided by their due time.
    pub on_time: u64,
    /// Of those, overdue: due in the month and decided later or still open.
    pub late: u64,
    /// Percent, one decimal; 100 when nothing was decided.
    pub on_time_rate: f64,
    /// Problems found in the month (struck ones left out).
    pub problems: u64,
    /// Per kind, only the kinds found.
    pub problems_by_kind: Vec<BulletinCount>,
    /// The rectification items of the month's list (attachment 1), as of `as_of`.
    pub rectifications: u64,
    /// 已销号.
    pub closed: u64,
    /// 整改中.
    pub in_progress: u64,
    /// 逾期.
    pub overdue: u64,
    /// Ratings given in the month (struck ones left out).
    pub ratings: u64,
    /// Per level, all five.
    pub ratings_by_level: Vec<BulletinCount>,
    /// 非常满意, 满意 and 基本满意.
    pub satisfied: u64,
    /// Percent, one decimal; 100 when nothing was rated.
    pub satisfaction_rate: f64,
    /// 不满意 and 非常不满意.
    pub bad_ratings: u64,
    /// Bad ratings with their phone follow-up (回访) recorded.
    pub followed_up: u64,
    /// Percent, one decimal; 100 when there was no bad rating.
    pub follow_up_rate: f64,
}

/// 月通报: the bulletin of a month for one unit or for every unit with the hall's total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Bulletin {
    /// `YYYY-MM`.
    pub month: String,
    pub title: String,
    /// The day the figures are stated on (the month's last day, or today if earlier).
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub as_of: NaiveDate,
    pub units: Vec<UnitBulletin>,
    /// Every unit summed (only when all units are asked for).
    pub total: Option<UnitBulletin>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct BulletinQuery {
    /// `YYYY-MM`.
    pub month: String,
    /// One unit; absent: every unit (supervisors) or the caller's own unit (unit staff).
    #[serde(default)]
    pub unit_id: Option<i64>,
}

pub async fn bulletin(month: String, unit_id: Option<i64>) -> Result<Bulletin, ApiError> {
    let unit = unit_id.map(|u| format!("&unit_id={u}")).unwrap_or_default();
    get(format!(
        "/api/v1/supervision/bulletin?month={}{unit}",
        encode(&month)
    ))
    .await
}

/// The responsible unit reports its fix (整改措施, 整改情况) on an item it has to fix.
pub async fn report_fix(id: i64, body: ReportFix) -> Result<RectificationView, ApiError> {
    let path = format!("/api/v1/supervision/rectifications/{id}/report");
    send(Method::Post, path, Some(&body)).await
}

/// The unit's 差评 (不满意, 非常不满意), newest first (unit staff: their own unit's).
pub async fn bad_ratings() -> Result<Vec<RatingView>, ApiError> {
    get("/api/v1/supervision/ratings?bad=true".into()).await
}

/// Records the phone follow-up (回访) of a 差评 (the unit's chief representative).
pub async fn follow_up(id: i64, body: FollowUp) -> Result<RatingView, ApiError> {
    let path = format!("/api/v1/supervision/ratings/{id}/follow-up");
    send(Method::Post, path, Some(&body)).await
}

/// Files the unit's appeal (申诉复核) against a 差评 (the unit's chief representative).
pub async fn appeal(id: i64, body: NewAppeal) -> Result<RatingView, ApiError> {
    let path = format!("/api/v1/supervision/ratings/{id}/appeal");
    send(Method::Post, path, Some(&body)).await
}

/// The unit submits its month's rectification list (the unit's chief representative).
pub async fn submit_month(month: String) -> Result<UnitSubmission, ApiError> {
    let path = "/api/v1/supervision/monthly/submit".to_string();
    send(Method::Post, path, Some(&SubmitMonth { month })).await
}

/// The largest file the server keeps on a problem (its `MAX_FILE_BYTES`), checked in the browser
/// before sending.
pub const MAX_FILE_BYTES: u64 = 900 * 1024;

/// The kinds of file a problem keeps (JPEG and PNG photos, PDF).
pub const FILE_TYPES: [&str; 3] = ["image/jpeg", "image/png", "application/pdf"];

/// What is wrong with a file chosen in the browser (its declared type, its size), before it is
/// sent; `field` is the form's file field. The server checks the bytes again.
pub fn check_file(
    content_type: &str,
    size: u64,
    field: &str,
) -> Result<(), super::validate::Invalid> {
    use super::validate::Invalid;
    if !FILE_TYPES.contains(&content_type) {
        return Err(Invalid::new(
            "file_type",
            field,
            "只能上传 JPEG、PNG 照片或 PDF 文件",
        ));
    }
    if size == 0 || size > MAX_FILE_BYTES {
        return Err(Invalid::new(
            "file_size",
            field,
            format!("文件须为 1 字节至 {} KB", MAX_FILE_BYTES / 1024),
        ));
    }
    Ok(())
}

/// A file input of a page.
pub type FileInput = leptos::prelude::NodeRef<leptos::html::Input>;

/// A file chosen in the browser: its name, its declared type and its size in bytes.
pub type ChosenFile = (String, String, u64);

/// The file chosen in `input`, if any.
#[cfg(feature = "hydrate")]
pub fn chosen_file(input: FileInput) -> Option<ChosenFile> {
    use leptos::prelude::GetUntracked;
    let file = input.get_untracked()?.files()?.get(0)?;
    Some((file.name(), file.type_(), file.size() as u64))
}

#[cfg(not(feature = "hydrate"))]
pub fn chosen_file(_input: FileInput) -> Option<ChosenFile> {
    None
}

/// Sends the file chosen in `input` to problem `id` as the raw body, its type as the
/// `Content-Type` (the server checks the bytes against it); `None` when no file is chosen. Once
/// kept, the input is emptied, so that sending the form again does not attach it twice.
#[cfg(feature = "hydrate")]
pub async fn attach_chosen(id: i64, input: FileInput) -> Result<Option<FileView>, ApiError> {
    use super::client::decode;
    use leptos::prelude::GetUntracked;
    // The browser is single-threaded; the wrapper only satisfies the `Send` bound of actions.
    send_wrapper::SendWrapper::new(async move {
        let Some(file) = input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|l| l.get(0))
        else {
            return Ok(None);
        };
        let path = format!(
            "/api/v1/supervision/problems/{id}/files?name={}",
            encode(&file.name())
        );
        let content_type = file.type_();
        let response = gloo_net::http::RequestBuilder::new(&path)
            .method(gloo_net::http::Method::POST)
            .header("Content-Type", &content_type)
            .header("Accept", "application/json")
            .body(wasm_bindgen::JsValue::from(file))
            .map_err(ApiError::network)?
            .send()
            .await
            .map_err(|_| ApiError::connection_lost(true))?;
        let status = response.status();
        let text = response.text().await.map_err(ApiError::network)?;
        let kept = decode::<FileView>(status, &text)?;
        if let Some(i) = input.get_untracked() {
            i.set_value("");
        }
        Ok(Some(kept))
    })
    .await
}

#[cfg(not(feature = "hydrate"))]
pub async fn attach_chosen(_id: i64, _input: FileInput) -> Result<Option<FileView>, ApiError> {
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_checked_for_its_type_and_size_before_it_is_sent() {
        assert!(check_file("image/png", 1, "file").is_ok());
        assert!(check_file("application/pdf", MAX_FILE_BYTES, "file").is_ok());
        let word = check_file("application/msword", 10, "file").unwrap_err();
        assert_eq!((word.code, word.field.as_str()), ("file_type", "file"));
        assert_eq!(
            check_file("image/jpeg", MAX_FILE_BYTES + 1, "file")
                .unwrap_err()
                .code,
            "file_size"
        );
        assert_eq!(
            check_file("image/jpeg", 0, "file").unwrap_err().code,
            "file_size"
        );
    }
}
