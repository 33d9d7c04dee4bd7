//! Registered kiosks (issue 12, finding 7). Anonymous writes — tickets, bookings — are limited
//! per client address; the hall's own kiosk, where a whole morning's citizens take tickets from
//! one address, carries a device token instead. An administrator registers it and gets the
//! token once; the server keeps only its SHA-256, and a revoked token counts for nothing.

use app::api::kiosks::{KioskInput, KioskRegistered, KioskView};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use super::{Ctx, Principal, audit, org::active_center, staff::password::random_token};
use crate::{
    error::{AppError, AppResult},
    services::{
        center_of, found,
        paging::{ById, Page, PageRequest},
    },
    store::entities::kiosk,
};

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn view(k: kiosk::Model) -> KioskView {
    KioskView {
        id: k.id,
        center_id: k.center_id,
        name: k.name,
        created_at: k.created_at,
        revoked_at: k.revoked_at,
    }
}

/// Every kiosk, newest first (Admin).
/// A page of the registered kiosks, the newest first.
pub async fn list(ctx: &Ctx, request: &PageRequest<i64>) -> AppResult<Page<KioskView, i64>> {
    let find = kiosk::Entity::find();
    let page = request
        .by_id(ctx.conn(), find, kiosk::Column::Id, ById::NewestFirst)
        .await?;
    Ok(Page {
        items: page.items.into_iter().map(view).collect(),
        next: page.next,
    })
}

/// Registers a kiosk of an active center; the answer carries its token, shown only this once.
pub async fn register(ctx: &Ctx, p: &Principal, input: KioskInput) -> AppResult<KioskRegistered> {
    let input = input.validated()?;
    p.ensure_acts_in(input.center_id)?;
    let actor = p.id;
    let token = random_token(40);
    let hash = token_hash(&token);
    let kiosk = ctx
        .write_in_center(move |txn, ctx| {
            Box::pin(async move {
                active_center(txn, input.center_id, "center_id").await?;
                Ctx::lock_center(txn, input.center_id).await?;
                let row = kiosk::ActiveModel {
                    center_id: Set(input.center_id),
                    name: Set(input.name),
                    token_hash: Set(hash),
                    created_at: Set(ctx.now),
                    created_by: Set(actor),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                let shown = view(row);
                let register = ("kiosk.register", "kiosk");
                audit::record_views(txn, ctx.now, Some(actor), register, shown.id, None, shown)
                    .await
            })
        })
        .await?;
    Ok(KioskRegistered { kiosk, token })
}

/// Revokes a kiosk's token (a lost or replaced machine); revoking twice is a conflict.
pub async fn revoke(ctx: &Ctx, p: &Principal, id: i64) -> AppResult<KioskView> {
    let actor = p.id;
    let p = p.clone();
    let center = center_of::<kiosk::Entity>(ctx, kiosk::Column::CenterId, id, "取号机").await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let row = found(txn, kiosk::Entity, id, "取号机").await?;
            p.ensure_acts_in(row.center_id)?;
            if row.revoked_at.is_some() {
                return Err(AppError::conflict("kiosk_revoked", "该取号机已停用"));
            }
            let before = view(row.clone());
            let mut active: kiosk::ActiveModel = row.into();
            active.revoked_at = Set(Some(ctx.now));
            let after = view(active.update(txn).await?);
            let revoke = ("kiosk.revoke", "kiosk");
            audit::record_views(txn, ctx.now, Some(actor), revoke, id, Some(&before), after).await
        })
    })
    .await
}

/// The center of the registered, unrevoked kiosk holding `token`, if any.
pub async fn recognise(ctx: &Ctx, token: &str) -> AppResult<Option<i64>> {
    if token.is_empty() || token.len() > 100 {
        return Ok(None);
    }
    Ok(kiosk::Entity::find()
        .filter(kiosk::Column::TokenHash.eq(token_hash(token)))
        .filter(kiosk::Column::RevokedAt.is_null())
        .one(ctx.conn())
        .await?
        .map(|k| k.center_id))
}
