//! 窗口工作台: the clerk's tablet workbench — today's cases with live deadlines, receiving and
//! reviewing applications, inquiries and referrals.

mod appointments;
mod case;
mod case_handover;
mod inquiries;
mod queue;
mod receipt;
mod receive;
mod review;
mod workbench;

pub use appointments::ClerkAppointments;
pub use case::{CasePage, CaseReadOnlyPage};
pub use inquiries::InquiriesPage;
pub use queue::QueuePanel;
pub use receipt::ReceiptPage;
pub use receive::ReceivePage;
pub use workbench::{CaseTable, Workbench};
