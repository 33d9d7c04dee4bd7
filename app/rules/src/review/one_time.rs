//! The one-time rule: a later correction notice may only repeat what the applicant was told before.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The chief representative's approval of new items on a later correction notice.
///
/// Source: Seed §二(二)四 (一次性告知需要补正的全部内容); issue #4 (a new item only with a reason
/// and the chief representative's approval, recorded as a breach).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewItemApproval {
    /// Why the item could not be found at the first review.
    pub reason: String,
    /// The approving chief representative (staff id or name).
    pub approved_by: String,
}

/// A recorded breach of the one-time rule (allowed with approval, still counted in supervision).
///
/// Source: Seed §二(二)四; 三(四) (问题清单整改).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeRuleBreach {
    /// Material keys that were on no earlier notice.
    pub new_items: Vec<String>,
    /// The reason given.
    pub reason: String,
    /// Who approved.
    pub approved_by: String,
}

/// The result of checking a later correction notice.
///
/// Source: Seed §二(二)四.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum OneTimeCheck {
    /// Only items told on an earlier notice.
    Compliant,
    /// New items, allowed with approval and recorded as a breach.
    RecordedBreach(OneTimeRuleBreach),
}

/// A later correction notice with new items that may not be issued.
///
/// Source: Seed §二(二)四; 行政许可法 第三十二条 (四).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum OneTimeRuleError {
    /// New items without the chief representative's approval.
    #[error("违反一次性告知：新增补正事项（{}）须经首席代表批准", .new_items.join("、"))]
    Refused {
        /// Material keys on no earlier notice.
        new_items: Vec<String>,
    },
    /// Approval given without a reason.
    #[error("新增补正事项（{}）须说明理由", .new_items.join("、"))]
    MissingReason {
        /// Material keys on no earlier notice.
        new_items: Vec<String>,
    },
    /// Approval without the approver.
    #[error("新增补正事项（{}）须写明批准的首席代表", .new_items.join("、"))]
    MissingApprover {
        /// Material keys on no earlier notice.
        new_items: Vec<String>,
    },
}

impl OneTimeRuleError {
    /// Stable snake_case code (as serialised). Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Refused { .. } => "one_time_rule_refused",
            Self::MissingReason { .. } => "missing_reason",
            Self::MissingApprover { .. } => "missing_approver",
        }
    }
}

/// Everything the applicant was told on the earlier correction notices of one application: the
/// union of their items (material keys). An item added on notice 2 (with the chief representative's
/// approval) has been told, so repeating it on notice 3 is no new deficiency.
///
/// Source: Seed §二(二)四 (一次性告知需要补正的全部内容); 行政许可法 第三十二条 (四); issue #11
/// point 7.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToldBefore(BTreeSet<String>);

impl ToldBefore {
    /// The union of the items of `notices` (each an iterator of material keys), in any order.
    /// Source: Seed §二(二)四; issue #11 point 7.
    pub fn from_notices<N, I, S>(notices: N) -> Self
    where
        N: IntoIterator<Item = I>,
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self(
            notices
                .into_iter()
                .flatten()
                .map(|key| key.as_ref().to_owned())
                .collect(),
        )
    }

    /// Whether no notice was given before (the next notice is the first and free).
    /// Source: Seed §二(二)四.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the item `key` was told on an earlier notice. Source: Seed §二(二)四.
    pub fn contains(&self, key: &str) -> bool {
        self.0.contains(key)
    }

    /// The items of `later_notice` told on no earlier notice, once each, in the later notice's
    /// order.
    /// Source: Seed §二(二)四; issue #11 point 7.
    pub fn new_items<B: AsRef<str>>(&self, later_notice: &[B]) -> Vec<String> {
        let mut new_items: Vec<String> = Vec::new();
        for key in later_notice.iter().map(AsRef::as_ref) {
            if !self.contains(key) && !new_items.iter().any(|n| n == key) {
                new_items.push(key.to_owned());
            }
        }
        new_items
    }
}

