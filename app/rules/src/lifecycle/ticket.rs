//! `QueueTicket`: a ticket's life in the hall on its day (Seed §二(四)).
//!
//! ```text
//! Waiting ─Call→ Called ─Recall→ Called ─Start→ Serving ─Finish→ Done
//! Called (after at least one recall) ─NoShow→ NoShow
//! Called | Serving ─Transfer→ Waiting (reserved for another window)
//! Called | Serving ─CannotServe→ Reassigning ─Reassign→ Waiting (chief representative's choice)
//! Called | Serving ─ExtendService→ same status (the extended service is recorded beside it)
//! ```
//! There is no way to drop a waiting ticket: everyone issued a ticket is served (Seed §二(四)二).

use thiserror::Error;

coded_enum! {
    /// Where a ticket stands. Source: Seed §二(四); issue #6.
    pub enum TicketStatus {
        /// Issued, waiting to be called.
        Waiting = ("waiting", "等候中"),
        /// Called to a window.
        Called = ("called", "已叫号"),
        /// Being served at the window.
        Serving = ("serving", "办理中"),
        /// Served.
        Done = ("done", "已办结"),
        /// Called, recalled, not there.
        NoShow = ("no_show", "未到"),
        /// The window cannot serve it: waiting for the chief representative (Seed §二(四)三).
        Reassigning = ("reassigning", "待首席代表安排"),
    }
}

coded_enum! {
    /// Something that happens to a ticket. Source: Seed §二(四); issue #6.
    pub enum TicketEvent {
        /// A window calls it.
        Call = ("call", "叫号"),
        /// The window calls it again.
        Recall = ("recall", "重呼"),
        /// Service starts.
        Start = ("start", "开始办理"),
        /// Service ends.
        Finish = ("finish", "办结"),
        /// The citizen did not come.
        NoShow = ("no_show", "登记未到"),
        /// Sent to another window of the same unit.
        Transfer = ("transfer", "转移窗口"),
        /// "无法办理": handed to the chief representative.
        CannotServe = ("cannot_serve", "报告无法办理"),
        /// The chief representative assigns another staff member and window.
        Reassign = ("reassign", "重新安排"),
        /// Extended service is asked for or started on it.
        ExtendService = ("extend_service", "延时服务"),
    }
}

impl TicketStatus {
    /// Still to be served today: the day cannot close while any ticket is in one of these
    /// (Seed §二(四)二: 已取号的群众必须办理完毕).
    pub const UNFINISHED: [TicketStatus; 4] = [
        Self::Waiting,
        Self::Called,
        Self::Serving,
        Self::Reassigning,
    ];

    /// In a clerk's hands: called to their window and not yet finished, transferred or missed.
    /// Only the clerk who called it acts on it, and they call nobody else meanwhile.
    pub const IN_HAND: [TicketStatus; 2] = [Self::Called, Self::Serving];

    /// Whether the ticket still has to be served today. Source: Seed §二(四)二.
    pub fn is_unfinished(self) -> bool {
        Self::UNFINISHED.contains(&self)
    }

    /// Whether it occupies a window now (called or being served). Source: issue #6.
    pub fn is_at_window(self) -> bool {
        matches!(self, Self::Called | Self::Serving)
    }
}

/// A ticket's status with the one count its rules read: how often it was recalled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TicketState {
    /// Where it stands.
    pub status: TicketStatus,
    /// Recalls since it was called.
    pub recalls: u32,
}

/// A ticket step the rules refuse.
///
/// Source: Seed §二(四); issue #6 (no-show only after a recall).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum TicketRefusal {
    /// A no-show needs one recall first.
    #[error("请先重新呼叫一次，确认不在场后再登记过号")]
    RecallFirst,
    /// Not from this status.
    #[error("该号当前状态为“{}”，不能{}", .from.label_zh(), .event.label_zh())]
    Illegal {
        /// The status.
        from: TicketStatus,
        /// The event refused.
        event: TicketEvent,
    },
}

impl TicketRefusal {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::RecallFirst => "recall_first",
            Self::Illegal { .. } => "illegal_transition",
        }
    }
}

impl TicketState {
    /// A ticket just issued.
    pub fn issued() -> Self {
        Self {
            status: TicketStatus::Waiting,
            recalls: 0,
        }
    }

