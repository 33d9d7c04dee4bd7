//! Issue 16, "list views read columns, never parse stored documents per row": what a list of
//! cases shows of the item a case was received under — its name and its time limit — as columns
//! of `cases`, beside the snapshot they are copied from. A page of 50 cases read the whole row of
//! each, its ≈2.5 KB snapshot included (SQLite reads most of it from overflow pages), and parsed
//! the snapshot's head: on 100,000 cases the page answered ≈430 times a second at 64 connections
//! with a p99 near a second.
//!
//! `time_limit_kind` is `immediate` (then `time_limit_amount` is minutes) or `promised` (working
//! days). Rows received before this migration are filled from their snapshot here, in SQL, as
//! version 1 of the snapshot wrote them (the only version so far; frozen: this text does not
//! follow later versions). The columns stay nullable (SQLite adds no `NOT NULL` column without a
//! default): a row without them — written by an instance that predates this migration — is read
//! from its snapshot instead.

use sea_orm::DatabaseBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Cases {
    Table,
    ItemName,
    TimeLimitKind,
    TimeLimitAmount,
}

const FILL_SQLITE: &str = "UPDATE cases SET \
    item_name = json_extract(item_snapshot, '$.name'), \
    time_limit_kind = json_extract(item_snapshot, '$.time_limit.kind'), \
    time_limit_amount = CASE json_extract(item_snapshot, '$.time_limit.kind') \
        WHEN 'immediate' THEN json_extract(item_snapshot, '$.time_limit.minutes') \
        ELSE json_extract(item_snapshot, '$.time_limit.working_days') END";

const FILL_POSTGRES: &str = "UPDATE cases SET \
    item_name = item_snapshot::jsonb ->> 'name', \
    time_limit_kind = item_snapshot::jsonb -> 'time_limit' ->> 'kind', \
    time_limit_amount = (CASE item_snapshot::jsonb -> 'time_limit' ->> 'kind' \
        WHEN 'immediate' THEN item_snapshot::jsonb -> 'time_limit' ->> 'minutes' \
        ELSE item_snapshot::jsonb -> 'time_limit' ->> 'working_days' END)::integer";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        for column in [
            ColumnDef::new(Cases::ItemName).string().null().take(),
            ColumnDef::new(Cases::TimeLimitKind).string().null().take(),
            ColumnDef::new(Cases::TimeLimitAmount)
                .integer()
                .null()
                .take(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Cases::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        let fill = match m.get_database_backend() {
            DatabaseBackend::Postgres => FILL_POSTGRES,
            _ => FILL_SQLITE,
        };
        m.get_connection().execute_unprepared(fill).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Cases::TimeLimitAmount,
            Cases::TimeLimitKind,
            Cases::ItemName,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Cases::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
