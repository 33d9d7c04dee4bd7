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
}

#[derive(Debug)]
pub enum AppError {
    /// A client error: status 4xx with our body.
    Client {
        status: StatusCode,
        body: Box<ErrorBody>,
        retry_after_secs: Option<u64>,
    },
    /// Anything else. Logged, never shown.
    Internal(anyhow::Error),
    /// The database cannot be reached.
    Unavailable(anyhow::Error),
}

impl AppError {
    pub fn client(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        debug_assert!(status.is_client_error());
        AppError::Client {
            status,
            body: Box::new(ErrorBody {
                code: code.into(),
                message: message.into(),
                field: None,
                current: None,
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

    pub fn bad_request(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::client(StatusCode::BAD_REQUEST, code, message)
    }

    /// Well-formed input that breaks a rule (422).
    pub fn invalid(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::client(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn not_found(what: &str) -> Self {
        Self::client(StatusCode::NOT_FOUND, "not_found", format!("{what}不存在"))
    }

    pub fn conflict(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::client(StatusCode::CONFLICT, code, message)
    }

    pub fn unauthenticated() -> Self {
        Self::client(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录")
    }

    pub fn forbidden() -> Self {
        Self::client(StatusCode::FORBIDDEN, "forbidden", "您的角色无权进行此操作")
    }

    pub fn too_many_requests(
        code: &'static str,
        message: impl Into<String>,
        retry_after_secs: u64,
    ) -> Self {
        match Self::client(StatusCode::TOO_MANY_REQUESTS, code, message) {
            AppError::Client { status, body, .. } => AppError::Client {
                status,
                body,
                retry_after_secs: Some(retry_after_secs.max(1)),
            },
            other => other,
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(err.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Client { status, .. } => *status,
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
            AppError::Client { status, body, .. } => {
                write!(f, "{status} {}: {}", body.code, body.message)
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
                status,
                body,
                retry_after_secs,
            } => {
                let mut response = (status, Json(body)).into_response();
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

rule_error!(
    rules::DeadlineError,
    rules::ExtensionError,
    rules::review::ReviewError,
    rules::review::OneTimeRuleError
);
