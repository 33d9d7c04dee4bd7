//! Chuangkou's web app (Leptos): pages per role, components, the typed API client and the types
//! shared with the server. The pure rules live in the `rules` crate beside it and run here too:
//! due-date previews and countdowns in the browser use the very functions the server enforces.

#![recursion_limit = "512"]

pub mod api;
pub mod components;
pub mod format;
pub mod pages;
pub mod session;
mod shell;

pub use shell::{App, HydrationBundle, StyleHref, is_citizen_page, shell};

/// The browser entry point: attach to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    #[cfg(feature = "citizen-bundle")]
    shell::leave_staff_links_to_the_browser();
    leptos::mount::hydrate_body(App);
    // A marker for the browser tests: the page is interactive from here on.
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"__chuangkou_hydrated".into(), &true.into());
    }
}
