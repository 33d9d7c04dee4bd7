//! Browsers that have signed in to an account before ("device cookies", OWASP's defence against
//! online guessing). While an account is under a guessing attack its attempts run one at a time
//! and the rest are refused (`LoginLimiter::admit`); an attempt from a browser that signed in to
//! the account before goes ahead, so the attack cannot lock the owner out of their own counter.
//!
//! Each mark is this browser's own: a random nonce, the day of the sign-in and a server MAC over
//! both and the account (no staff number in clear). Two browsers never share a mark, so a copied
//! cookie speaks for one browser only, and a mark expires half a year after its sign-in whatever
//! the cookie's own age says. The MAC also covers a stamp of the account's password, so a new
//! password (by its owner or an administrator) forgets every browser that knew the old one. It
//! grants nothing else: the password is still checked and every other budget still applies.

use axum::http::HeaderMap;
use chrono::{DateTime, Utc};

use super::holder::{HolderKey, cookie_value};
use crate::auth::rate_limit::normalize;

/// The cookie's name.
pub const KNOWN_DEVICE_COOKIE: &str = "chuangkou_device";
/// Accounts one browser remembers (a shared counter tablet serves a few clerks).
const MAX_ACCOUNTS: usize = 5;
/// How long a browser stays known after its last sign-in: half a year.
const KNOWN_DAYS: i64 = 183;

/// One mark: `nonce-day-mac`.
struct Mark<'a> {
    nonce: &'a str,
    day: i64,
    mac: &'a str,
}

impl<'a> Mark<'a> {
    fn parse(text: &'a str) -> Option<Self> {
        let mut parts = text.split('-');
        let (nonce, day, mac) = (parts.next()?, parts.next()?, parts.next()?);
        let hex16 = |t: &str| t.len() == 16 && t.chars().all(|c| c.is_ascii_hexdigit());
        if parts.next().is_some() || !hex16(nonce) || !hex16(mac) || day.len() > 6 {
            return None;
        }
        Some(Self {
            nonce,
            day: day.parse().ok()?,
            mac,
        })
    }

    /// Whether the mark is this server's, for `account` (see [`holder`]), and not older than
    /// half a year.
    fn speaks_for(&self, key: &HolderKey, account: &str, today: i64) -> bool {
        (0..=KNOWN_DAYS).contains(&(today - self.day))
            && key.device_mac(account, self.nonce, self.day) == self.mac
    }
}

/// Who a mark speaks for: the account (normalised) under its current password's stamp
/// (`credential_stamp`; empty for an account that does not exist).
fn holder(account: &str, stamp: &str) -> String {
    format!("{}~{stamp}", normalize(account))
}

fn day_of(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(86_400)
}

fn marks(headers: &HeaderMap) -> Vec<&str> {
    cookie_value(headers, KNOWN_DEVICE_COOKIE)
        .unwrap_or_default()
        .split('.')
        .filter(|m| Mark::parse(m).is_some())
        .take(MAX_ACCOUNTS)
        .collect()
}

/// Whether this browser signed in to `account` in the last half year, under the password whose
/// stamp is `stamp`.
pub fn is_known(
    headers: &HeaderMap,
    key: &HolderKey,
    (account, stamp): (&str, &str),
    now: DateTime<Utc>,
) -> bool {
    let account = holder(account, stamp);
    marks(headers)
        .into_iter()
        .filter_map(Mark::parse)
        .any(|m| m.speaks_for(key, &account, day_of(now)))
}

