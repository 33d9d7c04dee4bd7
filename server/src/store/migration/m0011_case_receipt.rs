//! Issue 14 point 10, 收件凭证: a case keeps the materials handed in at receipt (a JSON list of
//! the item's material keys; absent when not recorded one by one) and the receipt's lookup code
//! (查询码), which opens the public case lookup instead of the phone number.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Cases {
    Table,
    ReceivedMaterials,
    LookupCode,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table(Cases::Table)
                .add_column(ColumnDef::new(Cases::ReceivedMaterials).text().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Cases::Table)
                .add_column(ColumnDef::new(Cases::LookupCode).string().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Cases::LookupCode, Cases::ReceivedMaterials] {
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
