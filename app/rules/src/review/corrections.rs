//! Corrections after a correction notice: what the notice asked for has either come in since it
//! was issued or is still outstanding. Once nothing is outstanding the case must be accepted at
//! once, and its clock counts from the last correction (Seed §二(三)二: 需要补正的，办理时限从
//! 全部补齐材料之时计算). The server and the clerk's page both split a notice this way.

use std::collections::BTreeSet;

use super::{Deficiency, ReviewOutcome};

/// A correction notice's deficiencies, split by whether they have come in since the notice.
///
/// Source: Seed §二(二)一 (一次性告知), §二(三)二.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorrectionProgress {
    /// Handed in at or after the notice, in the notice's order.
    pub received: Vec<Deficiency>,
    /// Not handed in yet, in the notice's order.
    pub outstanding: Vec<Deficiency>,
}

impl CorrectionProgress {
    /// Splits `asked` (the notice's deficiencies) by the corrections received at or after
    /// `noticed_at`; corrections registered before the notice answered an earlier one.
    /// Source: Seed §二(三)二.
    pub fn of<T, I, S, K>(asked: &[Deficiency], noticed_at: &T, corrections: I) -> Self
    where
        T: PartialOrd,
        I: IntoIterator<Item = (T, S)>,
        S: IntoIterator<Item = K>,
        K: AsRef<str>,
    {
        let since: BTreeSet<String> = corrections
            .into_iter()
            .filter(|(at, _)| at >= noticed_at)
            .flat_map(|(_, keys)| keys.into_iter().map(|k| k.as_ref().to_owned()))
            .collect();
        let (received, outstanding) = asked.iter().cloned().partition(|d| since.contains(&d.key));
        CorrectionProgress {
            received,
            outstanding,
        }
    }

    /// Everything asked for has come in: the case must be accepted at once (必须即时受理).
    /// Source: Seed §二(三)二.
    pub fn complete(&self) -> bool {
        self.outstanding.is_empty()
    }

    /// Whether `outcome` may follow this notice: an application is accepted (or decided at
    /// once) only when every correction the notice named has come in, since the clock runs from
    /// the last of them; a further notice or a refusal needs none. `Err` holds what is still
    /// outstanding. Source: Seed §二(三)二 (办理时限从全部补齐材料之时计算).
    pub fn allows(&self, outcome: &ReviewOutcome) -> Result<(), &[Deficiency]> {
        if outcome.accepts() && !self.complete() {
            return Err(&self.outstanding);
        }
        Ok(())
    }

    /// The first of `keys` already received since the notice: registering it again would move
    /// the clock's start without anything new from the applicant. Source: Seed §二(三)二.
    pub fn already_received<K: AsRef<str>>(&self, keys: &[K]) -> Option<&Deficiency> {
        keys.iter()
            .find_map(|k| self.received.iter().find(|d| d.key == k.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_application_is_accepted_only_once_every_correction_is_in_but_may_be_told_again() {
        use crate::review::DeficiencyKind;
        let asked: Vec<Deficiency> = ["business_license", "layout_docs"]
            .map(|key| Deficiency {
                key: key.into(),
                name: key.into(),
                kind: DeficiencyKind::Missing,
            })
            .to_vec();
        let half = CorrectionProgress::of(&asked, &1, [(2, ["business_license"])]);
        let outstanding = half.allows(&ReviewOutcome::Accept).unwrap_err();
        assert_eq!(outstanding.len(), 1);
        assert_eq!(outstanding[0].key, "layout_docs");
        assert!(half.allows(&ReviewOutcome::AcceptAndHandleOnSpot).is_err());
        let again = ReviewOutcome::CorrectionRequired {
            deficiencies: asked.clone(),
        };
        assert!(half.allows(&again).is_ok());
        let all = CorrectionProgress::of(&asked, &1, [(2, ["business_license", "layout_docs"])]);
        assert!(all.allows(&ReviewOutcome::Accept).is_ok());
    }
    use crate::review::DeficiencyKind;

    fn missing(key: &str) -> Deficiency {
        Deficiency {
            key: key.into(),
            name: format!("{key}材料"),
            kind: DeficiencyKind::Missing,
        }
    }

    #[test]
    fn corrections_before_the_notice_answer_an_earlier_one_and_do_not_count() {
        let asked = [missing("a"), missing("b")];
        let corrections = [(1, vec!["a"]), (5, vec!["b"])];
        let p = CorrectionProgress::of(&asked, &3, corrections);
        assert_eq!(p.received, [missing("b")]);
        assert_eq!(p.outstanding, [missing("a")]);
        assert!(!p.complete());
        assert_eq!(p.already_received(&["a", "b"]), Some(&missing("b")));
        assert_eq!(p.already_received(&["a"]), None);
    }

    #[test]
    fn a_notice_is_complete_once_everything_it_asked_for_has_come_in_in_any_order() {
        let asked = [missing("a"), missing("b"), missing("c")];
        let corrections = [(4, vec!["c"]), (3, vec!["a", "b"])];
        let p = CorrectionProgress::of(&asked, &3, corrections);
        assert!(p.complete());
        assert_eq!(p.received, asked);
    }
}
