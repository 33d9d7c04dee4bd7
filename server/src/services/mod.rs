//! The use cases: load, check with the rules, write the state change and its audit record in one
//! transaction. Handlers call these with the request's [`Ctx`]; these never see HTTP or the
//! router's state.

pub mod appointments;
pub mod audit;
pub mod audit_chain;
pub mod cached;
pub mod calendar;
pub mod cases;
pub mod catalog;
mod ctx;
pub mod inquiries;
pub mod kiosks;
pub mod notices;
pub mod org;
pub mod paging;
mod principal;
pub mod queue;
pub mod staff;
pub mod supervision;
pub mod versioned;
pub mod violations;

pub use ctx::{Ctx, ServiceSettings};
pub use principal::Principal;
