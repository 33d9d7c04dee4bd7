//! The use cases: load, check with the rules, write the state change and its audit record in one
//! transaction. Handlers call these with the request's [`Ctx`]; these never see HTTP or the
//! router's state.

pub mod appointments;
pub mod audit;
pub mod audit_chain;
pub mod cached;
pub mod calendar;
pub mod cases;
pub mod catalog;
mod ctx;
pub mod inquiries;
pub mod kiosks;
pub mod notices;
pub mod org;
pub mod paging;
mod principal;
pub mod queue;
pub mod staff;
pub mod supervision;
pub mod versioned;
pub mod violations;

pub use ctx::{Ctx, ServiceSettings};
pub use principal::Principal;

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PrimaryKeyTrait, QueryFilter, QuerySelect, Select,
};

use crate::error::{AppError, AppResult};

/// The row with this id of the entity named (e.g. `unit::Entity`), or a 404 naming `what`
/// (e.g. "单位").
pub(crate) async fn found<E, C, K>(db: &C, _: E, id: K, what: &str) -> AppResult<E::Model>
where
    E: EntityTrait,
    C: ConnectionTrait,
    K: Into<<E::PrimaryKey as PrimaryKeyTrait>::ValueType>,
{
    E::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(what))
}

/// The center the row `id` of an entity belongs to (its `column`, e.g. `problem::Column::
/// CenterId`), or a 404 naming `what`. A row never changes center, so this is read before the
/// write, which then queues on that center's chain ([`Ctx::write_for_center`]).
pub(crate) async fn center_of<E>(
    ctx: &Ctx,
    column: E::Column,
    id: i64,
    what: &str,
) -> AppResult<i64>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    E::find_by_id(id)
        .select_only()
        .column(column)
        .into_tuple()
        .one(ctx.conn())
        .await?
        .ok_or_else(|| AppError::not_found(what))
}

/// Whether a row other than `except` (the row being edited) matches `query`: a value that must
/// be unique (a name, a number) is taken.
pub(crate) async fn taken<E, C>(
    db: &C,
    query: Select<E>,
    id: E::Column,
    except: Option<i64>,
) -> AppResult<bool>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let query = match except {
        Some(own) => query.filter(id.ne(own)),
        None => query,
    };
    Ok(query.one(db).await?.is_some())
}
