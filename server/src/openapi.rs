//! The OpenAPI document, served at `GET /api/v1/openapi.json`. Every route is listed here; a
//! scenario test checks that the documented paths are the routed ones.

use utoipa::OpenApi;

mod contract;

use crate::routes::{
    appointments, audit, auth, calendar, cases, catalog, health, inquiries, kiosks, notices, org,
    public, queue, supervision, time,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "政务窗口 Chuangkou API",
        description = "政务服务大厅窗口系统：首问负责、一次性告知、限时办结、延时服务"),
    paths(
        health::health,
        auth::login, auth::logout, auth::me, auth::change_password,
        org::list_centers, org::get_center, org::create_center, org::update_center,
        org::activate_center, org::deactivate_center,
        org::list_units, org::get_unit, org::create_unit, org::update_unit,
        org::activate_unit, org::deactivate_unit,
        org::list_windows, org::get_window, org::create_window, org::update_window,
        org::activate_window, org::deactivate_window,
        org::list_staff, org::get_staff, org::create_staff, org::update_staff,
        org::activate_staff, org::deactivate_staff,
        calendar::years, calendar::full, calendar::year, calendar::replace_year,
        calendar::add_working_days, calendar::working_days_between,
        public::centers, public::booking_qr,
        catalog::list, catalog::list_all, catalog::item, catalog::create, catalog::update,
        catalog::activate, catalog::deactivate,
        cases::list, cases::detail, cases::receipt, cases::receive, cases::review,
        cases::correction,
        cases::request_exception, cases::start_review, cases::to_decision, cases::suspend,
            cases::resume,
        cases::request_extension, cases::decide, cases::deliver, cases::close, cases::withdraw,
        cases::hand_over,
        cases::pending_extensions, cases::decide_extension, cases::pending_exceptions,
            cases::decide_exception,
        cases::public_status,
        inquiries::create, inquiries::inbox, inquiries::outcome, inquiries::feedback,
        inquiries::confirm, inquiries::resolve,
        notices::notice, notices::print,
        queue::queues, queue::take_public, queue::public_ticket, queue::display, queue::take_staff,
        queue::window_board, queue::call_next, queue::recall, queue::start, queue::finish,
            queue::no_show,
        queue::transfer, queue::cannot_serve, queue::extended, queue::reassignments, queue::assign,
        queue::close_day, queue::reopen_day, queue::extended_list, queue::create_queue,
        appointments::public_days, appointments::public_slots, appointments::book,
            appointments::view, appointments::cancel,
        appointments::reschedule, appointments::record, appointments::arrive, appointments::no_show,
        appointments::staff_slots, appointments::check_in, appointments::set_duty,
            appointments::rules,
        appointments::create_rule, appointments::update_rule, appointments::activate_rule,
        appointments::deactivate_rule,
        kiosks::list, kiosks::register, kiosks::revoke,
        audit::verify,
        supervision::overview, supervision::decided_cases, supervision::run_detector,
            supervision::list_problems,
        supervision::create_problem, supervision::problem, supervision::attach, supervision::file,
        supervision::list_rectifications, supervision::rectification, supervision::report,
        supervision::close, supervision::send_back, supervision::reopen, supervision::rating_code,
        supervision::ticket_record, supervision::booking_record,
        supervision::list_ratings, supervision::rating, supervision::follow_up, supervision::appeal,
        supervision::decide_appeal, supervision::interview_flags, supervision::list_interviews,
        supervision::record_interview, supervision::monthly_report, supervision::monthly_xlsx,
        supervision::start_export, supervision::export_job, supervision::export_file,
        supervision::bulletin,
        supervision::submit_month, supervision::scores, supervision::rating_form, supervision::rate,
        supervision::patrol_checklist, supervision::list_patrols, supervision::record_patrol,
        time::time,
        crate::routes::events::stream,
        crate::openapi::document,
    ),
    // Types only query parameters name are not collected by utoipa on its own.
    components(schemas(app::api::cases::CaseScope)),
    tags(
        (name = "system"), (name = "auth"), (name = "organisation"), (name = "calendar"),
            (name = "public"), (name = "audit"), (name = "catalog"), (name = "cases"),
            (name = "inquiries"), (name = "notices"), (name = "queue"), (name = "appointments"),
            (name = "kiosks"), (name = "supervision"),
    )
)]
pub struct ApiDoc;

/// This document (anyone).
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "system",
    responses((status = 200, description = "OpenAPI 3.1 document"))
)]
pub async fn document() -> axum::Json<serde_json::Value> {
    axum::Json(DOCUMENT.get_or_init(full_document).clone())
}

static DOCUMENT: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();

/// The derived document, completed with what every operation shares ([`contract`]).
pub fn full_document() -> serde_json::Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serialises");
    contract::complete(&mut doc);
    doc
}
