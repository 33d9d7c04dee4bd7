//! Handing a case to another owner (首问负责人). The owner follows a promised case to the end
//! (Seed §二(一)三); when they cannot — they left and were deactivated, or are away — the unit's
//! chief representative, who takes what a clerk cannot (§二(一)六), names another clerk of the
//! unit, who from then on follows the case and gives the applicant the feedback.

use app::api::{
    Role,
    cases::{CaseDetail, HandoverRequest},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{Ctx, Principal, center_of, ensure_version, load, save, views};
use crate::{
    error::{AppError, AppResult},
    store::entities::{case_handover, staff, staff_role},
};

/// Hands case `case_id` to `req.to_staff_id` (the chief representative of the case's unit).
pub async fn hand_over(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    req: HandoverRequest,
) -> AppResult<CaseDetail> {
    let p = p.clone();
    let reason = super::progress::required(&req.reason, "reason", "移交原因")?;
    let center = center_of(ctx, case_id).await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let loaded = load(txn, case_id).await?;
            if p.ensure_chief_of(loaded.row.unit_id).is_err() {
                return Err(AppError::not_here(
                    "not_your_unit",
                    "只有本单位首席代表可以移交首问责任",
                ));
            }
            ensure_version(txn, &ctx, &loaded, req.version).await?;
            let state = loaded.state()?;
            if !state.is_open() {
                return Err(AppError::conflict(
                    "case_finished",
                    format!("此件状态为「{}」，已结束，无需移交", state.label_zh()),
                ));
            }
            if req.to_staff_id == loaded.row.owner_id {
                return Err(AppError::invalid(
                    "must_be_someone_else",
                    "此件已由该工作人员负责，请选择另一位窗口工作人员",
                )
                .with_field("to_staff_id"));
            }
            let to = staff::Entity::find_by_id(req.to_staff_id)
                .one(txn)
                .await?
                .filter(|s| s.active && s.unit_id == Some(loaded.row.unit_id));
            let is_clerk = staff_role::Entity::find()
                .filter(staff_role::Column::StaffId.eq(req.to_staff_id))
                .filter(staff_role::Column::Role.eq(Role::Clerk.code()))
                .one(txn)
                .await?
                .is_some();
            let Some(to) = to.filter(|_| is_clerk) else {
                return Err(AppError::invalid(
                    "not_a_clerk_of_unit",
                    "只能移交给本单位在岗的窗口工作人员",
                )
                .with_field("to_staff_id"));
            };
            case_handover::ActiveModel {
                case_id: Set(case_id),
                from_staff_id: Set(loaded.row.owner_id),
                to_staff_id: Set(to.id),
                reason: Set(reason),
                handed_over_by: Set(p.id),
                handed_over_at: Set(ctx.now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            let mut model: crate::store::entities::cases::ActiveModel = loaded.row.clone().into();
            model.owner_id = Set(to.id);
            save(
                txn,
                &ctx,
                Some(p.id),
                "case.handed_over",
                &loaded.row,
                model,
            )
            .await?;
            let loaded = load(txn, case_id).await?;
            views::detail_of(txn, &ctx, &loaded).await
        })
    })
    .await
}
