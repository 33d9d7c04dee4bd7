//! 居民身份证号码 (GB 11643-1999).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Weights of the first 17 digits (2^(17-i) mod 11). Source: GB 11643-1999 §8.2 (ISO 7064 MOD
/// 11-2).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character for each remainder. Source: GB 11643-1999 §8.2.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// An 18-digit citizen identity number: 6-digit address code, 8-digit birth date, 3-digit sequence
/// (odd for men) and the MOD 11-2 check character (0–9 or X). Stored upper-case.
///
/// Source: GB 11643-1999 身份证号码; issue #5 (applicant: name + resident ID with its check
/// digit).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId(String);

/// Why a text is not a valid resident ID.
///
/// Source: GB 11643-1999.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ResidentIdError {
    /// Not 18 characters.
    /// Nothing typed reads "请填写…", not "应为18位，实际为0位".
    #[error("{}", resident_id_length_zh(*.0))]
    WrongLength(usize),
    /// A non-digit among the first 17, or a last character other than 0–9/X.
    #[error("身份证号码第{position}位字符无效")]
    InvalidCharacter {
        /// 1-based position.
        position: usize,
    },
    /// Positions 7–14 are not a real date (from 1900 on).
    #[error("身份证号码中的出生日期无效")]
    InvalidBirthDate,
    /// Positions 7–14 are a date after the day of the check.
    #[error(
        "身份证号码中的出生日期（{}年{}月{}日）晚于今天，请核对",
        birth.year(), birth.month(), birth.day()
    )]
    BirthDateAfterToday {
        /// The birth date the number carries.
        birth: NaiveDate,
        /// The day of the check (passed in by the caller).
        today: NaiveDate,
    },
    /// The check character does not match.
    #[error("身份证号码校验码错误")]
    CheckDigitMismatch {
        /// The check character the first 17 digits give.
        expected: char,
        /// The one found.
        found: char,
    },
}

fn resident_id_length_zh(length: usize) -> String {
    match length {
        0 => "请填写身份证号码".to_string(),
        n => format!("身份证号码应为18位，实际为{n}位"),
    }
}

/// The number as written, folded to its 18 characters: spaces between digit groups dropped (a
/// number copied as "640106 1990 0307 1239" was refused, while a phone number with spaces was
/// taken), full-width digits and Ｘ as typed with a Chinese input method, `x` as `X`.
fn folded(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (u32::from(c) - 0xFF10) as u8),
            'x' | '\u{FF38}' | '\u{FF58}' => 'X',
            c => c,
        })
        .collect()
}

impl ResidentIdError {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongLength(_) => "wrong_length",
            Self::InvalidCharacter { .. } => "invalid_character",
            Self::InvalidBirthDate => "invalid_birth_date",
            Self::BirthDateAfterToday { .. } => "birth_date_after_today",
            Self::CheckDigitMismatch { .. } => "check_digit_mismatch",
        }
    }
}

impl ResidentId {
    /// Parses and checks a resident ID typed at `today` (local date, passed in: the rules read no
    /// clock): the structure and check character of [`parse`](Self::parse), and a birth date from
    /// 1900-01-01 up to `today` inclusive. Every input at the edge goes through this one. Source:
    /// GB 11643-1999 §5.2 (出生日期码 is the holder's date of birth, which cannot lie in the
    /// future), §8; issue #11 point 10.
    pub fn parse_as_of(text: &str, today: NaiveDate) -> Result<Self, ResidentIdError> {
        let id = Self::parse_structure(text)?;
        let birth = id.birth_date();
        if birth > today {
            return Err(ResidentIdError::BirthDateAfterToday { birth, today });
        }
        Ok(id)
    }

    /// Parses and checks the structure of a resident ID (surrounding spaces ignored, `x` accepted
    /// as `X`): 18 characters, a real birth date from 1900 on, the check character. It cannot know
    /// the day, so a birth date in the future passes: use [`parse_as_of`](Self::parse_as_of) for
    /// input.
    /// (`FromStr` and deserialisation use this structural check: they re-read numbers that were
    /// checked with `parse_as_of` when they were typed.)
    /// Source: GB 11643-1999 §5 (structure), §8 (check character).
    #[deprecated(
        note = "cannot refuse a birth date after today; use ResidentId::parse_as_of(text, today)"
    )]
    pub fn parse(text: &str) -> Result<Self, ResidentIdError> {
        Self::parse_structure(text)
    }

    fn parse_structure(text: &str) -> Result<Self, ResidentIdError> {
        let id = folded(text);
        let chars: Vec<char> = id.chars().collect();
        if chars.len() != 18 {
            return Err(ResidentIdError::WrongLength(chars.len()));
        }
        let mut sum = 0;
        for (i, (&c, w)) in chars.iter().zip(WEIGHTS).enumerate() {
            let digit = c
                .to_digit(10)
                .ok_or(ResidentIdError::InvalidCharacter { position: i + 1 })?;
            sum += digit * w;
        }
        let found = chars[17];
        if !(found.is_ascii_digit() || found == 'X') {
            return Err(ResidentIdError::InvalidCharacter { position: 18 });
        }
        let birth = NaiveDate::parse_from_str(&id[6..14], "%Y%m%d")
            .map_err(|_| ResidentIdError::InvalidBirthDate)?;
        if birth < NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date") {
            return Err(ResidentIdError::InvalidBirthDate);
        }
        let expected = CHECK[(sum % 11) as usize];
        if found != expected {
            return Err(ResidentIdError::CheckDigitMismatch { expected, found });
        }
        Ok(Self(id))
    }

    /// The number as text. Source: GB 11643-1999.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date (positions 7–14). Source: GB 11643-1999 §5.2.
    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").expect("checked at parse")
    }

    /// The 6-digit administrative division code of the registered address. Source: GB 11643-1999
    /// §5.1.
    pub fn address_code(&self) -> &str {
        &self.0[..6]
    }

    /// Male when the sequence code (position 17) is odd. Source: GB 11643-1999 §5.3.
    pub fn is_male(&self) -> bool {
        self.0.as_bytes()[16] % 2 == 1
    }

    /// Masked for display, e.g. `110105********002X`. Source: product rule (no personal data
    /// shown).
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for ResidentId {
    type Err = ResidentIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_structure(s)
    }
}

