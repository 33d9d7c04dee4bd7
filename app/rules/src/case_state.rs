//! `CaseState`: the life of an application and its only legal transitions.
//!
//! ```text
//! Received ─RequestCorrection→ CorrectionRequested
//! CorrectionRequested ─RequestCorrection→ CorrectionRequested (one-time rule)
//! Received | CorrectionRequested ─Accept→ Accepted ─StartReview→ InReview
//! InReview ⇄ Suspended (Suspend / Resume)
//! Received | CorrectionRequested (every correction in) ─DeemAccept→ Accepted{deemed}
//! Received | CorrectionRequested ─RefuseAcceptance→ NotAccepted
//! Received ─DecideOnCommitment→ Decided(Approved) (告知承诺制)
//! Received | CorrectionRequested ─HandleOnTheSpot→ Decided(Approved) (即办件: accepted and handled
//!   in one step, the result issued at once)
//! Accepted (即办件) | InReview ─Decide→ Decided(Approved|Denied)
//! Decided ─Deliver→ Delivered ─Close→ Closed
//! any state before the decision ─Withdraw→ Withdrawn
//! ```
//! Source: Seed §二(一)三, §二(二), §二(三); 行政许可法 第三十二条, 第三十四条, 第三十八条,
//! 第四十四条, 第四十五条.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The decision on an accepted application.
///
/// Source: 行政许可法 第三十八条 (准予 / 不予行政许可); Seed §三(二) (不予行政许可决定书).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 准予.
    Approved,
    /// 不予 (with reasons and the right to review or litigation).
    Denied,
}

impl Decision {
    /// Stable snake_case code, as serialised and stored (`cases.decision`). Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Denied => "denied",
        }
    }
}

/// Where a case stands.
///
/// Stored as its [`code`](Self::code). Source: Seed §二(一)三, §二(二), §二(三); 行政许可法
/// 第三十二条.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum CaseState {
    /// Materials received, review pending.
    Received,
    /// A correction notice (一次性补正告知书) was issued; waiting for the corrections.
    CorrectionRequested,
    /// Accepted (受理通知书 issued); `deemed` when accepted by law for want of a timely answer.
    Accepted {
        /// Deemed accepted (行政许可法 第三十二条: 逾期不告知的，自收到申请材料之日起即为受理).
        deemed: bool,
    },
    /// Not accepted (不予受理通知书). Terminal.
    NotAccepted,
    /// Under substantive review.
    InReview,
    /// Clock stopped for a special procedure (行政许可法 第四十五条).
    Suspended,
    /// Decided.
    Decided(Decision),
    /// The decision was delivered (送达).
    Delivered,
    /// Closed with the applicant's feedback recorded. Terminal.
    Closed,
    /// Withdrawn by the applicant before the decision. Terminal.
    Withdrawn,
}

/// Something that happens to a case.
///
/// Stored as its [`code`](CaseEvent::code). Source: Seed §二(二), §二(三); 行政许可法 第三十二条,
/// 第四十五条.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum CaseEvent {
    /// Issue a correction notice (again only within the one-time rule).
    RequestCorrection,
    /// Accept (on review, or once every correction is in).
    Accept,
    /// No answer within 5 working days, or no acceptance the day every correction was in:
    /// deemed accepted.
    DeemAccept,
    /// Not subject to approval / not this unit's authority.
    RefuseAcceptance,
    /// 告知承诺制: the signed commitment gives the decision at once.
    DecideOnCommitment,
    /// 即办件 complete and lawful: accepted and handled on the spot in one step, the result issued
    /// at once (Seed §二(一)三 即办业务必须当场办理; §二(二) 即办件…当场办结).
    HandleOnTheSpot,
    /// Start the substantive review.
    StartReview,
    /// Stop the clock for a special procedure.
    Suspend,
    /// The special procedure ended.
    Resume,
    /// Decide.
    Decide(Decision),
    /// Deliver the decision (送达).
    Deliver,
    /// Close, after feedback to the applicant.
    Close,
    /// The applicant withdraws the application.
    Withdraw,
}

