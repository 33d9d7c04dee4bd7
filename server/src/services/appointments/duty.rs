//! The duty roster of a slot and its check-ins (Seed §二(四)五: the assigned staff member
//! checks in; late arrival is recorded).

use sea_orm::PaginatorTrait;

use super::{
    desk::{duty_member, staff_slot_view},
    *,
};

/// A duty staff member checks in for their slot; minutes after the slot's start are recorded.
pub async fn check_in(ctx: &Ctx, p: &Principal, slot_id: i64) -> AppResult<DutyView> {
    let p = p.clone();
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let slot = found(txn, appointment_slot::Entity, slot_id, "预约时段").await?;
            // Only at one's own center: a roster member moved elsewhere since does not check in.
            p.ensure_acts_in(slot.center_id)?;
            // On the slot's center's chain, locked before the duty is read (issue 16).
            Ctx::lock_center(txn, slot.center_id).await?;
            let duty = slot_duty::Entity::find_by_id((slot_id, p.id))
                .one(txn)
                .await?
                .ok_or_else(|| AppError::not_here("not_on_duty", "您不在这个时段的值班表上"))?;
            if duty.checked_in_at.is_some() {
                return Err(AppError::conflict("already_checked_in", "已签到"));
            }
            if ctx.now < slot.start_at - TimeDelta::hours(1) || ctx.now > slot.end_at {
                return Err(AppError::invalid(
                    "not_now",
                    "只能在时段开始前一小时至结束前签到",
                ));
            }
            let late = lateness_minutes(ctx.local_now(), ctx.local(slot.start_at)) as i32;
            let mut m: slot_duty::ActiveModel = duty.into();
            m.checked_in_at = Set(Some(ctx.now));
            m.late_minutes = Set(Some(late));
            let d = m.update(txn).await?;
            audit::record(
                txn,
                ctx.now,
                Change::new_row(
                    Some(p.id),
                    "duty.check_in",
                    "slot_duty",
                    format!("{slot_id}/{}", p.id),
                    serde_json::json!({ "late_minutes": late }),
                ),
            )
            .await?;
            Ok(DutyView {
                staff_id: d.staff_id,
                staff_name: p.name.clone(),
                checked_in_at: d.checked_in_at,
                late_minutes: d.late_minutes,
            })
        })
    })
    .await
}

/// Every citizen booked in the slot keeps someone on the new roster (`units`: its members'
/// units) whose unit handles the booked item: a roster of another unit's clerk alone left a
/// booking nobody on duty could serve, while a new booking of that item was refused for it.
async fn ensure_bookings_served(
    txn: &DatabaseTransaction,
    slot_id: i64,
    units: &[Option<i64>],
) -> AppResult<()> {
    let booked = appointment::Entity::find()
        .filter(appointment::Column::SlotId.eq(slot_id))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Booked))
        .all(txn)
        .await?;
    let mut items: Vec<String> = booked.into_iter().map(|a| a.item_code).collect();
    items.sort();
    items.dedup();
    for code in items {
        let item = catalog::get(txn, &code).await?;
        if !staffed_for(Some(units), &item) {
            return Err(AppError::invalid(
                "booking_unstaffed",
                format!(
                    "该时段已有“{}”的预约，值班人员中须有办理该事项的{}工作人员",
                    item.name, item.unit_name
                ),
            )
            .with_field("staff_ids"));
        }
    }
    Ok(())
}

