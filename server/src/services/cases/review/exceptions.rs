//! One-time exceptions: a clerk asks the chief representative to let a later correction notice
//! name a material no earlier notice did; the chief approves or refuses (Seed §二(二)二).

use app::api::cases::{ApprovalDecisionInput, OneTimeExceptionRecord, OneTimeExceptionRequest};
use rules::{CaseState, RequestEvent, RequestKind};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter,
    QuerySelect, RelationDef, Set,
};

use super::{
    Ctx, Principal, center_of, corrections::check_material_keys, ensure_clerk_of, load, one_time,
};
use crate::{
    error::{AppError, AppResult},
    services::{
        audit::{self, Change},
        found,
        paging::{ById, Page, PageRequest},
    },
    store::{
        columns::RequestStatus,
        documents,
        entities::{cases, one_time_exception, staff},
    },
};

pub async fn request_exception(
    ctx: &Ctx,
    p: &Principal,
    case_id: i64,
    req: OneTimeExceptionRequest,
) -> AppResult<OneTimeExceptionRecord> {
    let p = p.clone();
    let center = center_of(ctx, case_id).await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let loaded = load(txn, case_id).await?;
            ensure_clerk_of(&p, &loaded.row)?;
            if loaded.state()? != CaseState::CorrectionRequested {
                return Err(AppError::conflict(
                    "illegal_transition",
                    "只有已发出补正告知的办件需要补充告知",
                ));
            }
            let interested = [p.id, loaded.row.owner_id];
            crate::services::staff::ensure_a_chief_decides(txn, loaded.row.unit_id, &interested)
                .await?;
            let reason = req.reason.trim().to_string();
            if reason.is_empty() {
                return Err(
                    AppError::invalid("missing_reason", "请说明需要补充告知的理由")
                        .with_field("reason"),
                );
            }
            check_material_keys(&loaded, &req.material_keys, "需要补充告知的材料")?;
            // Anything on an earlier notice — the first or one added with approval — is told.
            let told = one_time::told_before(txn, case_id).await?;
            if let Some(key) = req.material_keys.iter().find(|k| told.contains(k)) {
                let name = loaded.item.materials.iter().find(|m| &m.key == key);
                let name = name.map_or(key.as_str(), |m| m.name.as_str());
                return Err(AppError::invalid(
                    "already_told",
                    format!("“{name}”已在此前的补正告知中列明，无需批准"),
                )
                .with_field("material_keys"));
            }
            // A material is asked for once while a request for it is pending or approved and
            // unused: a second would let the chief decide the same thing twice, differently.
            let live = one_time_exception::Entity::find()
                .filter(one_time_exception::Column::CaseId.eq(case_id))
                .all(txn)
                .await?
                .into_iter()
                .filter(|e| rules::RequestStatus::from(e.status).is_live());
            for earlier in live {
                let keys: Vec<String> = documents::list(&earlier.material_keys)?;
                if let Some(key) = req.material_keys.iter().find(|k| keys.contains(k)) {
                    let name = loaded.item.materials.iter().find(|m| &m.key == key);
                    let name = name.map_or(key.as_str(), |m| m.name.as_str());
                    let status = rules::RequestStatus::from(earlier.status).label_zh();
                    return Err(AppError::conflict(
                        "exception_already_requested",
                        format!("“{name}”已有补充告知申请（{status}）"),
                    )
                    .with_field("material_keys"));
                }
            }
            let row = one_time_exception::ActiveModel {
                case_id: Set(case_id),
                material_keys: Set(documents::list_json(&req.material_keys)?),
                reason: Set(reason),
                requested_by: Set(p.id),
                requested_at: Set(ctx.now),
                status: Set(RequestStatus::Pending),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            let after = serde_json::json!({
                "case_id": case_id, "material_keys": req.material_keys, "reason": row.reason,
            });
            audit::record(
                txn,
                ctx.now,
                Change::new_row(
                    Some(p.id),
                    "case.one_time_exception_requested",
                    "one_time_exception",
                    row.id,
                    after,
                ),
            )
            .await?;
            exception_record(txn, row).await
        })
    })
    .await
}

