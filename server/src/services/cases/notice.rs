//! The notices a case step issues: the header every case notice shares, and issuing one in the
//! step's transaction.

use app::api::{
    catalog::{ItemCategory, LimitSpec},
    notices::{NoticeKind, NoticeSummary},
};
use chrono::{DateTime, Utc};
use rules::ClockStartBasis;
use sea_orm::DatabaseTransaction;

use super::{Ctx, Loaded};
use crate::{
    error::AppResult,
    services::notices::{self, NoticeBody, NoticeData},
};

/// The notice header every case notice shares.
pub(crate) fn notice_data(
    ctx: &Ctx,
    loaded: &Loaded,
    kind: NoticeKind,
    body: NoticeBody,
) -> NoticeData {
    NoticeData {
        kind,
        number: String::new(),
        title: String::new(),
        issued_on: ctx.today(),
        licensing: loaded.item.category == ItemCategory::Licensing,
        unit_name: loaded.item.unit_name.clone(),
        center_name: loaded.center.name.clone(),
        center_address: loaded.center.address.clone(),
        center_phone: loaded.center.phone.clone(),
        applicant_name: loaded.row.applicant_name.clone(),
        case_number: loaded.row.number.clone(),
        item_code: loaded.item.code.clone(),
        item_name: loaded.item.name.clone(),
        received_on: ctx.local(loaded.row.received_at).date(),
        body,
    }
}

/// Issues a notice for the case and returns its summary.
pub(crate) async fn issue(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: i64,
    loaded: &Loaded,
    kind: NoticeKind,
    body: NoticeBody,
) -> AppResult<NoticeSummary> {
    issue_as(txn, ctx, actor, Some(actor), loaded, kind, body).await
}

/// Issues a notice under `issued_by`, with `audit_actor` as who caused it (`None`: the system).
pub(crate) async fn issue_as(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    issued_by: i64,
    audit_actor: Option<i64>,
    loaded: &Loaded,
    kind: NoticeKind,
    body: NoticeBody,
) -> AppResult<NoticeSummary> {
    let data = notice_data(ctx, loaded, kind, body);
    let (unit, case) = (loaded.row.unit_id, Some(loaded.row.id));
    let row = notices::issue(txn, ctx, issued_by, audit_actor, unit, case, data).await?;
    notices::summary(txn, &row).await
}

/// The 受理通知书's body: accepted on the day of acceptance (deemed: of receipt), the due it
/// states, and where the clock started — at the last correction received, when there was one
/// (Seed §二(三)二), so the notice does not claim the limit runs from acceptance.
pub(crate) fn acceptance_body(
    ctx: &Ctx,
    loaded: &Loaded,
    basis: &ClockStartBasis,
    due_at: Option<DateTime<Utc>>,
    provisional: bool,
) -> NoticeBody {
    let (accepted_on, deemed, clock_from_correction) = match basis {
        ClockStartBasis::DeemedAccepted => (ctx.local(loaded.row.received_at).date(), true, None),
        ClockStartBasis::AcceptedAfterCorrection {
            last_correction_received_at,
        } => (ctx.today(), false, Some(last_correction_received_at.date())),
        ClockStartBasis::Accepted { .. } => (ctx.today(), false, None),
    };
    NoticeBody::Acceptance {
        accepted_on,
        limit_label: loaded.item.time_limit.promised_label(),
        due: due_at.map(|d| ctx.local(d)),
        due_provisional: provisional,
        deemed,
        clock_from_correction,
        special_procedures: loaded.item.special_procedures.clone(),
        in_minutes: matches!(loaded.item.time_limit, LimitSpec::Immediate { .. }),
        drawn_up_at: Some(ctx.local_now()),
    }
}
