//! `Rectification`: one item of the problem rectification list (问题整改清单, Seed §三(四):
//! 问题清单整改销号制).
//!
//! ```text
//! Open ─Report→ Reported ─Close→ Closed (销号, supervisor only)
//!   ↑              │                 │
//!   └──SendBack────┘                 └─Reopen→ Reopened ─Report→ Reported …
//! Open | Reopened | Reported ─Withdraw→ Withdrawn (supervisor only: the problem was struck,
//!                                                   e.g. a rating appeal was upheld)
//! ```
//! The responsible unit reports the fix; only a supervisor sends a report back, closes an item
//! out, reopens a closed item or withdraws one.

use thiserror::Error;

coded_enum! {
    /// Where a rectification item stands. Source: Seed §三(四) (问题清单整改销号制).
    pub enum RectificationStatus {
        /// The responsible unit must fix the problem.
        Open = ("open", "待整改"),
        /// The unit reported the fix with evidence; a supervisor must check it.
        Reported = ("reported", "已报告整改"),
        /// A supervisor closed it out (销号).
        Closed = ("closed", "已销号"),
        /// A supervisor reopened a closed item; the unit must fix it again.
        Reopened = ("reopened", "重新整改"),
        /// Struck by a supervisor: the problem behind it no longer stands.
        Withdrawn = ("withdrawn", "已撤销"),
    }
}

coded_enum! {
    /// Something that happens to a rectification item. Source: Seed §三(四).
    pub enum RectificationEvent {
        /// The responsible unit reports the fix.
        Report = ("report", "报告整改"),
        /// A supervisor finds the report insufficient.
        SendBack = ("send_back", "退回整改"),
        /// A supervisor closes the item out (销号).
        Close = ("close", "销号"),
        /// A supervisor reopens a closed item.
        Reopen = ("reopen", "重新打开"),
        /// A supervisor strikes the item.
        Withdraw = ("withdraw", "撤销"),
    }
}

coded_enum! {
    /// Who acts on a rectification item. Source: Seed §三(三)(四) (监督考核; 谁办理、谁负责).
    pub enum RectificationActor {
        /// The responsible unit (its staff).
        ResponsibleUnit = ("responsible_unit", "责任单位"),
        /// A supervisor of the hall.
        Supervisor = ("supervisor", "督查人员"),
    }
}

impl RectificationEvent {
    /// Who may cause this event. Source: Seed §三(四) (only supervision closes out).
    pub fn actor(self) -> RectificationActor {
        match self {
            RectificationEvent::Report => RectificationActor::ResponsibleUnit,
            _ => RectificationActor::Supervisor,
        }
    }
}

/// A rectification step the rules refuse.
///
/// Source: Seed §三(四); product rule (one actor per step).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum RectificationRefusal {
    /// The step does not follow from the status.
    #[error("{}", self.message())]
    Illegal {
        /// The status.
        from: RectificationStatus,
        /// The event refused.
        event: RectificationEvent,
    },
    /// The actor may not cause this event.
    #[error("{}", self.message())]
    NotAllowed {
        /// Who tried.
        actor: RectificationActor,
        /// The event refused.
        event: RectificationEvent,
    },
}

impl RectificationRefusal {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            RectificationRefusal::Illegal { .. } => "illegal_transition",
            RectificationRefusal::NotAllowed { event, .. } => match event.actor() {
                RectificationActor::Supervisor => "only_supervisor_closes",
                RectificationActor::ResponsibleUnit => "only_the_unit_reports",
            },
        }
    }

    /// The message in Chinese. Source: product rule.
    pub fn message(&self) -> String {
        match self {
            RectificationRefusal::Illegal { from, event } => format!(
                "该整改事项当前状态为“{}”，不能{}",
                from.label_zh(),
                event.label_zh()
            ),
            RectificationRefusal::NotAllowed { actor, event } => format!(
                "{}不能{}，只有{}可以",
                actor.label_zh(),
                event.label_zh(),
                event.actor().label_zh()
            ),
        }
    }
}

