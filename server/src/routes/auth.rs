//! Staff login, logout, "who am I", password change.

use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

use app::api::{
    Me,
    auth::{ChangePasswordRequest, LoginRequest},
};
use axum::{
    Json, Router,
    extract::{ConnectInfo, FromRequestParts, State},
    http::{HeaderMap, StatusCode, header, request::Parts},
    response::IntoResponse,
    routing::{get, post},
};
use tower_sessions::Session;

use super::known_device;
use crate::{
    auth::{
        Caller, caller::STAFF_ID_KEY, policy::AnyStaff, rate_limit::PublicLimiter,
        session as staff_session,
    },
    error::{AppError, AppResult},
    extract::ApiJson,
    services::{Ctx, kiosks, staff as staff_service},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
        .route("/auth/password", post(change_password))
}

/// The client's address when the request came over a socket (in-process calls have none): the
/// socket's peer, or behind a trusted proxy the client it names (`auth::client_address`).
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(ClientIp(peer.map(|peer| {
            state.trusted_proxies.client(peer, &parts.headers)
        })))
    }
}

/// A public lookup by code (a case, a booking): allowed while the caller's address has lookups
/// left this minute (`public_lookups_per_minute`), else 429.
pub struct PublicLookup(Arc<PublicLimiter>);

impl FromRequestParts<AppState> for PublicLookup {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Ok(ClientIp(ip)) = ClientIp::from_request_parts(parts, state).await;
        state.public_limiter.check(ip)?;
        Ok(PublicLookup(state.public_limiter.clone()))
    }
}

impl PublicLookup {
    /// A lookup of booking `code` by its phone (view, cancel, move): refused while the code has
    /// had its day's wrong phones, over every address
    /// ([`crate::auth::rate_limit::BOOKING_FAILURES_PER_DAY`]); an answer
    /// "no such booking" — a wrong phone, or no booking of that code — counts against it.
    pub async fn booking<T>(
        &self,
        code: &str,
        lookup: impl Future<Output = AppResult<T>>,
    ) -> AppResult<T> {
        let key = app::api::appointments::normalize_code(code);
        self.0.check_booking(&key)?;
        let answer = lookup.await;
        if let Err(e) = &answer
            && e.code() == crate::services::appointments::not_found().code()
        {
            self.0.booking_failed(&key);
        }
        answer
    }
}

/// An anonymous read of the booking calendar (slots, days): allowed while the caller's address
/// has reads left this minute (`public_reads_per_minute`), else 429.
pub struct PublicRead(());

impl FromRequestParts<AppState> for PublicRead {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Ok(ClientIp(ip)) = ClientIp::from_request_parts(parts, state).await;
        state.public_limiter.check_read(ip)?;
        Ok(PublicRead(()))
    }
}

/// The cookie a registered kiosk carries (set by `POST /kiosk/register`); the JSON API also
/// takes the token in the `X-Kiosk-Token` header.
pub const KIOSK_COOKIE: &str = "chuangkou_kiosk";
const KIOSK_HEADER: &str = "x-kiosk-token";

/// The device token a request carries, if any.
fn kiosk_token(parts: &Parts) -> Option<String> {
    if let Some(v) = parts.headers.get(KIOSK_HEADER) {
        return v.to_str().ok().map(str::to_string);
    }
    super::holder::cookie_value(&parts.headers, KIOSK_COOKIE).map(str::to_string)
}

/// A citizen's write without an account (a ticket, a booking, cancelling or moving it): from a
/// registered kiosk, or within the address's `public_writes_per_hour`, else 429.
pub struct PublicWrite {
    /// The center of the registered kiosk the request came from.
    pub kiosk_center: Option<i64>,
    /// The client's address (what the limit counts by).
    ip: Option<IpAddr>,
}

impl PublicWrite {
    /// A queue ticket taken on a phone (not at a registered kiosk) is counted by a tighter
    /// budget of its own.
    pub fn charge_phone_ticket(&self, state: &AppState) -> AppResult<()> {
        match self.kiosk_center {
            None => state.public_write_limiter.check_phone_ticket(self.ip),
            Some(_) => Ok(()),
        }
    }

    /// A kiosk is spared the per-address limit only for its own center: a write of another
    /// center's (a booking it cancels or moves) is counted against the kiosk's address.
    pub fn charge_unless_kiosk_of(&self, state: &AppState, center: i64) -> AppResult<()> {
        match self.kiosk_center {
            Some(kiosk) if kiosk != center => state.public_write_limiter.check(self.ip),
            _ => Ok(()),
        }
    }
}

impl FromRequestParts<AppState> for PublicWrite {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Ok(ClientIp(ip)) = ClientIp::from_request_parts(parts, state).await;
        if let Some(token) = kiosk_token(parts) {
            let ctx = state.ctx().await?;
            if let Some(center) = kiosks::recognise(&ctx, &token).await? {
                return Ok(PublicWrite {
                    kiosk_center: Some(center),
                    ip,
                });
            }
            // A revoked (or unknown) kiosk is told so, not served as a passer-by's phone: it
            // would go on issuing tickets, anywhere, until the address's budget ran out.
            return Err(AppError::not_here(
                "kiosk_not_registered",
                "此取号机未登记或已停用，请联系管理员重新登记",
            ));
        }
        state.public_write_limiter.check(ip)?;
        Ok(PublicWrite {
            kiosk_center: None,
            ip,
        })
    }
}

