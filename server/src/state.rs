//! What every handler can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

use crate::{
    auth::rate_limit::{LoginLimiter, PublicLimiter},
    clock::Clock,
    config::Settings,
    events::Events,
    services::calendar::CalendarCache,
    store::Db,
};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub tz: Tz,
    pub clock: Arc<dyn Clock>,
    pub login_limiter: Arc<LoginLimiter>,
    pub public_limiter: Arc<PublicLimiter>,
    pub calendar: Arc<CalendarCache>,
    pub events: Events,
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The halls' local civil time now (what the rules compute with).
    pub fn local_now(&self) -> NaiveDateTime {
        self.now().with_timezone(&self.tz).naive_local()
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Db {
        state.db.clone()
    }
}
