//! Building and running the application. Tests call [`Application::build`] with port 0 and a
//! fresh database, then drive the real server over HTTP.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
    time::Duration,
};

use axum::{Router, http::HeaderName};
use tokio::net::TcpListener;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::session_store::ExpiredDeletion;
use tracing::Level;

use crate::{
    auth::{
        caller,
        client_address::TrustedProxies,
        rate_limit::{LoginLimiter, PublicLimiter, PublicWriteLimiter},
        session,
        stream_seats::StreamSeats,
    },
    config::{Mode, Settings},
    demo,
    events::Events,
    routes::{self, holder::HolderKey},
    services::{
        ServiceSettings,
        audit_chain::{self, Unsealed},
        cached::ServiceCaches,
        calendar::{self, CalendarCache},
    },
    state::AppState,
    store::{self, AuditKey, Db},
    time_source::{Clock, SystemClock},
    web,
};

pub struct Application {
    listener: TcpListener,
    router: Router,
    port: u16,
    pub state: AppState,
}

impl Application {
    /// Connects and migrates the database, seeds the shipped calendar (and the demo data when
    /// asked), binds the listener. Nothing is served until [`Application::run`].
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        settings.validate()?;
        let secret = settings.resolve_secret()?;
        let tz = settings.tz()?;
        let audit_key = AuditKey::new(&settings.resolve_audit_key()?);
        let db: Db = store::connect(&settings.database_url(), audit_key).await?;
        // Before anything is appended: the chain must be sealed with the configured key.
        let unsealed = match settings.mode {
            Mode::Dev => Unsealed::Seal,
            Mode::Production => Unsealed::Refuse,
        };
        audit_chain::ensure_sealed(&db, unsealed).await?;
        calendar::seed_shipped(&db, clock.now())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;

        let store = session::StaffSessionStore::for_db(&db, settings.session_idle_minutes)?;
        let state = AppState {
            db: db.clone(),
            settings: Arc::new(settings.clone()),
            services: Arc::new(ServiceSettings::try_from(&settings)?),
            tz,
            clock,
            login_limiter: LoginLimiter::new(
                settings.login_attempts_per_minute,
                settings.login_attempts_per_minute_per_ip,
            ),
            public_limiter: PublicLimiter::new(
                settings.public_lookups_per_minute,
                settings.public_lookups_per_case_per_hour,
                settings.public_reads_per_minute,
            ),
            public_write_limiter: PublicWriteLimiter::new(settings.public_writes_per_hour),
            trusted_proxies: Arc::new(
                TrustedProxies::parse(&settings.trusted_proxies).map_err(|e| anyhow::anyhow!(e))?,
            ),
            calendar: CalendarCache::new(&db),
            events: Events::start(&db).await?,
            stream_seats: StreamSeats::new(
                settings.event_streams_per_address,
                settings.event_streams,
            ),
            principals: caller::principal_cache(&db),
            caches: ServiceCaches::new(&db),
            holder_key: Arc::new(HolderKey::derive(&secret)),
            sessions: store.clone(),
        };
        if settings.demo {
            let ctx = state.ctx().await.map_err(|e| anyhow::anyhow!("{e}"))?;
            demo::load(&ctx).await?;
        }

        let mut anchored = Anchored::default();
        anchor_audit_heads(&state, &mut anchored).await;
        spawn_housekeeping(store.clone(), state.clone(), anchored);
        spawn_detector(state.clone());
        let sessions = session::layer(store, &secret, settings.secure_cookies);
        let api = routes::api_router(state.clone(), sessions);
        let router = with_edge_layers(web::site_router(api, &settings, state.clock.clone()));

