//! Rate limits (governor's GCRA): a burst of N requests per key, refilling over a minute. Past
//! it: 429 with `Retry-After`, whatever the request would have answered, so that guessing —
//! passwords, case numbers, booking codes — cannot go on.

use std::{
    collections::{HashMap, VecDeque},
    net::IpAddr,
    num::NonZeroU32,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

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

    pub fn per_hour(n: u32, code: &'static str, message: &'static str) -> Self {
        let quota = Quota::per_hour(NonZeroU32::new(n.max(1)).expect("max(1) is non-zero"));
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

/// The key of a client address (requests without one — in-process calls — share one key). An
/// IPv6 client is counted by its /64 network: one subscriber gets a whole /64, so counting single
/// addresses would give one machine billions of fresh budgets.
pub fn ip_key(ip: Option<IpAddr>) -> String {
    match ip.map(|ip| ip.to_canonical()) {
        None => "local".to_string(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let network = u128::from(v6) & !((1u128 << 64) - 1);
            format!("{}/64", std::net::Ipv6Addr::from(network))
        }
    }
}

/// Guesses of a staff password — at login and at `/auth/password` — limited so that guessing
/// cannot go on, without letting a stranger lock a clerk out:
///
/// - per client address, over all accounts (`login_attempts_per_minute_per_ip`) → 429;
/// - per account *and* address (`login_attempts_per_minute`) → 429: someone guessing a clerk's
///   password from their own machine runs out, while the clerk at the counter, from another
///   address, still signs in with the right password;
/// - per account over all addresses, failures only: when an account collects more than
///   [`HOT_FAILURES_FACTOR`] × the per-account budget of failures within a minute (guessing from
///   many addresses), every attempt on it waits [`SLOW_DOWN`] before the password is checked —
///   slower, never refused.
pub struct LoginLimiter {
    per_ip: Limiter,
    per_account_ip: Limiter,
    failures: FailureWindow,
    hot_failures: usize,
    /// A hot account's attempts take turns: each waits [`SLOW_DOWN`] holding the account's turn
    /// until its password is checked, so guesses from many addresses at once cannot run in
    /// parallel (they did: 200 guesses in 12 s from 20 addresses). An attempt that finds the
    /// turn taken is refused at once rather than queued: queued, the owner's own login waited
    /// behind the attack's guesses until it timed out. The owner signing in from a browser
    /// that signed in to the account before does not take a turn at all.
    turns: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Attempts per account whose password is being checked. They count as failures until
    /// they turn out otherwise: 250 guesses sent at once from as many addresses were all
    /// checked, since none had failed yet when each was counted.
    in_flight: Arc<Mutex<HashMap<String, usize>>>,
}

/// The turn of one attempt on a hot account: held until its password has been checked.
pub type LoginTurn = tokio::sync::OwnedMutexGuard<()>;

/// One admitted attempt, held until its password has been checked: its place among the
/// account's attempts in flight, and its turn when the account is hot.
pub struct LoginAttempt {
    turn: Option<LoginTurn>,
    _in_flight: InFlight,
}

impl LoginAttempt {
    /// Whether the attempt holds its hot account's turn.
    pub fn holds_turn(&self) -> bool {
        self.turn.is_some()
    }
}

/// An attempt counted in [`LoginLimiter::in_flight`] until dropped.
struct InFlight {
    counts: Arc<Mutex<HashMap<String, usize>>>,
    account: String,
}

impl InFlight {
    /// Counts one more attempt on `account`; returns it and how many were in flight before.
    fn start(counts: &Arc<Mutex<HashMap<String, usize>>>, account: String) -> (Self, usize) {
        let ahead = {
            let mut map = counts.lock().unwrap_or_else(|e| e.into_inner());
            let n = map.entry(account.clone()).or_default();
            *n += 1;
            *n - 1
        };
        let counts = Arc::clone(counts);
        (Self { counts, account }, ahead)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut map = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.account) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.account);
            }
        }
    }
}

/// How many budgets' worth of failures within a minute make an account "hot".
pub const HOT_FAILURES_FACTOR: usize = 3;
/// The wait of every attempt on a hot account.
pub const SLOW_DOWN: Duration = Duration::from_secs(1);

