//! What receiving a case reads on every request and an administrator seldom changes, kept in
//! memory (issue 16): the catalog item with its unit and center, and the center (its business
//! hours); and the staff names a list of cases shows beside each case. An entry lives a few
//! seconds at most; any committed change of an item, a unit or a center forgets the first two,
//! any change of a staff member the names, on this instance at once and on the others through
//! the announcement (`store::cache`).

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
};

use app::api::catalog::ServiceItem;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::catalog;
use crate::{
    error::{AppError, AppResult},
    store::{
        Db,
        cache::{self, TtlCache},
        documents,
        entities::{service_center, staff},
    },
};

/// The audit entities whose changes these caches hear of.
const SOURCES: [&str; 3] = ["service_item", "unit", "service_center"];
/// The audit entity whose changes forget the staff names.
const STAFF: &str = "staff";

pub struct ServiceCaches {
    items: TtlCache<String, ServiceItem>,
    /// What a case keeps of an item (`cases.item_snapshot`) and the item read back from it,
    /// with the item it was made from: worked out once, not on every receipt (issue 16).
    snapshots: TtlCache<String, Arc<KeptItem>>,
    centers: TtlCache<i64, service_center::Model>,
    staff_names: TtlCache<i64, String>,
    /// When (on the requests' clock) a read last swept the case clock.
    pub read_sweep: SweepGate,
}

/// What a case keeps of its item (see [`ServiceCaches::kept_item`]).
pub struct KeptItem {
    /// The item it was made from.
    pub source: ServiceItem,
    /// `cases.item_snapshot`.
    pub snapshot: String,
    /// The item as read back from the snapshot (what the case shows).
    pub read_back: ServiceItem,
}

/// Lets one read in a while through (issue 16): the clock sweep runs on a read at most once per
/// interval of the requests' own clock, and again at once when that clock went back.
#[derive(Default)]
pub struct SweepGate {
    last: Mutex<Option<DateTime<Utc>>>,
}

impl SweepGate {
    /// Whether the read at `now` sweeps (then it is noted as the last sweep).
    pub fn claim(&self, now: DateTime<Utc>, every: TimeDelta) -> bool {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let due = last.is_none_or(|at| now < at || now - at >= every);
        if due {
            *last = Some(now);
        }
        due
    }

    /// Forgets the last sweep (it failed): the next read sweeps.
    pub fn reset(&self) {
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

impl ServiceCaches {
    /// The caches of one instance, listening to `db`'s announcements.
    pub fn new(db: &Db) -> Arc<Self> {
        let caches = Arc::new(Self {
            items: TtlCache::new(cache::TTL),
            snapshots: TtlCache::new(cache::TTL),
            centers: TtlCache::new(cache::TTL),
            staff_names: TtlCache::new(cache::TTL),
            read_sweep: SweepGate::default(),
        });
        let forget = caches.clone();
        db.changes.listen(&SOURCES, move |what| {
            if what == cache::EVERYTHING || SOURCES.contains(&what) {
                forget.items.clear();
                forget.snapshots.clear();
                forget.centers.clear();
            }
        });
        let forget = caches.clone();
        db.changes.listen(&[STAFF], move |what| {
            if what == cache::EVERYTHING || what == STAFF {
                forget.staff_names.clear();
            }
        });
        caches
    }

    /// The names of the staff members `ids`, those read a moment ago from memory and the rest
    /// in one query (a page of cases names few owners, each many times, on every request).
    pub async fn staff_names<C: ConnectionTrait>(
        &self,
        db: &C,
        ids: impl IntoIterator<Item = i64>,
    ) -> AppResult<BTreeMap<i64, String>> {
        let mut names = BTreeMap::new();
        let mut missing = Vec::new();
        for id in ids {
            if names.contains_key(&id) || missing.contains(&id) {
                continue;
            }
            match self.staff_names.get(&id) {
                Some(name) => {
                    names.insert(id, name);
                }
                None => missing.push(id),
            }
        }
        if missing.is_empty() {
            return Ok(names);
        }
        let began = self.staff_names.begin();
        let read: Vec<(i64, String)> = staff::Entity::find()
            .select_only()
            .columns([staff::Column::Id, staff::Column::Name])
            .filter(staff::Column::Id.is_in(missing))
            .into_tuple()
            .all(db)
            .await?;
        for (id, name) in read {
            self.staff_names.put(id, name.clone(), began);
            names.insert(id, name);
        }
        Ok(names)
    }

    /// What a case received now keeps of `item`: from memory when it was worked out a moment
    /// ago from an item equal to this one.
    pub fn kept_item(&self, item: &ServiceItem) -> AppResult<Arc<KeptItem>> {
        if let Some(kept) = self.snapshots.get(&item.code)
            && kept.source == *item
        {
            return Ok(kept);
        }
        let began = self.snapshots.begin();
        let snapshot = documents::case_item_json(item)?;
        let kept = Arc::new(KeptItem {
            read_back: documents::case_item(&snapshot)?,
            snapshot,
            source: item.clone(),
        });
        self.snapshots.put(item.code.clone(), kept.clone(), began);
        Ok(kept)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_sweeps_once_per_interval_of_the_requests_clock() {
        let gate = SweepGate::default();
        let every = TimeDelta::seconds(5);
        let t0 = DateTime::<Utc>::UNIX_EPOCH + TimeDelta::days(20_000);
        assert!(gate.claim(t0, every), "the first read sweeps");
        assert!(!gate.claim(t0, every));
        assert!(!gate.claim(t0 + TimeDelta::seconds(4), every));
        assert!(gate.claim(t0 + TimeDelta::seconds(5), every));
        assert!(gate.claim(t0, every), "a clock set back sweeps");
        gate.reset();
        assert!(
            gate.claim(t0, every),
            "after a failed sweep the next read sweeps"
        );
    }
}
