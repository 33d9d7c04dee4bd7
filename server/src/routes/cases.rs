//! Cases: receive, review, correct, advance, suspend, extend, decide, deliver, close. Clerks act
//! on their own unit's cases; chief representatives decide extensions and one-time exceptions
//! for their unit; supervisors read everything and change nothing; admins have no case access.
//! Every write names the case `version` it was made against (409 when stale).

use app::api::cases::{
    ApprovalDecisionInput, CaseDetail, CaseList, CaseQuery, CaseReceipt, CloseRequest,
    CorrectionReceipt, DecisionRequest, DeliveryRequest, ExtensionRecord, ExtensionRequest,
    HandoverRequest, OneTimeExceptionRecord, OneTimeExceptionRequest, PublicCaseStatus,
    ReceiveCase, ResumeRequest, ReviewRequest, ReviewResult, SuspendRequest, VersionOnly,
    WithdrawRequest,
};
use app::api::org::PageQuery;
use axum::{
    Json, Router,
    extract::{RawQuery, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
};
use serde::Deserialize;

use super::{
    auth::PublicLookup,
    holder::{self, HeldCaseSecret},
    paging,
};
use crate::{
    auth::{
        Caller,
        policy::{CaseReaders, Chiefs, Clerks},
    },
    error::{AppError, AppResult, ErrorBody},
    events::{EventExt, Topic, event},
    extract::{ApiJson, ApiPath, ApiQuery},
    services::{Ctx, cases, paging::PageRequest},
    state::AppState,
};

/// Tells open workbenches that a case changed (after the change committed).
async fn changed(ctx: &Ctx, case: CaseDetail) -> Json<CaseDetail> {
    let e = event(Topic::Cases, "case.changed")
        .center(case.summary.center_id)
        .unit(case.summary.unit_id)
        .id(case.summary.id);
    ctx.publish(e).await;
    Json(case)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases", get(list).post(receive))
        .route("/cases/{id}", get(detail))
        .route("/cases/{id}/receipt", get(receipt))
        .route("/cases/{id}/review", post(review))
        .route("/cases/{id}/corrections", post(correction))
        .route("/cases/{id}/one-time-exceptions", post(request_exception))
        .route("/cases/{id}/start-review", post(start_review))
        .route("/cases/{id}/to-decision", post(to_decision))
        .route("/cases/{id}/suspensions", post(suspend))
        .route("/cases/{id}/resume", post(resume))
        .route("/cases/{id}/extensions", post(request_extension))
        .route("/cases/{id}/decision", post(decide))
        .route("/cases/{id}/delivery", post(deliver))
        .route("/cases/{id}/close", post(close))
        .route("/cases/{id}/withdraw", post(withdraw))
        .route("/cases/{id}/handover", post(hand_over))
        .route("/extensions", get(pending_extensions))
        .route("/extensions/{id}/decision", post(decide_extension))
        .route("/one-time-exceptions", get(pending_exceptions))
        .route("/one-time-exceptions/{id}/decision", post(decide_exception))
        .route("/public/cases/{number}", get(public_status))
}

/// Cases by scope (`mine`, `unit`, `all` for supervisors), a page at a time in order of receipt
/// (`limit` 1–200, default 100; the next page in `Link` and `X-Next-Cursor`), each page most
/// urgent first (Clerk, Chief, Supervisor).
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseQuery),
    responses((status = 200, body = CaseList), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list(
    ctx: Ctx,
    c: Caller<CaseReaders>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<CaseQuery>,
) -> AppResult<(HeaderMap, Json<CaseList>)> {
    let scope = q.scope.unwrap_or_default();
    let page = paging::by_id(q.limit, q.cursor.as_deref())?;
    let closed = q.include_closed.unwrap_or(false);
    let list = cases::list(&ctx, &c, scope, closed, q.number.as_deref(), &page).await?;
    let headers = paging::next_page_headers("/cases", raw.as_deref(), list.next_cursor.as_deref());
    Ok((headers, Json(list)))
}

/// One case in full (its unit's staff, supervisors).
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}",
    tag = "cases",
    responses(
        (status = 200, body = CaseDetail),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn detail(
    ctx: Ctx,
    c: Caller<CaseReaders>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<CaseDetail>> {
    cases::detail(&ctx, &c, id).await.map(Json)
}

/// The case's 收件凭证 (its unit's staff, supervisors): number, item, materials handed in,
/// review and promised dates, 查询码.
#[utoipa::path(get, path = "/api/v1/cases/{id}/receipt", tag = "cases",
    responses((status = 200, body = CaseReceipt), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn receipt(
    ctx: Ctx,
    c: Caller<CaseReaders>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<CaseReceipt>> {
    cases::receipt(&ctx, &c, id).await.map(Json)
}

/// Receives an application (Clerk, for an item of their unit). The time of receipt is the server's.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = ReceiveCase,
    responses((status = 201, body = CaseDetail), (status = 422, body = ErrorBody)))]
pub async fn receive(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiJson(body): ApiJson<ReceiveCase>,
) -> AppResult<(StatusCode, Json<CaseDetail>)> {
    let case = cases::receive(&ctx, &c, body).await?;
    Ok((StatusCode::CREATED, changed(&ctx, case).await))
}

/// The acceptance review with a verdict per material; issues the notice the outcome needs (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/review",
    tag = "cases",
    request_body = ReviewRequest,
    responses(
        (status = 200, body = ReviewResult),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn review(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReviewRequest>,
) -> AppResult<Json<ReviewResult>> {
    cases::sweep_clock(&ctx).await?;
    let result = cases::review(&ctx, &c, id, body).await?;
    let _ = changed(&ctx, result.case.clone()).await;
    Ok(Json(result))
}

/// Records corrected materials received (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/corrections",
    tag = "cases",
    request_body = CorrectionReceipt,
    responses((status = 200, body = CaseDetail), (status = 409, body = ErrorBody))
)]
pub async fn correction(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CorrectionReceipt>,
) -> AppResult<Json<CaseDetail>> {
    let case = cases::receive_correction(&ctx, &c, id, body).await?;
    Ok(changed(&ctx, case).await)
}

/// Asks the chief representative to allow a later notice to name a new material (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/one-time-exceptions",
    tag = "cases",
    request_body = OneTimeExceptionRequest,
    responses((status = 201, body = OneTimeExceptionRecord), (status = 422, body = ErrorBody))
)]
pub async fn request_exception(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OneTimeExceptionRequest>,
) -> AppResult<(StatusCode, Json<OneTimeExceptionRecord>)> {
    let record = cases::request_exception(&ctx, &c, id, body).await?;
    request_changed(&ctx, &c, record.case_id, "exception.requested").await;
    Ok((StatusCode::CREATED, Json(record)))
}

