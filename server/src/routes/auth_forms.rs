//! Plain HTML form endpoints (no JavaScript needed): they do what the JSON API does and answer
//! with a redirect (303), so the browser lands on a page either way. Like every form endpoint
//! they take only same-origin posts (see [`crate::edge::same_origin`]).

use app::pages::login::TYPED_STAFF_NUMBER_COOKIE;
use axum::{
    Router,
    extract::State,
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
    routing::post,
};
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
    headers: HeaderMap,
    session: Session,
    ApiForm(form): ApiForm<LoginForm>,
) -> Response {
    let next = safe_next(&form.next);
    let secure = state.settings.secure_cookies;
    match sign_in(
        &state,
        &ctx,
        ip,
        &headers,
        &session,
        &form.staff_number,
        &form.password,
    )
    .await
    {
        Ok((me, known)) => {
            let to = Redirect::to(next.as_deref().unwrap_or(me.home()));
            let mut response = with_cookie(to, typed_cookie("", secure));
            if let Ok(value) = HeaderValue::from_str(&known) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Err(err) => {
            let code = err.code().to_string();
            let next = next
                .map(|n| format!("&next={}", app::api::client::encode(&n)))
                .unwrap_or_default();
            let back = Redirect::to(&format!("/login?error={code}{next}"));
            with_cookie(back, typed_cookie(form.staff_number.trim(), secure))
        }
    }
}

/// The longest 工号 sent back to the login page (staff numbers are far shorter).
const MAX_TYPED_CHARS: usize = 50;

/// The cookie that gives the login page the 工号 typed into a refused attempt (for one minute,
/// only to `/login`); an empty or over-long value clears it.
fn typed_cookie(typed: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    let (value, age) = if typed.is_empty() || typed.chars().count() > MAX_TYPED_CHARS {
        (String::new(), 0)
    } else {
        (app::api::client::encode(typed), 60)
    };
    format!(
        "{TYPED_STAFF_NUMBER_COOKIE}={value}; Path=/login; Max-Age={age}; HttpOnly; \
         SameSite=Strict{secure}"
    )
}

fn with_cookie(redirect: Redirect, cookie: String) -> Response {
    let mut response = redirect.into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The 工号 a refused login left for the login page, decoded, from a request's cookies.
pub fn typed_staff_number(headers: &axum::http::HeaderMap) -> Option<String> {
    let raw = super::holder::cookie_value(headers, TYPED_STAFF_NUMBER_COOKIE)?;
    let decoded: String = url::form_urlencoded::parse(format!("v={raw}").as_bytes())
        .find(|(k, _)| k == "v")
        .map(|(_, v)| v.into_owned())?;
    let decoded = decoded.trim().to_string();
    (!decoded.is_empty() && decoded.chars().count() <= MAX_TYPED_CHARS).then_some(decoded)
}

async fn logout(session: Session) -> Redirect {
    if let Err(err) = session.flush().await {
        tracing::warn!(error = %err, "logout: could not end the session");
    }
    Redirect::to("/")
}

#[cfg(test)]
mod tests {
    use super::{safe_next, typed_cookie, typed_staff_number};

    #[test]
    fn the_typed_staff_number_goes_back_to_the_login_page_in_a_cookie_not_the_url() {
        let cookie = typed_cookie("clerk 01", false);
        assert!(cookie.contains("Path=/login"), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        let pair = cookie.split(';').next().unwrap().to_string();
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(axum::http::header::COOKIE, pair.parse().unwrap());
        assert_eq!(typed_staff_number(&headers).as_deref(), Some("clerk 01"));
        assert!(typed_cookie("", true).contains("Max-Age=0; HttpOnly; SameSite=Strict; Secure"));
        assert!(typed_cookie(&"9".repeat(51), false).contains("Max-Age=0"));
    }

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
