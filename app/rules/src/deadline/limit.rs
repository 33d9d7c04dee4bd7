//! Time limits and due moments.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The promised or immediate time limit of a service item.
///
/// Source: Seed §二(三)二 (即办件实行以分钟或小时计算，承诺件以工作日计算).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimeLimit {
    /// 即办件: business minutes from clock start (an hours limit is given as minutes); only time
    /// inside the sessions counts (issue #11 point 4).
    Immediate {
        /// Minutes allowed.
        minutes: u32,
    },
    /// 承诺件: working days after the day of clock start.
    Promised {
        /// Working days allowed.
        working_days: u32,
    },
}

impl TimeLimit {
    /// The limit in Chinese, e.g. 「承诺件，5个工作日」. Source: Seed §二(三)三
    /// (告知申请人办理时限).
    pub fn label_zh(&self) -> String {
        match self {
            Self::Immediate { minutes } if minutes % 60 == 0 && *minutes > 0 => {
                format!("即办件，{}小时", minutes / 60)
            }
            Self::Immediate { minutes } => format!("即办件，{minutes}分钟"),
            Self::Promised { working_days } => format!("承诺件，{working_days}个工作日"),
        }
    }
}

/// When a case is due: a local moment, or no moment while the clock is stopped by a special
/// procedure.
///
/// Source: Seed §二(三)二; 行政许可法 第四十五条 (special procedures are not counted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "at", rename_all = "snake_case")]
pub enum Due {
    /// Due at this local moment (close of business for promised items, 民法典 第二百零三条).
    At(NaiveDateTime),
    /// A suspension is open: no due moment until it ends.
    Suspended,
}

impl Due {
    /// The due moment, if the clock runs. Source: Seed §二(三)二.
    pub fn at(&self) -> Option<NaiveDateTime> {
        match self {
            Self::At(t) => Some(*t),
            Self::Suspended => None,
        }
    }

    /// Whether the clock is stopped. Source: 行政许可法 第四十五条.
    pub fn is_suspended(&self) -> bool {
        matches!(self, Self::Suspended)
    }
}

/// A due computed in the service layer's provisional mode (unknown years guessed), flagged
/// 「暂定」 when it relied on a year not yet published.
///
/// Source: issue #4 unknown-year policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProvisionalDue {
    /// The due.
    pub due: Due,
    /// True when a year not held was guessed.
    pub provisional: bool,
}
