//! "Cannot serve" (Seed §二(四)三): the ticket goes to the unit's chief representative, who
//! assigns another staff member and window.

use app::api::{
    Role,
    queue::{AssignRequest, CannotServeRequest, ReassignmentView},
    validate::required_text,
};
use rules::TicketEvent;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    Set,
};

use super::{
    Holder, advance, at_my_window, open_window_in, ticket_view, window_number, window_units,
};
use crate::{
    error::{AppError, AppResult},
    services::{
        Ctx, Principal, found,
        paging::{ById, Page, PageRequest},
        staff as staff_service,
    },
    store::entities::{queue_ticket, reassignment, staff, staff_role, staff_window, window_unit},
};

async fn reassignment_view<C: ConnectionTrait>(
    db: &C,
    r: reassignment::Model,
) -> AppResult<ReassignmentView> {
    let ticket = queue_ticket::Entity::find_by_id(r.ticket_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("reassignment without ticket")))?;
    let name = |id: Option<i64>| async move {
        Ok::<_, AppError>(match id {
            Some(id) => staff::Entity::find_by_id(id).one(db).await?.map(|s| s.name),
            None => None,
        })
    };
    Ok(ReassignmentView {
        id: r.id,
        ticket: ticket_view(db, ticket).await?,
        from_staff: name(Some(r.from_staff_id)).await?.unwrap_or_default(),
        from_staff_id: r.from_staff_id,
        reason: r.reason,
        created_at: r.created_at,
        assigned_staff: name(r.assigned_staff_id).await?,
        assigned_window: window_number(db, r.assigned_window_id).await?,
        decided_at: r.decided_at,
    })
}

/// "Cannot serve" (Seed §二(四)三): the ticket goes to the unit's chief representative, who must
/// assign another staff member or window. A window has no other way to let a ticket go.
pub async fn cannot_serve(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    req: CannotServeRequest,
) -> AppResult<ReassignmentView> {
    // Checked as every required text is: a reason of invisible characters says nothing.
    let reason = required_text(&req.reason, "reason", "不能提供服务的原因", 500)?;
    let p = p.clone();
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let before = at_my_window(txn, &p, (id, req.version), Holder::OnlyTheCaller).await?;
            ensure_someone_reassigns(txn, before.unit_id).await?;
            ensure_someone_else_serves(txn, before.unit_id, p.id).await?;
            // On the center's chain with the ticket's other steps; its version, checked again
            // by its save, guards what was read before the lock.
            Ctx::lock_center(txn, before.center_id).await?;
            advance(txn, &ctx, p.id, &before, TicketEvent::CannotServe, |_| {}).await?;
            let r = reassignment::ActiveModel {
                ticket_id: Set(id),
                center_id: Set(before.center_id),
                unit_id: Set(before.unit_id),
                from_staff_id: Set(p.id),
                reason: Set(reason),
                created_at: Set(ctx.now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            reassignment_view(txn, r).await
        })
    })
    .await
}

/// A "cannot serve" report waits for the unit's chief representative (Seed §二(四)三: 由首席代表
/// 另行安排): in a unit without an active one (a staff member of the unit holding the role) nobody
/// could ever assign the ticket and the hall's day could not be closed, so the window keeps the
/// citizen and is told why.
async fn ensure_someone_reassigns(txn: &DatabaseTransaction, unit_id: i64) -> AppResult<()> {
    if staff_service::has_active_chief(txn, unit_id, &[]).await? {
        return Ok(());
    }
    Err(AppError::invalid(
        "no_chief_representative",
        "本单位尚未指定首席代表，无人可以另行安排接待人员；\
         请继续为群众办理，并联系管理员指定首席代表",
    ))
}

