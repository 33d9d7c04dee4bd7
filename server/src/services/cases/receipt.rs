//! 收件凭证: what the applicant takes home when the window receives an application — the case
//! number, the item, what was handed in, when the review answers, the promised date if it is
//! accepted that day, and the 查询码 that opens the public lookup (issue 14 point 10).

use app::api::{
    appointments::display_code,
    cases::{CaseReceipt, ReceivedMaterial},
    catalog::LimitSpec,
};

use rules::calendar::DueDate;

use super::{
    Ctx, Loaded, Principal, can_read,
    deadlines::{acceptance_due_provisional, review_due},
    load,
};
use crate::{
    error::{AppError, AppResult},
    store::documents,
};

/// The date the 收件凭证 promises: accepted on the day of receipt, the clock would start that
/// day (not counted); `None` for an immediate item.
pub(super) fn promised_at_receipt(ctx: &Ctx, loaded: &Loaded) -> AppResult<Option<DueDate>> {
    let received_on = ctx.local(loaded.row.received_at).date();
    match loaded.item.time_limit {
        LimitSpec::Promised { working_days, .. } => Ok(Some(
            ctx.calendar
                .add_working_days_provisional(received_on, working_days)
                .map_err(|e| AppError::internal(anyhow::anyhow!("promised date: {e}")))?,
        )),
        LimitSpec::Immediate { .. } => Ok(None),
    }
}

pub async fn receipt(ctx: &Ctx, p: &Principal, id: i64) -> AppResult<CaseReceipt> {
    let loaded = load(&ctx.db.conn, id).await?;
    if !can_read(p, &loaded.row) {
        return Err(AppError::forbidden());
    }
    let row = &loaded.row;
    let item = &loaded.item;
    let keys: Option<Vec<String>> = row
        .received_materials
        .as_deref()
        .map(documents::list)
        .transpose()?;
    let materials = keys
        .iter()
        .flatten()
        .filter_map(|k| item.materials.iter().find(|m| &m.key == k))
        .map(|m| ReceivedMaterial {
            key: m.key.clone(),
            name: m.name.clone(),
            description: m.description(),
        })
        .collect();
    let promised = promised_at_receipt(ctx, &loaded)?;
    // As printed the first time: counted from receipt, whatever corrections moved since (an
    // immediate item is handled on the spot and has none).
    let review_due_at = match item.time_limit {
        LimitSpec::Promised { .. } => Some(review_due(ctx, &loaded.hours, row.received_at)?),
        LimitSpec::Immediate { .. } => None,
    };
    Ok(CaseReceipt {
        case_id: row.id,
        number: row.number.clone(),
        item_code: item.code.clone(),
        item_name: item.name.clone(),
        unit_name: item.unit_name.clone(),
        center_name: loaded.center.name.clone(),
        center_address: loaded.center.address.clone(),
        center_phone: loaded.center.phone.clone(),
        applicant_name: row.applicant_name.clone(),
        received_at: row.received_at,
        materials_recorded: keys.is_some(),
        materials,
        time_limit_label: item.time_limit.promised_label(),
        review_due_at,
        review_due_provisional: review_due_at.is_some_and(|d| acceptance_due_provisional(ctx, d)),
        promised_date: promised.as_ref().map(|d| d.date),
        promised_provisional: promised.as_ref().is_some_and(|d| d.provisional),
        lookup_code: row.lookup_code.as_deref().map(display_code),
    })
}