/// Signs a staff member in (anyone). Rate limited per address and per staff number and
/// address (see `LoginLimiter`).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    session: Session,
    ApiJson(body): ApiJson<LoginRequest>,
) -> AppResult<impl IntoResponse> {
    let (me, known) = sign_in(
        &state,
        &ctx,
        ip,
        &headers,
        &session,
        &body.staff_number,
        &body.password,
    )
    .await?;
    Ok(([(header::SET_COOKIE, known)], Json(me)))
}

/// The shared sign-in step of the JSON API and the no-JavaScript login form: who signed in, and
/// the `Set-Cookie` value that makes this browser known to the account (see `known_device`).
pub async fn sign_in(
    state: &AppState,
    ctx: &Ctx,
    ip: Option<IpAddr>,
    headers: &HeaderMap,
    session: &Session,
    staff_number: &str,
    password: &str,
) -> AppResult<(Me, String)> {
    if staff_number.trim().is_empty() {
        return Err(AppError::invalid("required", "请填写工号").with_field("staff_number"));
    }
    let key = &state.holder_key;
    let stamp = staff_service::credential_stamp_of(ctx, staff_number).await?;
    let known = known_device::is_known(headers, key, (staff_number, &stamp), ctx.now);
    let _attempt = state.login_limiter.admit(staff_number, ip, known).await?;
    let staff_id = match staff_service::authenticate(ctx, staff_number, password).await {
        Ok(id) => id,
        Err(err) => {
            if err.code() == "invalid_credentials" {
                state.login_limiter.failed(staff_number);
            }
            return Err(err);
        }
    };
    let principal = staff_service::load_principal(ctx.conn(), staff_id)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("staff {staff_id} vanished")))?;
    // A new session id at login: a planted cookie cannot become a signed-in session.
    session.cycle_id().await.map_err(AppError::internal)?;
    session
        .insert(STAFF_ID_KEY, staff_id)
        .await
        .map_err(AppError::internal)?;
    stamp_session(ctx, session, &principal).await?;
    let secure = state.settings.secure_cookies;
    let account = (staff_number, principal.credential_stamp.as_str());
    let cookie = known_device::remember(headers, key, account, ctx.now, secure);
    Ok((staff_service::me(ctx.conn(), staff_id).await?, cookie))
}

/// What a live session remembers besides who it is: when it was last used and which password
/// it was opened with (see `auth::session`).
async fn stamp_session(
    ctx: &Ctx,
    session: &Session,
    principal: &crate::auth::Principal,
) -> AppResult<()> {
    session
        .insert(staff_session::LAST_SEEN_KEY, ctx.now)
        .await
        .map_err(AppError::internal)?;
    session
        .insert(staff_session::SIGNED_IN_KEY, ctx.now)
        .await
        .map_err(AppError::internal)?;
    session
        .insert(
            staff_session::CREDENTIAL_KEY,
            principal.credential_stamp.clone(),
        )
        .await
        .map_err(AppError::internal)
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

/// Changes one's own password (any staff). Guesses of the current password count against the
/// same limits as logins; the account's other sessions end, this one goes on under a new id.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password",
    tag = "auth",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204),
        (status = 422, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody)
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    session: Session,
    headers: HeaderMap,
    caller: Caller<AnyStaff>,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> AppResult<impl IntoResponse> {
    let (current, new) = (body.current_password, body.new_password);
    // A new password refused for itself guesses nothing: it does not spend the guess budget.
    app::api::validate::password_strength(&new, "new_password")?;
    app::api::validate::password_names_account(&new, &caller.staff_number, "new_password")?;
    let key = &state.holder_key;
    let account = (
        caller.staff_number.as_str(),
        caller.credential_stamp.as_str(),
    );
    let known = known_device::is_known(&headers, key, account, ctx.now);
    let limiter = &state.login_limiter;
    let _attempt = limiter.admit(&caller.staff_number, ip, known).await?;
    let changed = staff_service::change_password(&ctx, caller.id, current, new).await;
    if let Err(err) = changed {
        if err.code() == "wrong_password" {
            state.login_limiter.failed(&caller.staff_number);
        }
        return Err(err);
    }
    let principal = staff_service::load_principal(ctx.conn(), caller.id)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    session.cycle_id().await.map_err(AppError::internal)?;
    stamp_session(&ctx, &session, &principal).await?;
    // The new password forgot every browser that knew the account; this one proved it.
    let account = (
        caller.staff_number.as_str(),
        principal.credential_stamp.as_str(),
    );
    let secure = state.settings.secure_cookies;
    let known = known_device::remember(&headers, key, account, ctx.now, secure);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, known)]))
}
