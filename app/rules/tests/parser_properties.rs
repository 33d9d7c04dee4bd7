//! Property tests of every parser of outside input (issue 15): identifiers, the calendar upload
//! and the rating code. Each parser accepts what is well formed, refuses any single-character
//! error its check character exists to catch, and never panics on arbitrary text.

use chrono::NaiveDate;
use proptest::prelude::*;
use rules::{
    ResidentId, UnifiedSocialCreditCode,
    calendar::{parse_csv, to_csv},
    supervision::RatingCode,
};

/// GB 11643-1999 §8 (ISO 7064 MOD 11-2), written again here as the oracle.
fn resident_check(first17: &str) -> char {
    let sum: u32 = first17
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap() * (2u32.pow(17 - i as u32) % 11))
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// A resident ID with a real birth date between 1930 and 2020.
fn resident_id() -> impl Strategy<Value = String> {
    (0u32..32_000, 0u32..1000).prop_map(|(day, seq)| {
        let birth = NaiveDate::from_ymd_opt(1930, 1, 1).unwrap() + chrono::Days::new(day.into());
        let first17 = format!("110105{}{seq:03}", birth.format("%Y%m%d"));
        format!("{first17}{}", resident_check(&first17))
    })
}

const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100-2015 §5.2, written again here as the oracle.
fn credit_check(first17: &str) -> char {
    let sum: u32 = first17
        .chars()
        .enumerate()
        .map(|(i, c)| CREDIT_ALPHABET.find(c).unwrap() as u32 * (3u32.pow(i as u32) % 31))
        .sum();
    CREDIT_ALPHABET.as_bytes()[((31 - sum % 31) % 31) as usize] as char
}

fn credit_char() -> impl Strategy<Value = char> {
    (0usize..31).prop_map(|i| CREDIT_ALPHABET.as_bytes()[i] as char)
}

/// A credit code: two code characters, a six-digit division code, nine more, the check.
fn credit_code() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(credit_char(), 2),
        proptest::collection::vec(0u8..=9, 6),
        proptest::collection::vec(credit_char(), 9),
    )
        .prop_map(|(head, division, body)| {
            let mut first17: String = head.into_iter().collect();
            first17.extend(division.iter().map(|d| char::from(b'0' + d)));
            first17.extend(body);
            let check = credit_check(&first17);
            format!("{first17}{check}")
        })
}

fn replace_at(text: &str, at: usize, with: char) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| if i == at { with } else { c })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn a_well_formed_resident_id_parses_in_either_case(id in resident_id()) {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let parsed = ResidentId::parse_as_of(&id.to_lowercase(), today).unwrap();
        prop_assert_eq!(parsed.as_str(), id.as_str());
    }

    #[test]
    fn a_resident_id_with_one_character_changed_is_refused(
        id in resident_id(), at in 0usize..18, digit in 0u32..11,
    ) {
        let with = if digit == 10 { 'X' } else { char::from_digit(digit, 10).unwrap() };
        prop_assume!(id.chars().nth(at) != Some(with));
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        prop_assert!(ResidentId::parse_as_of(&replace_at(&id, at, with), today).is_err());
    }

    #[test]
    fn a_well_formed_credit_code_parses(code in credit_code()) {
        let parsed = UnifiedSocialCreditCode::parse(&format!(" {} ", code.to_lowercase()));
        let parsed = parsed.unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
    }

    #[test]
    fn a_credit_code_with_one_character_changed_is_refused(
        code in credit_code(), at in 0usize..18, with in credit_char(),
    ) {
        prop_assume!(code.chars().nth(at) != Some(with));
        prop_assert!(UnifiedSocialCreditCode::parse(&replace_at(&code, at, with)).is_err());
    }

    #[test]
    fn no_identifier_parser_panics_on_arbitrary_text(text in "\\PC{0,40}|[0-9Xx -]{0,24}") {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let _ = ResidentId::parse_as_of(&text, today);
        let _ = UnifiedSocialCreditCode::parse(&text);
        let _ = rules::MobilePhone::parse(&text);
        let _ = RatingCode::parse(&text);
    }

    #[test]
    fn the_calendar_upload_never_panics_on_arbitrary_text(text in "(date,kind,name\n)?[-0-9a-z,\n \
        节]{0,200}") {
        let _ = parse_csv(&text);
    }

    #[test]
    fn any_selection_of_official_rows_reads_back_to_the_same_csv(
        keep in proptest::collection::vec(any::<bool>(), 200),
    ) {
        let shipped = to_csv(&rules::shipped_years());
        let mut lines = shipped.lines();
        let header = lines.next().unwrap();
        let rows: Vec<&str> = lines.zip(keep.iter().cycle()).filter(|(_, k)| **k).map(|(l,
            _)| l).collect();
        let text = std::iter::once(header).chain(rows).collect::<Vec<_>>().join("\n") + "\n";
        prop_assert_eq!(to_csv(&parse_csv(&text).unwrap()), text);
    }
}
