//! What receiving a case reads on every request and an administrator seldom changes, kept in
//! memory (issue 16): the catalog item with its unit and center, and the center (its business
//! hours). An entry lives a few seconds at most; any committed change of an item, a unit or a
//! center forgets them all, on this instance at once and on the others through the
//! announcement (`store::cache`).

use std::sync::Arc;

use app::api::catalog::ServiceItem;
use sea_orm::{ConnectionTrait, EntityTrait};

use super::catalog;
use crate::{
    error::{AppError, AppResult},
    store::{
        Db,
        cache::{self, TtlCache},
        entities::service_center,
    },
};

/// The audit entities whose changes these caches hear of.
const SOURCES: [&str; 3] = ["service_item", "unit", "service_center"];

pub struct ServiceCaches {
    items: TtlCache<String, ServiceItem>,
    centers: TtlCache<i64, service_center::Model>,
}

impl ServiceCaches {
    /// The caches of one instance, listening to `db`'s announcements.
    pub fn new(db: &Db) -> Arc<Self> {
        let caches = Arc::new(Self {
            items: TtlCache::new(cache::TTL),
            centers: TtlCache::new(cache::TTL),
        });
        let forget = caches.clone();
        db.changes.listen(&SOURCES, move |what| {
            if what == cache::EVERYTHING || SOURCES.contains(&what) {
                forget.items.clear();
                forget.centers.clear();
            }
        });
        caches
    }

    /// [`catalog::active_item`], from memory when it was read a moment ago.
    pub async fn active_item<C: ConnectionTrait>(
        &self,
        db: &C,
        code: &str,
        field: &str,
    ) -> AppResult<ServiceItem> {
        if let Some(item) = self.items.get(&code.to_string()) {
            return Ok(item);
        }
        let began = self.items.begin();
        let item = catalog::active_item(db, code, field).await?;
        self.items.put(code.to_string(), item.clone(), began);
        Ok(item)
    }

    /// The service center `id` (it must exist: an item's center).
    pub async fn center<C: ConnectionTrait>(
        &self,
        db: &C,
        id: i64,
    ) -> AppResult<service_center::Model> {
        if let Some(center) = self.centers.get(&id) {
            return Ok(center);
        }
        let began = self.centers.begin();
        let center = service_center::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("no service center {id}")))?;
        self.centers.put(id, center.clone(), began);
        Ok(center)
    }
}
