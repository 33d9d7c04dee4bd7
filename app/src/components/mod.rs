//! Pieces shared by pages.

pub mod countdown;
pub mod due_preview;
pub mod feedback;
pub mod form;
pub mod guard;
pub mod hall_clock;
pub mod hours_text;
pub mod layout;
pub mod live;
pub mod suspend;
