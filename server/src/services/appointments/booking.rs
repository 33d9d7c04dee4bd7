//! A citizen's booking (online) or one staff record for them (phone, on site): a seat, a code
//! to view, cancel or reschedule by.

use sea_orm::{Condition, PaginatorTrait};

use crate::store::key_lock::{self, KeySpace};

use super::*;

fn new_code() -> String {
    let mut rng = rand::rng();
    (0..8)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// Takes a seat in `slot` for `item` at `phone`, checking the booking window, the slot's items
/// and overlapping bookings of the same phone or the same ID number (`except` is the appointment
/// being moved): one person holds one seat at a time, whatever number they give.
async fn take_seat(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    slot_id: i64,
    item: &ServiceItem,
    (phone, id_number): (&StoredPhone, Option<&str>),
    except: Option<i64>,
) -> AppResult<appointment_slot::Model> {
    let slot = appointment_slot::Entity::find_by_id(slot_id)
        .one(txn)
        .await?
        .ok_or_else(|| {
            AppError::invalid("unknown_slot", "没有这个预约时段").with_field("slot_id")
        })?;
    let rule = slot_rule::Entity::find_by_id(slot.rule_id).one(txn).await?;
    let Some(rule) = rule.filter(|r| r.active) else {
        return Err(
            AppError::invalid("unknown_slot", "这个预约时段已停止预约，请另选时段")
                .with_field("slot_id"),
        );
    };
    if !super::slots::still_made(ctx, &rule, slot.day)? {
        return Err(AppError::invalid(
            "slot_day_closed",
            "该时段所在日期已调整为休息日或节假日，请另选时段",
        )
        .with_field("slot_id"));
    }
    if !serves(&slot, item)? {
        return Err(AppError::invalid(
            "slot_not_for_item",
            format!("该时段不办理“{}”，请另选时段", item.name),
        )
        .with_field("slot_id"));
    }
    let on_duty = units_on_duty(txn, vec![slot.id]).await?;
    if !staffed_for(on_duty.get(&slot.id).map(Vec::as_slice), item) {
        return Err(AppError::invalid(
            "slot_not_staffed_for_item",
            format!("该时段没有办理“{}”的值班人员，请另选时段", item.name),
        )
        .with_field("slot_id"));
    }
    booking_window(ctx, slot.start_at)
        .map_err(|e| AppError::invalid(e.code(), e.to_string()).with_field("slot_id"))?;
    // The same phone, or the same ID number, may not hold two bookings whose slots overlap (one
    // ID number took seats under two phones).
    let same_person = Condition::any()
        .add(appointment::Column::Phone.eq(phone.clone()))
        .add_option(id_number.map(|n| appointment::Column::IdNumber.eq(n)));
    let theirs = appointment::Entity::find()
        .filter(same_person)
        .filter(appointment::Column::Status.eq(AppointmentStatus::Booked))
        .all(txn)
        .await?;
    for other in theirs.into_iter().filter(|a| Some(a.id) != except) {
        if let Some(s) = appointment_slot::Entity::find_by_id(other.slot_id)
            .one(txn)
            .await?
            && s.start_at < slot.end_at
            && slot.start_at < s.end_at
        {
            let (field, whose) = if &other.phone == phone {
                ("phone", "该手机号")
            } else {
                ("id_number", "该证件号码")
            };
            return Err(AppError::conflict(
                "duplicate_booking",
                format!("{whose}已预约了同一时间的服务，请先取消或改约"),
            )
            .with_field(field));
        }
    }
    let taken = appointment_slot::Entity::update_many()
        .col_expr(
            appointment_slot::Column::Booked,
            Expr::col(appointment_slot::Column::Booked).add(1),
        )
        .filter(appointment_slot::Column::Id.eq(slot.id))
        .filter(
            Expr::col(appointment_slot::Column::Booked)
                .lt(Expr::col(appointment_slot::Column::Capacity)),
        )
        .exec(txn)
        .await?;
    if taken.rows_affected == 0 {
        return Err(
            AppError::conflict("slot_full", "该时段已约满，请选择其他时段").with_field("slot_id"),
        );
    }
    Ok(slot)
}

async fn release_seat(txn: &DatabaseTransaction, slot_id: i64) -> AppResult<()> {
    appointment_slot::Entity::update_many()
        .col_expr(
            appointment_slot::Column::Booked,
            Expr::col(appointment_slot::Column::Booked).sub(1),
        )
        .filter(appointment_slot::Column::Id.eq(slot_id))
        .filter(Expr::col(appointment_slot::Column::Booked).gt(0))
        .exec(txn)
        .await?;
    Ok(())
}

/// Books a seat: online by a citizen, or by phone / on site by staff.
pub async fn book(
    ctx: &Ctx,
    req: BookingRequest,
    method: BookingMethod,
    staff: Option<&Principal>,
) -> AppResult<AppointmentView> {
    let who = req.check(ctx.today())?;
    let staff_id = staff.map(|p| p.id);
    let staff = staff.cloned();
    let phone = StoredPhone::from(&who.phone);
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let item = catalog::active_item(txn, &req.item_code, "item_code").await?;
            // No such slot: `take_seat` says so, and nothing is written.
            if let Some(slot) = appointment_slot::Entity::find_by_id(req.slot_id)
                .one(txn)
                .await?
            {
                // Staff record bookings only at their own center (issue 12).
                if let Some(p) = &staff {
                    p.ensure_acts_in(slot.center_id)?;
                }
                lock_center_and_phone(txn, slot.center_id, &phone).await?;
            }
            if staff.is_none() {
                ensure_phone_may_book(txn, &ctx, &phone).await?;
            }
            let holder = (&phone, who.id_number.as_deref());
            let slot = take_seat(txn, &ctx, req.slot_id, &item, holder, None).await?;
            // Unguessable and short; a collision (rare) just draws again.
            let mut code = new_code();
            while appointment::Entity::find()
                .filter(appointment::Column::Code.eq(&code))
                .one(txn)
                .await?
                .is_some()
            {
                code = new_code();
            }
            let new_row = appointment::ActiveModel {
                code: Set(code),
                slot_id: Set(slot.id),
                center_id: Set(slot.center_id),
                item_code: Set(item.code.clone()),
                name: Set(who.name),
                phone: Set(phone),
                id_number: Set(who.id_number),
                method: Set(method.code().into()),
                status: Set(AppointmentStatus::Booked),
                created_at: Set(ctx.now),
                created_by: Set(staff_id),
                version: Set(1),
                ..Default::default()
            };
            let booked = ("appointment.book", "appointment");
            let row = audit::insert_new(txn, ctx.now, staff_id, booked, new_row, |row| {
                (row.id, row.audit_view())
            })
            .await?;
            view_of(txn, &row).await
        })
    })
    .await
}

