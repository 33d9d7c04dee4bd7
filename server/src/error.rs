//! One error type for every handler, one JSON shape for every error.
//!
//! Policy:
//! - Every 4xx answers `{"code":"snake_case_code","message":"中文说明","field":"optional"}` (plus
//!   `current` on a 409 that carries the current state). `code` is stable and meant for programs;
//!   `message` is for the clerk or the citizen.
//! - A 5xx says nothing internal: the client gets a fixed message, the cause goes to the log with
//!   the request id so that an operator can find it.
//! - Bad input changes nothing: handlers validate before they open a transaction, and services
//!   return these errors from inside a transaction so that it rolls back.

use std::borrow::Cow;

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable, snake_case.
    pub code: Cow<'static, str>,
    /// Simplified Chinese, for people.
    pub message: String,
    /// The request field the error is about, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// On a conflict: the current state of the resource, so the client can show it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub current: Option<serde_json::Value>,
    /// When more than one field of the input is wrong: every one of them (the first is the one
    /// `code`, `message` and `field` name), so that a form can tell them all at once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<app::api::error::FieldProblem>,
}

/// What kind of refusal a client error is. Services and the rules say what went wrong; this
/// module alone says which HTTP status that is (see [`ErrorKind::status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request itself is malformed (bad JSON, a missing parameter, a control character).
    BadRequest,
    /// Nobody is signed in.
    Unauthenticated,
    /// Signed in, but not allowed to do this here.
    Forbidden,
    /// What the request names does not exist (or may not be known to the caller).
    NotFound,
    /// The route exists, the method does not.
    MethodNotAllowed,
    /// The resource changed meanwhile, or is in a state that forbids the step.
    Conflict,
    /// The body did not arrive in time (`slow_client_seconds`).
    RequestTimeout,
    /// The body is too large.
    PayloadTooLarge,
    /// The body is not JSON.
    UnsupportedMediaType,
    /// Well-formed input that breaks a rule.
    Invalid,
    /// Too many attempts; retry later.
    TooManyRequests,
}

impl ErrorKind {
    /// The HTTP status of this kind: the only place where a refusal becomes a status code.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        }
    }
}

#[derive(Debug)]
pub enum AppError {
    /// A client error: a 4xx with our body.
    Client {
        kind: ErrorKind,
        body: Box<ErrorBody>,
        retry_after_secs: Option<u64>,
    },
    /// Anything else. Logged, never shown.
    Internal(anyhow::Error),
    /// The database cannot be reached.
    Unavailable(anyhow::Error),
}

