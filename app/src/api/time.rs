//! The server's clock: the browser sets its countdowns by it, not by the tablet's own clock
//! (which may be wrong), and scenario tests that move the server's clock move the UI too.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{ApiError, client::get};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServerTime {
    pub now: DateTime<Utc>,
    /// The halls' offset from UTC now (China Standard Time: 28800).
    pub utc_offset_seconds: i32,
    /// The halls' local date.
    #[serde(deserialize_with = "rules::wire_date::deserialize")]
    pub today: NaiveDate,
}

impl ServerTime {
    pub fn offset(&self) -> FixedOffset {
        FixedOffset::east_opt(self.utc_offset_seconds)
            .unwrap_or_else(|| FixedOffset::east_opt(8 * 3600).expect("+08:00"))
    }
}

pub async fn now() -> Result<ServerTime, ApiError> {
    get("/api/v1/time".into()).await
}
