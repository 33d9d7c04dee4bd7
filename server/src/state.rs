//! The router's state: what handlers and extractors reach. Services never see it; each request
//! gets a [`Ctx`] built from it.

use std::sync::Arc;

use axum::{
    extract::{FromRef, FromRequestParts},
    http::request::Parts,
};
use chrono_tz::Tz;

use crate::{
    auth::{
        caller::PrincipalCache,
        client_address::TrustedProxies,
        rate_limit::{LoginLimiter, PublicLimiter, PublicWriteLimiter},
        stream_seats::StreamSeats,
    },
    config::{ConfigError, Settings},
    error::{AppError, AppResult},
    events::Events,
    routes::holder::HolderKey,
    services::{Ctx, ServiceSettings, cached::ServiceCaches, calendar::CalendarCache},
    store::Db,
    time_source::Clock,
};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub services: Arc<ServiceSettings>,
    pub tz: Tz,
    pub clock: Arc<dyn Clock>,
    pub login_limiter: Arc<LoginLimiter>,
    pub public_limiter: Arc<PublicLimiter>,
    pub public_write_limiter: Arc<PublicWriteLimiter>,
    /// Whose `X-Forwarded-For` names the client of the limits above.
    pub trusted_proxies: Arc<TrustedProxies>,
    pub calendar: Arc<CalendarCache>,
    pub events: Events,
    /// The live event streams open now, per client address (see `auth::stream_seats`).
    pub stream_seats: Arc<StreamSeats>,
    /// Signed-in staff members as the extractor last read them (see `auth::caller`).
    pub principals: Arc<PrincipalCache>,
    pub caches: Arc<ServiceCaches>,
    /// Signs the cases a browser opened on `/track` (see `routes::holder`).
    pub holder_key: Arc<HolderKey>,
    /// The staff sessions, for requests that outlive their start (the live event stream checks
    /// that its session still stands).
    pub sessions: crate::auth::session::StaffSessionStore,
}

impl AppState {
    /// The use cases' context at this moment.
    pub async fn ctx(&self) -> AppResult<Ctx> {
        Ok(Ctx {
            db: self.db.clone(),
            now: self.clock.now(),
            tz: self.tz,
            calendar: self.calendar.get(&self.db.conn).await?,
            settings: self.services.clone(),
            events: self.events.clone(),
            caches: self.caches.clone(),
        })
    }
}

impl TryFrom<&Settings> for ServiceSettings {
    type Error = ConfigError;

    /// The services' part of the settings, with the supervision settings checked by their rules.
    fn try_from(s: &Settings) -> Result<Self, ConfigError> {
        Ok(ServiceSettings {
            inquiry_limit_hours: s.inquiry_limit_hours,
            ticket_cutoff_minutes: s.ticket_cutoff_minutes,
            booking_days_ahead: s.booking_days_ahead,
            booking_notice_hours: s.booking_notice_hours,
            bookings_per_phone: s.bookings_per_phone,
            patrol_items: s.patrol_items.clone(),
            interview_threshold: s.interview_threshold()?,
            region_name: match s.region_name.trim() {
                "" if s.demo => crate::demo::REGION_NAME,
                region => region,
            }
            .to_string(),
            score_weights: s.score_weights()?,
        })
    }
}

/// Every handler that runs a use case takes the request's `Ctx` as an argument.
impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(_: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        state.ctx().await
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Db {
        state.db.clone()
    }
}