impl TryFrom<String> for ResidentId {
    type Error = ResidentIdError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse_structure(&s)
    }
}

impl From<ResidentId> for String {
    fn from(id: ResidentId) -> Self {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use chrono::Datelike;

    use super::*;

    /// Input typed on 2025-06-15.
    fn parse(text: &str) -> Result<ResidentId, ResidentIdError> {
        ResidentId::parse_as_of(text, NaiveDate::from_ymd_opt(2025, 6, 15).unwrap())
    }

    #[test]
    fn nothing_typed_asks_for_the_number_instead_of_counting_zero_characters() {
        assert_eq!(parse("").unwrap_err().to_string(), "请填写身份证号码");
        assert_eq!(
            parse("1101").unwrap_err().to_string(),
            "身份证号码应为18位，实际为4位"
        );
    }

    #[test]
    #[allow(deprecated)]
    fn the_structural_parse_still_answers_for_numbers_read_back() {
        assert!(ResidentId::parse("64010420990101001X").is_ok());
        assert_eq!(
            "64010420990101001X"
                .parse::<ResidentId>()
                .unwrap()
                .birth_date()
                .year(),
            2099
        );
    }

    #[test]
    fn the_standards_example_with_check_character_x_is_valid() {
        let id = parse("11010519491231002X").unwrap();
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.address_code(), "110105");
        assert!(!id.is_male());
        assert_eq!(id.masked(), "110105********002X");
    }

    #[test]
    fn a_number_written_in_groups_or_in_full_width_characters_is_the_same_number() {
        for written in [
            "110105 1949 1231 002X",
            "110105\u{3000}19491231\u{3000}002x",
            "\u{FF11}\u{FF11}\u{FF10}\u{FF11}\u{FF10}\u{FF15}19491231002\u{FF38}",
        ] {
            assert_eq!(
                parse(written).unwrap().as_str(),
                "11010519491231002X",
                "{written}"
            );
        }
        // Other separators are not part of a number.
        assert!(parse("110105-19491231-002X").is_err());
    }

    #[test]
    fn a_lower_case_x_and_surrounding_spaces_are_accepted() {
        let id = parse(" 11010519491231002x ").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn a_valid_number_with_a_digit_check_character_is_accepted() {
        // The first 17 digits weigh 180; 180 mod 11 = 4 → check character '8'.
        let id = parse("640104199001010018").unwrap();
        assert!(id.is_male());
        assert_eq!(id.to_string(), "640104199001010018");
    }

    #[test]
    fn a_wrong_check_character_is_rejected_with_the_expected_one() {
        assert_eq!(
            parse("110105194912310021"),
            Err(ResidentIdError::CheckDigitMismatch {
                expected: 'X',
                found: '1'
            })
        );
        assert_eq!(
            parse("110105194912310021").unwrap_err().to_string(),
            "身份证号码校验码错误"
        );
    }

    #[test]
    fn a_wrong_length_or_character_is_rejected() {
        assert_eq!(
            parse("11010519491231002"),
            Err(ResidentIdError::WrongLength(17))
        );
        assert_eq!(
            parse("1101051949123100XX"),
            Err(ResidentIdError::InvalidCharacter { position: 17 })
        );
        assert_eq!(
            parse("11010519491231002Y"),
            Err(ResidentIdError::InvalidCharacter { position: 18 })
        );
        assert_eq!(parse("").unwrap_err().code(), "wrong_length");
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_resident_id_born_after_today_is_refused() {
        // Born 2099-01-01, check character correct: GB 11643 is satisfied, the date is not.
        let today = day(2025, 6, 15);
        assert_eq!(
            ResidentId::parse_as_of("64010420990101001X", today),
            Err(ResidentIdError::BirthDateAfterToday {
                birth: day(2099, 1, 1),
                today
            })
        );
        let e = ResidentId::parse_as_of("640104202506160016", today).unwrap_err();
        assert_eq!(e.code(), "birth_date_after_today");
        assert_eq!(
            e.to_string(),
            "身份证号码中的出生日期（2025年6月16日）晚于今天，请核对"
        );
    }

    #[test]
    fn a_resident_id_born_today_is_accepted() {
        let id = ResidentId::parse_as_of("640104202506150010", day(2025, 6, 15)).unwrap();
        assert_eq!(id.birth_date(), day(2025, 6, 15));
    }

    #[test]
    fn a_resident_id_born_before_1900_is_refused_and_1900_is_accepted() {
        let today = day(2025, 6, 15);
        assert_eq!(
            ResidentId::parse_as_of("640104189912310012", today),
            Err(ResidentIdError::InvalidBirthDate)
        );
        assert!(ResidentId::parse_as_of("640104190001010017", today).is_ok());
    }

    #[test]
    fn an_impossible_birth_date_is_rejected() {
        assert_eq!(
            parse("110105194902300020"),
            Err(ResidentIdError::InvalidBirthDate)
        );
        assert_eq!(
            parse("110105189912310020"),
            Err(ResidentIdError::InvalidBirthDate)
        );
    }
}
