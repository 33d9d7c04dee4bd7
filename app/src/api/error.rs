//! The error every API call can answer with: `{"code","message","field"?}`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[error("{message}")]
pub struct ApiError {
    /// Stable snake_case code, for programs.
    pub code: String,
    /// Simplified Chinese, for people.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// HTTP status (filled in by the client; not part of the body).
    #[serde(default, skip_serializing)]
    pub status: u16,
}

impl ApiError {
    /// The request never reached the server or its answer was unreadable.
    pub fn network(detail: impl std::fmt::Display) -> Self {
        Self {
            code: "network_error".into(),
            message: format!("网络连接失败，请检查网络后重试（{detail}）"),
            field: None,
            status: 0,
        }
    }

    pub fn is_unauthenticated(&self) -> bool {
        self.status == 401
    }
}

impl From<super::validate::Invalid> for ApiError {
    fn from(invalid: super::validate::Invalid) -> Self {
        ApiError {
            code: invalid.code.into(),
            message: invalid.message,
            field: Some(invalid.field),
            status: 422,
        }
    }
}
