//! Registered kiosks (issue 12, finding 7): the hall's own ticket machines carry a device token
//! set by an administrator, so that the per-address limit on anonymous writes does not stop
//! them. Only a hash of the token is stored.

use sea_orm_migration::prelude::*;

use super::{fk, id_col, instant};

#[derive(DeriveIden)]
enum Kiosk {
    Table,
    Id,
    CenterId,
    Name,
    TokenHash,
    CreatedAt,
    CreatedBy,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ServiceCenter {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Kiosk::Table)
                .col(id_col(Kiosk::Id))
                .col(ColumnDef::new(Kiosk::CenterId).big_integer().not_null())
                .col(ColumnDef::new(Kiosk::Name).string().not_null())
                .col(
                    ColumnDef::new(Kiosk::TokenHash)
                        .string()
                        .not_null()
                        .unique_key(),
                )
                .col(instant(Kiosk::CreatedAt))
                .col(ColumnDef::new(Kiosk::CreatedBy).big_integer().not_null())
                .col(ColumnDef::new(Kiosk::RevokedAt).timestamp_with_time_zone())
                .foreign_key(&mut fk(
                    Kiosk::Table,
                    Kiosk::CenterId,
                    ServiceCenter::Table,
                    ServiceCenter::Id,
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Kiosk::Table).to_owned())
            .await
    }
}

#[derive(DeriveMigrationName)]
pub struct Migration;
