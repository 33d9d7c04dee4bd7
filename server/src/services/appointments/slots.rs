//! The slots citizens can book: made from each center's slot rules, day by day, inside the
//! booking window.

use rules::DayKind;

use super::*;

/// The kind of `day`: from the official calendar, or — for a year not published yet — the
/// provisional guess (weekends and the holidays the law fixes off, 「暂定」).
fn day_kind(ctx: &Ctx, day: NaiveDate) -> AppResult<DayKind> {
    Ok(ctx.calendar.provisional().day_kind(day)?)
}

/// Whether the rule makes a slot on a day of this kind (`SlotDays::applies_on`).
fn applies(rule: &slot_rule::Model, day: NaiveDate, kind: DayKind) -> AppResult<bool> {
    Ok(match kind {
        DayKind::WorkingDay => {
            let weekdays: Vec<u32> = parse_list(&rule.weekdays)?;
            weekdays.contains(&day.weekday().number_from_monday())
        }
        DayKind::RestDay => rule.rest_days,
        DayKind::PublicHoliday => rule.public_holidays,
    })
}

/// Whether `rule` still makes a slot on `day` by the calendar as it is now: a day that was a
/// working day only provisionally (its year not published yet) may since have become a holiday.
/// A slot made there takes no booking (and, unbooked, needs nobody on duty).
pub(super) fn still_made(ctx: &Ctx, rule: &slot_rule::Model, day: NaiveDate) -> AppResult<bool> {
    applies(rule, day, day_kind(ctx, day)?)
}

/// The center of slot `id`, if there is one (a slot never changes center).
pub async fn slot_center(ctx: &Ctx, id: i64) -> AppResult<Option<i64>> {
    Ok(appointment_slot::Entity::find_by_id(id)
        .one(ctx.conn())
        .await?
        .map(|s| s.center_id))
}

/// The center's active rules that should have a slot on `day` and have none yet: on the working
/// weekdays a rule names, and on rest days and public holidays when it names them — and never a
/// slot sharing time with that day's opening hours (a make-up working Saturday has the
/// working-day hours; Seed §二(四); issue #11 point 9). Reads only.
async fn missing_rules<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    center_id: i64,
    day: NaiveDate,
) -> AppResult<Vec<slot_rule::Model>> {
    let kind = day_kind(ctx, day)?;
    let center = found(db, service_center::Entity, center_id, "服务中心").await?;
    let hours = documents::business_hours(&center.business_hours)?;
    let cal = ctx.calendar.provisional();
    let sessions = hours.sessions_on(day, &cal)?;
    let rules = slot_rule::Entity::find()
        .filter(slot_rule::Column::CenterId.eq(center_id))
        .filter(slot_rule::Column::Active.eq(true))
        .all(db)
        .await?;
    let made: Vec<i64> = appointment_slot::Entity::find()
        .filter(appointment_slot::Column::CenterId.eq(center_id))
        .filter(appointment_slot::Column::Day.eq(day))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.rule_id)
        .collect();
    let mut missing = Vec::new();
    for rule in rules {
        let inside_hours = sessions
            .iter()
            .any(|s| s.start < rule.end_time && rule.start_time < s.end);
        if applies(&rule, day, kind)? && !inside_hours && !made.contains(&rule.id) {
            missing.push(rule);
        }
    }
    Ok(missing)
}

/// Whether `day` lies in the booking window: from today to `booking_days_ahead` days on. Slots
/// are made only there, so that no look-up can grow the database (issue 12, finding 4: 200
/// anonymous GETs for dates in year 3000 added 172 slots).
pub(super) fn in_window(ctx: &Ctx, day: NaiveDate) -> bool {
    let today = ctx.today();
    day >= today && day <= today + TimeDelta::days(ctx.settings.booking_days_ahead.into())
}

/// Makes the slots of `day` that are missing, if the day is in the booking window. The check
/// reads; the write (and its lock) happens only the first time a day is looked at. Idempotent.
pub(super) async fn ensure_slots(ctx: &Ctx, center_id: i64, day: NaiveDate) -> AppResult<()> {
    if !in_window(ctx, day)
        || missing_rules(ctx.conn(), ctx, center_id, day)
            .await?
            .is_empty()
    {
        return Ok(());
    }
    ctx.write_for_center(center_id, move |txn, ctx| {
        Box::pin(async move { materialize(txn, &ctx, center_id, day).await })
    })
    .await
}

