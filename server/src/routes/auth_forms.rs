//! The staff login and logout as plain HTML forms (no JavaScript needed): they do what the JSON
//! API does and answer with a redirect (303), so the browser lands on a page either way.

use axum::{Form, Router, extract::State, response::Redirect, routing::post};
use serde::Deserialize;
use tower_sessions::Session;

use super::auth::{ClientIp, sign_in};
use crate::{services::Ctx, state::AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/session/login", post(login))
        .route("/session/logout", post(logout))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    staff_number: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Only same-site paths are followed after login (no open redirect).
fn safe_next(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\')).then_some(next)
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    session: Session,
    Form(form): Form<LoginForm>,
) -> Redirect {
    let limiter = &state.login_limiter;
    match sign_in(
        limiter,
        &ctx,
        ip,
        &session,
        &form.staff_number,
        &form.password,
    )
    .await
    {
        Ok(me) => Redirect::to(safe_next(&form.next).unwrap_or(me.home())),
        Err(err) => {
            let code = err.code().to_string();
            let next = safe_next(&form.next)
                .map(|n| format!("&next={}", app::api::client::encode(n)))
                .unwrap_or_default();
            Redirect::to(&format!("/login?error={code}{next}"))
        }
    }
}

async fn logout(session: Session) -> Redirect {
    if let Err(err) = session.flush().await {
        tracing::warn!(error = %err, "logout: could not end the session");
    }
    Redirect::to("/")
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next("/admin"), Some("/admin"));
        assert_eq!(safe_next("//evil.example"), None);
        assert_eq!(safe_next("https://evil.example"), None);
        assert_eq!(safe_next(""), None);
    }
}
