//! Keyset pages of long lists (issue 12): at most `limit` rows whose key comes after `after`,
//! in key order, so that rows added while someone walks the list neither repeat nor hide others.

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
    pub fn page<T>(&self, mut rows: Vec<T>, key: impl Fn(&T) -> K) -> Page<T, K> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = if more { rows.last().map(key) } else { None };
        Page { items: rows, next }
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
