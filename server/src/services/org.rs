//! The organisation: service centers, units and windows. Nothing is ever hard-deleted: a
//! deactivated record keeps its history (cases, notices and audit records point at it).

use std::collections::BTreeMap;

use app::api::{
    Role,
    org::{CenterInput, CenterKind, CenterView, UnitInput, UnitView, WindowInput, WindowView},
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::audit::{self, Change, snapshot};
use crate::{
    error::{AppError, AppResult},
    store::{
        Db,
        entities::{service_center, staff, staff_role, unit, window, window_unit},
    },
};

// ---------------------------------------------------------------------------------------------
// Centers

pub fn center_view(row: service_center::Model) -> AppResult<CenterView> {
    let business_hours = serde_json::from_str(&row.business_hours).map_err(|e| {
        AppError::internal(anyhow::anyhow!("center {} hours unreadable: {e}", row.id))
    })?;
    Ok(CenterView {
        id: row.id,
        kind: CenterKind::from_code(&row.kind).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("center {} kind {}", row.id, row.kind))
        })?,
        name: row.name,
        address: row.address,
        phone: row.phone,
        active: row.active,
        business_hours,
    })
}

pub async fn list_centers<C: ConnectionTrait>(
    db: &C,
    only_active: bool,
) -> AppResult<Vec<CenterView>> {
    let mut query = service_center::Entity::find().order_by_asc(service_center::Column::Id);
    if only_active {
        query = query.filter(service_center::Column::Active.eq(true));
    }
    query.all(db).await?.into_iter().map(center_view).collect()
}

pub async fn get_center<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<CenterView> {
    service_center::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("服务中心"))
        .and_then(center_view)
}

async fn ensure_center_name_free(
    txn: &DatabaseTransaction,
    name: &str,
    except: Option<i64>,
) -> AppResult<()> {
    let mut query = service_center::Entity::find().filter(service_center::Column::Name.eq(name));
    if let Some(id) = except {
        query = query.filter(service_center::Column::Id.ne(id));
    }
    if query.one(txn).await?.is_some() {
        return Err(
            AppError::conflict("name_taken", format!("已有名为「{name}」的服务中心"))
                .with_field("name"),
        );
    }
    Ok(())
}

fn hours_json(input: &CenterInput) -> AppResult<String> {
    let hours = input
        .business_hours
        .clone()
        .unwrap_or_else(rules::BusinessHours::district_hall_default);
    serde_json::to_string(&hours).map_err(AppError::internal)
}

pub async fn create_center(
    db: &Db,
    actor: Option<i64>,
    now: DateTime<Utc>,
    input: CenterInput,
) -> AppResult<CenterView> {
    let input = input.validated()?;
    let hours = hours_json(&input)?;
    db.write(move |txn| {
        Box::pin(async move {
            ensure_center_name_free(txn, &input.name, None).await?;
            let row = service_center::ActiveModel {
                name: Set(input.name.clone()),
                kind: Set(input.kind.code().to_string()),
                address: Set(input.address.clone()),
                phone: Set(input.phone.clone()),
                business_hours: Set(hours),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            let view = center_view(row)?;
            audit::record(
                txn,
                now,
                Change {
                    actor_id: actor,
                    action: "center.create",
                    entity: "service_center",
                    entity_id: view.id.to_string(),
                    before: None,
                    after: snapshot(&view),
                },
            )
            .await?;
            Ok(view)
        })
    })
    .await
}

pub async fn update_center(
    db: &Db,
    actor: i64,
    now: DateTime<Utc>,
    id: i64,
    input: CenterInput,
) -> AppResult<CenterView> {
    let input = input.validated()?;
    db.write(move |txn| {
        Box::pin(async move {
            let row = service_center::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::not_found("服务中心"))?;
            ensure_center_name_free(txn, &input.name, Some(id)).await?;
            let before = center_view(row.clone())?;
            let mut model: service_center::ActiveModel = row.into();
            model.name = Set(input.name.clone());
            model.kind = Set(input.kind.code().to_string());
            model.address = Set(input.address.clone());
            model.phone = Set(input.phone.clone());
            if input.business_hours.is_some() {
                model.business_hours = Set(hours_json(&input)?);
            }
            model.updated_at = Set(now);
            let after = center_view(model.update(txn).await?)?;
            audit::record(
                txn,
                now,
                Change {
                    actor_id: Some(actor),
                    action: "center.update",
                    entity: "service_center",
                    entity_id: id.to_string(),
                    before: snapshot(&before),
                    after: snapshot(&after),
                },
            )
            .await?;
            Ok(after)
        })
    })
    .await
}