/// The booking this very request made moments ago, if it was made: the same slot, item, name
/// and phone, online, still booked, within the last two minutes. A booking form sent twice on a
/// slow network (a double tap before the page could stop it) booked the seat with the first
/// post, whose answer the browser dropped, and answered the second "already booked" — the
/// citizen never saw the code. The form shows the booking instead; the JSON API keeps its 409.
pub async fn resubmitted(ctx: &Ctx, req: &BookingRequest) -> AppResult<Option<AppointmentView>> {
    let Ok(who) = req.check(ctx.today()) else {
        return Ok(None);
    };
    let phone = StoredPhone::from(&who.phone);
    let recent = appointment::Entity::find()
        .filter(appointment::Column::SlotId.eq(req.slot_id))
        .filter(appointment::Column::ItemCode.eq(req.item_code.trim()))
        .filter(appointment::Column::Phone.eq(phone.as_str()))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Booked))
        .filter(appointment::Column::Method.eq(BookingMethod::Online.code()))
        .filter(appointment::Column::CreatedAt.gt(ctx.now - TimeDelta::minutes(2)))
        .one(ctx.conn())
        .await?;
    match recent {
        Some(a) if a.name == who.name && a.id_number == who.id_number => {
            view_of(ctx.conn(), &a).await.map(Some)
        }
        _ => Ok(None),
    }
}

/// A citizen's number holds at most `bookings_per_phone` open bookings (issue 12, finding 7:
/// one person filled every seat of a slot). Staff booking for a caller are not limited.
async fn ensure_phone_may_book(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    phone: &StoredPhone,
) -> AppResult<()> {
    // Only bookings still ahead count: a past one nobody marked stays `Booked` forever.
    let ahead = Query::select()
        .column(appointment_slot::Column::Id)
        .from(appointment_slot::Entity)
        .and_where(appointment_slot::Column::EndAt.gt(ctx.now))
        .to_owned();
    let open = appointment::Entity::find()
        .filter(appointment::Column::Phone.eq(phone.as_str()))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Booked))
        .filter(appointment::Column::SlotId.in_subquery(ahead))
        .count(txn)
        .await?;
    let most = u64::from(ctx.settings.bookings_per_phone);
    if open >= most {
        return Err(AppError::conflict(
            "too_many_bookings",
            format!("该手机号已有 {open} 个尚未办理的预约，请先取消不需要的预约"),
        )
        .with_field("phone"));
    }
    Ok(())
}