impl LoginLimiter {
    pub fn new(per_account_per_minute: u32, per_ip_per_minute: u32) -> Arc<Self> {
        const CODE: &str = "too_many_login_attempts";
        const MESSAGE: &str = "登录尝试过于频繁";
        Arc::new(Self {
            per_ip: Limiter::per_minute(per_ip_per_minute, CODE, MESSAGE),
            per_account_ip: Limiter::per_minute(per_account_per_minute, CODE, MESSAGE),
            failures: FailureWindow::new(Duration::from_secs(60)),
            hot_failures: HOT_FAILURES_FACTOR * per_account_per_minute.max(1) as usize,
            turns: Mutex::new(HashMap::new()),
            in_flight: Arc::new(Mutex::new(HashMap::new())),
        })
    }

    /// Counts one attempt like [`check`](Self::check). On a hot account an attempt from a
    /// browser that has signed in to it before (`known_device`) goes ahead; any other takes the
    /// account's turn, waits [`SLOW_DOWN`] and returns the turn to hold until the password is
    /// checked, or is refused when another attempt holds the turn.
    pub async fn admit(
        &self,
        account: &str,
        ip: Option<IpAddr>,
        known_device: bool,
    ) -> Result<LoginAttempt, AppError> {
        let (flight, ahead) = InFlight::start(&self.in_flight, normalize(account));
        let wait = self.check_behind(account, ip, ahead)?;
        if wait.is_zero() || known_device {
            return Ok(LoginAttempt {
                turn: None,
                _in_flight: flight,
            });
        }
        let turn = {
            let mut turns = self.turns.lock().unwrap_or_else(|e| e.into_inner());
            turns.entry(normalize(account)).or_default().clone()
        };
        let Ok(turn) = turn.try_lock_owned() else {
            return Err(AppError::too_many_requests(
                "too_many_login_attempts",
                "该账号近期登录失败过多，正在限速，请稍后再试；在本机登录过该账号的浏览器不受影响",
                SLOW_DOWN.as_secs(),
            ));
        };
        tokio::time::sleep(wait).await;
        Ok(LoginAttempt {
            turn: Some(turn),
            _in_flight: flight,
        })
    }

    /// Counts one attempt on `account` from `ip`; refuses it when a budget is spent, else says
    /// how long to wait before checking the password (zero unless the account is hot).
    pub fn check(&self, account: &str, ip: Option<IpAddr>) -> Result<Duration, AppError> {
        self.check_behind(account, ip, 0)
    }

    /// [`check`](Self::check) for an attempt with `ahead` others on the account still being
    /// checked, each counted as a failure.
    fn check_behind(
        &self,
        account: &str,
        ip: Option<IpAddr>,
        ahead: usize,
    ) -> Result<Duration, AppError> {
        if ip.is_some() {
            // An IPv6 client by its /64, like every other budget: one machine has many addresses.
            self.per_ip.check(&ip_key(ip))?;
        }
        let account = normalize(account);
        self.per_account_ip
            .check(&format!("{account}|{}", ip_key(ip)))?;
        Ok(
            if self.failures.count(&account) + ahead > self.hot_failures {
                SLOW_DOWN
            } else {
                Duration::ZERO
            },
        )
    }

    /// Records a wrong password for `account`.
    pub fn failed(&self, account: &str) {
        self.failures.record(&normalize(account));
    }

    pub fn retain_recent(&self) {
        self.per_ip.retain_recent();
        self.per_account_ip.retain_recent();
        self.failures.retain_recent();
        // A turn nobody holds or waits for is only memory.
        let mut turns = self.turns.lock().unwrap_or_else(|e| e.into_inner());
        turns.retain(|_, turn| Arc::strong_count(turn) > 1);
    }
}

/// A staff number as every per-account budget and mark keys it.
pub fn normalize(account: &str) -> String {
    account.trim().to_lowercase()
}

