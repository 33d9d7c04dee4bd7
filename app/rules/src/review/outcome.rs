//! Inputs and outcomes of the acceptance review.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::material::MaterialReview;

/// Whether the application is for this unit to decide.
///
/// Source: Seed §二(二)三 (是否属于依法需要审批的事项，是否属于窗口受理范围), §二(二)五;
/// 行政许可法 第三十二条 (一)(二).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, tag = "kind", rename_all = "snake_case")]
pub enum Jurisdiction {
    /// Subject to approval and within this unit's authority.
    Competent,
    /// The matter needs no approval (依法不需要取得行政许可).
    NotSubjectToApproval,
    /// Not within this unit's authority; the competent authority when known.
    OtherAuthority {
        /// The authority the applicant should apply to.
        name: Option<String>,
    },
}

/// Immediate (即办件) or promised (承诺件) handling.
///
/// Source: Seed §二(一)三 (即办业务当场办理；承诺件出具受理通知书).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// 即办件.
    Immediate,
    /// 承诺件.
    Promised,
}

/// The notification-commitment terms of a 告知承诺制 item as agreed at the window.
///
/// Source: Seed §二(二)八, 九 (申请人承诺在约定期限内提交相关材料…即时给与告知承诺办理).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentTerms {
    /// The applicant signed the commitment (承诺书).
    pub signed: bool,
    /// Working days after the decision at which the follow-up check falls.
    pub follow_up_after_working_days: u32,
    /// Keys of materials the applicant commits to hand in later (not deficiencies now).
    #[serde(default)]
    pub deferred_materials: Vec<String>,
}

/// Everything the clerk decides at the review.
///
/// Source: Seed §二(二)三 (受理审查), 行政许可法 第三十二条.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// One verdict per material handed in or required.
    pub verdicts: Vec<MaterialReview>,
    /// Keys of conditional materials whose condition applies to this application.
    #[serde(default)]
    pub conditions_apply: Vec<String>,
    /// Whether this unit decides the matter.
    pub jurisdiction: Jurisdiction,
    /// Immediate or promised.
    pub item_kind: ItemKind,
    /// For 告知承诺制 items: the commitment terms.
    #[serde(default)]
    pub commitment: Option<CommitmentTerms>,
    /// The local date of the review.
    pub reviewed_on: NaiveDate,
    /// The local date the application was received, when known (the server always knows it):
    /// nothing was corrected on the spot before the application came in.
    #[serde(default)]
    pub received_on: Option<NaiveDate>,
}

/// Why the application is not accepted.
///
/// Source: Seed §二(二)五; 行政许可法 第三十二条 (一)(二).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonAcceptanceGround {
    /// 依法不需要取得审批.
    NotSubjectToApproval,
    /// 不属于本单位职权范围.
    NotWithinAuthority,
}

impl NonAcceptanceGround {
    /// The ground as printed on the 不予受理通知书. Source: Seed §二(二)五; 行政许可法 第三十二条.
    pub fn label_zh(&self) -> &'static str {
        match self {
            Self::NotSubjectToApproval => "申请事项依法不需要取得行政许可",
            Self::NotWithinAuthority => "申请事项依法不属于本行政机关职权范围",
        }
    }

    /// The ground as a notice of an item of `licensing` or not says it: 行政许可 is named only
    /// for a licensing item (a 行政给付 item's notice had said 不需要取得行政许可).
    pub fn printed_zh(&self, licensing: bool) -> &'static str {
        match (self, licensing) {
            (Self::NotSubjectToApproval, false) => "申请事项依法不需要取得审批",
            _ => self.label_zh(),
        }
    }

    /// The clause of 行政许可法 the refusal rests on: 第三十二条第一款第（一）项 (不需要取得行政
    /// 许可) or 第（二）项 (不属于本行政机关职权范围). Source: 行政许可法 第三十二条.
    pub fn clause_zh(&self) -> &'static str {
        match self {
            Self::NotSubjectToApproval => "第三十二条第一款第（一）项",
            Self::NotWithinAuthority => "第三十二条第一款第（二）项",
        }
    }

    /// The ground whose printed text is `label` (as a stored notice holds it).
    pub fn from_label(label: &str) -> Option<Self> {
        [Self::NotSubjectToApproval, Self::NotWithinAuthority]
            .into_iter()
            .find(|g| g.label_zh() == label)
    }
}

