//! The one-time rule (一次性告知, Seed §二(二)二) at review time: a later correction notice may
//! only repeat what was told on any earlier notice (the union of all of them, `ToldBefore`),
//! unless the chief representative approved naming a new material — then the notice goes out
//! and the breach is recorded, once: an item added that way has been told from then on.

use app::api::notices::NoticeKind;
use rules::{
    CaseState,
    review::{
        Deficiency, NewItemApproval, OneTimeCheck, OneTimeRuleError, ReviewOutcome, ToldBefore,
        check_one_time_rule,
    },
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{Ctx, Loaded, Principal, Step, deficiency_lines};
use crate::{
    error::{AppError, AppResult},
    services::{notices::NoticeBody, violations},
    store::{
        columns::RequestStatus,
        documents,
        entities::{case_review, cases, one_time_exception, staff},
    },
};

/// The stored code of a review that asked for corrections.
pub(super) fn correction_code() -> &'static str {
    ReviewOutcome::CorrectionRequired {
        deficiencies: Vec::new(),
    }
    .code()
}

/// A correction notice: the case waits for corrections; a later notice is checked against
/// everything told before and, where it names a new material, needs an approved exception
/// (used up here).
pub(super) async fn request_correction(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    p: &Principal,
    loaded: &Loaded,
    next: CaseState,
    deficiencies: &[Deficiency],
) -> AppResult<Step> {
    let row = &loaded.row;
    let later: Vec<String> = deficiencies.iter().map(|d| d.key.clone()).collect();
    let mut exception_reason = None;
    let told = told_before(txn, row.id).await?;
    if !told.is_empty() {
        let new_keys = told.new_items(&later);
        let approved = approved_exception_covering(txn, row.id, &new_keys).await?;
        let approval = approved.as_ref().map(|(ex, chief)| NewItemApproval {
            reason: ex.reason.clone(),
            approved_by: chief.clone(),
        });
        let checked = check_one_time_rule(&told, &later, approval.as_ref())
            .map_err(|e| AppError::from(named_in_error(e, loaded)))?;
        if let (OneTimeCheck::RecordedBreach(breach), Some((ex, _))) = (checked, approved) {
            use_exception(txn, ex).await?;
            let what = format!(
                "办件 {} 的补正告知新增了此前告知均未列明的材料（{}），经首席代表{}批准，理由：{}",
                row.number,
                material_names(loaded, &breach.new_items).join("、"),
                breach.approved_by,
                breach.reason
            );
            let kind = violations::Kind::OneTimeRuleBreach;
            violations::record(txn, ctx, kind, row, Some(p.id), what).await?;
            exception_reason = Some(breach.reason);
        }
    }
    let mut model: cases::ActiveModel = row.clone().into();
    model.state = Set(next.code().to_string());
    // The applicant's turn: no acceptance due until every correction is in.
    model.review_due_at = Set(None);
    if row.first_correction_at.is_none() {
        model.first_correction_at = Set(Some(ctx.now));
    }
    let body = NoticeBody::Correction {
        deficiencies: deficiency_lines(deficiencies),
        exception_reason,
    };
    Ok(Step {
        model,
        notices: vec![(NoticeKind::CorrectionNotice, body)],
        action: "case.correction_requested",
        due: None,
        enters: None,
    })
}

/// The names of the item's materials `keys` (a key the item no longer lists stays a key): the
/// clerk and the supervisor read "居民身份证", not "id_card".
fn material_names(loaded: &Loaded, keys: &[String]) -> Vec<String> {
    keys.iter()
        .map(|k| {
            let m = loaded.item.materials.iter().find(|m| &m.key == k);
            m.map_or_else(|| k.clone(), |m| m.name.clone())
        })
        .collect()
}

/// The rules' refusal naming materials by name.
fn named_in_error(e: OneTimeRuleError, loaded: &Loaded) -> OneTimeRuleError {
    use OneTimeRuleError as E;
    match e {
        E::Refused { new_items } => E::Refused {
            new_items: material_names(loaded, &new_items),
        },
        E::MissingReason { new_items } => E::MissingReason {
            new_items: material_names(loaded, &new_items),
        },
        E::MissingApprover { new_items } => E::MissingApprover {
            new_items: material_names(loaded, &new_items),
        },
    }
}

/// An approved exception covers one later notice.
async fn use_exception(txn: &DatabaseTransaction, ex: one_time_exception::Model) -> AppResult<()> {
    let next = rules::RequestStatus::from(ex.status).apply(rules::RequestEvent::Use)?;
    let mut used: one_time_exception::ActiveModel = ex.into();
    used.status = Set(next.into());
    used.update(txn).await?;
    Ok(())
}

/// Everything the applicant was told on the case's correction notices so far: the union of
/// their items (none before the first notice).
pub(super) async fn told_before(txn: &DatabaseTransaction, case_id: i64) -> AppResult<ToldBefore> {
    let notices = case_review::Entity::find()
        .filter(case_review::Column::CaseId.eq(case_id))
        .filter(case_review::Column::Outcome.eq(correction_code()))
        .order_by_asc(case_review::Column::Round)
        .all(txn)
        .await?;
    let mut keys: Vec<Vec<String>> = Vec::with_capacity(notices.len());
    for notice in notices {
        if let ReviewOutcome::CorrectionRequired { deficiencies } =
            documents::review_outcome(&notice.outcome_detail)?
        {
            keys.push(deficiencies.into_iter().map(|d| d.key).collect());
        }
    }
    Ok(ToldBefore::from_notices(keys))
}

/// An approved, unused exception that covers every one of `new_keys`, with the approver's name.
async fn approved_exception_covering(
    txn: &DatabaseTransaction,
    case_id: i64,
    new_keys: &[String],
) -> AppResult<Option<(one_time_exception::Model, String)>> {
    if new_keys.is_empty() {
        return Ok(None);
    }
    let approved = one_time_exception::Entity::find()
        .filter(one_time_exception::Column::CaseId.eq(case_id))
        .filter(one_time_exception::Column::Status.eq(RequestStatus::Approved))
        .all(txn)
        .await?;
    for ex in approved {
        let keys: Vec<String> = documents::list(&ex.material_keys)?;
        if new_keys.iter().all(|k| keys.contains(k)) {
            let chief = match ex.approved_by {
                Some(id) => staff::Entity::find_by_id(id)
                    .one(txn)
                    .await?
                    .map(|s| s.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            return Ok(Some((ex, chief)));
        }
    }
    Ok(None)
}
