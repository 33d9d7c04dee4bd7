//! Mainland China mobile phone numbers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A mainland mobile number: 11 digits starting 13–19. Stored as the bare 11 digits.
///
/// Source: 工业和信息化部 电信网码号资源 (mobile numbers 1[3-9]xxxxxxxxx); issue #5 (phone,
/// mainland mobile format; citizens look up a case with its last four digits).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobilePhone(String);

/// Why a text is not a mainland mobile number.
///
/// Source: issue #5.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MobilePhoneError {
    /// Not 11 digits in a usual written form (see [`MobilePhone::parse`]).
    #[error("手机号码应为11位数字")]
    WrongFormat,
    /// Does not start with 13–19.
    #[error("手机号码应以13至19开头")]
    WrongPrefix,
}

impl MobilePhoneError {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongFormat => "wrong_format",
            Self::WrongPrefix => "wrong_prefix",
        }
    }
}

/// One character of a written number, after folding full-width forms to ASCII.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Digit(u8),
    /// A space of any kind, or a hyphen or dash between digit groups.
    Separator,
    Plus,
    Open,
    Close,
    Other,
}

fn token(c: char) -> Token {
    match c {
        '0'..='9' => Token::Digit(c as u8 - b'0'),
        // Full-width digits (０–９), as typed with a Chinese input method.
        '\u{FF10}'..='\u{FF19}' => Token::Digit((u32::from(c) - 0xFF10) as u8),
        '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{FF0D}' => Token::Separator,
        c if c.is_whitespace() => Token::Separator,
        '+' | '\u{FF0B}' => Token::Plus,
        '(' | '\u{FF08}' => Token::Open,
        ')' | '\u{FF09}' => Token::Close,
        _ => Token::Other,
    }
}

/// The country-code prefixes written with a plus: `+86` and `(+86)`.
const PLUS_86: [&[Token]; 2] = [
    &[Token::Plus, Token::Digit(8), Token::Digit(6)],
    &[
        Token::Open,
        Token::Plus,
        Token::Digit(8),
        Token::Digit(6),
        Token::Close,
    ],
];

impl MobilePhone {
    /// Parses a mainland mobile number in any usual written form and keeps its 11 digits:
    /// digits ASCII or full-width (０–９); digit groups separated by spaces (any kind, incl. the
    /// ideographic space), hyphens or dashes (`-`, `－`, `‐`, `–`); the country code written
    /// `+86`, `＋86`, `(+86)`, `（+86）`, `0086` or `86` in front. Nothing else is accepted: no
    /// letters, dots or slashes, no separator before the first or after the last digit, no
    /// other country code. Source: issue #5; issue #11 point 12 (one number, one value).
    pub fn parse(text: &str) -> Result<Self, MobilePhoneError> {
        let tokens: Vec<Token> = text.trim().chars().map(token).collect();
        let (explicit_86, rest) = match PLUS_86.iter().find_map(|p| tokens.strip_prefix(*p)) {
            Some(rest) => (
                true,
                rest.iter()
                    .position(|t| *t != Token::Separator)
                    .map_or(&[][..], |i| &rest[i..]),
            ),
            None => (false, &tokens[..]),
        };
        let digits = national_digits(rest).ok_or(MobilePhoneError::WrongFormat)?;
        let digits = match (explicit_86, digits.len()) {
            (_, 11) => &digits[..],
            (false, 13) if digits.starts_with("86") => &digits[2..],
            (false, 15) if digits.starts_with("0086") => &digits[4..],
            _ => return Err(MobilePhoneError::WrongFormat),
        };
        let b = digits.as_bytes();
        if b[0] != b'1' || !(b'3'..=b'9').contains(&b[1]) {
            return Err(MobilePhoneError::WrongPrefix);
        }
        Ok(Self(digits.to_owned()))
    }

    /// The 11 digits. Source: issue #5.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last four digits (public case look-up). Source: issue #5 (`phone_last4`).
    pub fn last4(&self) -> &str {
        &self.0[7..]
    }

