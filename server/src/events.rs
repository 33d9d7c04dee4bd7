//! Live events: a change made on one tablet reaches every open workbench and display within a
//! second, over server-sent events.
//!
//! On SQLite (one instance) events go through an in-process broadcast channel. On PostgreSQL
//! (several instances behind a load balancer) every instance publishes with `NOTIFY` and relays
//! what it hears on `LISTEN` to its own subscribers — including its own events, so each event is
//! delivered once per instance whichever instance made it.
//!
//! Events carry no personal data: a topic, what changed, and ids. Clients re-read through the
//! API, which checks who may see what.

use std::{convert::Infallible, time::Duration};

use axum::{
    Router,
    extract::State,
    response::sse::{Event as SseEvent, KeepAlive, Sse},
    routing::get,
};
use futures::Stream;
use sea_orm::{DatabaseBackend, sqlx};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::{error::AppResult, extract::ApiQuery, state::AppState, store::Db};

const CHANNEL: &str = "chuangkou_events";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// `cases`, `inquiries`, `queue`, `appointments` …
    pub topic: String,
    /// What happened, e.g. `case.accepted`.
    pub kind: String,
    pub center_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub id: Option<i64>,
}

impl Event {
    pub fn new(topic: &str, kind: &str) -> Self {
        Self {
            topic: topic.into(),
            kind: kind.into(),
            center_id: None,
            unit_id: None,
            id: None,
        }
    }

    pub fn unit(mut self, unit_id: i64) -> Self {
        self.unit_id = Some(unit_id);
        self
    }

    pub fn center(mut self, center_id: i64) -> Self {
        self.center_id = Some(center_id);
        self
    }

    pub fn id(mut self, id: i64) -> Self {
        self.id = Some(id);
        self
    }
}

#[derive(Clone)]
pub struct Events {
    tx: broadcast::Sender<Event>,
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
            listener.listen(CHANNEL).await?;
            let relay = tx.clone();
            tokio::spawn(async move {
                loop {
                    match listener.recv().await {
                        Ok(note) => match serde_json::from_str::<Event>(note.payload()) {
                            Ok(event) => {
                                let _ = relay.send(event);
                            }
                            Err(err) => tracing::warn!(error = %err, "unreadable event"),
                        },
                        // PgListener reconnects by itself; wait a little before asking again.
                        Err(err) => {
                            tracing::warn!(error = %err, "event listener");
                            tokio::time::sleep(Duration::from_millis(500)).await;
                        }
                    }
                }
            });
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
                let _ = self.tx.send(event);
            }
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Topics {
    /// Comma-separated topics (`cases,inquiries`); all when absent.
    pub topics: Option<String>,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/events", get(stream))
}

/// Server-sent events of the given topics (anyone; events carry ids, never personal data).
#[utoipa::path(get, path = "/api/v1/events", tag = "system", params(Topics),
    responses((status = 200, description = "text/event-stream of JSON events")))]
pub async fn stream(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<Topics>,
) -> AppResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let wanted: Option<Vec<String>> = q.topics.map(|t| {
        t.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    });
    let mut rx = s.events.subscribe();
    let stream = async_stream::stream! {
        loop {
            match rx.recv().await {
                Ok(event) => {
                    if wanted.as_ref().is_none_or(|w| w.contains(&event.topic)) {
                        let data = serde_json::to_string(&event).unwrap_or_default();
                        yield Ok(SseEvent::default().event(event.topic.clone()).data(data));
                    }
                }
                // A slow client missed some: tell it to re-read everything.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    yield Ok(SseEvent::default().event("resync").data("{}"));
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    };
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
