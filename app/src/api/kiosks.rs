//! Registered kiosks: the hall's own ticket machines, exempt from the per-address limit on
//! anonymous writes by a device token an administrator sets up.

use serde::{Deserialize, Serialize};

use super::validate::{Invalid, required_text};

/// Registers a kiosk of a center (Admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KioskInput {
    pub center_id: i64,
    /// Where it stands, e.g. "一楼大厅取号机".
    pub name: String,
}

impl KioskInput {
    pub fn validated(&self) -> Result<Self, Invalid> {
        Ok(Self {
            center_id: self.center_id,
            name: required_text(&self.name, "name", "取号机名称", 40)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KioskView {
    pub id: i64,
    pub center_id: i64,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A kiosk just registered, with its device token: shown once, never stored in clear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KioskRegistered {
    pub kiosk: KioskView,
    pub token: String,
}
