//! Which characters a text input may hold, checked once at the edge for every JSON body, query
//! string, path segment and plain form.
//!
//! Control characters (Unicode category Cc: C0 `U+0000–U+001F`, DEL `U+007F`, C1
//! `U+0080–U+009F`) have no place in a name, a number, a code or a phone: a NUL cannot even be
//! stored in a PostgreSQL `text` column, a tab turns `/\t/evil.example` into `//evil.example` in
//! a browser, and the rest hide text from the person reading it. They are refused, never
//! stripped, so that what is stored is what was typed.
//!
//! Invisible characters that change how the text around them reads are refused the same way:
//! the bidirectional controls (a right-to-left override prints "三张" as "张三" on a notice and
//! turns `gpj.\u{202e}exe` into a name ending in `.exe`), zero-width spaces and the byte-order
//! mark, and the line and paragraph separators U+2028/U+2029. (The zero-width joiners stay: they
//! hold emoji together.)
//!
//! One exception, by field: free text typed into a multi-line box (reasons, notes, feedback,
//! questions, legal basis…) may hold line breaks and tabs — `\n`, `\r`, `\t` — and no other
//! control character. Those fields are named in [`MULTILINE_FIELDS`] by their JSON name; every
//! other field, every query parameter, path segment and form field is single-line.
//!
//! No text anywhere is longer than [`MAX_CHARS`], the longest any field takes: a field that
//! forgot its own limit still cannot freeze 300,000 characters into a numbered notice.

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
    // A citizen's rating comment, a problem's description, a rectification's measures and a
    // talk's record: typed into text boxes, one point a line.
    "comment",
    "description",
    "measure",
    "outcome",
];

/// The most characters a text may hold, in any field (the longest any field takes: a legal
/// basis, a coordination's resolution).
pub const MAX_CHARS: usize = 2_000;

/// Whether `c` may appear in a single-line (`multiline = false`) or multi-line text.
pub fn allowed(c: char, multiline: bool) -> bool {
    if c.is_control() {
        return multiline && matches!(c, '\n' | '\r' | '\t');
    }
    !invisible(c)
}

/// Characters that do not show but change how the text around them reads or breaks.
fn invisible(c: char) -> bool {
    matches!(
        c,
        // Bidirectional marks, embeddings, overrides and isolates.
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        // Zero-width space, word joiner and invisible operators, byte-order mark.
        | '\u{200b}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        // Line and paragraph separators.
        | '\u{2028}' | '\u{2029}'
        // Tag characters: invisible ASCII look-alikes that carry hidden text through a notice
        // or a rating comment into whatever reads it next (only emoji subdivision flags use
        // them, and no field here wants one).
        | '\u{e0001}' | '\u{e0020}'..='\u{e007f}'
        // Deprecated format controls, interlinear annotation marks, the Mongolian vowel
        // separator and the soft hyphen: they show nothing and only hide or split text.
        | '\u{206a}'..='\u{206f}' | '\u{fff9}'..='\u{fffb}' | '\u{180e}' | '\u{00ad}'
    )
}

/// Whether every character of `text` is allowed.
pub fn clean(text: &str, multiline: bool) -> bool {
    text.chars().all(|c| allowed(c, multiline))
}

/// The refusal for a control character in `field`. The message is for the person at the form
/// (the field is named in `field`, which the page turns into its label): it began with the
/// field's JSON name, "name 含有…", English in a Chinese sentence.
pub fn refused(kind: ErrorKind, field: &str) -> AppError {
    AppError::new(
        kind,
        "control_character",
        "所填内容含有不允许的控制字符或不可见字符（如换行、制表符、零宽字符或文字方向控制符，\
         常见于从别处复制的文字），请删除后重新输入",
    )
    .with_field(field)
}

/// The refusal for a text longer than [`MAX_CHARS`] in `field`.
pub(crate) fn too_long(kind: ErrorKind, field: &str) -> AppError {
    AppError::new(
        kind,
        "too_long",
        format!("所填内容过长（最多 {MAX_CHARS} 个字）"),
    )
    .with_field(field)
}

pub(crate) fn over_limit(text: &str) -> bool {
    // Counting is needed only past the byte length that could hold MAX_CHARS characters.
    text.len() > MAX_CHARS && text.chars().count() > MAX_CHARS
}

