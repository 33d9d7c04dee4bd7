//! Pages for citizens and companies: no account needed, usable without JavaScript.

pub mod booking;
pub mod center_choice;
pub mod commitment;
pub mod display;
pub mod guide;
pub mod guide_item;
pub mod home;
pub mod kiosk;
pub mod one_time_notice;
pub mod rate_entry;
pub mod systems;
pub mod track;
