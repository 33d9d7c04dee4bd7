//! The REST API under `/api/v1`, one module per resource. Each handler's signature states who may
//! call it (`Caller<Admins>`, `Caller<AnyStaff>`, or no caller for public routes).

pub mod appointments;
pub mod audit;
pub mod auth;
pub mod auth_forms;
pub mod calendar;
pub mod cases;
pub mod catalog;
pub mod citizen_forms;
pub mod events;
pub mod health;
pub mod holder;
pub mod inquiries;
pub mod kiosks;
pub mod known_device;
pub mod notices;
pub mod org;
pub(crate) mod paging;
pub mod public;
pub mod queue;
pub mod supervision;
pub mod time;

use axum::{Router, extract::DefaultBodyLimit, routing::any};
use tower_sessions::service::SignedCookie;

use crate::{
    auth::session::StaffSessionStore,
    error::{AppError, ErrorKind},
    extract::MAX_BODY_BYTES,
    state::AppState,
};

/// The API router with its state, sessions and body limit applied.
pub fn api_router(
    state: AppState,
    sessions: tower_sessions::SessionManagerLayer<StaffSessionStore, SignedCookie>,
) -> Router {
    let v1 = Router::new()
        .merge(health::routes())
        .merge(audit::routes())
        .merge(auth::routes())
        .merge(org::routes())
        .merge(calendar::routes())
        .merge(catalog::routes())
        .merge(cases::routes())
        .merge(inquiries::routes())
        .merge(notices::routes())
        .merge(queue::routes())
        .merge(appointments::routes())
        .merge(kiosks::routes())
        .merge(public::routes())
        .merge(time::routes())
        .merge(supervision::routes())
        .merge(events::routes())
        .route(
            "/openapi.json",
            axum::routing::get(crate::openapi::document),
        )
        .fallback(any(unknown_route))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::edge::api_same_origin,
        ));
    // The no-JavaScript forms take only posts from our own pages (login CSRF, cross-site tickets).
    let forms = auth_forms::routes()
        .merge(citizen_forms::routes())
        // A GET of a form's address (a bookmark, a reload after the post) answered an empty
        // 405, a blank page in a browser: it goes to the form's page.
        .method_not_allowed_fallback(crate::edge::to_form_page)
        .route_layer(axum::middleware::from_fn(
            crate::edge::forms_refuse_in_pages,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::edge::same_origin,
        ));
    Router::new()
        .nest("/api/v1", v1)
        .route("/api", any(unknown_route))
        .route("/api/{*rest}", any(unknown_route))
        .merge(forms)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::edge::read_body_first,
        ))
        .layer(sessions)
        .with_state(state)
}

async fn unknown_route() -> AppError {
    AppError::new(ErrorKind::NotFound, "not_found", "没有这个接口")
}

async fn method_not_allowed() -> AppError {
    AppError::new(
        ErrorKind::MethodNotAllowed,
        "method_not_allowed",
        "此接口不支持该请求方法",
    )
}