pub async fn set_center_active(
    db: &Db,
    actor: i64,
    now: DateTime<Utc>,
    id: i64,
    active: bool,
) -> AppResult<()> {
    db.write(move |txn| {
        Box::pin(async move {
            let row = service_center::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::not_found("服务中心"))?;
            if row.active == active {
                return Ok(());
            }
            if !active {
                let units = unit::Entity::find()
                    .filter(unit::Column::CenterId.eq(id))
                    .filter(unit::Column::Active.eq(true))
                    .count(txn)
                    .await?;
                let windows = window::Entity::find()
                    .filter(window::Column::CenterId.eq(id))
                    .filter(window::Column::Active.eq(true))
                    .count(txn)
                    .await?;
                if units + windows > 0 {
                    return Err(AppError::conflict(
                        "has_active_children",
                        format!(
                            "该中心仍有 {units} 个启用的单位和 {windows} 个启用的窗口，请先停用它们"
                        ),
                    ));
                }
            }
            let mut model: service_center::ActiveModel = row.into();
            model.active = Set(active);
            model.updated_at = Set(now);
            model.update(txn).await?;
            record_activation(txn, actor, now, "center", "service_center", id, active).await
        })
    })
    .await
}

async fn record_activation(
    txn: &DatabaseTransaction,
    actor: i64,
    now: DateTime<Utc>,
    what: &str,
    entity: &str,
    id: i64,
    active: bool,
) -> AppResult<()> {
    let action = format!("{what}.{}", if active { "activate" } else { "deactivate" });
    audit::record(
        txn,
        now,
        Change {
            actor_id: Some(actor),
            action: &action,
            entity,
            entity_id: id.to_string(),
            before: Some(serde_json::json!({ "active": !active })),
            after: Some(serde_json::json!({ "active": active })),
        },
    )
    .await
}

/// An active center, or a 422 naming `field`.
pub async fn active_center<C: ConnectionTrait>(
    db: &C,
    id: i64,
    field: &str,
) -> AppResult<service_center::Model> {
    match service_center::Entity::find_by_id(id).one(db).await? {
        Some(c) if c.active => Ok(c),
        Some(_) => Err(AppError::invalid("center_inactive", "该服务中心已停用").with_field(field)),
        None => Err(AppError::invalid("unknown_center", "服务中心不存在").with_field(field)),
    }
}

// ---------------------------------------------------------------------------------------------
// Units

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

pub async fn list_units<C: ConnectionTrait>(db: &C) -> AppResult<Vec<UnitView>> {
    let rows = unit::Entity::find()
        .order_by_asc(unit::Column::Id)
        .all(db)
        .await?;
    unit_views(db, rows).await
}

pub async fn get_unit<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<UnitView> {
    let row = unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("单位"))?;
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
    let mut query = unit::Entity::find()
        .filter(unit::Column::CenterId.eq(center_id))
        .filter(unit::Column::Name.eq(name));
    if let Some(id) = except {
        query = query.filter(unit::Column::Id.ne(id));
    }
    if query.one(txn).await?.is_some() {
        return Err(
            AppError::conflict("name_taken", format!("该中心已有名为「{name}」的单位"))
                .with_field("name"),
        );
    }
    Ok(())
}

