//! What this browser has proven it holds — bookings and cases — so that no page address ever
//! carries a phone number (issue #14 point 3). When a citizen books, names a booking by its code
//! and phone, or looks a case up by its number and phone (or 查询码) in a form post, the pair goes
//! into an HttpOnly cookie for half an hour; the pages then name the booking by its code, the case
//! by its number, and the public API takes the secret from the cookie when the request gives
//! none. The cookie holds nothing the citizen did not type: it grants what the pair grants, no
//! more, and every use of it is checked like a typed one. A case entry is signed by the server
//! ([`HolderKey`]): it stands for a look-up already made and counted, so looking again with it
//! does not spend the case's hourly look-ups (the per-address limit still applies).
//!
//! A form refused for a wrong value gets the typed values back the same way, in a one-minute
//! cookie for its page, never in the address.

use app::api::{
    appointments::{BOOKING_HOLDER_COOKIE, BOOKING_TYPED_COOKIE, TypedBooking, normalize_code},
    cases::{CASE_HOLDER_COOKIE, TRACK_TYPED_COOKIE, TypedLookup},
    supervision::{RATING_TYPED_COOKIE, TypedComment},
};
use axum::{
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How many bookings (and, apart, cases) one browser keeps proof of (the newest).
const MAX_HELD: usize = 3;
/// Seconds the proof lasts (a shared or kiosk browser forgets it soon).
const HELD_SECONDS: u32 = 1800;
/// The longest typed value sent back (names are at most 50 characters, phones 20).
const MAX_TYPED_CHARS: usize = 100;

/// The value of the request's cookie `name`, as sent.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// The (key, secret) pairs a holder cookie holds, newest first; entries with anything but
/// letters, digits and hyphens are dropped (they were not written by this server).
fn held_pairs(headers: &HeaderMap, cookie: &str) -> Vec<(String, String)> {
    let plain = |v: &str| !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    cookie_value(headers, cookie)
        .unwrap_or_default()
        .split('.')
        .filter_map(|entry| entry.split_once('~'))
        .filter(|(key, secret)| plain(key) && plain(secret))
        .map(|(key, secret)| (key.to_string(), secret.to_string()))
        .take(MAX_HELD)
        .collect()
}

/// The holder cookie with (key, secret) added as the newest entry (replacing one for `key`).
fn hold(headers: &HeaderMap, cookie: &str, key: &str, secret: &str, secure: bool) -> String {
    let mut entries = vec![format!("{key}~{secret}")];
    entries.extend(others(headers, cookie, key).take(MAX_HELD - 1));
    holder_cookie(cookie, &entries, secure)
}

/// The entries of the holder cookie other than `key`'s, newest first.
fn others<'a>(
    headers: &HeaderMap,
    cookie: &str,
    key: &'a str,
) -> impl Iterator<Item = String> + 'a {
    let pairs = held_pairs(headers, cookie).into_iter();
    pairs
        .filter(move |(k, _)| k != key)
        .map(|(k, s)| format!("{k}~{s}"))
}

fn holder_cookie(cookie: &str, entries: &[String], secure: bool) -> String {
    format!(
        "{cookie}={}; Path=/; Max-Age={HELD_SECONDS}; HttpOnly; SameSite=Strict{}",
        entries.join("."),
        secure_attr(secure)
    )
}

