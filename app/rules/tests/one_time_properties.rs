//! Property tests of the one-time rule (proptest): a later correction notice is judged against the
//! union of everything told before.

use proptest::prelude::*;
use rules::review::{OneTimeCheck, OneTimeRuleError, ToldBefore, check_one_time_rule};

fn notices() -> impl Strategy<Value = Vec<Vec<String>>> {
    proptest::collection::vec(proptest::collection::vec("[a-f]", 0..4), 0..5)
}

proptest! {
    #[test]
    fn a_later_notice_repeating_anything_told_on_any_earlier_notice_is_compliant(
        earlier in notices(),
        picks in proptest::collection::vec(any::<proptest::sample::Index>(), 0..6),
    ) {
        let all: Vec<&String> = earlier.iter().flatten().collect();
        let later: Vec<&String> = if all.is_empty() {
            Vec::new()
        } else {
            picks.iter().map(|i| all[i.index(all.len())]).collect()
        };
        let told = ToldBefore::from_notices(&earlier);
        prop_assert_eq!(check_one_time_rule(&told, &later, None), Ok(OneTimeCheck::Compliant));
    }

    #[test]
    fn the_new_items_of_a_later_notice_are_exactly_those_on_no_earlier_notice(
        earlier in notices(),
        later in proptest::collection::vec("[a-h]", 0..6),
    ) {
        let told = ToldBefore::from_notices(&earlier);
        let mut expected: Vec<String> = Vec::new();
        for key in &later {
            if !earlier.iter().flatten().any(|k| k == key) && !expected.contains(key) {
                expected.push(key.clone());
            }
        }
        match check_one_time_rule(&told, &later, None) {
            Ok(OneTimeCheck::Compliant) => prop_assert!(expected.is_empty()),
            Err(OneTimeRuleError::Refused { new_items }) => prop_assert_eq!(new_items, expected),
            other => prop_assert!(false, "unexpected {:?}", other),
        }
    }
}
