//! Property tests of the applicant identifiers (proptest).

use proptest::prelude::*;
use rules::MobilePhone;

/// A mainland mobile number: 1, then 3–9, then nine digits.
fn mobile() -> impl Strategy<Value = String> {
    (3u8..=9, proptest::collection::vec(0u8..=9, 9)).prop_map(|(second, rest)| {
        let mut n = format!("1{second}");
        n.extend(rest.iter().map(|d| char::from(b'0' + d)));
        n
    })
}

const PREFIXES: [&str; 10] = [
    "", "+86", "+86 ", "+86-", "0086", "0086 ", "86", "86 ", "(+86) ", "＋86 ",
];
const SEPARATORS: [&str; 5] = [" ", "-", "\u{3000}", "－", " - "];

/// Writes `digits` the way people write a mobile number: a country prefix, 3-4-4 groups and
/// full-width digits, each optional.
fn written(digits: &str, prefix: usize, sep: Option<usize>, full_width: bool) -> String {
    let body = match sep {
        None => digits.to_owned(),
        Some(i) => {
            let s = SEPARATORS[i];
            format!("{}{s}{}{s}{}", &digits[..3], &digits[3..7], &digits[7..])
        }
    };
    let text = format!("{}{body}", PREFIXES[prefix]);
    if full_width {
        text.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(u32::from(c) - u32::from('0') + 0xFF10).unwrap(),
                c => c,
            })
            .collect()
    } else {
        text
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_written_form_of_the_same_mobile_number_parses_to_the_same_value(
        digits in mobile(),
        prefix in 0..PREFIXES.len(),
        sep in proptest::option::of(0..SEPARATORS.len()),
        full_width in any::<bool>(),
    ) {
        let text = written(&digits, prefix, sep, full_width);
        let parsed = MobilePhone::parse(&text);
        prop_assert_eq!(parsed.as_ref().map(MobilePhone::as_str), Ok(digits.as_str()), "{}", text);
        prop_assert_eq!(MobilePhone::parse(parsed.unwrap().as_str()), MobilePhone::parse(&digits));
    }

    #[test]
    fn a_written_mobile_number_with_a_letter_inserted_is_refused(
        digits in mobile(),
        prefix in 0..PREFIXES.len(),
        sep in proptest::option::of(0..SEPARATORS.len()),
        at in any::<proptest::sample::Index>(),
        letter in "[a-zA-Z.,/#*]",
    ) {
        let text = written(&digits, prefix, sep, false);
        let chars: Vec<char> = text.chars().collect();
        let i = at.index(chars.len() + 1);
        let spoiled: String = chars[..i].iter().chain(letter.chars().collect::<Vec<_>>().iter())
            .chain(chars[i..].iter()).collect();
        prop_assert!(MobilePhone::parse(&spoiled).is_err(), "{}", spoiled);
    }
}
