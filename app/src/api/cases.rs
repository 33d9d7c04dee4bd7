//! Cases (applications) as the API carries them, and the calls that move them.

use chrono::{DateTime, NaiveDate, Utc};
use rules::{
    Decision, SpecialProcedure, Stage, TimeLimit,
    ids::MobilePhone,
    review::{Jurisdiction, MaterialReview, ReviewOutcome},
};
use serde::{Deserialize, Serialize};

use super::{
    ApiError, Method,
    catalog::ServiceItem,
    client::{after, encode, every_page, get, send},
    notices::NoticeSummary,
    validate::{Checks, Invalid, Problems, required_text},
};

/// A person (居民身份证) or a company (统一社会信用代码).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    Person,
    Company,
}

impl ApplicantKind {
    pub fn code(self) -> &'static str {
        match self {
            ApplicantKind::Person => "person",
            ApplicantKind::Company => "company",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [ApplicantKind::Person, ApplicantKind::Company]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// How the application or inquiry came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 窗口
    Counter,
    /// 电话
    Phone,
    /// 网上
    Online,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Counter, Channel::Phone, Channel::Online];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Counter => "counter",
            Channel::Phone => "phone",
            Channel::Online => "online",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Counter => "窗口",
            Channel::Phone => "电话",
            Channel::Online => "网上",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    pub kind: ApplicantKind,
    pub name: String,
    /// 18-digit resident ID (person) or unified social credit code (company).
    pub id_number: String,
}

/// What the clerk enters to receive an application; the time of receipt is the server's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReceiveCase {
    pub item_code: String,
    pub applicant: ApplicantInput,
    /// Mainland mobile number.
    pub phone: String,
    pub channel: Channel,
    /// The first inquiry this application came from, if any (its outcome becomes "a case").
    #[serde(default)]
    pub inquiry_id: Option<i64>,
    /// The keys of the item's materials handed in at the counter, listed on the 收件凭证
    /// (absent: not recorded one by one; the review then tells what was there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub materials: Option<Vec<String>>,
}

/// The checked identity of an applicant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedApplicant {
    pub kind: ApplicantKind,
    pub name: String,
    pub id_number: String,
    /// Parsed once, here: every written form of one number is the same value.
    pub phone: MobilePhone,
}

impl ReceiveCase {
    /// The same checks in the browser and on the server, on the hall's `today`: GB 11643 check
    /// digit and a birth date from 1900 up to today for a person, GB 32100 (division code digits,
    /// check character) for a company, mainland mobile number in any usual written form.
    /// Every field is checked, and every problem told (`Problems`).
    pub fn check_applicant(&self, today: NaiveDate) -> Result<CheckedApplicant, Problems> {
        let mut checks = Checks::default();
        let name = checks.value(required_text(
            &self.applicant.name,
            "applicant.name",
            "申请人名称",
            100,
        ));
        let id_number = checks.value(match self.applicant.kind {
            ApplicantKind::Person => {
                rules::ids::ResidentId::parse_as_of(&self.applicant.id_number, today)
                    .map(|id| id.as_str().to_string())
                    .map_err(|e| {
                        Invalid::new("invalid_resident_id", "applicant.id_number", e.to_string())
                    })
            }
            ApplicantKind::Company => {
                rules::ids::UnifiedSocialCreditCode::parse(&self.applicant.id_number)
                    .map(|c| c.as_str().to_string())
                    .map_err(|e| {
                        Invalid::new("invalid_credit_code", "applicant.id_number", e.to_string())
                    })
            }
        });
        let phone = MobilePhone::parse(&self.phone)
            .map_err(|e| Invalid::new("invalid_phone", "phone", e.to_string()));
        let phone = checks.value(phone.map(Some));
        // With no problem kept, the phone was read.
        let Some(phone) = checks.finish(phone)? else {
            return Err(Invalid::new("invalid_phone", "phone", "请填写手机号码").into());
        };
        Ok(CheckedApplicant {
            kind: self.applicant.kind,
            name,
            id_number,
            phone,
        })
    }
}

