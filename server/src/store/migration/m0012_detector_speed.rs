//! Issue #13, "fast on big data": the detector on 1,000,000 cases (bench/RESULTS.md,
//! `bench/overview`). It reads only what can still raise a problem:
//! - the cases decided late, from a partial index holding only them (`decided_at > due_at`): the
//!   cases decided on time, nearly all of them, can never raise "办件超期", yet the index by due
//!   moment made the detector walk every one;
//! - the tickets of a past day still waiting, called, being served or reassigning, by status
//!   first (the index by day and status walked every ticket of every past day).

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum QueueTicket {
    Table,
    Day,
    Status,
}

#[derive(DeriveIden, Clone, Copy)]
enum Cases {
    Table,
    DecidedAt,
    DueAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use QueueTicket as T;
        m.create_index(
            Index::create()
                .name("ix_ticket_status_day")
                .table(T::Table)
                .col(T::Status)
                .col(T::Day)
                .to_owned(),
        )
        .await?;
        // The detector's query repeats this very term, so that both stores read through it.
        m.create_index(
            Index::create()
                .name("ix_cases_decided_late")
                .table(Cases::Table)
                .col(Cases::DueAt)
                .and_where(Expr::col(Cases::DecidedAt).gt(Expr::col(Cases::DueAt)))
                .to_owned(),
        )
        .await?;
        // SQLite's planner prefers the covering index by due moment until it knows how few
        // rows the partial index holds (PostgreSQL estimates that from the table's statistics).
        if m.get_database_backend() == DatabaseBackend::Sqlite {
            m.get_connection()
                .execute_unprepared("ANALYZE \"ix_cases_decided_late\"")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("indexes are kept; not reversible".into()))
    }
}