/// The (code, phone digits) pairs the booking cookie holds, newest first.
fn held(headers: &HeaderMap) -> Vec<(String, String)> {
    held_pairs(headers, BOOKING_HOLDER_COOKIE)
        .into_iter()
        .map(|(code, phone)| (normalize_code(&code), phone))
        .filter(|(_, phone)| phone.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// The phone this browser proved for `code`, if any.
pub fn held_phone(headers: &HeaderMap, code: &str) -> Option<String> {
    let code = normalize_code(code);
    held(headers)
        .into_iter()
        .find(|(c, _)| *c == code)
        .map(|(_, phone)| phone)
}

/// The phone a request names a booking by: the one given, else the one this browser proved.
pub fn phone_for(headers: &HeaderMap, code: &str, given: &str) -> String {
    if given.trim().is_empty() {
        held_phone(headers, code).unwrap_or_default()
    } else {
        given.to_string()
    }
}

/// What this browser proved it may see a case with, the case named by its stored number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeldCaseSecret {
    /// The applicant's mobile number, its 11 digits.
    Phone(String),
    /// The receipt's 查询码, normalised.
    Code(String),
}

/// The key that signs the case cookie's entries, derived from the session secret: an entry this
/// server wrote is a look-up already made and counted, so its owner may look again without
/// spending the case's hourly look-ups (a citizen reloading `/track`); a forged one is ignored.
#[derive(Clone)]
pub struct HolderKey(Vec<u8>);

impl HolderKey {
    pub fn derive(session_secret: &str) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(session_secret.as_bytes())
            .expect("HMAC takes a key of any length");
        mac.update(b"chuangkou case holder v1");
        Self(mac.finalize().into_bytes().to_vec())
    }

    /// 16 hex digits of the entry's MAC: enough, as a wrong one only makes the entry ignored.
    fn mac(&self, number: &str, secret: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key");
        mac.update(number.as_bytes());
        mac.update(b"~");
        mac.update(secret.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..8])
    }

    /// The MAC of a device mark: this browser's `nonce`, signed in to `account` (normalised) on
    /// `day`; see `known_device`.
    pub fn device_mac(&self, account: &str, nonce: &str, day: i64) -> String {
        self.mac("known-device", &format!("{account}~{nonce}~{day}"))
    }
}

/// The secret this browser proved for the case `number` (its stored form), if the entry is
/// this server's (its MAC checks).
pub fn held_case_secret(
    headers: &HeaderMap,
    number: &str,
    key: &HolderKey,
) -> Option<HeldCaseSecret> {
    let (_, signed) = held_pairs(headers, CASE_HOLDER_COOKIE)
        .into_iter()
        .find(|(n, _)| n == number)?;
    let (secret, mac) = signed.rsplit_once('-')?;
    if key.mac(number, secret) != mac {
        return None;
    }
    match secret.split_at_checked(1)? {
        ("p", digits) if digits.chars().all(|c| c.is_ascii_digit()) => {
            Some(HeldCaseSecret::Phone(digits.to_string()))
        }
        ("c", code) => Some(HeldCaseSecret::Code(normalize_code(code))),
        _ => None,
    }
}

/// The cookie that adds the case `number` (stored form) and the secret that opened it to what
/// this browser holds. Call it only once the pair has opened the case.
pub fn hold_case_cookie(
    headers: &HeaderMap,
    number: &str,
    secret: &HeldCaseSecret,
    key: &HolderKey,
    secure: bool,
) -> String {
    let secret = match secret {
        HeldCaseSecret::Phone(phone) => format!(
            "p{}",
            rules::MobilePhone::parse(phone)
                .map(|p| p.as_str().to_string())
                .unwrap_or_default()
        ),
        HeldCaseSecret::Code(code) => format!("c{}", normalize_code(code)),
    };
    let signed = format!("{secret}-{}", key.mac(number, &secret));
    hold(headers, CASE_HOLDER_COOKIE, number, &signed, secure)
}

fn secure_attr(secure: bool) -> &'static str {
    if secure { "; Secure" } else { "" }
}

/// The booking cookie without the code's entry: a wrong phone typed for a booking this browser
/// held means someone else may be at it (a shared phone, a hall's PC), and the page shows the
/// refusal, not the booking.
pub fn release_cookie(headers: &HeaderMap, code: &str, secure: bool) -> String {
    let code = normalize_code(code);
    let entries: Vec<String> = others(headers, BOOKING_HOLDER_COOKIE, &code).collect();
    holder_cookie(BOOKING_HOLDER_COOKIE, &entries, secure)
}