pub async fn create_unit(
    db: &Db,
    actor: Option<i64>,
    now: DateTime<Utc>,
    input: UnitInput,
) -> AppResult<UnitView> {
    let input = input.validated()?;
    db.write(move |txn| {
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
            audit::record(
                txn,
                now,
                Change {
                    actor_id: actor,
                    action: "unit.create",
                    entity: "unit",
                    entity_id: row.id.to_string(),
                    before: None,
                    after: snapshot(&view),
                },
            )
            .await?;
            Ok(view)
        })
    })
    .await
}

pub async fn update_unit(
    db: &Db,
    actor: Option<i64>,
    now: DateTime<Utc>,
    id: i64,
    input: UnitInput,
) -> AppResult<UnitView> {
    let input = input.validated()?;
    db.write(move |txn| {
        Box::pin(async move {
            let row = unit::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::not_found("单位"))?;
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
            audit::record(
                txn,
                now,
                Change {
                    actor_id: actor,
                    action: "unit.update",
                    entity: "unit",
                    entity_id: id.to_string(),
                    before: snapshot(&before),
                    after: snapshot(&after),
                },
            )
            .await?;
            Ok(after)
        })
    })
    .await
}

pub async fn set_unit_active(
    db: &Db,
    actor: i64,
    now: DateTime<Utc>,
    id: i64,
    active: bool,
) -> AppResult<()> {
    db.write(move |txn| {
        Box::pin(async move {
            let row = unit::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::not_found("单位"))?;
            if row.active == active {
                return Ok(());
            }
            if active {
                active_center(txn, row.center_id, "center_id").await?;
            } else {
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
            let mut model: unit::ActiveModel = row.into();
            model.active = Set(active);
            model.updated_at = Set(now);
            model.update(txn).await?;
            record_activation(txn, actor, now, "unit", "unit", id, active).await
        })
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Windows

async fn window_views<C: ConnectionTrait>(
    db: &C,
    rows: Vec<window::Model>,
) -> AppResult<Vec<WindowView>> {
    let ids: Vec<i64> = rows.iter().map(|w| w.id).collect();
    let mut units: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for link in window_unit::Entity::find()
        .filter(window_unit::Column::WindowId.is_in(ids))
        .all(db)
        .await?
    {
        units.entry(link.window_id).or_default().push(link.unit_id);
    }
    Ok(rows
        .into_iter()
        .map(|w| {
            let mut unit_ids = units.remove(&w.id).unwrap_or_default();
            unit_ids.sort_unstable();
            WindowView {
                id: w.id,
                center_id: w.center_id,
                number: w.number,
                name: w.name,
                unit_ids,
                active: w.active,
            }
        })
        .collect())
}

pub async fn list_windows<C: ConnectionTrait>(db: &C) -> AppResult<Vec<WindowView>> {
    let rows = window::Entity::find()
        .order_by_asc(window::Column::CenterId)
        .order_by_asc(window::Column::Number)
        .all(db)
        .await?;
    window_views(db, rows).await
}

pub async fn get_window<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<WindowView> {
    let row = window::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("窗口"))?;
    Ok(window_views(db, vec![row]).await?.remove(0))
}

/// Active windows by id with the units each serves; an unknown or inactive one is a 422.
pub async fn active_windows<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
    field: &str,
) -> AppResult<Vec<(window::Model, Vec<i64>)>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let row = window::Entity::find_by_id(*id)
            .one(db)
            .await?
            .filter(|w| w.active)
            .ok_or_else(|| {
                AppError::invalid("unknown_window", format!("窗口 {id} 不存在或已停用"))
                    .with_field(field)
            })?;
        let units = window_unit::Entity::find()
            .filter(window_unit::Column::WindowId.eq(*id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.unit_id)
            .collect();
        out.push((row, units));
    }
    Ok(out)
}

