//! The hall clock: one shared "now" for the whole page. It ticks once a second in the browser
//! and follows the server's clock (the tablet's own clock may be off); every countdown derives
//! from it by computing due − now with the shared rules, so countdowns never drift.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeDelta, Utc};
use leptos::prelude::*;

/// The server's "now" for one server-side render (the server's clock may be injected in tests or
/// shifted for a demo); in the browser the clock follows `/api/v1/time` instead.
#[derive(Clone, Copy)]
pub struct RenderTime(pub DateTime<Utc>);

/// The render's time: on the server from the context; in the browser from the page's
/// `<meta name="chuangkou-render-time">`.
fn render_time() -> Option<RenderTime> {
    #[cfg(feature = "hydrate")]
    {
        let meta = web_sys::window()?
            .document()?
            .query_selector("meta[name=chuangkou-render-time]")
            .ok()??;
        let at = DateTime::parse_from_rfc3339(&meta.get_attribute("content")?).ok()?;
        Some(RenderTime(at.with_timezone(&Utc)))
    }
    #[cfg(not(feature = "hydrate"))]
    use_context::<RenderTime>()
}

#[derive(Clone, Copy)]
pub struct HallClock {
    now: RwSignal<DateTime<Utc>>,
    offset: RwSignal<FixedOffset>,
}

impl HallClock {
    /// Creates the page's clock and starts it (in the browser).
    pub fn provide() -> Self {
        let clock = HallClock {
            now: RwSignal::new(render_time().map_or_else(Utc::now, |t| t.0)),
            offset: RwSignal::new(FixedOffset::east_opt(8 * 3600).expect("+08:00")),
        };
        provide_context(clock);
        #[cfg(feature = "hydrate")]
        clock.start();
        clock
    }

    pub fn get() -> Self {
        expect_context::<HallClock>()
    }

    /// Now, in the halls' local civil time (what the rules compute with).
    pub fn local_now(&self) -> NaiveDateTime {
        (self.now.get() + TimeDelta::seconds(i64::from(self.offset.get().local_minus_utc())))
            .naive_utc()
    }

    /// Now, read once (for initial values; does not re-run when the clock ticks).
    pub fn local_now_untracked(&self) -> NaiveDateTime {
        let offset = self.offset.get_untracked().local_minus_utc();
        (self.now.get_untracked() + TimeDelta::seconds(i64::from(offset))).naive_utc()
    }

    /// Converts an instant to the halls' local time.
    pub fn to_local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        instant
            .with_timezone(&self.offset.get_untracked())
            .naive_local()
    }

    /// The instant of a local hall time (e.g. typed into a date-time field).
    pub fn from_local(&self, t: NaiveDateTime) -> DateTime<Utc> {
        let offset = self.offset.get_untracked().local_minus_utc();
        (t - TimeDelta::seconds(i64::from(offset))).and_utc()
    }

    /// "17:00–19:00": a span of two instants in hall time.
    pub fn time_range(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
        crate::format::time_range(self.to_local(start).time(), self.to_local(end).time())
    }

    #[cfg(feature = "hydrate")]
    fn start(self) {
        use gloo_timers::callback::Interval;
        use send_wrapper::SendWrapper;

        // Until the server's time is read: the offset of the render's time (the page was just
        // rendered), so that the first values after hydration are the server's.
        let skew = RwSignal::new(render_time().map_or_else(TimeDelta::zero, |t| t.0 - Utc::now()));
        let server = LocalResource::new(crate::api::time::now);
        Effect::new(move |_| {
            if let Some(Ok(server_time)) = server.get() {
                skew.set(server_time.now - Utc::now());
                self.offset.set(server_time.offset());
                self.now.set(server_time.now);
            }
        });
        let interval = Interval::new(1_000, move || {
            self.now.set(Utc::now() + skew.get_untracked());
        });
        let interval = SendWrapper::new(interval);
        on_cleanup(move || drop(interval));
    }
}
