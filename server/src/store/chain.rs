//! The audit chains' heads: one per center (`chain_id` = the center's id) and one for the
//! deployment (`chain_id` 0: organisation, staff, catalog and calendar administration, and every
//! write not yet tied to one center). A writing transaction appends to exactly one chain and
//! locks that chain's head before its first write ([`lock`]); on PostgreSQL this is the only lock
//! two writers of different centers could share, and they do not share it.
//!
//! The head read by [`lock`] is kept with the transaction (task-local, see [`super::audit_key`]),
//! so appending a record reads nothing: `services::audit::record` takes the head from
//! [`head`] and moves it on with [`advance`].

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryResult,
    QuerySelect, QueryTrait, Set, Statement,
    sea_query::{
        Alias, Asterisk, CommonTableExpression, Expr, InsertStatement, OnConflict,
        PostgresQueryBuilder, Query, QueryStatementBuilder, UpdateStatement, WithClause, WithQuery,
    },
};

use super::{
    audit_key::CURRENT,
    entities::{audit_chain, audit_record},
};
use crate::error::{AppError, AppResult};

/// The `prev_hash` of the first record of every chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The deployment-wide chain.
pub const DEPLOYMENT: i64 = 0;

/// The newest record of a chain, as the transaction holding its lock sees it.
#[derive(Clone, Debug)]
pub struct Head {
    pub chain_id: i64,
    pub last_seq: i64,
    pub last_id: i64,
    pub last_hash: String,
}

/// Where a transaction stands with its chain.
pub(crate) enum HeadState {
    Unlocked,
    /// SQLite: the in-process writer lock already orders everything; the head is read when the
    /// first record is appended.
    Chosen(i64),
    Held(Head),
}

impl HeadState {
    fn chain_id(&self) -> Option<i64> {
        match self {
            HeadState::Unlocked => None,
            HeadState::Chosen(id) => Some(*id),
            HeadState::Held(head) => Some(head.chain_id),
        }
    }
}

fn outside_write() -> AppError {
    AppError::internal(anyhow::anyhow!("audit chain used outside Db::write"))
}

/// Locks the head of chain `chain_id` for the rest of the transaction (PostgreSQL: `SELECT … FOR
/// UPDATE`, creating the head of a center's first record). A transaction writes to one chain:
/// locking a second one is an error, locking the same one again does nothing.
pub async fn lock<C: ConnectionTrait>(txn: &C, chain_id: i64) -> AppResult<()> {
    let held = CURRENT
        .try_with(|state| state.head.borrow().chain_id())
        .map_err(|_| outside_write())?;
    match held {
        Some(id) if id == chain_id => return Ok(()),
        Some(id) => {
            return Err(AppError::internal(anyhow::anyhow!(
                "a transaction on audit chain {id} tried to write to chain {chain_id}"
            )));
        }
        None => {}
    }
    let state = if txn.get_database_backend() == DatabaseBackend::Postgres {
        HeadState::Held(load(txn, chain_id, true).await?)
    } else {
        HeadState::Chosen(chain_id)
    };
    CURRENT
        .try_with(|s| *s.head.borrow_mut() = state)
        .map_err(|_| outside_write())
}

/// The head to append to. An error when no chain was locked: every writing transaction locks
/// its chain before it writes.
pub async fn head<C: ConnectionTrait>(txn: &C) -> AppResult<Head> {
    enum Now {
        Held(Head),
        Chosen(i64),
        Unlocked,
    }
    let now = CURRENT
        .try_with(|state| match &*state.head.borrow() {
            HeadState::Held(head) => Now::Held(head.clone()),
            HeadState::Chosen(id) => Now::Chosen(*id),
            HeadState::Unlocked => Now::Unlocked,
        })
        .map_err(|_| outside_write())?;
    match now {
        Now::Held(head) => Ok(head),
        Now::Chosen(chain_id) => {
            let head = load(txn, chain_id, false).await?;
            advance(head.clone())?;
            Ok(head)
        }
        Now::Unlocked => Err(AppError::internal(anyhow::anyhow!(
            "audit record appended before the transaction locked its chain"
        ))),
    }
}

/// Moves the transaction's head on to the record just appended (the row is updated by the
/// caller in the same transaction).
pub fn advance(head: Head) -> AppResult<()> {
    CURRENT
        .try_with(|state| *state.head.borrow_mut() = HeadState::Held(head))
        .map_err(|_| outside_write())
}

