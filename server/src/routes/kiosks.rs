//! Registered kiosks (Admin): register one (its device token is in the answer, once), list,
//! revoke. The kiosk itself is set up by posting the token to `/kiosk/register` from its own
//! browser (see `citizen_forms`), which keeps it in a cookie.

use app::api::{
    Items,
    kiosks::{KioskInput, KioskRegistered, KioskView},
    org::PageQuery,
};
use axum::{
    Json, Router,
    extract::RawQuery,
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};

use super::paging;
use crate::{
    auth::{Caller, policy::Admins},
    error::{AppResult, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
    services::{Ctx, kiosks},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kiosks", get(list).post(register))
        .route("/kiosks/{id}/revoke", post(revoke))
}

/// The registered kiosks, the newest first, a page at a time (`limit`, `cursor`; the next page
/// in `next_cursor`, `Link` and `X-Next-Cursor`) (Admin).
#[utoipa::path(get, path = "/api/v1/kiosks", tag = "kiosks", params(PageQuery),
    responses((status = 200, body = Items<KioskView>), (status = 422, body = ErrorBody)))]
pub async fn list(
    ctx: Ctx,
    _c: Caller<Admins>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> AppResult<(HeaderMap, Json<Items<KioskView>>)> {
    let request = paging::by_id(q.limit, q.cursor.as_deref())?;
    let page = kiosks::list(&ctx, &request).await?;
    Ok(paging::items_by_id("/kiosks", raw, page))
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
