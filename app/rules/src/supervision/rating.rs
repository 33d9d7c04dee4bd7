//! 好差评: five levels, the indicators, what is rated, the code printed on a ticket or notice,
//! and what a bad rating opens.
//!
//! Source: 国务院办公厅关于建立政务服务“好差评”制度提高政务服务水平的意见 (国办发〔2019〕51号):
//! 五级评价, 一次一评、一事一评, 差评 核实整改 within 15 working days, 回访, 申诉复核.

use thiserror::Error;

use super::score::Ratio;

coded_enum! {
    /// The five levels. Source: 国办发〔2019〕51号.
    pub enum RatingLevel {
        /// 非常满意.
        VerySatisfied = ("very_satisfied", "非常满意"),
        /// 满意.
        Satisfied = ("satisfied", "满意"),
        /// 基本满意.
        Fair = ("fair", "基本满意"),
        /// 不满意.
        Dissatisfied = ("dissatisfied", "不满意"),
        /// 非常不满意.
        VeryDissatisfied = ("very_dissatisfied", "非常不满意"),
    }
}

impl RatingLevel {
    /// 5 (非常满意) down to 1 (非常不满意). Source: 国办发〔2019〕51号 (五级评价).
    pub fn points(self) -> u32 {
        match self {
            RatingLevel::VerySatisfied => 5,
            RatingLevel::Satisfied => 4,
            RatingLevel::Fair => 3,
            RatingLevel::Dissatisfied => 2,
            RatingLevel::VeryDissatisfied => 1,
        }
    }

    /// Whether it is a 差评 that opens verification and rectification for the unit that served
    /// (谁办理、谁负责). Source: 国办发〔2019〕51号.
    pub fn opens_rectification(self) -> bool {
        matches!(
            self,
            RatingLevel::Dissatisfied | RatingLevel::VeryDissatisfied
        )
    }
}

/// Working days the unit has to rectify and answer a 差评. Source: 国办发〔2019〕51号.
pub const RATING_RECTIFICATION_WORKING_DAYS: u32 = 15;

coded_enum! {
    /// What a rating judges. Source: 国办发〔2019〕51号 (评价指标).
    pub enum RatingIndicator {
        /// 整体满意度.
        Overall = ("overall", "整体满意度"),
        /// 服务效率.
        Efficiency = ("efficiency", "服务效率"),
        /// 服务水平.
        Competence = ("competence", "服务水平"),
        /// 服务态度.
        Attitude = ("attitude", "服务态度"),
    }
}

coded_enum! {
    /// What is rated. Source: issue #13.
    pub enum RatedSubject {
        /// A served ticket (on site).
        Ticket = ("ticket", "取号办理"),
        /// A delivered case.
        Case = ("case", "办件"),
        /// A kept appointment.
        Appointment = ("appointment", "预约"),
    }
}

coded_enum! {
    /// 一次一评 (on site) or 一事一评 (online). Source: 国办发〔2019〕51号.
    pub enum RatingChannel {
        /// Each service on site: 一次一评.
        OnSite = ("on_site", "一次一评"),
        /// Each matter online: 一事一评.
        Online = ("online", "一事一评"),
    }
}

impl RatedSubject {
    /// The channel a subject is rated on. Source: 国办发〔2019〕51号.
    pub fn channel(self) -> RatingChannel {
        match self {
            RatedSubject::Ticket | RatedSubject::Appointment => RatingChannel::OnSite,
            RatedSubject::Case => RatingChannel::Online,
        }
    }
}

impl RatingChannel {
    /// The indicators asked on this channel; the overall one always comes first.
    /// Source: 国办发〔2019〕51号.
    pub fn indicators(self) -> &'static [RatingIndicator] {
        match self {
            RatingChannel::OnSite => &[
                RatingIndicator::Overall,
                RatingIndicator::Efficiency,
                RatingIndicator::Attitude,
            ],
            RatingChannel::Online => &[
                RatingIndicator::Overall,
                RatingIndicator::Efficiency,
                RatingIndicator::Competence,
                RatingIndicator::Attitude,
            ],
        }
    }
}

/// Why a rating input is refused.
///
/// Source: product rule.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RatingRefusal {
    /// The code is not of the printed form.
    #[error("评价码不正确，请核对：共 10 位字母或数字，不含数字 0、1 和字母 I、L、O")]
    MalformedCode,
    /// The comment is too long.
    #[error("留言最多 {0} 个字")]
    CommentTooLong(usize),
    /// The comment holds control characters.
    #[error("留言含有不可见的控制字符")]
    ControlCharacters,
}

impl RatingRefusal {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            RatingRefusal::MalformedCode => "rating_code_malformed",
            RatingRefusal::CommentTooLong(_) => "comment_too_long",
            RatingRefusal::ControlCharacters => "control_characters",
        }
    }
}

/// The code printed on a ticket or notice: 10 characters from an alphabet without look-alikes
/// (no 0/O, 1/I/L). The server draws it at random.
/// Source: product rule (a short code a citizen can type; unguessable).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RatingCode(String);

impl RatingCode {
    /// The alphabet. Source: product rule.
    pub const ALPHABET: &'static [u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    /// The length. Source: product rule.
    pub const LEN: usize = 10;

    /// Reads a typed code: case, spaces and hyphens do not matter. Source: product rule.
    pub fn parse(text: &str) -> Result<Self, RatingRefusal> {
        let code: String = text
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let ok = code.len() == Self::LEN && code.bytes().all(|b| Self::ALPHABET.contains(&b));
        if ok {
            Ok(RatingCode(code))
        } else {
            Err(RatingRefusal::MalformedCode)
        }
    }

