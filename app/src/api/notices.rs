//! Notices (文书): the written documents a case produces, numbered per unit, kind and year.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ApiError, Method, client::get, client::send};

/// The kinds of numbered documents (the seed's attachments 5–11 and the written notices of
/// suspension and extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 受理通知书 (附件5)
    AcceptanceNotice,
    /// 一次性补正告知书 (附件6)
    CorrectionNotice,
    /// 不予受理通知书 (附件7)
    NonAcceptanceNotice,
    /// 准予（行政许可）决定书
    ApprovalDecision,
    /// 不予（行政许可）决定书 (附件8)
    DenialDecision,
    /// 告知承诺书：告知书与承诺书 (附件10、11)
    CommitmentNotice,
    /// 特别程序（中止计时）告知书
    SuspensionNotice,
    /// 延期办理告知书
    ExtensionNotice,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 8] = [
        NoticeKind::AcceptanceNotice,
        NoticeKind::CorrectionNotice,
        NoticeKind::NonAcceptanceNotice,
        NoticeKind::ApprovalDecision,
        NoticeKind::DenialDecision,
        NoticeKind::CommitmentNotice,
        NoticeKind::SuspensionNotice,
        NoticeKind::ExtensionNotice,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NoticeKind::AcceptanceNotice => "acceptance_notice",
            NoticeKind::CorrectionNotice => "correction_notice",
            NoticeKind::NonAcceptanceNotice => "non_acceptance_notice",
            NoticeKind::ApprovalDecision => "approval_decision",
            NoticeKind::DenialDecision => "denial_decision",
            NoticeKind::CommitmentNotice => "commitment_notice",
            NoticeKind::SuspensionNotice => "suspension_notice",
            NoticeKind::ExtensionNotice => "extension_notice",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The document's title. Licensing items say 行政许可; other items say 办理.
    pub fn title(self, licensing: bool) -> &'static str {
        match (self, licensing) {
            (NoticeKind::AcceptanceNotice, _) => "受理通知书",
            (NoticeKind::CorrectionNotice, _) => "一次性补正告知书",
            (NoticeKind::NonAcceptanceNotice, _) => "不予受理通知书",
            (NoticeKind::ApprovalDecision, true) => "准予行政许可决定书",
            (NoticeKind::ApprovalDecision, false) => "准予办理决定书",
            (NoticeKind::DenialDecision, true) => "不予行政许可决定书",
            (NoticeKind::DenialDecision, false) => "不予办理决定书",
            (NoticeKind::CommitmentNotice, _) => "告知承诺书",
            (NoticeKind::SuspensionNotice, _) => "特别程序告知书",
            (NoticeKind::ExtensionNotice, _) => "延期办理告知书",
        }
    }

    /// The word in the document number, e.g. 受 in 区市场监督管理局受字〔2026〕第00012号.
    pub fn number_word(self) -> &'static str {
        match self {
            NoticeKind::AcceptanceNotice => "受",
            NoticeKind::CorrectionNotice => "补",
            NoticeKind::NonAcceptanceNotice => "不受",
            NoticeKind::ApprovalDecision => "准",
            NoticeKind::DenialDecision => "不准",
            NoticeKind::CommitmentNotice => "诺",
            NoticeKind::SuspensionNotice => "特",
            NoticeKind::ExtensionNotice => "延",
        }
    }
}

/// A notice in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoticeSummary {
    pub id: i64,
    pub kind: NoticeKind,
    pub number: String,
    pub title: String,
    pub case_id: Option<i64>,
    pub issued_at: DateTime<Utc>,
    /// SHA-256 of the stored document.
    pub sha256: String,
    pub prints: i64,
}

/// A notice with its stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoticeView {
    pub summary: NoticeSummary,
    /// The document as issued (HTML fragment), never changed.
    pub html: String,
    /// The data it was rendered from.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub data: serde_json::Value,
}

/// Recording a print: the first is the original, every later one is marked 补打.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PrintRecord {
    pub notice_id: i64,
    pub reprint: bool,
    pub prints: i64,
}

pub async fn notice(id: i64) -> Result<NoticeView, ApiError> {
    get(format!("/api/v1/notices/{id}")).await
}

pub async fn record_print(id: i64) -> Result<PrintRecord, ApiError> {
    send::<(), PrintRecord>(Method::Post, format!("/api/v1/notices/{id}/prints"), None).await
}
