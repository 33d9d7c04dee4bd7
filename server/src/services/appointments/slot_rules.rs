//! Slot rules (Admin): when a center offers after-hours appointments, for what, for how many.

use sea_orm::sea_query::SelectStatement;

use super::{desk::duty_member, *};
use crate::{
    services::paging::{ById, Page, PageRequest},
    store::entities::extended_service,
};

fn rule_view(r: slot_rule::Model) -> AppResult<SlotRuleView> {
    Ok(SlotRuleView {
        id: r.id,
        active: r.active,
        rule: SlotRuleInput {
            center_id: r.center_id,
            unit_id: r.unit_id,
            name: r.name,
            weekdays: parse_list(&r.weekdays)?,
            rest_days: r.rest_days,
            public_holidays: r.public_holidays,
            item_codes: parse_list(&r.item_codes)?,
            start_time: r.start_time,
            end_time: r.end_time,
            capacity: r.capacity,
            duty_staff_ids: parse_list(&r.duty_staff_ids)?,
        },
    })
}

/// A page of every slot rule, in the order they were made.
pub async fn rules_list(
    ctx: &Ctx,
    request: &PageRequest<i64>,
) -> AppResult<Page<SlotRuleView, i64>> {
    let find = slot_rule::Entity::find();
    let page = request
        .by_id(ctx.conn(), find, slot_rule::Column::Id, ById::OldestFirst)
        .await?;
    page.try_map(|row| std::future::ready(rule_view(row))).await
}

