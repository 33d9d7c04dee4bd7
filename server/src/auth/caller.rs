//! The `Caller<P>` extractor: the signed-in staff member, allowed by policy `P`.

use std::marker::PhantomData;

use app::api::Role;
use axum::{extract::FromRequestParts, http::request::Parts};
use tower_sessions::Session;

pub use crate::services::Principal;
use crate::{error::AppError, services::staff as staff_service, state::AppState};

/// Who may call a route. See [`super::policy`].
pub trait Policy {
    const ROLES: &'static [Role];
}

pub struct Caller<P: Policy> {
    pub principal: Principal,
    _policy: PhantomData<P>,
}

impl<P: Policy> std::ops::Deref for Caller<P> {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.principal
    }
}

/// Session key of the signed-in staff id.
pub const STAFF_ID_KEY: &str = "staff_id";

impl<P: Policy> FromRequestParts<AppState> for Caller<P> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let principal = principal_from_parts(parts, state)
            .await?
            .ok_or_else(AppError::unauthenticated)?;
        if !P::ROLES.is_empty() && !P::ROLES.iter().any(|r| principal.has(*r)) {
            return Err(AppError::forbidden());
        }
        Ok(Caller {
            principal,
            _policy: PhantomData,
        })
    }
}

/// The signed-in staff member if there is one (routes open to anyone that show staff more).
pub struct MaybeCaller(pub Option<Principal>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        principal_from_parts(parts, state).await.map(MaybeCaller)
    }
}

/// The signed-in staff member, if any. A session whose staff member was deactivated ends here.
pub async fn principal_from_parts(
    parts: &mut Parts,
    state: &AppState,
) -> Result<Option<Principal>, AppError> {
    let Ok(session) = Session::from_request_parts(parts, state).await else {
        return Ok(None);
    };
    let staff_id: Option<i64> = session
        .get(STAFF_ID_KEY)
        .await
        .map_err(AppError::internal)?;
    let Some(staff_id) = staff_id else {
        return Ok(None);
    };
    match staff_service::load_principal(&state.db.conn, staff_id).await? {
        Some(p) => Ok(Some(p)),
        None => {
            session.flush().await.map_err(AppError::internal)?;
            Ok(None)
        }
    }
}
