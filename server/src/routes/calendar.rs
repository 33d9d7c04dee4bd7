//! The official work calendar. Reading and the working-day arithmetic are public (citizens and
//! other systems preview promised dates); replacing a year is for administrators.

use app::api::calendar::{
    AddWorkingDaysAnswer, AddWorkingDaysQuery, CalendarYearInput, CalendarYearView, CalendarYears,
    FullCalendar, WorkingDaysBetweenAnswer, WorkingDaysBetweenQuery,
};
use axum::{Json, Router, routing::get};

use crate::{
    auth::{Caller, policy::Admins},
    error::{AppError, AppResult, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
    services::{Ctx, calendar},
    state::AppState,
};

/// The largest `days` the arithmetic endpoints accept (ten years of working days and then some).
pub const MAX_DAYS: u32 = 3650;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/calendar", get(full))
        .route("/calendar/years", get(years))
        .route("/calendar/add-working-days", get(add_working_days))
        .route("/calendar/working-days-between", get(working_days_between))
        .route("/calendar/{year}", get(year).put(replace_year))
}

/// The years held (anyone).
#[utoipa::path(
    get,
    path = "/api/v1/calendar/years",
    tag = "calendar",
    responses((status = 200, body = CalendarYears))
)]
pub async fn years(ctx: Ctx) -> AppResult<Json<CalendarYears>> {
    Ok(Json(CalendarYears {
        years: calendar::year_numbers(ctx.conn()).await?,
    }))
}

/// Every year held with its days, in one answer (anyone).
#[utoipa::path(
    get,
    path = "/api/v1/calendar",
    tag = "calendar",
    responses((status = 200, body = FullCalendar))
)]
pub async fn full(ctx: Ctx) -> AppResult<Json<FullCalendar>> {
    Ok(Json(FullCalendar {
        years: calendar::all_years(ctx.conn()).await?,
    }))
}

/// One year's holidays and make-up working days (anyone).
#[utoipa::path(get, path = "/api/v1/calendar/{year}", tag = "calendar",
    responses((status = 200, body = CalendarYearView), (status = 404, body = ErrorBody)))]
pub async fn year(ctx: Ctx, ApiPath(year): ApiPath<i32>) -> AppResult<Json<CalendarYearView>> {
    calendar::get_year(ctx.conn(), year).await.map(Json)
}

/// Adds or replaces a year (Admin). Audited.
#[utoipa::path(
    put,
    path = "/api/v1/calendar/{year}",
    tag = "calendar",
    request_body = CalendarYearInput,
    responses(
        (status = 200, body = CalendarYearView),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn replace_year(
    ctx: Ctx,
    c: Caller<Admins>,
    ApiPath(year): ApiPath<i32>,
    ApiJson(body): ApiJson<CalendarYearInput>,
) -> AppResult<Json<CalendarYearView>> {
    calendar::replace_year(&ctx, c.id, year, body)
        .await
        .map(Json)
}

fn check_days(days: u32) -> AppResult<()> {
    if days > MAX_DAYS {
        return Err(AppError::bad_request(
            "days_out_of_range",
            format!("days 须在 0–{MAX_DAYS} 之间"),
        )
        .with_field("days"));
    }
    Ok(())
}

/// The `days`-th working day after `start`; `start` itself is not counted (anyone).
#[utoipa::path(
    get,
    path = "/api/v1/calendar/add-working-days",
    tag = "calendar",
    params(AddWorkingDaysQuery),
    responses(
        (status = 200, body = AddWorkingDaysAnswer),
        (status = 400, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn add_working_days(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<AddWorkingDaysQuery>,
) -> AppResult<Json<AddWorkingDaysAnswer>> {
    check_days(q.days)?;
    let due_date = ctx.calendar.add_working_days(q.start, q.days)?;
    Ok(Json(AddWorkingDaysAnswer {
        start: q.start,
        days: q.days,
        due_date,
    }))
}

/// The working days after `from` up to and including `to` (anyone).
#[utoipa::path(
    get,
    path = "/api/v1/calendar/working-days-between",
    tag = "calendar",
    params(WorkingDaysBetweenQuery),
    responses(
        (status = 200, body = WorkingDaysBetweenAnswer),
        (status = 400, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn working_days_between(
    ctx: Ctx,
    ApiQuery(q): ApiQuery<WorkingDaysBetweenQuery>,
) -> AppResult<Json<WorkingDaysBetweenAnswer>> {
    if (q.to - q.from).num_days().abs() > i64::from(MAX_DAYS) * 2 {
        return Err(AppError::bad_request("range_too_long", "日期范围过长").with_field("to"));
    }
    let working_days = ctx.calendar.working_days_between(q.from, q.to)?;
    Ok(Json(WorkingDaysBetweenAnswer { working_days }))
}
