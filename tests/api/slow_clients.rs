//! Slow clients ("slowloris"): a client that sends a request's headers or body a byte at a time,
//! or keeps a connection open without asking anything, must not hold it for ever — a few hundred
//! of them would take every file descriptor the server has. Each has `slow_client_seconds`.

use std::time::Duration;

use reqwest::StatusCode;
use scenario_tests::{AppOptions, TestApp, spawn_app_with};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    time::timeout,
};

/// The limit these tests run with, and how long they wait for the server to act on it.
const LIMIT_SECONDS: u64 = 1;
const PATIENCE: Duration = Duration::from_secs(10);

async fn app_with_limit() -> TestApp {
    spawn_app_with(AppOptions {
        slow_client_seconds: Some(LIMIT_SECONDS),
        ..AppOptions::default()
    })
    .await
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .expect("connects")
}

/// Everything the server sends until it closes the connection; fails if it keeps it open.
async fn read_until_closed(stream: &mut TcpStream, what: &str) -> String {
    let mut got = Vec::new();
    let read = timeout(PATIENCE, stream.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "the server kept the connection open: {what}");
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let app = app_with_limit().await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: hall\r\nX-Slow: ")
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, "headers never finished").await;
    assert!(!answer.contains("200 OK"), "{answer}");
    // Others were served meanwhile and still are.
    assert_eq!(app.get("/api/v1/health").await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_alive_connection_that_asks_nothing_more_is_closed() {
    let app = app_with_limit().await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: hall\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, "idle after its answer").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_sent_too_slowly_is_408_in_the_json_error_shape() {
    let app = app_with_limit().await;
    let mut stream = connect(&app).await;
    stream
        .write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: hall\r\n\
              Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"staff_",
        )
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream, "body never finished").await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_event_stream_outlives_the_slow_client_limit() {
    let app = app_with_limit().await;
    let mut stream = connect(&app).await;
    stream
        .write_all(
            b"GET /api/v1/events HTTP/1.1\r\nHost: hall\r\nAccept: text/event-stream\r\n\r\n",
        )
        .await
        .unwrap();
    let mut head = [0u8; 512];
    let n = timeout(PATIENCE, stream.read(&mut head))
        .await
        .expect("the stream answers")
        .unwrap();
    assert!(String::from_utf8_lossy(&head[..n]).starts_with("HTTP/1.1 200"));
    // Three times the limit later the stream is still open: a read waits instead of ending.
    tokio::time::sleep(Duration::from_secs(3 * LIMIT_SECONDS)).await;
    let mut more = [0u8; 512];
    let waited = timeout(Duration::from_millis(500), stream.read(&mut more)).await;
    match waited {
        Err(_still_open) => {}
        Ok(Ok(n)) => assert!(n > 0, "the event stream was closed"),
        Ok(Err(e)) => panic!("the event stream broke: {e}"),
    }
}
