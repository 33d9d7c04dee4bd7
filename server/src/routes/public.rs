//! Public, no-login reads for citizens: centers and their hours today.

use app::api::org::{OpeningSession, PublicCenter, PublicCenters};
use axum::{Json, Router, routing::get};

use crate::{
    error::AppResult,
    services::{Ctx, org},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/public/centers", get(centers))
}

/// Active centers with address, phone and today's opening hours (anyone).
#[utoipa::path(get, path = "/api/v1/public/centers", tag = "public", responses((status = 200, body = PublicCenters)))]
pub async fn centers(ctx: Ctx) -> AppResult<Json<PublicCenters>> {
    let today = ctx.today();
    let cal = ctx.calendar.clone();
    let centers = org::list_centers(ctx.conn(), true)
        .await?
        .into_iter()
        .map(|c| {
            let today_hours = c
                .business_hours
                .sessions_on(today, &*cal)
                .unwrap_or_default()
                .iter()
                .map(|session| OpeningSession {
                    start: session.start.format("%H:%M").to_string(),
                    end: session.end.format("%H:%M").to_string(),
                })
                .collect();
            PublicCenter {
                id: c.id,
                name: c.name,
                kind: c.kind,
                address: c.address,
                phone: c.phone,
                today: today.to_string(),
                today_hours,
            }
        })
        .collect();
    Ok(Json(PublicCenters { centers }))
}
