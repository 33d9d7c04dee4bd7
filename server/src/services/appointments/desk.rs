//! The clerk's side of appointments: the day's slots with bookings and roster, arrivals (a
//! priority ticket) and no-shows — at the clerk's own center.

use super::{slots::ensure_slots, *};

async fn staff_names<C: ConnectionTrait>(db: &C) -> AppResult<BTreeMap<i64, String>> {
    Ok(staff::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

async fn booking_row<C: ConnectionTrait>(db: &C, a: appointment::Model) -> AppResult<BookingRow> {
    let item_name = catalog::get(db, &a.item_code)
        .await
        .map(|i| i.name)
        .unwrap_or_default();
    let ticket_number = match a.ticket_id {
        Some(id) => queue_ticket::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|t| t.number),
        None => None,
    };
    Ok(BookingRow {
        id: a.id,
        code: Some(a.code),
        name: a.name,
        phone_masked: a.phone.mobile().map(|p| p.masked()).unwrap_or_default(),
        item_name,
        method: BookingMethod::from_code(&a.method).unwrap_or(BookingMethod::Online),
        status: a.status.into(),
        ticket_number,
    })
}

/// A slot as staff see it. Booking codes (half of what cancels a booking) go only to the
/// center's clerks, who mark arrivals and no-shows by them; every answer that shows a slot is
/// built here, so none hands them to anyone else (a roster change answered a chief of another
/// unit with every code).
pub(super) async fn staff_slot_view<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    s: appointment_slot::Model,
) -> AppResult<StaffSlotView> {
    let show_codes = p.has(Role::Clerk) && p.center_id == Some(s.center_id);
    let names = staff_names(db).await?;
    let rule = slot_rule::Entity::find_by_id(s.rule_id).one(db).await?;
    let duty = slot_duty::Entity::find()
        .filter(slot_duty::Column::SlotId.eq(s.id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| DutyView {
            staff_id: d.staff_id,
            staff_name: names.get(&d.staff_id).cloned().unwrap_or_default(),
            checked_in_at: d.checked_in_at,
            late_minutes: d.late_minutes,
        })
        .collect();
    let mut bookings = Vec::new();
    for a in appointment::Entity::find()
        .filter(appointment::Column::SlotId.eq(s.id))
        .order_by_asc(appointment::Column::Id)
        .all(db)
        .await?
    {
        let mut row = booking_row(db, a).await?;
        if !show_codes {
            row.code = None;
        }
        bookings.push(row);
    }
    Ok(StaffSlotView {
        slot: slot_view(&s),
        name: rule.map(|r| r.name).unwrap_or_default(),
        center_id: s.center_id,
        duty,
        bookings,
    })
}

/// Slots of a center on a date with bookings and the duty roster: staff of the center, and
/// supervisors and administrators (booking codes only to the center's clerks).
pub async fn staff_slots(
    ctx: &Ctx,
    p: &Principal,
    center: i64,
    day: NaiveDate,
) -> AppResult<Vec<StaffSlotView>> {
    p.ensure_sees(center)?;
    // Past days and days beyond the window show what was made; nothing new is made for them.
    ensure_slots(ctx, center, day).await?;
    let rows = appointment_slot::Entity::find()
        .filter(appointment_slot::Column::CenterId.eq(center))
        .filter(appointment_slot::Column::Day.eq(day))
        .order_by_asc(appointment_slot::Column::StartAt)
        .all(ctx.conn())
        .await?;
    let mut slots = Vec::new();
    for s in rows {
        slots.push(staff_slot_view(ctx.conn(), p, s).await?);
    }
    Ok(slots)
}

/// Staff of the appointment's center (clerks).
fn ensure_center_clerk(p: &Principal) -> AppResult<()> {
    if p.has(Role::Clerk) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// The center a staff member works in, through their unit (none without a unit).
pub(super) async fn unit_center(
    txn: &DatabaseTransaction,
    unit_id: Option<i64>,
) -> AppResult<Option<i64>> {
    Ok(match unit_id {
        Some(id) => unit::Entity::find_by_id(id)
            .one(txn)
            .await?
            .map(|u| u.center_id),
        None => None,
    })
}

/// A staff member named for duty, if active (else a 422 naming `field`), and whether they work
/// at `center_id`.
pub(super) async fn duty_member(
    txn: &DatabaseTransaction,
    staff_id: i64,
    center_id: i64,
    field: &str,
) -> AppResult<(staff::Model, bool)> {
    let member = staff::Entity::find_by_id(staff_id)
        .one(txn)
        .await?
        .filter(|s| s.active)
        .ok_or_else(|| {
            AppError::invalid("unknown_staff", "值班人员不存在或已停用").with_field(field)
        })?;
    let here = unit_center(txn, member.unit_id).await? == Some(center_id);
    Ok((member, here))
}

/// Whether a staff member named on a rule's roster still serves at `center_id`: active, and in
/// a unit of that center (one moved or deactivated since the rule was written does not).
pub(super) async fn still_serves_at(
    txn: &DatabaseTransaction,
    staff_id: i64,
    center_id: i64,
) -> AppResult<bool> {
    let member = staff::Entity::find_by_id(staff_id).one(txn).await?;
    Ok(match member.filter(|s| s.active) {
        Some(m) => unit_center(txn, m.unit_id).await? == Some(center_id),
        None => false,
    })
}

/// A clerk acts only on the bookings of their own center.
async fn ensure_own_center(
    txn: &DatabaseTransaction,
    unit_id: Option<i64>,
    center_id: i64,
) -> AppResult<()> {
    if unit_center(txn, unit_id).await? == Some(center_id) {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// A booking of the caller's center by its code, that `event` may happen to now, with its slot.
async fn own_booking(
    txn: &DatabaseTransaction,
    actor_unit: Option<i64>,
    code: &str,
    event: AppointmentEvent,
) -> AppResult<(appointment::Model, appointment_slot::Model)> {
    let a = appointment::Entity::find()
        .filter(appointment::Column::Code.eq(normalize_code(code)))
        .one(txn)
        .await?
        .ok_or_else(booking::not_found)?;
    ensure_own_center(txn, actor_unit, a.center_id).await?;
    rules::AppointmentStatus::from(a.status).apply(event)?;
    let slot = appointment_slot::Entity::find_by_id(a.slot_id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("appointment without slot")))?;
    Ok((a, slot))
}

/// The citizen has arrived: the booking becomes a priority ticket in the item's queue.
pub async fn arrive(ctx: &Ctx, p: &Principal, code: String) -> AppResult<TicketView> {
    ensure_center_clerk(p)?;
    let actor = p.id;
    let actor_unit = p.unit_id;
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let (a, slot) = own_booking(txn, actor_unit, &code, AppointmentEvent::Arrive).await?;
            // On the center's chain with its kiosk's tickets (issue 16); the booking's version,
            // checked again by its save, guards what was read before the lock.
            Ctx::lock_center(txn, a.center_id).await?;
            if ctx.now < slot.start_at - TimeDelta::minutes(30) || ctx.now > slot.end_at {
                return Err(AppError::invalid(
                    "not_in_slot",
                    "请在预约时段内（可提前 30 分钟）到场",
                ));
            }
            let item = catalog::get(txn, &a.item_code).await?;
            let def = queue_def::Entity::find()
                .filter(queue_def::Column::CenterId.eq(a.center_id))
                .filter(queue_def::Column::UnitId.eq(item.unit_id))
                .filter(queue_def::Column::Active.eq(true))
                .one(txn)
                .await?
                .ok_or_else(|| {
                    AppError::invalid("no_queue", "该事项所属单位没有排队队列，请联系管理员")
                })?;
            let request = TakeTicket {
                center_id: a.center_id,
                queue_id: def.id,
                item_code: Some(item.code.clone()),
            };
            let ticket = queue::issue_ticket(txn, &ctx, Some(actor), &request, Some(a.id)).await?;
            let now = Some(ctx.now);
            advance(txn, &ctx, Some(actor), &a, AppointmentEvent::Arrive, |m| {
                m.arrived_at = Set(now);
                m.ticket_id = Set(Some(ticket.id));
            })
            .await?;
            queue::ticket_view(txn, ticket).await
        })
    })
    .await
}

/// After the slot began (15 minutes' grace), a booking nobody came for is recorded as a no-show.
pub async fn no_show(ctx: &Ctx, p: &Principal, code: String) -> AppResult<BookingRow> {
    ensure_center_clerk(p)?;
    let actor = p.id;
    let actor_unit = p.unit_id;
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let (a, slot) = own_booking(txn, actor_unit, &code, AppointmentEvent::NoShow).await?;
            Ctx::lock_center(txn, a.center_id).await?;
            if ctx.now < slot.start_at + TimeDelta::minutes(15) {
                return Err(AppError::invalid(
                    "too_early",
                    "时段开始 15 分钟后仍未到场，才能记为未到",
                ));
            }
            let now = Some(ctx.now);
            let after = advance(txn, &ctx, Some(actor), &a, AppointmentEvent::NoShow, |m| {
                m.no_show_at = Set(now);
            })
            .await?;
            booking_row(txn, after).await
        })
    })
    .await
}
