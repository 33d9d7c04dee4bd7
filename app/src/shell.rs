//! The HTML document and the route table.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    hooks::use_location,
    path,
};

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

/// Where the page's stylesheet is: the bundle's CSS under its content-hashed name when the
/// server gave it one (issue 14 point 7), provided by the server for each render.
#[derive(Clone, Debug)]
pub struct StyleHref(pub String);

pub fn shell(options: LeptosOptions) -> impl IntoView {
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
                <HydrationScripts options />
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
                    <Route path=path!("/login") view=LoginPage ssr=ssr.clone() />
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
                    <Route path=path!("/kiosk") view=Kiosk ssr=ssr.clone() />
                    <Route path=path!("/kiosk/ticket/:id") view=KioskTicket ssr=ssr.clone() />
                    <Route path=path!("/display") view=CallDisplay ssr=ssr.clone() />
                    <Route path=path!("/clerk") view=Workbench ssr=ssr.clone() />
                    <Route path=path!("/clerk/receive") view=ReceivePage ssr=ssr.clone() />
                    <Route path=path!("/clerk/inquiries") view=InquiriesPage ssr=ssr.clone() />
                    <Route path=path!("/clerk/queue") view=QueuePanel ssr=ssr.clone() />
                    <Route
                        path=path!("/clerk/appointments")
                        view=ClerkAppointments
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/clerk/cases/:id") view=CasePage ssr=ssr.clone() />
                    <Route
                        path=path!("/clerk/cases/:id/receipt")
                        view=ReceiptPage
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/cases/:id") view=CaseReadOnlyPage ssr=ssr.clone() />
                    <Route path=path!("/notices/:id/print") view=NoticePrintPage ssr=ssr.clone() />
                    <Route path=path!("/chief") view=ChiefDesk ssr=ssr.clone() />
                    <Route path=path!("/chief/bulletin") view=BulletinPage ssr=ssr.clone() />
                    <Route
                        path=path!("/unit/supervision")
                        view=UnitSupervisionPage
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/supervisor") view=SupervisorDesk ssr=ssr.clone() />
                    <Route
                        path=path!("/supervisor/overview")
                        view=SupervisionOverview
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/supervisor/problems") view=ProblemList ssr=ssr.clone() />
                    <Route
                        path=path!("/supervisor/problems/:id")
                        view=ProblemPage
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/rectifications")
                        view=RectificationList
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/supervisor/monthly") view=MonthlyPage ssr=ssr.clone() />
                    <Route path=path!("/supervisor/bulletin") view=BulletinPage ssr=ssr.clone() />
                    <Route path=path!("/supervisor/patrol") view=PatrolPage ssr=ssr.clone() />
                    <Route path=path!("/supervisor/scores") view=ScoresPage ssr=ssr.clone() />
                    <Route
                        path=path!("/supervisor/new-problem")
                        view=NewProblemPage
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/supervisor/ratings") view=RatingList ssr=ssr.clone() />
                    <Route
                        path=path!("/supervisor/interviews")
                        view=InterviewsPage
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/supervisor/decided") view=DecidedPage ssr=ssr.clone() />
                    <Route
                        path=path!("/supervisor/tickets/:id")
                        view=TicketRecordPage
                        ssr=ssr.clone()
                    />
                    <Route
                        path=path!("/supervisor/bookings/:id")
                        view=BookingRecordPage
                        ssr=ssr.clone()
                    />
                    <Route path=path!("/rate") view=RateEntry ssr=ssr.clone() />
                    <Route path=path!("/rate/:code") view=RatePage ssr=ssr.clone() />
                    <Route path=path!("/admin") view=AdminHome ssr=ssr.clone() />
                    <Route path=path!("/admin/centers") view=AdminCenters ssr=ssr.clone() />
                    <Route path=path!("/admin/units") view=AdminUnits ssr=ssr.clone() />
                    <Route path=path!("/admin/windows") view=AdminWindows ssr=ssr.clone() />
                    <Route path=path!("/admin/staff") view=AdminStaff ssr=ssr.clone() />
                    <Route path=path!("/admin/catalog") view=AdminCatalog ssr=ssr.clone() />
                    <Route path=path!("/admin/calendar") view=AdminCalendar ssr=ssr.clone() />
                    <Route path=path!("/admin/slots") view=AdminSlots ssr=ssr />
                </Routes>
            </main>
            <HallDeviceFrame header=false />
        </Router>
    }
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
    use super::is_hall_device;

    #[test]
    fn the_kiosk_and_the_display_are_hall_devices_and_nothing_else_is() {
        assert!(is_hall_device("/kiosk"));
        assert!(is_hall_device("/kiosk/ticket/3"));
        assert!(is_hall_device("/display"));
        assert!(!is_hall_device("/kiosks"));
        assert!(!is_hall_device("/clerk/queue"));
        assert!(!is_hall_device("/"));
    }
}
