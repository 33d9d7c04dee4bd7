//! Pages for citizens and companies: no account needed, usable without JavaScript.

pub mod commitment;
pub mod guide;
pub mod guide_item;
pub mod home;
pub mod one_time_notice;
pub mod track;
