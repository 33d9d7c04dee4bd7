//! One module per page, grouped by who uses it.

pub mod admin;
pub mod bulletin;
pub mod chief;
pub mod clerk;
pub mod interviews;
pub mod login;
pub mod monthly_export;
pub mod not_found;
pub mod notice_print;
pub mod patrol;
pub mod problem_new;
pub mod public;
pub mod queue_day;
pub mod ratings;
pub mod reassignments;
pub mod records;
pub mod scores;
pub mod supervision;
pub mod supervisor;
pub mod unit_supervision;
