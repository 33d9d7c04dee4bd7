//! The typed API: request/response types shared with the server, and one function per call.
//! Pages use only these functions; they never build URLs themselves.

pub mod appointments;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cases;
pub mod catalog;
pub mod client;
pub mod error;
pub mod events;
pub mod health;
pub mod inquiries;
pub mod notices;
pub mod org;
pub mod queue;
pub mod time;
pub mod validate;

pub use auth::{Me, Role};
pub use client::Method;
pub use error::ApiError;
pub use org::Items;

/// Calls, grouped as the server's routes are.
pub mod calls {
    use super::{
        ApiError,
        auth::{ChangePasswordRequest, LoginRequest, Me},
        client::{Method, get, send},
        org::{
            CenterInput, CenterView, Items, PublicCenters, StaffInput, StaffView, UnitInput,
            UnitView, WindowInput, WindowView,
        },
    };

    pub async fn me() -> Result<Me, ApiError> {
        get("/api/v1/auth/me".into()).await
    }

    pub async fn login(body: LoginRequest) -> Result<Me, ApiError> {
        send(Method::Post, "/api/v1/auth/login".into(), Some(&body)).await
    }

    pub async fn logout() -> Result<(), ApiError> {
        send::<(), ()>(Method::Post, "/api/v1/auth/logout".into(), None).await
    }

    pub async fn change_password(body: ChangePasswordRequest) -> Result<(), ApiError> {
        send(Method::Post, "/api/v1/auth/password".into(), Some(&body)).await
    }

    pub async fn public_centers() -> Result<PublicCenters, ApiError> {
        get("/api/v1/public/centers".into()).await
    }

    pub async fn centers() -> Result<Items<CenterView>, ApiError> {
        get("/api/v1/centers".into()).await
    }

    pub async fn save_center(id: Option<i64>, body: CenterInput) -> Result<CenterView, ApiError> {
        match id {
            Some(id) => send(Method::Put, format!("/api/v1/centers/{id}"), Some(&body)).await,
            None => send(Method::Post, "/api/v1/centers".into(), Some(&body)).await,
        }
    }

    pub async fn units() -> Result<Items<UnitView>, ApiError> {
        get("/api/v1/units".into()).await
    }

    pub async fn save_unit(id: Option<i64>, body: UnitInput) -> Result<UnitView, ApiError> {
        match id {
            Some(id) => send(Method::Put, format!("/api/v1/units/{id}"), Some(&body)).await,
            None => send(Method::Post, "/api/v1/units".into(), Some(&body)).await,
        }
    }

    pub async fn windows() -> Result<Items<WindowView>, ApiError> {
        get("/api/v1/windows".into()).await
    }

    pub async fn save_window(id: Option<i64>, body: WindowInput) -> Result<WindowView, ApiError> {
        match id {
            Some(id) => send(Method::Put, format!("/api/v1/windows/{id}"), Some(&body)).await,
            None => send(Method::Post, "/api/v1/windows".into(), Some(&body)).await,
        }
    }

    pub async fn staff() -> Result<Items<StaffView>, ApiError> {
        get("/api/v1/staff".into()).await
    }

    pub async fn save_staff(id: Option<i64>, body: StaffInput) -> Result<StaffView, ApiError> {
        match id {
            Some(id) => send(Method::Put, format!("/api/v1/staff/{id}"), Some(&body)).await,
            None => send(Method::Post, "/api/v1/staff".into(), Some(&body)).await,
        }
    }

    /// `resource` is `centers`, `units`, `windows` or `staff`.
    pub async fn set_active(resource: &'static str, id: i64, active: bool) -> Result<(), ApiError> {
        let verb = if active { "activate" } else { "deactivate" };
        send::<(), ()>(
            Method::Post,
            format!("/api/v1/{resource}/{id}/{verb}"),
            None,
        )
        .await
    }
}
