//! Supervision under `/api/v1/supervision/…` (supervisors; unit staff read their unit's items
//! and report fixes) and the public 好差评 page's calls under `/api/v1/public/ratings/…`.

use app::api::{
    Role,
    org::PageQuery,
    records::{BookingRecord, TicketRecord},
    supervision::{
        AppealDecision, Bulletin, BulletinQuery, DecidedDay, DecidedQuery, DetectorRun,
        ExportJobView, FileView, FollowUp, InterviewFlag, InterviewView, MonthQuery, MonthlyReport,
        NewAppeal, NewInterview, NewPatrol, NewProblem, NewRating, Overview, PatrolChecklist,
        PatrolQuery, PatrolView, ProblemQuery, ProblemView, RatingCodeRequest, RatingCodeView,
        RatingForm, RatingView, RectificationQuery, RectificationView, ReportFix, ScoreQuery,
        ScoreRow, SubmitMonth, SupervisorStep, UnitSubmission,
    },
};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use rules::{AppealStatus, RectificationEvent, supervision::RatingLevel};
use serde::Deserialize;

use super::{auth::PublicLookup, paging};
use crate::{
    auth::{
        Caller, MaybeCaller, Policy,
        policy::{Chiefs, Supervisors, UnitStaff},
    },
    edge::Site,
    error::{AppError, AppResult, ErrorBody},
    extract::{ApiJson, ApiPath, ApiQuery},
    services::{
        Ctx,
        paging::PageRequest,
        supervision::{
            bulletin as bulletin_service, detector, interviews, monthly,
            overview as overview_service, patrols, problems, ratings, records, rectifications,
            scores as score_service,
        },
    },
    state::AppState,
};

/// Who reads supervision records: supervisors all, a unit's staff their unit's (each service
/// re-checks the unit).
pub struct SupervisionReaders;

impl Policy for SupervisionReaders {
    const ROLES: &'static [Role] = &[Role::Supervisor, Role::Clerk, Role::ChiefRepresentative];
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/supervision/overview", get(overview))
        .route("/supervision/decided-cases", get(decided_cases))
        .route("/supervision/detector/run", post(run_detector))
        .route(
            "/supervision/problems",
            get(list_problems).post(create_problem),
        )
        .route("/supervision/problems/{id}", get(problem))
        .route("/supervision/problems/{id}/files", post(attach))
        .route("/supervision/problems/{id}/files/{file_id}", get(file))
        .route("/supervision/rectifications", get(list_rectifications))
        .route("/supervision/rectifications/{id}", get(rectification))
        .route("/supervision/rectifications/{id}/report", post(report))
        .route("/supervision/rectifications/{id}/close", post(close))
        .route(
            "/supervision/rectifications/{id}/send-back",
            post(send_back),
        )
        .route("/supervision/rectifications/{id}/reopen", post(reopen))
        .route("/supervision/tickets/{id}", get(ticket_record))
        .route("/supervision/bookings/{id}", get(booking_record))
        .route("/supervision/rating-codes", post(rating_code))
        .route("/supervision/ratings", get(list_ratings))
        .route("/supervision/ratings/{id}", get(rating))
        .route("/supervision/ratings/{id}/follow-up", post(follow_up))
        .route("/supervision/ratings/{id}/appeal", post(appeal))
        .route("/supervision/appeals/{id}/decide", post(decide_appeal))
        .route(
            "/supervision/interviews",
            get(list_interviews).post(record_interview),
        )
        .route("/supervision/interviews/flags", get(interview_flags))
        .route("/supervision/monthly", get(monthly_report))
        .route("/supervision/monthly/xlsx", get(monthly_xlsx))
        .route("/supervision/monthly/submit", post(submit_month))
        .route("/supervision/monthly/exports", post(start_export))
        .route("/supervision/monthly/exports/{id}", get(export_job))
        .route("/supervision/monthly/exports/{id}/file", get(export_file))
        .route("/supervision/bulletin", get(bulletin))
        .route("/supervision/scores", get(scores))
        .route("/supervision/patrol-checklist", get(patrol_checklist))
        .route(
            "/supervision/patrols",
            get(list_patrols).post(record_patrol),
        )
        .route("/public/ratings/{code}", get(rating_form).post(rate))
}