/// Tells the unit's open desks that a request on a case (an extension, a one-time exception)
/// was asked for or decided: the chief's list showed a new exception request only after a
/// reload, the clerk's case page never the answer. The caller (the case's clerk or its chief)
/// is of the case's unit and center.
async fn request_changed(
    ctx: &Ctx,
    c: &crate::services::Principal,
    case_id: i64,
    name: &'static str,
) {
    let mut e = event(Topic::Cases, name)
        .unit(c.unit_id.unwrap_or_default())
        .id(case_id);
    if let Some(center) = c.center_id {
        e = e.center(center);
    }
    ctx.publish(e).await;
}

/// 受理 → 审查 (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/start-review",
    tag = "cases",
    request_body = VersionOnly,
    responses((status = 200, body = CaseDetail), (status = 409, body = ErrorBody))
)]
pub async fn start_review(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<VersionOnly>,
) -> AppResult<Json<CaseDetail>> {
    let case = cases::start_review(&ctx, &c, id, body.version).await?;
    Ok(changed(&ctx, case).await)
}

/// 审查 → 决定 (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/to-decision",
    tag = "cases",
    request_body = VersionOnly,
    responses((status = 200, body = CaseDetail), (status = 409, body = ErrorBody))
)]
pub async fn to_decision(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<VersionOnly>,
) -> AppResult<Json<CaseDetail>> {
    let case = cases::to_decision(&ctx, &c, id, body.version).await?;
    Ok(changed(&ctx, case).await)
}

/// Stops the clock for a special procedure the item lists; issues the written notice (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/suspensions",
    tag = "cases",
    request_body = SuspendRequest,
    responses(
        (status = 200, body = CaseDetail),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn suspend(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SuspendRequest>,
) -> AppResult<Json<CaseDetail>> {
    let case = cases::suspend(&ctx, &c, id, body).await?;
    Ok(changed(&ctx, case).await)
}

/// The special procedure ended: the clock runs again (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/resume",
    tag = "cases",
    request_body = ResumeRequest,
    responses((status = 200, body = CaseDetail), (status = 409, body = ErrorBody))
)]
pub async fn resume(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ResumeRequest>,
) -> AppResult<Json<CaseDetail>> {
    let case = cases::resume(&ctx, &c, id, body).await?;
    Ok(changed(&ctx, case).await)
}

