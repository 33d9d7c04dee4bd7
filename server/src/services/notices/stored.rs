//! A notice's data as `notice.data` stores it: the store owns that format
//! (`store::documents::notice`), and these conversions are written out field by field so that
//! renaming a field of `NoticeData` breaks the build instead of every stored notice.

use super::data::{DeficiencyLine, NoticeBody, NoticeData};
use crate::{
    error::AppResult,
    store::documents::{
        self,
        notice::{DeficiencyLineV1, NoticeBodyV1, NoticeDoc},
    },
};

impl NoticeData {
    /// Reads a stored `notice.data`.
    pub fn from_stored(json: &str) -> AppResult<Self> {
        documents::notice(json).map(Into::into)
    }

    /// What `notice.data` stores for this notice.
    pub fn to_stored(&self) -> AppResult<String> {
        documents::notice_json(&NoticeDoc::from(self))
    }
}

impl From<&NoticeData> for NoticeDoc {
    fn from(d: &NoticeData) -> Self {
        Self {
            kind: d.kind.into(),
            number: d.number.clone(),
            title: d.title.clone(),
            issued_on: d.issued_on,
            licensing: d.licensing,
            unit_name: d.unit_name.clone(),
            center_name: d.center_name.clone(),
            center_address: d.center_address.clone(),
            center_phone: d.center_phone.clone(),
            applicant_name: d.applicant_name.clone(),
            case_number: d.case_number.clone(),
            item_code: d.item_code.clone(),
            item_name: d.item_name.clone(),
            received_on: d.received_on,
            body: (&d.body).into(),
        }
    }
}

impl From<NoticeDoc> for NoticeData {
    fn from(d: NoticeDoc) -> Self {
        Self {
            kind: d.kind.into(),
            number: d.number,
            title: d.title,
            issued_on: d.issued_on,
            licensing: d.licensing,
            unit_name: d.unit_name,
            center_name: d.center_name,
            center_address: d.center_address,
            center_phone: d.center_phone,
            applicant_name: d.applicant_name,
            case_number: d.case_number,
            item_code: d.item_code,
            item_name: d.item_name,
            received_on: d.received_on,
            body: d.body.into(),
        }
    }
}

impl From<&NoticeBody> for NoticeBodyV1 {
    fn from(b: &NoticeBody) -> Self {
        match b.clone() {
            NoticeBody::Acceptance {
                accepted_on,
                limit_label,
                due,
                due_provisional,
                deemed,
                clock_from_correction,
                special_procedures,
                in_minutes,
                drawn_up_at,
            } => Self::Acceptance {
                accepted_on,
                limit_label,
                due,
                due_provisional,
                deemed,
                clock_from_correction,
                special_procedures: special_procedures
                    .iter()
                    .map(|p| p.code().to_string())
                    .collect(),
                in_minutes,
                drawn_up_at,
            },
            NoticeBody::Correction {
                deficiencies,
                exception_reason,
                in_minutes,
            } => Self::Correction {
                deficiencies: deficiencies
                    .into_iter()
                    .map(|l| DeficiencyLineV1 {
                        material: l.material,
                        problem: l.problem,
                    })
                    .collect(),
                exception_reason,
                in_minutes,
            },
            NoticeBody::NonAcceptance {
                ground,
                competent_authority,
            } => Self::NonAcceptance {
                ground,
                competent_authority,
            },
            NoticeBody::Approval {
                decided_on,
                content,
            } => Self::Approval {
                decided_on,
                content,
            },
            NoticeBody::Denial {
                decided_on,
                reasons,
            } => Self::Denial {
                decided_on,
                reasons,
            },
            NoticeBody::Commitment {
                standards,
                deferred_materials,
                deferred_within_working_days,
                follow_up_check_on,
                legal_basis,
                deferred_by,
            } => Self::Commitment {
                standards,
                deferred_materials,
                deferred_within_working_days,
                follow_up_check_on,
                legal_basis,
                deferred_by,
            },
            NoticeBody::Suspension {
                procedure,
                reason,
                start_date,
                expected_working_days,
            } => Self::Suspension {
                procedure,
                reason,
                start_date,
                expected_working_days,
            },
            NoticeBody::Extension {
                days,
                reason,
                new_due,
                new_due_provisional,
            } => Self::Extension {
                days,
                reason,
                new_due,
                new_due_provisional,
            },
        }
    }
}

impl From<NoticeBodyV1> for NoticeBody {
    fn from(b: NoticeBodyV1) -> Self {
        match b {
            NoticeBodyV1::Acceptance {
                accepted_on,
                limit_label,
                due,
                due_provisional,
                deemed,
                clock_from_correction,
                special_procedures,
                in_minutes,
                drawn_up_at,
            } => Self::Acceptance {
                accepted_on,
                limit_label,
                due,
                due_provisional,
                deemed,
                clock_from_correction,
                // A code this build does not know was never written by it: left out.
                special_procedures: special_procedures
                    .iter()
                    .filter_map(|c| rules::SpecialProcedure::from_code(c))
                    .collect(),
                in_minutes,
                drawn_up_at,
            },
            NoticeBodyV1::Correction {
                deficiencies,
                exception_reason,
                in_minutes,
            } => Self::Correction {
                deficiencies: deficiencies
                    .into_iter()
                    .map(|l| DeficiencyLine {
                        material: l.material,
                        problem: l.problem,
                    })
                    .collect(),
                exception_reason,
                in_minutes,
            },
            NoticeBodyV1::NonAcceptance {
                ground,
                competent_authority,
            } => Self::NonAcceptance {
                ground,
                competent_authority,
            },
            NoticeBodyV1::Approval {
                decided_on,
                content,
            } => Self::Approval {
                decided_on,
                content,
            },
            NoticeBodyV1::Denial {
                decided_on,
                reasons,
            } => Self::Denial {
                decided_on,
                reasons,
            },
            NoticeBodyV1::Commitment {
                standards,
                deferred_materials,
                deferred_within_working_days,
                follow_up_check_on,
                legal_basis,
                deferred_by,
            } => Self::Commitment {
                standards,
                deferred_materials,
                deferred_within_working_days,
                follow_up_check_on,
                legal_basis,
                deferred_by,
            },
            NoticeBodyV1::Suspension {
                procedure,
                reason,
                start_date,
                expected_working_days,
            } => Self::Suspension {
                procedure,
                reason,
                start_date,
                expected_working_days,
            },
            NoticeBodyV1::Extension {
                days,
                reason,
                new_due,
                new_due_provisional,
            } => Self::Extension {
                days,
                reason,
                new_due,
                new_due_provisional,
            },
        }
    }
}