/// Replaces the duty roster of one slot (Admin, or a chief representative of the slot's
/// center); everyone on it works at that center, each named once.
pub async fn set_duty(
    ctx: &Ctx,
    p: &Principal,
    slot_id: i64,
    staff_ids: Vec<i64>,
) -> AppResult<StaffSlotView> {
    let now = ctx.now;
    let actor = p.id;
    let p = p.clone();
    let mut seen = std::collections::BTreeSet::new();
    if let Some(twice) = staff_ids.iter().find(|id| !seen.insert(**id)) {
        return Err(
            AppError::invalid("duplicate_staff", format!("值班人员重复（编号 {twice}）"))
                .with_field("staff_ids"),
        );
    }
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let slot = found(txn, appointment_slot::Entity, slot_id, "预约时段").await?;
            p.ensure_acts_in(slot.center_id)?;
            // A slot kept for one unit is staffed by that unit, under its own chief.
            if let (Some(unit_id), false) = (slot.unit_id, p.has(Role::Admin)) {
                p.ensure_chief_of(unit_id)?;
            }
            // The roster plans the slot; once it has begun, changing it would rewrite who was
            // (not) there — the record the supervision detector reads.
            if ctx.now >= slot.start_at {
                return Err(AppError::conflict(
                    "slot_started",
                    "该时段已开始，值班人员不能再更改",
                ));
            }
            // On the slot's center's chain, locked before the roster is read (issue 16).
            Ctx::lock_center(txn, slot.center_id).await?;
            // Citizens booked on this roster: someone must be there to serve them.
            if staff_ids.is_empty() {
                let booked = appointment::Entity::find()
                    .filter(appointment::Column::SlotId.eq(slot_id))
                    .filter(appointment::Column::Status.eq(AppointmentStatus::Booked))
                    .count(txn)
                    .await?;
                if booked > 0 {
                    return Err(AppError::invalid(
                        "duty_required",
                        format!("该时段已有 {booked} 个预约，至少须安排一名值班人员"),
                    )
                    .with_field("staff_ids"));
                }
            }
            let mut roster_units = Vec::new();
            for staff_id in &staff_ids {
                let (member, here) =
                    duty_member(txn, *staff_id, slot.center_id, "staff_ids").await?;
                roster_units.push(member.unit_id);
                if !here {
                    return Err(AppError::invalid(
                        "staff_not_at_center",
                        format!("{} 不在该时段所属的服务中心工作", member.name),
                    )
                    .with_field("staff_ids"));
                }
                if slot
                    .unit_id
                    .is_some_and(|unit| member.unit_id != Some(unit))
                {
                    return Err(AppError::invalid(
                        "staff_not_in_unit",
                        format!("{} 不属于该时段所属的单位", member.name),
                    )
                    .with_field("staff_ids"));
                }
            }
            if !staff_ids.is_empty() {
                ensure_bookings_served(txn, slot_id, &roster_units).await?;
            }
            let existing = slot_duty::Entity::find()
                .filter(slot_duty::Column::SlotId.eq(slot_id))
                .all(txn)
                .await?;
            if slot.unit_id.is_none() && !p.has(Role::Admin) {
                ensure_changes_own_unit(txn, &p, &existing, &staff_ids).await?;
            }
            for d in &existing {
                if !staff_ids.contains(&d.staff_id) && d.checked_in_at.is_none() {
                    slot_duty::Entity::delete_by_id((slot_id, d.staff_id))
                        .exec(txn)
                        .await?;
                }
            }
            for staff_id in &staff_ids {
                if !existing.iter().any(|d| d.staff_id == *staff_id) {
                    slot_duty::ActiveModel {
                        slot_id: Set(slot_id),
                        staff_id: Set(*staff_id),
                        checked_in_at: Set(None),
                        late_minutes: Set(None),
                    }
                    .insert(txn)
                    .await?;
                }
            }
            audit::record(
                txn,
                now,
                Change::new_row(
                    Some(actor),
                    "duty.set",
                    "appointment_slot",
                    slot_id,
                    serde_json::json!({ "staff_ids": staff_ids }),
                ),
            )
            .await?;
            staff_slot_view(txn, &p, slot).await
        })
    })
    .await
}

/// On a whole-center slot a chief representative puts on or takes off people of their own unit
/// only: another unit's chief had replaced the roster with this unit's clerks, and the missed
/// check-in was then charged to this unit.
async fn ensure_changes_own_unit(
    txn: &DatabaseTransaction,
    p: &Principal,
    existing: &[slot_duty::Model],
    staff_ids: &[i64],
) -> AppResult<()> {
    let added = staff_ids
        .iter()
        .copied()
        .filter(|id| !existing.iter().any(|d| d.staff_id == *id));
    let removed = existing
        .iter()
        .map(|d| d.staff_id)
        .filter(|id| !staff_ids.contains(id));
    let changed: Vec<i64> = added.chain(removed).collect();
    let other = staff::Entity::find()
        .filter(staff::Column::Id.is_in(changed))
        .all(txn)
        .await?
        .into_iter()
        .find(|s| s.unit_id != p.unit_id);
    match other {
        Some(s) => Err(AppError::not_here(
            "staff_not_in_your_unit",
            format!(
                "{} 不是本单位人员：其他单位的值班人员由该单位首席代表安排",
                s.name
            ),
        )
        .with_field("staff_ids")),
        None => Ok(()),
    }
}