/// A case in a list: enough for the workbench to sort by urgency and count down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub id: i64,
    pub number: String,
    pub item_code: String,
    pub item_name: String,
    pub unit_id: i64,
    pub center_id: i64,
    pub owner_id: i64,
    pub owner_name: String,
    pub applicant_name: String,
    /// `rules::CaseState` code (e.g. `received`, `in_review`).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub state: rules::CaseState,
    pub state_label: String,
    /// 受理/审查/决定/送达 while the case runs.
    pub stage: Option<String>,
    pub received_at: DateTime<Utc>,
    /// When review must have an outcome (close of business, 5th working day after receipt).
    pub review_due_at: Option<DateTime<Utc>>,
    /// The due moment; `None` before acceptance, while suspended, or after the end.
    pub due_at: Option<DateTime<Utc>>,
    /// The due date shown used a year whose holidays are not published yet (「暂定」): before
    /// acceptance the review's (`review_due_at`), after it the case's (`due_at`).
    pub due_provisional: bool,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub time_limit: TimeLimit,
    pub version: i64,
    /// The due moment the case ran past, if it did (kept after the decision).
    #[serde(default)]
    pub overdue_at: Option<DateTime<Utc>>,
    /// Whether the decision kept the due in force then; `None` before the decision.
    #[serde(default)]
    pub decided_on_time: Option<bool>,
}

impl CaseSummary {
    /// The stage running now, read from its name.
    pub fn current_stage(&self) -> Option<rules::Stage> {
        let name = self.stage.as_deref()?;
        rules::Stage::ALL.into_iter().find(|s| s.label_zh() == name)
    }
}

/// One acceptance review as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewRecord {
    pub round: i32,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub verdicts: Vec<MaterialReview>,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub outcome: ReviewOutcome,
    pub reviewed_by: String,
    pub reviewed_at: DateTime<Utc>,
    /// Keys of the materials judged handed in that neither the 收件凭证 nor a correction had
    /// registered: handed over at this review (empty when the receipt listed none one by one).
    #[serde(default)]
    pub handed_in: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SuspensionRecord {
    pub id: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub procedure: SpecialProcedure,
    /// The local date of the start.
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub start_date: NaiveDate,
    /// The local date of the end.
    #[serde(default, deserialize_with = "rules::wire_date::optional")]
    pub end_date: Option<NaiveDate>,
    /// When the clock stopped (records made by date only: 00:00 of that date).
    pub start_at: DateTime<Utc>,
    /// When it ran again.
    pub end_at: Option<DateTime<Utc>>,
    pub reason: String,
    /// Why a back-dated start was recorded late.
    pub backdate_reason: Option<String>,
    /// Who recorded the start, and the end.
    #[serde(default)]
    pub recorded_by: String,
    #[serde(default)]
    pub ended_by: Option<String>,
}

/// The due in force from a moment on: of the case, or of one stage (`stage`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DueRecord {
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub stage: Option<Stage>,
    pub effective_at: DateTime<Utc>,
    /// `None` while the clock is stopped.
    pub due_at: Option<DateTime<Utc>>,
    pub due_provisional: bool,
    /// `accepted` · `deemed_accepted` · `handled_on_the_spot` · `stage_started` · `suspended` ·
    /// `resumed` · `extended` · `calendar`
    pub cause: String,
    pub cause_label: String,
}

/// A step taken — the decision or a completed stage — against the due in force then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StepRecord {
    /// `decision`, or `stage_acceptance` · `stage_review` · `stage_decision` · `stage_delivery`.
    pub step: String,
    /// 决定, 受理环节, 审查环节 …
    pub label: String,
    pub done_at: DateTime<Utc>,
    /// The due in force when it was taken (`None`: decided at acceptance, or clock stopped).
    pub due_at: Option<DateTime<Utc>>,
    /// `on_time` · `late` · `clock_stopped`
    pub timeliness: String,
    /// 按时办结 · 超期办结 · 暂停计时期间办结
    pub timeliness_label: String,
    pub on_time: bool,
}

