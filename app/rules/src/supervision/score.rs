//! 季考核 / 年评定: the score of a unit, window or person from a documented, configurable
//! formula.
//!
//! ```text
//! score = Σ weightᵢ × rateᵢ          (weights are whole points summing to 100)
//!   on_time        cases decided by their due moment / cases decided, less the
//!                  time-limit problems supervisors filed by hand              (限时办结)
//!   one_time       cases received without a deemed acceptance or a one-time
//!                  rule breach / cases received                                (一次性告知)
//!   extended       tickets served without an extended-service problem /
//!                  tickets served                                              (延时服务)
//!   ratings        Σ (points − 1) / (4 × ratings), appealed-away ratings out   (好差评)
//!   rectification  rectifications closed out by their deadline /
//!                  rectifications due in the period, closed or past due      (整改销号)
//!   first_inquiry  inquiries taken without a first-inquiry problem /
//!                  inquiries taken                                             (首问负责)
//! ```
//! The four systems are all assessed, as the seed makes them the basis of
//! assessment (Seed §三(三)). By default the statutory ones weigh most:
//! 限时办结 (行政许可法 第四十二条) and 一次性告知 (第三十二条).
//! A problem on the one-time, extended or first-inquiry line with nothing counted beside it
//! counts as one more thing counted (`Ratio::less_failures`), so it always costs points.
//! A rate with nothing to count (0 / 0) is 100 %: no evidence against (无该项业务的按满分计), and
//! the line says it was not assessed. A subject with nothing to count on any line is not scored
//! at all (本期无可考核业务): an idle unit's 100 would otherwise rank above every working one.
//! The score is rounded to one decimal; the breakdown shows each line.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// `good` out of `total`. Source: product rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    /// The part that complied.
    pub good: u64,
    /// Everything counted.
    pub total: u64,
}

impl Ratio {
    /// `good` (at most `total`) out of `total`. Source: product rule.
    pub fn new(good: u64, total: u64) -> Self {
        Ratio {
            good: good.min(total),
            total,
        }
    }

    /// `counted` things less the `failures` found among them. A failure with nothing counted
    /// beside it in the period (a duty shift missed by a unit that served no ticket after
    /// hours, a one-time breach on a case received the month before) is an obligation failed
    /// all the same: it counts as one more thing counted, so the line is assessed and loses
    /// points (a unit whose only record was 值守未到岗 had been shown as not assessed).
    /// Source: product rule.
    pub fn less_failures(counted: u64, failures: u64) -> Self {
        Ratio::new(counted, counted).less(failures)
    }

    /// This ratio with `failures` found besides what it counted (a late case a supervisor
    /// found on a patrol or from a complaint, on the time-limit line): each takes one off the
    /// good part, and the total is at least the failures. Source: product rule.
    pub fn less(self, failures: u64) -> Self {
        Ratio::new(self.good.saturating_sub(failures), self.total.max(failures))
    }

    /// The rate in [0, 1]; 1 when nothing was counted. Source: product rule.
    pub fn rate(self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.good as f64 / self.total as f64
        }
    }

    /// The rate in percent, rounded to one decimal. Source: product rule.
    pub fn percent(self) -> f64 {
        (self.rate() * 1000.0).round() / 10.0
    }
}

/// The weights of the formula, whole points summing to 100 (configurable by the hall).
/// Source: Seed §三(三) (绩效考评); issue #13.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreWeights {
    /// 限时办结.
    pub on_time: u32,
    /// 一次性告知.
    pub one_time: u32,
    /// 延时服务.
    pub extended: u32,
    /// 好差评.
    pub ratings: u32,
    /// 整改销号.
    pub rectification: u32,
    /// 首问负责.
    pub first_inquiry: u32,
}

impl Default for ScoreWeights {
    fn default() -> Self {
        ScoreWeights {
            on_time: 25,
            one_time: 20,
            extended: 10,
            ratings: 20,
            rectification: 10,
            first_inquiry: 15,
        }
    }
}

/// Weights that do not sum to 100.
///
/// Source: product rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("各项权重之和应为 100，现为 {0}")]
pub struct WeightsError(pub u32);