/// Events per key within a sliding window.
struct FailureWindow {
    window: Duration,
    events: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl FailureWindow {
    fn new(window: Duration) -> Self {
        Self {
            window,
            events: Mutex::new(HashMap::new()),
        }
    }

    fn record(&self, key: &str) {
        let now = Instant::now();
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        let queue = events.entry(key.to_string()).or_default();
        Self::prune(queue, now, self.window);
        queue.push_back(now);
    }

    fn count(&self, key: &str) -> usize {
        let now = Instant::now();
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        events.get_mut(key).map_or(0, |queue| {
            Self::prune(queue, now, self.window);
            queue.len()
        })
    }

    /// Seconds until the oldest event of `key` leaves the window (at least one).
    fn seconds_until_one_expires(&self, key: &str) -> u64 {
        let now = Instant::now();
        let events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        let oldest = events.get(key).and_then(|queue| queue.front().copied());
        let left = oldest.map_or(Duration::ZERO, |t| {
            self.window.saturating_sub(now.duration_since(t))
        });
        left.as_secs().max(1)
    }

    fn retain_recent(&self) {
        let now = Instant::now();
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        events.retain(|_, queue| {
            Self::prune(queue, now, self.window);
            !queue.is_empty()
        });
    }

    fn prune(queue: &mut VecDeque<Instant>, now: Instant, window: Duration) {
        while queue
            .front()
            .is_some_and(|t| now.duration_since(*t) > window)
        {
            queue.pop_front();
        }
    }
}

/// Citizens' lookups by code (case status, bookings): per client address
/// (`public_lookups_per_minute`), and — case numbers being sequential — wrong phones per case
/// number over every address (`public_lookups_per_case_per_hour`), so that guessing one case's
/// phone from many addresses cannot go on either. Only wrong lookups count there, and the
/// receipt's 查询码 (about 40 bits) is never refused for them: an applicant looking up their
/// own case spends nothing, and guesses at their phone cannot lock them out.
///
/// Anonymous reads of the booking calendar (slots, days) have their own, larger budget per
/// address (`public_reads_per_minute`): each may materialise a day's slots.
pub struct PublicLimiter {
    per_ip: Limiter,
    /// Wrong lookups of a case number, over every address, in the last hour.
    case_failures: FailureWindow,
    case_failures_per_hour: usize,
    reads: Limiter,
    /// Wrong phones given for a booking code, over every address, in the last day.
    booking_failures: FailureWindow,
}

/// Wrong phones a booking code takes in a day, over every address, before any lookup of it —
/// the right phone too — waits. Staff see a booking's phone masked (7 of 11 digits): without a
/// budget per code, 10,000 guesses spread over a few addresses found the number in seconds,
/// and with it the power to cancel the booking. Ten a day leave a citizen room to mistype; a
/// guesser gets about 1 % of the numbers through a booking's two weeks.
pub const BOOKING_FAILURES_PER_DAY: usize = 10;

/// A case number as the limiter keys it: trimmed, upper case.
fn case_key(number: &str) -> String {
    number.trim().to_uppercase()
}

impl PublicLimiter {
    pub fn new(per_minute: u32, per_case_per_hour: u32, reads_per_minute: u32) -> Arc<Self> {
        Arc::new(Self {
            per_ip: Limiter::per_minute(per_minute, "too_many_lookups", "查询过于频繁"),
            reads: Limiter::per_minute(reads_per_minute, "too_many_reads", "访问过于频繁"),
            case_failures: FailureWindow::new(Duration::from_secs(60 * 60)),
            case_failures_per_hour: per_case_per_hour as usize,
            booking_failures: FailureWindow::new(Duration::from_secs(24 * 60 * 60)),
        })
    }

    /// Refuses a lookup of booking `code` while the code has had its day's wrong phones.
    pub fn check_booking(&self, code: &str) -> Result<(), AppError> {
        if self.booking_failures.count(code) < BOOKING_FAILURES_PER_DAY {
            return Ok(());
        }
        let day = 24 * 60 * 60;
        Err(AppError::too_many_requests(
            "too_many_booking_lookups",
            "该预约码今日手机号核对失败次数过多，请明天再试，或到大厅由工作人员查询",
            day,
        ))
    }

    /// Counts a wrong phone given for booking `code`.
    pub fn booking_failed(&self, code: &str) {
        self.booking_failures.record(code);
    }

    pub fn check(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        self.per_ip.check(&ip_key(ip))
    }

    /// Counts one anonymous read of the booking calendar from `ip`.
    pub fn check_read(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        self.reads.check(&ip_key(ip))
    }

