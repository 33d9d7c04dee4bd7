//! Which characters a text input may hold, checked once at the edge for every JSON body, query
//! string, path segment and plain form.
//!
//! Control characters (Unicode category Cc: C0 `U+0000–U+001F`, DEL `U+007F`, C1
//! `U+0080–U+009F`) have no place in a name, a number, a code or a phone: a NUL cannot even be
//! stored in a PostgreSQL `text` column, a tab turns `/\t/evil.example` into `//evil.example` in
//! a browser, and the rest hide text from the person reading it. They are refused, never
//! stripped, so that what is stored is what was typed.
//!
//! One exception, by field: free text typed into a multi-line box (reasons, notes, feedback,
//! questions, legal basis…) may hold line breaks and tabs — `\n`, `\r`, `\t` — and no other
//! control character. Those fields are named in [`MULTILINE_FIELDS`] by their JSON name; every
//! other field, every query parameter, path segment and form field is single-line.

use serde_json::Value;

use crate::error::{AppError, ErrorKind};

/// JSON fields (by name, wherever they appear in a body) that hold multi-line free text.
pub const MULTILINE_FIELDS: &[&str] = &[
    "reason",
    "reasons",
    "decision_reasons",
    "decision_note",
    "note",
    "feedback",
    "question",
    "resolution",
    "legal_basis",
    "standards",
];

/// Whether `c` may appear in a single-line (`multiline = false`) or multi-line text.
pub fn allowed(c: char, multiline: bool) -> bool {
    !c.is_control() || (multiline && matches!(c, '\n' | '\r' | '\t'))
}

/// Whether every character of `text` is allowed.
pub fn clean(text: &str, multiline: bool) -> bool {
    text.chars().all(|c| allowed(c, multiline))
}

/// The refusal for a control character in `field`.
pub fn refused(kind: ErrorKind, field: &str) -> AppError {
    let shown = if field.is_empty() { "请求" } else { field };
    AppError::new(
        kind,
        "control_character",
        format!("{shown} 含有不允许的控制字符（如换行、制表符或空字符）"),
    )
    .with_field(field)
}

/// Checks every string and every object key of a JSON body (422 naming the first bad field,
/// with the path serde would give it, e.g. `materials[0].name`).
pub fn check_json(value: &Value) -> Result<(), AppError> {
    walk(value, &mut String::new(), false)
}

fn walk(value: &Value, path: &mut String, multiline: bool) -> Result<(), AppError> {
    match value {
        Value::String(s) if !clean(s, multiline) => Err(refused(ErrorKind::Invalid, path)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(item, path, multiline)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                if !clean(key, false) {
                    return Err(refused(ErrorKind::Invalid, path));
                }
                walk(item, path, MULTILINE_FIELDS.contains(&key.as_str()))?;
                path.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Checks decoded `name=value` pairs (query strings and forms; all single-line): 400 naming
/// the first bad parameter.
pub fn check_pairs<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), AppError> {
    for (name, value) in pairs {
        if !clean(name, false) || !clean(value, false) {
            let field = if clean(name, false) { name } else { "" };
            return Err(refused(ErrorKind::BadRequest, field));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field_of(value: Value) -> Option<String> {
        match check_json(&value) {
            Ok(()) => None,
            Err(AppError::Client { body, kind, .. }) => {
                assert_eq!(kind, ErrorKind::Invalid);
                assert_eq!(body.code, "control_character");
                Some(body.field.clone().unwrap_or_default())
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_nul_anywhere_in_a_body_is_refused_and_named() {
        assert_eq!(
            field_of(json!({"name": "张\u{0}三"})).as_deref(),
            Some("name")
        );
        assert_eq!(
            field_of(json!({"materials": [{"key": "a"}, {"name": "b\u{1}"}]})).as_deref(),
            Some("materials[1].name")
        );
        assert_eq!(
            field_of(json!({"tags": ["ok", "\u{7f}"]})).as_deref(),
            Some("tags[1]")
        );
    }

    #[test]
    fn c1_controls_are_refused_too() {
        assert!(field_of(json!({"name": "a\u{85}b"})).is_some());
        assert!(field_of(json!({"name": "a\u{9b}b"})).is_some());
    }

    #[test]
    fn a_single_line_field_refuses_line_breaks_and_tabs() {
        for text in ["a\nb", "a\rb", "a\tb"] {
            assert_eq!(field_of(json!({"name": text})).as_deref(), Some("name"));
        }
    }

    #[test]
    fn a_multi_line_field_takes_line_breaks_and_tabs_but_nothing_else() {
        assert_eq!(field_of(json!({"reason": "第一行\r\n第二行\t完"})), None);
        assert_eq!(field_of(json!({"outcome": {"question": "一\n二"}})), None);
        assert_eq!(
            field_of(json!({"reason": "a\u{0}b"})).as_deref(),
            Some("reason")
        );
        // The items of a multi-line list are multi-line; those of any other list are not.
        assert_eq!(field_of(json!({"reasons": ["a\nb"]})), None);
        assert_eq!(
            field_of(json!({"conditions": ["a\nb"]})).as_deref(),
            Some("conditions[0]")
        );
    }

    #[test]
    fn ordinary_text_passes() {
        assert_eq!(
            field_of(json!({"name": "张三 · Ünïcode ✓", "n": 1, "b": null})),
            None
        );
    }

    #[test]
    fn a_key_with_a_control_character_is_refused() {
        assert!(field_of(json!({"na\u{0}me": "x"})).is_some());
    }

    #[test]
    fn query_and_form_pairs_are_single_line() {
        assert!(check_pairs([("q", "食品")]).is_ok());
        let err = check_pairs([("q", "a\nb")]).unwrap_err();
        assert_eq!(err.kind(), Some(ErrorKind::BadRequest));
        assert_eq!(err.code(), "control_character");
        assert!(check_pairs([("a\u{0}", "x")]).is_err());
    }
}
