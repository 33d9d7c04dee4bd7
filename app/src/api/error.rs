//! The error every API call can answer with: `{"code","message","field"?}`, and `problems`
//! when an input had more than one field wrong (every one of them, the first repeated).

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
    /// Every field that is wrong, when more than one is (the first is the one named above).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<FieldProblem>,
}

/// One field that is wrong, among several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldProblem {
    pub code: String,
    pub field: String,
    pub message: String,
}

impl From<&super::validate::Invalid> for FieldProblem {
    fn from(invalid: &super::validate::Invalid) -> Self {
        FieldProblem {
            code: invalid.code.into(),
            field: invalid.field.clone(),
            message: invalid.message.clone(),
        }
    }
}

impl ApiError {
    /// The request never reached the server or its answer was unreadable.
    pub fn network(detail: impl std::fmt::Display) -> Self {
        Self {
            code: "network_error".into(),
            message: format!("网络连接失败，请检查网络后重试（{detail}）"),
            field: None,
            status: 0,
            problems: Vec::new(),
        }
    }

    /// The browser is offline: the call was not sent. Writes say that nothing was done.
    pub fn offline(write: bool) -> Self {
        let message = if write {
            "网络已断开，操作未发送。请在网络恢复后重新提交。"
        } else {
            "网络已断开，暂时无法读取最新数据。网络恢复后页面会自动更新。"
        };
        Self {
            code: "offline".into(),
            message: message.into(),
            field: None,
            status: 0,
            problems: Vec::new(),
        }
    }

    /// The connection broke while a call was under way: a write may or may not have arrived, so
    /// the person checks the page (it refreshes when the network returns) before trying again; a
    /// step sent again with its old version is refused, never applied twice.
    pub fn connection_lost(write: bool) -> Self {
        let message = if write {
            "网络连接中断，无法确认操作是否已送达。网络恢复后页面会自动更新，请先核对最新状态再决定\
                是否重新提交。"
        } else {
            "网络连接中断，暂时无法读取最新数据。网络恢复后页面会自动更新。"
        };
        Self {
            code: "network_error".into(),
            message: message.into(),
            field: None,
            status: 0,
            problems: Vec::new(),
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
            problems: Vec::new(),
        }
    }
}

impl From<super::validate::Problems> for ApiError {
    fn from(problems: super::validate::Problems) -> Self {
        let all: Vec<FieldProblem> = problems.iter().map(FieldProblem::from).collect();
        let mut error = ApiError::from(problems.first().clone());
        if all.len() > 1 {
            error.problems = all;
        }
        error
    }
}

impl ApiError {
    /// Every field this error concerns with its message: each of `problems`, or the one `field`.
    pub fn field_messages(&self) -> Vec<(String, String)> {
        if self.problems.is_empty() {
            let field = self.field.clone();
            field
                .map(|f| (f, self.message.clone()))
                .into_iter()
                .collect()
        } else {
            let each = self.problems.iter();
            each.map(|p| (p.field.clone(), p.message.clone())).collect()
        }
    }
}
