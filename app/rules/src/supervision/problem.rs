//! What a supervision problem is about and where it was found.

coded_enum! {
    /// The kind of a problem. The detected kinds come from the data (Seed §二, each system's
    /// rule); the supervisor may also file any kind by hand. Source: Seed §三(四); issue #13.
    pub enum ProblemKind {
        /// A case passed its due moment without a decision (限时办结).
        CaseOverdue = ("case_overdue", "办件超期"),
        /// A stage of a case passed its limit (限时办结).
        StageOverdue = ("stage_overdue", "环节超时"),
        /// No review outcome in five working days: the case was deemed accepted (一次性告知).
        DeemedAcceptance = ("deemed_acceptance", "逾期未告知视为受理"),
        /// A later correction notice named an item the first did not (一次性告知).
        OneTimeRuleBreach = ("one_time_rule_breach", "未一次性告知"),
        /// An internal referral not confirmed within the hall's limit (首问负责).
        ReferralUnconfirmed = ("referral_unconfirmed", "转办未确认"),
        /// An escalation not resolved within the hall's limit (首问负责).
        EscalationUnresolved = ("escalation_unresolved", "协调未解决"),
        /// An inquiry without an outcome past the hall's limit (首问负责).
        InquiryWithoutOutcome = ("inquiry_without_outcome", "咨询无结果"),
        /// A ticket left unserved when the hall closed (延时服务).
        TicketUnservedAtClose = ("ticket_unserved_at_close", "下班未办完"),
        /// A window said it cannot serve and nobody was reassigned (延时服务).
        CannotServeWithoutReassignment = ("cannot_serve_unassigned", "不能服务未另行安排"),
        /// An extended service was refused (延时服务).
        ExtendedServiceRefused = ("extended_service_refused", "拒绝延时服务"),
        /// A duty check-in came late (延时服务: 准时到岗).
        DutyCheckInLate = ("duty_check_in_late", "值守迟到"),
        /// A duty check-in never came (延时服务: 准时到岗).
        DutyCheckInMissing = ("duty_check_in_missing", "值守未到岗"),
        /// An extension was asked after the due moment (限时办结: 申请延期办理不及时).
        ExtensionAfterDue = ("extension_after_due", "超期后申请延期"),
        /// A rating of 不满意 or 非常不满意 (好差评).
        BadRating = ("bad_rating", "差评"),
        /// A rectification item passed its deadline (问题清单整改销号).
        RectificationOverdue = ("rectification_overdue", "整改逾期"),
        /// Anything else a supervisor finds (服务态度、纪律 …).
        Conduct = ("conduct", "其他服务问题"),
    }
}

coded_enum! {
    /// The four systems of the seed, for counting problems by system.
    /// Source: Seed §二(一)–(四).
    pub enum FourSystem {
        /// 首问负责制.
        FirstInquiry = ("first_inquiry", "首问负责制"),
        /// 一次性告知制.
        OneTimeNotice = ("one_time_notice", "一次性告知制"),
        /// 限时办结制.
        TimeLimit = ("time_limit", "限时办结制"),
        /// 延时服务制.
        ExtendedService = ("extended_service", "延时服务制"),
    }
}

impl ProblemKind {
    /// The system this kind of problem fails, if it is one of the four.
    /// Source: Seed §二(一)–(四).
    pub fn system(self) -> Option<FourSystem> {
        use ProblemKind as K;
        Some(match self {
            K::ReferralUnconfirmed | K::EscalationUnresolved | K::InquiryWithoutOutcome => {
                FourSystem::FirstInquiry
            }
            K::DeemedAcceptance | K::OneTimeRuleBreach => FourSystem::OneTimeNotice,
            K::CaseOverdue | K::StageOverdue | K::ExtensionAfterDue => FourSystem::TimeLimit,
            K::TicketUnservedAtClose
            | K::CannotServeWithoutReassignment
            | K::ExtendedServiceRefused
            | K::DutyCheckInLate
            | K::DutyCheckInMissing => FourSystem::ExtendedService,
            K::BadRating | K::RectificationOverdue | K::Conduct => return None,
        })
    }

