//! Pieces shared by pages.

use leptos::prelude::*;

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

/// Whether the page runs its script: `false` in the server's render, `true` once hydrated. A
/// control that only a script can work (a print button, a countdown back to the start) is
/// drawn hidden until then, so a browser without JavaScript is not offered a dead button.
pub fn scripted() -> Signal<bool> {
    let on = RwSignal::new(false);
    Effect::new(move || on.set(true));
    on.into()
}