impl ScoreWeights {
    /// Checks that the weights sum to 100. Source: product rule.
    pub fn validate(self) -> Result<Self, WeightsError> {
        let sum = self.on_time
            + self.one_time
            + self.extended
            + self.ratings
            + self.rectification
            + self.first_inquiry;
        if sum == 100 {
            Ok(self)
        } else {
            Err(WeightsError(sum))
        }
    }
}

/// The counts a score is computed from (the server counts them for one unit, window or person
/// and one period). Source: issue #13.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreInputs {
    /// Cases decided on time / decided.
    pub on_time: Ratio,
    /// Cases received without a one-time failure / received.
    pub one_time: Ratio,
    /// Tickets served without an extended-service problem / served.
    pub extended: Ratio,
    /// Σ (points − 1) / (4 × ratings).
    pub ratings: Ratio,
    /// Rectifications closed by their deadline / due.
    pub rectification: Ratio,
    /// Inquiries taken without a first-inquiry problem / taken.
    pub first_inquiry: Ratio,
}

/// One line of the breakdown. Source: issue #13 (the breakdown shown).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreLine {
    /// Stable code of the line.
    pub code: String,
    /// Its label.
    pub label_zh: String,
    /// The weight (maximum points).
    pub weight: u32,
    /// The counts.
    pub ratio: Ratio,
    /// Points earned, one decimal.
    pub points: f64,
    /// Whether anything was counted on this line (false: full points for want of evidence).
    #[serde(default = "assessed_by_default")]
    pub assessed: bool,
}

fn assessed_by_default() -> bool {
    true
}

