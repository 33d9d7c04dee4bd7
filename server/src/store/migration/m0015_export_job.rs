//! Issue #13, "a long export shows progress": the monthly report's XLSX is made by a job in the
//! background. The job's row holds its progress (items of the month's list read of the total)
//! and, once made, the file; any instance answers the page's polling from it.

use sea_orm_migration::prelude::*;

use super::{id_col, instant};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ExportJob {
    Table,
    Id,
    Kind,
    Param,
    RequestedBy,
    Total,
    Done,
    FileName,
    Bytes,
    Error,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ExportJob::Table)
                .col(id_col(ExportJob::Id))
                .col(ColumnDef::new(ExportJob::Kind).string().not_null())
                .col(ColumnDef::new(ExportJob::Param).string().not_null())
                .col(
                    ColumnDef::new(ExportJob::RequestedBy)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(ExportJob::Total).big_integer().not_null())
                .col(ColumnDef::new(ExportJob::Done).big_integer().not_null())
                .col(ColumnDef::new(ExportJob::FileName).string().null())
                .col(ColumnDef::new(ExportJob::Bytes).blob().null())
                .col(ColumnDef::new(ExportJob::Error).string().null())
                .col(instant(ExportJob::CreatedAt))
                .col(instant(ExportJob::UpdatedAt))
                .col(
                    ColumnDef::new(ExportJob::FinishedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        // Old jobs are swept by age.
        m.create_index(
            Index::create()
                .name("ix_export_job_created_at")
                .table(ExportJob::Table)
                .col(ExportJob::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ExportJob::Table).to_owned())
            .await
    }
}