async fn check_window_input(
    txn: &DatabaseTransaction,
    input: &WindowInput,
    except: Option<i64>,
) -> AppResult<()> {
    active_center(txn, input.center_id, "center_id").await?;
    for unit_id in &input.unit_ids {
        let u = active_unit(txn, *unit_id, "unit_ids").await?;
        if u.center_id != input.center_id {
            return Err(AppError::invalid(
                "unit_of_other_center",
                format!("单位「{}」不在该服务中心", u.name),
            )
            .with_field("unit_ids"));
        }
    }
    let mut query = window::Entity::find()
        .filter(window::Column::CenterId.eq(input.center_id))
        .filter(window::Column::Number.eq(&input.number));
    if let Some(id) = except {
        query = query.filter(window::Column::Id.ne(id));
    }
    if query.one(txn).await?.is_some() {
        return Err(AppError::conflict(
            "number_taken",
            format!("该中心已有 {} 号窗口", input.number),
        )
        .with_field("number"));
    }
    Ok(())
}

async fn write_window_units(
    txn: &DatabaseTransaction,
    window_id: i64,
    unit_ids: &[i64],
) -> AppResult<()> {
    window_unit::Entity::delete_many()
        .filter(window_unit::Column::WindowId.eq(window_id))
        .exec(txn)
        .await?;
    for unit_id in unit_ids {
        window_unit::ActiveModel {
            window_id: Set(window_id),
            unit_id: Set(*unit_id),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

pub async fn create_window(
    db: &Db,
    actor: Option<i64>,
    now: DateTime<Utc>,
    input: WindowInput,
) -> AppResult<WindowView> {
    let input = input.validated()?;
    db.write(move |txn| {
        Box::pin(async move {
            check_window_input(txn, &input, None).await?;
            let row = window::ActiveModel {
                center_id: Set(input.center_id),
                number: Set(input.number.clone()),
                name: Set(input.name.clone()),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            write_window_units(txn, row.id, &input.unit_ids).await?;
            let view = get_window(txn, row.id).await?;
            audit::record(
                txn,
                now,
                Change {
                    actor_id: actor,
                    action: "window.create",
                    entity: "window",
                    entity_id: row.id.to_string(),
                    before: None,
                    after: snapshot(&view),
                },
            )
            .await?;
            Ok(view)
        })
    })
    .await
}

pub async fn update_window(
    db: &Db,
    actor: i64,
    now: DateTime<Utc>,
    id: i64,
    input: WindowInput,
) -> AppResult<WindowView> {
    let input = input.validated()?;
    db.write(move |txn| {
        Box::pin(async move {
            let row = window::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::not_found("窗口"))?;
            if row.center_id != input.center_id {
                return Err(
                    AppError::invalid("center_fixed", "窗口不能改属其他服务中心")
                        .with_field("center_id"),
                );
            }
            check_window_input(txn, &input, Some(id)).await?;
            let before = get_window(txn, id).await?;
            let mut model: window::ActiveModel = row.into();
            model.number = Set(input.number.clone());
            model.name = Set(input.name.clone());
            model.updated_at = Set(now);
            model.update(txn).await?;
            write_window_units(txn, id, &input.unit_ids).await?;
            let after = get_window(txn, id).await?;
            audit::record(
                txn,
                now,
                Change {
                    actor_id: Some(actor),
                    action: "window.update",
                    entity: "window",
                    entity_id: id.to_string(),
                    before: snapshot(&before),
                    after: snapshot(&after),
                },
            )
            .await?;
            Ok(after)
        })
    })
    .await
}

pub async fn set_window_active(
    db: &Db,
    actor: i64,
    now: DateTime<Utc>,
    id: i64,
    active: bool,
) -> AppResult<()> {
    db.write(move |txn| {
        Box::pin(async move {
            let row = window::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::not_found("窗口"))?;
            if row.active == active {
                return Ok(());
            }
            if active {
                active_center(txn, row.center_id, "center_id").await?;
            }
            let mut model: window::ActiveModel = row.into();
            model.active = Set(active);
            model.updated_at = Set(now);
            model.update(txn).await?;
            record_activation(txn, actor, now, "window", "window", id, active).await
        })
    })
    .await
}
