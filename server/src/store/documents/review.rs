//! The acceptance review as stored: `case_review.verdicts` (a verdict per material) and
//! `case_review.outcome_detail`. Version 1 is the JSON of `rules::MaterialReview` and
//! `rules::ReviewOutcome` as they were when these types were written.

use chrono::NaiveDate;
use rules::{
    MaterialReview, ReviewOutcome,
    review::{Deficiency, DeficiencyKind, MaterialVerdict, NonAcceptanceGround},
};
use serde::{Deserialize, Serialize};

/// One element of `case_review.verdicts`, version 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialReviewV1 {
    pub key: String,
    pub verdict: VerdictV1,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum VerdictV1 {
    Ok,
    Missing,
    Nonconforming {
        reason: String,
    },
    CorrectedOnSpot {
        applicant_confirmed: bool,
        corrected_on: NaiveDate,
    },
}

/// `case_review.outcome_detail`, version 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum OutcomeV1 {
    Accept,
    AcceptAndHandleOnSpot,
    CorrectionRequired {
        deficiencies: Vec<DeficiencyV1>,
    },
    NotAccepted {
        ground: GroundV1,
        competent_authority: Option<String>,
    },
    CommitmentDecision {
        follow_up_check: NaiveDate,
        deferred_materials: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeficiencyV1 {
    pub key: String,
    pub name: String,
    pub kind: DeficiencyKindV1,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum DeficiencyKindV1 {
    Missing,
    Nonconforming { reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroundV1 {
    NotSubjectToApproval,
    NotWithinAuthority,
}

impl From<&MaterialReview> for MaterialReviewV1 {
    fn from(r: &MaterialReview) -> Self {
        Self {
            key: r.key.clone(),
            verdict: (&r.verdict).into(),
        }
    }
}

impl From<MaterialReviewV1> for MaterialReview {
    fn from(r: MaterialReviewV1) -> Self {
        Self {
            key: r.key,
            verdict: r.verdict.into(),
        }
    }
}

impl From<&MaterialVerdict> for VerdictV1 {
    fn from(v: &MaterialVerdict) -> Self {
        match v {
            MaterialVerdict::Ok => Self::Ok,
            MaterialVerdict::Missing => Self::Missing,
            MaterialVerdict::Nonconforming { reason } => Self::Nonconforming {
                reason: reason.clone(),
            },
            MaterialVerdict::CorrectedOnSpot {
                applicant_confirmed,
                corrected_on,
            } => Self::CorrectedOnSpot {
                applicant_confirmed: *applicant_confirmed,
                corrected_on: *corrected_on,
            },
        }
    }
}

impl From<VerdictV1> for MaterialVerdict {
    fn from(v: VerdictV1) -> Self {
        match v {
            VerdictV1::Ok => Self::Ok,
            VerdictV1::Missing => Self::Missing,
            VerdictV1::Nonconforming { reason } => Self::Nonconforming { reason },
            VerdictV1::CorrectedOnSpot {
                applicant_confirmed,
                corrected_on,
            } => Self::CorrectedOnSpot {
                applicant_confirmed,
                corrected_on,
            },
        }
    }
}

impl From<&ReviewOutcome> for OutcomeV1 {
    fn from(o: &ReviewOutcome) -> Self {
        match o {
            ReviewOutcome::Accept => Self::Accept,
            ReviewOutcome::AcceptAndHandleOnSpot => Self::AcceptAndHandleOnSpot,
            ReviewOutcome::CorrectionRequired { deficiencies } => Self::CorrectionRequired {
                deficiencies: deficiencies.iter().map(Into::into).collect(),
            },
            ReviewOutcome::NotAccepted {
                ground,
                competent_authority,
            } => Self::NotAccepted {
                ground: (*ground).into(),
                competent_authority: competent_authority.clone(),
            },
            ReviewOutcome::CommitmentDecision {
                follow_up_check,
                deferred_materials,
            } => Self::CommitmentDecision {
                follow_up_check: *follow_up_check,
                deferred_materials: deferred_materials.clone(),
            },
        }
    }
}

impl From<OutcomeV1> for ReviewOutcome {
    fn from(o: OutcomeV1) -> Self {
        match o {
            OutcomeV1::Accept => Self::Accept,
            OutcomeV1::AcceptAndHandleOnSpot => Self::AcceptAndHandleOnSpot,
            OutcomeV1::CorrectionRequired { deficiencies } => Self::CorrectionRequired {
                deficiencies: deficiencies.into_iter().map(Into::into).collect(),
            },
            OutcomeV1::NotAccepted {
                ground,
                competent_authority,
            } => Self::NotAccepted {
                ground: ground.into(),
                competent_authority,
            },
            OutcomeV1::CommitmentDecision {
                follow_up_check,
                deferred_materials,
            } => Self::CommitmentDecision {
                follow_up_check,
                deferred_materials,
            },
        }
    }
}

impl From<&Deficiency> for DeficiencyV1 {
    fn from(d: &Deficiency) -> Self {
        Self {
            key: d.key.clone(),
            name: d.name.clone(),
            kind: match &d.kind {
                DeficiencyKind::Missing => DeficiencyKindV1::Missing,
                DeficiencyKind::Nonconforming { reason } => DeficiencyKindV1::Nonconforming {
                    reason: reason.clone(),
                },
            },
        }
    }
}

impl From<DeficiencyV1> for Deficiency {
    fn from(d: DeficiencyV1) -> Self {
        Self {
            key: d.key,
            name: d.name,
            kind: match d.kind {
                DeficiencyKindV1::Missing => DeficiencyKind::Missing,
                DeficiencyKindV1::Nonconforming { reason } => {
                    DeficiencyKind::Nonconforming { reason }
                }
            },
        }
    }
}

impl From<NonAcceptanceGround> for GroundV1 {
    fn from(g: NonAcceptanceGround) -> Self {
        match g {
            NonAcceptanceGround::NotSubjectToApproval => Self::NotSubjectToApproval,
            NonAcceptanceGround::NotWithinAuthority => Self::NotWithinAuthority,
        }
    }
}

impl From<GroundV1> for NonAcceptanceGround {
    fn from(g: GroundV1) -> Self {
        match g {
            GroundV1::NotSubjectToApproval => Self::NotSubjectToApproval,
            GroundV1::NotWithinAuthority => Self::NotWithinAuthority,
        }
    }
}
