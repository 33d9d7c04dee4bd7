//! 约谈: a person or unit with repeated problems in a quarter is flagged for a talk.

use chrono::{Datelike, NaiveDate};

use super::FourSystem;
use serde::{Deserialize, Serialize};

/// A calendar quarter (季考核). Source: Seed §三(四).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Quarter {
    /// The year.
    pub year: i32,
    /// 1 to 4.
    pub number: u32,
}

impl Quarter {
    /// The quarter holding `date`. Source: Seed §三(四) (季考核).
    pub fn of(date: NaiveDate) -> Self {
        Quarter {
            year: date.year(),
            number: date.month0() / 3 + 1,
        }
    }

    /// Its first day. Source: Seed §三(四).
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.number - 1) * 3 + 1, 1).expect("valid quarter")
    }

    /// The first day of the next quarter (the end, exclusive). Source: Seed §三(四).
    pub fn end(self) -> NaiveDate {
        if self.number == 4 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1).expect("valid year")
        } else {
            NaiveDate::from_ymd_opt(self.year, self.number * 3 + 1, 1).expect("valid quarter")
        }
    }

    /// Its last day (inclusive). Source: Seed §三(四).
    pub fn last_day(self) -> NaiveDate {
        self.end().pred_opt().expect("a quarter has days")
    }

    /// Its label, e.g. “2026年第1季度”. Source: product rule.
    pub fn label_zh(self) -> String {
        format!("{}年第{}季度", self.year, self.number)
    }

    /// Its code, e.g. `2026Q1` (the API's `quarter`). Source: product rule.
    pub fn code(self) -> String {
        format!("{}Q{}", self.year, self.number)
    }

    /// Reads a code such as `2026Q1` (or `2026-Q1`): a four-digit year 2000–2099 (no record of
    /// this product is older, none later than a report form shows) and a quarter 1–4.
    /// Source: product rule.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().replace('-', "");
        let (y, n) = t.split_once(['Q', 'q'])?;
        if y.len() != 4 || n.len() != 1 || !(y.bytes().chain(n.bytes())).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let number: u32 = n.parse().ok()?;
        ((1..=4).contains(&number) && (2000..=2099).contains(&year))
            .then_some(Quarter { year, number })
    }
}

/// How many problems in one quarter flag a person or unit for 约谈 (configurable; 3 by
/// default). Source: Seed §三(四) (发现多次不落实“四项制度”的…分别进行约谈); issue #13.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterviewThreshold {
    /// Problems in one quarter; at least 2 ("多次").
    pub problems_per_quarter: u32,
}

impl Default for InterviewThreshold {
    fn default() -> Self {
        InterviewThreshold {
            problems_per_quarter: 3,
        }
    }
}

impl InterviewThreshold {
    /// The threshold, refusing fewer than 2 (one problem is not "repeated").
    /// Source: Seed §三(四) (多次).
    pub fn new(problems_per_quarter: u32) -> Option<Self> {
        (problems_per_quarter >= 2).then_some(InterviewThreshold {
            problems_per_quarter,
        })
    }
}

/// Whether `problems` (not struck) in one quarter call for a 约谈. Source: Seed §三(四).
pub fn needs_interview(problems: u32, threshold: InterviewThreshold) -> bool {
    problems >= threshold.problems_per_quarter
}

/// How many separate lapses each subject's problems of a quarter amount to: the problems of one
/// system found on the same case (its case overdue and its stages overdue) are one failure to
/// keep that system, counted once; every other problem — of another system, of no case, or of
/// none of the four (a bad rating, conduct) — is one on its own. `problems` are (subject, the
/// case and the system it failed) pairs. Source: Seed §三(四) (发现多次不落实“四项制度”的…进行约
/// 谈: repeated failures, not one late case reported by every check that saw it).
pub fn lapses_by_subject(
    problems: impl IntoIterator<Item = (i64, Option<(i64, FourSystem)>)>,
) -> std::collections::BTreeMap<i64, u32> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = std::collections::BTreeMap::new();
    for (subject, failed) in problems {
        if failed.is_none_or(|(case, system)| seen.insert((subject, case, system.code()))) {
            *out.entry(subject).or_insert(0) += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_systems_problems_of_one_case_are_one_lapse_and_every_other_problem_counts() {
        use FourSystem::{OneTimeNotice, TimeLimit};
        let counted = lapses_by_subject([
            (1, Some((5, TimeLimit))),
            (1, Some((5, TimeLimit))),
            (1, Some((5, TimeLimit))),
            (1, Some((5, OneTimeNotice))),
            (1, Some((6, TimeLimit))),
            (1, None),
            (1, None),
            (2, Some((5, TimeLimit))),
        ]);
        assert_eq!(counted.get(&1), Some(&5));
        assert_eq!(counted.get(&2), Some(&1));
        let t = InterviewThreshold::default();
        let one_late_case = lapses_by_subject([
            (1, Some((5, TimeLimit))),
            (1, Some((5, TimeLimit))),
            (1, Some((5, TimeLimit))),
        ]);
        assert!(!needs_interview(one_late_case[&1], t));
    }

    #[test]
    fn three_problems_in_a_quarter_call_for_a_talk_by_default() {
        let t = InterviewThreshold::default();
        assert!(!needs_interview(2, t));
        assert!(needs_interview(3, t));
        assert_eq!(InterviewThreshold::new(1), None);
        assert!(needs_interview(2, InterviewThreshold::new(2).unwrap()));
    }

    #[test]
    fn quarters_start_in_january_april_july_and_october() {
        let q = Quarter::of("2026-05-31".parse().unwrap());
        assert_eq!(
            q,
            Quarter {
                year: 2026,
                number: 2
            }
        );
        assert_eq!(q.first_day(), "2026-04-01".parse::<NaiveDate>().unwrap());
        assert_eq!(q.end(), "2026-07-01".parse::<NaiveDate>().unwrap());
        let q4 = Quarter::of("2026-12-31".parse().unwrap());
        assert_eq!(q4.end(), "2027-01-01".parse::<NaiveDate>().unwrap());
        assert_eq!(q4.label_zh(), "2026年第4季度");
        assert_eq!(q4.last_day(), "2026-12-31".parse::<NaiveDate>().unwrap());
    }

    #[test]
    fn a_quarter_reads_back_from_its_code() {
        let q = Quarter::parse("2026Q1").unwrap();
        assert_eq!(q.code(), "2026Q1");
        assert_eq!(
            Quarter::parse("2026-q3").map(Quarter::code).as_deref(),
            Some("2026Q3")
        );
        assert_eq!(Quarter::parse("2026Q5"), None);
        assert_eq!(Quarter::parse("2026"), None);
    }

    proptest! {
        #[test]
        fn every_day_lies_in_its_quarter(offset in 0i64..3000) {
            let day = "2022-01-01".parse::<NaiveDate>().unwrap() + chrono::Duration::days(offset);
            let q = Quarter::of(day);
            prop_assert!(q.first_day() <= day && day < q.end());
            prop_assert_eq!(Quarter::of(q.end()).first_day(), q.end());
        }
    }
}