/// Whether the case kept its limits, as recorded at each step (限时办结; supervision reads it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseTimeliness {
    /// The due moment the case ran past, if it did.
    pub overdue_at: Option<DateTime<Utc>>,
    /// The due moment in force when the decision was taken.
    pub decision_due_at: Option<DateTime<Utc>>,
    /// Whether the decision kept it; `None` before the decision.
    pub decided_on_time: Option<bool>,
    /// Every due in force, oldest first.
    pub dues: Vec<DueRecord>,
    /// The decision and each completed stage with a limit.
    pub steps: Vec<StepRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExtensionRecord {
    pub id: i64,
    pub case_id: i64,
    pub case_number: String,
    pub item_name: String,
    pub days: i32,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    /// `pending` | `approved` | `refused`
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: rules::RequestStatus,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    /// The due moment the request was made against.
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OneTimeExceptionRecord {
    pub id: i64,
    pub case_id: i64,
    pub case_number: String,
    pub material_keys: Vec<String>,
    /// The materials' names, in the order of `material_keys` (the chief reads names, not keys).
    #[serde(default)]
    pub material_names: Vec<String>,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    /// `pending` | `approved` | `refused` | `used`
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: rules::RequestStatus,
    #[serde(default)]
    pub decided_at: Option<DateTime<Utc>>,
    /// The chief's reason for a refusal, or a note on an approval.
    #[serde(default)]
    pub decision_note: Option<String>,
}

/// Everything about one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub applicant_kind: ApplicantKind,
    pub applicant_id_number: String,
    pub applicant_phone: String,
    pub channel: Channel,
    pub inquiry_id: Option<i64>,
    /// The item as it was when the case was received.
    pub item: ServiceItem,
    pub accepted_at: Option<DateTime<Utc>>,
    pub clock_start_at: Option<DateTime<Utc>>,
    pub first_correction_at: Option<DateTime<Utc>>,
    pub last_correction_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision: Option<String>,
    pub decision_reasons: Option<String>,
    #[serde(default, deserialize_with = "rules::wire_date::optional")]
    pub follow_up_check_on: Option<NaiveDate>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub delivery_method: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub feedback: Option<String>,
    /// Who took the decision, delivered it and closed the case (absent for steps taken
    /// before the names were kept).
    #[serde(default)]
    pub decided_by: Option<String>,
    #[serde(default)]
    pub delivered_by: Option<String>,
    #[serde(default)]
    pub closed_by: Option<String>,
    pub reviews: Vec<ReviewRecord>,
    pub corrections: Vec<CorrectionRecord>,
    pub suspensions: Vec<SuspensionRecord>,
    pub extensions: Vec<ExtensionRecord>,
    pub one_time_exceptions: Vec<OneTimeExceptionRecord>,
    pub notices: Vec<NoticeSummary>,
    /// The due at each step and whether the decision and each stage were on time.
    #[serde(default)]
    pub timeliness: CaseTimeliness,
    /// Whether the owner (首问负责人) can still act: a deactivated owner's case waits for the
    /// chief representative to hand it over.
    #[serde(default = "owner_active_by_default")]
    pub owner_active: bool,
    /// The case's handovers from one owner to another, oldest first.
    #[serde(default)]
    pub handovers: Vec<HandoverRecord>,
}

fn owner_active_by_default() -> bool {
    true
}

/// A case handed from one owner to another by the unit's chief representative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HandoverRecord {
    pub from_staff_id: i64,
    pub from_name: String,
    pub to_staff_id: i64,
    pub to_name: String,
    pub reason: String,
    pub handed_over_by: String,
    pub handed_over_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CorrectionRecord {
    pub material_keys: Vec<String>,
    pub received_at: DateTime<Utc>,
    /// Who registered them.
    #[serde(default)]
    pub received_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseList {
    pub items: Vec<CaseSummary>,
    /// The `cursor` of the next page (also in the `Link` and `X-Next-Cursor` headers); absent
    /// on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Most urgent first: the earliest moment something is due (review or completion), then
/// suspended and finished cases; the same order on the server (one page) and in the browser
/// (every page).
pub fn sort_by_urgency(items: &mut [CaseSummary]) {
    items.sort_by_key(|c| {
        (
            c.due_at.or(c.review_due_at).is_none(),
            c.due_at.or(c.review_due_at),
            c.id,
        )
    });
}

/// Which cases a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseScope {
    /// The caller's own (as first-inquiry owner).
    #[default]
    Mine,
    /// The caller's unit's.
    Unit,
    /// Every case (supervisors).
    All,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    #[serde(default)]
    pub scope: Option<CaseScope>,
    /// Open cases only (the default) or all.
    #[serde(default)]
    pub include_closed: Option<bool>,
    /// Cases per page: 1 to 200, default 100 (keyset pages in order of receipt; each page
    /// sorted most urgent first).
    #[serde(default)]
    pub limit: Option<u32>,
    /// The next page's cursor, from the previous answer's `Link` / `X-Next-Cursor`.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Only the case of this application number (hyphens optional), finished ones included.
    #[serde(default)]
    pub number: Option<String>,
}

/// The acceptance review (一次性告知): a verdict for every material.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub version: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub verdicts: Vec<MaterialReview>,
    /// Conditions of conditional materials that apply to this applicant.
    #[serde(default)]
    pub conditions_apply: Vec<String>,
    /// Competent by default; otherwise not subject to approval, or another authority's.
    #[serde(default = "competent")]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub jurisdiction: Jurisdiction,
    /// 告知承诺制: the applicant has signed the commitment.
    #[serde(default)]
    pub commitment_signed: bool,
}

