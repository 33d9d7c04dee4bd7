//! The typed lifecycles besides the case's ([`crate::CaseState`]): queue tickets, appointments,
//! requests that a chief representative decides (one-time exceptions, extensions) and inquiries.
//!
//! Each is a status enum with an `apply(event)` that returns the next status or a refusal naming
//! the rule; nothing else may change a status. Statuses and events are stored and sent as stable
//! snake_case codes (the store maps them to its own column values).

#[macro_use]
pub(crate) mod coded;
pub mod appeal;
pub mod appointment;
pub mod inquiry;
pub mod rectification;
pub mod request;
pub mod ticket;

pub use appeal::{AppealEvent, AppealRefusal, AppealStatus};
pub use appointment::{AppointmentEvent, AppointmentRefusal, AppointmentStatus};
pub use coded::UnknownCode;
pub use inquiry::{InquiryEvent, InquiryRefusal, InquiryStatus};
pub use rectification::{
    RectificationActor, RectificationEvent, RectificationRefusal, RectificationStatus,
};
pub use request::{RequestEvent, RequestKind, RequestRefusal, RequestStatus};
pub use ticket::{TicketEvent, TicketRefusal, TicketState, TicketStatus};
