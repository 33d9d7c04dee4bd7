//! Seats for the live event streams. A stream holds its connection open for hours, so without a
//! bound one client opening thousands of them used up the server's file handles and every user
//! lost the service. Each client address (as the rate limits see it) holds at most
//! `event_streams_per_address` streams, and the server at most `event_streams` in all; a stream
//! gives its seat back when it ends.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
};

use crate::{auth::rate_limit::ip_key, error::AppError};

/// How long a client refused a seat waits before trying again (the page's reconnection backs off
/// on its own; this is the `Retry-After` it is told).
const RETRY_AFTER_SECONDS: u64 = 30;

pub struct StreamSeats {
    per_address: usize,
    total: usize,
    taken: Mutex<Taken>,
}

#[derive(Default)]
struct Taken {
    by_address: HashMap<String, usize>,
    all: usize,
}

/// One stream's seat; dropping it (the stream ended) frees it.
pub struct Seat {
    seats: Arc<StreamSeats>,
    key: String,
}

impl StreamSeats {
    pub fn new(per_address: u32, total: u32) -> Arc<Self> {
        Arc::new(Self {
            per_address: per_address.max(1) as usize,
            total: total.max(1) as usize,
            taken: Mutex::new(Taken::default()),
        })
    }

    /// A seat for a stream from `ip`, or 429 when its address or the server is full.
    pub fn take(self: &Arc<Self>, ip: Option<IpAddr>) -> Result<Seat, AppError> {
        let key = ip_key(ip);
        let mut taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        let mine = taken.by_address.get(&key).copied().unwrap_or(0);
        if mine >= self.per_address || taken.all >= self.total {
            return Err(AppError::too_many_requests(
                "too_many_streams",
                format!("实时连接过多，请 {RETRY_AFTER_SECONDS} 秒后再试"),
                RETRY_AFTER_SECONDS,
            ));
        }
        *taken.by_address.entry(key.clone()).or_default() += 1;
        taken.all += 1;
        Ok(Seat {
            seats: self.clone(),
            key,
        })
    }

    #[cfg(test)]
    fn held(&self) -> usize {
        self.taken.lock().unwrap_or_else(|e| e.into_inner()).all
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut taken = self.seats.taken.lock().unwrap_or_else(|e| e.into_inner());
        taken.all = taken.all.saturating_sub(1);
        if let Some(n) = taken.by_address.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                taken.by_address.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn an_address_holds_no_more_streams_than_its_seats_and_gets_one_back_when_a_stream_ends() {
        let seats = StreamSeats::new(2, 10);
        let a = seats.take(ip("10.0.0.1")).unwrap();
        let _b = seats.take(ip("10.0.0.1")).unwrap();
        let refused = seats.take(ip("10.0.0.1")).err().unwrap();
        assert_eq!(refused.code(), "too_many_streams");
        assert!(
            seats.take(ip("10.0.0.2")).is_ok(),
            "another address is not affected"
        );
        drop(a);
        assert!(seats.take(ip("10.0.0.1")).is_ok());
    }

    #[test]
    fn the_server_holds_no_more_streams_than_its_seats_in_all() {
        let seats = StreamSeats::new(5, 3);
        let held: Vec<Seat> = ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
            .iter()
            .map(|a| seats.take(ip(a)).unwrap())
            .collect();
        assert!(seats.take(ip("10.0.0.4")).is_err());
        assert_eq!(seats.held(), 3);
        drop(held);
        assert_eq!(seats.held(), 0);
    }
}
