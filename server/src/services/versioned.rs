//! The one way a stored aggregate changes: the caller has loaded it and checked the step with the
//! rules; [`save`] bumps its version, writes it and appends the audit record with the fields an
//! auditor reads before and after — all in the caller's transaction. [`set_active`] is the same
//! for the organisation's rows that are switched on and off rather than deleted.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter,
};

use super::audit::{self, Change};
use crate::error::{AppError, AppResult};

/// A row whose every change bumps its version and is audited.
pub trait Versioned: Sized + Send + Sync {
    type Entity: EntityTrait<Model = Self>;
    /// The audit record's entity name, e.g. `queue_ticket`.
    const AUDIT_ENTITY: &'static str;
    /// The audit record's entity id.
    fn audit_id(&self) -> String;
    fn version(&self) -> i64;
    /// The `version` column, which [`save`] writes only where it still holds the version read.
    fn version_column() -> <Self::Entity as EntityTrait>::Column;
    /// Sets the new version (and, where the row keeps one, its update time).
    fn stamp(active: &mut ActiveOf<Self>, version: i64, now: DateTime<Utc>);
    /// The fields an auditor reads.
    fn audit_view(&self) -> serde_json::Value;
}

pub type ActiveOf<M> = <<M as Versioned>::Entity as EntityTrait>::ActiveModel;

/// `Versioned` for an entity with `id` and `version` columns: its audit name, what else a change
/// stamps (`active` and `now` in scope), and the fields an auditor reads (`row` in scope).
macro_rules! versioned {
    (
        $entity:ident as $audit:literal,
        stamp($active:ident, $now:ident) $stamp:block,
        view($row:ident) $view:expr $(,)?
    ) => {
        impl $crate::services::versioned::Versioned for $crate::store::entities::$entity::Model {
            type Entity = $crate::store::entities::$entity::Entity;
            const AUDIT_ENTITY: &'static str = $audit;

            fn audit_id(&self) -> String {
                self.id.to_string()
            }

            fn version(&self) -> i64 {
                self.version
            }

            fn version_column() -> $crate::store::entities::$entity::Column {
                $crate::store::entities::$entity::Column::Version
            }

            fn stamp(
                $active: &mut $crate::store::entities::$entity::ActiveModel,
                version: i64,
                $now: chrono::DateTime<chrono::Utc>,
            ) {
                $active.version = sea_orm::Set(version);
                $stamp
            }

            fn audit_view(&self) -> serde_json::Value {
                let $row = self;
                $view
            }
        }
    };
}
pub(crate) use versioned;

/// Writes `active` (made from `before`) with the version bumped, and its audit record.
///
/// The write is `UPDATE … WHERE id = ? AND version = ?` (the version `before` was read at): a
/// writer on another audit chain that changed the row since the caller read it (see `store::Db`)
/// makes this one fail with `409 stale_version` instead of being overwritten.
pub async fn save<M>(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
    actor: Option<i64>,
    action: &str,
    before: &M,
    mut active: ActiveOf<M>,
) -> AppResult<M>
where
    M: Versioned + IntoActiveModel<ActiveOf<M>>,
    ActiveOf<M>: ActiveModelTrait<Entity = M::Entity> + ActiveModelBehavior + Send,
{
    M::stamp(&mut active, before.version() + 1, now);
    let after = match M::Entity::update(active)
        .filter(M::version_column().eq(before.version()))
        .exec(txn)
        .await
    {
        Ok(after) => after,
        Err(sea_orm::DbErr::RecordNotUpdated) => {
            return Err(AppError::conflict(
                "stale_version",
                "该记录刚被他人修改，请刷新后重试",
            ));
        }
        Err(err) => return Err(err.into()),
    };
    audit::record(
        txn,
        now,
        Change {
            actor_id: actor,
            action,
            entity: M::AUDIT_ENTITY,
            entity_id: after.audit_id(),
            before: Some(before.audit_view()),
            after: Some(after.audit_view()),
        },
    )
    .await?;
    Ok(after)
}

/// The 409 a write made against a stale version gets, with the resource as it is now.
pub fn stale(message: &str, current: impl serde::Serialize) -> AppError {
    match serde_json::to_value(current) {
        Ok(current) => AppError::conflict("stale_version", message).with_current(current),
        Err(err) => AppError::internal(err),
    }
}

/// A row of the organisation or the catalog that is switched on and off, never deleted.
pub trait Switchable: Sized + Send + Sync {
    type Entity: EntityTrait<Model = Self>;
    /// The audit record's entity name, e.g. `service_center`.
    const AUDIT_ENTITY: &'static str;
    /// The audit action's prefix, e.g. `center` (`center.activate`).
    const ACTION: &'static str;
    fn audit_id(&self) -> String;
    fn is_active(&self) -> bool;
    fn switch(
        active: &mut <Self::Entity as EntityTrait>::ActiveModel,
        on: bool,
        now: DateTime<Utc>,
    );
}

/// Switches `row` on or off and audits it as `{ACTION}.activate` / `{ACTION}.deactivate`.
/// Switching to the state it is in changes nothing.
pub async fn set_active<M>(
    txn: &DatabaseTransaction,
    now: DateTime<Utc>,
    actor: i64,
    row: M,
    on: bool,
) -> AppResult<M>
where
    M: Switchable + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
    <M::Entity as EntityTrait>::ActiveModel:
        ActiveModelTrait<Entity = M::Entity> + ActiveModelBehavior + Send,
{
    if row.is_active() == on {
        return Ok(row);
    }
    let id = row.audit_id();
    let mut active = row.into_active_model();
    M::switch(&mut active, on, now);
    let after = active.update(txn).await?;
    let verb = if on { "activate" } else { "deactivate" };
    audit::record(
        txn,
        now,
        Change {
            actor_id: Some(actor),
            action: &format!("{}.{verb}", M::ACTION),
            entity: M::AUDIT_ENTITY,
            entity_id: id,
            before: Some(serde_json::json!({ "active": !on })),
            after: Some(serde_json::json!({ "active": on })),
        },
    )
    .await?;
    Ok(after)
}

/// `Switchable` for entities with `active` and `updated_at` columns.
macro_rules! switchable {
    ($($entity:ident: $audit:literal as $action:literal, id $id:ident);+ $(;)?) => {$(
        impl Switchable for crate::store::entities::$entity::Model {
            type Entity = crate::store::entities::$entity::Entity;
            const AUDIT_ENTITY: &'static str = $audit;
            const ACTION: &'static str = $action;

            fn audit_id(&self) -> String {
                self.$id.to_string()
            }

            fn is_active(&self) -> bool {
                self.active
            }

            fn switch(
                active: &mut crate::store::entities::$entity::ActiveModel,
                on: bool,
                now: DateTime<Utc>,
            ) {
                active.active = sea_orm::Set(on);
                active.updated_at = sea_orm::Set(now);
            }
        }
    )+};
}

switchable!(
    service_center: "service_center" as "center", id id;
    unit: "unit" as "unit", id id;
    window: "window" as "window", id id;
    staff: "staff" as "staff", id id;
    service_item: "service_item" as "service_item", id code;
    slot_rule: "slot_rule" as "slot_rule", id id;
);