    /// Refuses a lookup of case `number` by phone while the number has had its hour's wrong
    /// lookups.
    pub fn check_case_phone(&self, number: &str) -> Result<(), AppError> {
        let key = case_key(number);
        if self.case_failures.count(&key) < self.case_failures_per_hour {
            return Ok(());
        }
        let wait = self.case_failures.seconds_until_one_expires(&key);
        Err(AppError::too_many_requests(
            "too_many_case_lookups",
            format!(
                "该办件的手机号核对失败次数过多：请用收件凭证上的查询码查询，或 {wait} 秒后再试"
            ),
            wait,
        ))
    }

    /// Counts a wrong lookup of case `number` (a wrong phone or 查询码).
    pub fn case_lookup_failed(&self, number: &str) {
        self.case_failures.record(&case_key(number));
    }

    pub fn retain_recent(&self) {
        self.per_ip.retain_recent();
        self.case_failures.retain_recent();
        self.reads.retain_recent();
        self.booking_failures.retain_recent();
    }
}

/// Citizens' writes without an account — kiosk tickets, bookings, cancelling and moving them —
/// per client address and per hour (`public_writes_per_hour`): one address cannot fill a day's
/// queue or every seat of a slot. The hall's registered kiosks are not counted.
pub struct PublicWriteLimiter {
    writes: Limiter,
    /// Queue tickets taken on a phone (not at a registered kiosk), a tenth of the writes and at
    /// least [`MIN_PHONE_TICKETS_PER_HOUR`]: a person needs one or two; a tester took 29 from
    /// one address in a minute, each of which the unit was then charged with at close.
    phone_tickets: Limiter,
}

/// Queue tickets one address takes per hour on a phone, at the least.
pub const MIN_PHONE_TICKETS_PER_HOUR: u32 = 3;

impl PublicWriteLimiter {
    pub fn new(per_hour: u32) -> Arc<Self> {
        Arc::new(Self {
            writes: Limiter::per_hour(per_hour, "too_many_requests", "本机提交过于频繁"),
            phone_tickets: Limiter::per_hour(
                (per_hour / 10).max(MIN_PHONE_TICKETS_PER_HOUR),
                "too_many_tickets",
                "本机取号过于频繁：每部手机一小时内只能取少量号，请到大厅取号机取号",
            ),
        })
    }

    pub fn check(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        self.writes.check(&ip_key(ip))
    }

    /// One more ticket taken on a phone from `ip`.
    pub fn check_phone_ticket(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        self.phone_tickets.check(&ip_key(ip))
    }

