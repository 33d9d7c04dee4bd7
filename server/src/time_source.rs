//! The time source is an argument everywhere: handlers ask the state's clock, never `Utc::now()`
//! directly, so that scenario tests can set the time (noon, close of business, a due moment)
//! instead of waiting for it.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The real time.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Real time shifted to start at a chosen instant and running on from there: a demo or training
/// session (and the browser tests) can be held "on a working-day morning" at any hour. Only
/// accepted together with `--demo` (see `main`).
pub struct ShiftedClock(Duration);

impl ShiftedClock {
    pub fn starting_at(instant: DateTime<Utc>) -> Self {
        Self(instant - Utc::now())
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.0
    }
}

/// A clock the test moves by hand. Shared: the test keeps one handle, the server another.
#[derive(Clone)]
pub struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn at(instant: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(instant)))
    }

    pub fn set(&self, instant: DateTime<Utc>) {
        *self.0.lock().expect("test clock poisoned") = instant;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().expect("test clock poisoned");
        *now += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("test clock poisoned")
    }
}