/// Requests the one extension; refused at or after the due moment (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/extensions",
    tag = "cases",
    request_body = ExtensionRequest,
    responses(
        (status = 200, body = CaseDetail),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn request_extension(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ExtensionRequest>,
) -> AppResult<Json<CaseDetail>> {
    let case = cases::request_extension(&ctx, &c, id, body).await?;
    Ok(changed(&ctx, case).await)
}

/// Approves or denies the application; a denial states reasons and the applicant's rights (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/decision",
    tag = "cases",
    request_body = DecisionRequest,
    responses(
        (status = 200, body = CaseDetail),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn decide(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DecisionRequest>,
) -> AppResult<Json<CaseDetail>> {
    let case = cases::decide(&ctx, &c, id, body).await?;
    Ok(changed(&ctx, case).await)
}

/// Records delivery of the result (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/delivery",
    tag = "cases",
    request_body = DeliveryRequest,
    responses((status = 200, body = CaseDetail), (status = 409, body = ErrorBody))
)]
pub async fn deliver(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DeliveryRequest>,
) -> AppResult<Json<CaseDetail>> {
    let case = cases::deliver(&ctx, &c, id, body).await?;
    Ok(changed(&ctx, case).await)
}

/// Closes the case with the owner's feedback to the applicant (Clerk, the owner).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/close",
    tag = "cases",
    request_body = CloseRequest,
    responses(
        (status = 200, body = CaseDetail),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)
    )
)]
pub async fn close(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CloseRequest>,
) -> AppResult<Json<CaseDetail>> {
    let case = cases::close(&ctx, &c, id, body).await?;
    Ok(changed(&ctx, case).await)
}

/// The applicant withdraws before a decision (Clerk).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/withdraw",
    tag = "cases",
    request_body = WithdrawRequest,
    responses((status = 200, body = CaseDetail), (status = 409, body = ErrorBody))
)]
pub async fn withdraw(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<WithdrawRequest>,
) -> AppResult<Json<CaseDetail>> {
    let case = cases::withdraw(&ctx, &c, id, body).await?;
    Ok(changed(&ctx, case).await)
}

/// Hands an open case to another clerk of its unit, its new owner (首问负责人), e.g. when the
/// owner left (ChiefRepresentative of the case's unit).
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/handover",
    tag = "cases",
    request_body = HandoverRequest,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn hand_over(
    ctx: Ctx,
    c: Caller<Chiefs>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<HandoverRequest>,
) -> AppResult<Json<CaseDetail>> {
    let case = cases::hand_over(&ctx, &c, id, body).await?;
    Ok(changed(&ctx, case).await)
}

/// Extension requests waiting for the caller's unit, most urgent first, in pages
/// (ChiefRepresentative).
#[utoipa::path(
    get,
    path = "/api/v1/extensions",
    tag = "cases",
    params(PageQuery),
    responses((status = 200, body = Vec<ExtensionRecord>), (status = 422, body = ErrorBody))
)]
pub async fn pending_extensions(
    ctx: Ctx,
    c: Caller<Chiefs>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<paging::PageParams>,
) -> AppResult<(HeaderMap, Json<Vec<ExtensionRecord>>)> {
    // The cursor is `<due moment, RFC 3339, or "-">_<id>` of the previous page's last item.
    let text = paging::by_text(q.limit, q.cursor.as_deref())?;
    let after = match text.after.as_deref() {
        None => None,
        Some(key) => Some(extension_key(key).ok_or_else(paging::bad_cursor)?),
    };
    let request = PageRequest {
        limit: text.limit,
        after,
    };
    let page = cases::pending_extensions(&ctx, &c, &request).await?;
    Ok(paging::answer("/extensions", raw, page, |(due, id)| {
        let due = due.map_or_else(|| "-".to_string(), |d| d.to_rfc3339());
        paging::text_cursor(&format!("{due}_{id}"))
    }))
}

fn extension_key(key: &str) -> Option<cases::ExtensionKey> {
    let (due, id) = key.split_once('_')?;
    let due = match due {
        "-" => None,
        at => Some(
            chrono::DateTime::parse_from_rfc3339(at)
                .ok()?
                .with_timezone(&chrono::Utc),
        ),
    };
    Some((due, id.parse().ok()?))
}

/// Approves (strictly before the due moment) or refuses an extension (ChiefRepresentative of the
/// unit).
#[utoipa::path(
    post,
    path = "/api/v1/extensions/{id}/decision",
    tag = "cases",
    request_body = ApprovalDecisionInput,
    responses(
        (status = 200, body = ExtensionRecord),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn decide_extension(
    ctx: Ctx,
    c: Caller<Chiefs>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ApprovalDecisionInput>,
) -> AppResult<Json<ExtensionRecord>> {
    let record = cases::decide_extension(&ctx, &c, id, body).await?;
    request_changed(&ctx, &c, record.case_id, "extension.decided").await;
    Ok(Json(record))
}

/// One-time-rule exceptions waiting for the caller's unit, oldest first, in pages
/// (ChiefRepresentative).
#[utoipa::path(
    get,
    path = "/api/v1/one-time-exceptions",
    tag = "cases",
    params(PageQuery),
    responses((status = 200, body = Vec<OneTimeExceptionRecord>), (status = 422, body = ErrorBody))
)]
pub async fn pending_exceptions(
    ctx: Ctx,
    c: Caller<Chiefs>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<paging::PageParams>,
) -> AppResult<(HeaderMap, Json<Vec<OneTimeExceptionRecord>>)> {
    let request = paging::by_id(q.limit, q.cursor.as_deref())?;
    let page = cases::pending_exceptions(&ctx, &c, &request).await?;
    Ok(paging::answer_by_id("/one-time-exceptions", raw, page))
}

