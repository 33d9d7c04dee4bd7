//! Rule fidelity (issue #11): suspensions carry moments and the reason for a back-dated start;
//! each case keeps the due in force at every step and whether its decision and stages were on
//! time (queryable for supervision); slot rules may name rest days and public holidays.
//!
//! SQLite alters one column per statement, so every added column is its own `ALTER TABLE`.

use sea_orm_migration::prelude::*;

use super::{fk, id_col, instant};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    /// The due moment the case missed (set once it runs past it, kept after the decision).
    OverdueAt,
    /// The due moment in force when the decision was taken.
    DecisionDueAt,
    /// Whether the decision kept the due in force then (`NULL` before the decision).
    DecidedOnTime,
}

#[derive(DeriveIden)]
enum CaseSuspension {
    Table,
    /// When the clock stopped (`NULL` on rows recorded by date only, before this migration).
    StartAt,
    /// When it ran again.
    EndAt,
    /// Why a back-dated start was recorded late.
    BackdateReason,
}

/// The due in force from a moment on: of the case (`stage` `NULL`) or of one stage.
#[derive(DeriveIden)]
enum CaseDue {
    Table,
    Id,
    CaseId,
    Stage,
    EffectiveAt,
    /// `NULL` while the clock is stopped.
    DueAt,
    DueProvisional,
    /// What set it: accepted, suspended, resumed, extended, calendar, …
    Cause,
}

/// A step taken (the decision, a completed stage) against the due in force then.
#[derive(DeriveIden)]
enum CaseStep {
    Table,
    Id,
    CaseId,
    /// `decision`, or a completed stage (`stage_acceptance`, `stage_review`, `stage_decision`,
    /// `stage_delivery`).
    Step,
    DoneAt,
    DueAt,
    /// `on_time` · `late` · `clock_stopped`
    Timeliness,
}

#[derive(DeriveIden)]
enum SlotRule {
    Table,
    RestDays,
    PublicHolidays,
}

fn instant_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().null().take()
}

async fn add(
    m: &SchemaManager<'_>,
    table: impl IntoIden + 'static,
    col: ColumnDef,
) -> Result<(), DbErr> {
    m.alter_table(Table::alter().table(table).add_column(col).to_owned())
        .await
}

async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    cols: Vec<DynIden>,
) -> Result<(), DbErr> {
    let mut stmt = Index::create().name(name).table(table).to_owned();
    for c in cols {
        stmt.col(c);
    }
    m.create_index(stmt).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add(m, Cases::Table, instant_null(Cases::OverdueAt)).await?;
        add(m, Cases::Table, instant_null(Cases::DecisionDueAt)).await?;
        add(
            m,
            Cases::Table,
            ColumnDef::new(Cases::DecidedOnTime).boolean().null().take(),
        )
        .await?;
        index(
            m,
            "ix_cases_overdue_at",
            Cases::Table,
            vec![Cases::OverdueAt.into_iden()],
        )
        .await?;
        index(
            m,
            "ix_cases_decided_on_time",
            Cases::Table,
            vec![Cases::DecidedOnTime.into_iden()],
        )
        .await?;

        add(
            m,
            CaseSuspension::Table,
            instant_null(CaseSuspension::StartAt),
        )
        .await?;
        add(
            m,
            CaseSuspension::Table,
            instant_null(CaseSuspension::EndAt),
        )
        .await?;
        add(
            m,
            CaseSuspension::Table,
            ColumnDef::new(CaseSuspension::BackdateReason)
                .text()
                .null()
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CaseDue::Table)
                .col(id_col(CaseDue::Id))
                .col(ColumnDef::new(CaseDue::CaseId).big_integer().not_null())
                .col(ColumnDef::new(CaseDue::Stage).string().null())
                .col(instant(CaseDue::EffectiveAt))
                .col(instant_null(CaseDue::DueAt))
                .col(ColumnDef::new(CaseDue::DueProvisional).boolean().not_null())
                .col(ColumnDef::new(CaseDue::Cause).string().not_null())
                .foreign_key(&mut fk(
                    CaseDue::Table,
                    CaseDue::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_case_due_case",
            CaseDue::Table,
            vec![CaseDue::CaseId.into_iden()],
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CaseStep::Table)
                .col(id_col(CaseStep::Id))
                .col(ColumnDef::new(CaseStep::CaseId).big_integer().not_null())
                .col(ColumnDef::new(CaseStep::Step).string().not_null())
                .col(instant(CaseStep::DoneAt))
                .col(instant_null(CaseStep::DueAt))
                .col(ColumnDef::new(CaseStep::Timeliness).string().not_null())
                .foreign_key(&mut fk(
                    CaseStep::Table,
                    CaseStep::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_case_step_case",
            CaseStep::Table,
            vec![CaseStep::CaseId.into_iden()],
        )
        .await?;
        index(
            m,
            "ix_case_step_timeliness",
            CaseStep::Table,
            vec![CaseStep::Timeliness.into_iden()],
        )
        .await?;

        for col in [SlotRule::RestDays, SlotRule::PublicHolidays] {
            add(
                m,
                SlotRule::Table,
                ColumnDef::new(col)
                    .boolean()
                    .not_null()
                    .default(false)
                    .take(),
            )
            .await?;
        }
        Ok(())
    }
}
