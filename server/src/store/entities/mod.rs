//! SeaORM entities, one file per table, declared once. Hand-written model logic lives in
//! `services`, never here, so that these stay plain table descriptions.

pub mod audit_head;
pub mod audit_record;
pub mod calendar_day;
pub mod calendar_year;
pub mod service_center;
pub mod staff;
pub mod staff_role;
pub mod staff_window;
pub mod unit;
pub mod window;
pub mod window_unit;
