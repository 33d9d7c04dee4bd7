//! Issue #16, "a page of 50 cases on 100,000": every case read first sweeps the clock, and its
//! query for running cases past due (`overdue_at IS NULL`) went through the index by
//! `overdue_at`, where nearly every case — all the ones decided on time — is NULL: ≈0.25 s of
//! index look-ups per request on 100,000 cases. The open-cases list walked the table by id for
//! the same reason. An index by state, then due moment, serves both (the list asks for the open
//! states by name): ≈0.01 s each on the same data (bench/RESULTS.md).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Cases {
    Table,
    State,
    DueAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_cases_state_due_at")
                .table(Cases::Table)
                .col(Cases::State)
                .col(Cases::DueAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("indexes are kept; not reversible".into()))
    }
}
