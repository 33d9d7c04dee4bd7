//! SeaORM entities, one file per table, declared once. Hand-written model logic lives in
//! `services`, never here, so that these stay plain table descriptions.

pub mod audit_head;
pub mod audit_record;
pub mod calendar_day;
pub mod calendar_year;
pub mod case_correction;
pub mod case_counter;
pub mod case_extension;
pub mod case_review;
pub mod case_suspension;
pub mod cases;
pub mod escalation;
pub mod inquiry;
pub mod notice;
pub mod notice_counter;
pub mod notice_print;
pub mod one_time_exception;
pub mod referral;
pub mod service_center;
pub mod service_item;
pub mod staff;
pub mod staff_role;
pub mod staff_window;
pub mod unit;
pub mod violation;
pub mod window;
pub mod window_unit;