/// A transition the rules do not allow.
///
/// Source: Seed §二 (the workflow of the four systems); issue #4 ("every other transition is a
/// typed error").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[error("案件当前状态为「{}」，不能“{}”", .from.label_zh(), .event.label_zh())]
pub struct IllegalTransition {
    /// The state.
    pub from: CaseState,
    /// The event refused.
    pub event: CaseEvent,
}

impl IllegalTransition {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        "illegal_transition"
    }
}

/// A code that names no state or event.
///
/// Source: product rule (states are stored as codes).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("未知的代码“{0}”")]
pub struct UnknownCode(pub String);

impl CaseState {
    /// Every state. Source: see [`CaseState`].
    pub const ALL: [Self; 12] = [
        Self::Received,
        Self::CorrectionRequested,
        Self::Accepted { deemed: false },
        Self::Accepted { deemed: true },
        Self::NotAccepted,
        Self::InReview,
        Self::Suspended,
        Self::Decided(Decision::Approved),
        Self::Decided(Decision::Denied),
        Self::Delivered,
        Self::Closed,
        Self::Withdrawn,
    ];

    /// The state after `event`, or [`IllegalTransition`]. Source: Seed §二(一)三, §二(二), §二(三);
    /// 行政许可法 第三十二条, 第三十八条, 第四十四条, 第四十五条.
    pub fn apply(self, event: CaseEvent) -> Result<CaseState, IllegalTransition> {
        use CaseEvent as E;
        use CaseState as S;
        let next = match (self, event) {
            (s, E::Withdraw) if s.is_pending() => S::Withdrawn,
            (S::Received | S::CorrectionRequested, E::RequestCorrection) => S::CorrectionRequested,
            (S::Received | S::CorrectionRequested, E::Accept) => S::Accepted { deemed: false },
            (S::Received | S::CorrectionRequested, E::RefuseAcceptance) => S::NotAccepted,
            // After corrections, only once every one is in: the service checks that (必须即时受理).
            (S::Received | S::CorrectionRequested, E::DeemAccept) => S::Accepted { deemed: true },
            (S::Received, E::DecideOnCommitment) => S::Decided(Decision::Approved),
            (S::Received | S::CorrectionRequested, E::HandleOnTheSpot) => {
                S::Decided(Decision::Approved)
            }
            (S::Accepted { .. }, E::StartReview) => S::InReview,
            (S::Accepted { .. } | S::InReview, E::Decide(d)) => S::Decided(d),
            (S::InReview, E::Suspend) => S::Suspended,
            (S::Suspended, E::Resume) => S::InReview,
            (S::Decided(_), E::Deliver) => S::Delivered,
            (S::Delivered, E::Close) => S::Closed,
            (from, event) => return Err(IllegalTransition { from, event }),
        };
        Ok(next)
    }