/// The chief can only assign an active clerk, other than the one who reports, at a window that
/// serves the unit ([`assign`]'s checks). In a unit with nobody else the report stranded the
/// citizen with the chief and blocked closing the hall's day: the window keeps the citizen and
/// is told why.
async fn ensure_someone_else_serves(
    txn: &DatabaseTransaction,
    unit_id: i64,
    reporter: i64,
) -> AppResult<()> {
    let windows: Vec<i64> = window_unit::Entity::find()
        .filter(window_unit::Column::UnitId.eq(unit_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|l| l.window_id)
        .collect();
    let present = super::active_clerks_at(txn, windows, Some(reporter)).await?;
    if present > 0 {
        return Ok(());
    }
    Err(AppError::invalid(
        "nobody_else_to_serve",
        "本单位没有其他在窗口值守的工作人员可以接替，首席代表无法另行安排；\
         请继续为群众办理，需要帮助时请首席代表到窗口协助",
    ))
}

/// A page of the pending "cannot serve" reports of the chief representative's unit, oldest
/// first.
pub async fn reassignments(
    ctx: &Ctx,
    p: &Principal,
    page: &PageRequest<i64>,
) -> AppResult<Page<ReassignmentView, i64>> {
    let Some(unit_id) = p.unit_id else {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    };
    let find = reassignment::Entity::find()
        .filter(reassignment::Column::UnitId.eq(unit_id))
        .filter(reassignment::Column::DecidedAt.is_null());
    let rows = page
        .by_id(
            ctx.conn(),
            find,
            reassignment::Column::Id,
            ById::OldestFirst,
        )
        .await?;
    rows.try_map(|r| reassignment_view(ctx.conn(), r)).await
}

/// The chief representative assigns another staff member (at one of their windows).
pub async fn assign(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    req: AssignRequest,
) -> AppResult<ReassignmentView> {
    let p = p.clone();
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let r = found(txn, reassignment::Entity, id, "报告").await?;
            p.ensure_chief_of(r.unit_id)?;
            // Two decisions at once: the ticket's versioned save lets one through.
            Ctx::lock_center(txn, r.center_id).await?;
            if r.decided_at.is_some() {
                return Err(AppError::conflict("already_decided", "已安排过"));
            }
            if req.staff_id == r.from_staff_id {
                return Err(
                    AppError::invalid("must_be_someone_else", "须安排另一位工作人员")
                        .with_field("staff_id"),
                );
            }
            open_window_in(txn, req.window_id, r.center_id).await?;
            let person = staff::Entity::find_by_id(req.staff_id)
                .one(txn)
                .await?
                .filter(|s| s.active)
                .ok_or_else(|| {
                    AppError::invalid("unknown_staff", "工作人员不存在或已停用")
                        .with_field("staff_id")
                })?;
            let is_clerk = staff_role::Entity::find()
                .filter(staff_role::Column::StaffId.eq(person.id))
                .filter(staff_role::Column::Role.eq(Role::Clerk.code()))
                .one(txn)
                .await?
                .is_some();
            let at_window = staff_window::Entity::find()
                .filter(staff_window::Column::StaffId.eq(person.id))
                .filter(staff_window::Column::WindowId.eq(req.window_id))
                .one(txn)
                .await?
                .is_some();
            if !is_clerk || !at_window {
                return Err(AppError::invalid(
                    "not_at_that_window",
                    format!("{} 不在该窗口值守", person.name),
                )
                .with_field("window_id"));
            }
            if !window_units(txn, req.window_id).await?.contains(&r.unit_id) {
                return Err(
                    AppError::invalid("window_not_of_unit", "该窗口不办理这个队列的业务")
                        .with_field("window_id"),
                );
            }
            let ticket = queue_ticket::Entity::find_by_id(r.ticket_id)
                .one(txn)
                .await?
                .ok_or_else(|| {
                    AppError::internal(anyhow::anyhow!("reassignment without ticket"))
                })?;
            advance(txn, &ctx, p.id, &ticket, TicketEvent::Reassign, |m| {
                m.window_id = Set(Some(req.window_id));
                m.called_at = Set(None);
                m.serve_started_at = Set(None);
            })
            .await?;
            let mut rm: reassignment::ActiveModel = r.into();
            rm.assigned_staff_id = Set(Some(req.staff_id));
            rm.assigned_window_id = Set(Some(req.window_id));
            rm.decided_by = Set(Some(p.id));
            rm.decided_at = Set(Some(ctx.now));
            let r = rm.update(txn).await?;
            reassignment_view(txn, r).await
        })
    })
    .await
}
