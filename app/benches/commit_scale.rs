//! Commit at scale: the JMT and RocksDB cost of a block's state writes with millions of keys
//! already in the store (one core's worth of work: cnidarium hashes and writes sequentially).
//!
//! Fills a fresh store with `BENCH_KEYS` keys (default 1 000 000) in commits of
//! `BENCH_FILL_CHUNK` (default 100 000; cnidarium keeps every version of the tree, so 10 M keys
//! want commits of 1 000 000 to stay within a few GB of disk), then
//! runs `BENCH_BLOCKS` blocks (default 30) of `BENCH_UPDATES` updates each (default 10 000,
//! keys spread over the whole store, as balances of many accounts are), and reports for each
//! block the two halves the node runs: `prepare_commit` (the new JMT root, in FinalizeBlock)
//! and `commit_batch` (the RocksDB write, in Commit), as p50 / p99 / max, and the leaf updates
//! per second of both together.
//!
//! ```text
//! cargo bench -p hub-app --bench commit_scale                       # 1 M keys
//! BENCH_KEYS=10000000 BENCH_FILL_CHUNK=1000000 cargo bench -p hub-app --bench commit_scale
//! ```
//!
//! The figures go to docs/BENCHMARKS.md.

#![allow(clippy::unwrap_used)] // benchmark setup: a failure aborts the run

use cnidarium::{StateDelta, StateWrite, Storage};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The key of account `i`: a balance-like key with a hashed, evenly spread address.
fn key(i: u64) -> String {
    let h = Sha256::digest(i.to_be_bytes());
    format!("bank/balances/{}/uhub", hex::encode(&h[..20]))
}

fn value(i: u64, round: u64) -> Vec<u8> {
    (u128::from(i) * 1_000 + u128::from(round))
        .to_be_bytes()
        .to_vec()
}

/// `sorted[q]` for the quantile `q` in per mille.
fn quantile(sorted: &[Duration], per_mille: usize) -> Duration {
    sorted[(sorted.len() * per_mille / 1000).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (keys, blocks, updates, chunk) = (
        env("BENCH_KEYS", 1_000_000),
        env("BENCH_BLOCKS", 30),
        env("BENCH_UPDATES", 10_000),
        env("BENCH_FILL_CHUNK", 100_000).max(1),
    );
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::load(dir.path().join("db"), vec!["bank".into()])
        .await
        .unwrap();
    let started = Instant::now();
    let mut next = 0;
    while next < keys {
        let end = (next + chunk).min(keys);
        let mut delta = StateDelta::new(storage.latest_snapshot());
        for i in next..end {
            delta.put_raw(key(i), value(i, 0));
        }
        storage.commit(delta).await.unwrap();
        next = end;
    }
    let fill = started.elapsed();
    println!(
        "filled {keys} keys in {:.1} s ({:.0} leaf inserts/s)",
        fill.as_secs_f64(),
        keys as f64 / fill.as_secs_f64()
    );
    let (mut prepare, mut write, mut total) = (vec![], vec![], Duration::ZERO);
    // A fixed LCG spreads each block's updates over the whole store, reproducibly.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for round in 1..=blocks {
        let mut delta = StateDelta::new(storage.latest_snapshot());
        for _ in 0..updates {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let i = (x >> 11) % keys;
            delta.put_raw(key(i), value(i, round));
        }
        let t = Instant::now();
        let batch = storage.prepare_commit(delta).await.unwrap();
        let p = t.elapsed();
        let t = Instant::now();
        storage.commit_batch(batch).unwrap();
        let w = t.elapsed();
        prepare.push(p);
        write.push(w);
        total += p + w;
    }
    prepare.sort();
    write.sort();
    println!(
        "{blocks} blocks of {updates} updates over {keys} keys: prepare_commit p50 {} p99 {} max {}; \
         commit_batch p50 {} p99 {} max {}; {:.0} leaf updates/s",
        ms(quantile(&prepare, 500)),
        ms(quantile(&prepare, 990)),
        ms(*prepare.last().unwrap()),
        ms(quantile(&write, 500)),
        ms(quantile(&write, 990)),
        ms(*write.last().unwrap()),
        (blocks * updates) as f64 / total.as_secs_f64()
    );
}
