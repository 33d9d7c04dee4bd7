//! `Inquiry`: first-inquiry responsibility (首问负责制, Seed §二(一)).
//!
//! ```text
//! Open ─Conclude→ Closed      (handled on the spot, guide given, external referral, became a case)
//! Open ─HandOver→ Waiting     (internal referral unconfirmed / escalation unresolved)
//! Waiting ─ConfirmReferral→ Closed      Waiting ─ResolveEscalation→ FeedbackDue
//! FeedbackDue ─GiveFeedback→ Closed
//! ```
//! An inquiry has exactly one outcome and is never simply dropped.

use thiserror::Error;

coded_enum! {
    /// Where an inquiry stands. Source: Seed §二(一).
    pub enum InquiryStatus {
        /// No outcome yet.
        Open = ("open", "待处理"),
        /// Referred or escalated; the owner stays responsible.
        Waiting = ("waiting", "等待回复"),
        /// The escalation was resolved; the owner must tell the applicant.
        FeedbackDue = ("feedback_due", "待反馈"),
        /// Done.
        Closed = ("closed", "已办结"),
    }
}

coded_enum! {
    /// Something that happens to an inquiry. Source: Seed §二(一).
    pub enum InquiryEvent {
        /// An outcome that ends it at once.
        Conclude = ("conclude", "给出结果"),
        /// An outcome that hands it to another window or the chief representative.
        HandOver = ("hand_over", "转办或提请协调"),
        /// The receiving window confirms the referral.
        ConfirmReferral = ("confirm_referral", "确认转办"),
        /// The chief representative resolves the escalation.
        ResolveEscalation = ("resolve_escalation", "协调处理"),
        /// The owner reports back to the applicant.
        GiveFeedback = ("give_feedback", "反馈结果"),
    }
}

/// An inquiry step the rules refuse.
///
/// Source: Seed §二(一) (one outcome per inquiry).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("{}", self.message())]
pub struct InquiryRefusal {
    /// The status.
    pub from: InquiryStatus,
    /// The event refused.
    pub event: InquiryEvent,
}

impl InquiryRefusal {
    /// Stable snake_case code (the API's codes since issue #5). Source: product rule.
    pub fn code(&self) -> &'static str {
        match self.event {
            InquiryEvent::Conclude | InquiryEvent::HandOver => "outcome_already_set",
            InquiryEvent::GiveFeedback => "no_feedback_due",
            InquiryEvent::ConfirmReferral | InquiryEvent::ResolveEscalation => "illegal_transition",
        }
    }

    fn message(&self) -> String {
        match self.event {
            InquiryEvent::Conclude | InquiryEvent::HandOver => {
                "这条咨询已有处理结果，每条咨询只能有一个结果".into()
            }
            InquiryEvent::GiveFeedback => "这条咨询目前不需要反馈".into(),
            _ => format!(
                "这条咨询当前状态为“{}”，不能{}",
                self.from.label_zh(),
                self.event.label_zh()
            ),
        }
    }
}

impl InquiryStatus {
    /// The status after `event`, or the refusal. Source: Seed §二(一).
    pub fn apply(self, event: InquiryEvent) -> Result<Self, InquiryRefusal> {
        use InquiryEvent as E;
        use InquiryStatus as S;
        match (self, event) {
            (S::Open, E::Conclude) => Ok(S::Closed),
            (S::Open, E::HandOver) => Ok(S::Waiting),
            (S::Waiting, E::ConfirmReferral) => Ok(S::Closed),
            (S::Waiting, E::ResolveEscalation) => Ok(S::FeedbackDue),
            (S::FeedbackDue, E::GiveFeedback) => Ok(S::Closed),
            (from, event) => Err(InquiryRefusal { from, event }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InquiryEvent as E;
    use InquiryStatus as S;

    #[test]
    fn an_inquiry_has_exactly_one_outcome_and_is_never_dropped() {
        let table = [
            (S::Open, E::Conclude, S::Closed),
            (S::Open, E::HandOver, S::Waiting),
            (S::Waiting, E::ConfirmReferral, S::Closed),
            (S::Waiting, E::ResolveEscalation, S::FeedbackDue),
            (S::FeedbackDue, E::GiveFeedback, S::Closed),
        ];
        for &from in S::ALL {
            for &event in E::ALL {
                let want = table
                    .iter()
                    .find(|(s, e, _)| *s == from && *e == event)
                    .map(|(_, _, to)| *to);
                match want {
                    Some(to) => assert_eq!(from.apply(event), Ok(to)),
                    None => assert_eq!(from.apply(event), Err(InquiryRefusal { from, event })),
                }
            }
        }
        let e = S::Closed.apply(E::Conclude).unwrap_err();
        assert_eq!(e.code(), "outcome_already_set");
        assert_eq!(
            S::Open.apply(E::GiveFeedback).unwrap_err().code(),
            "no_feedback_due"
        );
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        crate::lifecycle::coded::assert_codes_round_trip(S::ALL, S::code, S::label_zh);
        crate::lifecycle::coded::assert_codes_round_trip(E::ALL, E::code, E::label_zh);
    }
}
