//! Live events: a change made on one tablet reaches every open workbench and display within a
//! second (the SSE stream is `routes::events`).
//!
//! On SQLite (one instance) events go through an in-process broadcast channel. On PostgreSQL
//! (several instances behind a load balancer) every instance publishes with `NOTIFY` and relays
//! what it hears on `LISTEN` to its own subscribers — including its own events, so each event is
//! delivered once per instance whichever instance made it. When the listening connection drops,
//! events sent meanwhile are lost to this instance: its subscribers are told to re-read
//! everything (`Signal::Resync`).
//!
//! Events carry no personal data: a topic, what changed, and ids. Clients re-read through the
//! API, which checks who may see what.

use std::{sync::Arc, time::Duration};

pub use app::api::events::{LiveEvent as Event, Topic};
use sea_orm::{DatabaseBackend, sqlx};
use tokio::sync::broadcast;

use crate::store::{
    Db,
    cache::{self, Changes},
};

const CHANNEL: &str = "chuangkou_events";

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
    pg: Option<sqlx::PgPool>,
}

impl Events {
    /// Starts the hub (and, on PostgreSQL, the listener that relays other instances' events).
    pub async fn start(db: &Db) -> anyhow::Result<Events> {
        let (tx, _) = broadcast::channel(1024);
        let pg = match db.backend() {
            DatabaseBackend::Postgres => Some(db.conn.get_postgres_connection_pool().clone()),
            _ => None,
        };
        if let Some(pool) = &pg {
            let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
            listener.listen_all([CHANNEL, cache::CHANNEL]).await?;
            tokio::spawn(relay(listener, tx.clone(), db.changes.clone()));
        }
        Ok(Events { tx, pg })
    }

    /// Publishes after a committed change. Never fails the request that made the change.
    pub async fn publish(&self, event: Event) {
        match &self.pg {
            Some(pool) => {
                let payload = serde_json::to_string(&event).unwrap_or_default();
                if let Err(err) = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(payload)
                    .execute(pool)
                    .await
                {
                    tracing::warn!(error = %err, "could not publish an event");
                }
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
            Ok(Some(note)) => match serde_json::from_str::<Event>(note.payload()) {
                Ok(event) => {
                    let _ = tx.send(Signal::Event(event));
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
