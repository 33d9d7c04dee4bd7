//! The organisation: service centers, units and windows. Nothing is ever hard-deleted: a
//! deactivated record keeps its history (cases, notices and audit records point at it).

mod centers;
mod units;
mod windows;

pub use centers::*;
pub use units::*;
pub use windows::*;
