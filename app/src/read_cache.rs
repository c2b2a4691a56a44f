//! A block's read cache: the committed snapshot a block executes on, with every verifiable
//! point read remembered for the rest of the block.
//!
//! Each read that misses a block's overlays goes to cnidarium's snapshot, which looks the key
//! up in the JMT on a blocking thread (about 10 µs here, most of it the thread hop). Many keys
//! are read by every packet or transaction of a block and written by none: params, channel
//! and connection ends, the flow limit of a channel, the circuit's `paused_until`. The
//! snapshot is immutable, so remembering its answers is exact: a key written in the block is
//! answered by the overlays above this layer and never reaches it. Prefix scans and
//! non-verifiable reads pass through unchanged.

use cnidarium::{Snapshot, StateRead};
use futures::future::BoxFuture;
use std::any::Any;
use std::collections::BTreeMap;
use std::ops::RangeBounds;
use std::sync::{Arc, Mutex};

type Answers = Arc<Mutex<BTreeMap<String, Option<Vec<u8>>>>>;

/// A [`Snapshot`] whose point reads are cached for the life of this value (one block).
#[derive(Clone)]
pub struct ReadCache {
    snapshot: Snapshot,
    answers: Answers,
}

impl ReadCache {
    /// Starts an empty cache over `snapshot`.
    pub fn new(snapshot: Snapshot) -> Self {
        Self {
            snapshot,
            answers: Arc::default(),
        }
    }

    /// The snapshot underneath (to commit a block's changes on it).
    pub fn into_snapshot(self) -> Snapshot {
        self.snapshot
    }

    /// How many distinct keys were read from the snapshot.
    pub fn len(&self) -> usize {
        self.answers.lock().map_or(0, |a| a.len())
    }

    /// Whether no key was read yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl StateRead for ReadCache {
    type GetRawFut = BoxFuture<'static, anyhow::Result<Option<Vec<u8>>>>;
    type PrefixRawStream = <Snapshot as StateRead>::PrefixRawStream;
    type PrefixKeysStream = <Snapshot as StateRead>::PrefixKeysStream;
    type NonconsensusPrefixRawStream = <Snapshot as StateRead>::NonconsensusPrefixRawStream;
    type NonconsensusRangeRawStream = <Snapshot as StateRead>::NonconsensusRangeRawStream;

    fn get_raw(&self, key: &str) -> Self::GetRawFut {
        // A poisoned lock only loses the cache: read through.
        if let Some(hit) = self.answers.lock().ok().and_then(|a| a.get(key).cloned()) {
            return Box::pin(std::future::ready(Ok(hit)));
        }
        let read = self.snapshot.get_raw(key);
        let (answers, key) = (self.answers.clone(), key.to_string());
        Box::pin(async move {
            let value = read.await?;
            if let Ok(mut a) = answers.lock() {
                a.insert(key, value.clone());
            }
            Ok(value)
        })
    }

    fn nonverifiable_get_raw(&self, key: &[u8]) -> Self::GetRawFut {
        Box::pin(self.snapshot.nonverifiable_get_raw(key))
    }

    fn object_get<T: Any + Send + Sync + Clone>(&self, key: &'static str) -> Option<T> {
        self.snapshot.object_get(key)
    }

    fn object_type(&self, key: &'static str) -> Option<std::any::TypeId> {
        self.snapshot.object_type(key)
    }

    fn prefix_raw(&self, prefix: &str) -> Self::PrefixRawStream {
        self.snapshot.prefix_raw(prefix)
    }

    fn prefix_keys(&self, prefix: &str) -> Self::PrefixKeysStream {
        self.snapshot.prefix_keys(prefix)
    }

    fn nonverifiable_prefix_raw(&self, prefix: &[u8]) -> Self::NonconsensusPrefixRawStream {
        self.snapshot.nonverifiable_prefix_raw(prefix)
    }

    fn nonverifiable_range_raw(
        &self,
        prefix: Option<&[u8]>,
        range: impl RangeBounds<Vec<u8>>,
    ) -> anyhow::Result<Self::NonconsensusRangeRawStream> {
        self.snapshot.nonverifiable_range_raw(prefix, range)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
    use super::*;
    use cnidarium::{StateDelta, StateWrite, TempStorage};

    type Reads = (Option<Vec<u8>>, Option<Vec<u8>>, Option<Vec<u8>>);

    /// Reads `m/a`, overwrites it, reads it again, reads a missing key.
    async fn run<S: StateRead>(mut s: StateDelta<S>) -> (Reads, StateDelta<S>) {
        let before = s.get_raw("m/a").await.unwrap();
        s.put_raw("m/a".into(), vec![2]);
        let after = s.get_raw("m/a").await.unwrap();
        let missing = s.get_raw("m/b").await.unwrap();
        ((before, after, missing), s)
    }

    /// A block over the cache reads what it would read over the snapshot, its own writes
    /// included, and commits the same root.
    #[tokio::test]
    async fn a_block_over_the_cache_reads_and_commits_as_over_the_snapshot() {
        let storage = TempStorage::new_with_prefixes(vec!["m".into()])
            .await
            .unwrap();
        let mut seed = StateDelta::new(storage.latest_snapshot());
        seed.put_raw("m/a".into(), vec![1]);
        storage.commit(seed).await.unwrap();

        let cache = ReadCache::new(storage.latest_snapshot());
        let (cached_reads, block) = run(StateDelta::new(cache)).await;
        let (plain_reads, plain) = run(StateDelta::new(storage.latest_snapshot())).await;
        assert_eq!(cached_reads, plain_reads);
        assert_eq!(cached_reads, (Some(vec![1]), Some(vec![2]), None));

        let (cache, changes) = block.flatten();
        assert_eq!(
            cache.len(),
            2,
            "m/a and m/b were read from the snapshot once"
        );
        let mut replay = StateDelta::new(cache.into_snapshot());
        changes.apply_to(&mut replay);
        let cached = storage.prepare_commit(replay).await.unwrap();
        let plain = storage.prepare_commit(plain).await.unwrap();
        assert_eq!(cached.root_hash(), plain.root_hash());
    }
}
