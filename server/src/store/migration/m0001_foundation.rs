//! The foundation: organisation (centers, units, windows, staff, roles), staff sessions, the
//! official work calendar and the append-only, hash-chained audit log.

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

use super::{fk, id_col, instant};

/// The `prev_hash` of the first audit record (frozen here: a migration imports nothing from
/// the application it migrates).
const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The session table as tower-sessions-sqlx-store names and reads it (`staff_session`).
const SESSION_TABLE_POSTGRES: &str = concat!(
    r#"create table "staff_session" "#,
    "(id text primary key not null, data bytea not null, expiry_date timestamptz not null)"
);
const SESSION_TABLE_SQLITE: &str = concat!(
    "create table staff_session ",
    "(id text primary key not null, data blob not null, expiry_date integer not null)"
);

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ServiceCenter {
    Table,
    Id,
    Name,
    Kind,
    Address,
    Phone,
    BusinessHours,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
    CenterId,
    Name,
    Phone,
    ChiefRepresentativeId,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Window {
    Table,
    Id,
    CenterId,
    Number,
    Name,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WindowUnit {
    Table,
    WindowId,
    UnitId,
}

#[derive(DeriveIden)]
#[allow(clippy::enum_variant_names)] // `StaffNumber` is the column's name.
enum Staff {
    Table,
    Id,
    StaffNumber,
    Name,
    UnitId,
    PasswordHash,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StaffRole {
    Table,
    StaffId,
    Role,
}

#[derive(DeriveIden)]
enum StaffWindow {
    Table,
    StaffId,
    WindowId,
}

#[derive(DeriveIden)]
enum CalendarYear {
    Table,
    Year,
    Source,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum CalendarDay {
    Table,
    Date,
    Year,
    Kind,
    Name,
    PartOfRun,
}

#[derive(DeriveIden)]
enum AuditRecord {
    Table,
    Id,
    At,
    ActorId,
    Action,
    Entity,
    EntityId,
    Before,
    After,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    LastId,
    LastHash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ServiceCenter::Table)
                .col(id_col(ServiceCenter::Id))
                .col(ColumnDef::new(ServiceCenter::Name).string().not_null())
                .col(ColumnDef::new(ServiceCenter::Kind).string().not_null())
                .col(ColumnDef::new(ServiceCenter::Address).string().not_null())
                .col(ColumnDef::new(ServiceCenter::Phone).string().not_null())
                .col(
                    ColumnDef::new(ServiceCenter::BusinessHours)
                        .text()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ServiceCenter::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(instant(ServiceCenter::CreatedAt))
                .col(instant(ServiceCenter::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_service_center_name")
                .table(ServiceCenter::Table)
                .col(ServiceCenter::Name)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Unit::Table)
                .col(id_col(Unit::Id))
                .col(ColumnDef::new(Unit::CenterId).big_integer().not_null())
                .col(ColumnDef::new(Unit::Name).string().not_null())
                .col(ColumnDef::new(Unit::Phone).string().null())
                // No foreign key: staff also point at units; the service keeps this consistent.
                .col(
                    ColumnDef::new(Unit::ChiefRepresentativeId)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(Unit::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(instant(Unit::CreatedAt))
                .col(instant(Unit::UpdatedAt))
                .foreign_key(&mut fk(
                    Unit::Table,
                    Unit::CenterId,
                    ServiceCenter::Table,
                    ServiceCenter::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_unit_center_name")
                .table(Unit::Table)
                .col(Unit::CenterId)
                .col(Unit::Name)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Window::Table)
                .col(id_col(Window::Id))
                .col(ColumnDef::new(Window::CenterId).big_integer().not_null())
                .col(ColumnDef::new(Window::Number).string().not_null())
                .col(ColumnDef::new(Window::Name).string().null())
                .col(
                    ColumnDef::new(Window::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(instant(Window::CreatedAt))
                .col(instant(Window::UpdatedAt))
                .foreign_key(&mut fk(
                    Window::Table,
                    Window::CenterId,
                    ServiceCenter::Table,
                    ServiceCenter::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_window_center_number")
                .table(Window::Table)
                .col(Window::CenterId)
                .col(Window::Number)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(WindowUnit::Table)
                .col(
                    ColumnDef::new(WindowUnit::WindowId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(WindowUnit::UnitId).big_integer().not_null())
                .primary_key(
                    Index::create()
                        .col(WindowUnit::WindowId)
                        .col(WindowUnit::UnitId),
                )
                .foreign_key(&mut fk(
                    WindowUnit::Table,
                    WindowUnit::WindowId,
                    Window::Table,
                    Window::Id,
                ))
                .foreign_key(&mut fk(
                    WindowUnit::Table,
                    WindowUnit::UnitId,
                    Unit::Table,
                    Unit::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Staff::Table)
                .col(id_col(Staff::Id))
                .col(ColumnDef::new(Staff::StaffNumber).string().not_null())
                .col(ColumnDef::new(Staff::Name).string().not_null())
                .col(ColumnDef::new(Staff::UnitId).big_integer().null())
                .col(ColumnDef::new(Staff::PasswordHash).string().not_null())
                .col(
                    ColumnDef::new(Staff::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(instant(Staff::CreatedAt))
                .col(instant(Staff::UpdatedAt))
                .foreign_key(&mut fk(Staff::Table, Staff::UnitId, Unit::Table, Unit::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_staff_number")
                .table(Staff::Table)
                .col(Staff::StaffNumber)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(StaffRole::Table)
                .col(ColumnDef::new(StaffRole::StaffId).big_integer().not_null())
                .col(ColumnDef::new(StaffRole::Role).string().not_null())
                .primary_key(Index::create().col(StaffRole::StaffId).col(StaffRole::Role))
                .foreign_key(&mut fk(
                    StaffRole::Table,
                    StaffRole::StaffId,
                    Staff::Table,
                    Staff::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(StaffWindow::Table)
                .col(
                    ColumnDef::new(StaffWindow::StaffId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(StaffWindow::WindowId)
                        .big_integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(StaffWindow::StaffId)
                        .col(StaffWindow::WindowId),
                )
                .foreign_key(&mut fk(
                    StaffWindow::Table,
                    StaffWindow::StaffId,
                    Staff::Table,
                    Staff::Id,
                ))
                .foreign_key(&mut fk(
                    StaffWindow::Table,
                    StaffWindow::WindowId,
                    Window::Table,
                    Window::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CalendarYear::Table)
                .col(
                    ColumnDef::new(CalendarYear::Year)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(CalendarYear::Source).string().not_null())
                .col(instant(CalendarYear::UpdatedAt))
                .col(ColumnDef::new(CalendarYear::UpdatedBy).big_integer().null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CalendarDay::Table)
                .col(
                    ColumnDef::new(CalendarDay::Date)
                        .date()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(CalendarDay::Year).integer().not_null())
                .col(ColumnDef::new(CalendarDay::Kind).string().not_null())
                .col(ColumnDef::new(CalendarDay::Name).string().not_null())
                .col(
                    ColumnDef::new(CalendarDay::PartOfRun)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .foreign_key(&mut fk(
                    CalendarDay::Table,
                    CalendarDay::Year,
                    CalendarYear::Table,
                    CalendarYear::Year,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_calendar_day_year")
                .table(CalendarDay::Table)
                .col(CalendarDay::Year)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditRecord::Table)
                .col(id_col(AuditRecord::Id))
                .col(instant(AuditRecord::At))
                .col(ColumnDef::new(AuditRecord::ActorId).big_integer().null())
                .col(ColumnDef::new(AuditRecord::Action).string().not_null())
                .col(ColumnDef::new(AuditRecord::Entity).string().not_null())
                .col(ColumnDef::new(AuditRecord::EntityId).string().not_null())
                .col(ColumnDef::new(AuditRecord::Before).text().null())
                .col(ColumnDef::new(AuditRecord::After).text().null())
                .col(ColumnDef::new(AuditRecord::PrevHash).string().not_null())
                .col(ColumnDef::new(AuditRecord::Hash).string().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_entity")
                .table(AuditRecord::Table)
                .col(AuditRecord::Entity)
                .col(AuditRecord::EntityId)
                .to_owned(),
        )
        .await?;

        // One row: the head of the chain. Appending locks it, so the chain never forks, even with
        // several server instances on one PostgreSQL.
        m.create_table(
            Table::create()
                .table(AuditHead::Table)
                .col(
                    ColumnDef::new(AuditHead::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(AuditHead::LastId).big_integer().not_null())
                .col(ColumnDef::new(AuditHead::LastHash).string().not_null())
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(AuditHead::Table)
                .columns([AuditHead::Id, AuditHead::LastId, AuditHead::LastHash])
                .values_panic([1.into(), 0i64.into(), GENESIS_HASH.into()])
                .to_owned(),
        )
        .await?;

        // Staff sessions: exactly the columns tower-sessions-sqlx-store reads and writes.
        let sql = match m.get_database_backend() {
            DatabaseBackend::Postgres => SESSION_TABLE_POSTGRES,
            _ => SESSION_TABLE_SQLITE,
        };
        m.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "the foundation schema is not reversible: it holds the audit log".into(),
        ))
    }
}
