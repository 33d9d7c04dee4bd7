//! Requests that lapse with their case: a step that takes a case out of the states a pending
//! request serves (`rules::RequestKind::lapses`) marks the request 已失效 in the same
//! transaction, with an audit record each, so that no page goes on saying 待审批 about a
//! withdrawn or decided case and no chief representative decides what no longer applies.

use rules::{CaseState, RequestEvent, RequestKind, RequestStatus};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr,
};

use super::Ctx;
use crate::{
    error::AppResult,
    services::audit::{self, Change},
    store::{
        columns,
        entities::{case_extension, cases, one_time_exception},
    },
};

/// Lapses the pending requests of `before`'s case that its step to `after` leaves without a
/// purpose. Steps that keep the state (most of them) read nothing.
pub(super) async fn lapse_requests(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: Option<i64>,
    before: &cases::Model,
    after: &cases::Model,
) -> AppResult<()> {
    let (Some(from), Some(to)) = (
        CaseState::from_code(&before.state),
        CaseState::from_code(&after.state),
    ) else {
        return Ok(());
    };
    if from == to {
        return Ok(());
    }
    for kind in RequestKind::ALL.iter().copied() {
        if !kind.lapses(from, to) {
            continue;
        }
        let ids = match kind {
            RequestKind::Extension => {
                use case_extension::{Column, Entity};
                lapse_pending::<Entity>(txn, after.id, Column::CaseId, Column::Status, Column::Id)
                    .await?
            }
            RequestKind::OneTimeException => {
                use one_time_exception::{Column, Entity};
                lapse_pending::<Entity>(txn, after.id, Column::CaseId, Column::Status, Column::Id)
                    .await?
            }
        };
        record(txn, ctx, actor, kind, &ids).await?;
    }
    Ok(())
}

/// Marks the case's pending requests of one table lapsed; returns their ids.
async fn lapse_pending<E: EntityTrait>(
    txn: &DatabaseTransaction,
    case_id: i64,
    case: E::Column,
    status: E::Column,
    id: E::Column,
) -> AppResult<Vec<i64>> {
    let pending = columns::RequestStatus::Pending;
    let ids: Vec<i64> = E::find()
        .select_only()
        .column(id)
        .filter(case.eq(case_id))
        .filter(status.eq(pending))
        .into_tuple()
        .all(txn)
        .await?;
    if !ids.is_empty() {
        let lapsed = RequestStatus::Pending.apply(RequestEvent::Lapse)?;
        E::update_many()
            .col_expr(status, Expr::value(columns::RequestStatus::from(lapsed)))
            .filter(id.is_in(ids.clone()))
            .exec(txn)
            .await?;
    }
    Ok(ids)
}

/// One audit record per lapsed request, as its decision would have had.
async fn record(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    actor: Option<i64>,
    kind: RequestKind,
    ids: &[i64],
) -> AppResult<()> {
    let (action, entity) = match kind {
        RequestKind::Extension => ("case.extension_lapsed", "case_extension"),
        RequestKind::OneTimeException => ("case.one_time_exception_lapsed", "one_time_exception"),
    };
    for id in ids {
        audit::record(
            txn,
            ctx.now,
            Change {
                actor_id: actor,
                action,
                entity,
                entity_id: id.to_string(),
                before: Some(serde_json::json!({ "status": RequestStatus::Pending })),
                after: Some(serde_json::json!({ "status": RequestStatus::Lapsed })),
            },
        )
        .await?;
    }
    Ok(())
}
