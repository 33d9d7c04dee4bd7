//! `Appeal` (申诉复核): a unit asks that a rating be set aside as mistaken or abusive; a
//! supervisor decides once.
//!
//! ```text
//! Pending ─Uphold→ Upheld   (the rating is struck: it counts nowhere and its rectification
//!                            is withdrawn)
//! Pending ─Reject→ Rejected (the rating stands)
//! ```

use thiserror::Error;

coded_enum! {
    /// Where an appeal stands. Source: 国务院办公厅关于建立政务服务“好差评”制度的意见 (申诉复核).
    pub enum AppealStatus {
        /// Waiting for a supervisor.
        Pending = ("pending", "待复核"),
        /// The rating is set aside.
        Upheld = ("upheld", "申诉成立"),
        /// The rating stands.
        Rejected = ("rejected", "申诉不成立"),
    }
}

coded_enum! {
    /// A supervisor's decision on an appeal. Source: 好差评 (申诉复核).
    pub enum AppealEvent {
        /// The rating was mistaken or abusive.
        Uphold = ("uphold", "认定申诉成立"),
        /// The rating stands.
        Reject = ("reject", "驳回申诉"),
    }
}

/// An appeal step the rules refuse: an appeal is decided once.
///
/// Source: product rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("该申诉已复核（{}），不能再次{}", .from.label_zh(), .event.label_zh())]
pub struct AppealRefusal {
    /// The status.
    pub from: AppealStatus,
    /// The event refused.
    pub event: AppealEvent,
}

impl AppealRefusal {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        "already_decided"
    }
}

impl AppealStatus {
    /// The status after `event`, or the refusal. Source: product rule.
    pub fn apply(self, event: AppealEvent) -> Result<Self, AppealRefusal> {
        match (self, event) {
            (AppealStatus::Pending, AppealEvent::Uphold) => Ok(AppealStatus::Upheld),
            (AppealStatus::Pending, AppealEvent::Reject) => Ok(AppealStatus::Rejected),
            (from, event) => Err(AppealRefusal { from, event }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_appeal_is_decided_once() {
        assert_eq!(
            AppealStatus::Pending.apply(AppealEvent::Uphold),
            Ok(AppealStatus::Upheld)
        );
        assert_eq!(
            AppealStatus::Pending.apply(AppealEvent::Reject),
            Ok(AppealStatus::Rejected)
        );
        for from in [AppealStatus::Upheld, AppealStatus::Rejected] {
            for &event in AppealEvent::ALL {
                let e = from.apply(event).unwrap_err();
                assert_eq!(e.code(), "already_decided");
            }
        }
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        use AppealEvent as E;
        use AppealStatus as S;
        crate::lifecycle::coded::assert_codes_round_trip(S::ALL, S::code, S::label_zh);
        crate::lifecycle::coded::assert_codes_round_trip(E::ALL, E::code, E::label_zh);
    }
}
