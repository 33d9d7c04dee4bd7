//! First inquiries (首问负责): every contact is owned by the staff member who took it and ends in
//! exactly one outcome (Seed §二(一)).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    ApiError, Method,
    cases::Channel,
    client::{get, send},
    validate::{Checks, Problems, contact_phone, optional_text, required_text},
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewInquiry {
    pub channel: Channel,
    /// What the person asked about, in a few words.
    pub topic: String,
    #[serde(default)]
    pub item_code: Option<String>,
    #[serde(default)]
    pub applicant_name: Option<String>,
    #[serde(default)]
    pub applicant_phone: Option<String>,
}

/// A new inquiry's texts as checked: the topic, and the name and phone if given (trimmed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckedInquiry {
    pub topic: String,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
}

impl NewInquiry {
    /// Every problem of the form at once, each at its field (the page said one at a time, at
    /// its top). The item code is the server's to check against the catalog.
    pub fn check(&self) -> Result<CheckedInquiry, Problems> {
        let mut checks = Checks::default();
        let topic = checks.value(required_text(&self.topic, "topic", "咨询事项", 200));
        let name = self.applicant_name.as_deref();
        let applicant_name = checks.value(optional_text(name, "applicant_name", "姓名", 50));
        let phone = self.applicant_phone.as_deref();
        let phone = checks.value(optional_text(phone, "applicant_phone", "电话", 20));
        let applicant_phone = phone.and_then(|p| checks.ok(contact_phone(&p, "applicant_phone")));
        checks.finish(CheckedInquiry {
            topic,
            applicant_name,
            applicant_phone,
        })
    }
}

/// How an inquiry ends (exactly one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum InquiryOutcome {
    /// 当场解答/办理
    HandledOnSpot { note: String },
    /// 提供服务指南（一次性告知书）
    GuideGiven { item_code: String },
    /// 内部转办：to a unit (and window) of the same hall; the owner stays responsible until the
    /// receiver confirms.
    InternalReferral {
        unit_id: i64,
        #[serde(default)]
        window_id: Option<i64>,
        #[serde(default)]
        note: Option<String>,
    },
    /// 外部指引：another agency; name, address and phone are all required.
    ExternalReferral {
        agency: String,
        address: String,
        phone: String,
    },
    /// 提请首席代表协调
    Escalation { question: String },
    /// 转为办件
    BecameCase { case_id: i64 },
}

impl InquiryOutcome {
    pub fn code(&self) -> &'static str {
        match self {
            InquiryOutcome::HandledOnSpot { .. } => "handled_on_spot",
            InquiryOutcome::GuideGiven { .. } => "guide_given",
            InquiryOutcome::InternalReferral { .. } => "internal_referral",
            InquiryOutcome::ExternalReferral { .. } => "external_referral",
            InquiryOutcome::Escalation { .. } => "escalation",
            InquiryOutcome::BecameCase { .. } => "became_case",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            InquiryOutcome::HandledOnSpot { .. } => "当场解答",
            InquiryOutcome::GuideGiven { .. } => "已提供服务指南",
            InquiryOutcome::InternalReferral { .. } => "内部转办",
            InquiryOutcome::ExternalReferral { .. } => "外部指引",
            InquiryOutcome::Escalation { .. } => "提请首席代表",
            InquiryOutcome::BecameCase { .. } => "转为办件",
        }
    }

    /// The text fields each outcome needs, every one that is wrong told at once.
    pub fn validated(&self) -> Result<Self, Problems> {
        let mut checks = Checks::default();
        let checked = match self {
            InquiryOutcome::HandledOnSpot { note } => InquiryOutcome::HandledOnSpot {
                note: checks.value(required_text(note, "note", "解答内容", 500)),
            },
            InquiryOutcome::GuideGiven { item_code } => InquiryOutcome::GuideGiven {
                item_code: checks.value(required_text(item_code, "item_code", "服务指南", 40)),
            },
            InquiryOutcome::ExternalReferral {
                agency,
                address,
                phone,
            } => InquiryOutcome::ExternalReferral {
                agency: checks.value(required_text(agency, "agency", "指引单位名称", 100)),
                address: checks.value(required_text(address, "address", "指引单位地址", 200)),
                phone: checks.value(contact_phone(phone, "phone")),
            },
            InquiryOutcome::Escalation { question } => InquiryOutcome::Escalation {
                question: checks.value(required_text(question, "question", "需协调的问题", 1000)),
            },
            InquiryOutcome::InternalReferral {
                unit_id,
                window_id,
                note,
            } => InquiryOutcome::InternalReferral {
                unit_id: *unit_id,
                window_id: *window_id,
                note: checks.value(optional_text(note.as_deref(), "note", "转办说明", 500)),
            },
            other => other.clone(),
        };
        checks.finish(checked)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    pub version: i64,
    pub outcome: InquiryOutcome,
}

