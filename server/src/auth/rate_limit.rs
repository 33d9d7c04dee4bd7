//! Login rate limits (governor's GCRA): a burst of N attempts per staff number and per client
//! address, refilling over a minute. The (N+1)th attempt inside the minute gets 429 with
//! `Retry-After`, whether or not the password would have been right, so guessing cannot continue.

use std::{net::IpAddr, num::NonZeroU32, sync::Arc};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock as _};

use crate::error::AppError;

pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
}

impl LoginLimiter {
    pub fn new(per_account_per_minute: u32, per_ip_per_minute: u32) -> Arc<Self> {
        let quota =
            |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).expect("max(1) is non-zero"));
        Arc::new(Self {
            per_account: RateLimiter::keyed(quota(per_account_per_minute)),
            per_ip: RateLimiter::keyed(quota(per_ip_per_minute)),
        })
    }

    /// Counts one attempt; refuses it when either budget is spent.
    pub fn check(&self, staff_number: &str, ip: Option<IpAddr>) -> Result<(), AppError> {
        let now = governor::clock::DefaultClock::default().now();
        let refused = |wait: std::time::Duration| {
            AppError::too_many_requests(
                "too_many_login_attempts",
                format!("登录尝试过于频繁，请 {} 秒后再试", wait.as_secs().max(1)),
                wait.as_secs().max(1),
            )
        };
        if let Some(ip) = ip {
            self.per_ip
                .check_key(&ip)
                .map_err(|not_until| refused(not_until.wait_time_from(now)))?;
        }
        self.per_account
            .check_key(&staff_number.trim().to_lowercase())
            .map_err(|not_until| refused(not_until.wait_time_from(now)))
    }

    /// Drops the state of keys that are back to full budget (called periodically).
    pub fn retain_recent(&self) {
        self.per_account.retain_recent();
        self.per_ip.retain_recent();
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
}