/// The overview: today's figures and the charts' data (Supervisor).
#[utoipa::path(get, path = "/api/v1/supervision/overview", tag = "supervision",
    responses((status = 200, body = Overview), (status = 403, body = ErrorBody)))]
pub async fn overview(ctx: Ctx, _c: Caller<Supervisors>) -> AppResult<Json<Overview>> {
    overview_service::overview(&ctx).await.map(Json)
}

/// The cases decided on a day (a bar of the on-time trend), late ones first (Supervisor).
#[utoipa::path(get, path = "/api/v1/supervision/decided-cases", tag = "supervision",
    params(DecidedQuery),
    responses((status = 200, body = DecidedDay), (status = 403, body = ErrorBody)))]
pub async fn decided_cases(
    ctx: Ctx,
    _c: Caller<Supervisors>,
    ApiQuery(q): ApiQuery<DecidedQuery>,
) -> AppResult<Json<DecidedDay>> {
    overview_service::decided_day(&ctx, q.day).await.map(Json)
}

/// Runs the detector now; a second run on the same data raises nothing (Supervisor).
#[utoipa::path(post, path = "/api/v1/supervision/detector/run", tag = "supervision",
    responses((status = 200, body = DetectorRun), (status = 403, body = ErrorBody)))]
pub async fn run_detector(ctx: Ctx, _c: Caller<Supervisors>) -> AppResult<Json<DetectorRun>> {
    detector::run(&ctx).await.map(Json)
}

/// Problems, newest first (Supervisor: all; unit staff: their unit's), a page at a time
/// (`limit` 1–200, default 100; the next page in `Link` and `X-Next-Cursor`; the body stays a
/// list).
#[utoipa::path(get, path = "/api/v1/supervision/problems", tag = "supervision",
    params(ProblemQuery), responses((status = 200, body = Vec<ProblemView>),
    (status = 422, body = ErrorBody)))]
pub async fn list_problems(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<ProblemQuery>,
) -> AppResult<(HeaderMap, Json<Vec<ProblemView>>)> {
    let request = paging::by_id(q.limit, q.cursor.as_deref())?;
    let page = problems::list(&ctx, &c, q, &request).await?;
    Ok(paging::answer_by_id("/supervision/problems", raw, page))
}

/// Files a problem from 明察暗访、群众投诉、视频监控 or 实地督查 (Supervisor).
#[utoipa::path(post, path = "/api/v1/supervision/problems", tag = "supervision",
    request_body = NewProblem,
    responses((status = 201, body = ProblemView), (status = 422, body = ErrorBody)))]
pub async fn create_problem(
    ctx: Ctx,
    c: Caller<Supervisors>,
    ApiJson(body): ApiJson<NewProblem>,
) -> AppResult<(StatusCode, Json<ProblemView>)> {
    let v = problems::create(&ctx, &c, body).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// One problem with its evidence link and files.
#[utoipa::path(get, path = "/api/v1/supervision/problems/{id}", tag = "supervision",
    responses((status = 200, body = ProblemView), (status = 404, body = ErrorBody)))]
