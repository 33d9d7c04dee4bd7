//! Issue 16: one audit chain per center, no deployment-wide lock.
//!
//! - `audit_record` gains `chain_id` (0: the deployment-wide chain of organisation, staff and
//!   catalog administration; otherwise a center's id) and `seq`, the record's place in its chain
//!   (1, 2, …, gap-free per chain, unique with `chain_id`). The record `id` becomes a plain
//!   sequence number across chains (a rolled-back transaction may leave a gap there; the chains
//!   are what `audit-verify` checks).
//! - `audit_chain` replaces the single `audit_head` row: one head per chain (`last_seq`, and the
//!   `id` and `hash` of the newest record). A writing transaction locks only its chain's head.
//! - Every record written before is the start of chain 0, with `seq = id`: their hashes (which
//!   covered the id as the place in the chain) stay valid, nothing is resealed.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditRecord {
    Table,
    ChainId,
    Seq,
}

#[derive(DeriveIden)]
enum AuditChain {
    Table,
    ChainId,
    LastSeq,
    LastId,
    LastHash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(AuditRecord::Table)
                .add_column(
                    ColumnDef::new(AuditRecord::ChainId)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(AuditRecord::Table)
                .add_column(
                    ColumnDef::new(AuditRecord::Seq)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        )
        .await?;
        let conn = m.get_connection();
        conn.execute_unprepared("UPDATE audit_record SET seq = id")
            .await?;
        m.create_index(
            Index::create()
                .name("ux_audit_record_chain_seq")
                .table(AuditRecord::Table)
                .col(AuditRecord::ChainId)
                .col(AuditRecord::Seq)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditChain::Table)
                .col(
                    ColumnDef::new(AuditChain::ChainId)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(AuditChain::LastSeq).big_integer().not_null())
                .col(ColumnDef::new(AuditChain::LastId).big_integer().not_null())
                .col(ColumnDef::new(AuditChain::LastHash).string().not_null())
                .to_owned(),
        )
        .await?;
        conn.execute_unprepared(
            "INSERT INTO audit_chain (chain_id, last_seq, last_id, last_hash) \
             SELECT 0, last_id, last_id, last_hash FROM audit_head WHERE id = 1",
        )
        .await?;
        conn.execute_unprepared("DROP TABLE audit_head").await?;
        if m.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            // The ids were set by hand until now: the column's sequence starts after them.
            conn.execute_unprepared(
                "SELECT setval(pg_get_serial_sequence('audit_record', 'id'), \
                 COALESCE((SELECT MAX(id) FROM audit_record), 0) + 1, false)",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "the audit chains are not reversible: they hold the audit log".into(),
        ))
    }
}
