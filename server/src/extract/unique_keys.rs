//! A JSON object that names a key twice is refused. serde_json keeps the last value of a
//! repeated key without a word, so `{"item_code":"A","item_code":"B"}` received a case for B
//! while anything that read the first key (a log, a proxy, a browser's own check) saw A.

use std::{collections::HashSet, fmt};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// What the walk's error says before the repeated key.
const REPEATED: &str = "repeated key: ";

/// The first key given twice in one object of `bytes`, if any. Malformed JSON is none of this
/// check's business (the parse after it refuses it).
pub fn first_repeated_key(bytes: &[u8]) -> Option<String> {
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let error = Walk::deserialize(&mut json).err()?.to_string();
    let key = error.strip_prefix(REPEATED)?;
    // serde_json adds " at line L column C" to the message.
    let key = key.rsplit_once(" at line ").map_or(key, |(key, _)| key);
    Some(key.to_string())
}

/// Every value of a document, read only to see each object's keys.
struct Walk;

impl<'de> Deserialize<'de> for Walk {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WalkVisitor)
    }
}

struct WalkVisitor;

impl<'de> Visitor<'de> for WalkVisitor {
    type Value = Walk;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Walk, E> {
        Ok(Walk)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Walk, E> {
        Ok(Walk)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Walk, E> {
        Ok(Walk)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Walk, E> {
        Ok(Walk)
    }

    fn visit_str<E>(self, _: &str) -> Result<Walk, E> {
        Ok(Walk)
    }

    fn visit_unit<E>(self) -> Result<Walk, E> {
        Ok(Walk)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Walk, A::Error> {
        while items.next_element::<Walk>()?.is_some() {}
        Ok(Walk)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut object: A) -> Result<Walk, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = object.next_key::<String>()? {
            object.next_value::<Walk>()?;
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("{REPEATED}{key}")));
            }
        }
        Ok(Walk)
    }
}

#[cfg(test)]
mod tests {
    use super::first_repeated_key;

    #[test]
    fn a_key_given_twice_in_one_object_is_found_at_any_depth() {
        let found = |json: &str| first_repeated_key(json.as_bytes());
        assert_eq!(found(r#"{"a":1,"a":2}"#).as_deref(), Some("a"));
        assert_eq!(
            found(r#"{"x":{"b":[1,{"c":1,"c":null}]}}"#).as_deref(),
            Some("c")
        );
        assert_eq!(found(r#"{"a":1,"b":{"a":2},"c":[{"a":3}]}"#), None);
        assert_eq!(found(r#"{"名":"张","名":"李"}"#).as_deref(), Some("名"));
        // Not JSON: the parse after this check says so.
        assert_eq!(found(r#"{"a":"#), None);
    }
}
