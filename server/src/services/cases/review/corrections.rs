//! Corrected materials handed in (补正): recorded with the time; the clock will start from the
//! last of them (Seed §二(三)二).

use app::api::cases::{CaseDetail, CorrectionReceipt};
use rules::{
    CaseState,
    review::{CorrectionProgress, ReviewOutcome},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use super::super::deadlines::{acceptance_due_after_corrections, acceptance_due_provisional};
use super::{
    Ctx, Loaded, Principal, center_of, ensure_clerk_of, ensure_version, load, save, views,
};
use crate::{
    error::{AppError, AppResult},
    store::{
        documents,
        entities::{case_correction, case_review, cases},
    },
};

/// Every key names a material of the case's item; at least one.
pub(super) fn check_material_keys(loaded: &Loaded, keys: &[String], what: &str) -> AppResult<()> {
    if keys.is_empty() {
        return Err(
            AppError::invalid("required", format!("请选择{what}")).with_field("material_keys")
        );
    }
    for (i, key) in keys.iter().enumerate() {
        let Some(material) = loaded.item.materials.iter().find(|m| &m.key == key) else {
            return Err(
                AppError::invalid("unknown_materials", format!("该事项没有材料“{key}”"))
                    .with_field("material_keys"),
            );
        };
        if keys[..i].contains(key) {
            return Err(AppError::invalid(
                "duplicate_materials",
                format!("材料“{}”重复选择", material.name),
            )
            .with_field("material_keys"));
        }
    }
    Ok(())
}

/// The latest correction notice's deficiencies (each with what is wrong with it), split by what
/// has come in since it was issued (`None` without a correction notice). The case page, `/track`
/// and the rules below all read it.
/// The rules' check that `outcome` may follow the case's correction notice: an acceptance only
/// once every correction named is registered (the page warned, the server let it pass, and the
/// clock then started at the review with no record of what came in).
pub(super) async fn ensure_corrections_in(
    txn: &DatabaseTransaction,
    case_id: i64,
    outcome: &ReviewOutcome,
) -> AppResult<()> {
    let Some(progress) = correction_progress(txn, case_id).await? else {
        return Ok(());
    };
    progress.allows(outcome).map_err(|outstanding| {
        let names: Vec<&str> = outstanding.iter().map(|d| d.name.as_str()).collect();
        AppError::conflict(
            "corrections_outstanding",
            format!(
                "以下补正材料尚未登记收到：{}。请先登记申请人交来的补正材料，再予以受理",
                names.join("、")
            ),
        )
    })
}

pub(crate) async fn correction_progress<C: ConnectionTrait>(
    txn: &C,
    case_id: i64,
) -> AppResult<Option<CorrectionProgress>> {
    let Some(notice) = case_review::Entity::find()
        .filter(case_review::Column::CaseId.eq(case_id))
        .filter(case_review::Column::Outcome.eq(super::one_time::correction_code()))
        .order_by_desc(case_review::Column::Round)
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let asked = match documents::review_outcome(&notice.outcome_detail)? {
        ReviewOutcome::CorrectionRequired { deficiencies } => deficiencies,
        _ => return Ok(None),
    };
    let mut corrections = Vec::new();
    for c in case_correction::Entity::find()
        .filter(case_correction::Column::CaseId.eq(case_id))
        .all(txn)
        .await?
    {
        corrections.push((c.received_at, documents::list::<String>(&c.material_keys)?));
    }
    Ok(Some(CorrectionProgress::of(
        &asked,
        &notice.reviewed_at,
        corrections,
    )))
}

/// Whether every material the latest correction notice asked for has come in since it was
/// issued: then the case must be accepted at once (必须即时受理).
pub(crate) async fn corrections_complete(
    txn: &DatabaseTransaction,
    case_id: i64,
) -> AppResult<bool> {
    Ok(correction_progress(txn, case_id)
        .await?
        .is_some_and(|p| p.complete()))
}

/// A material already handed in since the latest notice is not registered again: the clock
/// starts from the last correction received (Seed §二(三)二), so a repeated registration on a
/// later day would move the start, and with it the due, without anything new from the applicant.
async fn ensure_not_received_yet(
    txn: &DatabaseTransaction,
    loaded: &Loaded,
    keys: &[String],
) -> AppResult<()> {
    let progress = correction_progress(txn, loaded.row.id).await?;
    let Some(again) = progress.as_ref().and_then(|p| p.already_received(keys)) else {
        return Ok(());
    };
    Err(AppError::invalid(
        "correction_already_received",
        format!("补正材料“{}”已登记收到，不能重复登记", again.name),
    )
    .with_field("material_keys"))
}

pub async fn receive_correction(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    req: CorrectionReceipt,
) -> AppResult<CaseDetail> {
    let p = p.clone();
    let center = center_of(ctx, case_id).await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let loaded = load(txn, case_id).await?;
            ensure_clerk_of(&p, &loaded.row)?;
            ensure_version(txn, &ctx, &loaded, req.version).await?;
            if loaded.state()? != CaseState::CorrectionRequested {
                return Err(AppError::conflict(
                    "illegal_transition",
                    "只有待补正的办件可以接收补正材料",
                ));
            }
            check_material_keys(&loaded, &req.material_keys, "收到的补正材料")?;
            // 一次性告知: what is handed in answers what the notices asked for.
            let told = super::one_time::told_before(txn, case_id).await?;
            if let Some(key) = req.material_keys.iter().find(|k| !told.contains(k)) {
                let name = loaded.item.materials.iter().find(|m| &m.key == key);
                let name = name.map_or(key.as_str(), |m| m.name.as_str());
                return Err(AppError::invalid(
                    "not_on_notice",
                    format!("补正告知书没有要求补正“{name}”"),
                )
                .with_field("material_keys"));
            }
            ensure_not_received_yet(txn, &loaded, &req.material_keys).await?;
            case_correction::ActiveModel {
                case_id: Set(case_id),
                material_keys: Set(documents::list_json(&req.material_keys)?),
                received_by: Set(p.id),
                received_at: Set(ctx.now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            let mut model: cases::ActiveModel = loaded.row.clone().into();
            model.last_correction_at = Set(Some(ctx.now));
            // Every correction in: accepted by close of business today, or deemed accepted.
            let complete = corrections_complete(txn, case_id).await?;
            if complete {
                let due = acceptance_due_after_corrections(&ctx, &loaded.hours, ctx.now)?;
                model.review_due_at = Set(Some(due));
                model.due_provisional = Set(acceptance_due_provisional(&ctx, due));
                // The acceptance stage runs again, counted from now.
                model.stage_started_at = Set(Some(ctx.now));
            }
            let action = "case.correction_received";
            save(txn, &ctx, Some(p.id), action, &loaded.row, model).await?;
            let loaded = load(txn, case_id).await?;
            if complete {
                super::super::timeliness::wait_for_corrections(txn, &ctx, &loaded, true).await?;
            }
            views::detail_of(txn, &ctx, &loaded).await
        })
    })
    .await
}
