//! The typed API: request/response types shared with the server, and one function per call.
//! Pages use only these functions; they never build URLs themselves.

pub mod appointments;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cases;
pub mod catalog;
pub mod client;
pub mod error;
pub mod events;
pub mod health;
pub mod inquiries;
pub mod kiosks;
pub mod notices;
pub mod org;
pub mod queue;
pub mod records;
pub mod supervision;
pub mod time;
pub mod validate;

pub use auth::{Me, Role};
pub use client::Method;
pub use error::ApiError;
pub use org::Items;
