//! Schema migrations (sea-orm-migration), applied at every start and in every test, the same on
//! SQLite and PostgreSQL. Add a new module per change; never edit one that has shipped.

use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_cases;
mod m0003_queue;
mod m0004_kiosks;
mod m0005_security;
mod m0006_rule_fidelity;
mod m0007_supervision;
mod m0008_supervision_speed;
mod m0009_patrol;
mod m0010_audit_chains;
mod m0011_case_receipt;
mod m0012_detector_speed;
mod m0013_open_case_index;
mod m0014_open_case_list;
mod m0015_export_job;
mod m0016_case_list_columns;
mod m0017_open_cases_by_id;
mod m0018_case_handover;
mod m0019_exception_decision_note;
mod m0020_case_actors;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_cases::Migration),
            Box::new(m0003_queue::Migration),
            Box::new(m0004_kiosks::Migration),
            Box::new(m0005_security::Migration),
            Box::new(m0006_rule_fidelity::Migration),
            Box::new(m0007_supervision::Migration),
            Box::new(m0008_supervision_speed::Migration),
            Box::new(m0009_patrol::Migration),
            Box::new(m0010_audit_chains::Migration),
            Box::new(m0011_case_receipt::Migration),
            Box::new(m0012_detector_speed::Migration),
            Box::new(m0013_open_case_index::Migration),
            Box::new(m0014_open_case_list::Migration),
            Box::new(m0015_export_job::Migration),
            Box::new(m0016_case_list_columns::Migration),
            Box::new(m0017_open_cases_by_id::Migration),
            Box::new(m0018_case_handover::Migration),
            Box::new(m0019_exception_decision_note::Migration),
            Box::new(m0020_case_actors::Migration),
        ]
    }
}

/// `id BIGINT` auto-increment primary key (an `INTEGER PRIMARY KEY` rowid alias on SQLite).
pub(crate) fn id_col<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .take()
}

/// `created_at` / `updated_at`, instants in UTC.
pub(crate) fn instant<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .take()
}

pub(crate) fn fk(
    from_table: impl IntoIden + 'static,
    from_col: impl IntoIden + 'static,
    to_table: impl IntoIden + 'static,
    to_col: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict)
        .take()
}
