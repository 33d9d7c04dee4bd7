//! What a notice says, as data: rendered into the document, shown by the API, and stored beside
//! the document in the store's own format (see `stored`).

use app::api::notices::NoticeKind;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The parts every notice shares, and its kind-specific body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeData {
    pub kind: NoticeKind,
    /// Filled in when issued.
    pub number: String,
    pub title: String,
    pub issued_on: NaiveDate,
    /// Licensing items say 行政许可 in titles.
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
    pub body: NoticeBody,
}

/// One deficiency line of a correction notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeficiencyLine {
    pub material: String,
    /// 缺少 / 不符合法定形式：理由
    pub problem: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeBody {
    Acceptance {
        accepted_on: NaiveDate,
        limit_label: String,
        /// Local due moment; `None` for an item handled on the spot.
        due: Option<NaiveDateTime>,
        due_provisional: bool,
        deemed: bool,
        /// The clock started when the last correction was received (that day), not at
        /// acceptance: the notice says so (Seed §二(三)二).
        #[serde(default)]
        clock_from_correction: Option<NaiveDate>,
        /// The special procedures the item may need: the notice names them and the law their
        /// time is excluded by (行政许可法 第四十五条 or the item's own).
        #[serde(default)]
        special_procedures: Vec<rules::SpecialProcedure>,
        /// The item's limit counts minutes (即办件): the clock runs from a moment, not from the
        /// next day.
        #[serde(default)]
        in_minutes: bool,
        /// The local moment the notice was drawn up: a due already past then is not promised
        /// (an immediate item's due can pass within the day of the notice).
        #[serde(default)]
        drawn_up_at: Option<NaiveDateTime>,
    },
    Correction {
        /// Every deficiency at once (一次性告知).
        deficiencies: Vec<DeficiencyLine>,
        /// A later notice naming a new item (recorded breach, with the chief's approval).
        exception_reason: Option<String>,
        /// The item's limit counts minutes (即办件): its clock runs from the moment the last
        /// correction comes in, not from the next day.
        #[serde(default)]
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
        /// The item's legal basis (the law and its clauses), on notices issued since it was kept.
        legal_basis: Option<String>,
        /// The date the deferred materials are due, likewise.
        deferred_by: Option<NaiveDate>,
    },
    Suspension {
        procedure: String,
        reason: String,
        start_date: NaiveDate,
        /// The working days it is expected to take, when known.
        expected_working_days: Option<u32>,
    },
    Extension {
        days: u32,
        reason: String,
        new_due: Option<NaiveDateTime>,
        new_due_provisional: bool,
    },
}