/// A score and how it was made. Source: issue #13.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreBreakdown {
    /// The lines, in the formula's order.
    pub lines: Vec<ScoreLine>,
    /// The score out of 100, one decimal.
    pub total: f64,
    /// Whether any line counted anything: a subject with no business in the period is shown
    /// as not assessed and takes no place in a ranking.
    #[serde(default = "assessed_by_default")]
    pub assessed: bool,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl ScoreInputs {
    /// The ratings ratio from a count of ratings and the sum of their points.
    /// Source: 国办发〔2019〕51号 (五级评价); product rule (linear scale).
    pub fn ratings_ratio(count: u64, points_sum: u64) -> Ratio {
        Ratio::new(points_sum.saturating_sub(count), 4 * count)
    }

    /// The score under `weights`. Source: the formula in this module's documentation.
    pub fn score(self, weights: ScoreWeights) -> ScoreBreakdown {
        let parts = [
            ("on_time", "限时办结", weights.on_time, self.on_time),
            ("one_time", "一次性告知", weights.one_time, self.one_time),
            ("extended", "延时服务", weights.extended, self.extended),
            ("ratings", "好差评", weights.ratings, self.ratings),
            (
                "rectification",
                "整改销号",
                weights.rectification,
                self.rectification,
            ),
            (
                "first_inquiry",
                "首问负责",
                weights.first_inquiry,
                self.first_inquiry,
            ),
        ];
        let lines: Vec<ScoreLine> = parts
            .into_iter()
            .map(|(code, label_zh, weight, ratio)| ScoreLine {
                code: code.to_owned(),
                label_zh: label_zh.to_owned(),
                weight,
                ratio,
                points: round1(f64::from(weight) * ratio.rate()),
                assessed: ratio.total > 0,
            })
            .collect();
        let exact: f64 = lines
            .iter()
            .map(|l| f64::from(l.weight) * l.ratio.rate())
            .sum();
        ScoreBreakdown {
            assessed: lines.iter().any(|l| l.assessed),
            lines,
            total: round1(exact),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn full() -> ScoreInputs {
        let r = Ratio::new(10, 10);
        ScoreInputs {
            on_time: r,
            one_time: r,
            extended: r,
            ratings: r,
            rectification: r,
            first_inquiry: r,
        }
    }

    #[test]
    fn a_failure_found_by_hand_takes_one_off_the_good_part_and_never_goes_below_nothing() {
        assert_eq!(Ratio::new(8, 10).less(1), Ratio::new(7, 10));
        assert_eq!(Ratio::new(0, 0).less(2), Ratio::new(0, 2));
        assert_eq!(Ratio::new(1, 1).less(3), Ratio::new(0, 3));
        assert_eq!(Ratio::new(5, 5).less(0), Ratio::new(5, 5));
    }

    #[test]
    fn a_failure_with_nothing_counted_beside_it_is_assessed_and_costs_the_whole_line() {
        assert_eq!(Ratio::less_failures(0, 1), Ratio::new(0, 1));
        assert_eq!(Ratio::less_failures(10, 1), Ratio::new(9, 10));
        assert_eq!(Ratio::less_failures(2, 3), Ratio::new(0, 3));
        assert_eq!(Ratio::less_failures(0, 0).rate(), 1.0);
        let inputs = ScoreInputs {
            extended: Ratio::less_failures(0, 1),
            ..full()
        };
        let b = inputs.score(ScoreWeights::default());
        let extended = b.lines.iter().find(|l| l.code == "extended").unwrap();
        assert!(extended.assessed);
        assert_eq!(extended.points, 0.0);
    }

    #[test]
    fn a_clean_record_scores_one_hundred_and_each_line_shows_its_points() {
        let b = full().score(ScoreWeights::default());
        assert_eq!(b.total, 100.0);
        assert_eq!(b.lines.len(), 6);
        assert_eq!(b.lines[0].points, 25.0);
    }

    #[test]
    fn half_the_cases_late_costs_half_the_on_time_weight() {
        let inputs = ScoreInputs {
            on_time: Ratio::new(5, 10),
            ..full()
        };
        assert_eq!(inputs.score(ScoreWeights::default()).total, 87.5);
    }

    #[test]
    fn ratings_count_linearly_from_very_dissatisfied_to_very_satisfied() {
        // One 非常满意 (5) and one 不满意 (2): (4 + 1) / 8.
        assert_eq!(ScoreInputs::ratings_ratio(2, 7), Ratio::new(5, 8));
        assert_eq!(ScoreInputs::ratings_ratio(0, 0).rate(), 1.0);
    }

    #[test]
    fn a_subject_with_nothing_to_count_is_not_assessed_though_each_line_keeps_full_points() {
        let zero = Ratio::new(0, 0);
        let idle = ScoreInputs {
            on_time: zero,
            one_time: zero,
            extended: zero,
            ratings: zero,
            rectification: zero,
            first_inquiry: zero,
        };
        let b = idle.score(ScoreWeights::default());
        assert!(!b.assessed);
        assert!(
            b.lines
                .iter()
                .all(|l| !l.assessed && l.points == f64::from(l.weight))
        );
        let one_ticket = ScoreInputs {
            extended: Ratio::new(1, 1),
            ..idle
        };
        let b = one_ticket.score(ScoreWeights::default());
        assert!(b.assessed);
        assert_eq!(b.lines.iter().filter(|l| l.assessed).count(), 1);
    }

    #[test]
    fn weights_must_sum_to_one_hundred() {
        assert!(ScoreWeights::default().validate().is_ok());
        let w = ScoreWeights {
            on_time: 50,
            ..ScoreWeights::default()
        };
        assert_eq!(w.validate(), Err(WeightsError(125)));
    }

    proptest! {
        #[test]
        fn a_score_lies_between_zero_and_one_hundred_and_never_falls_when_compliance_rises(
            good in proptest::collection::vec(0u64..50, 6),
            total in proptest::collection::vec(0u64..50, 6),
            which in 0usize..6,
        ) {
            let r = |i: usize| Ratio::new(good[i], total[i]);
            let inputs = ScoreInputs {
                on_time: r(0), one_time: r(1), extended: r(2), ratings: r(3), rectification: r(4),
                first_inquiry: r(5),
            };
            let w = ScoreWeights::default();
            let s = inputs.score(w).total;
            prop_assert!((0.0..=100.0).contains(&s));
            let mut better = inputs;
            let bump = |x: Ratio| Ratio::new(x.good + 1, x.total);
            match which {
                0 => better.on_time = bump(better.on_time),
                1 => better.one_time = bump(better.one_time),
                2 => better.extended = bump(better.extended),
                3 => better.ratings = bump(better.ratings),
                4 => better.first_inquiry = bump(better.first_inquiry),
                _ => better.rectification = bump(better.rectification),
            }
            prop_assert!(better.score(w).total >= s);
        }

        #[test]
        fn one_more_failure_never_raises_a_line(counted in 0u64..100, failures in 0u64..100) {
            let before = Ratio::less_failures(counted, failures);
            let after = Ratio::less_failures(counted, failures + 1);
            prop_assert!(after.rate() <= before.rate());
            prop_assert!(after.rate() < 1.0);
        }
    }
}
