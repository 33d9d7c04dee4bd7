//! Pieces shared by pages.

pub mod calendar_warning;
pub mod connection;
pub mod countdown;
pub mod due_preview;
pub mod feedback;
pub mod form;
pub mod guard;
pub mod hall_clock;
pub mod hall_closed;
pub mod hours_text;
pub mod layout;
pub mod live;
pub mod rating_slip;
pub mod suspend;
