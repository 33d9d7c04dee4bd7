//! First-inquiry responsibility outlives a staff member's account: when a case's owner leaves
//! (deactivated) or cannot follow it, the unit's chief representative hands the case to another
//! clerk of the unit. Each handover is kept: who had it, who has it, who decided, why, when —
//! the case's record shows the chain of responsibility.

use sea_orm_migration::prelude::*;

use super::{fk, id_col, instant};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum CaseHandover {
    Table,
    Id,
    CaseId,
    FromStaffId,
    ToStaffId,
    Reason,
    HandedOverBy,
    HandedOverAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Cases {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let staff = |c: CaseHandover| ColumnDef::new(c).big_integer().not_null().take();
        m.create_table(
            Table::create()
                .table(CaseHandover::Table)
                .col(id_col(CaseHandover::Id))
                .col(staff(CaseHandover::CaseId))
                .col(staff(CaseHandover::FromStaffId))
                .col(staff(CaseHandover::ToStaffId))
                .col(ColumnDef::new(CaseHandover::Reason).text().not_null())
                .col(staff(CaseHandover::HandedOverBy))
                .col(instant(CaseHandover::HandedOverAt))
                .foreign_key(&mut fk(
                    CaseHandover::Table,
                    CaseHandover::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_case_handover_case_id")
                .table(CaseHandover::Table)
                .col(CaseHandover::CaseId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CaseHandover::Table).to_owned())
            .await
    }
}