/// Approves or refuses a one-time-rule exception (ChiefRepresentative of the unit); a refusal
/// gives its reason in `note` (422 `required` without one).
#[utoipa::path(
    post,
    path = "/api/v1/one-time-exceptions/{id}/decision",
    tag = "cases",
    request_body = ApprovalDecisionInput,
    responses((status = 200, body = OneTimeExceptionRecord), (status = 403, body = ErrorBody))
)]
pub async fn decide_exception(
    ctx: Ctx,
    c: Caller<Chiefs>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ApprovalDecisionInput>,
) -> AppResult<Json<OneTimeExceptionRecord>> {
    let record = cases::approve_exception(&ctx, &c, id, body).await?;
    request_changed(&ctx, &c, record.case_id, "exception.decided").await;
    Ok(Json(record))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseSecret {
    /// The whole mobile number given at receipt (any written form: `139-9501-2345`, `+86 …`).
    pub phone: Option<String>,
    /// No longer enough (issue 12): answered with 422 `lookup_secret_too_short`.
    pub phone_last4: Option<String>,
    /// The 查询码 printed on the 收件凭证 (instead of the phone; any case, hyphen optional).
    pub code: Option<String>,
}

impl CaseSecret {
    pub fn phone(phone: &str) -> Self {
        Self {
            phone: Some(phone.to_string()),
            phone_last4: None,
            code: None,
        }
    }

    pub fn code(code: &str) -> Self {
        Self {
            phone: None,
            phone_last4: None,
            code: Some(code.to_string()),
        }
    }
}

/// A citizen's look at their case by number (hyphens optional) and phone or 查询码: status in
/// plain words, due date and working days left, what to do, history, notices' titles; nothing
/// personal (anyone; limited per address and per case number). A wrong pair is 404. Given
/// neither phone nor code, the pair this browser proved by `POST /track/lookup` (the
/// `chuangkou_case` cookie, signed by the server) is used, so that `/track` never carries the
/// phone in its address; such a look-up again is limited per address only.
#[utoipa::path(get, path = "/api/v1/public/cases/{number}", tag = "public", params(CaseSecret),
    responses((status = 200, body = PublicCaseStatus), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn public_status(
    ctx: Ctx,
    State(state): State<AppState>,
    _: PublicLookup,
    ApiPath(number): ApiPath<String>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<CaseSecret>,
) -> AppResult<Json<PublicCaseStatus>> {
    let held =
        holder::held_case_secret(&headers, &cases::stored_number(&number), &state.holder_key);
    // A look-up this browser made before (the server signed it) is not a guess: it does not
    // spend the case's hourly look-ups again.
    let again = q.phone.is_none() && q.code.is_none() && q.phone_last4.is_none() && held.is_some();
    let key = match (&q.phone, &q.code, &q.phone_last4, &held) {
        (Some(phone), _, _, _) => cases::CaseKey::Phone(phone),
        (None, Some(code), _, _) => cases::CaseKey::Code(code),
        (None, None, Some(_), _) => {
            return Err(AppError::invalid(
                "lookup_secret_too_short",
                "请输入申请时所留的完整手机号：仅凭后四位已不能查询",
            )
            .with_field("phone_last4"));
        }
        (None, None, None, Some(HeldCaseSecret::Phone(phone))) => cases::CaseKey::Phone(phone),
        (None, None, None, Some(HeldCaseSecret::Code(code))) => cases::CaseKey::Code(code),
        (None, None, None, None) => {
            return Err(
                AppError::invalid("required", "请输入申请时所留的手机号").with_field("phone")
            );
        }
    };
    // Every written form of one number counts against that number's limit.
    let stored = cases::stored_number(&number);
    // Only a phone waits for the case's wrong lookups: the 查询码 is too long to guess, so
    // guesses at the phone never lock the applicant out.
    if !again && matches!(key, cases::CaseKey::Phone(_)) {
        state.public_limiter.check_case_phone(&stored)?;
    }
    let status = cases::public_status(&ctx, &number, key).await;
    if !again
        && let Err(err) = &status
        && err.code() == "case_not_found"
    {
        state.public_limiter.case_lookup_failed(&stored);
    }
    status.map(Json)
}
