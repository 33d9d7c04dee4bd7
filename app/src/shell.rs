//! The HTML document and the route table.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    hooks::use_location,
    path,
};

// The citizen bundle leaves the staff pages out (`staff_page!`).
#[cfg_attr(feature = "citizen-bundle", allow(unused_imports))]
use crate::{
    components::{
        connection::ConnectionBanner,
        hall_clock::{HallClock, RenderTime},
        layout::{Footer, Header},
    },
    pages::{
        admin::{
            AdminCalendar, AdminCatalog, AdminCenters, AdminHome, AdminSlots, AdminStaff,
            AdminUnits, AdminWindows,
        },
        bulletin::BulletinPage,
        chief::ChiefDesk,
        clerk::{
            CasePage, CaseReadOnlyPage, ClerkAppointments, InquiriesPage, QueuePanel, ReceiptPage,
            ReceivePage, Workbench,
        },
        interviews::InterviewsPage,
        login::LoginPage,
        not_found::NotFound,
        notice_print::NoticePrintPage,
        patrol::PatrolPage,
        problem_new::NewProblemPage,
        public::{
            booking::{BookingLookup, BookingPage, BookingReschedule},
            commitment::CommitmentDocs,
            display::CallDisplay,
            guide::GuideList,
            guide_item::GuideItem,
            home::Home,
            kiosk::{Kiosk, KioskTicket},
            one_time_notice::OneTimeNotice,
            rate_entry::RateEntry,
            systems::ServiceSystems,
            track::Track,
        },
        ratings::RatingList,
        records::{BookingRecordPage, TicketRecordPage},
        scores::ScoresPage,
        supervision::{
            DecidedPage, MonthlyPage, ProblemList, ProblemPage, RatePage, RectificationList,
            SupervisionOverview,
        },
        supervisor::SupervisorDesk,
        unit_supervision::UnitSupervisionPage,
    },
    session::Session,
};

/// A staff or hall-device page in the route table. The citizen bundle (feature
/// `citizen-bundle`, issue 14 point 6) is the browser build the public pages load: it keeps the
/// route table whole, so that it matches the same routes as the server, but a staff page's code
/// is left out and a navigation to one loads that page from the server with the full bundle.
#[cfg(not(feature = "citizen-bundle"))]
macro_rules! staff_page {
    ($page:ident) => {
        $page
    };
}
#[cfg(feature = "citizen-bundle")]
macro_rules! staff_page {
    ($page:ident) => {
        StaffPage
    };
}

/// Where the page's stylesheet is: the bundle's CSS under its content-hashed name when the
/// server gave it one (issue 14 point 7), provided by the server for each render.
#[derive(Clone, Debug)]
pub struct StyleHref(pub String);

/// The browser build a page loads when the server chose the citizen bundle (for a citizen page,
/// see [`is_citizen_page`]): the addresses of its script and its wasm.
#[derive(Clone, Debug)]
pub struct HydrationBundle {
    pub js: String,
    pub wasm: String,
}

/// Loads the citizen bundle and hydrates, as Leptos' `HydrationScripts` does but without its
/// `preload` of the wasm: on a phone's network that download competed with the page's own
/// stylesheet before the first paint (Lighthouse's simulated slow 4G counted the page's largest
/// paint after it: 2.7 s instead of 1.0 s). The script, small, is still preloaded; it asks for
/// the wasm once it runs.
#[component]
fn CitizenHydrationScripts(bundle: HydrationBundle) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    let HydrationBundle { js, wasm } = bundle;
    let start = format!(
        "import({js:?}).then(m => m.default({{module_or_path: {wasm:?}}}).then(() => m.hydrate()));"
    );
    view! {
        <link rel="modulepreload" href=js />
        <script type="module" nonce=nonce>
            {start}
        </script>
    }
}