pub async fn problem(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ProblemView>> {
    problems::detail(&ctx, &c, id).await.map(Json)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FileName {
    /// The file's name.
    pub name: String,
}

/// Attaches a JPEG, PNG or PDF (the raw body; `Content-Type` must match the bytes): a supervisor
/// to any problem; the responsible unit's staff their evidence while its item is still theirs to
/// fix (待整改, 重新整改; otherwise 409).
#[utoipa::path(post, path = "/api/v1/supervision/problems/{id}/files", tag = "supervision",
    params(FileName),
    request_body(content = Vec<u8>, description = "JPEG, PNG or PDF",
        content_type = "application/octet-stream"),
    responses((status = 201, body = FileView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attach(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<FileName>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<(StatusCode, Json<FileView>)> {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    let v = problems::attach(&ctx, &c, id, q.name, declared, body.to_vec()).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A problem's file, for staff who may see the problem.
#[utoipa::path(get, path = "/api/v1/supervision/problems/{id}/files/{file_id}",
    tag = "supervision", responses((status = 200), (status = 404, body = ErrorBody)))]
pub async fn file(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiPath((id, file_id)): ApiPath<(i64, i64)>,
) -> AppResult<Response> {
    let (name, content_type, bytes) = problems::file(&ctx, &c, id, file_id).await?;
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        app::api::client::encode(&name)
    );
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, header_value(&content_type)?);
    h.insert(header::CONTENT_DISPOSITION, header_value(&disposition)?);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

fn header_value(v: &str) -> AppResult<HeaderValue> {
    HeaderValue::from_str(v).map_err(AppError::internal)
}

/// The rectification list, soonest deadline first (Supervisor: all; unit staff: their unit's),
/// a page at a time (`limit` 1–200, default 100; the next page in `Link` and `X-Next-Cursor`;
/// the body stays a list).
#[utoipa::path(get, path = "/api/v1/supervision/rectifications", tag = "supervision",
    params(RectificationQuery),
    responses((status = 200, body = Vec<RectificationView>), (status = 422, body = ErrorBody)))]
pub async fn list_rectifications(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<RectificationQuery>,
) -> AppResult<(HeaderMap, Json<Vec<RectificationView>>)> {
    // The cursor is `<deadline>_<id>` of the previous page's last item, hex-encoded.
    let text = paging::by_text(q.limit, q.cursor.as_deref())?;
    let after = match text.after.as_deref() {
        None => None,
        Some(key) => Some(
            key.split_once('_')
                .and_then(|(d, id)| Some((d.parse().ok()?, id.parse().ok()?)))
                .ok_or_else(|| {
                    AppError::invalid("invalid_cursor", "翻页标记无效，请从第一页重新查询")
                        .with_field("cursor")
                })?,
        ),
    };
    let request = PageRequest {
        limit: text.limit,
        after,
    };
    let page = rectifications::list(&ctx, &c, q, &request).await?;
    Ok(paging::answer(
        "/supervision/rectifications",
        raw,
        page,
        |(deadline, id)| paging::text_cursor(&format!("{deadline}_{id}")),
    ))
}

/// One rectification item.
#[utoipa::path(get, path = "/api/v1/supervision/rectifications/{id}", tag = "supervision",
    responses((status = 200, body = RectificationView), (status = 404, body = ErrorBody)))]
pub async fn rectification(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<RectificationView>> {
    rectifications::detail(&ctx, &c, id).await.map(Json)
}

/// The responsible unit reports its fix (Clerk or ChiefRepresentative of the unit).
#[utoipa::path(post, path = "/api/v1/supervision/rectifications/{id}/report",
    tag = "supervision", request_body = ReportFix,
    responses((status = 200, body = RectificationView), (status = 409, body = ErrorBody)))]
pub async fn report(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReportFix>,
) -> AppResult<Json<RectificationView>> {
    rectifications::report(&ctx, &c, id, body).await.map(Json)
}

async fn supervise(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    id: i64,
    event: RectificationEvent,
    body: SupervisorStep,
) -> AppResult<Json<RectificationView>> {
    rectifications::supervise(&ctx, &c, id, event, body)
        .await
        .map(Json)
}

/// Closes an item out (销号) with a note (Supervisor only: unit staff get 403).
#[utoipa::path(post, path = "/api/v1/supervision/rectifications/{id}/close",
    tag = "supervision", request_body = SupervisorStep,
    responses((status = 200, body = RectificationView), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn close(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SupervisorStep>,
) -> AppResult<Json<RectificationView>> {
    supervise(ctx, c, id, RectificationEvent::Close, body).await
}

/// Sends a reported fix back to the unit (Supervisor).
#[utoipa::path(post, path = "/api/v1/supervision/rectifications/{id}/send-back",
    tag = "supervision", request_body = SupervisorStep,
    responses((status = 200, body = RectificationView), (status = 409, body = ErrorBody)))]
pub async fn send_back(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SupervisorStep>,
) -> AppResult<Json<RectificationView>> {
    supervise(ctx, c, id, RectificationEvent::SendBack, body).await
}

/// Reopens a closed item (Supervisor).
#[utoipa::path(post, path = "/api/v1/supervision/rectifications/{id}/reopen",
    tag = "supervision", request_body = SupervisorStep,
    responses((status = 200, body = RectificationView), (status = 409, body = ErrorBody)))]
