//! `GET /api/v1/events`: the live events as server-sent events. Anonymous subscribers (the hall's
//! display and kiosk) get the public topics only; signed-in staff get what they ask for, of the
//! centers they may read (a clerk hears nothing of another hall's cases and queue).

use std::{convert::Infallible, time::Duration};

use axum::{
    Router,
    extract::State,
    response::sse::{Event as SseEvent, KeepAlive, Sse},
    routing::get,
};
use futures::Stream;
use serde::Deserialize;
use tokio::sync::broadcast;

use crate::{
    auth::{
        MaybeCaller, Principal,
        caller::{Opened, still_signed_in},
    },
    error::{AppError, AppResult, ErrorBody},
    events::{Event, Signal, Topic},
    extract::ApiQuery,
    routes::auth::ClientIp,
    state::AppState,
};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Topics {
    /// Comma-separated topics (`cases,inquiries`); all the caller may follow when absent.
    pub topics: Option<String>,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/events", get(stream))
}

/// The topics asked for, or 400 for one that does not exist.
fn parse(topics: Option<&str>) -> AppResult<Vec<Topic>> {
    let Some(list) = topics else {
        return Ok(Topic::ALL.to_vec());
    };
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|code| {
            Topic::from_code(code).ok_or_else(|| {
                AppError::bad_request("unknown_topic", format!("没有这个主题：{code}"))
                    .with_field("topics")
            })
        })
        .collect()
}

/// Server-sent events of the given topics. Events carry ids, never personal data.
#[utoipa::path(get, path = "/api/v1/events", tag = "system", params(Topics),
    responses((status = 200, description = "text/event-stream of JSON events"),
        (status = 429, body = ErrorBody)))]
pub async fn stream(
    State(s): State<AppState>,
    caller: MaybeCaller,
    Opened(opened): Opened,
    ClientIp(ip): ClientIp,
    ApiQuery(q): ApiQuery<Topics>,
) -> AppResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let mut reader = caller.0;
    let wanted: Vec<Topic> = parse(q.topics.as_deref())?
        .into_iter()
        .filter(|t| reader.is_some() || t.is_public())
        .collect();
    // Staff hear the centers they may read; the public topics (the display boards) are public.
    let audible = |reader: &Option<Principal>, event: &Event| match (reader, event.center_id) {
        (Some(staff), Some(center)) => {
            staff.ensure_sees(center).is_ok() && hears_unit(staff, event)
        }
        _ => true,
    };
    // A staff stream lasts only as long as its session: it ends at logout, deactivation or a
    // password change (checked at every event and every keep-alive), and hears with the
    // staff member's current roles and units.
    let opened = opened.filter(|_| reader.is_some());
    // Held by the stream, so the seat is free again when the stream ends.
    let seat = s.stream_seats.take(ip)?;
    let mut rx = s.events.subscribe();
    let mut tick = tokio::time::interval(KEEP_ALIVE);
    let stream = async_stream::stream! {
        let _seat = seat;
        loop {
            let signal = tokio::select! {
                signal = rx.recv() => Some(signal),
                _ = tick.tick() => None,
            };
            if let Some(opened) = &opened {
                match still_signed_in(&s, opened).await {
                    Some(now) => reader = Some(now),
                    None => break,
                }
            }
            match signal {
                Some(Ok(Signal::Event(event)))
                    if wanted.contains(&event.topic) && audible(&reader, &event) =>
                {
                    let data = serde_json::to_string(&event).unwrap_or_default();
                    yield Ok(SseEvent::default().event(event.topic.code()).data(data));
                }
                None | Some(Ok(Signal::Event(_))) => {}
                // Missed events (a slow client, or the instance lost its listener): the page
                // re-reads everything.
                Some(Ok(Signal::Resync) | Err(broadcast::error::RecvError::Lagged(_))) => {
                    yield Ok(SseEvent::default().event("resync").data("{}"));
                }
                Some(Err(broadcast::error::RecvError::Closed)) => break,
            }
        }
    };
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

/// How often an idle stream sends a keep-alive and checks its session.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// A case or an inquiry is its unit's business: a unit's staff hear their own unit's only (a
/// chief heard the case numbers of every unit of the hall, a clerk every unit's inquiries);
/// supervisors hear every unit's.
fn hears_unit(staff: &Principal, event: &Event) -> bool {
    !matches!(event.topic, Topic::Cases | Topic::Inquiries)
        || staff.has(app::api::Role::Supervisor)
        || event.unit_id.is_none()
        || event.unit_id == staff.unit_id
}
