//! Paging of list queries, as the Cosmos SDK's `query.Paginate` (`types/query/pagination.go`).
//!
//! A list query collects its items as `(page key, item)` rows in the order it answers them
//! and hands the request's `cosmos.base.query.v1beta1.PageRequest` to [`paginate`], which
//! returns one page and the `PageResponse` to send back. The page key of an item is its
//! natural sort key (a store key suffix, an id in big-endian, …): rows must be sorted
//! ascending by it, so that a client's `next_key` handed back as `key` resumes right after the
//! previous page.
//!
//! `ibc_proto::cosmos` re-exports `cosmos_sdk_proto::cosmos`, so the IBC and transfer queries
//! use these same `PageRequest` / `PageResponse` types.

use crate::{ModuleError, SdkError};
use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};

/// Items per page when a request sets no `limit` (Cosmos SDK `query.DefaultLimit`).
pub const DEFAULT_LIMIT: u64 = 100;

/// The most items one page carries: a request's `limit` above it is lowered to it, so one
/// query cannot make a node assemble and encode an unbounded response (the Cosmos SDK has no
/// such cap; clients that follow `next_key` are unaffected).
pub const MAX_LIMIT: u64 = 1000;

/// The maximum page of the packet commitment and acknowledgement lists (see
/// [`paginate_with_max`]).
pub const RELAYER_MAX_LIMIT: u64 = 100_000;

/// One page of `rows` as `req` asks, with Cosmos SDK `query.Paginate` semantics, and the
/// `PageResponse` for it. `rows` are `(page key, item)` sorted ascending by page key; page
/// keys are opaque to clients, which only hand a `next_key` back. `None` is an empty request.
///
/// - `key` (exclusive with `offset`): start at the first row whose key is ≥ `key` (≤ when
///   `reverse`); `offset`: skip that many rows (past the end: an empty page).
/// - `limit`: at most that many items; 0 means [`DEFAULT_LIMIT`] and counts the total; above
///   [`MAX_LIMIT`] it is lowered to [`MAX_LIMIT`].
/// - `reverse`: rows are visited from the last (largest key) down.
/// - `total` is the number of rows when `count_total` (or `limit` = 0) with offset paging,
///   else 0 (the Cosmos SDK does not count with key paging).
/// - `next_key` is the key of the first row after the page, empty on the last page.
///
/// Errors: `sdk`/18 ([`SdkError::InvalidRequest`]) if both `key` and `offset` are set.
pub fn paginate<T>(
    rows: Vec<(Vec<u8>, T)>,
    req: Option<&PageRequest>,
) -> Result<(Vec<T>, PageResponse), ModuleError> {
    paginate_with_max(rows, req, MAX_LIMIT)
}

