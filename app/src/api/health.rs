use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` or `unavailable`
    pub status: String,
    /// `sqlite` or `postgres`
    pub database: String,
    pub version: String,
}
