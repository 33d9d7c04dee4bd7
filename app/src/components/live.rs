//! Live refresh: the page listens to the server's events and re-reads its data when something
//! of its topics changed — a change made on another tablet shows here within a second.

use leptos::prelude::*;

use crate::api::events::Topic;

/// Bumps `version` whenever an event of one of `topics` arrives, or the server says some were
/// missed (`resync`). Renders nothing; on the server it does nothing.
#[component]
pub fn LiveRefresh(topics: &'static [Topic], version: RwSignal<u32>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use send_wrapper::SendWrapper;
        use wasm_bindgen::{JsCast, closure::Closure};

        let codes: Vec<&str> = topics.iter().map(|t| t.code()).collect();
        let url = format!("/api/v1/events?topics={}", codes.join(","));
        if let Ok(source) = web_sys::EventSource::new(&url) {
            let bump = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |_: web_sys::MessageEvent| {
                    version.update(|v| *v = v.wrapping_add(1));
                },
            );
            for name in codes.into_iter().chain(std::iter::once("resync")) {
                let _ =
                    source.add_event_listener_with_callback(name, bump.as_ref().unchecked_ref());
            }
            let held = SendWrapper::new((source, bump));
            on_cleanup(move || {
                let (source, _bump) = held.take();
                source.close();
            });
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (topics, version);
}
