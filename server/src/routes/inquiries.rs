//! First inquiries (首问负责): record, end in one outcome, confirm referrals, resolve escalations,
//! give feedback.

use app::api::inquiries::{
    EscalationView, FeedbackRequest, InquiryInbox, InquiryView, NewInquiry, OutcomeRequest,
    ReferralView, ResolveRequest,
};
use axum::{
    Json, Router,
    http::StatusCode,
    routing::{get, post},
};

use crate::{
    auth::{
        Caller,
        policy::{Chiefs, Clerks, UnitStaff},
    },
    error::{AppResult, ErrorBody},
    events::{EventExt, Topic, event},
    extract::{ApiJson, ApiPath},
    services::{Ctx, inquiries},
    state::AppState,
};

/// Tells open workbenches that inquiries changed (after the change committed): one event per
/// unit concerned — the inquiry's own, and the unit a referral went to — so that another
/// unit's clerks hear nothing of it (a unit-2 clerk heard every unit-1 inquiry's event).
/// Referrals stay within the hall; another hall's staff hear nothing either.
async fn changed(ctx: &Ctx, center_id: Option<i64>, units: &[i64]) {
    let mut units = units.to_vec();
    units.sort_unstable();
    units.dedup();
    for unit in units {
        let mut e = event(Topic::Inquiries, "inquiry.changed").unit(unit);
        if let Some(center) = center_id {
            e = e.center(center);
        }
        ctx.publish(e).await;
    }
}

/// The units an inquiry's change concerns: its own, and the one it was referred to.
fn concerned(view: &InquiryView) -> Vec<i64> {
    let referred = view.referral.as_ref().map(|r| r.to_unit_id);
    [Some(view.unit_id), referred]
        .into_iter()
        .flatten()
        .collect()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inquiries", post(create))
        .route("/inquiries/inbox", get(inbox))
        .route("/inquiries/{id}/outcome", post(outcome))
        .route("/inquiries/{id}/feedback", post(feedback))
        .route("/referrals/{id}/confirm", post(confirm))
        .route("/escalations/{id}/resolve", post(resolve))
}

/// Records a contact; the caller owns it (Clerk, ChiefRepresentative).
#[utoipa::path(post, path = "/api/v1/inquiries", tag = "inquiries", request_body = NewInquiry,
    responses((status = 201, body = InquiryView), (status = 422, body = ErrorBody)))]
pub async fn create(
    ctx: Ctx,
    c: Caller<UnitStaff>,
    ApiJson(body): ApiJson<NewInquiry>,
) -> AppResult<(StatusCode, Json<InquiryView>)> {
    let view = inquiries::create(&ctx, &c, body).await?;
    changed(&ctx, Some(view.center_id), &concerned(&view)).await;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The caller's inquiries, referrals to confirm and escalations to resolve (Clerk,
/// ChiefRepresentative).
#[utoipa::path(
    get,
    path = "/api/v1/inquiries/inbox",
    tag = "inquiries",
    responses((status = 200, body = InquiryInbox))
)]
pub async fn inbox(ctx: Ctx, c: Caller<UnitStaff>) -> AppResult<Json<InquiryInbox>> {
    inquiries::inbox(&ctx, &c).await.map(Json)
}

/// Ends an inquiry in exactly one outcome (the owner).
#[utoipa::path(
    post,
    path = "/api/v1/inquiries/{id}/outcome",
    tag = "inquiries",
    request_body = OutcomeRequest,
    responses(
        (status = 200, body = InquiryView),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn outcome(
    ctx: Ctx,
    c: Caller<UnitStaff>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OutcomeRequest>,
) -> AppResult<Json<InquiryView>> {
    let view = inquiries::set_outcome(&ctx, &c, id, body).await?;
    changed(&ctx, Some(view.center_id), &concerned(&view)).await;
    Ok(Json(view))
}

/// Reports the escalation's result back to the applicant and closes (the owner).
#[utoipa::path(
    post,
    path = "/api/v1/inquiries/{id}/feedback",
    tag = "inquiries",
    request_body = FeedbackRequest,
    responses((status = 200, body = InquiryView), (status = 409, body = ErrorBody))
)]
pub async fn feedback(
    ctx: Ctx,
    c: Caller<UnitStaff>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FeedbackRequest>,
) -> AppResult<Json<InquiryView>> {
    let view = inquiries::give_feedback(&ctx, &c, id, body).await?;
    changed(&ctx, Some(view.center_id), &concerned(&view)).await;
    Ok(Json(view))
}

/// The receiving unit confirms a referral (Clerk of that unit).
#[utoipa::path(
    post,
    path = "/api/v1/referrals/{id}/confirm",
    tag = "inquiries",
    responses(
        (status = 200, body = ReferralView),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)
    )
)]
pub async fn confirm(
    ctx: Ctx,
    c: Caller<Clerks>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ReferralView>> {
    let view = inquiries::confirm_referral(&ctx, &c, id).await?;
    // The receiving unit's staff confirm: the caller's hall is the referral's.
    changed(&ctx, c.center_id, &[view.from_unit_id, view.to_unit_id]).await;
    Ok(Json(view))
}

/// Resolves an escalation (ChiefRepresentative of the unit).
#[utoipa::path(
    post,
    path = "/api/v1/escalations/{id}/resolve",
    tag = "inquiries",
    request_body = ResolveRequest,
    responses(
        (status = 200, body = EscalationView),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)
    )
)]
pub async fn resolve(
    ctx: Ctx,
    c: Caller<Chiefs>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ResolveRequest>,
) -> AppResult<Json<EscalationView>> {
    let view = inquiries::resolve_escalation(&ctx, &c, id, body).await?;
    changed(&ctx, c.center_id, &[view.unit_id]).await;
    Ok(Json(view))
}
