//! The one-time rule: a later correction notice may only repeat items of the first.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The chief representative's approval of new items on a later correction notice.
///
/// Source: Seed §二(二)四 (一次性告知需要补正的全部内容); issue #4 (a new item only with a reason and the
/// chief representative's approval, recorded as a breach).
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
    /// Material keys that were not on the first notice.
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
    /// Only items of the first notice.
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
        /// Material keys not on the first notice.
        new_items: Vec<String>,
    },
    /// Approval given without a reason.
    #[error("新增补正事项（{}）须说明理由", .new_items.join("、"))]
    MissingReason {
        /// Material keys not on the first notice.
        new_items: Vec<String>,
    },
    /// Approval without the approver.
    #[error("新增补正事项（{}）须写明批准的首席代表", .new_items.join("、"))]
    MissingApprover {
        /// Material keys not on the first notice.
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

/// Checks a later correction notice against the first one on the same application: items of the first
/// may be repeated; a new item needs a reason and the chief representative's approval and is then a
/// recorded [`OneTimeRuleBreach`]; without them the notice is refused.
///
/// Source: Seed §二(二)四 (一次性告知); 行政许可法 第三十二条 (四); issue #4.
pub fn check_one_time_rule<A: AsRef<str>, B: AsRef<str>>(
    first_notice: &[A],
    later_notice: &[B],
    approval: Option<&NewItemApproval>,
) -> Result<OneTimeCheck, OneTimeRuleError> {
    let mut new_items: Vec<String> = Vec::new();
    for key in later_notice.iter().map(AsRef::as_ref) {
        let on_first = first_notice.iter().any(|f| f.as_ref() == key);
        if !on_first && !new_items.iter().any(|n| n == key) {
            new_items.push(key.to_owned());
        }
    }
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

    fn approval(reason: &str, by: &str) -> NewItemApproval {
        NewItemApproval {
            reason: reason.into(),
            approved_by: by.into(),
        }
    }

    #[test]
    fn a_later_notice_repeating_items_of_the_first_is_compliant() {
        let first = ["id_card", "lease"];
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
        let e =
            check_one_time_rule(&["id_card"], &["id_card", "lease", "lease"], None).unwrap_err();
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
        let result = check_one_time_rule(&["id_card"], &["fire_check"], Some(&a));
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
            check_one_time_rule(&["a"], &["b"], Some(&no_reason))
                .unwrap_err()
                .code(),
            "missing_reason"
        );
        let no_approver = approval("场所变更", "");
        assert_eq!(
            check_one_time_rule(&["a"], &["b"], Some(&no_approver))
                .unwrap_err()
                .code(),
            "missing_approver"
        );
    }
}
