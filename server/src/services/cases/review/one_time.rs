//! The one-time rule (一次性告知, Seed §二(二)二) at review time: a later correction notice may
//! only repeat what was told on any earlier notice (the union of all of them, `ToldBefore`),
//! unless the chief representative approved naming a new material — then the notice goes out
//! and the breach is recorded, once: an item added that way has been told from then on.

use app::api::{catalog::LimitSpec, notices::NoticeKind};
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
        let (used, covered) = approved_exceptions_for(txn, row.id, &new_keys).await?;
        let uncovered: Vec<String> = (new_keys.iter())
            .filter(|k| !covered.contains(k))
            .cloned()
            .collect();
        let approval = if uncovered.is_empty() && !used.is_empty() {
            Some(approval_of(txn, &used).await?)
        } else {
            None
        };
        let checked = check_one_time_rule(&told, &later, approval.as_ref())
            .map_err(|e| match e {
                // Only what no approval covers still needs one (the refusal named a material
                // already approved beside the one that was not).
                OneTimeRuleError::Refused { .. } => OneTimeRuleError::Refused {
                    new_items: uncovered.clone(),
                },
                e => e,
            })
            .map_err(|e| AppError::from(named_in_error(e, loaded)))?;
        if let OneTimeCheck::RecordedBreach(breach) = checked {
            for ex in used {
                use_exception(txn, ex).await?;
            }
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
        in_minutes: matches!(loaded.item.time_limit, LimitSpec::Immediate { .. }),
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

/// The approved, unused exceptions that name any of `new_keys` (a clerk may have asked for two
/// materials in two requests, each approved: one notice uses both), and the keys they cover.
async fn approved_exceptions_for(
    txn: &DatabaseTransaction,
    case_id: i64,
    new_keys: &[String],
) -> AppResult<(Vec<one_time_exception::Model>, Vec<String>)> {
    let mut used = Vec::new();
    let mut covered: Vec<String> = Vec::new();
    if new_keys.is_empty() {
        return Ok((used, covered));
    }
    let approved = one_time_exception::Entity::find()
        .filter(one_time_exception::Column::CaseId.eq(case_id))
        .filter(one_time_exception::Column::Status.eq(RequestStatus::Approved))
        .order_by_asc(one_time_exception::Column::Id)
        .all(txn)
        .await?;
    for ex in approved {
        let keys: Vec<String> = documents::list(&ex.material_keys)?;
        let adds: Vec<String> = keys
            .into_iter()
            .filter(|k| new_keys.contains(k) && !covered.contains(k))
            .collect();
        if !adds.is_empty() {
            covered.extend(adds);
            used.push(ex);
        }
    }
    Ok((used, covered))
}

/// The approval `used` exceptions make together: their reasons and their approvers' names.
async fn approval_of(
    txn: &DatabaseTransaction,
    used: &[one_time_exception::Model],
) -> AppResult<NewItemApproval> {
    let mut reasons: Vec<String> = Vec::new();
    let mut chiefs: Vec<String> = Vec::new();
    for ex in used {
        if !reasons.contains(&ex.reason) {
            reasons.push(ex.reason.clone());
        }
        let chief = match ex.approved_by {
            Some(id) => staff::Entity::find_by_id(id)
                .one(txn)
                .await?
                .map(|s| s.name),
            None => None,
        };
        if let Some(chief) = chief.filter(|c| !chiefs.contains(c)) {
            chiefs.push(chief);
        }
    }
    Ok(NewItemApproval {
        reason: reasons.join("；"),
        approved_by: chiefs.join("、"),
    })
}
