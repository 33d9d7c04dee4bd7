//! Requests a chief representative decides: a one-time exception (naming a deficiency the first
//! correction notice missed, Seed §二(二)二) and an extension (行政许可法 第四十二条).
//!
//! ```text
//! Pending ─Approve→ Approved ─Use→ Used (an exception covers one later notice)
//! Pending ─Refuse→ Refused
//! Pending ─Lapse→ Lapsed (its case left the states the request serves)
//! ```

use thiserror::Error;

use crate::CaseState;

coded_enum! {
    /// Where a request stands. Source: Seed §二(二)二; 行政许可法 第四十二条.
    pub enum RequestStatus {
        /// Waiting for the chief representative.
        Pending = ("pending", "待审批"),
        /// Approved.
        Approved = ("approved", "已批准"),
        /// Refused.
        Refused = ("refused", "未批准"),
        /// An approved exception that a later notice has used.
        Used = ("used", "已使用"),
        /// Left undecided while its case moved on (withdrawn, decided, or out of 待补正).
        Lapsed = ("lapsed", "已失效"),
    }
}

coded_enum! {
    /// Something that happens to a request. Source: Seed §二(二)二; 行政许可法 第四十二条.
    pub enum RequestEvent {
        /// The chief representative approves.
        Approve = ("approve", "批准"),
        /// The chief representative refuses.
        Refuse = ("refuse", "不批准"),
        /// A notice uses the approval.
        Use = ("use", "使用"),
        /// The case moves on before the chief representative decides.
        Lapse = ("lapse", "失效"),
    }
}

coded_enum! {
    /// What a request asks for. Source: Seed §二(二)二; 行政许可法 第四十二条.
    pub enum RequestKind {
        /// One extension of the promised time (行政许可法 第四十二条).
        Extension = ("extension", "延期"),
        /// A deficiency the first correction notice missed (Seed §二(二)二).
        OneTimeException = ("one_time_exception", "补充告知"),
    }
}

impl RequestKind {
    /// Whether a case in `state` still serves a request of this kind: an extension while the
    /// case is being handled, an exception while it waits for corrections (it adds to a notice
    /// still to be issued). Source: 行政许可法 第四十二条; Seed §二(二)二.
    pub fn served_in(self, state: CaseState) -> bool {
        match self {
            Self::Extension => state.may_be_extended(),
            Self::OneTimeException => state == CaseState::CorrectionRequested,
        }
    }

    /// Whether a case's step from `before` to `after` lapses the pending requests of this kind.
    /// Source: product rule (a request outlives no purpose).
    pub fn lapses(self, before: CaseState, after: CaseState) -> bool {
        self.served_in(before) && !self.served_in(after)
    }
}

/// A request step the rules refuse.
///
/// Source: product rule (a request is decided once; an approval is used once).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("该申请当前状态为“{}”，不能{}", .from.label_zh(), .event.label_zh())]
pub struct RequestRefusal {
    /// The status.
    pub from: RequestStatus,
    /// The event refused.
    pub event: RequestEvent,
}

impl RequestRefusal {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        match (self.from, self.event) {
            (RequestStatus::Lapsed, _) => "case_moved_on",
            (_, RequestEvent::Approve | RequestEvent::Refuse) => "already_decided",
            (_, RequestEvent::Use | RequestEvent::Lapse) => "illegal_transition",
        }
    }
}

impl RequestStatus {
    /// The status after `event`, or the refusal. Source: product rule.
    pub fn apply(self, event: RequestEvent) -> Result<Self, RequestRefusal> {
        use RequestEvent as E;
        use RequestStatus as S;
        match (self, event) {
            (S::Pending, E::Approve) => Ok(S::Approved),
            (S::Pending, E::Refuse) => Ok(S::Refused),
            (S::Approved, E::Use) => Ok(S::Used),
            (S::Pending, E::Lapse) => Ok(S::Lapsed),
            (from, event) => Err(RequestRefusal { from, event }),
        }
    }

    /// Whether it still blocks another request of the same kind (pending or approved).
    /// Source: 行政许可法 第四十二条 (one extension per case).
    pub fn is_live(self) -> bool {
        matches!(self, Self::Pending | Self::Approved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestEvent as E;
    use RequestStatus as S;

    #[test]
    fn a_request_is_decided_once_and_an_approval_used_once() {
        let table = [
            (S::Pending, E::Approve, S::Approved),
            (S::Pending, E::Refuse, S::Refused),
            (S::Approved, E::Use, S::Used),
            (S::Pending, E::Lapse, S::Lapsed),
        ];
        for &from in S::ALL {
            for &event in E::ALL {
                let want = table
                    .iter()
                    .find(|(s, e, _)| *s == from && *e == event)
                    .map(|(_, _, to)| *to);
                match want {
                    Some(to) => assert_eq!(from.apply(event), Ok(to)),
                    None => assert_eq!(from.apply(event), Err(RequestRefusal { from, event })),
                }
            }
        }
        assert_eq!(
            S::Approved.apply(E::Approve).unwrap_err().code(),
            "already_decided"
        );
        assert_eq!(
            S::Used.apply(E::Use).unwrap_err().code(),
            "illegal_transition"
        );
        assert_eq!(
            S::Lapsed.apply(E::Refuse).unwrap_err().code(),
            "case_moved_on"
        );
        assert!(!S::Lapsed.is_live());
    }

    #[test]
    fn an_extension_lapses_when_its_case_leaves_handling_and_an_exception_out_of_corrections() {
        use CaseState as C;
        let ext = RequestKind::Extension;
        let exc = RequestKind::OneTimeException;
        assert!(ext.lapses(C::InReview, C::Withdrawn));
        assert!(ext.lapses(C::Suspended, C::Withdrawn));
        assert!(!ext.lapses(C::InReview, C::Suspended));
        assert!(!ext.lapses(C::Withdrawn, C::Withdrawn));
        assert!(exc.lapses(C::CorrectionRequested, C::Withdrawn));
        assert!(!exc.lapses(C::CorrectionRequested, C::CorrectionRequested));
        assert!(!exc.lapses(C::InReview, C::Withdrawn));
        for before in C::ALL {
            for after in C::ALL {
                for &kind in RequestKind::ALL {
                    if kind.lapses(before, after) {
                        assert!(kind.served_in(before) && !kind.served_in(after));
                    }
                }
            }
        }
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        crate::lifecycle::coded::assert_codes_round_trip(S::ALL, S::code, S::label_zh);
        crate::lifecycle::coded::assert_codes_round_trip(E::ALL, E::code, E::label_zh);
        crate::lifecycle::coded::assert_codes_round_trip(
            RequestKind::ALL,
            RequestKind::code,
            RequestKind::label_zh,
        );
    }
}
