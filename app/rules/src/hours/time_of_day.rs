//! A time of day as a person writes it: chrono reads "19:00:60" as a leap second, a time that
//! later prints as "…T11:00:60Z", which neither JavaScript nor Python reads back. No opening
//! hour or slot has a 60th second, so reading one is an error.

use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, de::Error};

/// Deserializes a time of day, refusing a leap second. Source: product rule (every bad input is
/// refused; a time written out must read back everywhere).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
    let t = NaiveTime::deserialize(d)?;
    if is_leap_second(t) {
        return Err(D::Error::custom("秒数须在 00–59 之间"));
    }
    Ok(t)
}

/// Whether `t` is chrono's leap-second representation (the 60th second of a minute).
/// Source: chrono `Timelike::nanosecond` (≥ 1 s within a leap second).
pub fn is_leap_second(t: NaiveTime) -> bool {
    t.nanosecond() >= 1_000_000_000
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct At {
        #[serde(deserialize_with = "super::deserialize")]
        at: chrono::NaiveTime,
    }

    #[test]
    fn a_leap_second_is_refused_and_every_other_time_read() {
        let read = |s: &str| serde_json::from_str::<At>(&format!(r#"{{"at":"{s}"}}"#));
        assert!(read("19:00:60").is_err());
        assert!(read("23:59:60").is_err());
        assert_eq!(read("19:00:59").unwrap().at.to_string(), "19:00:59");
        assert_eq!(read("09:00:00").unwrap().at.to_string(), "09:00:00");
        assert_eq!(read("09:00").unwrap().at.to_string(), "09:00:00");
    }
}