/// [`paginate`] with another maximum page size, for the lists relayers read in one request:
/// Hermes asks for every packet commitment and acknowledgement of a channel with
/// `limit = u64::MAX` and does not follow `next_key`, as ibc-go (no cap) lets it.
///
/// Errors: as [`paginate`].
pub fn paginate_with_max<T>(
    mut rows: Vec<(Vec<u8>, T)>,
    req: Option<&PageRequest>,
    max_limit: u64,
) -> Result<(Vec<T>, PageResponse), ModuleError> {
    let none = PageRequest::default();
    let r = req.unwrap_or(&none);
    if !r.key.is_empty() && r.offset > 0 {
        return Err(SdkError::InvalidRequest(
            "invalid request, either offset or key is expected, got both".into(),
        )
        .into());
    }
    let (limit, count_total) = if r.limit == 0 {
        (DEFAULT_LIMIT, true)
    } else {
        (r.limit.min(max_limit), r.count_total)
    };
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    if r.reverse {
        rows.reverse();
    }
    let len = rows.len();
    let start = if r.key.is_empty() {
        usize::try_from(r.offset).unwrap_or(usize::MAX).min(len)
    } else {
        let key = r.key.as_slice();
        rows.iter()
            .position(|(k, _)| {
                if r.reverse {
                    k.as_slice() <= key
                } else {
                    k.as_slice() >= key
                }
            })
            .unwrap_or(len)
    };
    let end = start.saturating_add(limit).min(len);
    let next_key = rows.get(end).map(|(k, _)| k.clone()).unwrap_or_default();
    let total = if r.key.is_empty() && count_total {
        len as u64
    } else {
        0
    };
    let items = rows
        .into_iter()
        .skip(start)
        .take(end - start)
        .map(|(_, t)| t)
        .collect();
    Ok((items, PageResponse { next_key, total }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
    use super::*;

    fn rows(n: u64) -> Vec<(Vec<u8>, u64)> {
        (1..=n).map(|i| (i.to_be_bytes().to_vec(), i)).collect()
    }

    fn page(
        key: Vec<u8>,
        offset: u64,
        limit: u64,
        count_total: bool,
        reverse: bool,
    ) -> PageRequest {
        PageRequest {
            key,
            offset,
            limit,
            count_total,
            reverse,
        }
    }

    #[test]
    fn pagination_follows_the_cosmos_sdk_rules() {
        // no request: the default limit, total counted, nothing left
        let (items, p) = paginate(rows(3), None).unwrap();
        assert_eq!((items, p.total, p.next_key), (vec![1, 2, 3], 3, vec![]));
        // a large limit (Hermes asks for u32::MAX) under the cap: everything in one page
        let r = page(vec![], 0, u64::from(u32::MAX), false, false);
        let (items, p) = paginate(rows(150), Some(&r)).unwrap();
        assert_eq!((items.len(), p.next_key.is_empty()), (150, true));
        // the default limit is 100
        let (items, p) = paginate(rows(150), None).unwrap();
        assert_eq!((items.len(), p.total), (100, 150));
        assert_eq!(p.next_key, 101u64.to_be_bytes().to_vec());
        // chunked loop on next_key visits every item once, in order
        let mut key = vec![];
        let mut seen = vec![];
        loop {
            let r = page(key.clone(), 0, 4, false, false);
            let (items, p) = paginate(rows(10), Some(&r)).unwrap();
            assert_eq!(p.total, 0, "no total with key paging");
            seen.extend(items);
            if p.next_key.is_empty() {
                break;
            }
            key = p.next_key;
        }
        assert_eq!(seen, (1..=10).collect::<Vec<_>>());
        // offset paging with a total
        let r = page(vec![], 8, 4, true, false);
        let (items, p) = paginate(rows(10), Some(&r)).unwrap();
        assert_eq!((items, p.total, p.next_key), (vec![9, 10], 10, vec![]));
        // offset paging without count_total: no total
        let r = page(vec![], 2, 4, false, false);
        let (items, p) = paginate(rows(10), Some(&r)).unwrap();
        assert_eq!((items, p.total), (vec![3, 4, 5, 6], 0));
        // past the end: empty
        let r = page(vec![], 20, 4, false, false);
        assert!(paginate(rows(10), Some(&r)).unwrap().0.is_empty());
        // reverse, then from a key downwards
        let r = page(vec![], 0, 3, false, true);
        let (items, p) = paginate(rows(10), Some(&r)).unwrap();
        assert_eq!(items, vec![10, 9, 8]);
        let r = page(p.next_key, 0, 3, false, true);
        assert_eq!(paginate(rows(10), Some(&r)).unwrap().0, vec![7, 6, 5]);
        // key and offset together are refused
        let r = page(vec![1], 1, 3, false, false);
        let e = paginate(rows(10), Some(&r)).unwrap_err();
        assert_eq!((e.codespace, e.code), ("sdk", 18));
    }

    #[test]
    fn a_limit_above_the_maximum_is_lowered_to_the_maximum_and_next_key_continues() {
        let n = MAX_LIMIT + 500;
        for limit in [MAX_LIMIT + 1, u64::from(u32::MAX), u64::MAX] {
            let r = page(vec![], 0, limit, true, false);
            let (items, p) = paginate(rows(n), Some(&r)).unwrap();
            assert_eq!(items.len() as u64, MAX_LIMIT, "limit {limit}");
            assert_eq!(items.last(), Some(&MAX_LIMIT));
            assert_eq!(p.total, n);
            assert_eq!(p.next_key, (MAX_LIMIT + 1).to_be_bytes().to_vec());
            // the rest follows on next_key
            let r = page(p.next_key, 0, limit, false, false);
            let (rest, p) = paginate(rows(n), Some(&r)).unwrap();
            assert_eq!(rest, (MAX_LIMIT + 1..=n).collect::<Vec<_>>());
            assert!(p.next_key.is_empty());
        }
        // exactly the maximum is not lowered
        let r = page(vec![], 0, MAX_LIMIT, false, false);
        let (items, p) = paginate(rows(MAX_LIMIT), Some(&r)).unwrap();
        assert_eq!((items.len() as u64, p.next_key), (MAX_LIMIT, vec![]));
    }
}
