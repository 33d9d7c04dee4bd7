//! Shared fixtures for the benchmarks.
//!
//! Inputs are generated deterministically (a fixed-seed linear congruential generator), so every run
//! measures the same work and no randomness crate is needed.

use chrono::{Days, NaiveDate};

/// First start date of the calendar benchmark.
pub const FIRST_START: NaiveDate = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();

/// Number of start days: 2022-01-01 .. 2026-11-15, so that start + 30 working days stays inside the
/// shipped years (2022–2026) and every call takes the success path.
pub const START_SPAN_DAYS: u64 = 1780;

/// A deterministic 64-bit LCG (Knuth's MMIX constants).
#[derive(Clone, Debug)]
pub struct Lcg(u64);

impl Lcg {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next value in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

/// `count` typical `add_working_days` inputs: starts spread over 2022-01-01..2026-11-15 (weekends and
/// holidays included), `n` in 1..=30 working days.
pub fn add_working_days_inputs(count: usize) -> Vec<(NaiveDate, u32)> {
    let mut rng = Lcg::new(0x5EED_2026);
    (0..count)
        .map(|_| {
            let start = FIRST_START + Days::new(rng.below(START_SPAN_DAYS));
            let n = 1 + rng.below(30) as u32;
            (start, n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_deterministic_and_in_range() {
        let a = add_working_days_inputs(1000);
        assert_eq!(a, add_working_days_inputs(1000));
        let last = FIRST_START + Days::new(START_SPAN_DAYS - 1);
        assert!(
            a.iter()
                .all(|&(d, n)| d >= FIRST_START && d <= last && (1..=30).contains(&n))
        );
    }
}
