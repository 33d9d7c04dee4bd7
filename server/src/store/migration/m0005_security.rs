//! Security hardening (issue 12): the audit chain is keyed.
//!
//! `audit_seal` holds one row: a check value of the key the chain is sealed with (an HMAC of a
//! fixed text, from which the key cannot be recovered). It lets the server refuse to start with
//! a key other than the one that sealed the chain, and lets `audit-verify` say "wrong key" rather
//! than "every record was edited". No row: a chain written before keying, which the server seals
//! with its key once, at start, after checking it (see `services::audit_chain`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditSeal {
    Table,
    Id,
    KeyCheck,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuditSeal::Table)
                .col(
                    ColumnDef::new(AuditSeal::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(AuditSeal::KeyCheck).string().not_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AuditSeal::Table).to_owned())
            .await
    }
}