/// Whether `path` is one of the public pages a citizen opens on a phone (home, guide, tracking,
/// booking, rating): the server sends those with the citizen bundle when it has one. Exactly the
/// citizen routes of [`App`]'s table; a path it does not know gets the full bundle, which has
/// every page.
pub fn is_citizen_page(path: &str) -> bool {
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or("-").split('/').collect();
    match segments.as_slice() {
        [""] | ["guide" | "track" | "systems" | "booking" | "rate"] => true,
        ["booking", "view" | "reschedule"] => true,
        ["guide" | "rate", code] => !code.is_empty(),
        ["guide", code, "notice" | "commitment"] => !code.is_empty(),
        _ => false,
    }
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let scripts = match use_context::<HydrationBundle>() {
        Some(bundle) => view! { <CitizenHydrationScripts bundle /> }.into_any(),
        None => view! { <HydrationScripts options=options.clone() /> }.into_any(),
    };
    let style = use_context::<StyleHref>()
        .map(|s| s.0)
        .unwrap_or_else(|| "/pkg/chuangkou.css".to_string());
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#9f1c1c" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // The server's "now" of this render: the browser's clock starts from it, so that
                // hydration computes what the server rendered even when the tablet's clock is off.
                {use_context::<RenderTime>()
                    .map(|t| {
                        view! { <meta name="chuangkou-render-time" content=t.0.to_rfc3339() /> }
                    })}
                <link rel="stylesheet" id="leptos" href=style />
                <AutoReload options=options.clone() />
                {scripts}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    Session::provide();
    HallClock::provide();
    // Every page is rendered whole on the server before it is sent, so that it is readable and
    // usable before (or without) the wasm bundle.
    let ssr = SsrMode::Async;
    view! {
        <Title formatter=|title: String| {
            if title.is_empty() {
                "政务窗口".to_string()
            } else {
                format!("{title} · 政务窗口")
            }
        } />
        <Router>
            <HallDeviceFrame header=true />
            <ConnectionBanner />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home ssr=ssr.clone() />
                    <Route path=path!("/login") view=staff_page!(LoginPage) ssr=ssr.clone() />
                    <Route path=path!("/guide") view=GuideList ssr=ssr.clone() />
                    <Route path=path!("/guide/:code") view=GuideItem ssr=ssr.clone() />
                    <Route path=path!("/guide/:code/notice") view=OneTimeNotice ssr=ssr.clone() />
                    <Route
                        path=path!("/guide/:code/commitment")
                        view=CommitmentDocs
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/track") view=Track ssr=ssr.clone() />
                    <Route path=path!("/systems") view=ServiceSystems ssr=ssr.clone() />
                    <Route path=path!("/booking") view=BookingPage ssr=ssr.clone() />
                    <Route path=path!("/booking/view") view=BookingLookup ssr=ssr.clone() />
                    <Route
                        path=path!("/booking/reschedule")
                        view=BookingReschedule
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/kiosk") view=staff_page!(Kiosk) ssr=ssr.clone() />
                    <Route
                        path=path!("/kiosk/ticket/:id")
                        view=staff_page!(KioskTicket)
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/display") view=staff_page!(CallDisplay) ssr=ssr.clone() />
                    <Route path=path!("/clerk") view=staff_page!(Workbench) ssr=ssr.clone() />
                    <Route
                        path=path!("/clerk/receive")
                        view=staff_page!(ReceivePage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/clerk/inquiries")
                        view=staff_page!(InquiriesPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/clerk/queue")
                        view=staff_page!(QueuePanel)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/clerk/appointments")
                        view=staff_page!(ClerkAppointments)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/clerk/cases/:id")
                        view=staff_page!(CasePage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/clerk/cases/:id/receipt")
                        view=staff_page!(ReceiptPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/cases/:id")
                        view=staff_page!(CaseReadOnlyPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/notices/:id/print")
                        view=staff_page!(NoticePrintPage)
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/chief") view=staff_page!(ChiefDesk) ssr=ssr.clone() />
                    <Route
                        path=path!("/chief/bulletin")
                        view=staff_page!(BulletinPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/unit/supervision")
                        view=staff_page!(UnitSupervisionPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor")
                        view=staff_page!(SupervisorDesk)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/overview")
                        view=staff_page!(SupervisionOverview)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/problems")
                        view=staff_page!(ProblemList)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/problems/:id")
                        view=staff_page!(ProblemPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/rectifications")
                        view=staff_page!(RectificationList)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/monthly")
                        view=staff_page!(MonthlyPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/bulletin")
                        view=staff_page!(BulletinPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/patrol")
                        view=staff_page!(PatrolPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/scores")
                        view=staff_page!(ScoresPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/new-problem")
                        view=staff_page!(NewProblemPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/ratings")
                        view=staff_page!(RatingList)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/interviews")
                        view=staff_page!(InterviewsPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/decided")
                        view=staff_page!(DecidedPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/tickets/:id")
                        view=staff_page!(TicketRecordPage)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/bookings/:id")
                        view=staff_page!(BookingRecordPage)
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/rate") view=RateEntry ssr=ssr.clone() />
                    <Route path=path!("/rate/:code") view=RatePage ssr=ssr.clone() />
                    <Route path=path!("/admin") view=staff_page!(AdminHome) ssr=ssr.clone() />
                    <Route
                        path=path!("/admin/centers")
                        view=staff_page!(AdminCenters)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/admin/units")
                        view=staff_page!(AdminUnits)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/admin/windows")
                        view=staff_page!(AdminWindows)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/admin/staff")
                        view=staff_page!(AdminStaff)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/admin/catalog")
                        view=staff_page!(AdminCatalog)
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/admin/calendar")
                        view=staff_page!(AdminCalendar)
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/admin/slots") view=staff_page!(AdminSlots) ssr=ssr />
                </Routes>
            </main>
            <HallDeviceFrame header=false />
        </Router>
    }
}

/// A staff page in the citizen bundle: the router reached it from a citizen page, and the page's
/// code is in the full bundle, which the server sends with the page. Loaded anew from there.
#[cfg(feature = "citizen-bundle")]
#[component]
fn StaffPage() -> impl IntoView {
    let location = use_location();
    Effect::new(move |_| {
        let path = location.pathname.get_untracked();
        // Never to a citizen page: the server sends this bundle with it, so loading it anew would
        // only bring this bundle back. The router has not put the new address in the browser's
        // bar yet, so the browser is sent to it (a reload would load the page left).
        if !is_citizen_page(&path)
            && let Some(window) = web_sys::window()
        {
            let search = location.search.get_untracked();
            let hash = location.hash.get_untracked();
            let query = if search.is_empty() {
                String::new()
            } else {
                format!("?{search}")
            };
            let _ = window.location().assign(&format!("{path}{query}{hash}"));
        }
    });
    view! { <p role="status">"正在打开页面…"</p> }
}

/// In the citizen bundle, a link to a staff page is left to the browser: the router would open
/// the page in this bundle, which does not have it. Listens before the router (capture, on the
/// window) and keeps the click from reaching it; the browser then loads the page, with the full
/// bundle, as any link.
#[cfg(feature = "citizen-bundle")]
pub(crate) fn leave_staff_links_to_the_browser() {
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    let Some(window) = web_sys::window() else {
        return;
    };
    let origin = window.location().origin().unwrap_or_default();
    let on_click = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let anchor = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        if let Some(anchor) = anchor
            && anchor.origin() == origin
            && anchor.target().is_empty()
            && !anchor.has_attribute("download")
            && !is_citizen_page(&anchor.pathname())
        {
            ev.stop_propagation();
        }
    });
    let _ = window.add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    // For the page's whole life, as the router's own listener.
    on_click.forget();
}

/// Whether `path` is a page of the hall's own devices (the kiosk by the door, the call display):
/// they run unattended and full screen, without the site's header, navigation or staff login.
pub(crate) fn is_hall_device(path: &str) -> bool {
    ["/kiosk", "/display"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// The site's header (`header`) or footer, except on the hall's devices.
#[component]
fn HallDeviceFrame(header: bool) -> impl IntoView {
    let location = use_location();
    // Re-rendered only when the page changes kind, not on every navigation.
    let device = Memo::new(move |_| is_hall_device(&location.pathname.get()));
    move || {
        if device.get() {
            None
        } else if header {
            Some(
                view! {
                    // The router keeps the browser from moving focus to #main by itself: the
                    // next Tab went back to the header. The link moves it (without JavaScript the
                    // browser does).
                    <a
                        class="skip-link"
                        href="#main"
                        on:click=|ev| {
                            ev.prevent_default();
                            crate::components::form::focus_field("main");
                        }
                    >
                        "跳到主要内容"
                    </a>
                    <Header />
                }
                .into_any(),
            )
        } else {
            Some(view! { <Footer /> }.into_any())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_citizen_page, is_hall_device};

    #[test]
    fn the_kiosk_and_the_display_are_hall_devices_and_nothing_else_is() {
        assert!(is_hall_device("/kiosk"));
        assert!(is_hall_device("/kiosk/ticket/3"));
        assert!(is_hall_device("/display"));
        assert!(!is_hall_device("/kiosks"));
        assert!(!is_hall_device("/clerk/queue"));
        assert!(!is_hall_device("/"));
    }

    #[test]
    fn the_citizen_pages_are_the_public_routes_and_nothing_else_is() {
        for path in [
            "/",
            "/guide",
            "/guide/640106-XK-0001",
            "/guide/640106-XK-0001/notice",
            "/guide/640106-XK-0001/commitment",
            "/track",
            "/systems",
            "/booking",
            "/booking/view",
            "/booking/reschedule",
            "/rate",
            "/rate/AB12CD",
        ] {
            assert!(is_citizen_page(path), "{path}");
        }
        for path in [
            "",
            "//",
            "/login",
            "/kiosk",
            "/display",
            "/clerk",
            "/clerk/cases/1",
            "/cases/1",
            "/admin",
            "/supervisor/monthly",
            "/guide/",
            "/guide/x/other",
            "/rate/",
            "/booking/view/1",
            "/trackx",
        ] {
            assert!(!is_citizen_page(path), "{path}");
        }
    }
}
