//! The use cases: load, check with the rules, write the state change and its audit record in one
//! transaction. Handlers call these; these never see HTTP.

pub mod appointments;
pub mod audit;
pub mod audit_chain;
pub mod calendar;
pub mod cases;
pub mod catalog;
pub mod inquiries;
pub mod notices;
pub mod org;
pub mod queue;
pub mod staff;
pub mod violations;
