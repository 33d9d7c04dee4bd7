//! Mainland China mobile phone numbers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A mainland mobile number: 11 digits starting 13–19. Stored as the bare 11 digits.
///
/// Source: 工业和信息化部 电信网码号资源 (mobile numbers 1[3-9]xxxxxxxxx); issue #5 (phone, mainland mobile
/// format; citizens look up a case with its last four digits).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobilePhone(String);

/// Why a text is not a mainland mobile number.
///
/// Source: issue #5.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MobilePhoneError {
    /// Not 11 digits (after removing spaces, hyphens and a +86 prefix).
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

impl MobilePhone {
    /// Parses a number; spaces and hyphens are ignored, and a `+86` / `0086` / `86` prefix before 11
    /// digits is removed. Source: issue #5.
    pub fn parse(text: &str) -> Result<Self, MobilePhoneError> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits = ["+86", "0086", "86"]
            .iter()
            .find_map(|p| compact.strip_prefix(p).filter(|rest| rest.len() == 11))
            .unwrap_or(&compact);
        if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MobilePhoneError::WrongFormat);
        }
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
