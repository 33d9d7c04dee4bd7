//! `GET /api/v1/time` (anyone): the server's clock and the halls' UTC offset.

use app::api::time::ServerTime;
use axum::{Json, Router, extract::State, routing::get};
use chrono::Offset;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/time", get(time))
}

/// Now, as the server (the authority on deadlines) sees it.
#[utoipa::path(
    get,
    path = "/api/v1/time",
    tag = "system",
    responses((status = 200, body = ServerTime))
)]
pub async fn time(State(s): State<AppState>) -> Json<ServerTime> {
    let now = s.clock.now();
    let local = now.with_timezone(&s.tz);
    Json(ServerTime {
        now,
        utc_offset_seconds: local.offset().fix().local_minus_utc(),
        today: local.date_naive(),
    })
}
