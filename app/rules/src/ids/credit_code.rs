//! 统一社会信用代码 (GB 32100-2015).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The 31 characters of the code (no I, O, S, V, Z), in value order 0–30. Source: GB 32100-2015
/// 表2.
const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights 3^i mod 31 of the first 17 characters. Source: GB 32100-2015 §5.2 (公式1).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// An 18-character unified social credit code: registration authority, entity kind, 6-digit
/// division code, 9-character organisation code and the MOD 31 check character. Stored upper-case.
///
/// Source: GB 32100-2015 法人和其他组织统一社会信用代码编码规则; issue #5 (company applicants).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnifiedSocialCreditCode(String);

/// Why a text is not a valid unified social credit code.
///
/// Source: GB 32100-2015.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CreditCodeError {
    /// Not 18 characters.
    /// Nothing typed reads "请填写…", not "应为18位，实际为0位".
    #[error("{}", credit_code_length_zh(*.0))]
    WrongLength(usize),
    /// A character outside the code's alphabet (I, O, S, V, Z are never used).
    #[error("统一社会信用代码第{position}位字符“{found}”无效")]
    InvalidCharacter {
        /// 1-based position.
        position: usize,
        /// The character.
        found: char,
    },
    /// A character of the administrative division code (positions 3–8) that is not a digit.
    #[error("统一社会信用代码第3—8位为行政区划码，应为数字（第{position}位为“{found}”）")]
    DivisionCodeNotDigits {
        /// 1-based position (3–8).
        position: usize,
        /// The character.
        found: char,
    },
    /// The check character does not match.
    #[error("统一社会信用代码校验码错误")]
    CheckCharacterMismatch {
        /// The check character the first 17 give.
        expected: char,
        /// The one found.
        found: char,
    },
}

fn credit_code_length_zh(length: usize) -> String {
    match length {
        0 => "请填写统一社会信用代码".to_string(),
        n => format!("统一社会信用代码应为18位，实际为{n}位"),
    }
}

impl CreditCodeError {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongLength(_) => "wrong_length",
            Self::InvalidCharacter { .. } => "invalid_character",
            Self::DivisionCodeNotDigits { .. } => "division_code_not_digits",
            Self::CheckCharacterMismatch { .. } => "check_character_mismatch",
        }
    }
}

fn value(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

impl UnifiedSocialCreditCode {
    /// Parses and checks a code (surrounding spaces ignored, lower case accepted): 18 characters of
    /// the code's alphabet, positions 3–8 (the administrative division code, GB/T 2260) digits
    /// only, and the check character C18 = 31 − (Σ Ci·Wi mod 31), with 31 written as 0.
    /// Source: GB 32100-2015 §4.1 (structure), §5.2 (check character).
    pub fn parse(text: &str) -> Result<Self, CreditCodeError> {
        let code = text.trim().to_ascii_uppercase();
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 18 {
            return Err(CreditCodeError::WrongLength(chars.len()));
        }
        let mut values = [0u32; 18];
        for (i, &c) in chars.iter().enumerate() {
            values[i] = value(c).ok_or(CreditCodeError::InvalidCharacter {
                position: i + 1,
                found: c,
            })?;
        }
        if let Some((i, &found)) = chars
            .iter()
            .enumerate()
            .take(8)
            .skip(2)
            .find(|(_, c)| !c.is_ascii_digit())
        {
            return Err(CreditCodeError::DivisionCodeNotDigits {
                position: i + 1,
                found,
            });
        }
        let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
        let check = (31 - sum % 31) % 31;
        let expected = ALPHABET.as_bytes()[check as usize] as char;
        if chars[17] != expected {
            return Err(CreditCodeError::CheckCharacterMismatch {
                expected,
                found: chars[17],
            });
        }
        Ok(Self(code))
    }

    /// The code as text. Source: GB 32100-2015.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Position 1: the registration authority (e.g. 9 = 工商, 5 = 民政, 1 = 机构编制).
    /// Source: GB 32100-2015 §4.1.
    pub fn registration_authority(&self) -> char {
        self.0.as_bytes()[0] as char
    }

    /// Positions 3–8: the administrative division code. Source: GB 32100-2015 §4.1.
    pub fn division_code(&self) -> &str {
        &self.0[2..8]
    }

    /// Positions 9–17: the organisation code (GB 11714). Source: GB 32100-2015 §4.1.
    pub fn organization_code(&self) -> &str {
        &self.0[8..17]
    }
}

impl fmt::Display for UnifiedSocialCreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for UnifiedSocialCreditCode {
    type Err = CreditCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for UnifiedSocialCreditCode {
    type Error = CreditCodeError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<UnifiedSocialCreditCode> for String {
    fn from(code: UnifiedSocialCreditCode) -> Self {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_typed_asks_for_the_code_instead_of_counting_zero_characters() {
        let err = UnifiedSocialCreditCode::parse("  ").unwrap_err();
        assert_eq!(err.to_string(), "请填写统一社会信用代码");
        assert_eq!(err.code(), "wrong_length");
        let short = UnifiedSocialCreditCode::parse("9135").unwrap_err();
        assert_eq!(short.to_string(), "统一社会信用代码应为18位，实际为4位");
    }

    #[test]
    fn a_known_valid_code_is_accepted() {
        let code = UnifiedSocialCreditCode::parse("91350100M000100Y43").unwrap();
        assert_eq!(code.registration_authority(), '9');
        assert_eq!(code.division_code(), "350100");
        assert_eq!(code.organization_code(), "M000100Y4");
    }

    #[test]
    fn a_code_whose_check_sum_is_a_multiple_of_31_ends_in_zero() {
        // Σ Ci·Wi of 91640100MA760000T is 1891 = 61 × 31, so the check character is 0.
        let code = UnifiedSocialCreditCode::parse("91640100ma760000t0").unwrap();
        assert_eq!(code.as_str(), "91640100MA760000T0");
    }

    #[test]
    fn a_wrong_check_character_is_rejected() {
        assert_eq!(
            UnifiedSocialCreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::CheckCharacterMismatch {
                expected: '3',
                found: '4'
            })
        );
    }

    #[test]
    fn letters_outside_the_alphabet_are_rejected() {
        let e = UnifiedSocialCreditCode::parse("91350100I000100Y43").unwrap_err();
        assert_eq!(
            e,
            CreditCodeError::InvalidCharacter {
                position: 9,
                found: 'I'
            }
        );
        assert_eq!(e.to_string(), "统一社会信用代码第9位字符“I”无效");
    }

    #[test]
    fn a_credit_code_with_letters_in_the_division_code_is_refused() {
        // Check characters are right, so only GB 32100 §4.1 (positions 3–8 are digits) refuses
        // them.
        assert_eq!(
            UnifiedSocialCreditCode::parse("91A50100M000100Y42"),
            Err(CreditCodeError::DivisionCodeNotDigits {
                position: 3,
                found: 'A'
            })
        );
        let e = UnifiedSocialCreditCode::parse("9135010AM000100Y4K").unwrap_err();
        assert_eq!(e.code(), "division_code_not_digits");
        assert_eq!(
            e.to_string(),
            "统一社会信用代码第3—8位为行政区划码，应为数字（第8位为“A”）"
        );
        // Letters are fine in the organisation code (positions 9–17).
        assert!(UnifiedSocialCreditCode::parse("913501000000100Y4L").is_ok());
    }

    #[test]
    fn a_wrong_length_is_rejected() {
        assert_eq!(
            UnifiedSocialCreditCode::parse("91350100M000100Y4")
                .unwrap_err()
                .code(),
            "wrong_length"
        );
    }
}
