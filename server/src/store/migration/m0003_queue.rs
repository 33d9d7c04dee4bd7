//! 延时服务: queues and tickets, the day's queue, extended-service records, "cannot serve"
//! reassignments, after-hours appointment slots (rules and concrete slots), duty roster and
//! appointments.

use sea_orm_migration::{prelude::*, sea_orm::ConnectionTrait};

use super::{fk, id_col, instant};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ServiceCenter {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Window {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum QueueDef {
    Table,
    Id,
    CenterId,
    Letter,
    UnitId,
    Name,
    Active,
}

#[derive(DeriveIden)]
enum QueueTicket {
    Table,
    Id,
    CenterId,
    Day,
    QueueId,
    Seq,
    Number,
    UnitId,
    ItemCode,
    Priority,
    AppointmentId,
    Status,
    IssuedAt,
    IssuedBy,
    CalledAt,
    WindowId,
    CalledBy,
    Recalls,
    ServeStartedAt,
    ServedBy,
    ServeEndedAt,
    NoShowAt,
    Version,
}

#[derive(DeriveIden)]
enum QueueCounter {
    Table,
    QueueId,
    Day,
    LastSeq,
}

#[derive(DeriveIden)]
enum QueueDay {
    Table,
    CenterId,
    Day,
    ClosedAt,
    ClosedBy,
}

#[derive(DeriveIden)]
enum ExtendedService {
    Table,
    Id,
    CenterId,
    Day,
    TicketId,
    SlotId,
    StaffId,
    Kind,
    StartedAt,
    EndedAt,
    MinutesPast,
    Note,
}

#[derive(DeriveIden)]
enum Reassignment {
    Table,
    Id,
    TicketId,
    CenterId,
    UnitId,
    FromStaffId,
    Reason,
    CreatedAt,
    AssignedStaffId,
    AssignedWindowId,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum SlotRule {
    Table,
    Id,
    CenterId,
    UnitId,
    Name,
    Weekdays,
    ItemCodes,
    StartTime,
    EndTime,
    Capacity,
    DutyStaffIds,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AppointmentSlot {
    Table,
    Id,
    RuleId,
    CenterId,
    UnitId,
    ItemCodes,
    Day,
    StartAt,
    EndAt,
    Capacity,
    Booked,
}

#[derive(DeriveIden)]
enum SlotDuty {
    Table,
    SlotId,
    StaffId,
    CheckedInAt,
    LateMinutes,
}

#[derive(DeriveIden)]
enum Appointment {
    Table,
    Id,
    Code,
    SlotId,
    CenterId,
    ItemCode,
    Name,
    Phone,
    IdNumber,
    Method,
    Status,
    CreatedAt,
    CreatedBy,
    CancelledAt,
    ArrivedAt,
    TicketId,
    NoShowAt,
    Version,
}

fn s(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().not_null().take()
}

fn s_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().null().take()
}

fn b(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().take()
}

fn b_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().null().take()
}

fn t_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().null().take()
}

fn day(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).date().not_null().take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(QueueDef::Table)
                .col(id_col(QueueDef::Id))
                .col(b(QueueDef::CenterId))
                .col(s(QueueDef::Letter))
                .col(b(QueueDef::UnitId))
                .col(s(QueueDef::Name))
                .col(
                    ColumnDef::new(QueueDef::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .foreign_key(&mut fk(
                    QueueDef::Table,
                    QueueDef::CenterId,
                    ServiceCenter::Table,
                    ServiceCenter::Id,
                ))
                .foreign_key(&mut fk(
                    QueueDef::Table,
                    QueueDef::UnitId,
                    Unit::Table,
                    Unit::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_queue_def_center_letter")
                .table(QueueDef::Table)
                .col(QueueDef::CenterId)
                .col(QueueDef::Letter)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(QueueTicket::Table)
                .col(id_col(QueueTicket::Id))
                .col(b(QueueTicket::CenterId))
                .col(day(QueueTicket::Day))
                .col(b(QueueTicket::QueueId))
                .col(b(QueueTicket::Seq))
                .col(s(QueueTicket::Number))
                .col(b(QueueTicket::UnitId))
                .col(s_null(QueueTicket::ItemCode))
                .col(
                    ColumnDef::new(QueueTicket::Priority)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(b_null(QueueTicket::AppointmentId))
                .col(s(QueueTicket::Status))
                .col(instant(QueueTicket::IssuedAt))
                .col(b_null(QueueTicket::IssuedBy))
                .col(t_null(QueueTicket::CalledAt))
                .col(b_null(QueueTicket::WindowId))
                .col(b_null(QueueTicket::CalledBy))
                .col(
                    ColumnDef::new(QueueTicket::Recalls)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(t_null(QueueTicket::ServeStartedAt))
                .col(b_null(QueueTicket::ServedBy))
                .col(t_null(QueueTicket::ServeEndedAt))
                .col(t_null(QueueTicket::NoShowAt))
                .col(
                    ColumnDef::new(QueueTicket::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .foreign_key(&mut fk(
                    QueueTicket::Table,
                    QueueTicket::QueueId,
                    QueueDef::Table,
                    QueueDef::Id,
                ))
                .foreign_key(&mut fk(
                    QueueTicket::Table,
                    QueueTicket::WindowId,
                    Window::Table,
                    Window::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_ticket_queue_day_seq")
                .table(QueueTicket::Table)
                .col(QueueTicket::QueueId)
                .col(QueueTicket::Day)
                .col(QueueTicket::Seq)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_ticket_center_day_status")
                .table(QueueTicket::Table)
                .col(QueueTicket::CenterId)
                .col(QueueTicket::Day)
                .col(QueueTicket::Status)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(QueueCounter::Table)
                .col(b(QueueCounter::QueueId))
                .col(day(QueueCounter::Day))
                .col(b(QueueCounter::LastSeq))
                .primary_key(
                    Index::create()
                        .col(QueueCounter::QueueId)
                        .col(QueueCounter::Day),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(QueueDay::Table)
                .col(b(QueueDay::CenterId))
                .col(day(QueueDay::Day))
                .col(instant(QueueDay::ClosedAt))
                .col(b(QueueDay::ClosedBy))
                .primary_key(Index::create().col(QueueDay::CenterId).col(QueueDay::Day))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ExtendedService::Table)
                .col(id_col(ExtendedService::Id))
                .col(b(ExtendedService::CenterId))
                .col(day(ExtendedService::Day))
                .col(b_null(ExtendedService::TicketId))
                .col(b_null(ExtendedService::SlotId))
                .col(b(ExtendedService::StaffId))
                .col(s(ExtendedService::Kind))
                .col(instant(ExtendedService::StartedAt))
                .col(t_null(ExtendedService::EndedAt))
                .col(
                    ColumnDef::new(ExtendedService::MinutesPast)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(ColumnDef::new(ExtendedService::Note).text().null())
                .foreign_key(&mut fk(
                    ExtendedService::Table,
                    ExtendedService::StaffId,
                    Staff::Table,
                    Staff::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Reassignment::Table)
                .col(id_col(Reassignment::Id))
                .col(b(Reassignment::TicketId))
                .col(b(Reassignment::CenterId))
                .col(b(Reassignment::UnitId))
                .col(b(Reassignment::FromStaffId))
                .col(ColumnDef::new(Reassignment::Reason).text().not_null())
                .col(instant(Reassignment::CreatedAt))
                .col(b_null(Reassignment::AssignedStaffId))
                .col(b_null(Reassignment::AssignedWindowId))
                .col(b_null(Reassignment::DecidedBy))
                .col(t_null(Reassignment::DecidedAt))
                .foreign_key(&mut fk(
                    Reassignment::Table,
                    Reassignment::TicketId,
                    QueueTicket::Table,
                    QueueTicket::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SlotRule::Table)
                .col(id_col(SlotRule::Id))
                .col(b(SlotRule::CenterId))
                .col(b_null(SlotRule::UnitId))
                .col(s(SlotRule::Name))
                .col(ColumnDef::new(SlotRule::Weekdays).text().not_null())
                .col(ColumnDef::new(SlotRule::ItemCodes).text().not_null())
                .col(ColumnDef::new(SlotRule::StartTime).time().not_null())
                .col(ColumnDef::new(SlotRule::EndTime).time().not_null())
                .col(ColumnDef::new(SlotRule::Capacity).integer().not_null())
                .col(ColumnDef::new(SlotRule::DutyStaffIds).text().not_null())
                .col(
                    ColumnDef::new(SlotRule::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(instant(SlotRule::CreatedAt))
                .col(instant(SlotRule::UpdatedAt))
                .foreign_key(&mut fk(
                    SlotRule::Table,
                    SlotRule::CenterId,
                    ServiceCenter::Table,
                    ServiceCenter::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AppointmentSlot::Table)
                .col(id_col(AppointmentSlot::Id))
                .col(b(AppointmentSlot::RuleId))
                .col(b(AppointmentSlot::CenterId))
                .col(b_null(AppointmentSlot::UnitId))
                .col(ColumnDef::new(AppointmentSlot::ItemCodes).text().not_null())
                .col(day(AppointmentSlot::Day))
                .col(instant(AppointmentSlot::StartAt))
                .col(instant(AppointmentSlot::EndAt))
                .col(
                    ColumnDef::new(AppointmentSlot::Capacity)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AppointmentSlot::Booked)
                        .integer()
                        .not_null()
                        .default(0),
                )
                // The seat count is the database's to keep: never below zero, never above capacity.
                .check(Expr::col(AppointmentSlot::Booked).gte(0))
                .check(Expr::col(AppointmentSlot::Booked).lte(Expr::col(AppointmentSlot::Capacity)))
                .foreign_key(&mut fk(
                    AppointmentSlot::Table,
                    AppointmentSlot::RuleId,
                    SlotRule::Table,
                    SlotRule::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_slot_rule_day")
                .table(AppointmentSlot::Table)
                .col(AppointmentSlot::RuleId)
                .col(AppointmentSlot::Day)
                .unique()
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_slot_center_day ON appointment_slot (center_id, day)",
            )
            .await?;

        m.create_table(
            Table::create()
                .table(SlotDuty::Table)
                .col(b(SlotDuty::SlotId))
                .col(b(SlotDuty::StaffId))
                .col(t_null(SlotDuty::CheckedInAt))
                .col(ColumnDef::new(SlotDuty::LateMinutes).integer().null())
                .primary_key(Index::create().col(SlotDuty::SlotId).col(SlotDuty::StaffId))
                .foreign_key(&mut fk(
                    SlotDuty::Table,
                    SlotDuty::SlotId,
                    AppointmentSlot::Table,
                    AppointmentSlot::Id,
                ))
                .foreign_key(&mut fk(
                    SlotDuty::Table,
                    SlotDuty::StaffId,
                    Staff::Table,
                    Staff::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Appointment::Table)
                .col(id_col(Appointment::Id))
                .col(s(Appointment::Code))
                .col(b(Appointment::SlotId))
                .col(b(Appointment::CenterId))
                .col(s(Appointment::ItemCode))
                .col(s(Appointment::Name))
                .col(s(Appointment::Phone))
                .col(s_null(Appointment::IdNumber))
                .col(s(Appointment::Method))
                .col(s(Appointment::Status))
                .col(instant(Appointment::CreatedAt))
                .col(b_null(Appointment::CreatedBy))
                .col(t_null(Appointment::CancelledAt))
                .col(t_null(Appointment::ArrivedAt))
                .col(b_null(Appointment::TicketId))
                .col(t_null(Appointment::NoShowAt))
                .col(
                    ColumnDef::new(Appointment::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .foreign_key(&mut fk(
                    Appointment::Table,
                    Appointment::SlotId,
                    AppointmentSlot::Table,
                    AppointmentSlot::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_appointment_code")
                .table(Appointment::Table)
                .col(Appointment::Code)
                .unique()
                .to_owned(),
        )
        .await?;
        // One live booking per phone and slot, kept by the database itself (partial unique index;
        // the same statement works on SQLite and PostgreSQL). Overlapping slots are checked by the
        // booking transaction, which runs alone (see `store::Db::write`).
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_appointment_phone_slot_booked \
                 ON appointment (phone, slot_id) WHERE status = 'booked'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "queue and appointment records are kept; not reversible".into(),
        ))
    }
}
