//! A shared check of paginated list queries ([`assert_paginates`]).

use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use hub_framework::pagination::{DEFAULT_LIMIT, MAX_LIMIT};
use std::fmt::Debug;
use std::future::Future;

/// Asserts that a list query pages as [`hub_framework::paginate`] promises (Cosmos SDK
/// `query.Paginate`); panics naming the first broken rule.
///
/// `expected` is every item the query holds, in the order it answers them; it must hold more
/// than [`DEFAULT_LIMIT`] items. `query` runs the query with the given request `pagination`
/// and returns the page's items (or what identifies them, such as ids or addresses) and the
/// response's `pagination`. Checked:
/// - no `pagination`: the first [`DEFAULT_LIMIT`] items, `total` = all of them, a `next_key`;
/// - `limit` 2: the first 2 items and a `next_key`; that key handed back (with `limit`
///   [`MAX_LIMIT`]) gives the rest, then an empty `next_key`;
/// - following `next_key` with `limit` 7 from the start visits every item once, in order (so
///   page keys sort as the items do);
/// - `offset` 2, `limit` 2, `count_total`: items 3 and 4, `total` = all of them;
/// - `limit` 2, `reverse`: the last 2 items, last first.
pub async fn assert_paginates<T, F, Fut>(expected: &[T], query: F)
where
    T: PartialEq + Debug,
    F: Fn(Option<PageRequest>) -> Fut,
    Fut: Future<Output = (Vec<T>, Option<PageResponse>)>,
{
    let n = expected.len();
    let default = usize::try_from(DEFAULT_LIMIT).unwrap_or(usize::MAX);
    assert!(
        n > default,
        "the check needs more than {default} items, got {n}"
    );
    let run = |p: Option<PageRequest>| {
        let fut = query(p);
        async move {
            let (items, page) = fut.await;
            (items, page.expect("a list response carries its pagination"))
        }
    };

    let (items, p) = run(None).await;
    assert_eq!(
        items.as_slice(),
        &expected[..default],
        "no request: the default page"
    );
    assert_eq!(p.total, n as u64, "no request: the total is counted");
    assert!(!p.next_key.is_empty(), "no request: a next_key to the rest");

    let two = PageRequest {
        limit: 2,
        ..Default::default()
    };
    let (items, p) = run(Some(two.clone())).await;
    assert_eq!(
        items.as_slice(),
        &expected[..2],
        "limit 2: the first 2 items"
    );
    assert!(!p.next_key.is_empty(), "limit 2: a next_key");
    let (rest, p) = run(Some(PageRequest {
        key: p.next_key,
        limit: MAX_LIMIT,
        ..Default::default()
    }))
    .await;
    assert_eq!(rest.as_slice(), &expected[2..], "next_key: the rest");
    assert!(p.next_key.is_empty(), "next_key: nothing after the rest");

    let mut seen = Vec::with_capacity(n);
    let mut key = Vec::new();
    for _ in 0..n {
        let (items, p) = run(Some(PageRequest {
            key,
            limit: 7,
            ..Default::default()
        }))
        .await;
        assert!(items.len() <= 7, "limit 7: at most 7 items");
        seen.extend(items);
        if p.next_key.is_empty() {
            break;
        }
        key = p.next_key;
    }
    assert_eq!(
        seen.as_slice(),
        expected,
        "a next_key walk: every item once, in order"
    );

    let (items, p) = run(Some(PageRequest {
        offset: 2,
        count_total: true,
        ..two.clone()
    }))
    .await;
    assert_eq!(items.as_slice(), &expected[2..4], "offset 2: items 3 and 4");
    assert_eq!(p.total, n as u64, "count_total: the total");

    let (items, _) = run(Some(PageRequest {
        reverse: true,
        ..two
    }))
    .await;
    let last_two: Vec<&T> = expected.iter().rev().take(2).collect();
    assert_eq!(
        items.iter().collect::<Vec<_>>(),
        last_two,
        "reverse: the last 2 items, last first"
    );
}
