//! Issue #13, "fast on big data": indexes the supervisor's overview reads through, so that with
//! 1,000,000 cases it answers in under 150 ms on both stores (figures: bench/RESULTS.md,
//! `bench/overview`).
//! - today's tickets by day and status (the kiosk index leads with the center: every
//!   center's tickets of every day were scanned for the waiting count and the waits);
//! - the cases decided in the last 14 days with their due moment, and the undecided ones by
//!   due moment, from one index (the on-time trend reads the index alone);
//! - the detector's cases past due (undecided or decided late) from the index alone, and its
//!   problems by kind and evidence (what it has raised already);
//! - the month's problems by kind and unit and the month's ratings by level, counted from the
//!   index alone.

use sea_orm_migration::prelude::*;

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

#[derive(DeriveIden, Clone, Copy)]
enum Problem {
    Table,
    FoundOn,
    Struck,
    Kind,
    UnitId,
    EvidenceKind,
    EvidenceId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Rating {
    Table,
    RatedOn,
    Struck,
    Level,
    FollowUpAt,
}

async fn index<T, C>(m: &SchemaManager<'_>, name: &str, table: T, cols: Vec<C>) -> Result<(), DbErr>
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
{
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    m.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use QueueTicket as T;
        index(m, "ix_ticket_day_status", T::Table, vec![T::Day, T::Status]).await?;
        let cols = vec![Cases::DecidedAt, Cases::DueAt];
        index(m, "ix_cases_decided_at_due_at", Cases::Table, cols).await?;
        // The detector's cases past due, undecided or decided late, from the index alone.
        let cols = vec![Cases::DueAt, Cases::DecidedAt];
        index(m, "ix_cases_due_at_decided_at", Cases::Table, cols).await?;
        use Problem as P;
        let cols = vec![P::FoundOn, P::Struck, P::Kind, P::UnitId];
        index(m, "ix_problem_found_on_kind_unit", P::Table, cols).await?;
        let cols = vec![P::Kind, P::EvidenceKind, P::EvidenceId];
        index(m, "ix_problem_kind_evidence", P::Table, cols).await?;
        use Rating as R;
        let cols = vec![R::RatedOn, R::Struck, R::Level, R::FollowUpAt];
        index(m, "ix_rating_rated_on_level", R::Table, cols).await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("indexes are kept; not reversible".into()))
    }
}