    pub fn retain_recent(&self) {
        self.writes.retain_recent();
        self.phone_tickets.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 250 guesses sent at once from 250 addresses were all checked: none had failed yet when
    /// each was counted. Attempts still being checked count as failures.
    #[tokio::test]
    async fn a_burst_of_guesses_in_flight_makes_the_account_hot_before_any_has_failed() {
        let limiter = LoginLimiter::new(10, 1000);
        let mut held = Vec::new();
        let mut refused = 0;
        for i in 0..250u32 {
            let ip = IpAddr::from([10, 1, (i / 250) as u8, (i % 250) as u8]);
            match limiter.admit("chief02", Some(ip), false).await {
                Ok(attempt) => held.push(attempt),
                Err(_) => refused += 1,
            }
        }
        // The hot threshold's worth go ahead, then one holds the turn; every other is refused.
        assert_eq!(
            held.len(),
            HOT_FAILURES_FACTOR * 10 + 2,
            "{refused} refused"
        );
        drop(held);
        assert!(limiter.in_flight.lock().unwrap().is_empty());
    }

    /// Guessing from many addresses at once: once the account is hot, one password check runs at
    /// a time and an attempt that finds it running is refused at once (queued, the owner's own
    /// login waited behind the guesses until it timed out); the owner's browser that signed in
    /// before goes ahead.
    #[tokio::test]
    async fn attempts_on_a_hot_account_run_one_at_a_time_and_the_owners_known_browser_goes_ahead() {
        let limiter = LoginLimiter::new(2, 1000);
        for _ in 0..=HOT_FAILURES_FACTOR * 2 {
            limiter.failed("clerk01");
        }
        let first = limiter
            .admit("clerk01", Some("10.0.0.1".parse().unwrap()), false)
            .await
            .unwrap();
        assert!(first.holds_turn(), "a hot account's attempt holds a turn");
        let second = limiter
            .admit("CLERK01 ", Some("10.0.0.2".parse().unwrap()), false)
            .await;
        assert_eq!(
            second.err().map(|e| e.code().to_owned()).as_deref(),
            Some("too_many_login_attempts"),
            "the second attempt is refused while the first holds the turn"
        );
        let owner = limiter
            .admit("clerk01", Some("10.0.0.3".parse().unwrap()), true)
            .await
            .unwrap();
        assert!(
            !owner.holds_turn(),
            "a known browser neither waits nor takes the turn"
        );
        drop(first);
        let third = limiter
            .admit("clerk01", Some("10.0.0.4".parse().unwrap()), false)
            .await
            .unwrap();
        assert!(
            third.holds_turn(),
            "the turn is free again once the first is done"
        );
        // A cool account is never held.
        let cool = limiter.admit("clerk02", None, false).await.unwrap();
        assert!(!cool.holds_turn());
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_network_and_an_ipv4_one_by_its_address() {
        let key = |s: &str| ip_key(Some(s.parse().unwrap()));
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:1:2:3"));
        assert_eq!(key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_ne!(key("10.0.0.1"), key("10.0.0.2"));
        assert_eq!(key("::ffff:10.0.0.1"), key("10.0.0.1"));
        assert_eq!(ip_key(None), "local");
    }

    #[test]
    fn the_eleventh_attempt_in_a_minute_from_one_address_is_refused() {
        let limiter = LoginLimiter::new(10, 100);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..10 {
            limiter.check("c001", Some(ip)).unwrap();
        }
        let err = limiter.check("c001", Some(ip)).unwrap_err();
        assert_eq!(err.code(), "too_many_login_attempts");
        // Another account is not affected.
        limiter.check("c002", Some(ip)).unwrap();
    }

    #[test]
    fn a_stranger_spending_an_accounts_budget_does_not_lock_its_owner_out() {
        let limiter = LoginLimiter::new(10, 100);
        let stranger: IpAddr = "10.0.0.66".parse().unwrap();
        let counter: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..10 {
            limiter.check("clerk01", Some(stranger)).unwrap();
            limiter.failed("clerk01");
        }
        assert!(limiter.check("clerk01", Some(stranger)).is_err());
        assert_eq!(
            limiter.check("CLERK01 ", Some(counter)).unwrap(),
            Duration::ZERO
        );
    }

    #[test]
    fn guessing_from_many_addresses_slows_every_attempt_on_the_account_down() {
        let limiter = LoginLimiter::new(2, 100);
        for n in 0..=(HOT_FAILURES_FACTOR * 2) {
            let ip: IpAddr = format!("10.0.1.{n}").parse().unwrap();
            assert_eq!(limiter.check("clerk01", Some(ip)).unwrap(), Duration::ZERO);
            limiter.failed("clerk01");
        }
        let counter: IpAddr = "10.0.0.1".parse().unwrap();
        assert_eq!(limiter.check("clerk01", Some(counter)).unwrap(), SLOW_DOWN);
        // Slowed, not refused; other accounts are not slowed.
        assert_eq!(
            limiter.check("clerk02", Some(counter)).unwrap(),
            Duration::ZERO
        );
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
        let limiter = PublicLimiter::new(2, 100, 100);
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

    #[test]
    fn wrong_lookups_of_one_case_are_limited_whatever_the_address() {
        let limiter = PublicLimiter::new(100, 2, 100);
        limiter.check_case_phone("2026-0001").unwrap();
        limiter.case_lookup_failed("2026-0001");
        limiter.check_case_phone(" 2026-0001 ").unwrap();
        limiter.case_lookup_failed(" 2026-0001 ");
        let refused = limiter.check_case_phone("2026-0001").unwrap_err();
        assert_eq!(refused.code(), "too_many_case_lookups");
        assert!(refused.to_string().contains("查询码"), "{refused}");
        limiter.check_case_phone("2026-0002").unwrap();
    }

    #[test]
    fn anonymous_calendar_reads_have_their_own_budget() {
        let limiter = PublicLimiter::new(1, 100, 2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        limiter.check(Some(a)).unwrap();
        limiter.check_read(Some(a)).unwrap();
        limiter.check_read(Some(a)).unwrap();
        assert_eq!(
            limiter.check_read(Some(a)).unwrap_err().code(),
            "too_many_reads"
        );
    }
}
