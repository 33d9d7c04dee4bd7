//! In-memory caches of what nearly every request reads and rarely changes (issue 16): the
//! session row, the caller's staff row and roles, the catalog item with its unit and center.
//!
//! - A [`TtlCache`] entry lives a few seconds at most ([`TTL`]), so that a change made where no
//!   announcement reaches (another process on the same SQLite file, a lost listener connection)
//!   is seen within that time anyway.
//! - Every committed write announces the entities it changed ([`Changes`]): a writing
//!   transaction collects the entity of each audit record it appends ([`touch`]), and after the
//!   commit [`super::Db`] tells the caches of this instance at once and, on PostgreSQL, every other
//!   instance through `NOTIFY` on [`CHANNEL`] (relayed by the live-event listener, which also
//!   clears every cache when its connection dropped and announcements may have been missed).
//!   The session store announces its own writes the same way (`session:<id>`).
//! - A value read from the database while a change commits must not outlive the change: an
//!   entry is kept only if its read began after the last invalidation of its key or of the
//!   whole cache ([`TtlCache::begin`], [`TtlCache::put`]).

use std::{
    collections::{BTreeSet, HashMap},
    hash::Hash,
    sync::{Arc, Mutex, RwLock},
    time::{Duration, Instant},
};

/// How long a cached entry is trusted without an announcement.
pub const TTL: Duration = Duration::from_secs(5);

/// The PostgreSQL channel of cache announcements (the live events have their own).
pub const CHANNEL: &str = "chuangkou_caches";

/// What an announcement of "anything may have changed" says (after a lost connection).
pub const EVERYTHING: &str = "*";

/// The announcement of a change of one session row.
pub fn session_changed(id: i128) -> String {
    format!("session:{id}")
}

/// A map whose entries expire [`TTL`] after the read that produced them began.
pub struct TtlCache<K, V> {
    ttl: Duration,
    inner: Mutex<Inner<K, V>>,
}

struct Inner<K, V> {
    entries: HashMap<K, (Instant, V)>,
    /// When each key was last invalidated (kept for `ttl`: a read older than that has expired).
    invalidated: HashMap<K, Instant>,
    cleared: Option<Instant>,
}

/// Entries kept before expired ones are swept.
const SWEEP_AT: usize = 4096;

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                invalidated: HashMap::new(),
                cleared: None,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<K, V>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached value, if its read began less than `ttl` ago.
    pub fn get(&self, key: &K) -> Option<V> {
        let inner = self.lock();
        let (began, value) = inner.entries.get(key)?;
        (began.elapsed() < self.ttl).then(|| value.clone())
    }

    /// The moment a read of the database begins; pass it to [`put`](Self::put).
    pub fn begin(&self) -> Instant {
        Instant::now()
    }

    /// Keeps `value`, read from the database from `began` on, unless the key or the whole
    /// cache was invalidated since (the value may predate that change).
    pub fn put(&self, key: K, value: V, began: Instant) {
        let mut inner = self.lock();
        let stale = inner.cleared.is_some_and(|at| at >= began)
            || inner.invalidated.get(&key).is_some_and(|at| *at >= began);
        if stale || began.elapsed() >= self.ttl {
            return;
        }
        if inner.entries.len() >= SWEEP_AT {
            let ttl = self.ttl;
            inner.entries.retain(|_, (at, _)| at.elapsed() < ttl);
            inner.invalidated.retain(|_, at| at.elapsed() < ttl);
        }
        inner.entries.insert(key, (began, value));
    }

    /// Forgets one key.
    pub fn forget(&self, key: &K) {
        let mut inner = self.lock();
        inner.entries.remove(key);
        let now = Instant::now();
        inner.invalidated.insert(key.clone(), now);
        if inner.invalidated.len() >= SWEEP_AT {
            let ttl = self.ttl;
            inner.invalidated.retain(|_, at| at.elapsed() < ttl);
        }
    }

    /// Forgets everything.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.entries.clear();
        inner.invalidated.clear();
        inner.cleared = Some(Instant::now());
    }
}

type Listener = Arc<dyn Fn(&str) + Send + Sync>;

/// Who listens to announcements of changes, and which entities they watch (only those are
/// announced across instances after a commit).
#[derive(Default)]
pub struct Changes {
    listeners: RwLock<Vec<Listener>>,
    watched: RwLock<BTreeSet<String>>,
}

impl Changes {
    /// Calls `listener` with every announcement (an entity name, `session:<id>`, or
    /// [`EVERYTHING`]); `entities` are the audit entities whose changes it needs.
    pub fn listen(&self, entities: &[&str], listener: impl Fn(&str) + Send + Sync + 'static) {
        let mut watched = self.watched.write().unwrap_or_else(|e| e.into_inner());
        watched.extend(entities.iter().map(|e| e.to_string()));
        drop(watched);
        self.listeners
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .push(Arc::new(listener));
    }

    /// Whether some cache needs to hear of changes to `entity`.
    pub fn watches(&self, entity: &str) -> bool {
        self.watched
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(entity)
    }

    /// Tells this instance's caches.
    pub fn tell(&self, what: &str) {
        let listeners = self
            .listeners
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for listener in listeners {
            listener(what);
        }
    }
}

tokio::task_local! {
    static TOUCHED: Mutex<BTreeSet<String>>;
}

/// Notes that the running write changed `entity` (called for every audit record).
pub fn touch(entity: &str) {
    let _ = TOUCHED.try_with(|touched| {
        let mut touched = touched.lock().unwrap_or_else(|e| e.into_inner());
        if !touched.contains(entity) {
            touched.insert(entity.to_string());
        }
    });
}

/// Runs `work`, collecting the entities it [`touch`]es.
pub async fn collect_touched<F: Future>(work: F) -> (F::Output, BTreeSet<String>) {
    TOUCHED
        .scope(Mutex::new(BTreeSet::new()), async move {
            let out = work.await;
            let touched =
                TOUCHED.with(|t| std::mem::take(&mut *t.lock().unwrap_or_else(|e| e.into_inner())));
            (out, touched)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_expires_after_its_ttl() {
        let cache = TtlCache::new(Duration::from_millis(30));
        cache.put(1, "a", cache.begin());
        assert_eq!(cache.get(&1), Some("a"));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(cache.get(&1), None);
    }

    #[test]
    fn a_read_that_began_before_an_invalidation_is_not_kept() {
        let cache = TtlCache::new(TTL);
        let began = cache.begin();
        cache.forget(&1);
        cache.put(1, "old", began);
        assert_eq!(cache.get(&1), None);
        let began = cache.begin();
        cache.clear();
        cache.put(2, "old", began);
        assert_eq!(cache.get(&2), None);
        cache.put(2, "new", cache.begin());
        assert_eq!(cache.get(&2), Some("new"));
    }

    #[test]
    fn forgetting_one_key_keeps_the_others() {
        let cache = TtlCache::new(TTL);
        cache.put(1, "a", cache.begin());
        cache.put(2, "b", cache.begin());
        cache.forget(&1);
        assert_eq!(cache.get(&1), None);
        assert_eq!(cache.get(&2), Some("b"));
    }
}
