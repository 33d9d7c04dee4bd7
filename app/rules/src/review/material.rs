//! What the review checks: the item's materials and the clerk's verdict on each.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Whether a material must be handed in.
///
/// Source: Seed §二(二)三 (是否按照法律、法规规定提交了符合规定数量、种类的申请材料); issue #5
/// (materials: required or conditional with the condition).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, tag = "kind", rename_all = "snake_case")]
pub enum MaterialRequirement {
    /// Always required.
    Required,
    /// Required only when the clerk marks the condition as applying, e.g. 「委托办理的」.
    Conditional {
        /// The condition, as printed in the guide.
        condition: String,
    },
    /// Never required.
    Optional,
}

impl MaterialRequirement {
    /// Whether the review needs a verdict on the material: always when required, when the
    /// clerk marks its condition as applying (`applies`), never when optional.
    pub fn needed(&self, applies: bool) -> bool {
        match self {
            Self::Required => true,
            Self::Conditional { .. } => applies,
            Self::Optional => false,
        }
    }
}

/// A material of a service item as the acceptance review sees it.
///
/// Source: Seed §二(二)三; 一次性告知书 (附件4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialSpec {
    /// Stable key within the item, e.g. `business_license`.
    pub key: String,
    /// Name printed on notices, e.g. 营业执照副本.
    pub name: String,
    /// Whether it is required.
    pub requirement: MaterialRequirement,
}

/// The clerk's verdict on one material.
///
/// Source: Seed §二(二)三 (数量、种类、格式), §二(二)六
/// (当场更正：申请人签名或者盖章，注明更正日期); 行政许可法 第三十二条.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, tag = "verdict", rename_all = "snake_case")]
pub enum MaterialVerdict {
    /// Present, right count and kind, right form.
    Ok,
    /// Not handed in.
    Missing,
    /// Handed in but wrong in count, kind or form; the reason goes on the correction notice.
    Nonconforming {
        /// Why, non-empty.
        reason: String,
    },
    /// An error corrected on the spot; the applicant signs or seals it and the date is written
    /// beside it.
    CorrectedOnSpot {
        /// The applicant signed or sealed the correction (required).
        applicant_confirmed: bool,
        /// The correction date written on the material.
        corrected_on: NaiveDate,
    },
}

impl MaterialVerdict {
    /// Stable snake_case code (as serialised). Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Missing => "missing",
            Self::Nonconforming { .. } => "nonconforming",
            Self::CorrectedOnSpot { .. } => "corrected_on_spot",
        }
    }

    /// Whether the verdict says the material was in the clerk's hands (judged complete, not in
    /// the legal form, or corrected on the spot), as against [`MaterialVerdict::Missing`].
    /// Source: Seed §二(二)三.
    pub fn handed_in(&self) -> bool {
        !matches!(self, Self::Missing)
    }

    /// The Chinese label for the review screen. Source: Seed §二(二).
    pub fn label_zh(&self) -> &'static str {
        match self {
            Self::Ok => "齐全合格",
            Self::Missing => "缺少",
            Self::Nonconforming { .. } => "不符合法定形式",
            Self::CorrectedOnSpot { .. } => "当场更正",
        }
    }
}

/// The verdict on the material with key `key`.
///
/// Source: Seed §二(二)三.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialReview {
    /// The material's key.
    pub key: String,
    /// The verdict.
    pub verdict: MaterialVerdict,
}

/// The materials a review judged as handed in that nothing had registered before it: neither
/// the 收件凭证 (`received`, the keys ticked at receipt) nor a correction registered since
/// (`corrected`). They were handed over at the review itself, and the case's record says so:
/// an application accepted "全部齐全" beside a receipt that said 未收到申请材料 read as a
/// record at odds with itself. In the order of `verdicts`.
///
/// Source: Seed §二(二)二 (收件凭证), 三 (受理审查); product rule (the record stays consistent).
pub fn handed_in_at_review(
    received: &[String],
    corrected: &[String],
    verdicts: &[MaterialReview],
) -> Vec<String> {
    verdicts
        .iter()
        .filter(|v| v.verdict.handed_in())
        .filter(|v| !received.contains(&v.key) && !corrected.contains(&v.key))
        .map(|v| v.key.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(key: &str, verdict: MaterialVerdict) -> MaterialReview {
        MaterialReview {
            key: key.into(),
            verdict,
        }
    }

    #[test]
    fn a_material_judged_present_that_no_receipt_or_correction_listed_was_handed_in_at_review() {
        let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let verdicts = [
            judged("form", MaterialVerdict::Ok),
            judged("license", MaterialVerdict::Ok),
            judged("id_card", MaterialVerdict::Missing),
            judged(
                "plan",
                MaterialVerdict::Nonconforming {
                    reason: "未盖章".into(),
                },
            ),
            judged("lease", MaterialVerdict::Ok),
        ];
        let got = handed_in_at_review(&keys(&["form"]), &keys(&["lease"]), &verdicts);
        assert_eq!(got, keys(&["license", "plan"]));
        assert!(
            handed_in_at_review(&keys(&["form", "license", "plan"]), &[], &verdicts[..4])
                .is_empty()
        );
    }
}
