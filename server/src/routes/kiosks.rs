//! Registered kiosks (Admin): register one (its device token is in the answer, once), list,
//! revoke. The kiosk itself is set up by posting the token to `/kiosk/register` from its own
//! browser (see `citizen_forms`), which keeps it in a cookie.

use app::api::{
    Items,
    kiosks::{KioskInput, KioskRegistered, KioskView},
};
use axum::{
    Json, Router,
    http::StatusCode,
    routing::{get, post},
};

use crate::{
    auth::{Caller, policy::Admins},
    error::{AppResult, ErrorBody},
    extract::{ApiJson, ApiPath},
    services::{Ctx, kiosks},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kiosks", get(list).post(register))
        .route("/kiosks/{id}/revoke", post(revoke))
}

/// Every registered kiosk (Admin).
#[utoipa::path(get, path = "/api/v1/kiosks", tag = "kiosks",
    responses((status = 200, body = Items<KioskView>)))]
pub async fn list(ctx: Ctx, _c: Caller<Admins>) -> AppResult<Json<Items<KioskView>>> {
    Ok(Json(Items::from(kiosks::list(&ctx).await?)))
}

/// Registers a kiosk of a center; the device token is shown in this answer only (Admin).
#[utoipa::path(post, path = "/api/v1/kiosks", tag = "kiosks", request_body = KioskInput,
    responses((status = 201, body = KioskRegistered), (status = 422, body = ErrorBody)))]
pub async fn register(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiJson(body): ApiJson<KioskInput>,
) -> AppResult<(StatusCode, Json<KioskRegistered>)> {
    let registered = kiosks::register(&ctx, &c, body).await?;
    Ok((StatusCode::CREATED, Json(registered)))
}

/// Revokes a kiosk's device token (Admin).
#[utoipa::path(post, path = "/api/v1/kiosks/{id}/revoke", tag = "kiosks",
    responses((status = 200, body = KioskView), (status = 409, body = ErrorBody)))]
pub async fn revoke(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<KioskView>> {
    kiosks::revoke(&ctx, &c, id).await.map(Json)
}