pub async fn reopen(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SupervisorStep>,
) -> AppResult<Json<RectificationView>> {
    supervise(ctx, c, id, RectificationEvent::Reopen, body).await
}

/// The rating code to print for a served ticket, delivered case or kept appointment (staff of
/// its unit, Supervisor).
#[utoipa::path(post, path = "/api/v1/supervision/rating-codes", tag = "supervision",
    request_body = RatingCodeRequest,
    responses((status = 200, body = RatingCodeView), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn rating_code(
    State(state): State<AppState>,
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RatingCodeRequest>,
) -> AppResult<Json<RatingCodeView>> {
    // The QR code holds the page's absolute address, as a phone that scans it reaches the site.
    let origin = Site::of(&state.settings).origin(&headers);
    ratings::code_for(&ctx, &c, body, origin).await.map(Json)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RatingQuery {
    /// Only 不满意 and 非常不满意.
    #[serde(default)]
    pub bad: Option<bool>,
    /// Only this level: `very_satisfied`, `satisfied`, `fair`, `dissatisfied` or
    /// `very_dissatisfied` (a bar of the overview's ratings chart).
    #[serde(default)]
    pub level: Option<String>,
    /// `pending`: only the ratings whose unit's appeal waits for a decision (待复核申诉).
    #[serde(default)]
    pub appeal: Option<String>,
    /// Rows per page: 1 to 200, default 100.
    #[serde(default)]
    pub limit: Option<u32>,
    /// The next page's cursor, from the previous answer's `Link` / `X-Next-Cursor`.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Ratings, newest first (Supervisor: all; unit staff: their unit's), in pages.
#[utoipa::path(get, path = "/api/v1/supervision/ratings", tag = "supervision",
    params(RatingQuery), responses((status = 200, body = Vec<RatingView>),
    (status = 422, body = ErrorBody)))]
pub async fn list_ratings(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<RatingQuery>,
) -> AppResult<(HeaderMap, Json<Vec<RatingView>>)> {
    let level = match q.level.as_deref() {
        None | Some("") => None,
        Some(code) => Some(RatingLevel::from_code(code).ok_or_else(|| {
            AppError::invalid("invalid_parameter", "评价等级无效").with_field("level")
        })?),
    };
    // Only the appeals still to decide can be asked for (`pending`).
    let appeal_pending = match q.appeal.as_deref() {
        None | Some("") => false,
        Some(code) => match AppealStatus::from_code(code) {
            Some(AppealStatus::Pending) => true,
            _ => {
                return Err(AppError::invalid(
                    "invalid_parameter",
                    "申诉筛选只能为 pending（待复核）",
                )
                .with_field("appeal"));
            }
        },
    };
    let request = paging::by_id(q.limit, q.cursor.as_deref())?;
    let filter = ratings::ListFilter {
        bad: q.bad.unwrap_or(false),
        level,
        appeal_pending,
    };
    let page = ratings::list(&ctx, &c, filter, &request).await?;
    Ok(paging::answer_by_id("/supervision/ratings", raw, page))
}

/// One ticket's record: its steps, reassignments and extended services (Supervisor; the staff
/// of its unit).
#[utoipa::path(get, path = "/api/v1/supervision/tickets/{id}", tag = "supervision",
    responses((status = 200, body = TicketRecord), (status = 404, body = ErrorBody)))]
pub async fn ticket_record(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<TicketRecord>> {
    records::ticket(&ctx, &c, id).await.map(Json)
}

/// One booking's record (Supervisor; the staff of its unit).
#[utoipa::path(get, path = "/api/v1/supervision/bookings/{id}", tag = "supervision",
    responses((status = 200, body = BookingRecord), (status = 404, body = ErrorBody)))]
pub async fn booking_record(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<BookingRecord>> {
    records::booking(&ctx, &c, id).await.map(Json)
}

/// One rating with its appeal.
#[utoipa::path(get, path = "/api/v1/supervision/ratings/{id}", tag = "supervision",
    responses((status = 200, body = RatingView), (status = 404, body = ErrorBody)))]