impl RectificationStatus {
    /// Whether the unit still has to act (open, reopened) or a supervisor has to check.
    /// Source: Seed §三(四).
    pub fn is_pending(self) -> bool {
        !matches!(
            self,
            RectificationStatus::Closed | RectificationStatus::Withdrawn
        )
    }

    /// The status after `actor` causes `event`, or the refusal. Source: Seed §三(四).
    pub fn apply(
        self,
        actor: RectificationActor,
        event: RectificationEvent,
    ) -> Result<Self, RectificationRefusal> {
        use RectificationEvent as E;
        use RectificationStatus as S;
        if event.actor() != actor {
            return Err(RectificationRefusal::NotAllowed { actor, event });
        }
        match (self, event) {
            (S::Open | S::Reopened, E::Report) => Ok(S::Reported),
            (S::Reported, E::SendBack) => Ok(S::Open),
            (S::Reported, E::Close) => Ok(S::Closed),
            (S::Closed, E::Reopen) => Ok(S::Reopened),
            (S::Open | S::Reopened | S::Reported, E::Withdraw) => Ok(S::Withdrawn),
            (from, event) => Err(RectificationRefusal::Illegal { from, event }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RectificationActor as A;
    use RectificationEvent as E;
    use RectificationStatus as S;
    use proptest::prelude::*;

    #[test]
    fn the_unit_reports_and_only_a_supervisor_closes_out_and_reopens() {
        let table = [
            (S::Open, E::Report, S::Reported),
            (S::Reopened, E::Report, S::Reported),
            (S::Reported, E::SendBack, S::Open),
            (S::Reported, E::Close, S::Closed),
            (S::Closed, E::Reopen, S::Reopened),
            (S::Open, E::Withdraw, S::Withdrawn),
            (S::Reopened, E::Withdraw, S::Withdrawn),
            (S::Reported, E::Withdraw, S::Withdrawn),
        ];
        for &from in S::ALL {
            for &event in E::ALL {
                for &actor in A::ALL {
                    let got = from.apply(actor, event);
                    if actor != event.actor() {
                        assert_eq!(got, Err(RectificationRefusal::NotAllowed { actor, event }));
                        continue;
                    }
                    let want = table
                        .iter()
                        .find(|(s, e, _)| *s == from && *e == event)
                        .map(|(_, _, to)| *to);
                    match want {
                        Some(to) => assert_eq!(got, Ok(to)),
                        None => {
                            assert_eq!(got, Err(RectificationRefusal::Illegal { from, event }))
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_supervisor_cannot_report_a_units_rectification_and_is_told_so() {
        let e = S::Open.apply(A::Supervisor, E::Report).unwrap_err();
        assert_eq!(e.code(), "only_the_unit_reports");
        assert!(e.message().starts_with("督查人员不能"));
    }

    #[test]
    fn a_responsible_unit_cannot_close_out_its_own_item() {
        let e = S::Reported.apply(A::ResponsibleUnit, E::Close).unwrap_err();
        assert_eq!(e.code(), "only_supervisor_closes");
        assert!(e.message().contains("督查人员"));
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        crate::lifecycle::coded::assert_codes_round_trip(S::ALL, S::code, S::label_zh);
        crate::lifecycle::coded::assert_codes_round_trip(E::ALL, E::code, E::label_zh);
        crate::lifecycle::coded::assert_codes_round_trip(A::ALL, A::code, A::label_zh);
    }

    proptest! {
        #[test]
        fn any_sequence_of_steps_never_leaves_a_closed_item_without_a_supervisor_step(
            steps in proptest::collection::vec((0usize..5, 0usize..2), 0..40)
        ) {
            let mut status = S::Open;
            for (e, a) in steps {
                let event = E::ALL[e];
                let actor = A::ALL[a];
                if let Ok(next) = status.apply(actor, event) {
                    if next == S::Closed || next == S::Reopened || next == S::Withdrawn {
                        prop_assert_eq!(actor, A::Supervisor);
                    }
                    status = next;
                }
            }
            // A withdrawn item stays withdrawn; every other status can still move.
            let movable = E::ALL.iter().any(|e| status.apply(e.actor(), *e).is_ok());
            prop_assert_eq!(movable, status != S::Withdrawn);
        }
    }
}
