//! The notices a case step issues: the header every case notice shares, and issuing one in the
//! step's transaction.

use app::api::{
    catalog::ItemCategory,
    notices::{NoticeKind, NoticeSummary},
};
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
    let data = notice_data(ctx, loaded, kind, body);
    let row = notices::issue(
        txn,
        ctx,
        actor,
        loaded.row.unit_id,
        Some(loaded.row.id),
        data,
    )
    .await?;
    notices::summary(txn, &row).await
}
