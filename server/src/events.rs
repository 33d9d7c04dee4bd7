//! Live events: a change made on one tablet reaches every open workbench and display within a
//! second (the SSE stream is `routes::events`).
//!
//! On SQLite (one instance) events go through an in-process broadcast channel. On PostgreSQL
//! (several instances behind a load balancer) every instance publishes with `NOTIFY` and relays
//! what it hears on `LISTEN` to its own subscribers — including its own events, so each event is
//! delivered once per instance whichever instance made it. One task per instance sends them
//! ([`notifier`]): the events queued while it sent the last ones go out in one `NOTIFY`, in
//! order, so a batch of receipts (see `store::group`) costs one round trip, not one each. When
//! the listening connection drops, events sent meanwhile are lost to this instance: its
//! subscribers are told to re-read everything (`Signal::Resync`).
//!
//! Events carry no personal data: a topic, what changed, and ids. Clients re-read through the
//! API, which checks who may see what.

use std::{sync::Arc, time::Duration};

pub use app::api::events::{LiveEvent as Event, Topic};
use sea_orm::{DatabaseBackend, sqlx};
use tokio::sync::{broadcast, mpsc};

use crate::store::{
    Db,
    cache::{self, Changes},
};

const CHANNEL: &str = "chuangkou_events";

/// At most this many events in one `NOTIFY`.
const EVENTS_PER_NOTIFY: usize = 64;

/// How long the notifier lets events gather after the first one (issue 16): under load every
/// write batch publishes, and a `NOTIFY` each cost the database a transaction and every
/// instance's listener a message; a page hears of a change within a second anyway.
const GATHER: Duration = Duration::from_millis(10);

/// A `NOTIFY` payload stays under this many bytes (PostgreSQL refuses 8,000 and more).
const PAYLOAD_BYTES: usize = 7_500;

/// Builds events: `event(Topic::Queue, "queue.changed").center(1).id(7)`.
pub fn event(topic: Topic, kind: &str) -> Event {
    Event {
        topic,
        kind: kind.into(),
        center_id: None,
        unit_id: None,
        id: None,
    }
}

/// Builder methods on [`Event`].
pub trait EventExt {
    fn unit(self, unit_id: i64) -> Self;
    fn center(self, center_id: i64) -> Self;
    fn id(self, id: i64) -> Self;
}

impl EventExt for Event {
    fn unit(mut self, unit_id: i64) -> Self {
        self.unit_id = Some(unit_id);
        self
    }

    fn center(mut self, center_id: i64) -> Self {
        self.center_id = Some(center_id);
        self
    }

    fn id(mut self, id: i64) -> Self {
        self.id = Some(id);
        self
    }
}

/// What a subscriber receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    Event(Event),
    /// Some events may have been missed: re-read everything.
    Resync,
}

#[derive(Clone)]
pub struct Events {
    tx: broadcast::Sender<Signal>,
    /// PostgreSQL: the events waiting for their `NOTIFY` ([`notifier`]).
    outbox: Option<mpsc::UnboundedSender<Event>>,
}

impl Events {
    /// Starts the hub (and, on PostgreSQL, the listener that relays other instances' events).
    pub async fn start(db: &Db) -> anyhow::Result<Events> {
        let (tx, _) = broadcast::channel(1024);
        let pg = match db.backend() {
            DatabaseBackend::Postgres => Some(db.conn.get_postgres_connection_pool().clone()),
            _ => None,
        };
        let mut outbox = None;
        if let Some(pool) = pg {
            let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await?;
            listener.listen_all([CHANNEL, cache::CHANNEL]).await?;
            tokio::spawn(relay(listener, tx.clone(), db.changes.clone()));
            let (queue, queued) = mpsc::unbounded_channel();
            tokio::spawn(notifier(pool, queued));
            outbox = Some(queue);
        }
        Ok(Events { tx, outbox })
    }