pub fn not_found() -> AppError {
    AppError::missing(
        "appointment_not_found",
        "没有找到该预约：请核对预约码和手机号",
    )
}

/// The appointment of a code, if it was made with this phone — compared as the parsed number,
/// so any written form of it matches (a wrong pair is the same 404 as no code).
async fn by_code<C: ConnectionTrait>(db: &C, key: &BookingKey) -> AppResult<appointment::Model> {
    let phone = StoredPhone::from(&key.phone);
    appointment::Entity::find()
        .filter(appointment::Column::Code.eq(normalize_code(&key.code)))
        .one(db)
        .await?
        .filter(|a| a.phone == phone)
        .ok_or_else(not_found)
}

pub async fn view(ctx: &Ctx, key: &BookingKey) -> AppResult<AppointmentView> {
    let a = by_code(&ctx.db.conn, key).await?;
    view_of(&ctx.db.conn, &a).await
}

/// A booking is written on its center's chain (issue 16: two halls' bookings never wait on
/// each other), with its phone locked across centers: what a phone may book is counted and
/// compared over every center (see `store::key_lock`).
async fn lock_center_and_phone(
    txn: &DatabaseTransaction,
    center_id: i64,
    phone: &StoredPhone,
) -> AppResult<()> {
    Ctx::lock_center(txn, center_id).await?;
    key_lock::lock(txn, KeySpace::Phone, phone.as_str()).await
}

/// A booking whose slot has begun is the hall's to settle (arrived or no-show): the citizen
/// may no longer cancel or move it.
async fn not_begun(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    booking: &appointment::Model,
) -> AppResult<()> {
    let slot = appointment_slot::Entity::find_by_id(booking.slot_id)
        .one(txn)
        .await?;
    if slot.is_some_and(|s| s.start_at <= ctx.now) {
        return Err(AppError::conflict(
            "slot_started",
            "预约时段已经开始，不能再取消或改约；请直接到场或联系服务中心",
        ));
    }
    Ok(())
}

pub async fn cancel(ctx: &Ctx, key: BookingKey) -> AppResult<AppointmentView> {
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let a = by_code(txn, &key).await?;
            // The version checked again by the write guards what was read before the lock.
            Ctx::lock_center(txn, a.center_id).await?;
            not_begun(txn, &ctx, &a).await?;
            let now = Some(ctx.now);
            let after = advance(txn, &ctx, None, &a, AppointmentEvent::Cancel, |m| {
                m.cancelled_at = Set(now);
            })
            .await?;
            release_seat(txn, a.slot_id).await?;
            view_of(txn, &after).await
        })
    })
    .await
}

pub async fn reschedule(ctx: &Ctx, key: BookingKey, slot_id: i64) -> AppResult<AppointmentView> {
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let a = by_code(txn, &key).await?;
            lock_center_and_phone(txn, a.center_id, &a.phone).await?;
            rules::AppointmentStatus::from(a.status).apply(AppointmentEvent::Reschedule)?;
            not_begun(txn, &ctx, &a).await?;
            if a.slot_id == slot_id {
                return Err(
                    AppError::invalid("same_slot", "请选择另一个时段").with_field("slot_id")
                );
            }
            // The booking is the center's (its clerks serve it, its address is on the notice):
            // another center's slot, possible once the item moved there, is a new booking.
            // Checked before a seat is taken, so that no other center's slot is touched.
            let other_center = appointment_slot::Entity::find_by_id(slot_id)
                .one(txn)
                .await?
                .is_some_and(|s| s.center_id != a.center_id);
            if other_center {
                return Err(AppError::invalid(
                    "slot_of_other_center",
                    "只能改约到原预约的服务中心；到其他中心办理请取消后重新预约",
                )
                .with_field("slot_id"));
            }
            let item = catalog::get(txn, &a.item_code).await?;
            let holder = (&a.phone, a.id_number.as_deref());
            let slot = take_seat(txn, &ctx, slot_id, &item, holder, Some(a.id)).await?;
            release_seat(txn, a.slot_id).await?;
            let after = advance(txn, &ctx, None, &a, AppointmentEvent::Reschedule, |m| {
                m.slot_id = Set(slot.id);
            })
            .await?;
            view_of(txn, &after).await
        })
    })
    .await
}
