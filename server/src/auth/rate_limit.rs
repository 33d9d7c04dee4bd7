//! Rate limits (governor's GCRA): a burst of N requests per key, refilling over a minute. Past
//! it: 429 with `Retry-After`, whatever the request would have answered, so that guessing —
//! passwords, case numbers, booking codes — cannot go on.

use std::{net::IpAddr, num::NonZeroU32, sync::Arc};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock as _};

use crate::error::AppError;

/// One keyed limit with the error it answers.
pub struct Limiter {
    inner: DefaultKeyedRateLimiter<String>,
    code: &'static str,
    message: &'static str,
}

impl Limiter {
    pub fn per_minute(n: u32, code: &'static str, message: &'static str) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(n.max(1)).expect("max(1) is non-zero"));
        Self {
            inner: RateLimiter::keyed(quota),
            code,
            message,
        }
    }

    /// Counts one request for `key`; refuses it when the key's budget is spent.
    pub fn check(&self, key: &str) -> Result<(), AppError> {
        let now = governor::clock::DefaultClock::default().now();
        self.inner.check_key(&key.to_string()).map_err(|not_until| {
            let wait = not_until.wait_time_from(now).as_secs().max(1);
            AppError::too_many_requests(
                self.code,
                format!("{}，请 {wait} 秒后再试", self.message),
                wait,
            )
        })
    }

    pub fn retain_recent(&self) {
        self.inner.retain_recent();
    }
}

/// The key of a client address (requests without one — in-process calls — share one key).
pub fn ip_key(ip: Option<IpAddr>) -> String {
    ip.map_or_else(|| "local".to_string(), |ip| ip.to_string())
}

/// Login attempts: per staff number and per client address.
pub struct LoginLimiter {
    per_account: Limiter,
    per_ip: Limiter,
}

impl LoginLimiter {
    pub fn new(per_account_per_minute: u32, per_ip_per_minute: u32) -> Arc<Self> {
        const CODE: &str = "too_many_login_attempts";
        const MESSAGE: &str = "登录尝试过于频繁";
        Arc::new(Self {
            per_account: Limiter::per_minute(per_account_per_minute, CODE, MESSAGE),
            per_ip: Limiter::per_minute(per_ip_per_minute, CODE, MESSAGE),
        })
    }

    /// Counts one attempt; refuses it when either budget is spent.
    pub fn check(&self, staff_number: &str, ip: Option<IpAddr>) -> Result<(), AppError> {
        if let Some(ip) = ip {
            self.per_ip.check(&ip.to_string())?;
        }
        self.per_account.check(&staff_number.trim().to_lowercase())
    }

    pub fn retain_recent(&self) {
        self.per_account.retain_recent();
        self.per_ip.retain_recent();
    }
}

/// Citizens' lookups by code (case status, bookings): per client address.
pub struct PublicLimiter(pub Limiter);

impl PublicLimiter {
    pub fn new(per_minute: u32) -> Arc<Self> {
        Arc::new(Self(Limiter::per_minute(
            per_minute,
            "too_many_lookups",
            "查询过于频繁",
        )))
    }

    pub fn check(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        self.0.check(&ip_key(ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eleventh_attempt_in_a_minute_is_refused() {
        let limiter = LoginLimiter::new(10, 100);
        for _ in 0..10 {
            limiter.check("c001", None).unwrap();
        }
        let err = limiter.check("c001", None).unwrap_err();
        assert_eq!(err.code(), "too_many_login_attempts");
        // Another account is not affected.
        limiter.check("c002", None).unwrap();
    }

    #[test]
    fn one_address_cannot_try_many_accounts_past_its_budget() {
        let limiter = LoginLimiter::new(10, 3);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for n in 0..3 {
            limiter.check(&format!("s{n}"), Some(ip)).unwrap();
        }
        assert!(limiter.check("s9", Some(ip)).is_err());
    }

    #[test]
    fn public_lookups_are_limited_per_address() {
        let limiter = PublicLimiter::new(2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        limiter.check(Some(a)).unwrap();
        limiter.check(Some(a)).unwrap();
        assert_eq!(
            limiter.check(Some(a)).unwrap_err().code(),
            "too_many_lookups"
        );
        limiter.check(Some(b)).unwrap();
    }
}