pub async fn rating(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<RatingView>> {
    ratings::detail(&ctx, &c, id).await.map(Json)
}

/// Records the phone follow-up (回访) of a 差评 (Supervisor, or the unit's chief).
#[utoipa::path(post, path = "/api/v1/supervision/ratings/{id}/follow-up", tag = "supervision",
    request_body = FollowUp,
    responses((status = 200, body = RatingView), (status = 409, body = ErrorBody)))]
pub async fn follow_up(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FollowUp>,
) -> AppResult<Json<RatingView>> {
    ratings::follow_up(&ctx, &c, id, body).await.map(Json)
}

/// The unit appeals a 差评 (ChiefRepresentative of the unit).
#[utoipa::path(post, path = "/api/v1/supervision/ratings/{id}/appeal", tag = "supervision",
    request_body = NewAppeal,
    responses((status = 201, body = RatingView), (status = 409, body = ErrorBody)))]
pub async fn appeal(
    ctx: Ctx,
    c: Caller<Chiefs>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewAppeal>,
) -> AppResult<(StatusCode, Json<RatingView>)> {
    let v = ratings::appeal(&ctx, &c, id, body).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Decides an appeal; upheld, the rating is struck and its rectification withdrawn
/// (Supervisor).
#[utoipa::path(post, path = "/api/v1/supervision/appeals/{id}/decide", tag = "supervision",
    request_body = AppealDecision,
    responses((status = 200, body = RatingView), (status = 409, body = ErrorBody)))]
pub async fn decide_appeal(
    ctx: Ctx,
    c: Caller<Supervisors>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AppealDecision>,
) -> AppResult<Json<RatingView>> {
    ratings::decide(&ctx, &c, id, body).await.map(Json)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QuarterQuery {
    /// `2026Q1`; default this quarter.
    #[serde(default)]
    pub quarter: Option<String>,
}

/// People and units due a 约谈 this quarter (Supervisor).
#[utoipa::path(get, path = "/api/v1/supervision/interviews/flags", tag = "supervision",
    params(QuarterQuery), responses((status = 200, body = Vec<InterviewFlag>)))]
pub async fn interview_flags(
    ctx: Ctx,
    _c: Caller<Supervisors>,
    ApiQuery(q): ApiQuery<QuarterQuery>,
) -> AppResult<Json<Vec<InterviewFlag>>> {
    let quarter = match q.quarter.as_deref() {
        Some(t) => Some(interviews::parse_quarter(t).ok_or_else(|| {
            AppError::bad_request("invalid_parameter", "季度格式应为 2026Q1").with_field("quarter")
        })?),
        None => None,
    };
    interviews::flags(&ctx, quarter).await.map(Json)
}

/// 周巡查: this week's checklist (Supervisor).
#[utoipa::path(get, path = "/api/v1/supervision/patrol-checklist", tag = "supervision",
    responses((status = 200, body = PatrolChecklist)))]
pub async fn patrol_checklist(ctx: Ctx, _c: Caller<Supervisors>) -> Json<PatrolChecklist> {
    Json(patrols::checklist(&ctx))
}

/// `GET /supervision/patrols`: the week, and the page.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PatrolListQuery {
    /// An ISO week such as `2026-W12` (default: every week, newest first).
    #[serde(default)]
    pub week: Option<String>,
    /// Rows per page: 1 to 200, default 100.
    #[serde(default)]
    pub limit: Option<u32>,
    /// The next page's cursor, from the previous answer's `Link` / `X-Next-Cursor`.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// 周巡查: the patrols made, newest first, in pages (Supervisor).
#[utoipa::path(get, path = "/api/v1/supervision/patrols", tag = "supervision",
    params(PatrolListQuery), responses((status = 200, body = Vec<PatrolView>),
    (status = 422, body = ErrorBody)))]
pub async fn list_patrols(
    ctx: Ctx,
    _c: Caller<Supervisors>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<PatrolListQuery>,
) -> AppResult<(HeaderMap, Json<Vec<PatrolView>>)> {
    let request = paging::by_id(q.limit, q.cursor.as_deref())?;
    let week = match q.week.as_deref() {
        Some(w) => Some(rules::supervision::parse_patrol_week(w).ok_or_else(|| {
            AppError::bad_request("invalid_parameter", "周次格式应为 2026-W12").with_field("week")
        })?),
        None => None,
    };
    let page = patrols::list(&ctx, PatrolQuery { week }, &request).await?;
    Ok(paging::answer_by_id("/supervision/patrols", raw, page))
}

