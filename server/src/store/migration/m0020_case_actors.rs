//! Who decided, delivered and closed a case: the clerk's 办理记录 named who received, reviewed
//! and handed a case over, but not who took the decision, delivered it or closed the case. The
//! columns are nullable: a case decided before this migration keeps no name for it (its audit
//! record still says who). One column per statement: SQLite alters one column at a time.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Cases {
    Table,
    DecidedBy,
    DeliveredBy,
    ClosedBy,
}

const COLUMNS: [Cases; 3] = [Cases::DecidedBy, Cases::DeliveredBy, Cases::ClosedBy];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(Cases::Table)
                    .add_column(ColumnDef::new(column).big_integer().null())
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
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