    /// The state after `event`, or the refusal. Source: Seed §二(四); issue #6.
    pub fn apply(self, event: TicketEvent) -> Result<TicketState, TicketRefusal> {
        use TicketEvent as E;
        use TicketStatus as S;
        let illegal = TicketRefusal::Illegal {
            from: self.status,
            event,
        };
        let (status, recalls) = match (self.status, event) {
            (S::Waiting, E::Call) => (S::Called, 0),
            (S::Called, E::Recall) => (S::Called, self.recalls + 1),
            (S::Called, E::Start) => (S::Serving, self.recalls),
            (S::Serving, E::Finish) => (S::Done, self.recalls),
            (S::Called, E::NoShow) if self.recalls >= 1 => (S::NoShow, self.recalls),
            (S::Called, E::NoShow) => return Err(TicketRefusal::RecallFirst),
            (S::Called | S::Serving, E::Transfer) => (S::Waiting, 0),
            (S::Called | S::Serving, E::CannotServe) => (S::Reassigning, self.recalls),
            (S::Reassigning, E::Reassign) => (S::Waiting, 0),
            (S::Called | S::Serving, E::ExtendService) => (self.status, self.recalls),
            _ => return Err(illegal),
        };
        Ok(TicketState { status, recalls })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TicketEvent as E;
    use TicketStatus as S;

    fn at(status: S, recalls: u32) -> TicketState {
        TicketState { status, recalls }
    }

    /// Every legal step, by hand: (from, event) → to.
    fn legal() -> Vec<(S, E, S)> {
        vec![
            (S::Waiting, E::Call, S::Called),
            (S::Called, E::Recall, S::Called),
            (S::Called, E::Start, S::Serving),
            (S::Called, E::NoShow, S::NoShow),
            (S::Called, E::Transfer, S::Waiting),
            (S::Called, E::CannotServe, S::Reassigning),
            (S::Called, E::ExtendService, S::Called),
            (S::Serving, E::Finish, S::Done),
            (S::Serving, E::Transfer, S::Waiting),
            (S::Serving, E::CannotServe, S::Reassigning),
            (S::Serving, E::ExtendService, S::Serving),
            (S::Reassigning, E::Reassign, S::Waiting),
        ]
    }

    #[test]
    fn every_status_event_pair_is_legal_exactly_as_the_table_says() {
        let table = legal();
        for &from in S::ALL {
            for &event in E::ALL {
                let got = at(from, 1).apply(event).map(|t| t.status);
                match table.iter().find(|(s, e, _)| *s == from && *e == event) {
                    Some((_, _, to)) => assert_eq!(got, Ok(*to), "{from:?} + {event:?}"),
                    None => assert_eq!(
                        got,
                        Err(TicketRefusal::Illegal { from, event }),
                        "{from:?} + {event:?}"
                    ),
                }
            }
        }
    }

    #[test]
    fn a_no_show_is_refused_until_the_ticket_was_recalled_once() {
        let called = TicketState::issued().apply(E::Call).unwrap();
        assert_eq!(called.apply(E::NoShow), Err(TicketRefusal::RecallFirst));
        assert_eq!(TicketRefusal::RecallFirst.code(), "recall_first");
        let recalled = called.apply(E::Recall).unwrap();
        assert_eq!(recalled.recalls, 1);
        assert_eq!(recalled.apply(E::NoShow).unwrap().status, S::NoShow);
    }

    #[test]
    fn a_waiting_ticket_can_never_be_dropped() {
        for &event in E::ALL {
            if let Ok(next) = TicketState::issued().apply(event) {
                assert_eq!(next.status, S::Called, "{event:?}");
            }
        }
    }

    #[test]
    fn a_transferred_or_reassigned_ticket_waits_again_with_no_recalls() {
        let called = at(S::Called, 2);
        assert_eq!(called.apply(E::Transfer), Ok(at(S::Waiting, 0)));
        let reassigning = called.apply(E::CannotServe).unwrap();
        assert_eq!(reassigning.apply(E::Reassign), Ok(at(S::Waiting, 0)));
    }

    #[test]
    fn finished_and_no_show_tickets_accept_no_event() {
        for from in [S::Done, S::NoShow] {
            for &event in E::ALL {
                assert!(at(from, 1).apply(event).is_err(), "{from:?} + {event:?}");
            }
            assert!(!from.is_unfinished());
        }
    }

    #[test]
    fn a_refusal_explains_itself_in_chinese() {
        let e = at(S::Done, 0).apply(E::Recall).unwrap_err();
        assert_eq!(e.to_string(), "该号当前状态为“已办结”，不能重呼");
        assert_eq!(e.code(), "illegal_transition");
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        crate::lifecycle::coded::assert_codes_round_trip(S::ALL, S::code, S::label_zh);
        crate::lifecycle::coded::assert_codes_round_trip(E::ALL, E::code, E::label_zh);
    }
}