impl AppError {
    /// A client error of `kind` with a stable code and a message for people.
    pub fn new(
        kind: ErrorKind,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        AppError::Client {
            kind,
            body: Box::new(ErrorBody {
                code: code.into(),
                message: message.into(),
                field: None,
                current: None,
                problems: Vec::new(),
            }),
            retry_after_secs: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        if let AppError::Client { body, .. } = &mut self {
            body.field = Some(field.into());
        }
        self
    }

    pub fn with_current(mut self, current: serde_json::Value) -> Self {
        if let AppError::Client { body, .. } = &mut self {
            body.current = Some(current);
        }
        self
    }

    /// The field the error names, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Client { body, .. } => body.field.as_deref(),
            _ => None,
        }
    }

    /// The codes of every problem this error names (`problems`, or its own code): what a plain
    /// form sends its page back with, so that the page says each at its field.
    pub fn codes(&self) -> Vec<String> {
        match self {
            AppError::Client { body, .. } if !body.problems.is_empty() => {
                body.problems.iter().map(|p| p.code.clone()).collect()
            }
            _ => vec![self.code().to_string()],
        }
    }

    pub fn bad_request(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, code, message)
    }

    /// Well-formed input that breaks a rule (422).
    pub fn invalid(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, code, message)
    }

    /// `what` does not exist: `not_found`, "{what}不存在".
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorKind::NotFound, "not_found", format!("{what}不存在"))
    }

    /// Not found, with a code and message of its own (e.g. a wrong booking code and phone).
    pub fn missing(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, code, message)
    }

    pub fn conflict(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, message)
    }

    pub fn unauthenticated() -> Self {
        Self::new(ErrorKind::Unauthenticated, "unauthenticated", "请先登录")
    }

    /// The caller's role may not do this.
    pub fn forbidden() -> Self {
        Self::new(ErrorKind::Forbidden, "forbidden", "您的角色无权进行此操作")
    }

    /// The caller's role may, but not here (another unit, window, center…).
    pub fn not_here(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, code, message)
    }

    pub fn too_many_requests(
        code: &'static str,
        message: impl Into<String>,
        retry_after_secs: u64,
    ) -> Self {
        match Self::new(ErrorKind::TooManyRequests, code, message) {
            AppError::Client { kind, body, .. } => AppError::Client {
                kind,
                body,
                retry_after_secs: Some(retry_after_secs.max(1)),
            },
            other => other,
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(err.into())
    }

    /// What kind of client error this is (`None` for a server error).
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            AppError::Client { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Client { kind, .. } => kind.status(),
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            AppError::Client { body, .. } => &body.code,
            AppError::Internal(_) => "internal_error",
            AppError::Unavailable(_) => "service_unavailable",
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Client { kind, body, .. } => {
                write!(f, "{} {}: {}", kind.status(), body.code, body.message)
            }
            AppError::Internal(err) => write!(f, "internal: {err:#}"),
            AppError::Unavailable(err) => write!(f, "unavailable: {err:#}"),
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        use sea_orm::DbErr;
        match err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => AppError::Unavailable(err.into()),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

/// Calendar questions the rules cannot answer are the client's to fix (e.g. a date in a year
/// whose holidays are not published yet): 422 with the rule's own code and message.
impl From<rules::CalendarError> for AppError {
    fn from(err: rules::CalendarError) -> Self {
        AppError::invalid(err.code(), err.message_zh())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Client {
                kind,
                body,
                retry_after_secs,
            } => {
                let mut response = (kind.status(), Json(body)).into_response();
                if let Some(secs) = retry_after_secs {
                    response
                        .headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
                }
                response
            }
            AppError::Internal(err) => {
                tracing::error!(error = ?err, "internal error");
                let body = ErrorBody {
                    code: "internal_error".into(),
                    message: "服务器内部错误，请稍后重试；如持续出现请联系管理员".into(),
                    field: None,
                    current: None,
                    problems: Vec::new(),
                };
                (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
            }
            AppError::Unavailable(err) => {
                tracing::error!(error = ?err, "database unavailable");
                let body = ErrorBody {
                    code: "service_unavailable".into(),
                    message: "服务暂时不可用，请稍后重试".into(),
                    field: None,
                    current: None,
                    problems: Vec::new(),
                };
                (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
            }
        }
    }
}

impl From<app::api::validate::Invalid> for AppError {
    fn from(invalid: app::api::validate::Invalid) -> Self {
        AppError::invalid(invalid.code, invalid.message).with_field(invalid.field)
    }
}

/// The first problem as the answer's code, message and field, and all of them in `problems`.
impl From<app::api::validate::Problems> for AppError {
    fn from(problems: app::api::validate::Problems) -> Self {
        let all: Vec<_> = problems.iter().map(Into::into).collect();
        let mut error = AppError::from(problems.first().clone());
        if let AppError::Client { body, .. } = &mut error
            && all.len() > 1
        {
            body.problems = all;
        }
        error
    }
}

/// The rules' refusals are the client's to fix: 422 with the rule's code and Chinese message.
macro_rules! rule_error {
    ($($ty:ty),*) => {$(
        impl From<$ty> for AppError {
            fn from(err: $ty) -> Self {
                AppError::invalid(err.code(), err.to_string())
            }
        }
    )*};
}

rule_error!(rules::DeadlineError, rules::review::OneTimeRuleError);

/// A rule refused for one of the request's fields names the field, so that the form shows the
/// message there.
macro_rules! rule_error_at_field {
    ($($ty:ty),*) => {$(
        impl From<$ty> for AppError {
            fn from(err: $ty) -> Self {
                let field = err.field();
                let error = AppError::invalid(err.code(), err.to_string());
                match field {
                    Some(field) => error.with_field(field),
                    None => error,
                }
            }
        }
    )*};
}

rule_error_at_field!(rules::ExtensionError, rules::review::ReviewError);

/// A lifecycle step refused from the current status: 409 with the rule's code and message (the
/// resource is in a state that forbids it; re-reading shows why).
macro_rules! lifecycle_refusal {
    ($($ty:ty),*) => {$(
        impl From<$ty> for AppError {
            fn from(err: $ty) -> Self {
                AppError::conflict(err.code(), err.to_string())
            }
        }
    )*};
}

lifecycle_refusal!(
    rules::IllegalTransition,
    rules::lifecycle::TicketRefusal,
    rules::lifecycle::AppointmentRefusal,
    rules::lifecycle::RequestRefusal,
    rules::lifecycle::InquiryRefusal
);