/// 周巡查: records this week's patrol of a center; each finding becomes a problem with its
/// rectification item (Supervisor).
#[utoipa::path(post, path = "/api/v1/supervision/patrols", tag = "supervision",
    request_body = NewPatrol,
    responses((status = 201, body = PatrolView), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_patrol(
    ctx: Ctx,
    c: Caller<Supervisors>,
    ApiJson(body): ApiJson<NewPatrol>,
) -> AppResult<(StatusCode, Json<PatrolView>)> {
    let v = patrols::record(&ctx, &c, body).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The 约谈 records, newest first, in pages (Supervisor).
#[utoipa::path(get, path = "/api/v1/supervision/interviews", tag = "supervision",
    params(PageQuery), responses((status = 200, body = Vec<InterviewView>),
    (status = 422, body = ErrorBody)))]
pub async fn list_interviews(
    ctx: Ctx,
    _c: Caller<Supervisors>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> AppResult<(HeaderMap, Json<Vec<InterviewView>>)> {
    let request = paging::by_id(q.limit, q.cursor.as_deref())?;
    let page = interviews::list(&ctx, &request).await?;
    Ok(paging::answer_by_id("/supervision/interviews", raw, page))
}

/// Records a 约谈 (Supervisor).
#[utoipa::path(post, path = "/api/v1/supervision/interviews", tag = "supervision",
    request_body = NewInterview,
    responses((status = 201, body = InterviewView), (status = 422, body = ErrorBody)))]
pub async fn record_interview(
    ctx: Ctx,
    c: Caller<Supervisors>,
    ApiJson(body): ApiJson<NewInterview>,
) -> AppResult<(StatusCode, Json<InterviewView>)> {
    let v = interviews::record(&ctx, &c, body).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The monthly report of attachment 1 for `month` (Supervisor: every unit's; unit staff: their
/// own unit's rows, totals and submission).
#[utoipa::path(get, path = "/api/v1/supervision/monthly", tag = "supervision",
    params(MonthQuery), responses((status = 200, body = MonthlyReport),
    (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn monthly_report(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiQuery(q): ApiQuery<MonthQuery>,
) -> AppResult<Json<MonthlyReport>> {
    monthly::report_for(&ctx, &c, &q.month).await.map(Json)
}

/// An XLSX download: its content type and its file name.
fn xlsx_response(name: &str, bytes: Vec<u8>) -> AppResult<Response> {
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        app::api::client::encode(name)
    );
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    h.insert(header::CONTENT_DISPOSITION, header_value(&disposition)?);
    Ok(response)
}

/// The monthly report as an XLSX workbook, made while the request waits (Supervisor). A long
/// month is better exported through `POST /api/v1/supervision/monthly/exports`, which shows
/// progress.
#[utoipa::path(get, path = "/api/v1/supervision/monthly/xlsx", tag = "supervision",
    params(MonthQuery), responses((status = 200, description = "XLSX workbook")))]
pub async fn monthly_xlsx(
    ctx: Ctx,
    _c: Caller<Supervisors>,
    ApiQuery(q): ApiQuery<MonthQuery>,
) -> AppResult<Response> {
    let report = monthly::report(&ctx, &q.month).await?;
    let bytes = monthly::xlsx(&report)?;
    xlsx_response(&monthly::file_name(&report.month), bytes)
}

/// Starts making the month's XLSX in the background; answers at once with the job, whose
/// progress `GET …/exports/{id}` tells (Supervisor).
#[utoipa::path(post, path = "/api/v1/supervision/monthly/exports", tag = "supervision",
    request_body = SubmitMonth,
    responses((status = 202, body = ExportJobView), (status = 422, body = ErrorBody)))]
pub async fn start_export(
    ctx: Ctx,
    c: Caller<Supervisors>,
    ApiJson(body): ApiJson<SubmitMonth>,
) -> AppResult<(StatusCode, Json<ExportJobView>)> {
    let v = monthly::start_export(&ctx, &c, &body.month).await?;
    Ok((StatusCode::ACCEPTED, Json(v)))
}