    /// Publishes after a committed change. Never fails the request that made the change, nor
    /// waits for other instances to hear of it.
    pub async fn publish(&self, event: Event) {
        match &self.outbox {
            Some(outbox) => {
                let _ = outbox.send(event);
            }
            None => {
                let _ = self.tx.send(Signal::Event(event));
            }
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Signal> {
        self.tx.subscribe()
    }
}

/// Relays what the PostgreSQL listener hears: live events to the subscribers, announcements of
/// changes to the caches (`store::cache`). `PgListener` reconnects by itself after an error;
/// whatever was notified while it was away is lost, so subscribers are told to resync and every
/// cache forgets everything.
async fn relay(
    mut listener: sqlx::postgres::PgListener,
    tx: broadcast::Sender<Signal>,
    changes: Arc<Changes>,
) {
    loop {
        match listener.try_recv().await {
            Ok(Some(note)) if note.channel() == cache::CHANNEL => changes.tell(note.payload()),
            Ok(Some(note)) => match read_payload(note.payload()) {
                Ok(events) => {
                    for event in events {
                        let _ = tx.send(Signal::Event(event));
                    }
                }
                Err(err) => tracing::warn!(error = %err, "unreadable event"),
            },
            Ok(None) => {
                tracing::warn!("event listener lost its connection; subscribers will resync");
                changes.tell(cache::EVERYTHING);
                let _ = tx.send(Signal::Resync);
            }
            Err(err) => {
                tracing::warn!(error = %err, "event listener");
                changes.tell(cache::EVERYTHING);
                let _ = tx.send(Signal::Resync);
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

/// Sends the events published on this instance with `NOTIFY`, in order: every event queued
/// within [`GATHER`] of the first, or while the last `NOTIFY` ran, goes out in the next one (up
/// to [`EVENTS_PER_NOTIFY`], as a JSON array under [`PAYLOAD_BYTES`]). An event that cannot be
/// sent is logged and dropped, as a lost `NOTIFY` always was: the other instances' pages catch
/// up at their next read.
async fn notifier(pool: sqlx::PgPool, mut queued: mpsc::UnboundedReceiver<Event>) {
    let mut events = Vec::with_capacity(EVENTS_PER_NOTIFY);
    while queued.recv_many(&mut events, EVENTS_PER_NOTIFY).await > 0 {
        if events.len() < EVENTS_PER_NOTIFY {
            tokio::time::sleep(GATHER).await;
            while events.len() < EVENTS_PER_NOTIFY
                && let Ok(event) = queued.try_recv()
            {
                events.push(event);
            }
        }
        for payload in payloads(&events) {
            let sent = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(payload)
                .execute(&pool)
                .await;
            if let Err(err) = sent {
                tracing::warn!(error = %err, "could not publish an event");
            }
        }
        events.clear();
    }
}

/// `events` as JSON arrays, in order, each under [`PAYLOAD_BYTES`] (an event is a few hundred
/// bytes at most: a topic, a kind and ids).
fn payloads(events: &[Event]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::from("[");
    for event in events {
        let Ok(json) = serde_json::to_string(event) else {
            continue;
        };
        if current.len() > 1 && current.len() + json.len() + 2 > PAYLOAD_BYTES {
            current.push(']');
            out.push(std::mem::replace(&mut current, String::from("[")));
        }
        if current.len() > 1 {
            current.push(',');
        }
        current.push_str(&json);
    }
    if current.len() > 1 {
        current.push(']');
        out.push(current);
    }
    out
}

/// The events of one `NOTIFY`: an array, or a single event (as instances before the arrays sent
/// them, during a rolling upgrade).
fn read_payload(payload: &str) -> serde_json::Result<Vec<Event>> {
    if payload.trim_start().starts_with('[') {
        serde_json::from_str(payload)
    } else {
        serde_json::from_str(payload).map(|event| vec![event])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(n: i64) -> Event {
        event(Topic::Queue, "queue.changed").center(1).id(n)
    }

    #[test]
    fn queued_events_go_out_in_order_in_payloads_under_the_limit() {
        let events: Vec<Event> = (0..400).map(numbered).collect();
        let sent = payloads(&events);
        assert!(sent.len() > 1, "400 events need more than one payload");
        let mut read = Vec::new();
        for payload in &sent {
            assert!(payload.len() < PAYLOAD_BYTES, "{} bytes", payload.len());
            read.extend(read_payload(payload).unwrap());
        }
        assert_eq!(read, events);
    }

    #[test]
    fn a_single_event_from_an_older_instance_is_still_read() {
        let one = serde_json::to_string(&numbered(7)).unwrap();
        assert_eq!(read_payload(&one).unwrap(), vec![numbered(7)]);
    }

    #[test]
    fn nothing_queued_sends_nothing() {
        assert!(payloads(&[]).is_empty());
    }
}
