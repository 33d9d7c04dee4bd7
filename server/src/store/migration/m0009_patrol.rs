//! Issue #13, 周巡查: weekly patrols of a center with the checklist's answers (one patrol per
//! center and ISO week); each finding links the problem it became.

use sea_orm_migration::prelude::*;

use super::{id_col, instant};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Patrol {
    Table,
    Id,
    CenterId,
    Week,
    PatrolledOn,
    InspectorId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PatrolAnswer {
    Table,
    Id,
    PatrolId,
    Position,
    Item,
    Ok,
    Note,
    UnitId,
    ProblemId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Patrol::Table)
                .col(id_col(Patrol::Id))
                .col(ColumnDef::new(Patrol::CenterId).big_integer().not_null())
                .col(ColumnDef::new(Patrol::Week).string().not_null())
                .col(ColumnDef::new(Patrol::PatrolledOn).date().not_null())
                .col(ColumnDef::new(Patrol::InspectorId).big_integer().not_null())
                .col(instant(Patrol::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_patrol_center_week")
                .table(Patrol::Table)
                .col(Patrol::CenterId)
                .col(Patrol::Week)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PatrolAnswer::Table)
                .col(id_col(PatrolAnswer::Id))
                .col(
                    ColumnDef::new(PatrolAnswer::PatrolId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(PatrolAnswer::Position).integer().not_null())
                .col(ColumnDef::new(PatrolAnswer::Item).text().not_null())
                .col(ColumnDef::new(PatrolAnswer::Ok).boolean().not_null())
                .col(ColumnDef::new(PatrolAnswer::Note).text().null())
                .col(ColumnDef::new(PatrolAnswer::UnitId).big_integer().null())
                .col(ColumnDef::new(PatrolAnswer::ProblemId).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_patrol_answer_patrol")
                .table(PatrolAnswer::Table)
                .col(PatrolAnswer::PatrolId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "patrol records are kept; not reversible".into(),
        ))
    }
}
