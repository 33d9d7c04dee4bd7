//! The connection loop: accepts TCP connections and serves HTTP/1.1 on each with hyper.
//!
//! `axum::serve` gives hyper no timer, so hyper's header read timeout never runs: a client that
//! opens a connection and sends a request's headers one byte a minute (or nothing at all, or
//! nothing after its last answer) holds a connection and a file descriptor for ever, and a few
//! hundred such clients exhaust the process's descriptors ("slowloris"). Here every connection
//! has `slow_client_seconds` (a setting) to send the headers of each request, idle keep-alive time
//! included; the body has the same time in `edge::read_body_first`. A streamed answer (the live
//! events) is not limited: the timer runs only while a request is being waited for.

use std::{future::Future, pin::pin, time::Duration};

use axum::{Router, body::Body, extract::ConnectInfo};
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
    service::TowerToHyperService,
};
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long the requests under way may take to finish once the server is told to stop; a live
/// event stream never finishes by itself, so the wait is bounded.
const DRAIN: Duration = Duration::from_secs(10);

/// What the accept loop waits after failing to accept (out of file descriptors): a busy loop
/// would only burn the CPU the open connections need to finish and free them.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests under way
/// finish (at most [`DRAIN`]). Handlers see the peer's address as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    slow_client: Duration,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(slow_client);
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(error) => {
                tracing::warn!(%error, "could not accept a connection");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        // Answers are small and written whole: sending them at once beats Nagle's batching.
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |request: hyper::Request<Incoming>| {
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away or times out is no error of ours.
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {
            tracing::info!("stopped with connections still open (live event streams)");
        }
    }
    Ok(())
}