    /// Masked for display, e.g. `138****5678`. Source: product rule (no personal data shown).
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

/// The digits of digit groups joined by separators (starting and ending with a digit), as ASCII.
fn national_digits(tokens: &[Token]) -> Option<String> {
    if !matches!(tokens.first(), Some(Token::Digit(_)))
        || !matches!(tokens.last(), Some(Token::Digit(_)))
    {
        return None;
    }
    tokens
        .iter()
        .filter(|t| **t != Token::Separator)
        .map(|t| match t {
            Token::Digit(d) => Some(char::from(b'0' + d)),
            _ => None,
        })
        .collect()
}

impl fmt::Display for MobilePhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for MobilePhone {
    type Err = MobilePhoneError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for MobilePhone {
    type Error = MobilePhoneError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<MobilePhone> for String {
    fn from(p: MobilePhone) -> Self {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_eleven_digit_number_starting_13_to_19_is_a_mobile_number() {
        for n in ["13812345678", "19912345678", "15000000000"] {
            assert_eq!(MobilePhone::parse(n).unwrap().as_str(), n);
        }
    }

    #[test]
    fn separators_and_the_country_code_are_removed() {
        let p = MobilePhone::parse("+86 138-1234-5678").unwrap();
        assert_eq!(p.as_str(), "13812345678");
        assert_eq!(MobilePhone::parse("008613812345678").unwrap(), p);
        assert_eq!(p.last4(), "5678");
        assert_eq!(p.masked(), "138****5678");
    }

    #[test]
    fn a_number_starting_10_11_or_12_is_not_a_mobile_number() {
        for n in ["10012345678", "11012345678", "12012345678", "0951-1234567"] {
            assert_eq!(MobilePhone::parse(n), Err(MobilePhoneError::WrongPrefix));
        }
        assert_eq!(
            MobilePhone::parse("23812345678").unwrap_err().to_string(),
            "手机号码应以13至19开头"
        );
    }

    #[test]
    fn every_usual_written_form_of_a_mobile_number_parses_to_its_eleven_digits() {
        for form in [
            "13812345678",
            "138-1234-5678",
            "138 1234 5678",
            "+86 138 1234 5678",
            "+8613812345678",
            "+86-138-1234-5678",
            "0086 13812345678",
            "008613812345678",
            "86 138 1234 5678",
            "(+86) 138 1234 5678",
            "（+86）138-1234-5678",
            "１３８１２３４５６７８",
            "＋８６ １３８ １２３４ ５６７８",
            "138－1234－5678",
            "138\u{3000}1234\u{3000}5678",
            "  138 1234 5678\t",
        ] {
            assert_eq!(
                MobilePhone::parse(form).map(|p| p.as_str().to_owned()),
                Ok("13812345678".to_owned()),
                "{form}"
            );
        }
    }

    #[test]
    fn anything_else_is_not_a_mobile_number() {
        for text in [
            "138.1234.5678",
            "138/1234/5678",
            "-13812345678",
            "13812345678-",
            "138--1234-5678x",
            "++8613812345678",
            "+85213812345678",
            "+1 13812345678",
            "+86 0086 13812345678",
            "13812345678+86",
            "(138)12345678",
            "(+86 13812345678",
            "tel:13812345678",
            "138 1234 567",
            "1381234567８9",
        ] {
            assert_eq!(
                MobilePhone::parse(text),
                Err(MobilePhoneError::WrongFormat),
                "{text}"
            );
        }
    }

    #[test]
    fn a_landline_or_wrong_length_is_rejected() {
        for n in [
            "0951-12345678",
            "1381234567",
            "138123456789",
            "1381234567a",
            "",
        ] {
            assert_eq!(
                MobilePhone::parse(n),
                Err(MobilePhoneError::WrongFormat),
                "{n}"
            );
        }
    }
}
