//! Keyset pages of long lists (issue 12): at most `limit` rows whose key comes after `after`,
//! in key order, so that rows added while someone walks the list neither repeat nor hide others.

use std::future::Future;

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter, QueryOrder, QuerySelect,
    Select, Value,
};

use crate::error::{AppError, AppResult};

/// Which page a caller asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<K> {
    pub limit: u64,
    /// The key of the previous page's last row.
    pub after: Option<K>,
}

/// A page and the key the next one starts after (none on the last page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T, K> {
    pub items: Vec<T>,
    pub next: Option<K>,
}

impl<K> PageRequest<K> {
    /// How many rows to read: one more than a page, to know whether another page follows.
    pub fn fetch(&self) -> u64 {
        self.limit + 1
    }

    /// Cuts the rows read with [`fetch`](Self::fetch) to a page; `key` names a row's key.
    pub fn page<T, J>(&self, mut rows: Vec<T>, key: impl Fn(&T) -> J) -> Page<T, J> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = if more { rows.last().map(key) } else { None };
        Page { items: rows, next }
    }
}

/// Which way a list paged by its rows' ids runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ById {
    /// Records, newest first.
    NewestFirst,
    /// A work queue, oldest (waiting longest) first.
    OldestFirst,
}

impl PageRequest<i64> {
    /// Reads the page this request asks for of `find` (filtered by the caller), keyed by the
    /// integer column `id`, in `order`.
    pub async fn by_id<E: EntityTrait>(
        &self,
        db: &impl ConnectionTrait,
        find: Select<E>,
        id: E::Column,
        order: ById,
    ) -> AppResult<Page<E::Model, i64>> {
        let ordered = match (order, self.after) {
            (ById::NewestFirst, Some(after)) => find.filter(id.lt(after)).order_by_desc(id),
            (ById::NewestFirst, None) => find.order_by_desc(id),
            (ById::OldestFirst, Some(after)) => find.filter(id.gt(after)).order_by_asc(id),
            (ById::OldestFirst, None) => find.order_by_asc(id),
        };
        let rows = ordered.limit(self.fetch()).all(db).await?;
        let Page { items, next } = self.page(rows, |row| row.get(id));
        let next = next.map(integer_key).transpose()?;
        Ok(Page { items, next })
    }
}

/// A row's id as the page's integer key.
fn integer_key(id: Value) -> AppResult<i64> {
    match id {
        Value::BigInt(Some(key)) => Ok(key),
        other => Err(AppError::internal(anyhow::anyhow!(
            "a page's key is not an integer: {other:?}"
        ))),
    }
}

impl<T, K> Page<T, K> {
    /// The same page with each row turned into what the caller answers (which may read more).
    pub async fn try_map<U, F>(self, mut view: impl FnMut(T) -> F) -> AppResult<Page<U, K>>
    where
        F: Future<Output = AppResult<U>>,
    {
        let mut items = Vec::with_capacity(self.items.len());
        for row in self.items {
            items.push(view(row).await?);
        }
        Ok(Page {
            items,
            next: self.next,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_names_the_next_one_only_when_more_rows_follow() {
        let request = PageRequest {
            limit: 2,
            after: None::<i64>,
        };
        assert_eq!(request.fetch(), 3);
        let full = request.page(vec![1, 2, 3], |r| *r);
        assert_eq!(full.items, vec![1, 2]);
        assert_eq!(full.next, Some(2));
        let last = request.page(vec![4, 5], |r| *r);
        assert_eq!(last.next, None);
    }
}