/// Checks a later correction notice against everything told on the earlier notices of the same
/// application ([`ToldBefore`], the union of all of them, not only the first): told items may be
/// repeated; an item never told needs a reason and the chief representative's approval and is then
/// a recorded [`OneTimeRuleBreach`]; without them the notice is refused.
///
/// Source: Seed §二(二)四 (一次性告知); 行政许可法 第三十二条 (四); issue #4; issue #11 point 7.
pub fn check_one_time_rule<B: AsRef<str>>(
    told_before: &ToldBefore,
    later_notice: &[B],
    approval: Option<&NewItemApproval>,
) -> Result<OneTimeCheck, OneTimeRuleError> {
    let new_items = told_before.new_items(later_notice);
    if new_items.is_empty() {
        return Ok(OneTimeCheck::Compliant);
    }
    let Some(approval) = approval else {
        return Err(OneTimeRuleError::Refused { new_items });
    };
    if approval.reason.trim().is_empty() {
        return Err(OneTimeRuleError::MissingReason { new_items });
    }
    if approval.approved_by.trim().is_empty() {
        return Err(OneTimeRuleError::MissingApprover { new_items });
    }
    Ok(OneTimeCheck::RecordedBreach(OneTimeRuleBreach {
        new_items,
        reason: approval.reason.clone(),
        approved_by: approval.approved_by.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn told(notices: &[&[&str]]) -> ToldBefore {
        ToldBefore::from_notices(notices.iter().copied())
    }

    fn approval(reason: &str, by: &str) -> NewItemApproval {
        NewItemApproval {
            reason: reason.into(),
            approved_by: by.into(),
        }
    }

    #[test]
    fn a_later_notice_repeating_items_of_the_first_is_compliant() {
        let first = told(&[&["id_card", "lease"]]);
        assert_eq!(
            check_one_time_rule(&first, &["lease"], None),
            Ok(OneTimeCheck::Compliant)
        );
        let none: [&str; 0] = [];
        assert_eq!(
            check_one_time_rule(&first, &none, None),
            Ok(OneTimeCheck::Compliant)
        );
    }

    #[test]
    fn a_new_item_without_approval_is_a_refused_one_time_breach() {
        let e = check_one_time_rule(&told(&[&["id_card"]]), &["id_card", "lease", "lease"], None)
            .unwrap_err();
        assert_eq!(
            e,
            OneTimeRuleError::Refused {
                new_items: vec!["lease".into()]
            }
        );
        assert_eq!(
            e.to_string(),
            "违反一次性告知：新增补正事项（lease）须经首席代表批准"
        );
    }

    #[test]
    fn a_new_item_with_reason_and_chief_approval_is_allowed_but_recorded() {
        let a = approval("申请人补正后的租赁合同显示经营场所变更", "首席代表张明");
        let result = check_one_time_rule(&told(&[&["id_card"]]), &["fire_check"], Some(&a));
        assert_eq!(
            result,
            Ok(OneTimeCheck::RecordedBreach(OneTimeRuleBreach {
                new_items: vec!["fire_check".into()],
                reason: a.reason.clone(),
                approved_by: a.approved_by.clone(),
            }))
        );
    }

    #[test]
    fn an_approval_needs_a_reason_and_an_approver() {
        let no_reason = approval(" ", "首席代表张明");
        assert_eq!(
            check_one_time_rule(&told(&[&["a"]]), &["b"], Some(&no_reason))
                .unwrap_err()
                .code(),
            "missing_reason"
        );
        let no_approver = approval("场所变更", "");
        assert_eq!(
            check_one_time_rule(&told(&[&["a"]]), &["b"], Some(&no_approver))
                .unwrap_err()
                .code(),
            "missing_approver"
        );
    }

    #[test]
    fn an_item_added_with_approval_on_notice_two_is_not_new_again_on_notice_three() {
        // Notice 1 told the ID card; notice 2 added the lease (approved breach, recorded once).
        let after_two = told(&[&["id_card"], &["id_card", "lease"]]);
        assert_eq!(
            check_one_time_rule(&after_two, &["lease"], None),
            Ok(OneTimeCheck::Compliant)
        );
        assert_eq!(
            check_one_time_rule(&after_two, &["lease", "fire_check"], None),
            Err(OneTimeRuleError::Refused {
                new_items: vec!["fire_check".into()]
            })
        );
    }

    #[test]
    fn a_later_notice_is_compared_with_the_union_of_every_earlier_notice() {
        let earlier = told(&[&["a"], &["b"], &["c", "a"]]);
        assert!(earlier.contains("b") && earlier.contains("c"));
        assert_eq!(
            earlier.new_items(&["c", "d", "b", "d"]),
            vec!["d".to_owned()]
        );
        assert!(ToldBefore::default().is_empty());
        let none: [&[&str]; 0] = [];
        assert!(told(&none).is_empty());
    }
}
