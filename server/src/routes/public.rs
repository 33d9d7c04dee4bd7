//! Public, no-login reads for citizens: centers and their hours today.

use app::api::org::{BookingQr, OpeningSession, PublicCenter, PublicCenters};
use axum::{Json, Router, extract::State, http::HeaderMap, routing::get};
use serde::Deserialize;

use crate::{
    edge::Site,
    error::{AppError, AppResult, ErrorBody},
    extract::ApiQuery,
    services::{Ctx, org},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/public/centers", get(centers))
        .route("/public/booking-qr", get(booking_qr))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BookingQrQuery {
    pub center: i64,
}

/// The booking page of a center as a QR code (anyone): the kiosk and the call display show it
/// while the hall is closed, for an after-hours appointment.
#[utoipa::path(get, path = "/api/v1/public/booking-qr", tag = "public", params(BookingQrQuery),
    responses((status = 200, body = BookingQr), (status = 404, body = ErrorBody)))]
pub async fn booking_qr(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<BookingQrQuery>,
) -> AppResult<Json<BookingQr>> {
    // Only a center that takes bookings gets a code: a kiosk never shows one to a dead page.
    org::bookable_center(ctx.conn(), q.center).await?;
    let origin = Site::of(&state.settings).origin(&headers);
    let url = format!("{origin}/booking?center={}", q.center);
    let svg = crate::qr::svg(&url)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no QR code for {url}")))?;
    Ok(Json(BookingQr { url, svg }))
}

/// Active centers with address, phone and today's opening hours (anyone).
#[utoipa::path(
    get,
    path = "/api/v1/public/centers",
    tag = "public",
    responses((status = 200, body = PublicCenters))
)]
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
