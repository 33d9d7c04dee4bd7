//! The network dropped (a tablet on the hall's Wi-Fi): a banner says so while it lasts. Calls made
//! meanwhile are refused at once with a clear message (see `api::client`), and the live pages catch
//! up by themselves when the network returns (see `live`).

use leptos::prelude::*;

/// Whether the browser says it is online. On the server, and until the page is hydrated, online.
#[cfg(feature = "hydrate")]
pub fn browser_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// A banner while the browser is offline; nothing otherwise.
#[component]
pub fn ConnectionBanner() -> impl IntoView {
    let online = RwSignal::new(true);
    #[cfg(feature = "hydrate")]
    watch_connection(online);
    move || {
        (!online.get()).then(|| {
            view! {
                <div class="offline-banner" role="alert">
                    <strong>"网络已断开"</strong>
                    "：页面上显示的可能不是最新情况，此时提交的操作不会发送。网络恢复后页面会自动更\
                        新。"
                </div>
            }
        })
    }
}

#[cfg(feature = "hydrate")]
fn watch_connection(online: RwSignal<bool>) {
    use send_wrapper::SendWrapper;
    use wasm_bindgen::{JsCast, closure::Closure};

    let Some(window) = web_sys::window() else {
        return;
    };
    // After hydration (the server rendered "online").
    Effect::new(move |_| online.set(browser_online()));
    let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        online.set(browser_online());
    });
    for name in ["online", "offline"] {
        let _ = window.add_event_listener_with_callback(name, on_change.as_ref().unchecked_ref());
    }
    let held = SendWrapper::new((window, on_change));
    on_cleanup(move || {
        let (window, on_change) = held.take();
        for name in ["online", "offline"] {
            let _ = window
                .remove_event_listener_with_callback(name, on_change.as_ref().unchecked_ref());
        }
    });
}
