//! What a notice says, as stored in `notice.data` beside the rendered document. Version 1 is the
//! JSON of the notice service's `NoticeData` as it was when these types were written.
//!
//! The notice service owns the in-memory form and converts it to and from [`NoticeDoc`] (the
//! store sits below the services and cannot name their types); the kind, an API type, converts
//! here.

use app::api::notices::NoticeKind;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The version the notice service reads and writes; older versions are upgraded on reading.
pub type NoticeDoc = NoticeDocV1;

/// `notice.data`, version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeDocV1 {
    pub kind: NoticeKindV1,
    pub number: String,
    pub title: String,
    pub issued_on: NaiveDate,
    pub licensing: bool,
    pub unit_name: String,
    pub center_name: String,
    pub center_address: String,
    pub center_phone: String,
    pub applicant_name: String,
    pub case_number: String,
    pub item_code: String,
    pub item_name: String,
    pub received_on: NaiveDate,
    pub body: NoticeBodyV1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKindV1 {
    AcceptanceNotice,
    CorrectionNotice,
    NonAcceptanceNotice,
    ApprovalDecision,
    DenialDecision,
    CommitmentNotice,
    SuspensionNotice,
    ExtensionNotice,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeBodyV1 {
    Acceptance {
        accepted_on: NaiveDate,
        limit_label: String,
        due: Option<NaiveDateTime>,
        due_provisional: bool,
        deemed: bool,
        /// Added after version 1 shipped, optional and left out when empty: rows without it
        /// read as `None` and are written back byte for byte (no new version needed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        clock_from_correction: Option<NaiveDate>,
        /// Added after version 1 shipped, as above: the codes of the item's special procedures.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        special_procedures: Vec<String>,
        /// Added after version 1 shipped, as above: the limit counts minutes (即办件).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        in_minutes: bool,
        /// Added after version 1 shipped, as above: the local moment the notice was drawn up.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        drawn_up_at: Option<NaiveDateTime>,
    },
    Correction {
        deficiencies: Vec<DeficiencyLineV1>,
        exception_reason: Option<String>,
        /// Added after version 1 shipped, optional and left out when false (rows without it
        /// read as false and are written back byte for byte): the item's limit counts minutes.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        in_minutes: bool,
    },
    NonAcceptance {
        ground: String,
        competent_authority: Option<String>,
    },
    Approval {
        decided_on: NaiveDate,
        content: String,
    },
    Denial {
        decided_on: NaiveDate,
        reasons: String,
    },
    Commitment {
        standards: Vec<String>,
        deferred_materials: Vec<String>,
        deferred_within_working_days: u32,
        follow_up_check_on: NaiveDate,
        /// Added after version 1 shipped (Seed §二(二)八: the notice names the law and its
        /// clauses): rows without it read as `None` and are written back byte for byte.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        legal_basis: Option<String>,
        /// The date the deferred materials are due, added likewise.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deferred_by: Option<NaiveDate>,
    },
    Suspension {
        procedure: String,
        reason: String,
        start_date: NaiveDate,
        /// Added after version 1 shipped, like `clock_from_correction`: rows without it read as
        /// `None` and are written back byte for byte.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected_working_days: Option<u32>,
    },
    Extension {
        days: u32,
        reason: String,
        new_due: Option<NaiveDateTime>,
        new_due_provisional: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeficiencyLineV1 {
    pub material: String,
    pub problem: String,
}

impl From<NoticeKind> for NoticeKindV1 {
    fn from(k: NoticeKind) -> Self {
        match k {
            NoticeKind::AcceptanceNotice => Self::AcceptanceNotice,
            NoticeKind::CorrectionNotice => Self::CorrectionNotice,
            NoticeKind::NonAcceptanceNotice => Self::NonAcceptanceNotice,
            NoticeKind::ApprovalDecision => Self::ApprovalDecision,
            NoticeKind::DenialDecision => Self::DenialDecision,
            NoticeKind::CommitmentNotice => Self::CommitmentNotice,
            NoticeKind::SuspensionNotice => Self::SuspensionNotice,
            NoticeKind::ExtensionNotice => Self::ExtensionNotice,
        }
    }
}

impl From<NoticeKindV1> for NoticeKind {
    fn from(k: NoticeKindV1) -> Self {
        match k {
            NoticeKindV1::AcceptanceNotice => Self::AcceptanceNotice,
            NoticeKindV1::CorrectionNotice => Self::CorrectionNotice,
            NoticeKindV1::NonAcceptanceNotice => Self::NonAcceptanceNotice,
            NoticeKindV1::ApprovalDecision => Self::ApprovalDecision,
            NoticeKindV1::DenialDecision => Self::DenialDecision,
            NoticeKindV1::CommitmentNotice => Self::CommitmentNotice,
            NoticeKindV1::SuspensionNotice => Self::SuspensionNotice,
            NoticeKindV1::ExtensionNotice => Self::ExtensionNotice,
        }
    }
}
