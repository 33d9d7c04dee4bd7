//! How an inquiry ended, as stored in `inquiry.outcome_detail`. Version 1 is the JSON of
//! `app::api::inquiries::InquiryOutcome` as it was when these types were written.

use app::api::inquiries::InquiryOutcome;
use serde::{Deserialize, Serialize};

/// `inquiry.outcome_detail`, version 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InquiryOutcomeV1 {
    HandledOnSpot {
        note: String,
    },
    GuideGiven {
        item_code: String,
    },
    InternalReferral {
        unit_id: i64,
        #[serde(default)]
        window_id: Option<i64>,
        #[serde(default)]
        note: Option<String>,
    },
    ExternalReferral {
        agency: String,
        address: String,
        phone: String,
    },
    Escalation {
        question: String,
    },
    BecameCase {
        case_id: i64,
    },
}

impl From<&InquiryOutcome> for InquiryOutcomeV1 {
    fn from(o: &InquiryOutcome) -> Self {
        match o {
            InquiryOutcome::HandledOnSpot { note } => Self::HandledOnSpot { note: note.clone() },
            InquiryOutcome::GuideGiven { item_code } => Self::GuideGiven {
                item_code: item_code.clone(),
            },
            InquiryOutcome::InternalReferral {
                unit_id,
                window_id,
                note,
            } => Self::InternalReferral {
                unit_id: *unit_id,
                window_id: *window_id,
                note: note.clone(),
            },
            InquiryOutcome::ExternalReferral {
                agency,
                address,
                phone,
            } => Self::ExternalReferral {
                agency: agency.clone(),
                address: address.clone(),
                phone: phone.clone(),
            },
            InquiryOutcome::Escalation { question } => Self::Escalation {
                question: question.clone(),
            },
            InquiryOutcome::BecameCase { case_id } => Self::BecameCase { case_id: *case_id },
        }
    }
}

impl From<InquiryOutcomeV1> for InquiryOutcome {
    fn from(o: InquiryOutcomeV1) -> Self {
        match o {
            InquiryOutcomeV1::HandledOnSpot { note } => Self::HandledOnSpot { note },
            InquiryOutcomeV1::GuideGiven { item_code } => Self::GuideGiven { item_code },
            InquiryOutcomeV1::InternalReferral {
                unit_id,
                window_id,
                note,
            } => Self::InternalReferral {
                unit_id,
                window_id,
                note,
            },
            InquiryOutcomeV1::ExternalReferral {
                agency,
                address,
                phone,
            } => Self::ExternalReferral {
                agency,
                address,
                phone,
            },
            InquiryOutcomeV1::Escalation { question } => Self::Escalation { question },
            InquiryOutcomeV1::BecameCase { case_id } => Self::BecameCase { case_id },
        }
    }
}