/// Inserts `record` — number `seq` of chain `chain_id`, sealed with `hash` — and moves the
/// chain's head to it; returns the record's id. On PostgreSQL one statement (the insert a
/// `WITH` of the head's update: one round trip while the head is locked), on SQLite two (its
/// `WITH` cannot write).
pub async fn append<C: ConnectionTrait>(
    txn: &C,
    record: audit_record::ActiveModel,
    chain_id: i64,
    seq: i64,
    hash: &str,
) -> AppResult<i64> {
    if txn.get_database_backend() != DatabaseBackend::Postgres {
        let id = audit_record::Entity::insert(record)
            .exec(txn)
            .await?
            .last_insert_id;
        audit_chain::Entity::update_many()
            .col_expr(audit_chain::Column::LastSeq, Expr::value(seq))
            .col_expr(audit_chain::Column::LastId, Expr::value(id))
            .col_expr(audit_chain::Column::LastHash, Expr::value(hash))
            .filter(audit_chain::Column::ChainId.eq(chain_id))
            .exec(txn)
            .await?;
        return Ok(id);
    }
    let appending = WithClause::new()
        .cte(cte("appended", appended([record])))
        .to_owned()
        .query(head_moved(chain_id, seq, hash));
    let row = moving_head(txn, appending, chain_id).await?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// PostgreSQL: inserts `row` — whose id was taken beforehand, so that `record` could be sealed
/// over it — and `record`, and moves the chain's head, in one statement (one round trip while
/// the head is locked, where [`append`] after the row's own `INSERT` takes two). Returns the row
/// as stored and the record's id.
pub async fn append_with_row<C: ConnectionTrait>(
    txn: &C,
    mut row: InsertStatement,
    record: audit_record::ActiveModel,
    (chain_id, seq, hash): (i64, i64, &str),
) -> AppResult<(QueryResult, i64)> {
    row.returning_all();
    let select = Query::select()
        .column((Alias::new("inserted"), Asterisk))
        .expr_as(
            Expr::col((Alias::new("moved"), audit_chain::Column::LastId)),
            Alias::new(RECORD_ID),
        )
        .from(Alias::new("inserted"))
        .from(Alias::new("moved"))
        .to_owned();
    let appending = WithClause::new()
        .cte(cte("inserted", row))
        .cte(cte("appended", appended([record])))
        .cte(cte("moved", head_moved(chain_id, seq, hash)))
        .to_owned()
        .query(select);
    let stored = moving_head(txn, appending, chain_id).await?;
    let record_id = stored.try_get::<i64>("", RECORD_ID)?;
    Ok((stored, record_id))
}

/// PostgreSQL: inserts `rows` (whose ids were taken beforehand) and `records` — numbered up to
/// `seq` of chain `chain_id`, the last sealed with `hash` — and moves the chain's head to the
/// last, in one statement however many there are (`store::deferred`); `also` (the batch's
/// counters brought to their last numbers) runs in the same statement. Returns the last
/// record's id.
pub async fn append_many_with_rows<C: ConnectionTrait>(
    txn: &C,
    rows: InsertStatement,
    records: Vec<audit_record::ActiveModel>,
    (chain_id, seq, hash): (i64, i64, &str),
    also: Vec<UpdateStatement>,
) -> AppResult<i64> {
    let mut with = WithClause::new();
    with.cte(cte("inserted", rows))
        .cte(cte("appended", appended(records)));
    for (n, update) in also.into_iter().enumerate() {
        // A data-modifying CTE runs whether or not the query reads it.
        with.cte(cte(&format!("also_{n}"), update));
    }
    let appending = with.query(head_moved(chain_id, seq, hash));
    let row = moving_head(txn, appending, chain_id).await?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// Runs a statement that moves chain `chain_id`'s head (PostgreSQL); its one row.
async fn moving_head<C: ConnectionTrait>(
    txn: &C,
    statement: WithQuery,
    chain_id: i64,
) -> AppResult<QueryResult> {
    let (sql, values) = statement.build(PostgresQueryBuilder);
    txn.query_one(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        sql,
        values,
    ))
    .await?
    .ok_or_else(|| AppError::internal(anyhow::anyhow!("audit chain {chain_id} has no head")))
}

/// `INSERT` of the records, returning their ids and places: the CTE `appended` of
/// [`head_moved`].
fn appended(records: impl IntoIterator<Item = audit_record::ActiveModel>) -> InsertStatement {
    let mut insert = audit_record::Entity::insert_many(records).into_query();
    insert.returning(
        Query::returning().columns([audit_record::Column::Id, audit_record::Column::Seq]),
    );
    insert
}

/// The chain's head moved on to the newest record the CTE `appended` inserted; returns its id.
fn head_moved(chain_id: i64, seq: i64, hash: &str) -> UpdateStatement {
    Query::update()
        .table(audit_chain::Entity)
        .value(audit_chain::Column::LastSeq, seq)
        .value(
            audit_chain::Column::LastId,
            Expr::cust("(SELECT id FROM appended ORDER BY seq DESC LIMIT 1)"),
        )
        .value(audit_chain::Column::LastHash, hash)
        .and_where(audit_chain::Column::ChainId.eq(chain_id))
        .returning_col(audit_chain::Column::LastId)
        .to_owned()
}

fn cte<Q: QueryStatementBuilder>(name: &str, query: Q) -> CommonTableExpression {
    CommonTableExpression::new()
        .query(query)
        .table_name(Alias::new(name))
        .to_owned()
}

/// The column [`append_with_row`] adds to the row for the record's id.
const RECORD_ID: &str = "ck_audit_record_id";

async fn load<C: ConnectionTrait>(txn: &C, chain_id: i64, for_update: bool) -> AppResult<Head> {
    let find = || {
        let query = audit_chain::Entity::find_by_id(chain_id);
        if for_update {
            query.lock_exclusive()
        } else {
            query
        }
    };
    let row = match find().one(txn).await? {
        Some(row) => row,
        None => {
            // A center's first record: its chain starts here (two first writers of one center
            // meet on the primary key; the second then waits on the first's lock).
            audit_chain::Entity::insert(audit_chain::ActiveModel {
                chain_id: Set(chain_id),
                last_seq: Set(0),
                last_id: Set(0),
                last_hash: Set(GENESIS_HASH.to_string()),
            })
            .on_conflict(
                OnConflict::column(audit_chain::Column::ChainId)
                    .do_nothing()
                    .to_owned(),
            )
            .do_nothing()
            .exec(txn)
            .await?;
            find().one(txn).await?.ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("audit chain {chain_id} has no head"))
            })?
        }
    };
    Ok(Head {
        chain_id: row.chain_id,
        last_seq: row.last_seq,
        last_id: row.last_id,
        last_hash: row.last_hash,
    })
}
