//! Reading what was typed into the catalog form: lines of a textarea, whole numbers.

use crate::api::validate::Invalid;

/// Non-empty trimmed lines of a textarea.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// A whole number typed into a field.
pub fn number(text: &str, field: &str, label: &str) -> Result<u32, Invalid> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| Invalid::new("invalid_number", field, format!("{label}须填写为非负整数")))
}

/// A whole number where blank means zero.
pub fn number_or_zero(text: &str, field: &str, label: &str) -> Result<u32, Invalid> {
    if text.trim().is_empty() {
        Ok(0)
    } else {
        number(text, field, label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_are_dropped_and_lines_are_trimmed() {
        assert_eq!(lines(" 一 \n\n  二\n"), vec!["一", "二"]);
    }

    #[test]
    fn a_blank_number_is_zero_only_where_blank_is_allowed() {
        assert_eq!(number_or_zero("  ", "f", "期限"), Ok(0));
        assert!(number("  ", "f", "期限").is_err());
        assert_eq!(number(" 5 ", "f", "期限"), Ok(5));
        assert!(number("-1", "f", "期限").is_err());
    }
}
