//! The audit chain check.

use serde::{Deserialize, Serialize};

use super::{ApiError, client::get};

/// The outcome of walking the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Verification {
    pub ok: bool,
    pub records: u64,
    /// The first record whose content or link does not match, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_broken_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

pub async fn verify() -> Result<Verification, ApiError> {
    get("/api/v1/audit/verify".into()).await
}