    /// Terminal: not accepted, closed or withdrawn. Source: Seed §二(二)五; 行政许可法 第三十二条.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::NotAccepted | Self::Closed | Self::Withdrawn)
    }

    /// Not finished: neither terminal nor delivered, in [`Self::ALL`]'s order. A workbench lists
    /// these by default; the storage has a partial index of exactly these (m0014).
    pub const UNFINISHED: [Self; 8] = [
        Self::Received,
        Self::CorrectionRequested,
        Self::Accepted { deemed: false },
        Self::Accepted { deemed: true },
        Self::InReview,
        Self::Suspended,
        Self::Decided(Decision::Approved),
        Self::Decided(Decision::Denied),
    ];

    /// Not finished: neither terminal nor delivered ([`Self::UNFINISHED`]).
    pub fn is_unfinished(&self) -> bool {
        !(self.is_terminal() || *self == Self::Delivered)
    }

    /// Not terminal: the owner still follows it (首问负责 follows a promised case to the end).
    /// Source: Seed §二(一)三.
    pub fn is_open(&self) -> bool {
        !self.is_terminal()
    }

    /// Before a decision: the applicant may still withdraw. Source: Seed §二(二); 行政许可法
    /// 第三十二条.
    pub fn is_pending(&self) -> bool {
        matches!(
            self,
            Self::Received
                | Self::CorrectionRequested
                | Self::Accepted { .. }
                | Self::InReview
                | Self::Suspended
        )
    }

    /// Whether the promised-time clock runs (accepted, not suspended, not decided).
    /// Source: Seed §二(三)二; 行政许可法 第四十五条.
    pub fn is_clock_running(&self) -> bool {
        matches!(self, Self::Accepted { .. } | Self::InReview)
    }

    /// Whether the one extension may be asked for or approved now: accepted, in review or
    /// suspended (a request left pending when its case moved on lapses with it).
    /// Source: 行政许可法 第四十二条 (延长期限 within the period of handling).
    pub fn may_be_extended(&self) -> bool {
        matches!(
            self,
            Self::Accepted { .. } | Self::InReview | Self::Suspended
        )
    }

    /// Stable snake_case code for storage. Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::CorrectionRequested => "correction_requested",
            Self::Accepted { deemed: false } => "accepted",
            Self::Accepted { deemed: true } => "deemed_accepted",
            Self::NotAccepted => "not_accepted",
            Self::InReview => "in_review",
            Self::Suspended => "suspended",
            Self::Decided(Decision::Approved) => "approved",
            Self::Decided(Decision::Denied) => "denied",
            Self::Delivered => "delivered",
            Self::Closed => "closed",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// The state with this code. Source: product rule.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The Chinese label. Source: Seed §二(二), §二(三) (受理, 补正, 不予受理, 办结).
    pub fn label_zh(&self) -> &'static str {
        match self {
            Self::Received => "已收件",
            Self::CorrectionRequested => "待补正",
            Self::Accepted { deemed: false } => "已受理",
            Self::Accepted { deemed: true } => "视为受理",
            Self::NotAccepted => "不予受理",
            Self::InReview => "审查中",
            Self::Suspended => "特别程序（暂停计时）",
            Self::Decided(Decision::Approved) => "准予",
            Self::Decided(Decision::Denied) => "不予准予",
            Self::Delivered => "已送达",
            Self::Closed => "已办结",
            Self::Withdrawn => "已撤回",
        }
    }
}

impl CaseEvent {
    /// Every event. Source: see [`CaseEvent`].
    pub const ALL: [Self; 14] = [
        Self::RequestCorrection,
        Self::Accept,
        Self::DeemAccept,
        Self::RefuseAcceptance,
        Self::DecideOnCommitment,
        Self::HandleOnTheSpot,
        Self::StartReview,
        Self::Suspend,
        Self::Resume,
        Self::Decide(Decision::Approved),
        Self::Decide(Decision::Denied),
        Self::Deliver,
        Self::Close,
        Self::Withdraw,
    ];

    /// Stable snake_case code for storage. Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::RequestCorrection => "request_correction",
            Self::Accept => "accept",
            Self::DeemAccept => "deem_accept",
            Self::RefuseAcceptance => "refuse_acceptance",
            Self::DecideOnCommitment => "decide_on_commitment",
            Self::HandleOnTheSpot => "handle_on_the_spot",
            Self::StartReview => "start_review",
            Self::Suspend => "suspend",
            Self::Resume => "resume",
            Self::Decide(Decision::Approved) => "approve",
            Self::Decide(Decision::Denied) => "deny",
            Self::Deliver => "deliver",
            Self::Close => "close",
            Self::Withdraw => "withdraw",
        }
    }

    /// The event with this code. Source: product rule.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The Chinese label. Source: Seed §二(二), §二(三); 行政许可法 第三十二条, 第四十五条.
    pub fn label_zh(&self) -> &'static str {
        match self {
            Self::RequestCorrection => "一次性告知补正",
            Self::Accept => "受理",
            Self::DeemAccept => "逾期视为受理",
            Self::RefuseAcceptance => "不予受理",
            Self::DecideOnCommitment => "告知承诺当场决定",
            Self::HandleOnTheSpot => "即办件当场受理并办结",
            Self::StartReview => "开始审查",
            Self::Suspend => "中止计时",
            Self::Resume => "恢复计时",
            Self::Decide(Decision::Approved) => "作出准予决定",
            Self::Decide(Decision::Denied) => "作出不予决定",
            Self::Deliver => "送达",
            Self::Close => "办结",
            Self::Withdraw => "撤回申请",
        }
    }
}

