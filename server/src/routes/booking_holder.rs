//! Which bookings this browser has proven it holds, so that no page address ever carries a phone
//! number (issue #14 point 3). When a citizen books, or names a booking by its code and phone in a
//! form post, the pair goes into an HttpOnly cookie for half an hour; the pages then name the
//! booking by its code alone, and the public booking API takes the phone from the cookie when the
//! request gives none. The cookie holds nothing the citizen did not type: it grants what the code
//! and phone grant, no more.
//!
//! A form refused for a wrong value gets the typed values back the same way, in a one-minute
//! cookie for the booking pages, never in the address.

use app::api::appointments::{
    BOOKING_HOLDER_COOKIE, BOOKING_TYPED_COOKIE, TypedBooking, normalize_code,
};
use axum::{
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
};

/// How many bookings one browser keeps proof of (the newest).
const MAX_HELD: usize = 3;
/// Seconds the proof lasts (a shared or kiosk browser forgets it soon).
const HELD_SECONDS: u32 = 1800;
/// The longest typed value sent back (names are at most 50 characters, phones 20).
const MAX_TYPED_CHARS: usize = 100;

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// The (code, phone digits) pairs the cookie holds, newest first.
fn held(headers: &HeaderMap) -> Vec<(String, String)> {
    cookie_value(headers, BOOKING_HOLDER_COOKIE)
        .unwrap_or_default()
        .split('.')
        .filter_map(|entry| entry.split_once('~'))
        .map(|(code, phone)| (normalize_code(code), phone.to_string()))
        .filter(|(code, phone)| !code.is_empty() && phone.chars().all(|c| c.is_ascii_digit()))
        .take(MAX_HELD)
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

fn secure_attr(secure: bool) -> &'static str {
    if secure { "; Secure" } else { "" }
}

/// The cookie that adds (code, phone) to what this browser holds; the phone is stored as its 11
/// digits (any written form of it was accepted before this is called).
pub fn hold_cookie(headers: &HeaderMap, code: &str, phone: &str, secure: bool) -> String {
    let code = normalize_code(code);
    let digits = rules::MobilePhone::parse(phone)
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let mut entries = vec![format!("{code}~{digits}")];
    entries.extend(
        held(headers)
            .into_iter()
            .filter(|(c, _)| *c != code)
            .map(|(c, p)| format!("{c}~{p}"))
            .take(MAX_HELD - 1),
    );
    format!(
        "{BOOKING_HOLDER_COOKIE}={}; Path=/; Max-Age={HELD_SECONDS}; HttpOnly; SameSite=Strict{}",
        entries.join("."),
        secure_attr(secure)
    )
}

/// The cookie that gives the booking pages the values typed into a refused form (one minute).
pub fn typed_cookie(typed: &TypedBooking, secure: bool) -> String {
    let keep = |v: &str| {
        let v = v.trim();
        if v.chars().count() <= MAX_TYPED_CHARS {
            app::api::client::encode(v)
        } else {
            String::new()
        }
    };
    format!(
        "{BOOKING_TYPED_COOKIE}={}~{}; Path=/booking; Max-Age=60; HttpOnly; SameSite=Strict{}",
        keep(&typed.name),
        keep(&typed.phone),
        secure_attr(secure)
    )
}

/// The values a refused booking form left for the page, decoded.
pub fn typed(headers: &HeaderMap) -> Option<TypedBooking> {
    let raw = cookie_value(headers, BOOKING_TYPED_COOKIE)?;
    let (name, phone) = raw.split_once('~')?;
    let decode = |v: &str| {
        url::form_urlencoded::parse(format!("v={v}").as_bytes())
            .find(|(k, _)| k == "v")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let typed = TypedBooking {
        name: decode(name),
        phone: decode(phone),
    };
    (!typed.name.is_empty() || !typed.phone.is_empty()).then_some(typed)
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
    fn typed_values_come_back_decoded() {
        let typed = TypedBooking {
            name: "张 晓明".into(),
            phone: "+86 138-1234".into(),
        };
        let back = super::typed(&with_cookie(&typed_cookie(&typed, false))).unwrap();
        assert_eq!(back, typed);
    }
}
