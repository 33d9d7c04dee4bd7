//! Requests a chief representative decides: a one-time exception (naming a deficiency the first
//! correction notice missed, Seed §二(二)二) and an extension (行政许可法 第四十二条).
//!
//! ```text
//! Pending ─Approve→ Approved ─Use→ Used (an exception covers one later notice)
//! Pending ─Refuse→ Refused
//! ```

use thiserror::Error;

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
        match self.event {
            RequestEvent::Approve | RequestEvent::Refuse => "already_decided",
            RequestEvent::Use => "illegal_transition",
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
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        crate::lifecycle::coded::assert_codes_round_trip(S::ALL, S::code, S::label_zh);
        crate::lifecycle::coded::assert_codes_round_trip(E::ALL, E::code, E::label_zh);
    }
}