async fn exception_record<C: ConnectionTrait>(
    db: &C,
    row: one_time_exception::Model,
) -> AppResult<OneTimeExceptionRecord> {
    let case = load(db, row.case_id).await?;
    let by = staff::Entity::find_by_id(row.requested_by).one(db).await?;
    let material_keys: Vec<String> = documents::list(&row.material_keys)?;
    Ok(OneTimeExceptionRecord {
        id: row.id,
        case_id: row.case_id,
        case_number: case.row.number.clone(),
        material_names: case.material_names(&material_keys),
        material_keys,
        reason: row.reason,
        requested_by: by.map(|s| s.name).unwrap_or_default(),
        requested_at: row.requested_at,
        status: row.status.into(),
        decided_at: row.approved_at,
        decision_note: row.decision_note,
    })
}

/// The chief representative approves or refuses an exception for their unit; a refusal says
/// why (`note`), for the clerk who asked.
pub async fn approve_exception(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    input: ApprovalDecisionInput,
) -> AppResult<OneTimeExceptionRecord> {
    let approve = input.approve;
    let p = p.clone();
    let case_id = found(ctx.conn(), one_time_exception::Entity, id, "补充告知申请")
        .await?
        .case_id;
    let center = center_of(ctx, case_id).await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let row = found(txn, one_time_exception::Entity, id, "补充告知申请").await?;
            let case = found(txn, cases::Entity, row.case_id, "办件").await?;
            p.ensure_chief_of(case.unit_id)?;
            p.ensure_not_own(row.requested_by)?;
            p.ensure_not_owner(case.owner_id)?;
            let event = if approve {
                RequestEvent::Approve
            } else {
                RequestEvent::Refuse
            };
            let before = rules::RequestStatus::from(row.status);
            let next = before.apply(event)?;
            let note = crate::services::cases::progress::decision_note(&input)?;
            // An exception adds to a correction notice still to be issued: once the case has
            // left 待补正 there is none to add to.
            let st = CaseState::from_code(&case.state)
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("case state {}", case.state)))?;
            if approve && !RequestKind::OneTimeException.served_in(st) {
                return Err(crate::services::cases::progress::moved_on(st));
            }
            let mut model: one_time_exception::ActiveModel = row.into();
            model.status = Set(next.into());
            model.approved_by = Set(Some(p.id));
            model.approved_at = Set(Some(ctx.now));
            model.decision_note = Set(note);
            let row = model.update(txn).await?;
            audit::record(
                txn,
                ctx.now,
                Change {
                    actor_id: Some(p.id),
                    action: if approve {
                        "case.one_time_exception_approved"
                    } else {
                        "case.one_time_exception_refused"
                    },
                    entity: "one_time_exception",
                    entity_id: id.to_string(),
                    before: Some(serde_json::json!({ "status": before })),
                    after: Some(serde_json::json!({ "status": next, "note": row.decision_note })),
                },
            )
            .await?;
            exception_record(txn, row).await
        })
    })
    .await
}

/// A page of the exceptions waiting for this chief representative's unit, oldest first.
pub async fn pending_exceptions(
    ctx: &Ctx,
    p: &Principal,
    page: &PageRequest<i64>,
) -> AppResult<Page<OneTimeExceptionRecord, i64>> {
    let Some(unit_id) = p.unit_id else {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    };
    let db = ctx.conn();
    let of_case: RelationDef = one_time_exception::Entity::belongs_to(cases::Entity)
        .from(one_time_exception::Column::CaseId)
        .to(cases::Column::Id)
        .into();
    let find = one_time_exception::Entity::find()
        .join(JoinType::InnerJoin, of_case)
        .filter(cases::Column::UnitId.eq(unit_id))
        .filter(cases::Column::State.eq(CaseState::CorrectionRequested.code()))
        .filter(one_time_exception::Column::Status.eq(RequestStatus::Pending));
    let rows = page
        .by_id(db, find, one_time_exception::Column::Id, ById::OldestFirst)
        .await?;
    rows.try_map(|row| exception_record(db, row)).await
}