impl From<CaseState> for String {
    fn from(s: CaseState) -> Self {
        s.code().to_owned()
    }
}

impl TryFrom<String> for CaseState {
    type Error = UnknownCode;

    fn try_from(code: String) -> Result<Self, Self::Error> {
        Self::from_code(&code).ok_or(UnknownCode(code))
    }
}

impl From<CaseEvent> for String {
    fn from(e: CaseEvent) -> Self {
        e.code().to_owned()
    }
}

impl TryFrom<String> for CaseEvent {
    type Error = UnknownCode;

    fn try_from(code: String) -> Result<Self, Self::Error> {
        Self::from_code(&code).ok_or(UnknownCode(code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseEvent as E;
    use CaseState as S;

    const APPROVED: S = S::Decided(Decision::Approved);
    const DENIED: S = S::Decided(Decision::Denied);
    const ACCEPTED: S = S::Accepted { deemed: false };
    const DEEMED: S = S::Accepted { deemed: true };

    /// Every legal transition, written out by hand.
    fn legal() -> Vec<(S, E, S)> {
        let approve = E::Decide(Decision::Approved);
        let deny = E::Decide(Decision::Denied);
        vec![
            (S::Received, E::RequestCorrection, S::CorrectionRequested),
            (S::Received, E::Accept, ACCEPTED),
            (S::Received, E::DeemAccept, DEEMED),
            (S::Received, E::RefuseAcceptance, S::NotAccepted),
            (S::Received, E::DecideOnCommitment, APPROVED),
            (S::Received, E::HandleOnTheSpot, APPROVED),
            (S::Received, E::Withdraw, S::Withdrawn),
            (
                S::CorrectionRequested,
                E::RequestCorrection,
                S::CorrectionRequested,
            ),
            (S::CorrectionRequested, E::Accept, ACCEPTED),
            (S::CorrectionRequested, E::DeemAccept, DEEMED),
            (S::CorrectionRequested, E::HandleOnTheSpot, APPROVED),
            (S::CorrectionRequested, E::RefuseAcceptance, S::NotAccepted),
            (S::CorrectionRequested, E::Withdraw, S::Withdrawn),
            (ACCEPTED, E::StartReview, S::InReview),
            (ACCEPTED, approve, APPROVED),
            (ACCEPTED, deny, DENIED),
            (ACCEPTED, E::Withdraw, S::Withdrawn),
            (DEEMED, E::StartReview, S::InReview),
            (DEEMED, approve, APPROVED),
            (DEEMED, deny, DENIED),
            (DEEMED, E::Withdraw, S::Withdrawn),
            (S::InReview, E::Suspend, S::Suspended),
            (S::InReview, approve, APPROVED),
            (S::InReview, deny, DENIED),
            (S::InReview, E::Withdraw, S::Withdrawn),
            (S::Suspended, E::Resume, S::InReview),
            (S::Suspended, E::Withdraw, S::Withdrawn),
            (APPROVED, E::Deliver, S::Delivered),
            (DENIED, E::Deliver, S::Delivered),
            (S::Delivered, E::Close, S::Closed),
        ]
    }

    #[test]
    fn the_unfinished_states_are_every_state_neither_terminal_nor_delivered_in_order() {
        let expected: Vec<CaseState> = CaseState::ALL
            .into_iter()
            .filter(CaseState::is_unfinished)
            .collect();
        assert_eq!(CaseState::UNFINISHED.to_vec(), expected);
    }

    #[test]
    fn every_state_event_pair_is_legal_exactly_as_the_table_says_and_illegal_otherwise() {
        let table = legal();
        let mut illegal = 0;
        for from in S::ALL {
            for event in E::ALL {
                let expected = table
                    .iter()
                    .find(|(s, e, _)| *s == from && *e == event)
                    .map(|(_, _, next)| *next);
                match expected {
                    Some(next) => assert_eq!(from.apply(event), Ok(next), "{from:?} + {event:?}"),
                    None => {
                        illegal += 1;
                        assert_eq!(
                            from.apply(event),
                            Err(IllegalTransition { from, event }),
                            "{from:?} + {event:?} must be refused"
                        );
                    }
                }
            }
        }
        assert_eq!(illegal, 12 * 14 - table.len());
        assert_eq!(illegal, 138);
    }

    #[test]
    fn terminal_states_accept_no_event() {
        for from in S::ALL.into_iter().filter(S::is_terminal) {
            for event in E::ALL {
                assert!(from.apply(event).is_err(), "{from:?} + {event:?}");
            }
        }
    }

    #[test]
    fn a_case_cannot_be_withdrawn_after_the_decision() {
        for from in [APPROVED, DENIED, S::Delivered] {
            assert_eq!(
                from.apply(E::Withdraw),
                Err(IllegalTransition {
                    from,
                    event: E::Withdraw
                })
            );
        }
    }

    #[test]
    fn a_correction_then_acceptance_then_suspension_path_ends_closed() {
        let path = [
            E::RequestCorrection,
            E::Accept,
            E::StartReview,
            E::Suspend,
            E::Resume,
            E::Decide(Decision::Denied),
            E::Deliver,
            E::Close,
        ];
        let end = path.into_iter().try_fold(S::Received, S::apply).unwrap();
        assert_eq!(end, S::Closed);
    }

    #[test]
    fn deemed_acceptance_is_an_accepted_state_with_a_flag() {
        let s = S::Received.apply(E::DeemAccept).unwrap();
        assert_eq!(s, S::Accepted { deemed: true });
        assert_eq!(s.code(), "deemed_accepted");
        assert_eq!(s.label_zh(), "视为受理");
        assert!(s.is_clock_running());
        // Once every correction is in, not accepting that day is deemed acceptance too.
        assert_eq!(S::CorrectionRequested.apply(E::DeemAccept), Ok(s));
        assert_eq!(
            S::InReview.apply(E::DeemAccept).unwrap_err().code(),
            "illegal_transition"
        );
    }

    #[test]
    fn an_illegal_transition_explains_itself_in_chinese() {
        let e = S::Closed.apply(E::Suspend).unwrap_err();
        assert_eq!(e.to_string(), "案件当前状态为「已办结」，不能“中止计时”");
    }

    #[test]
    fn open_terminal_pending_and_clock_are_consistent() {
        for s in S::ALL {
            assert_eq!(s.is_open(), !s.is_terminal(), "{s:?}");
            if s.is_pending() {
                assert!(s.is_open(), "{s:?}");
            }
            if s.is_clock_running() {
                assert!(s.is_pending(), "{s:?}");
            }
        }
        assert!(!S::Suspended.is_clock_running());
        assert!(APPROVED.is_open() && !APPROVED.is_pending());
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
            assert_eq!(S::try_from(String::from(s)), Ok(s));
            assert_eq!(
                S::ALL
                    .iter()
                    .filter(|o| o.label_zh() == s.label_zh())
                    .count(),
                1
            );
        }
        for e in E::ALL {
            assert_eq!(E::from_code(e.code()), Some(e));
            assert_eq!(E::try_from(String::from(e)), Ok(e));
            assert_eq!(
                E::ALL
                    .iter()
                    .filter(|o| o.label_zh() == e.label_zh())
                    .count(),
                1
            );
        }
        assert_eq!(S::from_code("lost"), None);
        assert_eq!(
            E::try_from("jump".to_owned()),
            Err(UnknownCode("jump".into()))
        );
    }
}
