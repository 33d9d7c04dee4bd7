//! A chief representative who refuses a one-time exception says why, as for an extension: the
//! clerk who asked read only "未批准" and could not tell whether to ask again, differently, or
//! to tell the applicant the material is not needed. The note is nullable: requests decided
//! before this migration have none, and an approval may carry one or not.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum OneTimeException {
    Table,
    DecisionNote,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(OneTimeException::Table)
                .add_column(ColumnDef::new(OneTimeException::DecisionNote).text().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(OneTimeException::Table)
                .drop_column(OneTimeException::DecisionNote)
                .to_owned(),
        )
        .await
    }
}
