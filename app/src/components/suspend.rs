//! `Suspend` that builds its view once per server render.
//!
//! On the server, Leptos 0.8's `<Suspense>` walks its children before rendering them
//! (`dry_resolve`), and again each time its pending tasks empty: every walk calls the
//! `move || Suspend::new(…)` closure and polls the new future once. When the data are already
//! there, that poll builds the whole view, so the components inside it run again and every
//! `Resource` they create takes a fresh hydration id. The browser creates each resource once, so
//! its ids no longer match the server's: a resource reads another one's data (even an error left
//! by a copy whose owner was dropped mid-request) and hydration panics. How many extra walks there
//! are depends on timing, which made pages such as the slot admin fail one load in a few.
//!
//! Yielding once before the real work makes the walk's single poll return `Pending`, so the view
//! is built only when the Suspense renders it. The browser does not yield: hydration needs the
//! view at once, from the data the server sent.

use std::future::Future;

use leptos::prelude::Suspend;

/// `Suspend::new`, with the server-side yield described above. Use it for every `Suspend`.
#[cfg(feature = "ssr")]
#[allow(clippy::disallowed_methods)] // the one place that may build a Suspend directly
pub fn suspend<V>(fut: impl Future<Output = V> + Send + 'static) -> Suspend<V> {
    Suspend::new(async move {
        YieldOnce(false).await;
        fut.await
    })
}

/// `Suspend::new`: in the browser the view is built on the first poll, as hydration needs.
#[cfg(not(feature = "ssr"))]
#[allow(clippy::disallowed_methods)] // the one place that may build a Suspend directly
pub fn suspend<V>(fut: impl Future<Output = V> + Send + 'static) -> Suspend<V> {
    Suspend::new(fut)
}

/// Pending on the first poll (asking to be polled again), ready on the next.
#[cfg(feature = "ssr")]
struct YieldOnce(bool);

#[cfg(feature = "ssr")]
impl Future for YieldOnce {
    type Output = ();

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            std::task::Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }
}