/// The cookie that adds (code, phone) to what this browser holds; the phone is stored as its 11
/// digits (any written form of it was accepted before this is called).
pub fn hold_cookie(headers: &HeaderMap, code: &str, phone: &str, secure: bool) -> String {
    let digits = rules::MobilePhone::parse(phone)
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    hold(
        headers,
        BOOKING_HOLDER_COOKIE,
        &normalize_code(code),
        &digits,
        secure,
    )
}

/// A one-minute cookie for the pages under `path` with the values typed into a refused form
/// (each at most `max_chars` long; a longer one is left out).
fn typed_values_cookie(
    cookie: &str,
    path: &str,
    values: &[&str],
    max_chars: usize,
    secure: bool,
) -> String {
    let keep = |v: &&str| {
        let v = v.trim();
        if v.chars().count() <= max_chars {
            app::api::client::encode(v)
        } else {
            String::new()
        }
    };
    let joined: Vec<String> = values.iter().map(keep).collect();
    format!(
        "{cookie}={}; Path={path}; Max-Age=60; HttpOnly; SameSite=Strict{}",
        // `encode` escapes '!' (it keeps '~'), so a typed '~' or '!' never splits a value.
        joined.join("!"),
        secure_attr(secure)
    )
}

/// The values a refused form left in `cookie`, decoded, `n` of them (missing ones empty);
/// `None` when all are empty.
fn typed_values(headers: &HeaderMap, cookie: &str, n: usize) -> Option<Vec<String>> {
    let raw = cookie_value(headers, cookie)?;
    let decode = |v: &str| {
        url::form_urlencoded::parse(format!("v={v}").as_bytes())
            .find(|(k, _)| k == "v")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let mut values: Vec<String> = raw.split('!').take(n).map(decode).collect();
    values.resize(n, String::new());
    values.iter().any(|v| !v.is_empty()).then_some(values)
}

/// The cookie that gives the booking pages the values typed into a refused form (one minute;
/// HttpOnly, this path only: the ID number never goes into an address either).
pub fn typed_cookie(typed: &TypedBooking, secure: bool) -> String {
    let values = [
        typed.name.as_str(),
        typed.phone.as_str(),
        typed.id_number.as_str(),
    ];
    typed_values_cookie(
        BOOKING_TYPED_COOKIE,
        "/booking",
        &values,
        MAX_TYPED_CHARS,
        secure,
    )
}

/// The values a refused booking form left for the page, decoded.
pub fn typed(headers: &HeaderMap) -> Option<TypedBooking> {
    let mut v = typed_values(headers, BOOKING_TYPED_COOKIE, 3)?.into_iter();
    let mut next = || v.next().unwrap_or_default();
    Some(TypedBooking {
        name: next(),
        phone: next(),
        id_number: next(),
    })
}

/// The cookie that gives `/track` the phone and 查询码 typed into a refused look-up.
pub fn typed_lookup_cookie(typed: &TypedLookup, secure: bool) -> String {
    let values = [
        typed.phone.as_str(),
        typed.code.as_str(),
        typed.number.as_str(),
    ];
    typed_values_cookie(
        TRACK_TYPED_COOKIE,
        "/track",
        &values,
        MAX_TYPED_CHARS,
        secure,
    )
}

/// The cookie that forgets what a refused look-up typed, once a look-up has opened the case.
pub fn forget_typed_lookup_cookie(secure: bool) -> String {
    format!(
        "{TRACK_TYPED_COOKIE}=; Path=/track; Max-Age=0; HttpOnly; SameSite=Strict{}",
        secure_attr(secure)
    )
}

/// The phone and 查询码 a refused look-up left for `/track`, decoded.
pub fn typed_lookup(headers: &HeaderMap) -> Option<TypedLookup> {
    let mut v = typed_values(headers, TRACK_TYPED_COOKIE, 3)?.into_iter();
    let mut next = || v.next().unwrap_or_default();
    Some(TypedLookup {
        phone: next(),
        code: next(),
        number: next(),
    })
}

/// The cookie that gives a code's rating page the comment typed into its refused form (a
/// rating's comment is at most 300 characters).
pub fn typed_comment_cookie(comment: &str, secure: bool) -> String {
    typed_values_cookie(RATING_TYPED_COOKIE, "/rate", &[comment], 300, secure)
}

/// The comment a refused rating form left for the page, decoded.
pub fn typed_comment(headers: &HeaderMap) -> Option<TypedComment> {
    let mut v = typed_values(headers, RATING_TYPED_COOKIE, 1)?;
    Some(TypedComment(v.remove(0)))
}

/// A redirect that also sets `cookies`.
pub fn redirect_with(to: Redirect, cookies: &[String]) -> Response {
    let mut response = to.into_response();
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cookie(cookie: &str) -> HeaderMap {
        let pair = cookie.split(';').next().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, pair.parse().unwrap());
        headers
    }

    #[test]
    fn a_proven_booking_is_found_by_its_code_alone_and_the_newest_three_are_kept() {
        let mut headers = HeaderMap::new();
        for (code, phone) in [
            ("AAAA-2222", "138-1234-5678"),
            ("BBBB3333", "+86 139 0000 0001"),
            ("CCCC4444", "13900000002"),
            ("DDDD5555", "13900000003"),
        ] {
            headers = with_cookie(&hold_cookie(&headers, code, phone, false));
        }
        assert_eq!(
            held_phone(&headers, "dddd-5555").as_deref(),
            Some("13900000003")
        );
        assert_eq!(
            held_phone(&headers, "BBBB3333").as_deref(),
            Some("13900000001")
        );
        assert_eq!(held_phone(&headers, "AAAA2222"), None);
        assert_eq!(phone_for(&headers, "CCCC4444", ""), "13900000002");
        assert_eq!(
            phone_for(&headers, "CCCC4444", "13911112222"),
            "13911112222"
        );
    }

    #[test]
    fn the_cookie_is_http_only_and_never_sent_to_another_site() {
        let cookie = hold_cookie(&HeaderMap::new(), "AAAA2222", "13812345678", true);
        for attr in ["HttpOnly", "SameSite=Strict", "Secure", "Max-Age=1800"] {
            assert!(cookie.contains(attr), "{cookie}");
        }
    }

    #[test]
    fn a_case_opened_by_phone_or_code_is_held_by_its_number_and_forged_entries_are_ignored() {
        let key = HolderKey::derive("a session secret of the server");
        let by_phone = hold_case_cookie(
            &HeaderMap::new(),
            "2026-01-00001",
            &HeldCaseSecret::Phone("+86 139-9501-2345".into()),
            &key,
            false,
        );
        let headers = with_cookie(&by_phone);
        let by_code = hold_case_cookie(
            &headers,
            "2026-01-00002",
            &HeldCaseSecret::Code("k7m2-qx9p".into()),
            &key,
            false,
        );
        let headers = with_cookie(&by_code);
        assert_eq!(
            held_case_secret(&headers, "2026-01-00001", &key),
            Some(HeldCaseSecret::Phone("13995012345".into()))
        );
        assert_eq!(
            held_case_secret(&headers, "2026-01-00002", &key),
            Some(HeldCaseSecret::Code("K7M2QX9P".into()))
        );
        assert_eq!(held_case_secret(&headers, "2026-01-00003", &key), None);
        // Another server's key, an unsigned entry, a changed secret: none is this server's.
        let other = HolderKey::derive("another secret");
        assert_eq!(held_case_secret(&headers, "2026-01-00001", &other), None);
        let forged = with_cookie(
            "chuangkou_case=2026-01-00001~p13995012345.2026-01-00002~p13900000000-0011223344556677",
        );
        assert_eq!(held_case_secret(&forged, "2026-01-00001", &key), None);
        assert_eq!(held_case_secret(&forged, "2026-01-00002", &key), None);
    }

    #[test]
    fn typed_values_come_back_decoded() {
        let typed = TypedBooking {
            name: "张~晓明!".into(),
            phone: "+86 138-1234".into(),
            id_number: "64010619900101123Y".into(),
        };
        let back = super::typed(&with_cookie(&typed_cookie(&typed, false))).unwrap();
        assert_eq!(back, typed);
    }
}
