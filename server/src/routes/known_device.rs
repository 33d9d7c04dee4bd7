//! Browsers that have signed in to an account before ("device cookies", OWASP's defence against
//! online guessing). While an account is under a guessing attack its attempts run one at a time
//! and the rest are refused (`LoginLimiter::admit`); an attempt from a browser that signed in to
//! the account before goes ahead, so the attack cannot lock the owner out of their own counter.
//! The cookie holds one server-signed mark per account (no staff number in clear) and grants
//! nothing else: the password is still checked and every other budget still applies.

use axum::http::HeaderMap;

use super::holder::{HolderKey, cookie_value};
use crate::auth::rate_limit::normalize;

/// The cookie's name.
pub const KNOWN_DEVICE_COOKIE: &str = "chuangkou_device";
/// Accounts one browser remembers (a shared counter tablet serves a few clerks).
const MAX_ACCOUNTS: usize = 5;
/// How long a browser stays known after its last sign-in: half a year.
const KNOWN_SECONDS: u32 = 183 * 24 * 3600;

fn marks(headers: &HeaderMap) -> Vec<&str> {
    cookie_value(headers, KNOWN_DEVICE_COOKIE)
        .unwrap_or_default()
        .split('.')
        .filter(|m| m.len() == 16 && m.chars().all(|c| c.is_ascii_hexdigit()))
        .take(MAX_ACCOUNTS)
        .collect()
}

/// Whether this browser signed in to `account` before.
pub fn is_known(headers: &HeaderMap, key: &HolderKey, account: &str) -> bool {
    let mark = key.device_mark(&normalize(account));
    marks(headers).contains(&mark.as_str())
}

/// The `Set-Cookie` value remembering that this browser signed in to `account` (newest first).
pub fn remember(headers: &HeaderMap, key: &HolderKey, account: &str, secure: bool) -> String {
    let mark = key.device_mark(&normalize(account));
    let mut kept = vec![mark.as_str()];
    kept.extend(marks(headers).into_iter().filter(|m| *m != mark));
    kept.truncate(MAX_ACCOUNTS);
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{KNOWN_DEVICE_COOKIE}={}; Path=/; Max-Age={KNOWN_SECONDS}; HttpOnly; SameSite=Strict\
         {secure}",
        kept.join(".")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, header};

    fn with_cookie(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn a_browser_is_known_for_the_accounts_it_signed_in_to_and_no_other() {
        let key = HolderKey::derive("secret");
        let set = remember(&HeaderMap::new(), &key, "Clerk01 ", false);
        let cookie = set.split(';').next().unwrap().to_owned();
        let headers = with_cookie(&cookie);
        assert!(is_known(&headers, &key, "clerk01"));
        assert!(!is_known(&headers, &key, "clerk02"));
        assert!(!is_known(&headers, &HolderKey::derive("other"), "clerk01"));
        let both = remember(&headers, &key, "clerk02", true);
        assert!(both.ends_with("; Secure"));
        let headers = with_cookie(both.split(';').next().unwrap());
        assert!(is_known(&headers, &key, "clerk01") && is_known(&headers, &key, "clerk02"));
    }

    #[test]
    fn a_forged_or_malformed_mark_is_ignored() {
        let key = HolderKey::derive("secret");
        let headers = with_cookie("chuangkou_device=0123456789abcdef.zz.<script>");
        assert!(!is_known(&headers, &key, "clerk01"));
        assert!(marks(&headers).len() == 1);
    }
}