/// What is wrong with one material, as listed on the correction notice.
///
/// Source: Seed §二(二)四 (一次性告知申请人需要补正的全部内容); 行政许可法 第三十二条 (四).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum DeficiencyKind {
    /// Not handed in.
    Missing,
    /// Handed in but not in the legal form.
    Nonconforming {
        /// Why.
        reason: String,
    },
}

/// One deficiency of the application.
///
/// Source: Seed §二(二)四; 一次性补正告知书 (附件6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deficiency {
    /// The material's key.
    pub key: String,
    /// The material's name.
    pub name: String,
    /// What is wrong.
    pub kind: DeficiencyKind,
}

impl Deficiency {
    /// The line of the correction notice, e.g. 「营业执照副本：缺少」. Source: 一次性补正告知书
    /// (附件6).
    pub fn line_zh(&self) -> String {
        match &self.kind {
            DeficiencyKind::Missing => format!("{}：缺少，请补交", self.name),
            DeficiencyKind::Nonconforming { reason } => {
                format!("{}：不符合法定形式（{reason}），请补正", self.name)
            }
        }
    }

    /// The item as the applicant's lookup lists it, with what to do about it, e.g.
    /// 「营业执照副本（缺少，请补交）」. Source: 一次性告知 (Seed §一(二)): the applicant who lost
    /// the paper notice still learns every point of it.
    pub fn todo_zh(&self) -> String {
        match &self.kind {
            DeficiencyKind::Missing => format!("{}（缺少，请补交）", self.name),
            DeficiencyKind::Nonconforming { reason } => {
                format!("{}（不符合法定形式：{reason}，请补正）", self.name)
            }
        }
    }
}

/// The result of the acceptance review.
///
/// Source: Seed §二(二)三—九; 行政许可法 第三十二条.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// Complete and lawful: accept at once, issue the 受理通知书.
    Accept,
    /// Complete and lawful immediate item: handle on the spot and issue the result.
    AcceptAndHandleOnSpot,
    /// Deficient: one correction notice listing every deficiency at once.
    CorrectionRequired {
        /// Every deficiency, in the item's material order.
        deficiencies: Vec<Deficiency>,
    },
    /// Not accepted: 不予受理通知书, naming the competent authority where there is one.
    NotAccepted {
        /// Why.
        ground: NonAcceptanceGround,
        /// Where to apply instead.
        competent_authority: Option<String>,
    },
    /// 告知承诺制 with a signed commitment: decision at once, follow-up check scheduled.
    CommitmentDecision {
        /// Date of the follow-up check.
        follow_up_check: NaiveDate,
        /// Materials the applicant committed to hand in later.
        deferred_materials: Vec<String>,
    },
}

impl ReviewOutcome {
    /// Stable snake_case code (as serialised). Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::AcceptAndHandleOnSpot => "accept_and_handle_on_spot",
            Self::CorrectionRequired { .. } => "correction_required",
            Self::NotAccepted { .. } => "not_accepted",
            Self::CommitmentDecision { .. } => "commitment_decision",
        }
    }

    /// Whether the application is accepted (the clock starts, or it is decided at once).
    /// Source: Seed §二(二)七, 九.
    pub fn accepts(&self) -> bool {
        matches!(
            self,
            Self::Accept | Self::AcceptAndHandleOnSpot | Self::CommitmentDecision { .. }
        )
    }

    /// The Chinese label. Source: Seed §二(二) (受理, 一次性补正告知, 不予受理, 告知承诺).
    pub fn label_zh(&self) -> &'static str {
        match self {
            Self::Accept => "予以受理",
            Self::AcceptAndHandleOnSpot => "受理并当场办结",
            Self::CorrectionRequired { .. } => "一次性告知补正",
            Self::NotAccepted { .. } => "不予受理",
            Self::CommitmentDecision { .. } => "告知承诺，当场作出决定",
        }
    }
}
