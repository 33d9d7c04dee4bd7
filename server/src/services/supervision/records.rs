//! The read-only records of one ticket and one booking, where supervision's drill-down ends when
//! the evidence is not a case. Supervisors read any; a unit's clerks and chief read their unit's.

use app::api::records::{BookingRecord, ExtendedStep, ReassignmentStep, TicketRecord};
use rules::extended::ExtendedKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{can_read_unit, staff_name, unit_name};
use crate::{
    auth::Principal,
    error::{AppError, AppResult},
    services::{Ctx, found},
    store::entities::{
        appointment, appointment_slot, extended_service, queue_ticket, reassignment,
        service_center, service_item, window,
    },
};

async fn center_name<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<String> {
    Ok(service_center::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|c| c.name)
        .unwrap_or_default())
}

async fn window_name<C: ConnectionTrait>(db: &C, id: Option<i64>) -> AppResult<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    Ok(window::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|w| match w.name {
            Some(name) => format!("{} {name}", w.number),
            None => w.number,
        }))
}

/// One ticket with its reassignments and extended services. A ticket of another unit is
/// "not found" to unit staff, as problems are.
pub async fn ticket(ctx: &Ctx, p: &Principal, id: i64) -> AppResult<TicketRecord> {
    let db = ctx.conn();
    let t = found(db, queue_ticket::Entity, id, "号票").await?;
    if !can_read_unit(p, Some(t.unit_id)) {
        return Err(AppError::not_found("号票"));
    }
    let mut reassignments = Vec::new();
    for r in reassignment::Entity::find()
        .filter(reassignment::Column::TicketId.eq(t.id))
        .order_by_asc(reassignment::Column::Id)
        .all(db)
        .await?
    {
        reassignments.push(ReassignmentStep {
            reason: r.reason,
            from_name: staff_name(db, Some(r.from_staff_id)).await?,
            created_at: r.created_at,
            assigned_name: staff_name(db, r.assigned_staff_id).await?,
            decided_at: r.decided_at,
        });
    }
    let mut extended_services = Vec::new();
    for e in extended_service::Entity::find()
        .filter(extended_service::Column::TicketId.eq(t.id))
        .order_by_asc(extended_service::Column::Id)
        .all(db)
        .await?
    {
        let kind_label = ExtendedKind::from_code(&e.kind)
            .map_or_else(|| e.kind.clone(), |k| k.label_zh().to_string());
        extended_services.push(ExtendedStep {
            kind_label,
            staff_name: staff_name(db, Some(e.staff_id)).await?,
            started_at: e.started_at,
            ended_at: e.ended_at,
            minutes_past: e.minutes_past,
        });
    }
    let status = rules::TicketStatus::from(t.status);
    Ok(TicketRecord {
        id: t.id,
        number: t.number,
        day: t.day,
        center_name: center_name(db, t.center_id).await?,
        unit_id: t.unit_id,
        unit_name: unit_name(db, t.unit_id).await?,
        item_code: t.item_code,
        priority: t.priority,
        status,
        status_label: status.label_zh().into(),
        issued_at: t.issued_at,
        called_at: t.called_at,
        recalls: t.recalls,
        window_name: window_name(db, t.window_id).await?,
        called_by_name: staff_name(db, t.called_by).await?,
        serve_started_at: t.serve_started_at,
        serve_ended_at: t.serve_ended_at,
        served_by_name: staff_name(db, t.served_by).await?,
        no_show_at: t.no_show_at,
        booking_id: t.appointment_id,
        reassignments,
        extended_services,
    })
}

/// One booking. Its unit is the slot's, or the unit of the ticket it was served on; a booking
/// of no unit yet is for supervisors only.
pub async fn booking(ctx: &Ctx, p: &Principal, id: i64) -> AppResult<BookingRecord> {
    let db = ctx.conn();
    let a = found(db, appointment::Entity, id, "预约").await?;
    let slot = found(db, appointment_slot::Entity, a.slot_id, "预约时段").await?;
    let ticket_unit = match a.ticket_id {
        Some(t) => queue_ticket::Entity::find_by_id(t)
            .one(db)
            .await?
            .map(|t| t.unit_id),
        None => None,
    };
    // The unit that served it, else the slot's unit, else — on a slot of the whole center —
    // the unit of the item booked (its staff read their own bookings).
    let item_unit = match ticket_unit.or(slot.unit_id) {
        Some(_) => None,
        None => service_item::Entity::find_by_id(a.item_code.clone())
            .one(db)
            .await?
            .map(|i| i.unit_id),
    };
    let unit_id = ticket_unit.or(slot.unit_id).or(item_unit);
    if !can_read_unit(p, unit_id) {
        return Err(AppError::not_found("预约"));
    }
    let unit_name = match unit_id {
        Some(u) => Some(unit_name(db, u).await?),
        None => None,
    };
    let status = rules::AppointmentStatus::from(a.status);
    Ok(BookingRecord {
        id: a.id,
        // The code and the phone open the booking: a reader sees which booking, not its key.
        code: format!("{}-****", a.code.chars().take(4).collect::<String>()),
        center_name: center_name(db, a.center_id).await?,
        unit_name,
        item_code: a.item_code,
        name: a.name,
        phone_masked: a.phone.mobile().map(|p| p.masked()).unwrap_or_default(),
        slot_day: slot.day,
        slot_start_at: slot.start_at,
        slot_end_at: slot.end_at,
        status,
        status_label: status.label_zh().into(),
        created_at: a.created_at,
        cancelled_at: a.cancelled_at,
        arrived_at: a.arrived_at,
        no_show_at: a.no_show_at,
        ticket_id: a.ticket_id,
    })
}