fn competent() -> Jurisdiction {
    Jurisdiction::Competent
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewResult {
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub outcome: ReviewOutcome,
    pub case: CaseDetail,
    /// The notices this review issued.
    pub notices: Vec<NoticeSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VersionOnly {
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CorrectionReceipt {
    pub version: i64,
    /// The materials handed in (keys of the correction notice's items).
    pub material_keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OneTimeExceptionRequest {
    /// Materials the first correction notice did not name.
    pub material_keys: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SuspendRequest {
    pub version: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub procedure: SpecialProcedure,
    pub reason: String,
    /// When the procedure began; defaults to now. A start more than 15 minutes back is
    /// back-dated and needs `backdate_reason`.
    #[serde(default)]
    pub start_at: Option<DateTime<Utc>>,
    /// Why the start is recorded late (kept in the audit record).
    #[serde(default)]
    pub backdate_reason: Option<String>,
    /// Older clients: the start day (today: now; an earlier day: 00:00 of it). `start_at` wins.
    #[serde(default, deserialize_with = "rules::wire_date::optional")]
    pub start_date: Option<NaiveDate>,
    /// 所需时间: the working days the procedure is expected to take (1–120), told to the
    /// applicant in the notice (行政许可法 第四十五条: 应当将所需时间书面告知申请人).
    #[serde(default)]
    pub expected_working_days: Option<u32>,
}

/// The working days a special procedure may be expected to take.
pub const EXPECTED_PROCEDURE_DAYS: std::ops::RangeInclusive<u32> = 1..=120;

impl SuspendRequest {
    /// Every field the clerk must fix before the clock can stop, all at once (the form said one
    /// problem at a time: a missing reason hid a wrong number of days until the next attempt).
    /// What needs the case (the start against the deadline) is the server's to check after.
    pub fn check(&self) -> Result<(), super::validate::Problems> {
        use super::validate::{Checks, Invalid, optional_text, required_text};
        let mut checks = Checks::default();
        checks.ok(required_text(
            &self.reason,
            "reason",
            "中止计时的理由",
            2000,
        ));
        checks.ok(optional_text(
            self.backdate_reason.as_deref(),
            "backdate_reason",
            "补录理由",
            2000,
        ));
        if self
            .expected_working_days
            .is_some_and(|d| !EXPECTED_PROCEDURE_DAYS.contains(&d))
        {
            checks.fail(Invalid::new(
                "expected_days_out_of_range",
                "expected_working_days",
                "预计所需时间须为 1–120 个工作日（不确定的可不填）",
            ));
        }
        checks.finish(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResumeRequest {
    pub version: i64,
    /// When the procedure ended; defaults to now.
    #[serde(default)]
    pub end_at: Option<DateTime<Utc>>,
    /// Older clients: the first day counted again (today: now; an earlier day: 00:00 of it).
    /// `end_at` wins.
    #[serde(default, deserialize_with = "rules::wire_date::optional")]
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtensionRequest {
    pub version: i64,
    pub days: u32,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApprovalDecisionInput {
    pub approve: bool,
    /// Required for a refusal: the reason, told to the clerk who asked.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub version: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub decision: Decision,
    /// Required for a denial: the facts and the legal grounds.
    #[serde(default)]
    pub reasons: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeliveryRequest {
    pub version: i64,
    /// 当场领取 / 邮寄送达 / 电子送达 …
    pub method: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    pub version: i64,
    /// The feedback given to the applicant on the result (首问负责: the owner follows up).
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WithdrawRequest {
    pub version: i64,
    pub reason: String,
}

/// Hands an open case to another clerk of its unit, who becomes its owner (首问负责人) and follows
/// it to the end (the unit's chief representative; e.g. the owner left or is away).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HandoverRequest {
    pub version: i64,
    /// The clerk who takes the case over: active, a clerk of the case's unit.
    pub to_staff_id: i64,
    pub reason: String,
}

/// What a citizen sees of a case: no personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicCaseStatus {
    pub number: String,
    pub item_name: String,
    pub unit_name: String,
    pub state: String,
    pub state_label: String,
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub received_on: NaiveDate,
    pub due_at: Option<DateTime<Utc>>,
    pub due_provisional: bool,
    pub suspended: bool,
    pub notices: Vec<PublicNotice>,
    /// The current stage in plain words.
    #[serde(default)]
    pub stage_text: String,
    /// Working days from today to the due date (0: it ends today; negative: passed); `None`
    /// while no promised clock runs.
    #[serde(default)]
    pub working_days_left: Option<i64>,
    /// The due moment has passed (the case is late, even on the due day after its hour).
    #[serde(default)]
    pub past_due: bool,
    /// What the applicant must still do (empty: nothing).
    #[serde(default)]
    pub applicant_todo: Vec<String>,
    /// What happened to the case, newest first.
    #[serde(default)]
    pub history: Vec<PublicHistoryEntry>,
    /// While the case waits for its review (收件, not yet accepted): the date the 收件凭证
    /// promised, counted as if accepted on the day of receipt (the page showed "—").
    #[serde(default, deserialize_with = "rules::wire_date::optional")]
    pub promised_date: Option<NaiveDate>,
    #[serde(default)]
    pub promised_provisional: bool,
    /// The service center that handles the case and its telephone: where the applicant asks,
    /// above all about a case past its promised date (the page named no one to ask).
    #[serde(default)]
    pub center_name: String,
    #[serde(default)]
    pub center_phone: String,
}

/// One line of a case's history as the applicant sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicHistoryEntry {
    pub at: DateTime<Utc>,
    pub text: String,
}

/// One material handed in at receipt, as the 收件凭证 lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReceivedMaterial {
    pub key: String,
    pub name: String,
    /// "原件及复印件 1 份，纸质" as the guide states it.
    pub description: String,
}

/// 收件凭证: what the applicant takes home at receipt (printable on A4, readable on a phone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseReceipt {
    pub case_id: i64,
    pub number: String,
    pub item_code: String,
    pub item_name: String,
    pub unit_name: String,
    pub center_name: String,
    pub center_address: String,
    pub center_phone: String,
    pub applicant_name: String,
    pub received_at: DateTime<Utc>,
    /// Whether the materials were recorded one by one at receipt.
    pub materials_recorded: bool,
    pub materials: Vec<ReceivedMaterial>,
    /// "承诺件，5 个工作日" / "即办件，1 小时内办结".
    pub time_limit_label: String,
    /// The acceptance review's answer is due by then (5 working days; later: deemed accepted).
    pub review_due_at: Option<DateTime<Utc>>,
    /// That moment rests on a year whose calendar is not yet published: 暂定, as the promised
    /// date beside it (the receipt marked one and not the other).
    #[serde(default)]
    pub review_due_provisional: bool,
    /// The promised completion date if the application is accepted on the day of receipt
    /// (`None` for an immediate item).
    #[serde(default, deserialize_with = "rules::wire_date::optional")]
    pub promised_date: Option<NaiveDate>,
    /// The calendar of that year is not yet published: guessed from the law, 暂定.
    pub promised_provisional: bool,
    /// 查询码: with the case number, opens `/track` instead of the phone number (`None` for
    /// a case received before receipts were issued).
    pub lookup_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicNotice {
    pub title: String,
    pub issued_at: DateTime<Utc>,
}

pub async fn list(scope: CaseScope, include_closed: bool) -> Result<CaseList, ApiError> {
    let scope = match scope {
        CaseScope::Mine => "mine",
        CaseScope::Unit => "unit",
        CaseScope::All => "all",
    };
    // Every page, most urgent first over all of them.
    let items = every_page(|cursor| async move {
        let page: CaseList = get(format!(
            "/api/v1/cases?scope={scope}&include_closed={include_closed}&limit=200{}",
            after(cursor.as_deref())
        ))
        .await?;
        Ok((page.items, page.next_cursor))
    })
    .await?;
    let mut all = CaseList {
        items,
        next_cursor: None,
    };
    sort_by_urgency(&mut all.items);
    Ok(all)
}

/// The caller's unit's case of this application number (as typed), finished or not.
pub async fn find_by_number(number: &str) -> Result<Option<CaseSummary>, ApiError> {
    let page: CaseList = get(format!(
        "/api/v1/cases?scope=unit&number={}&limit=1",
        encode(number)
    ))
    .await?;
    Ok(page.items.into_iter().next())
}

pub async fn detail(id: i64) -> Result<CaseDetail, ApiError> {
    get(format!("/api/v1/cases/{id}")).await
}

pub async fn receipt(id: i64) -> Result<CaseReceipt, ApiError> {
    get(format!("/api/v1/cases/{id}/receipt")).await
}

pub async fn receive(body: ReceiveCase) -> Result<CaseDetail, ApiError> {
    send(Method::Post, "/api/v1/cases".into(), Some(&body)).await
}

pub async fn review(id: i64, body: ReviewRequest) -> Result<ReviewResult, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/cases/{id}/review"),
        Some(&body),
    )
    .await
}

pub async fn receive_correction(id: i64, body: CorrectionReceipt) -> Result<CaseDetail, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/cases/{id}/corrections"),
        Some(&body),
    )
    .await
}

/// `action` is one of the case's version-only steps: `start-review`, `to-decision`.
pub async fn step(id: i64, action: &str, version: i64) -> Result<CaseDetail, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/cases/{id}/{action}"),
        Some(&VersionOnly { version }),
    )
    .await
}

pub async fn suspend(id: i64, body: SuspendRequest) -> Result<CaseDetail, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/cases/{id}/suspensions"),
        Some(&body),
    )
    .await
}