    /// The code from `LEN` random bytes (each taken modulo the alphabet). Source: product rule.
    pub fn from_random(bytes: [u8; Self::LEN]) -> Self {
        let n = Self::ALPHABET.len();
        RatingCode(
            bytes
                .iter()
                .map(|b| Self::ALPHABET[*b as usize % n] as char)
                .collect(),
        )
    }

    /// The canonical code. Source: product rule.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A comment is at most this many characters. Source: product rule.
pub const COMMENT_MAX_CHARS: usize = 300;

/// Checks an optional comment (trimmed; empty is none). Source: product rule (every text input
/// refuses control characters).
pub fn check_comment(text: &str) -> Result<Option<String>, RatingRefusal> {
    let t = text.trim();
    if t.chars().any(char::is_control) {
        return Err(RatingRefusal::ControlCharacters);
    }
    if t.chars().count() > COMMENT_MAX_CHARS {
        return Err(RatingRefusal::CommentTooLong(COMMENT_MAX_CHARS));
    }
    Ok((!t.is_empty()).then(|| t.to_owned()))
}

/// The follow-up (回访) rate: bad ratings followed up over bad ratings (target 100 %).
/// Source: 国办发〔2019〕51号 (差评回访).
pub fn follow_up_rate(followed_up: u64, bad_ratings: u64) -> Ratio {
    Ratio::new(followed_up.min(bad_ratings), bad_ratings)
}

/// The satisfaction rate (满意率) of a month's ratings: 非常满意, 满意 and 基本满意 over every
/// rating. Source: product rule (the three levels that open no rectification, 国办发〔2019〕51号).
pub fn satisfaction_rate(satisfied: u64, rated: u64) -> Ratio {
    Ratio::new(satisfied, rated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_satisfaction_rate_counts_the_levels_that_open_nothing() {
        assert_eq!(satisfaction_rate(3, 4).percent(), 75.0);
        assert_eq!(satisfaction_rate(0, 0).percent(), 100.0);
    }

    #[test]
    fn only_dissatisfied_and_very_dissatisfied_open_a_rectification() {
        let opening: Vec<_> = RatingLevel::ALL
            .iter()
            .filter(|l| l.opens_rectification())
            .map(|l| l.label_zh())
            .collect();
        assert_eq!(opening, ["不满意", "非常不满意"]);
        let points: Vec<_> = RatingLevel::ALL.iter().map(|l| l.points()).collect();
        assert_eq!(points, [5, 4, 3, 2, 1]);
    }

    #[test]
    fn every_channel_asks_the_overall_indicator_first() {
        for &c in RatingChannel::ALL {
            assert_eq!(c.indicators()[0], RatingIndicator::Overall);
        }
        assert_eq!(RatedSubject::Ticket.channel().label_zh(), "一次一评");
        assert_eq!(RatedSubject::Case.channel().label_zh(), "一事一评");
        assert_eq!(RatingChannel::Online.indicators().len(), 4);
    }

    #[test]
    fn a_typed_code_ignores_case_spaces_and_hyphens_but_not_look_alikes() {
        let c = RatingCode::parse("ab3d-ef 7hjk").unwrap();
        assert_eq!(c.as_str(), "AB3DEF7HJK");
        assert_eq!(
            RatingCode::parse("AB3DEF7HJ0"),
            Err(RatingRefusal::MalformedCode)
        );
        assert_eq!(
            RatingCode::parse("AB3DEF7HJ"),
            Err(RatingRefusal::MalformedCode)
        );
        assert_eq!(
            RatingCode::parse("AB3DEF7HJKK").unwrap_err().code(),
            "rating_code_malformed"
        );
    }

    #[test]
    fn a_comment_refuses_control_characters_and_excess_length() {
        assert_eq!(check_comment("  "), Ok(None));
        assert_eq!(check_comment(" 很好 "), Ok(Some("很好".into())));
        assert_eq!(
            check_comment("a\u{7}b"),
            Err(RatingRefusal::ControlCharacters)
        );
        let long = "字".repeat(COMMENT_MAX_CHARS + 1);
        assert_eq!(
            check_comment(&long),
            Err(RatingRefusal::CommentTooLong(COMMENT_MAX_CHARS))
        );
    }

    #[test]
    fn the_follow_up_rate_is_full_when_every_bad_rating_was_called_back() {
        assert_eq!(follow_up_rate(2, 2).percent(), 100.0);
        assert_eq!(follow_up_rate(1, 4).percent(), 25.0);
        assert_eq!(follow_up_rate(0, 0).percent(), 100.0);
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        use crate::lifecycle::coded::assert_codes_round_trip;
        assert_codes_round_trip(RatingLevel::ALL, RatingLevel::code, RatingLevel::label_zh);
        assert_codes_round_trip(
            RatingIndicator::ALL,
            RatingIndicator::code,
            RatingIndicator::label_zh,
        );
        assert_codes_round_trip(
            RatedSubject::ALL,
            RatedSubject::code,
            RatedSubject::label_zh,
        );
        assert_codes_round_trip(
            RatingChannel::ALL,
            RatingChannel::code,
            RatingChannel::label_zh,
        );
    }

    proptest! {
        #[test]
        fn every_random_code_parses_back_to_itself(bytes in any::<[u8; 10]>()) {
            let code = RatingCode::from_random(bytes);
            prop_assert_eq!(RatingCode::parse(code.as_str()), Ok(code.clone()));
            prop_assert_eq!(RatingCode::parse(&code.as_str().to_lowercase()), Ok(code));
        }
    }
}
