//! Checks on request fields, shared by the browser (to tell the clerk before sending) and the
//! server (which re-checks everything it receives).

/// One field that is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub code: &'static str,
    pub field: String,
    pub message: String,
}

impl Invalid {
    pub fn new(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        Self {
            code,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Characters that draw nothing: fillers (Braille blank, Hangul fillers), the soft hyphen,
/// joiners, variation selectors, tag characters and combining marks (which draw only on
/// something else). A required text of only these and spaces is as empty as a blank one.
fn draws_nothing(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00ad}' | '\u{034f}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
                | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{206f}'
                | '\u{2800}' | '\u{3164}' | '\u{ffa0}' | '\u{feff}'
                | '\u{fe00}'..='\u{fe0f}' | '\u{e0000}'..='\u{e007f}'
                | '\u{e0100}'..='\u{e01ef}'
                // Combining marks.
                | '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}'
                | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}'
        )
}

/// Every field of an input that is not acceptable, in the form's order; never empty. A form
/// tells all of them at once (一次性告知 holds for our own forms too), the server's answer names
/// the first and lists them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(Vec<Invalid>);

impl Problems {
    /// The first problem (the one an answer's `code`, `message` and `field` name).
    pub fn first(&self) -> &Invalid {
        &self.0[0]
    }

    pub fn iter(&self) -> impl Iterator<Item = &Invalid> {
        self.0.iter()
    }

    pub fn into_vec(self) -> Vec<Invalid> {
        self.0
    }

    /// Adds the problems of another check of the same form, one per field.
    pub fn absorb(&mut self, other: Problems) {
        for invalid in other.0 {
            if !self.0.iter().any(|kept| kept.field == invalid.field) {
                self.0.push(invalid);
            }
        }
    }
}

impl From<Invalid> for Problems {
    fn from(invalid: Invalid) -> Self {
        Problems(vec![invalid])
    }
}

/// A refusal of `checked` for `invalid`, found beside the checks that gave `checked` (told after
/// its own problems, if it has any).
pub fn refuse_also<T>(checked: Result<T, Problems>, invalid: Invalid) -> Result<T, Problems> {
    let extra = Problems::from(invalid);
    Err(match checked {
        Ok(_) => extra,
        Err(mut problems) => {
            problems.absorb(extra);
            problems
        }
    })
}

/// Checks an input field by field, keeping every problem: each check gives its value, or a
/// stand-in (the type's default) while the problem is kept for [`Checks::finish`].
#[derive(Debug, Default)]
pub struct Checks(Vec<Invalid>);

impl Checks {
    /// The checked value, or the default with the problem kept.
    pub fn value<T: Default>(&mut self, checked: Result<T, Invalid>) -> T {
        checked.unwrap_or_else(|invalid| {
            self.fail(invalid);
            T::default()
        })
    }

    /// Keeps a problem found outside a check function. A field already refused keeps its first
    /// problem only: one message at a field.
    pub fn fail(&mut self, invalid: Invalid) {
        if !self.0.iter().any(|kept| kept.field == invalid.field) {
            self.0.push(invalid);
        }
    }

    /// Whether a problem was found so far (a check that needs the earlier ones to hold).
    pub fn failed(&self) -> bool {
        !self.0.is_empty()
    }

    /// The problem `checked` had, kept; its value if it had none.
    pub fn ok<T>(&mut self, checked: Result<T, Invalid>) -> Option<T> {
        checked.map_err(|invalid| self.fail(invalid)).ok()
    }

    /// `checked` if nothing was kept here, else the problems kept here followed by `checked`'s
    /// (a form's own reading of its fields, then the rules on what it read).
    pub fn finish_with<T>(self, checked: Result<T, Problems>) -> Result<T, Problems> {
        if self.0.is_empty() {
            return checked;
        }
        let mut problems = Problems(self.0);
        if let Err(rest) = checked {
            problems.absorb(rest);
        }
        Err(problems)
    }

    /// `value` if nothing was wrong, else every problem found.
    pub fn finish<T>(self, value: T) -> Result<T, Problems> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(Problems(self.0))
        }
    }
}