/// Creates or replaces a slot rule (Admin). Slots already made with a booking (or a duty
/// checked in) keep their times, seats and bookings; the others are made again from the new
/// rule when next looked at.
/// A rule may name rest days and public holidays; its times never share a moment with the
/// center's opening hours on a working weekday it names (any season): that is ordinary service,
/// not 延时服务 (Seed §二(四); issue #11 point 9).
pub async fn save_rule(
    ctx: &Ctx,
    actor: Option<i64>,
    id: Option<i64>,
    input: SlotRuleInput,
) -> AppResult<SlotRuleView> {
    let input = input.validated()?;
    let now = ctx.now;
    ctx.write_in_center(move |txn, _| {
        Box::pin(async move {
            let center = service_center::Entity::find_by_id(input.center_id)
                .one(txn)
                .await?
                .filter(|c| c.active)
                .ok_or_else(|| {
                    AppError::invalid("unknown_center", "服务中心不存在或已停用")
                        .with_field("center_id")
                })?;
            // On the center's chain: ordered with its bookings and the making of its slots.
            Ctx::lock_center(txn, center.id).await?;
            let existing = match id {
                Some(id) => Some(found(txn, slot_rule::Entity, id, "预约时段规则").await?),
                None => None,
            };
            // Its slots, their rosters and bookings belong to its center: a rule never moves.
            if existing
                .as_ref()
                .is_some_and(|e| e.center_id != input.center_id)
            {
                return Err(AppError::invalid(
                    "center_fixed",
                    "预约时段规则不能改属其他服务中心：请在该中心另建规则",
                )
                .with_field("center_id"));
            }
            let hours = documents::business_hours(&center.business_hours)?;
            let (start, end) = (input.start_time, input.end_time);
            rules::extended::check_slot_rule(&input.slot_days(), start, end, &hours).map_err(
                |e| {
                    let field = match e {
                        rules::extended::SlotRefusal::NoDays => "weekdays",
                        rules::extended::SlotRefusal::EmptySlot => "end_time",
                        rules::extended::SlotRefusal::InsideOpeningHours { .. } => "start_time",
                    };
                    AppError::invalid(e.code(), e.to_string()).with_field(field)
                },
            )?;
            if let Some(unit) = input.unit_id {
                let u = crate::services::org::active_unit(txn, unit, "unit_id").await?;
                if u.center_id != input.center_id {
                    return Err(
                        AppError::invalid("unit_of_other_center", "该单位不在这个中心")
                            .with_field("unit_id"),
                    );
                }
            }
            for code in &input.item_codes {
                let item = catalog::active_item(txn, code, "item_codes").await?;
                let served_here = item.center_id == input.center_id
                    && input.unit_id.is_none_or(|u| u == item.unit_id);
                if !served_here {
                    return Err(AppError::invalid(
                        "item_not_at_center",
                        format!("“{}”不在这个中心（单位）办理", item.name),
                    )
                    .with_field("item_codes"));
                }
            }
            for staff_id in &input.duty_staff_ids {
                let (member, here) =
                    duty_member(txn, *staff_id, input.center_id, "duty_staff_ids").await?;
                if !here {
                    return Err(AppError::invalid(
                        "staff_of_other_center",
                        format!("{}不在这个中心工作，不能排班", member.name),
                    )
                    .with_field("duty_staff_ids"));
                }
                // A unit's own slot is staffed by that unit, as its roster is (see `duty`).
                if input
                    .unit_id
                    .is_some_and(|unit| member.unit_id != Some(unit))
                {
                    return Err(AppError::invalid(
                        "staff_not_in_unit",
                        format!("{}不属于该规则所属的单位，不能排班", member.name),
                    )
                    .with_field("duty_staff_ids"));
                }
            }
            let before = existing.clone().map(rule_view).transpose()?.map(|v| v.rule);
            let row = match existing {
                Some(existing) => {
                    let mut m: slot_rule::ActiveModel = existing.into();
                    m.unit_id = Set(input.unit_id);
                    m.name = Set(input.name.clone());
                    m.weekdays = Set(documents::list_json(&input.weekdays)?);
                    m.rest_days = Set(input.rest_days);
                    m.public_holidays = Set(input.public_holidays);
                    m.item_codes = Set(documents::list_json(&input.item_codes)?);
                    m.start_time = Set(input.start_time);
                    m.end_time = Set(input.end_time);
                    m.capacity = Set(input.capacity);
                    m.duty_staff_ids = Set(documents::list_json(&input.duty_staff_ids)?);
                    m.updated_at = Set(now);
                    let row = m.update(txn).await?;
                    remake_unbooked_slots(txn, row.id, now).await?;
                    row
                }
                None => {
                    slot_rule::ActiveModel {
                        center_id: Set(input.center_id),
                        unit_id: Set(input.unit_id),
                        name: Set(input.name.clone()),
                        weekdays: Set(documents::list_json(&input.weekdays)?),
                        rest_days: Set(input.rest_days),
                        public_holidays: Set(input.public_holidays),
                        item_codes: Set(documents::list_json(&input.item_codes)?),
                        start_time: Set(input.start_time),
                        end_time: Set(input.end_time),
                        capacity: Set(input.capacity),
                        duty_staff_ids: Set(documents::list_json(&input.duty_staff_ids)?),
                        active: Set(true),
                        created_at: Set(now),
                        updated_at: Set(now),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?
                }
            };
            audit::record(
                txn,
                now,
                Change {
                    actor_id: actor,
                    action: if id.is_some() {
                        "slot_rule.update"
                    } else {
                        "slot_rule.create"
                    },
                    entity: "slot_rule",
                    entity_id: row.id.to_string(),
                    before: before.as_ref().and_then(audit::snapshot),
                    after: audit::snapshot(&input),
                },
            )
            .await?;
            rule_view(row)
        })
    })
    .await
}

/// Forgets the rule's slots still ahead that nobody booked and no duty checked in to, so that
/// they are made again from the edited rule: every slot in the booking window is made as soon
/// as anyone browses it, and an edit of the capacity or the times showed nowhere for two weeks.
async fn remake_unbooked_slots(
    txn: &DatabaseTransaction,
    rule_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let checked_in = Query::select()
        .column(slot_duty::Column::SlotId)
        .from(slot_duty::Entity)
        .and_where(slot_duty::Column::CheckedInAt.is_not_null())
        .to_owned();
    // A slot any booking (even a cancelled one) or service record names is history: kept.
    fn named<E: EntityTrait>(slot_id: E::Column, table: E) -> SelectStatement {
        Query::select()
            .column(slot_id)
            .from(table)
            .and_where(Expr::col(slot_id).is_not_null())
            .to_owned()
    }
    let idle: Vec<i64> = appointment_slot::Entity::find()
        .filter(appointment_slot::Column::RuleId.eq(rule_id))
        .filter(appointment_slot::Column::Booked.eq(0))
        .filter(appointment_slot::Column::StartAt.gt(now))
        .filter(appointment_slot::Column::Id.not_in_subquery(checked_in))
        .filter(
            appointment_slot::Column::Id
                .not_in_subquery(named(appointment::Column::SlotId, appointment::Entity)),
        )
        .filter(appointment_slot::Column::Id.not_in_subquery(named(
            extended_service::Column::SlotId,
            extended_service::Entity,
        )))
        .all(txn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    if idle.is_empty() {
        return Ok(());
    }
    slot_duty::Entity::delete_many()
        .filter(slot_duty::Column::SlotId.is_in(idle.clone()))
        .exec(txn)
        .await?;
    appointment_slot::Entity::delete_many()
        .filter(appointment_slot::Column::Id.is_in(idle))
        .exec(txn)
        .await?;
    Ok(())
}

/// Starts or stops a slot rule. Stopping keeps the rule, its slots and their bookings (there is
/// no delete); it only stops new bookings.
pub async fn set_rule_active(ctx: &Ctx, actor: i64, id: i64, on: bool) -> AppResult<SlotRuleView> {
    let column = slot_rule::Column::CenterId;
    let center = center_of::<slot_rule::Entity>(ctx, column, id, "预约时段规则").await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let row = found(txn, slot_rule::Entity, id, "预约时段规则").await?;
            rule_view(versioned::set_active(txn, ctx.now, actor, row, on).await?)
        })
    })
    .await
}