        let listener = TcpListener::bind(settings.addr).await?;
        let port = listener.local_addr()?.port();
        Ok(Self {
            listener,
            router,
            port,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> Db {
        self.state.db.clone()
    }

    /// Serves until the process is told to stop (Ctrl-C / SIGTERM), then finishes the requests
    /// under way.
    pub async fn run(self) -> std::io::Result<()> {
        let slow_client = self.state.settings.slow_client();
        crate::listener::serve(self.listener, self.router, slow_client, shutdown_signal()).await
    }

    /// Serves until the returned future is dropped (tests).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let slow_client = self.state.settings.slow_client();
        let never = std::future::pending::<()>();
        crate::listener::serve(self.listener, self.router, slow_client, never).await
    }
}

/// Compress what the dynamic compression would (`DefaultPredicate`) unless the body is a stored
/// file's representation, which [`crate::assets`] chose already.
#[derive(Clone, Copy)]
struct NotPrecompressed;

impl tower_http::compression::Predicate for NotPrecompressed {
    fn should_compress<B>(&self, response: &http::Response<B>) -> bool
    where
        B: axum::body::HttpBody,
    {
        response
            .extensions()
            .get::<crate::assets::Precompressed>()
            .is_none()
            && tower_http::compression::DefaultPredicate::new().should_compress(response)
    }
}

/// Request id, one log line per request, panic → 500 with our error body, compression, and the
/// security headers on every response (see [`crate::edge`]).
fn with_edge_layers(router: Router) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    crate::edge::security_headers(router)
        // Stored files come compressed already (`assets`): only dynamic answers are compressed.
        .layer(CompressionLayer::new().compress_when(NotPrecompressed))
        .layer(CatchPanicLayer::custom(
            |_panic: Box<dyn std::any::Any + Send>| {
                use axum::response::IntoResponse;
                crate::error::AppError::internal(anyhow::anyhow!("handler panicked"))
                    .into_response()
            },
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", id = %id, method = %req.method(),
                        path = %req.uri().path())
                })
                .on_request(())
                .on_failure(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(axum::middleware::map_request(drop_unfit_request_id))
}

/// A proxy's request id is kept for tracing, but only a short token of letters, digits and
/// `-._`: a client's id went into the logs and back out unchanged, markup or 60 KB included.
/// Anything else is dropped, and the request gets an id of ours.
async fn drop_unfit_request_id<B>(mut req: axum::http::Request<B>) -> axum::http::Request<B> {
    let fits = |v: &[u8]| {
        (1..=64).contains(&v.len())
            && v.iter()
                .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(b))
    };
    let ids = req.headers().get_all("x-request-id");
    let mut ids = ids.iter();
    let single_fit = matches!((ids.next(), ids.next()), (Some(v), None) if fits(v.as_bytes()));
    if !single_fit {
        req.headers_mut().remove("x-request-id");
    }
    req
}

/// What has been anchored: per chain, the record id last written to the anchor file.
#[derive(Default)]
struct Anchored {
    /// `None` until the file was read once (at start).
    per_chain: Option<HashMap<i64, i64>>,
}

/// Appends the head of every audit chain that has grown to the anchor file (when one is
/// configured). A failure is logged, never fatal: the chains themselves are intact, only their
/// outside witness is late.
async fn anchor_audit_heads(state: &AppState, anchored: &mut Anchored) {
    let Some(path) = state.settings.audit_anchor_file.as_deref() else {
        return;
    };
    let file_ids: HashSet<i64> = if anchored.per_chain.is_none() {
        audit_chain::read_anchors(path)
            .map(|a| a.into_iter().map(|a| a.id).collect())
            .unwrap_or_default()
    } else {
        HashSet::new()
    };
    let per_chain = anchored.per_chain.get_or_insert_with(HashMap::new);
    let now = state.clock.now();
    if let Err(err) =
        audit_chain::anchor_heads(&state.db.conn, path, per_chain, &file_ids, now).await
    {
        tracing::warn!(error = %err, path = %path.display(), "could not anchor the audit heads");
    }
}

/// Once a minute: forget spent rate-limit keys, drop expired sessions, deem accepted the
/// applications whose review time ran out (so the rule holds even when nobody looks), and anchor
/// the audit chain's head outside the database.
fn spawn_housekeeping(store: session::StaffSessionStore, state: AppState, mut anchored: Anchored) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            anchor_audit_heads(&state, &mut anchored).await;
            state.login_limiter.retain_recent();
            state.public_limiter.retain_recent();
            state.public_write_limiter.retain_recent();
            let swept = match state.ctx().await {
                Ok(ctx) => crate::services::cases::sweep_clock(&ctx).await,
                Err(err) => Err(err),
            };
            if let Err(err) = swept {
                tracing::warn!(error = %err, "deemed-acceptance sweep failed");
            }
            if let Err(err) = store.delete_expired().await {
                tracing::warn!(error = %err, "could not delete expired sessions");
            }
        }
    });
}

/// Every five minutes: the supervision detector (日监控) raises the problems the data shows; it
/// is idempotent, so a run that overlaps a manual one raises nothing twice.
fn spawn_detector(state: AppState) {
    tokio::spawn(async move {
        let period = Duration::from_secs(300);
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        loop {
            tick.tick().await;
            let run = match state.ctx().await {
                Ok(ctx) => crate::services::supervision::detector::run(&ctx).await,
                Err(err) => Err(err),
            };
            if let Err(err) = run {
                tracing::warn!(error = %err, "supervision detector failed");
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
