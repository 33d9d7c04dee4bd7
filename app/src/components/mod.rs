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

/// The old name of `hall_clock`, kept answering until the server's renderer
/// (`server/src/web.rs`) names `hall_clock::RenderTime`; remove it then.
pub use hall_clock as clock;
