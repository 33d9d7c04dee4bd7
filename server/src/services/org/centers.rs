//! Service centers (服务中心): the district hall and the town and street centers, each with its
//! own hours.

use app::api::org::{CenterInput, CenterKind, CenterView};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::{
    error::{AppError, AppResult},
    services::{
        Ctx, audit, found,
        paging::{ById, Page, PageRequest},
        taken, versioned,
    },
    store::{
        documents,
        entities::{service_center, unit, window},
    },
};

pub fn center_view(row: service_center::Model) -> AppResult<CenterView> {
    let business_hours = documents::business_hours(&row.business_hours)?;
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

/// A page of every center, in the order they were set up.
pub async fn page_centers<C: ConnectionTrait>(
    db: &C,
    request: &PageRequest<i64>,
) -> AppResult<Page<CenterView, i64>> {
    let find = service_center::Entity::find();
    let page = request
        .by_id(db, find, service_center::Column::Id, ById::OldestFirst)
        .await?;
    page.try_map(|row| std::future::ready(center_view(row)))
        .await
}

pub async fn get_center<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<CenterView> {
    center_view(found(db, service_center::Entity, id, "服务中心").await?)
}

async fn ensure_center_name_free(
    txn: &DatabaseTransaction,
    name: &str,
    except: Option<i64>,
) -> AppResult<()> {
    let same_name = service_center::Entity::find().filter(service_center::Column::Name.eq(name));
    if taken(txn, same_name, service_center::Column::Id, except).await? {
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
    documents::business_hours_json(&hours)
}

pub async fn create_center(
    ctx: &Ctx,
    actor: Option<i64>,
    input: CenterInput,
) -> AppResult<CenterView> {
    let now = ctx.now;
    let input = input.validated()?;
    let hours = hours_json(&input)?;
    ctx.write(move |txn, _| {
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
            audit::record_views(
                txn,
                now,
                actor,
                ("center.create", "service_center"),
                view.id,
                None,
                view,
            )
            .await
        })
    })
    .await
}

pub async fn update_center(
    ctx: &Ctx,
    actor: i64,
    id: i64,
    input: CenterInput,
) -> AppResult<CenterView> {
    let now = ctx.now;
    let input = input.validated()?;
    ctx.write(move |txn, _| {
        Box::pin(async move {
            let row = found(txn, service_center::Entity, id, "服务中心").await?;
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
            audit::record_views(
                txn,
                now,
                Some(actor),
                ("center.update", "service_center"),
                id,
                Some(&before),
                after,
            )
            .await
        })
    })
    .await
}

pub async fn set_center_active(ctx: &Ctx, actor: i64, id: i64, on: bool) -> AppResult<()> {
    ctx.write(move |txn, ctx| {
        Box::pin(async move {
            let row = found(txn, service_center::Entity, id, "服务中心").await?;
            if !on && row.active {
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
            versioned::set_active(txn, ctx.now, actor, row, on).await?;
            Ok(())
        })
    })
    .await
}

/// An active center, or a 404 when there is none by that id or it no longer serves.
pub async fn bookable_center<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<()> {
    match service_center::Entity::find_by_id(id).one(db).await? {
        Some(c) if c.active => Ok(()),
        _ => Err(AppError::not_found("服务中心")),
    }
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
