//! The organisation's admin API: centers, units, windows, staff. Admins change it; every staff
//! member may read it (clerks need windows and units for referrals and queues). Nothing is deleted:
//! `POST …/{id}/deactivate` and `…/activate` instead.

use app::api::{
    Items,
    org::{
        CenterInput, CenterView, PageQuery, StaffInput, StaffView, UnitInput, UnitView,
        WindowInput, WindowView,
    },
};
use axum::{
    Json, Router,
    extract::RawQuery,
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};

use super::paging;

use crate::{
    auth::{
        Caller,
        policy::{Admins, OrgReaders},
    },
    error::{AppResult, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
    services::{Ctx, org, staff},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/centers", get(list_centers).post(create_center))
        .route("/centers/{id}", get(get_center).put(update_center))
        .route("/centers/{id}/activate", post(activate_center))
        .route("/centers/{id}/deactivate", post(deactivate_center))
        .route("/units", get(list_units).post(create_unit))
        .route("/units/{id}", get(get_unit).put(update_unit))
        .route("/units/{id}/activate", post(activate_unit))
        .route("/units/{id}/deactivate", post(deactivate_unit))
        .route("/windows", get(list_windows).post(create_window))
        .route("/windows/{id}", get(get_window).put(update_window))
        .route("/windows/{id}/activate", post(activate_window))
        .route("/windows/{id}/deactivate", post(deactivate_window))
        .route("/staff", get(list_staff).post(create_staff))
        .route("/staff/{id}", get(get_staff).put(update_staff))
        .route("/staff/{id}/activate", post(activate_staff))
        .route("/staff/{id}/deactivate", post(deactivate_staff))
}

/// Lists all centers in the order they were set up, a page at a time (`limit`, `cursor`; the
/// next page in `next_cursor`, `Link` and `X-Next-Cursor`) (any staff).
#[utoipa::path(get, path = "/api/v1/centers", tag = "organisation", params(PageQuery),
    responses((status = 200, body = Items<CenterView>), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn list_centers(
    ctx: Ctx,
    _c: Caller<OrgReaders>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> AppResult<(HeaderMap, Json<Items<CenterView>>)> {
    let request = paging::by_id(q.limit, q.cursor.as_deref())?;
    let page = org::page_centers(ctx.conn(), &request).await?;
    Ok(paging::items_by_id("/centers", raw, page))
}

/// One center (any staff).
#[utoipa::path(get, path = "/api/v1/centers/{id}", tag = "organisation",
    responses((status = 200, body = CenterView), (status = 404, body = ErrorBody)))]
pub async fn get_center(
    ctx: Ctx,
    _c: Caller<OrgReaders>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<CenterView>> {
    org::get_center(ctx.conn(), id).await.map(Json)
}

/// Creates a center (Admin).
#[utoipa::path(
    post,
    path = "/api/v1/centers",
    tag = "organisation",
    request_body = CenterInput,
    responses(
        (status = 201, body = CenterView),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn create_center(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiJson(body): ApiJson<CenterInput>,
) -> AppResult<(StatusCode, Json<CenterView>)> {
    let view = org::create_center(&ctx, Some(c.id), body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Replaces a center's details (Admin).
#[utoipa::path(
    put,
    path = "/api/v1/centers/{id}",
    tag = "organisation",
    request_body = CenterInput,
    responses(
        (status = 200, body = CenterView),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn update_center(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CenterInput>,
) -> AppResult<Json<CenterView>> {
    org::update_center(&ctx, c.id, id, body).await.map(Json)
}

/// Lists all units in the order they were set up, a page at a time (`limit`, `cursor`; the
/// next page in `next_cursor`, `Link` and `X-Next-Cursor`) (any staff).
#[utoipa::path(get, path = "/api/v1/units", tag = "organisation", params(PageQuery),
    responses((status = 200, body = Items<UnitView>), (status = 422, body = ErrorBody)))]
pub async fn list_units(
    ctx: Ctx,
    _c: Caller<OrgReaders>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> AppResult<(HeaderMap, Json<Items<UnitView>>)> {
    let request = paging::by_id(q.limit, q.cursor.as_deref())?;
    let page = org::list_units(ctx.conn(), &request).await?;
    Ok(paging::items_by_id("/units", raw, page))
}

/// One unit (any staff).
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "organisation",
    responses((status = 200, body = UnitView), (status = 404, body = ErrorBody)))]
pub async fn get_unit(
    ctx: Ctx,
    _c: Caller<OrgReaders>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<UnitView>> {
    org::get_unit(ctx.conn(), id).await.map(Json)
}

/// Creates a unit in a center (Admin).
#[utoipa::path(post, path = "/api/v1/units", tag = "organisation", request_body = UnitInput,
    responses((status = 201, body = UnitView), (status = 422, body = ErrorBody)))]
pub async fn create_unit(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiJson(body): ApiJson<UnitInput>,
) -> AppResult<(StatusCode, Json<UnitView>)> {
    let view = org::create_unit(&ctx, Some(c.id), body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Replaces a unit's details, including its chief representative (Admin).
#[utoipa::path(
    put,
    path = "/api/v1/units/{id}",
    tag = "organisation",
    request_body = UnitInput,
    responses(
        (status = 200, body = UnitView),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn update_unit(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UnitInput>,
) -> AppResult<Json<UnitView>> {
    org::update_unit(&ctx, Some(c.id), id, body).await.map(Json)
}

/// Lists all windows in the order they were set up, a page at a time (`limit`, `cursor`; the
/// next page in `next_cursor`, `Link` and `X-Next-Cursor`) (any staff).
#[utoipa::path(get, path = "/api/v1/windows", tag = "organisation", params(PageQuery),
    responses((status = 200, body = Items<WindowView>), (status = 422, body = ErrorBody)))]
pub async fn list_windows(
    ctx: Ctx,
    _c: Caller<OrgReaders>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> AppResult<(HeaderMap, Json<Items<WindowView>>)> {
    let request = paging::by_id(q.limit, q.cursor.as_deref())?;
    let page = org::list_windows(ctx.conn(), &request).await?;
    Ok(paging::items_by_id("/windows", raw, page))
}

/// One window (any staff).
#[utoipa::path(get, path = "/api/v1/windows/{id}", tag = "organisation",
    responses((status = 200, body = WindowView), (status = 404, body = ErrorBody)))]
pub async fn get_window(
    ctx: Ctx,
    _c: Caller<OrgReaders>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<WindowView>> {
    org::get_window(ctx.conn(), id).await.map(Json)
}

/// Creates a window (Admin).
#[utoipa::path(post, path = "/api/v1/windows", tag = "organisation", request_body = WindowInput,
    responses((status = 201, body = WindowView), (status = 422, body = ErrorBody)))]
pub async fn create_window(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiJson(body): ApiJson<WindowInput>,
) -> AppResult<(StatusCode, Json<WindowView>)> {
    let view = org::create_window(&ctx, Some(c.id), body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Replaces a window's number, name and units (Admin).
#[utoipa::path(
    put,
    path = "/api/v1/windows/{id}",
    tag = "organisation",
    request_body = WindowInput,
    responses(
        (status = 200, body = WindowView),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn update_window(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<WindowInput>,
) -> AppResult<Json<WindowView>> {
    org::update_window(&ctx, c.id, id, body).await.map(Json)
}

/// Lists the staff in order of staff number, a page at a time (`limit`, `cursor`; the next page
/// in `Link` and `X-Next-Cursor`) (any staff; a unit's staff read their own center's only).
#[utoipa::path(get, path = "/api/v1/staff", tag = "organisation", params(PageQuery),
    responses((status = 200, body = Items<StaffView>), (status = 422, body = ErrorBody)))]
pub async fn list_staff(
    ctx: Ctx,
    c: Caller<OrgReaders>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> AppResult<(HeaderMap, Json<Items<StaffView>>)> {
    let request = paging::by_text(q.limit, q.cursor.as_deref())?;
    let page = staff::list(ctx.conn(), &request, c.reads_only()).await?;
    Ok(paging::items("/staff", raw, page, |key| {
        paging::text_cursor(&key)
    }))
}

/// One staff member (any staff; a unit's staff read their own center's only).
#[utoipa::path(get, path = "/api/v1/staff/{id}", tag = "organisation",
    responses((status = 200, body = StaffView), (status = 404, body = ErrorBody)))]
pub async fn get_staff(
    ctx: Ctx,
    c: Caller<OrgReaders>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<StaffView>> {
    staff::read(ctx.conn(), id, c.reads_only()).await.map(Json)
}

/// Creates a staff account with an initial password (Admin).
#[utoipa::path(
    post,
    path = "/api/v1/staff",
    tag = "organisation",
    request_body = StaffInput,
    responses(
        (status = 201, body = StaffView),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn create_staff(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiJson(body): ApiJson<StaffInput>,
) -> AppResult<(StatusCode, Json<StaffView>)> {
    let view = staff::create(&ctx, Some(c.id), body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Replaces a staff member's details, roles and windows; a password resets it (Admin).
#[utoipa::path(
    put,
    path = "/api/v1/staff/{id}",
    tag = "organisation",
    request_body = StaffInput,
    responses(
        (status = 200, body = StaffView),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn update_staff(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StaffInput>,
) -> AppResult<Json<StaffView>> {
    staff::update(&ctx, c.id, id, body).await.map(Json)
}

/// Writes the activate/deactivate pair of a resource (Admin): same contract for all four.
macro_rules! activation {
    ($activate:ident, $deactivate:ident, $path:literal, $service:path) => {
        #[doc = concat!("Activates one of `", $path, "` (Admin).")]
        #[utoipa::path(
                                            post,
                                            path = concat!("/api/v1/", $path, "/{id}/activate"),
                                            tag = "organisation",
                                            responses(
                                                (status = 204),
                                                (status = 404, body = ErrorBody),
                                                (status = 409, body = ErrorBody)
                                            )
                                        )]
        pub async fn $activate(
            ctx: Ctx,
            c: Caller<Admins>,
            ApiPath(id): ApiPath<i64>,
        ) -> AppResult<StatusCode> {
            $service(&ctx, c.id, id, true).await?;
            Ok(StatusCode::NO_CONTENT)
        }

        #[doc = concat!("Deactivates one of `", $path, "` (Admin); never deletes.")]
        #[utoipa::path(
                                            post,
                                            path = concat!("/api/v1/", $path, "/{id}/deactivate"),
                                            tag = "organisation",
                                            responses(
                                                (status = 204),
                                                (status = 404, body = ErrorBody),
                                                (status = 409, body = ErrorBody)
                                            )
                                        )]
        pub async fn $deactivate(
            ctx: Ctx,
            c: Caller<Admins>,
            ApiPath(id): ApiPath<i64>,
        ) -> AppResult<StatusCode> {
            $service(&ctx, c.id, id, false).await?;
            Ok(StatusCode::NO_CONTENT)
        }
    };
}

activation!(
    activate_center,
    deactivate_center,
    "centers",
    org::set_center_active
);
activation!(
    activate_unit,
    deactivate_unit,
    "units",
    org::set_unit_active
);
activation!(
    activate_window,
    deactivate_window,
    "windows",
    org::set_window_active
);
activation!(activate_staff, deactivate_staff, "staff", staff::set_active);
