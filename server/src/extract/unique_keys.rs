//! A JSON object that names a key twice is refused. serde_json keeps the last value of a
//! repeated key without a word, so `{"item_code":"A","item_code":"B"}` received a case for B
//! while anything that read the first key (a log, a proxy, a browser's own check) saw A.
//!
//! The body is read once: this builds the `Value` the request type is then read from, checking
//! each object's keys as it goes.

use std::{collections::HashSet, fmt};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// What the reading's error says before the repeated key.
const REPEATED: &str = "repeated key: ";

/// Why a body is not a document of unique keys.
#[derive(Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Not JSON (or nested deeper than serde_json reads).
    Malformed,
    /// This key stands twice in one object.
    Repeated(String),
}

/// The JSON document `bytes` holds, every object's keys unique.
pub fn parse(bytes: &[u8]) -> Result<Value, Unreadable> {
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let read = Unique::deserialize(&mut json).and_then(|Unique(value)| {
        json.end()?;
        Ok(value)
    });
    read.map_err(|error| {
        let error = error.to_string();
        match error.strip_prefix(REPEATED) {
            // serde_json adds " at line L column C" to the message.
            Some(key) => {
                let key = key.rsplit_once(" at line ").map_or(key, |(key, _)| key);
                Unreadable::Repeated(key.to_string())
            }
            None => Unreadable::Malformed,
        }
    })
}

/// A JSON value read with unique keys.
struct Unique(Value);

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueVisitor)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Unique;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Unique, E> {
        Ok(Unique(Value::Bool(b)))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Unique, E> {
        Ok(Unique(Value::Number(n.into())))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Unique, E> {
        Ok(Unique(Value::Number(n.into())))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Unique, E> {
        Ok(Unique(
            Number::from_f64(n).map_or(Value::Null, Value::Number),
        ))
    }

    fn visit_str<E>(self, s: &str) -> Result<Unique, E> {
        Ok(Unique(Value::String(s.to_string())))
    }

    fn visit_string<E>(self, s: String) -> Result<Unique, E> {
        Ok(Unique(Value::String(s)))
    }

    fn visit_unit<E>(self) -> Result<Unique, E> {
        Ok(Unique(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Unique, A::Error> {
        let mut list = Vec::new();
        while let Some(Unique(item)) = items.next_element()? {
            list.push(item);
        }
        Ok(Unique(Value::Array(list)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut object: A) -> Result<Unique, A::Error> {
        let mut map = Map::new();
        let mut seen = HashSet::new();
        while let Some(key) = object.next_key::<String>()? {
            let Unique(value) = object.next_value()?;
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("{REPEATED}{key}")));
            }
            map.insert(key, value);
        }
        Ok(Unique(Value::Object(map)))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Unreadable, parse};

    #[test]
    fn a_key_given_twice_in_one_object_is_found_at_any_depth() {
        let repeated = |json: &str| match parse(json.as_bytes()) {
            Err(Unreadable::Repeated(key)) => Some(key),
            _ => None,
        };
        assert_eq!(repeated(r#"{"a":1,"a":2}"#).as_deref(), Some("a"));
        assert_eq!(
            repeated(r#"{"x":{"b":[1,{"c":1,"c":null}]}}"#).as_deref(),
            Some("c")
        );
        assert_eq!(repeated(r#"{"名":"张","名":"李"}"#).as_deref(), Some("名"));
        assert_eq!(parse(br#"{"a":"#), Err(Unreadable::Malformed));
        assert_eq!(parse(br#"{"a":1} xyz"#), Err(Unreadable::Malformed));
    }

    #[test]
    fn a_document_reads_as_serde_json_reads_it() {
        let text =
            r#"{"a":1,"b":{"a":-2.5},"c":[{"a":3},null,true,"文"],"d":18446744073709551615}"#;
        let expected: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(parse(text.as_bytes()), Ok(expected));
        assert_eq!(parse(b"[]"), Ok(json!([])));
    }
}