/// The `Set-Cookie` value remembering that this browser signed in to `account` now, under the
/// password whose stamp is `stamp` (newest first, a fresh nonce; the account's older mark and
/// expired ones are dropped).
pub fn remember(
    headers: &HeaderMap,
    key: &HolderKey,
    (account, stamp): (&str, &str),
    now: DateTime<Utc>,
    secure: bool,
) -> String {
    let account = holder(account, stamp);
    let today = day_of(now);
    let nonce = hex::encode(rand::random::<[u8; 8]>());
    let mark = format!(
        "{nonce}-{today}-{}",
        key.device_mac(&account, &nonce, today)
    );
    let mut kept = vec![mark];
    kept.extend(
        marks(headers)
            .into_iter()
            .filter(|m| {
                Mark::parse(m).is_some_and(|m| {
                    (0..=KNOWN_DAYS).contains(&(today - m.day))
                        && !m.speaks_for(key, &account, today)
                })
            })
            .map(str::to_owned),
    );
    kept.truncate(MAX_ACCOUNTS);
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{KNOWN_DEVICE_COOKIE}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{secure}",
        kept.join("."),
        KNOWN_DAYS * 24 * 3600,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, header};
    use chrono::{Duration, TimeZone};

    fn with_cookie(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(value).unwrap());
        h
    }

    fn cookie_of(set: &str) -> HeaderMap {
        with_cookie(set.split(';').next().unwrap())
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 4, 2, 0, 0).unwrap()
    }

    #[test]
    fn a_browser_is_known_for_the_accounts_it_signed_in_to_and_no_other() {
        let key = HolderKey::derive("secret");
        let set = remember(&HeaderMap::new(), &key, ("Clerk01 ", "s1"), now(), false);
        let headers = cookie_of(&set);
        assert!(is_known(&headers, &key, ("clerk01", "s1"), now()));
        assert!(!is_known(&headers, &key, ("clerk02", "s1"), now()));
        assert!(!is_known(
            &headers,
            &HolderKey::derive("other"),
            ("clerk01", "s1"),
            now()
        ));
        let both = remember(&headers, &key, ("clerk02", "s1"), now(), true);
        assert!(both.ends_with("; Secure"));
        let headers = cookie_of(&both);
        assert!(is_known(&headers, &key, ("clerk01", "s1"), now()));
        assert!(is_known(&headers, &key, ("clerk02", "s1"), now()));
    }

    #[test]
    fn two_browsers_of_one_account_get_different_marks_and_a_sign_in_replaces_its_own() {
        let key = HolderKey::derive("secret");
        let a = remember(&HeaderMap::new(), &key, ("clerk01", "s1"), now(), false);
        let b = remember(&HeaderMap::new(), &key, ("clerk01", "s1"), now(), false);
        assert_ne!(a, b);
        let again = remember(&cookie_of(&a), &key, ("clerk01", "s1"), now(), false);
        assert_eq!(marks(&cookie_of(&again)).len(), 1);
    }

    #[test]
    fn a_mark_older_than_half_a_year_no_longer_counts_whatever_the_cookie_says() {
        let key = HolderKey::derive("secret");
        let headers = cookie_of(&remember(
            &HeaderMap::new(),
            &key,
            ("clerk01", "s1"),
            now(),
            false,
        ));
        assert!(is_known(
            &headers,
            &key,
            ("clerk01", "s1"),
            now() + Duration::days(183)
        ));
        assert!(!is_known(
            &headers,
            &key,
            ("clerk01", "s1"),
            now() + Duration::days(184)
        ));
        // Nor one from the future (a mark signed for a later day is not this server's).
        assert!(!is_known(
            &headers,
            &key,
            ("clerk01", "s1"),
            now() - Duration::days(1)
        ));
    }

    #[test]
    fn a_new_password_forgets_every_browser_that_knew_the_old_one() {
        let key = HolderKey::derive("secret");
        let headers = cookie_of(&remember(
            &HeaderMap::new(),
            &key,
            ("clerk01", "s1"),
            now(),
            false,
        ));
        assert!(is_known(&headers, &key, ("clerk01", "s1"), now()));
        assert!(!is_known(&headers, &key, ("clerk01", "s2"), now()));
    }

    #[test]
    fn a_forged_or_malformed_mark_is_ignored() {
        let key = HolderKey::derive("secret");
        let forged = "chuangkou_device=0123456789abcdef-20516-0123456789abcdef.zz.<script>";
        let headers = with_cookie(forged);
        assert!(!is_known(&headers, &key, ("clerk01", "s1"), now()));
        assert_eq!(marks(&headers).len(), 1);
    }
}