    /// Whether a problem of this kind counts towards a 约谈: a failure of one of the four
    /// systems, or what a check found (明察暗访, 群众投诉, 视频监控, 实地督查 — the notice's
    /// "检查中…发现"); not a citizen's bad rating (an opinion, open to appeal) nor a late
    /// rectification (a failure to fix, counted by the rectification ledger).
    /// Source: Seed §三(四) (对检查中，发现多次不落实“四项制度”的…进行约谈).
    pub fn counts_towards_interview(self) -> bool {
        self.system().is_some() || self == ProblemKind::Conduct
    }

    /// Whether the detector raises this kind from the data (the others are filed by hand or
    /// by a rating). Source: issue #13.
    pub fn is_detected(self) -> bool {
        !matches!(self, ProblemKind::Conduct | ProblemKind::BadRating)
    }
}

coded_enum! {
    /// Where a problem was found: the data, a rating, or one of the seed's four channels.
    /// Source: Seed §三(四) (明察暗访、群众投诉、视频监控、实地督查); 好差评.
    pub enum ProblemSource {
        /// Raised by the detector from the data (日监控).
        Detected = ("detected", "系统监测"),
        /// A bad rating.
        Rating = ("rating", "好差评"),
        /// 明察暗访.
        MysteryVisit = ("mystery_visit", "明察暗访"),
        /// 群众投诉.
        Complaint = ("complaint", "群众投诉"),
        /// 视频监控.
        VideoCheck = ("video_check", "视频监控"),
        /// 实地督查.
        OnSiteCheck = ("on_site_check", "实地督查"),
    }
}

impl ProblemSource {
    /// The channels a supervisor files problems from by hand. Source: Seed §三(四).
    pub const MANUAL: &'static [Self] = &[
        Self::MysteryVisit,
        Self::Complaint,
        Self::VideoCheck,
        Self::OnSiteCheck,
    ];

    /// Whether a supervisor files problems from this channel by hand. Source: Seed §三(四).
    pub fn is_manual(self) -> bool {
        Self::MANUAL.contains(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_rating_and_a_late_rectification_do_not_count_towards_a_talk_and_a_checks_finding_does()
    {
        assert!(!ProblemKind::BadRating.counts_towards_interview());
        assert!(!ProblemKind::RectificationOverdue.counts_towards_interview());
        assert!(ProblemKind::Conduct.counts_towards_interview());
        for &kind in ProblemKind::ALL {
            if kind.system().is_some() {
                assert!(kind.counts_towards_interview(), "{kind:?}");
            }
        }
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        use crate::lifecycle::coded::assert_codes_round_trip;
        assert_codes_round_trip(ProblemKind::ALL, ProblemKind::code, ProblemKind::label_zh);
        assert_codes_round_trip(
            ProblemSource::ALL,
            ProblemSource::code,
            ProblemSource::label_zh,
        );
        assert_codes_round_trip(FourSystem::ALL, FourSystem::code, FourSystem::label_zh);
    }

    #[test]
    fn every_detected_kind_fails_one_of_the_four_systems_or_the_rectification_list() {
        for &k in ProblemKind::ALL {
            if k.is_detected() && k != ProblemKind::RectificationOverdue {
                assert!(k.system().is_some(), "{k:?}");
            }
        }
        for &s in FourSystem::ALL {
            assert!(
                ProblemKind::ALL.iter().any(|k| k.system() == Some(s)),
                "{s:?}"
            );
        }
    }

    #[test]
    fn the_four_manual_channels_are_the_seeds() {
        let labels: Vec<_> = ProblemSource::MANUAL.iter().map(|s| s.label_zh()).collect();
        assert_eq!(labels, ["明察暗访", "群众投诉", "视频监控", "实地督查"]);
        assert!(!ProblemSource::Detected.is_manual());
        assert!(!ProblemSource::Rating.is_manual());
    }
}
