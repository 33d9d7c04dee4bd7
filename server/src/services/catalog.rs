//! The service-item catalog: one source for the public guide, the one-time notice, the clerk's
//! review screen and every other channel (Seed §二(三)一: the promised limit is the same number
//! everywhere, because it is read from here everywhere).

use std::collections::BTreeMap;

use app::api::catalog::{CatalogQuery, ServiceItem, ServiceItemInput};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    Ctx,
    audit::{self, Change, snapshot},
    org::active_unit,
    versioned,
};
use crate::{
    error::{AppError, AppResult},
    services::found,
    store::{
        documents,
        entities::{service_center, service_item, unit},
    },
};

fn definition(row: &service_item::Model) -> AppResult<ServiceItemInput> {
    documents::item_definition(&row.definition)
}

/// Builds the views of `rows`, naming their units and centers.
async fn views<C: ConnectionTrait>(
    db: &C,
    rows: Vec<service_item::Model>,
) -> AppResult<Vec<ServiceItem>> {
    let units: BTreeMap<i64, unit::Model> = unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let centers: BTreeMap<i64, String> = service_center::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    rows.into_iter()
        .map(|row| {
            let d = definition(&row)?;
            let unit = units.get(&row.unit_id).ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("item {} has no unit", row.code))
            })?;
            Ok(ServiceItem {
                code: row.code,
                name: d.name,
                category: d.category,
                unit_id: unit.id,
                unit_name: unit.name.clone(),
                center_id: unit.center_id,
                center_name: centers.get(&unit.center_id).cloned().unwrap_or_default(),
                legal_basis: d.legal_basis,
                conditions: d.conditions,
                materials: d.materials,
                no_materials: d.no_materials,
                steps: d.steps,
                time_limit: d.time_limit,
                stage_limits: d.stage_limits,
                special_procedures: d.special_procedures,
                extension_bound_days: d.extension_bound_days,
                fee: d.fee,
                place: d.place,
                phone: d.phone,
                commitment: d.commitment,
                active: row.active,
            })
        })
        .collect()
}

/// The catalog, filtered. The public sees active items only.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    query: &CatalogQuery,
    include_inactive: bool,
) -> AppResult<Vec<ServiceItem>> {
    let mut select = service_item::Entity::find().order_by_asc(service_item::Column::Code);
    if !include_inactive {
        select = select.filter(service_item::Column::Active.eq(true));
    }
    if let Some(category) = query.category {
        select = select.filter(service_item::Column::Category.eq(category.code()));
    }
    if let Some(unit_id) = query.unit {
        select = select.filter(service_item::Column::UnitId.eq(unit_id));
    }
    let mut items = views(db, select.all(db).await?).await?;
    if let Some(center) = query.center {
        items.retain(|i| i.center_id == center);
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
        items.retain(|i| {
            let hay =
                format!("{} {} {} {}", i.code, i.name, i.legal_basis, i.unit_name).to_lowercase();
            words.iter().all(|w| hay.contains(w))
        });
    }
    Ok(items)
}

pub async fn get<C: ConnectionTrait>(db: &C, code: &str) -> AppResult<ServiceItem> {
    let row = service_item::Entity::find_by_id(code.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("办事事项"))?;
    Ok(views(db, vec![row]).await?.remove(0))
}

/// An active item, or a 422 naming `field` (for references from cases, inquiries, bookings).
pub async fn active_item<C: ConnectionTrait>(
    db: &C,
    code: &str,
    field: &str,
) -> AppResult<ServiceItem> {
    match service_item::Entity::find_by_id(code.to_string())
        .one(db)
        .await?
    {
        Some(row) if row.active => Ok(views(db, vec![row]).await?.remove(0)),
        Some(_) => Err(AppError::invalid("item_inactive", "该事项已停止办理").with_field(field)),
        None => Err(
            AppError::invalid("unknown_item", format!("没有编码为 {code} 的办事事项"))
                .with_field(field),
        ),
    }
}

/// Creates (`existing = None`) or replaces an item. Admin only (checked by the route).
pub async fn save(
    ctx: &Ctx,
    actor: Option<i64>,
    existing: Option<String>,
    input: ServiceItemInput,
) -> AppResult<ServiceItem> {
    let now = ctx.now;
    let input = input.validated()?;
    if let Some(code) = &existing
        && *code != input.code
    {
        return Err(AppError::invalid("code_fixed", "事项编码不能修改").with_field("code"));
    }
    let json = documents::item_definition_json(&input)?;
    ctx.write(move |txn, _| {
        Box::pin(async move {
            active_unit(txn, input.unit_id, "unit_id").await?;
            let found = service_item::Entity::find_by_id(input.code.clone())
                .one(txn)
                .await?;
            let before = match (&existing, found) {
                (None, Some(_)) => {
                    return Err(AppError::conflict(
                        "code_taken",
                        format!("事项编码 {} 已存在", input.code),
                    )
                    .with_field("code"));
                }
                (Some(_), None) => return Err(AppError::not_found("办事事项")),
                (None, None) => {
                    service_item::ActiveModel {
                        code: Set(input.code.clone()),
                        name: Set(input.name.clone()),
                        category: Set(input.category.code().to_string()),
                        unit_id: Set(input.unit_id),
                        definition: Set(json),
                        active: Set(true),
                        created_at: Set(now),
                        updated_at: Set(now),
                    }
                    .insert(txn)
                    .await?;
                    None
                }
                (Some(_), Some(row)) => {
                    let before = views(txn, vec![row.clone()]).await?.remove(0);
                    let mut model: service_item::ActiveModel = row.into();
                    model.name = Set(input.name.clone());
                    model.category = Set(input.category.code().to_string());
                    model.unit_id = Set(input.unit_id);
                    model.definition = Set(json);
                    model.updated_at = Set(now);
                    model.update(txn).await?;
                    Some(before)
                }
            };
            let after = get(txn, &input.code).await?;
            audit::record(
                txn,
                now,
                Change {
                    actor_id: actor,
                    action: if before.is_some() {
                        "service_item.update"
                    } else {
                        "service_item.create"
                    },
                    entity: "service_item",
                    entity_id: input.code.clone(),
                    before: before.as_ref().and_then(snapshot),
                    after: snapshot(&after),
                },
            )
            .await?;
            Ok(after)
        })
    })
    .await
}

pub async fn set_active(ctx: &Ctx, actor: i64, code: String, on: bool) -> AppResult<()> {
    ctx.write(move |txn, ctx| {
        Box::pin(async move {
            let row = found(txn, service_item::Entity, code, "办事事项").await?;
            versioned::set_active(txn, ctx.now, actor, row, on).await?;
            Ok(())
        })
    })
    .await
}