/// Whether `text` shows anything to a reader: a required field holding only blanks, fillers or
/// marks that draw nothing (a tester's denial gave "\u{2800}\u{3164}" as its reasons) is empty.
pub fn shows_something(text: &str) -> bool {
    text.chars().any(|c| !draws_nothing(c))
}

/// A required text of at most `max` characters, trimmed.
pub fn required_text(value: &str, field: &str, label: &str, max: usize) -> Result<String, Invalid> {
    let trimmed = value.trim();
    if !shows_something(trimmed) {
        return Err(Invalid::new("required", field, format!("请填写{label}")));
    }
    if trimmed.chars().count() > max {
        return Err(Invalid::new(
            "too_long",
            field,
            format!("{label}不能超过 {max} 个字"),
        ));
    }
    Ok(trimmed.to_string())
}

/// An optional text: empty means none.
pub fn optional_text(
    value: Option<&str>,
    field: &str,
    label: &str,
    max: usize,
) -> Result<Option<String>, Invalid> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => required_text(v, field, label, max).map(Some),
    }
}

/// A contact phone of a hall or unit: a landline with area code (0951-1234567) or a mobile,
/// digits with optional hyphens.
pub fn contact_phone(value: &str, field: &str) -> Result<String, Invalid> {
    let trimmed = value.trim();
    let digits = trimmed.chars().filter(char::is_ascii_digit).count();
    let only_allowed = trimmed.chars().all(|c| c.is_ascii_digit() || c == '-');
    // A number beginning with 1 is a mobile: 11 digits (a cut-off "1380951" had passed as a
    // landline).
    let cut_mobile = trimmed.starts_with('1') && digits != 11;
    if !only_allowed
        || !(7..=15).contains(&digits)
        || cut_mobile
        || trimmed.starts_with('-')
        || trimmed.ends_with('-')
    {
        return Err(Invalid::new(
            "invalid_phone",
            field,
            "电话号码格式不正确（如 0951-1234567 或 11 位手机号）",
        ));
    }
    Ok(trimmed.to_string())
}

/// Length of a staff password, in characters.
pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 8..=128;

/// A staff password long enough to resist guessing and short enough to hash.
pub fn password_strength(value: &str, field: &str) -> Result<(), Invalid> {
    let chars = value.chars().count();
    if chars < *PASSWORD_CHARS.start() {
        let message = format!("密码至少 {} 位", PASSWORD_CHARS.start());
        return Err(Invalid::new("weak_password", field, message));
    }
    if chars > *PASSWORD_CHARS.end() {
        let message = format!("密码不能超过 {} 位", PASSWORD_CHARS.end());
        return Err(Invalid::new("weak_password", field, message));
    }
    if guessable(value) {
        let message = "密码过于简单：不能全是数字、同一个字符重复或常见密码，请加入字母和符号";
        return Err(Invalid::new("weak_password", field, message));
    }
    Ok(())
}

/// The passwords a guesser tries first (等保 2.0 asks for complexity): all digits (a birthday, a
/// phone number, 12345678), one character repeated, or a well-known word.
fn guessable(value: &str) -> bool {
    const COMMON: [&str; 13] = [
        "password",
        "passw0rd",
        "qwertyui",
        "qwerty",
        "abcdefgh",
        "abc",
        "iloveyou",
        "admin123",
        "admin",
        "welcome",
        "letmein",
        "chuangkou",
        "11111111",
    ];
    let mut chars = value.chars();
    let first = chars.next();
    // "password1", "Admin123!": a common word with digits or symbols tacked on is tried early.
    let stem = value.trim_end_matches(|c: char| !c.is_alphabetic());
    value.chars().all(|c| c.is_ascii_digit())
        || chars.all(|c| Some(c) == first)
        || COMMON
            .iter()
            .any(|w| value.eq_ignore_ascii_case(w) || stem.eq_ignore_ascii_case(w))
}