/// An export's progress: items of the month's list read of the total, then the file's link
/// (the supervisor who started it).
#[utoipa::path(get, path = "/api/v1/supervision/monthly/exports/{id}", tag = "supervision",
    responses((status = 200, body = ExportJobView), (status = 404, body = ErrorBody)))]
pub async fn export_job(
    ctx: Ctx,
    c: Caller<Supervisors>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ExportJobView>> {
    monthly::export_status(&ctx, &c, id).await.map(Json)
}

/// An export's file once made (the supervisor who started it; 409 while it is being made).
#[utoipa::path(get, path = "/api/v1/supervision/monthly/exports/{id}/file", tag = "supervision",
    responses((status = 200, description = "XLSX workbook"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn export_file(
    ctx: Ctx,
    c: Caller<Supervisors>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let (name, bytes) = monthly::export_file(&ctx, &c, id).await?;
    xlsx_response(&name, bytes)
}

/// 月通报: a month's figures per unit — on-time rate, problems by kind, rectification status,
/// ratings (Supervisor: any unit or all with the hall's total; unit staff: their own unit).
#[utoipa::path(get, path = "/api/v1/supervision/bulletin", tag = "supervision",
    params(BulletinQuery),
    responses((status = 200, body = Bulletin), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn bulletin(
    ctx: Ctx,
    c: Caller<SupervisionReaders>,
    ApiQuery(q): ApiQuery<BulletinQuery>,
) -> AppResult<Json<Bulletin>> {
    bulletin_service::bulletin(&ctx, &c, &q.month, q.unit_id)
        .await
        .map(Json)
}

/// The unit submits its month's list (ChiefRepresentative).
#[utoipa::path(post, path = "/api/v1/supervision/monthly/submit", tag = "supervision",
    request_body = SubmitMonth,
    responses((status = 201, body = UnitSubmission), (status = 409, body = ErrorBody)))]
pub async fn submit_month(
    ctx: Ctx,
    c: Caller<UnitStaff>,
    ApiJson(body): ApiJson<SubmitMonth>,
) -> AppResult<(StatusCode, Json<UnitSubmission>)> {
    let v = monthly::submit(&ctx, &c, &body.month).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Scores per unit or person for a quarter or year, with the breakdown (Supervisor).
#[utoipa::path(get, path = "/api/v1/supervision/scores", tag = "supervision",
    params(ScoreQuery), responses((status = 200, body = Vec<ScoreRow>)))]
pub async fn scores(
    ctx: Ctx,
    _c: Caller<Supervisors>,
    ApiQuery(q): ApiQuery<ScoreQuery>,
) -> AppResult<Json<Vec<ScoreRow>>> {
    score_service::scores(&ctx, q.level.as_deref(), q.period.as_deref())
        .await
        .map(Json)
}

/// The rating page's data for a code (anyone; rate-limited per address).
#[utoipa::path(get, path = "/api/v1/public/ratings/{code}", tag = "public",
    responses((status = 200, body = RatingForm), (status = 404, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn rating_form(
    ctx: Ctx,
    _limit: PublicLookup,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<RatingForm>> {
    ratings::form(&ctx, &code).await.map(Json)
}

/// Rates once per code (anyone; same-origin, rate-limited per address). 不满意 and 非常不满意
/// open a rectification item for the unit that served.
#[utoipa::path(post, path = "/api/v1/public/ratings/{code}", tag = "public",
    request_body = NewRating,
    responses((status = 201, body = RatingView), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn rate(
    ctx: Ctx,
    _limit: PublicLookup,
    MaybeCaller(staff): MaybeCaller,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<NewRating>,
) -> AppResult<(StatusCode, Json<RatingView>)> {
    // 好差评 is the citizen's: a clerk signed in could rate their own service, or a colleague's.
    if staff.is_some() {
        return Err(AppError::not_here(
            "staff_cannot_rate",
            "工作人员登录状态下不能评价；评价须由办事群众本人作出",
        ));
    }
    // Same-origin like every write of the API (`edge::api_same_origin`).
    let v = ratings::rate(&ctx, &code, body).await?;
    Ok((StatusCode::CREATED, Json(v)))
}