/// `open`: no outcome yet · `waiting`: referred or escalated, the owner still responsible ·
/// `closed`: ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InquiryView {
    pub id: i64,
    pub center_id: i64,
    pub unit_id: i64,
    pub owner_id: i64,
    pub owner_name: String,
    pub channel: Channel,
    pub topic: String,
    pub item_code: Option<String>,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: rules::InquiryStatus,
    pub outcome: Option<InquiryOutcome>,
    pub case_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub outcome_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub referral: Option<ReferralView>,
    pub escalation: Option<EscalationView>,
    /// Open, unconfirmed or unresolved past the hall's limit (supervision watches these).
    pub overdue: bool,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReferralView {
    pub id: i64,
    pub inquiry_id: i64,
    /// The unit of the inquiry referred (its owner's).
    pub from_unit_id: i64,
    pub to_unit_id: i64,
    pub to_unit_name: String,
    pub to_window_id: Option<i64>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub topic: String,
    pub from_name: String,
    /// Who to call back: the receiving clerk takes the inquiry on.
    #[serde(default)]
    pub applicant_name: Option<String>,
    #[serde(default)]
    pub applicant_phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EscalationView {
    pub id: i64,
    pub inquiry_id: i64,
    pub unit_id: i64,
    pub question: String,
    pub created_at: DateTime<Utc>,
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub topic: String,
    pub from_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    pub resolution: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    pub version: i64,
    /// What the owner told the applicant.
    pub note: String,
}

/// The owner's inquiries and what waits for the caller (referrals to confirm, escalations to
/// resolve).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InquiryInbox {
    pub mine: Vec<InquiryView>,
    pub referrals_to_confirm: Vec<ReferralView>,
    pub escalations_to_resolve: Vec<EscalationView>,
}

pub async fn create(body: NewInquiry) -> Result<InquiryView, ApiError> {
    send(Method::Post, "/api/v1/inquiries".into(), Some(&body)).await
}

pub async fn inbox() -> Result<InquiryInbox, ApiError> {
    get("/api/v1/inquiries/inbox".into()).await
}

pub async fn set_outcome(id: i64, body: OutcomeRequest) -> Result<InquiryView, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/inquiries/{id}/outcome"),
        Some(&body),
    )
    .await
}

pub async fn confirm_referral(id: i64) -> Result<ReferralView, ApiError> {
    send::<(), ReferralView>(
        Method::Post,
        format!("/api/v1/referrals/{id}/confirm"),
        None,
    )
    .await
}

pub async fn resolve_escalation(id: i64, body: ResolveRequest) -> Result<EscalationView, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/escalations/{id}/resolve"),
        Some(&body),
    )
    .await
}

pub async fn give_feedback(id: i64, body: FeedbackRequest) -> Result<InquiryView, ApiError> {
    send(
        Method::Post,
        format!("/api/v1/inquiries/{id}/feedback"),
        Some(&body),
    )
    .await
}
