//! Live refresh: the page listens to the server's events and re-reads its data when something
//! of its topic changed — a change made on another tablet shows here within a second.

use leptos::prelude::*;

/// Bumps `version` whenever an event of `topic` (comma-separated topics allowed) arrives.
/// Renders nothing; on the server it does nothing.
#[component]
pub fn LiveRefresh(topic: &'static str, version: RwSignal<u32>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use send_wrapper::SendWrapper;
        use wasm_bindgen::{JsCast, closure::Closure};

        let url = format!("/api/v1/events?topics={topic}");
        if let Ok(source) = web_sys::EventSource::new(&url) {
            let bump = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |_: web_sys::MessageEvent| {
                    version.update(|v| *v = v.wrapping_add(1));
                },
            );
            for name in topic.split(',').chain(std::iter::once("resync")) {
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
    let _ = (topic, version);
}
