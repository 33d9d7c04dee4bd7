//! The audit chain check (Supervisor).

use app::api::audit::Verification;
use axum::{Json, Router, extract::State, routing::get};

use crate::{
    auth::{Caller, policy::Supervisors},
    error::{AppError, AppResult, ErrorBody},
    services::audit_chain,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit/verify", get(verify))
}

/// Walks the keyed hash chain and names the first record that was edited, removed or inserted,
/// then checks the anchors kept outside the database when there are any (Supervisor).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = Verification), (status = 403, body = ErrorBody)))]
pub async fn verify(
    State(s): State<AppState>,
    _c: Caller<Supervisors>,
) -> AppResult<Json<Verification>> {
    let anchors = match &s.settings.audit_anchor_file {
        Some(path) => audit_chain::read_anchors(path).map_err(AppError::internal)?,
        None => Vec::new(),
    };
    audit_chain::verify_with_anchors(&s.db.conn, s.db.audit_key(), &anchors)
        .await
        .map(Json)
}