/// Makes sure the slots of a center's rules exist for `day` (see [`missing_rules`]), with the
/// rule's duty roster. Idempotent (a concurrent maker's row is kept).
async fn materialize(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    center_id: i64,
    day: NaiveDate,
) -> AppResult<()> {
    for rule in missing_rules(txn, ctx, center_id, day).await? {
        let at = |t| ctx.to_utc(day.and_time(t));
        let insert = Query::insert()
            .into_table(appointment_slot::Entity)
            .columns([
                appointment_slot::Column::RuleId,
                appointment_slot::Column::CenterId,
                appointment_slot::Column::UnitId,
                appointment_slot::Column::ItemCodes,
                appointment_slot::Column::Day,
                appointment_slot::Column::StartAt,
                appointment_slot::Column::EndAt,
                appointment_slot::Column::Capacity,
                appointment_slot::Column::Booked,
            ])
            .values_panic([
                rule.id.into(),
                rule.center_id.into(),
                rule.unit_id.into(),
                rule.item_codes.clone().into(),
                day.into(),
                at(rule.start_time)?.into(),
                at(rule.end_time)?.into(),
                rule.capacity.into(),
                0i32.into(),
            ])
            .on_conflict(
                OnConflict::columns([
                    appointment_slot::Column::RuleId,
                    appointment_slot::Column::Day,
                ])
                .do_nothing()
                .to_owned(),
            )
            .to_owned();
        txn.execute(txn.get_database_backend().build(&insert))
            .await?;
        let slot = appointment_slot::Entity::find()
            .filter(appointment_slot::Column::RuleId.eq(rule.id))
            .filter(appointment_slot::Column::Day.eq(day))
            .one(txn)
            .await?
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("slot not created")))?;
        for staff_id in parse_list::<i64>(&rule.duty_staff_ids)? {
            // The roster names only staff of the slot's center (README): a member moved to
            // another center or deactivated since the rule was written is left off.
            if !desk::still_serves_at(txn, staff_id, rule.center_id).await? {
                continue;
            }
            slot_duty::ActiveModel {
                slot_id: Set(slot.id),
                staff_id: Set(staff_id),
                checked_in_at: Set(None),
                late_minutes: Set(None),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

/// The active center and the item it does, or the 422 a citizen's link with a wrong pair gets.
async fn item_at_center(ctx: &Ctx, center: i64, item: &str) -> AppResult<ServiceItem> {
    let item = catalog::active_item(&ctx.db.conn, item, "item").await?;
    if item.center_id != center {
        return Err(
            AppError::invalid("item_not_at_center", "该中心不办理这个事项").with_field("item"),
        );
    }
    service_center::Entity::find_by_id(center)
        .one(&ctx.db.conn)
        .await?
        .filter(|c| c.active)
        .ok_or_else(|| {
            AppError::invalid("unknown_center", "服务中心不存在").with_field("center")
        })?;
    Ok(item)
}

/// The center's slot rules by id.
async fn center_rules<C: ConnectionTrait>(
    db: &C,
    center_id: i64,
) -> AppResult<BTreeMap<i64, slot_rule::Model>> {
    Ok(slot_rule::Entity::find()
        .filter(slot_rule::Column::CenterId.eq(center_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect())
}

/// The slots of `day` that take bookings for `item` now (inside the booking window).
async fn open_slots(
    ctx: &Ctx,
    item: &ServiceItem,
    day: NaiveDate,
) -> AppResult<Vec<appointment_slot::Model>> {
    ensure_slots(ctx, item.center_id, day).await?;
    let rows = appointment_slot::Entity::find()
        .filter(appointment_slot::Column::CenterId.eq(item.center_id))
        .filter(appointment_slot::Column::Day.eq(day))
        .order_by_asc(appointment_slot::Column::StartAt)
        .all(ctx.conn())
        .await?;
    // A stopped rule's slots keep their bookings but take no new ones; so does a slot on a day
    // that has become a holiday since it was made.
    let rules = center_rules(ctx.conn(), item.center_id).await?;
    let on_duty = units_on_duty(ctx.conn(), rows.iter().map(|s| s.id).collect()).await?;
    let mut out = Vec::new();
    for s in rows {
        let Some(rule) = rules.get(&s.rule_id) else {
            continue;
        };
        if booking_window(ctx, s.start_at).is_ok()
            && serves(&s, item)?
            && staffed_for(on_duty.get(&s.id).map(Vec::as_slice), item)
            && rule.active
            && still_made(ctx, rule, s.day)?
        {
            out.push(s);
        }
    }
    Ok(out)
}

/// Bookable slots of a center for an item on a date in the booking window (anyone); a date
/// outside it is a 422 and writes nothing.
pub async fn public_slots(ctx: &Ctx, q: SlotQuery) -> AppResult<SlotList> {
    let item = item_at_center(ctx, q.center, &q.item).await?;
    if !in_window(ctx, q.date) {
        // The window is today and the next N days (N + 1 dates): "今天起 14 天内" had been
        // shown above 15 dates, and a date gone by was told the same.
        let today = ctx.today();
        let last = today + TimeDelta::days(ctx.settings.booking_days_ahead.into());
        let message = if q.date < today {
            "该日期已过，请选择今天或以后的日期".to_string()
        } else {
            format!(
                "只能预约今天至{}（{}天后）的时段",
                app::format::plain_date(last),
                ctx.settings.booking_days_ahead
            )
        };
        return Err(AppError::invalid("outside_booking_window", message).with_field("date"));
    }
    let rows = open_slots(ctx, &item, q.date).await?;
    Ok(SlotList {
        slots: rows.iter().map(slot_view).collect(),
    })
}

/// The days of the booking window that have slots for an item, with the seats left (anyone):
/// the citizen picks a day that has something to offer.
pub async fn public_days(ctx: &Ctx, q: DayQuery) -> AppResult<DayList> {
    let item = item_at_center(ctx, q.center, &q.item).await?;
    let today = ctx.today();
    let mut days = Vec::new();
    for offset in 0..=ctx.settings.booking_days_ahead {
        let day = today + TimeDelta::days(offset.into());
        let rows = open_slots(ctx, &item, day).await?;
        if !rows.is_empty() {
            days.push(DayView {
                date: day,
                slots: rows.len() as u32,
                remaining: rows.iter().map(|s| (s.capacity - s.booked).max(0)).sum(),
            });
        }
    }
    Ok(DayList { days })
}
