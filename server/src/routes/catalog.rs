//! The service-item catalog. Reading is public (one source for every channel); administrators
//! create, edit and deactivate items.

use app::api::catalog::{Catalog, CatalogQuery, ServiceItem, ServiceItemInput};
use axum::{
    Json, Router,
    http::StatusCode,
    routing::{get, post},
};

use crate::{
    auth::{Caller, policy::Admins},
    error::{AppResult, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
    services::{Ctx, catalog},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/service-items", get(list).post(create))
        .route("/admin/service-items", get(list_all))
        .route("/service-items/{code}", get(item).put(update))
        .route("/service-items/{code}/activate", post(activate))
        .route("/service-items/{code}/deactivate", post(deactivate))
}

/// The active catalog, filtered by category, unit, center or words (anyone).
#[utoipa::path(get, path = "/api/v1/service-items", tag = "catalog", params(CatalogQuery),
    responses((status = 200, body = Catalog), (status = 400, body = ErrorBody)))]
pub async fn list(ctx: Ctx, ApiQuery(q): ApiQuery<CatalogQuery>) -> AppResult<Json<Catalog>> {
    Ok(Json(Catalog {
        items: catalog::list(ctx.conn(), &q, false).await?,
    }))
}

/// The whole catalog including deactivated items (Admin).
#[utoipa::path(get, path = "/api/v1/admin/service-items", tag = "catalog", params(CatalogQuery),
    responses((status = 200, body = Catalog), (status = 403, body = ErrorBody)))]
pub async fn list_all(
    ctx: Ctx,
    _c: Caller<Admins>,
    ApiQuery(q): ApiQuery<CatalogQuery>,
) -> AppResult<Json<Catalog>> {
    Ok(Json(Catalog {
        items: catalog::list(ctx.conn(), &q, true).await?,
    }))
}

/// One item: its guide, materials and limits (anyone).
#[utoipa::path(get, path = "/api/v1/service-items/{code}", tag = "catalog",
    responses((status = 200, body = ServiceItem), (status = 404, body = ErrorBody)))]
pub async fn item(ctx: Ctx, ApiPath(code): ApiPath<String>) -> AppResult<Json<ServiceItem>> {
    catalog::get(ctx.conn(), &code).await.map(Json)
}

/// Adds an item (Admin). Checked: promised ≤ statutory, stages within the total, materials.
#[utoipa::path(
    post,
    path = "/api/v1/service-items",
    tag = "catalog",
    request_body = ServiceItemInput,
    responses(
        (status = 201, body = ServiceItem),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn create(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiJson(body): ApiJson<ServiceItemInput>,
) -> AppResult<(StatusCode, Json<ServiceItem>)> {
    let item = catalog::save(&ctx, Some(c.id), None, body).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// Replaces an item (Admin). Cases already received keep the item as it was.
#[utoipa::path(
    put,
    path = "/api/v1/service-items/{code}",
    tag = "catalog",
    request_body = ServiceItemInput,
    responses(
        (status = 200, body = ServiceItem),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn update(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<ServiceItemInput>,
) -> AppResult<Json<ServiceItem>> {
    catalog::save(&ctx, Some(c.id), Some(code), body)
        .await
        .map(Json)
}

/// Takes an item back into service (Admin).
#[utoipa::path(post, path = "/api/v1/service-items/{code}/activate", tag = "catalog",
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn activate(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiPath(code): ApiPath<String>,
) -> AppResult<StatusCode> {
    catalog::set_active(&ctx, c.id, code, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stops offering an item (Admin); running cases are not affected.
#[utoipa::path(post, path = "/api/v1/service-items/{code}/deactivate", tag = "catalog",
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn deactivate(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiPath(code): ApiPath<String>,
) -> AppResult<StatusCode> {
    catalog::set_active(&ctx, c.id, code, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
