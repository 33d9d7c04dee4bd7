//! The `Caller<P>` extractor: the signed-in staff member, allowed by policy `P`.

use std::{marker::PhantomData, sync::Arc};

use app::api::Role;
use axum::{extract::FromRequestParts, http::request::Parts};
use chrono::{DateTime, Utc};
use tower_sessions::{Session, SessionStore, session::Id};

use super::session;
pub use crate::services::Principal;
use crate::{
    error::AppError,
    services::staff as staff_service,
    state::AppState,
    store::{
        Db,
        cache::{self, TtlCache},
    },
};

/// Signed-in staff members by id, kept a few seconds (`store::cache`). Any committed change of
/// a staff member (roles, password, deactivation) or of a unit (its center) forgets them all, on
/// every instance: staff changes are rare, requests are not.
pub type PrincipalCache = TtlCache<i64, Principal>;

/// The audit entities whose changes can change a principal.
const PRINCIPAL_SOURCES: [&str; 2] = ["staff", "unit"];

pub fn principal_cache(db: &Db) -> Arc<PrincipalCache> {
    let cache = Arc::new(PrincipalCache::new(cache::TTL));
    let forget = cache.clone();
    db.changes.listen(&PRINCIPAL_SOURCES, move |what| {
        if what == cache::EVERYTHING || PRINCIPAL_SOURCES.contains(&what) {
            forget.clear();
        }
    });
    cache
}

/// The active staff member `staff_id`, from the cache or the database.
async fn cached_principal(state: &AppState, staff_id: i64) -> Result<Option<Principal>, AppError> {
    if let Some(principal) = state.principals.get(&staff_id) {
        return Ok(Some(principal));
    }
    let began = state.principals.begin();
    let principal = staff_service::load_principal(&state.db.conn, staff_id).await?;
    if let Some(p) = &principal {
        state.principals.put(staff_id, p.clone(), began);
    }
    Ok(principal)
}

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

/// The signed-in staff member, if any. The session ends here when its staff member was
/// deactivated, when the password changed since it was opened, when it was not used for
/// `session_idle_minutes`, or `session_max_hours` after its sign-in (by the server's clock).
/// A session opened before sessions recorded their sign-in counts from its first use since.
/// A session in use is renewed every few minutes: the new "last seen" makes the session layer
/// save it, which renews the stored row.
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
    let principal = cached_principal(state, staff_id).await?;
    let stamp: Option<String> = session
        .get(session::CREDENTIAL_KEY)
        .await
        .map_err(AppError::internal)?;
    let last_seen: Option<DateTime<Utc>> = session
        .get(session::LAST_SEEN_KEY)
        .await
        .map_err(AppError::internal)?;
    let signed_in: Option<DateTime<Utc>> = session
        .get(session::SIGNED_IN_KEY)
        .await
        .map_err(AppError::internal)?;
    let now = state.clock.now();
    let idle = chrono::Duration::minutes(state.settings.session_idle_minutes);
    let max_age = chrono::Duration::hours(state.settings.session_max_hours);
    let young = signed_in.is_none_or(|at| now - at <= max_age);
    let live = match (&principal, stamp, last_seen) {
        (Some(p), Some(stamp), Some(seen)) => {
            stamp == p.credential_stamp && now - seen <= idle && young
        }
        _ => false,
    };
    if !live {
        session.flush().await.map_err(AppError::internal)?;
        return Ok(None);
    }
    if signed_in.is_none() {
        session
            .insert(session::SIGNED_IN_KEY, now)
            .await
            .map_err(AppError::internal)?;
    }
    if last_seen.is_some_and(|seen| now - seen >= session::touch_interval(idle.num_minutes())) {
        session
            .insert(session::LAST_SEEN_KEY, now)
            .await
            .map_err(AppError::internal)?;
    }
    Ok(principal)
}

/// What a long-lived request (the live event stream) remembers of the session that opened it,
/// to check again later that the session still stands.
#[derive(Clone, Debug)]
pub struct OpenedBy {
    session: Id,
    staff_id: i64,
    stamp: String,
}

/// The session of a request whose caller is signed in, if any (extract it after
/// [`MaybeCaller`], which ends a session that no longer stands).
pub struct Opened(pub Option<OpenedBy>);

impl FromRequestParts<AppState> for Opened {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(session) = Session::from_request_parts(parts, state).await else {
            return Ok(Opened(None));
        };
        let opened = async {
            Some(OpenedBy {
                session: session.id()?,
                staff_id: session.get(STAFF_ID_KEY).await.ok()??,
                stamp: session.get(session::CREDENTIAL_KEY).await.ok()??,
            })
        };
        Ok(Opened(opened.await))
    }
}

/// The staff member as they are now if the session that opened a long-lived request still
/// stands: not logged out (nor expired), the account active, the password unchanged since. A
/// stream checked only at its start went on delivering events after logout and deactivation.
pub async fn still_signed_in(state: &AppState, opened: &OpenedBy) -> Option<Principal> {
    let record = state.sessions.load(&opened.session).await.ok()??;
    let same_staff = record.data.get(STAFF_ID_KEY) == Some(&serde_json::json!(opened.staff_id));
    if !same_staff {
        return None;
    }
    let principal = cached_principal(state, opened.staff_id).await.ok()??;
    (principal.credential_stamp == opened.stamp).then_some(principal)
}
