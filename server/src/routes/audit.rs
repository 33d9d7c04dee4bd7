//! The audit chain check (Supervisor).

use app::api::audit::Verification;
use axum::{Json, Router, extract::State, routing::get};

use crate::{
    auth::{Caller, policy::Supervisors},
    error::{AppResult, ErrorBody},
    services::audit,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit/verify", get(verify))
}

/// Walks the hash chain and names the first record that was edited, removed or inserted
/// (Supervisor).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = Verification), (status = 403, body = ErrorBody)))]
pub async fn verify(
    State(s): State<AppState>,
    _c: Caller<Supervisors>,
) -> AppResult<Json<Verification>> {
    audit::verify(&s.db.conn).await.map(Json)
}
