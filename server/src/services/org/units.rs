//! Units (进驻单位) of a center, each with its chief representative (首席代表).

use std::collections::BTreeMap;

use app::api::{
    Role,
    org::{UnitInput, UnitView},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};

use super::active_center;
use crate::{
    error::{AppError, AppResult},
    services::{
        Ctx, audit, found,
        paging::{ById, Page, PageRequest},
        taken, versioned,
    },
    store::entities::{staff, staff_role, unit},
};

async fn unit_views<C: ConnectionTrait>(
    db: &C,
    rows: Vec<unit::Model>,
) -> AppResult<Vec<UnitView>> {
    let chief_ids: Vec<i64> = rows
        .iter()
        .filter_map(|u| u.chief_representative_id)
        .collect();
    let names: BTreeMap<i64, String> = staff::Entity::find()
        .filter(staff::Column::Id.is_in(chief_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|u| UnitView {
            id: u.id,
            center_id: u.center_id,
            chief_representative_name: u
                .chief_representative_id
                .and_then(|id| names.get(&id).cloned()),
            chief_representative_id: u.chief_representative_id,
            name: u.name,
            phone: u.phone,
            active: u.active,
        })
        .collect())
}

/// A page of every unit, in the order they were set up.
pub async fn list_units<C: ConnectionTrait>(
    db: &C,
    request: &PageRequest<i64>,
) -> AppResult<Page<UnitView, i64>> {
    let page = request
        .by_id(
            db,
            unit::Entity::find(),
            unit::Column::Id,
            ById::OldestFirst,
        )
        .await?;
    Ok(Page {
        items: unit_views(db, page.items).await?,
        next: page.next,
    })
}

pub async fn get_unit<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<UnitView> {
    let row = found(db, unit::Entity, id, "单位").await?;
    Ok(unit_views(db, vec![row]).await?.remove(0))
}

/// An active unit, or a 422 naming `field`.
pub async fn active_unit<C: ConnectionTrait>(
    db: &C,
    id: i64,
    field: &str,
) -> AppResult<unit::Model> {
    match unit::Entity::find_by_id(id).one(db).await? {
        Some(u) if u.active => Ok(u),
        Some(_) => Err(AppError::invalid("unit_inactive", "该单位已停用").with_field(field)),
        None => Err(AppError::invalid("unknown_unit", "单位不存在").with_field(field)),
    }
}

async fn check_chief(
    txn: &DatabaseTransaction,
    unit_id: Option<i64>,
    chief: Option<i64>,
) -> AppResult<()> {
    let Some(chief) = chief else { return Ok(()) };
    let person = staff::Entity::find_by_id(chief)
        .one(txn)
        .await?
        .filter(|s| s.active)
        .ok_or_else(|| {
            AppError::invalid("unknown_staff", "首席代表不存在或已停用")
                .with_field("chief_representative_id")
        })?;
    let holds_role = staff_role::Entity::find()
        .filter(staff_role::Column::StaffId.eq(chief))
        .filter(staff_role::Column::Role.eq(Role::ChiefRepresentative.code()))
        .one(txn)
        .await?
        .is_some();
    if !holds_role {
        return Err(AppError::invalid(
            "not_a_chief_representative",
            format!("{} 没有首席代表角色", person.name),
        )
        .with_field("chief_representative_id"));
    }
    if person.unit_id != unit_id {
        return Err(AppError::invalid(
            "chief_of_other_unit",
            format!("{} 不属于本单位", person.name),
        )
        .with_field("chief_representative_id"));
    }
    Ok(())
}

async fn ensure_unit_name_free(
    txn: &DatabaseTransaction,
    center_id: i64,
    name: &str,
    except: Option<i64>,
) -> AppResult<()> {
    let same_name = unit::Entity::find()
        .filter(unit::Column::CenterId.eq(center_id))
        .filter(unit::Column::Name.eq(name));
    if taken(txn, same_name, unit::Column::Id, except).await? {
        return Err(
            AppError::conflict("name_taken", format!("该中心已有名为「{name}」的单位"))
                .with_field("name"),
        );
    }
    Ok(())
}

pub async fn create_unit(ctx: &Ctx, actor: Option<i64>, input: UnitInput) -> AppResult<UnitView> {
    let now = ctx.now;
    let input = input.validated()?;
    ctx.write(move |txn, _| {
        Box::pin(async move {
            active_center(txn, input.center_id, "center_id").await?;
            ensure_unit_name_free(txn, input.center_id, &input.name, None).await?;
            if input.chief_representative_id.is_some() {
                return Err(AppError::invalid(
                    "chief_of_other_unit",
                    "新建单位时还没有成员；请先添加本单位工作人员，再指定首席代表",
                )
                .with_field("chief_representative_id"));
            }
            let row = unit::ActiveModel {
                center_id: Set(input.center_id),
                name: Set(input.name.clone()),
                phone: Set(input.phone.clone()),
                chief_representative_id: Set(None),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            let view = get_unit(txn, row.id).await?;
            audit::record_views(txn, now, actor, ("unit.create", "unit"), row.id, None, view).await
        })
    })
    .await
}

pub async fn update_unit(
    ctx: &Ctx,
    actor: Option<i64>,
    id: i64,
    input: UnitInput,
) -> AppResult<UnitView> {
    let now = ctx.now;
    let input = input.validated()?;
    ctx.write(move |txn, _| {
        Box::pin(async move {
            let row = found(txn, unit::Entity, id, "单位").await?;
            if row.center_id != input.center_id {
                return Err(AppError::invalid(
                    "center_fixed",
                    "单位不能改属其他服务中心；请新建单位",
                )
                .with_field("center_id"));
            }
            ensure_unit_name_free(txn, input.center_id, &input.name, Some(id)).await?;
            check_chief(txn, Some(id), input.chief_representative_id).await?;
            let before = get_unit(txn, id).await?;
            let mut model: unit::ActiveModel = row.into();
            model.name = Set(input.name.clone());
            model.phone = Set(input.phone.clone());
            model.chief_representative_id = Set(input.chief_representative_id);
            model.updated_at = Set(now);
            model.update(txn).await?;
            let after = get_unit(txn, id).await?;
            audit::record_views(
                txn,
                now,
                actor,
                ("unit.update", "unit"),
                id,
                Some(&before),
                after,
            )
            .await
        })
    })
    .await
}

pub async fn set_unit_active(ctx: &Ctx, actor: i64, id: i64, on: bool) -> AppResult<()> {
    ctx.write(move |txn, ctx| {
        Box::pin(async move {
            let row = found(txn, unit::Entity, id, "单位").await?;
            if on && !row.active {
                active_center(txn, row.center_id, "center_id").await?;
            }
            if !on && row.active {
                let members = staff::Entity::find()
                    .filter(staff::Column::UnitId.eq(id))
                    .filter(staff::Column::Active.eq(true))
                    .count(txn)
                    .await?;
                if members > 0 {
                    return Err(AppError::conflict(
                        "has_active_children",
                        format!("该单位仍有 {members} 名启用的工作人员，请先调整或停用他们"),
                    ));
                }
            }
            versioned::set_active(txn, ctx.now, actor, row, on).await?;
            Ok(())
        })
    })
    .await
}
