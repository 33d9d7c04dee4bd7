//! Plain HTML form endpoints (no JavaScript needed): they do what the JSON API does and answer
//! with a redirect (303), so the browser lands on a page either way. Like every form endpoint
//! they take only same-origin posts (see [`crate::edge::same_origin`]).

use axum::{Router, extract::State, response::Redirect, routing::post};
use serde::Deserialize;
use tower_sessions::Session;
use url::Url;

use super::auth::{ClientIp, sign_in};
use crate::{extract::ApiForm, services::Ctx, state::AppState};

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

/// The longest `next` that is followed; page paths are far shorter.
const MAX_NEXT_CHARS: usize = 1000;

/// Where to go after login: `next` only when it is a path of this site, else nothing (the role's
/// home). `next` is resolved the way a browser resolves a `Location` against our origin — the
/// parser drops tabs and newlines, reads `\` as `/` and applies `..` — and is followed only when
/// the result is still on our origin and is not a scheme-relative `//host` path. What is followed
/// is the parsed, percent-encoded path and query, never the raw input.
fn safe_next(next: &str) -> Option<String> {
    const ORIGIN: &str = "http://site.invalid/";
    if !next.starts_with('/') || next.chars().count() > MAX_NEXT_CHARS {
        return None;
    }
    let base = Url::parse(ORIGIN).expect("a static URL");
    let url = base.join(next).ok()?;
    if url.origin() != base.origin() || url.path().starts_with("//") {
        return None;
    }
    let mut target = url.path().to_string();
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    Some(target)
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    session: Session,
    ApiForm(form): ApiForm<LoginForm>,
) -> Redirect {
    let next = safe_next(&form.next);
    match sign_in(
        &state,
        &ctx,
        ip,
        &session,
        &form.staff_number,
        &form.password,
    )
    .await
    {
        Ok(me) => Redirect::to(next.as_deref().unwrap_or(me.home())),
        Err(err) => {
            let code = err.code().to_string();
            let next = next
                .map(|n| format!("&next={}", app::api::client::encode(&n)))
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
        assert_eq!(safe_next("/admin").as_deref(), Some("/admin"));
        assert_eq!(
            safe_next("/clerk/cases?scope=mine").as_deref(),
            Some("/clerk/cases?scope=mine")
        );
        assert_eq!(safe_next("//evil.example"), None);
        assert_eq!(safe_next("https://evil.example"), None);
        assert_eq!(safe_next(""), None);
        assert_eq!(safe_next("admin"), None);
    }

    #[test]
    fn what_a_browser_would_read_as_another_site_is_not_followed() {
        for next in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\\evil.example",
            "/\\\\evil.example",
            "/..//evil.example",
            "/%2e%2e//evil.example",
            "/./\t/evil.example",
        ] {
            assert_eq!(safe_next(next), None, "{next:?}");
        }
    }

    #[test]
    fn the_target_never_carries_raw_control_characters_or_spaces() {
        let target = safe_next("/admin\u{1}x y").unwrap();
        assert!(
            !target.chars().any(|c| c.is_control() || c == ' '),
            "{target}"
        );
        assert!(safe_next(&format!("/{}", "a".repeat(2000))).is_none());
    }
}
