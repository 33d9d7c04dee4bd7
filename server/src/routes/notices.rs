//! Issued notices: read (the case's unit, supervisors) and record printings (补打 after the first).

use app::api::notices::{NoticeView, PrintRecord};
use axum::{
    Json, Router,
    routing::{get, post},
};

use crate::{
    auth::{
        Caller,
        policy::{CaseReaders, UnitStaff},
    },
    error::{AppError, AppResult, ErrorBody},
    extract::ApiPath,
    services::{Ctx, notices},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notices/{id}", get(notice))
        .route("/notices/{id}/prints", post(print))
}

fn may_read(p: &crate::auth::Principal, unit_id: i64) -> bool {
    p.has(app::api::Role::Supervisor) || p.unit_id == Some(unit_id)
}

/// A notice as issued, with its data and SHA-256 (its unit's staff, supervisors).
#[utoipa::path(
    get,
    path = "/api/v1/notices/{id}",
    tag = "notices",
    responses(
        (status = 200, body = NoticeView),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn notice(
    ctx: Ctx,
    c: Caller<CaseReaders>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<NoticeView>> {
    let row = notices::load(ctx.conn(), id).await?;
    if !may_read(&c, row.unit_id) {
        return Err(AppError::forbidden());
    }
    notices::view(ctx.conn(), row).await.map(Json)
}

/// Records a printing; every one after the first is a reprint (补打) (its unit's staff).
#[utoipa::path(
    post,
    path = "/api/v1/notices/{id}/prints",
    tag = "notices",
    responses(
        (status = 200, body = PrintRecord),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn print(
    ctx: Ctx,
    c: Caller<UnitStaff>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<PrintRecord>> {
    let row = notices::load(ctx.conn(), id).await?;
    if c.unit_id != Some(row.unit_id) {
        return Err(AppError::forbidden());
    }
    notices::record_print(&ctx, c.id, id).await.map(Json)
}
