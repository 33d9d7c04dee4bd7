//! Staff login, logout, "who am I", password change.

use std::net::{IpAddr, SocketAddr};

use app::api::{
    Me,
    auth::{ChangePasswordRequest, LoginRequest},
};
use axum::{
    Json, Router,
    extract::{ConnectInfo, FromRequestParts, State},
    http::{StatusCode, request::Parts},
    routing::{get, post},
};
use tower_sessions::Session;

use crate::{
    auth::{Caller, caller::STAFF_ID_KEY, policy::AnyStaff, rate_limit::LoginLimiter},
    error::{AppError, AppResult},
    extract::ApiJson,
    services::{Ctx, staff as staff_service},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
        .route("/auth/password", post(change_password))
}

/// The client's address when the request came over a socket (in-process calls have none).
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip()),
        ))
    }
}

/// A public lookup by code (a case, a booking): allowed while the caller's address has lookups
/// left this minute (`public_lookups_per_minute`), else 429.
pub struct PublicLookup(());

impl FromRequestParts<AppState> for PublicLookup {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Ok(ClientIp(ip)) = ClientIp::from_request_parts(parts, state).await;
        state.public_limiter.check(ip)?;
        Ok(PublicLookup(()))
    }
}

/// Signs a staff member in (anyone). Rate limited per staff number and per address.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    session: Session,
    ApiJson(body): ApiJson<LoginRequest>,
) -> AppResult<Json<Me>> {
    let limiter = &state.login_limiter;
    sign_in(
        limiter,
        &ctx,
        ip,
        &session,
        &body.staff_number,
        &body.password,
    )
    .await
    .map(Json)
}

/// The shared sign-in step of the JSON API and the no-JavaScript login form.
pub async fn sign_in(
    limiter: &LoginLimiter,
    ctx: &Ctx,
    ip: Option<IpAddr>,
    session: &Session,
    staff_number: &str,
    password: &str,
) -> AppResult<Me> {
    if staff_number.trim().is_empty() {
        return Err(AppError::invalid("required", "请填写工号").with_field("staff_number"));
    }
    limiter.check(staff_number, ip)?;
    let staff_id = staff_service::authenticate(ctx, staff_number, password).await?;
    // A new session id at login: a planted cookie cannot become a signed-in session.
    session.cycle_id().await.map_err(AppError::internal)?;
    session
        .insert(STAFF_ID_KEY, staff_id)
        .await
        .map_err(AppError::internal)?;
    staff_service::me(ctx.conn(), staff_id).await
}

/// Ends the session (anyone; without a session it changes nothing).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(session: Session) -> AppResult<StatusCode> {
    session.flush().await.map_err(AppError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in staff member (any staff).
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(ctx: Ctx, caller: Caller<AnyStaff>) -> AppResult<Json<Me>> {
    staff_service::me(ctx.conn(), caller.id).await.map(Json)
}

/// Changes one's own password (any staff).
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 204), (status = 422, body = crate::error::ErrorBody)))]
pub async fn change_password(
    ctx: Ctx,
    caller: Caller<AnyStaff>,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> AppResult<StatusCode> {
    let (current, new) = (body.current_password, body.new_password);
    staff_service::change_password(&ctx, caller.id, current, new).await?;
    Ok(StatusCode::NO_CONTENT)
}
