//! The audit chain check (Supervisor).

use app::api::audit::Verification;
use axum::{Json, Router, routing::get};

use crate::{
    auth::{Caller, policy::Supervisors},
    error::{AppResult, ErrorBody},
    services::{Ctx, audit},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit/verify", get(verify))
}

/// Walks the hash chain and names the first record that was edited, removed or inserted
/// (Supervisor).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = Verification), (status = 403, body = ErrorBody)))]
pub async fn verify(ctx: Ctx, _c: Caller<Supervisors>) -> AppResult<Json<Verification>> {
    audit::verify(ctx.conn()).await.map(Json)
}