/// A password that contains its own staff number ("clerk01pass", "pwtest123" for pwtest) is the
/// first thing a guesser who knows the staff number tries.
pub fn password_names_account(
    password: &str,
    staff_number: &str,
    field: &str,
) -> Result<(), Invalid> {
    let number = staff_number.trim().to_lowercase();
    if number.chars().count() >= 3 && password.to_lowercase().contains(&number) {
        return Err(Invalid::new("weak_password", field, "密码不能包含工号"));
    }
    Ok(())
}

/// A staff number: 2–32 letters, digits, `-` or `_`.
pub fn staff_number(value: &str, field: &str) -> Result<String, Invalid> {
    let trimmed = value.trim();
    let ok = (2..=32).contains(&trimmed.len())
        && trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        return Err(Invalid::new(
            "invalid_staff_number",
            field,
            "工号须为 2–32 位字母、数字、- 或 _",
        ));
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_keep_every_field_refused_and_one_message_per_field() {
        let mut checks = Checks::default();
        let name = checks.value(required_text(" ", "name", "名称", 10));
        let phone = checks.value(contact_phone("12", "phone"));
        checks.fail(Invalid::new("too_long", "name", "名称过长"));
        let kept = checks.value(required_text("窗口", "label", "标签", 10));
        assert_eq!(
            (name.as_str(), phone.as_str(), kept.as_str()),
            ("", "", "窗口")
        );
        let problems = checks.finish(()).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["name", "phone"]);
        assert_eq!(problems.first().code, "required");
        assert_eq!(Checks::default().finish(7), Ok(7));
    }

    #[test]
    fn blank_required_text_is_refused_and_text_is_trimmed() {
        assert!(required_text("   ", "name", "名称", 10).is_err());
        for blank in [
            "\u{2800}\u{3164}",
            "\u{200c}\u{200d}",
            "\u{00ad}",
            "\u{0301}\u{0301}",
            "\u{e0041}",
            "\u{115f}\u{1160}",
            "\u{3000}",
        ] {
            let err = required_text(blank, "topic", "咨询事项", 10).unwrap_err();
            assert_eq!(err.code, "required", "{blank:?}");
        }
        assert!(required_text("é", "name", "名称", 10).is_ok());
        assert!(required_text("👍🏽", "name", "名称", 10).is_ok());
        assert_eq!(
            required_text(" 金凤区 ", "name", "名称", 10).unwrap(),
            "金凤区"
        );
    }

    #[test]
    fn landlines_and_mobiles_are_contact_phones() {
        assert!(contact_phone("0951-5021234", "phone").is_ok());
        assert!(contact_phone("13995012345", "phone").is_ok());
        assert!(contact_phone("12345", "phone").is_err());
        assert!(
            contact_phone("1380951", "phone").is_err(),
            "a cut-off mobile"
        );
        assert!(
            contact_phone("6888123", "phone").is_ok(),
            "a local landline"
        );
        assert!(contact_phone("0951 abc", "phone").is_err());
    }

    #[test]
    fn a_password_of_digits_only_one_repeated_character_or_a_common_word_is_refused() {
        for weak in [
            "12345678",
            "19900101",
            "aaaaaaaa",
            "PassWord",
            "11111111",
            "password1",
            "Admin123!",
        ] {
            assert!(password_strength(weak, "password").is_err(), "{weak}");
        }
        assert!(password_names_account("pwtest123", "pwtest", "password").is_err());
        assert!(password_names_account("XClerk01-y", "clerk01", "password").is_err());
        assert!(password_names_account("long-enough-1", "clerk01", "password").is_ok());
        for fine in [
            "chuangkou-demo",
            "long-enough-1",
            "a-new-long-password",
            "pw-123456789",
        ] {
            assert!(password_strength(fine, "password").is_ok(), "{fine}");
        }
    }

    #[test]
    fn staff_numbers_are_short_plain_codes() {
        assert!(staff_number("c001", "staff_number").is_ok());
        assert!(staff_number("a", "staff_number").is_err());
        assert!(staff_number("工号1", "staff_number").is_err());
    }
}
