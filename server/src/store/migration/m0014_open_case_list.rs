//! Issue #16, "a page of 50 cases on 100,000", second look (m0013 was not enough once the
//! database had statistics). `bench/run`'s page part still answered 8 pages a second, each
//! ≈0.2 s, on a database that had been `ANALYZE`d: SQLite's statistics are averages per index
//! column, so it believed a state holds a quarter of all cases and `overdue_at IS NULL` about 49,
//! while 99 % of the cases are closed and 98 % have no `overdue_at`. Two plans followed:
//! - the clock sweep's running cases past due went through `ix_cases_overdue_at` (every case
//!   decided on time is NULL there): ≈0.14 s. That index served only this query; without it the
//!   sweep takes `ix_cases_state_due_at (state=? AND due_at<?)`: under 1 ms.
//! - the open-cases list walked the whole table in id order, looking for 51 open cases. A partial
//!   index of the open cases' ids answers it in id order: under 1 ms.
//!
//! The list's `state IN (…)` must be the index's `WHERE` itself, as literals in the same order
//! (SQLite uses a partial index only when it can see, when planning, that the query's terms imply
//! its condition; never with parameters): `rules::CaseState::UNFINISHED`, checked by a test
//! against the text below. A change of that list needs a new migration.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The partial index's condition, frozen: the unfinished states as they were at m0014.
pub(crate) const UNFINISHED_STATES: &str = "'received', 'correction_requested', 'accepted', \
    'deemed_accepted', 'in_review', 'suspended', 'approved', 'denied'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS ix_cases_overdue_at")
            .await?;
        db.execute_unprepared(&format!(
            "CREATE INDEX ix_cases_unfinished_id ON cases (id) WHERE state IN ({UNFINISHED_STATES})"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("indexes are kept; not reversible".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partial_index_names_the_unfinished_states_in_the_order_the_list_asks_for_them() {
        let asked: Vec<String> = rules::CaseState::UNFINISHED
            .iter()
            .map(|s| format!("'{}'", s.code()))
            .collect();
        assert_eq!(UNFINISHED_STATES.split(", ").collect::<Vec<_>>(), asked);
    }
}
