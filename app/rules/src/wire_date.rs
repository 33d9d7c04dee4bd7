//! A date as the API writes it: exactly `YYYY-MM-DD` (RFC 3339's full-date). chrono's own reader
//! also takes a sign, blanks and one-digit months (`+2026-3-4 `); a date written another way is
//! refused, not guessed at, so what is stored is what every reader of the API reads back.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, de::Error};

/// The date `text` names if it is written `YYYY-MM-DD`. Source: product rule (every bad input
/// is refused; the API documents dates as RFC 3339 full-dates).
pub fn parse(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

/// Deserializes a `YYYY-MM-DD` date (`deserialize_with = "rules::wire_date::deserialize"`).
/// Source: product rule (see the module).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let text = String::deserialize(d)?;
    parse(&text).ok_or_else(|| refusal(&text))
}

/// The same for an optional date; `null` and (with `#[serde(default)]`) a missing one are `None`.
/// Source: product rule (see the module).
pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|text| parse(&text).ok_or_else(|| refusal(&text)))
        .transpose()
}

fn refusal<E: Error>(text: &str) -> E {
    E::custom(format!(
        "日期须写作 YYYY-MM-DD（如 2026-03-04），不能是“{text}”"
    ))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct On {
        #[serde(deserialize_with = "super::deserialize")]
        day: chrono::NaiveDate,
        #[serde(default, deserialize_with = "super::optional")]
        until: Option<chrono::NaiveDate>,
    }

    fn read(json: &str) -> Result<On, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn a_date_written_yyyy_mm_dd_is_read() {
        let on = read(r#"{"day":"2026-03-04","until":"2026-12-31"}"#).unwrap();
        assert_eq!(on.day.to_string(), "2026-03-04");
        assert_eq!(on.until.unwrap().to_string(), "2026-12-31");
        assert!(read(r#"{"day":"2024-02-29"}"#).unwrap().until.is_none());
        assert!(
            read(r#"{"day":"2024-02-29","until":null}"#)
                .unwrap()
                .until
                .is_none()
        );
    }

    #[test]
    fn a_sign_a_blank_a_short_field_or_an_impossible_day_is_refused() {
        for day in [
            "+2026-03-04",
            "-2026-03-04",
            " 2026-03-04",
            "2026-03-04 ",
            "2026-3-4",
            "02026-03-04",
            "2026/03/04",
            "2026-02-29",
            "2026-13-01",
            "２０２６-03-04",
            "",
        ] {
            assert!(read(&format!(r#"{{"day":"{day}"}}"#)).is_err(), "{day}");
            let until = format!(r#"{{"day":"2026-03-04","until":"{day}"}}"#);
            assert!(read(&until).is_err(), "until {day}");
        }
    }

    #[test]
    fn every_day_of_a_leap_year_reads_back_as_written() {
        let mut day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        while day.to_string().starts_with("2024") {
            assert_eq!(super::parse(&day.to_string()), Some(day));
            day = day.succ_opt().unwrap();
        }
    }
}