pub async fn resume(id: i64, body: ResumeRequest) -> Result<CaseDetail, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/cases/{id}/resume"),
        Some(&body),
    )
    .await
}

pub async fn request_extension(id: i64, body: ExtensionRequest) -> Result<CaseDetail, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/cases/{id}/extensions"),
        Some(&body),
    )
    .await
}

pub async fn decide(id: i64, body: DecisionRequest) -> Result<CaseDetail, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/cases/{id}/decision"),
        Some(&body),
    )
    .await
}

pub async fn deliver(id: i64, body: DeliveryRequest) -> Result<CaseDetail, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/cases/{id}/delivery"),
        Some(&body),
    )
    .await
}

pub async fn close(id: i64, body: CloseRequest) -> Result<CaseDetail, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/cases/{id}/close"),
        Some(&body),
    )
    .await
}

pub async fn pending_extensions() -> Result<Vec<ExtensionRecord>, ApiError> {
    get("/api/v1/extensions?status=pending".into()).await
}

pub async fn decide_extension(
    id: i64,
    body: ApprovalDecisionInput,
) -> Result<ExtensionRecord, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/extensions/{id}/decision"),
        Some(&body),
    )
    .await
}

/// The cookie holding the cases this browser opened (number and phone or 查询码), so that
/// `/track` names a case by its number alone (see the server's `routes::holder`).
pub const CASE_HOLDER_COOKIE: &str = "chuangkou_case";
/// The cookie giving a refused look-up its typed phone and 查询码 back (one minute).
pub const TRACK_TYPED_COOKIE: &str = "chuangkou_track_typed";

/// What was typed into a refused look-up, given to the page rendered on the server (never in
/// the address: a phone typed into the number box would otherwise land there).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedLookup {
    pub phone: String,
    pub code: String,
    pub number: String,
}

/// A citizen's look at a case this browser has opened before (the `chuangkou_case` cookie).
pub async fn public_status_held(number: &str) -> Result<PublicCaseStatus, ApiError> {
    get(format!("/api/v1/public/cases/{}", encode(number))).await
}

/// A citizen's look at a case by its number and the whole mobile number given at receipt.
pub async fn public_status(number: &str, phone: &str) -> Result<PublicCaseStatus, ApiError> {
    get(format!(
        "/api/v1/public/cases/{}?phone={}",
        encode(number),
        encode(phone)
    ))
    .await
}

/// The same look-up with the receipt's 查询码 instead of the phone number.
pub async fn public_status_by_code(number: &str, code: &str) -> Result<PublicCaseStatus, ApiError> {
    get(format!(
        "/api/v1/public/cases/{}?code={}",
        encode(number),
        encode(code)
    ))
    .await
}
