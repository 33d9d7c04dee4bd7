//! Issue 16, "a page of 50 cases": the supervisors' list of every open case, on SQLite. With the
//! statistics `ANALYZE` keeps (and the bundled SQLite 3.46 reads `sqlite_stat4`), the planner
//! answered `state IN (…open states…) ORDER BY id LIMIT 51` by looking up each open state in
//! `ix_cases_state_due_at` and sorting every open case of the deployment by id in a temporary
//! B-tree — on each page — instead of walking m0014's partial index in id order and stopping at
//! 51. The page then cost what all the open cases cost, not what 51 do.
//!
//! This index holds the same ids under the same condition written `+state IN (…)`: a unary plus
//! that no index on `state` can serve, so the list of all open cases, which states its
//! condition the same way, has only this index to choose and walks it in id order. SQLite only
//! (PostgreSQL has no unary plus on text, and its planner takes m0014's index). The states are
//! m0014's frozen list (checked against `rules::CaseState::UNFINISHED` by m0014's test).

use sea_orm::DatabaseBackend;
use sea_orm_migration::prelude::*;

use super::m0014_open_case_list::UNFINISHED_STATES;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        m.get_connection()
            .execute_unprepared(&format!(
                "CREATE INDEX ix_cases_open_by_id ON cases (id) \
                 WHERE +state IN ({UNFINISHED_STATES})"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX IF EXISTS ix_cases_open_by_id")
            .await?;
        Ok(())
    }
}
