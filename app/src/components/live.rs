//! Live refresh: the page listens to the server's events and re-reads its data when something
//! of its topics changed — a change made on another tablet shows here within a second.
//!
//! When the network drops, the browser's event stream reconnects by itself (a stream the browser
//! gave up on is opened again); once it is back, or the browser is online again, the page re-reads
//! its data, so that it catches up on whatever it missed meanwhile.

use leptos::prelude::*;

use crate::api::events::Topic;

/// Bumps `version` whenever an event of one of `topics` arrives, the server says some were
/// missed (`resync`), or the connection came back after a loss. Renders nothing; on the server it
/// does nothing.
#[component]
pub fn LiveRefresh(topics: &'static [Topic], version: RwSignal<u32>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    listen(topics, version);
    #[cfg(not(feature = "hydrate"))]
    let _ = (topics, version);
}

#[cfg(feature = "hydrate")]
fn listen(topics: &'static [Topic], version: RwSignal<u32>) {
    use std::{cell::Cell, cell::RefCell, rc::Rc};

    use gloo_timers::callback::Timeout;
    use send_wrapper::SendWrapper;
    use wasm_bindgen::{JsCast, closure::Closure};
    use web_sys::EventSource;

    /// How long to wait before opening a stream the browser gave up on.
    const REOPEN_MS: u32 = 3_000;

    type Listener = Closure<dyn FnMut(web_sys::Event)>;
    struct Live {
        source: RefCell<Option<EventSource>>,
        lost: Cell<bool>,
        reopen: RefCell<Option<Timeout>>,
        on_event: RefCell<Option<Listener>>,
        on_open: RefCell<Option<Listener>>,
        on_error: RefCell<Option<Listener>>,
    }

    let codes: Vec<&'static str> = topics.iter().map(|t| t.code()).collect();
    let url = format!("/api/v1/events?topics={}", codes.join(","));
    let bump = move || version.update(|v| *v = v.wrapping_add(1));
    let live = Rc::new(Live {
        source: RefCell::new(None),
        lost: Cell::new(false),
        reopen: RefCell::new(None),
        on_event: RefCell::new(None),
        on_open: RefCell::new(None),
        on_error: RefCell::new(None),
    });

    fn open(live: &Rc<Live>, url: &str, codes: &[&str]) {
        let Ok(source) = EventSource::new(url) else {
            return;
        };
        let target: &web_sys::EventTarget = source.as_ref();
        if let Some(f) = live.on_event.borrow().as_ref() {
            for name in codes.iter().copied().chain(std::iter::once("resync")) {
                let _ = target.add_event_listener_with_callback(name, f.as_ref().unchecked_ref());
            }
        }
        if let Some(f) = live.on_open.borrow().as_ref() {
            let _ = target.add_event_listener_with_callback("open", f.as_ref().unchecked_ref());
        }
        if let Some(f) = live.on_error.borrow().as_ref() {
            let _ = target.add_event_listener_with_callback("error", f.as_ref().unchecked_ref());
        }
        if let Some(old) = live.source.replace(Some(source)) {
            old.close();
        }
    }

    *live.on_event.borrow_mut() = Some(Closure::new(move |_: web_sys::Event| bump()));
    {
        let weak = Rc::downgrade(&live);
        *live.on_open.borrow_mut() = Some(Closure::new(move |_: web_sys::Event| {
            // Back after a loss: re-read what may have changed meanwhile.
            if let Some(live) = weak.upgrade()
                && live.lost.replace(false)
            {
                bump();
            }
        }));
    }
    {
        let weak = Rc::downgrade(&live);
        let (url, codes) = (url.clone(), codes.clone());
        *live.on_error.borrow_mut() = Some(Closure::new(move |_: web_sys::Event| {
            let Some(live) = weak.upgrade() else {
                return;
            };
            live.lost.set(true);
            let closed = live
                .source
                .borrow()
                .as_ref()
                .is_some_and(|s| s.ready_state() == EventSource::CLOSED);
            if closed && live.reopen.borrow().is_none() {
                // The browser gave up on this stream: open a new one a little later.
                let weak = Rc::downgrade(&live);
                let (url, codes) = (url.clone(), codes.clone());
                *live.reopen.borrow_mut() = Some(Timeout::new(REOPEN_MS, move || {
                    if let Some(live) = weak.upgrade() {
                        live.reopen.borrow_mut().take();
                        open(&live, &url, &codes);
                    }
                }));
            }
        }));
    }
    open(&live, &url, &codes);

    // The browser is online again: catch up now, and reopen a stream that was given up.
    let on_online = {
        let weak = Rc::downgrade(&live);
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            bump();
            let Some(live) = weak.upgrade() else {
                return;
            };
            let closed = live
                .source
                .borrow()
                .as_ref()
                .is_none_or(|s| s.ready_state() == EventSource::CLOSED);
            if closed {
                live.reopen.borrow_mut().take();
                open(&live, &url, &codes);
            }
        })
    };
    let window = web_sys::window();
    if let Some(w) = &window {
        let _ = w.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    }
    let held = SendWrapper::new((live, on_online, window));
    on_cleanup(move || {
        let (live, on_online, window) = held.take();
        if let Some(w) = window {
            let _ =
                w.remove_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        }
        live.reopen.borrow_mut().take();
        if let Some(source) = live.source.borrow_mut().take() {
            source.close();
        }
    });
}

/// Bumps `version` once the hall clock passes `at` (a moment the data is known to change
/// without any event: the hall opening, the ticket cut-off). A kiosk left on from before 09:00
/// said "尚未开始办公" until someone took a ticket elsewhere. A moment already past when the
/// data was read is not waited for (the server's answer is then the newer one).
#[component]
pub fn RefreshAt(
    at: Option<chrono::DateTime<chrono::Utc>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let clock = crate::components::hall_clock::HallClock::get();
    let at = at
        .map(|at| clock.to_local(at) + chrono::TimeDelta::seconds(1))
        .filter(|&at| clock.local_now_untracked() < at);
    if let Some(at) = at {
        let fired = StoredValue::new(false);
        Effect::new(move || {
            if clock.local_now() >= at && !fired.get_value() {
                fired.set_value(true);
                version.update(|v| *v = v.wrapping_add(1));
            }
        });
    }
}