/// Checks every string and every object key of a JSON body (422 naming the first bad field,
/// with the path serde would give it, e.g. `materials[0].name`).
pub fn check_json(value: &Value) -> Result<(), AppError> {
    walk(value, &mut String::new(), false)
}

fn walk(value: &Value, path: &mut String, multiline: bool) -> Result<(), AppError> {
    match value {
        Value::String(s) if !clean(s, multiline) => Err(refused(ErrorKind::Invalid, path)),
        Value::String(s) if over_limit(s) => Err(too_long(ErrorKind::Invalid, path)),
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

/// Checks decoded `name=value` pairs (query strings and forms): 400 naming the first bad
/// parameter. Single-line but for the multi-line fields' text boxes of the plain forms (a
/// rating's comment).
pub fn check_pairs<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), AppError> {
    for (name, value) in pairs {
        let multiline = MULTILINE_FIELDS.contains(&name);
        if !clean(name, false) || !clean(value, multiline) {
            let field = if clean(name, false) { name } else { "" };
            return Err(refused(ErrorKind::BadRequest, field));
        }
        if over_limit(name) || over_limit(value) {
            let field = if over_limit(name) { "" } else { name };
            return Err(too_long(ErrorKind::BadRequest, field));
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
        for field in ["comment", "description", "measure", "outcome"] {
            assert_eq!(
                field_of(json!({ field: "1. 等候时间长\n2. 态度生硬" })),
                None
            );
        }
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
    fn hidden_tag_text_format_controls_and_soft_hyphens_are_refused() {
        for text in [
            "好评\u{e0041}\u{e0042}",
            "a\u{e0001}b",
            "a\u{206b}b",
            "a\u{fffa}b",
            "a\u{180e}b",
            "张\u{00ad}三",
        ] {
            assert_eq!(
                field_of(json!({"note": text})).as_deref(),
                Some("note"),
                "{text:?}"
            );
        }
        // Emoji held together by joiners and variation selectors still pass.
        assert_eq!(
            field_of(json!({"note": "👍🏽 ❤\u{fe0f} 👨\u{200d}👩\u{200d}👧"})),
            None
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
    fn query_and_form_pairs_are_single_line_but_a_text_box() {
        assert!(check_pairs([("q", "食品")]).is_ok());
        assert!(check_pairs([("comment", "很好\r\n谢谢")]).is_ok());
        let err = check_pairs([("q", "a\nb")]).unwrap_err();
        assert_eq!(err.kind(), Some(ErrorKind::BadRequest));
        assert_eq!(err.code(), "control_character");
        assert!(check_pairs([("a\u{0}", "x")]).is_err());
    }

    #[test]
    fn invisible_characters_that_change_how_text_reads_are_refused_in_every_field() {
        for c in [
            '\u{202e}', '\u{2066}', '\u{200f}', '\u{200b}', '\u{feff}', '\u{2028}',
        ] {
            assert_eq!(
                field_of(json!({ "name": format!("张{c}三") })).as_deref(),
                Some("name")
            );
            assert_eq!(
                field_of(json!({ "reason": format!("第一行{c}\n第二行") })).as_deref(),
                Some("reason")
            );
        }
        // The zero-width joiner holds an emoji together: it stays.
        assert_eq!(
            field_of(json!({"comment": "好评 👨\u{200d}👩\u{200d}👧"})),
            None
        );
    }

    #[test]
    fn a_text_longer_than_any_field_takes_is_refused_and_one_at_the_limit_passes() {
        let at_limit = "长".repeat(MAX_CHARS);
        assert!(check_json(&json!({ "reason": at_limit })).is_ok());
        let over = json!({ "items": [{ "reason": "长".repeat(MAX_CHARS + 1) }] });
        match check_json(&over) {
            Err(AppError::Client { body, .. }) => {
                assert_eq!(body.code, "too_long");
                assert_eq!(body.field.as_deref(), Some("items[0].reason"));
            }
            other => panic!("unexpected {other:?}"),
        }
        let long = "a".repeat(MAX_CHARS + 1);
        assert!(check_pairs([("q", long.as_str())]).is_err());
    }
}
