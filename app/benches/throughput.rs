//! Throughput of the state machine on one core (criterion).
//!
//! - `block_of_{1000,10000}_txs/finalize_block`: signed `MsgSend` txs executed per second in
//!   FinalizeBlock on one core — decode, secp256k1 signature check, fee, transfer, and the JMT
//!   app hash (each tx from a distinct sender).
//! - `block_of_{1000,10000}_txs/commit`: time of Commit (writing the staged batch to RocksDB).
//! - `proofs/generate` and `proofs/verify`: a two-level ICS-23 proof of a balance.
//!
//! Run with `cargo bench -p hub-app`; the figures go to docs/BENCHMARKS.md.

#![allow(clippy::unwrap_used)] // benchmark setup: a failure aborts the run
#![allow(missing_docs)] // criterion_main! generates an undocumented main

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hub_app::{app::App, query::QueryService, ChainConfig};
use hub_testkit::{app_state, msg_send, TestKey, TxSpec};
use prost::Message;
use std::time::{Duration, Instant};
use tendermint::Time;

struct Fixture {
    _dir: tempfile::TempDir,
    app: App,
    keys: Vec<TestKey>,
}

async fn fixture(senders: usize) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let keys: Vec<TestKey> = (0..senders)
        .map(|i| TestKey::new(&format!("k{i}")))
        .collect();
    let accounts: Vec<(String, u128)> = keys.iter().map(|k| (k.hub(), 1_000_000_000_000)).collect();
    let mut app = App::load(&dir.path().join("db"), ChainConfig::hub())
        .await
        .unwrap();
    app.init_chain(
        "hub-1",
        app_state(&accounts, &[[1u8; 32]]).to_string().as_bytes(),
        1,
    )
    .await
    .unwrap();
    Fixture {
        _dir: dir,
        app,
        keys,
    }
}

/// One signed MsgSend per sender, with the given sequence; account numbers follow genesis order.
fn block_txs(keys: &[TestKey], n: usize, seq: u64) -> Vec<Vec<u8>> {
    let to = TestKey::new("sink").hub();
    (0..n)
        .map(|i| {
            let k = &keys[i];
            let mut spec = TxSpec::new(vec![msg_send(&k.hub(), &to, "1", "uhub")]);
            spec.account_number = i as u64;
            spec.sequence = seq;
            spec.sign(k)
        })
        .collect()
}

fn time(h: u64) -> Time {
    Time::from_unix_timestamp(1_700_000_000 + h as i64, 0).unwrap()
}

/// Runs one block of `n` fresh txs and returns (FinalizeBlock time, Commit time).
fn run_block(
    rt: &tokio::runtime::Runtime,
    app: &mut App,
    keys: &[TestKey],
    n: usize,
    h: u64,
) -> (Duration, Duration) {
    let txs = block_txs(keys, n, h - 1);
    rt.block_on(async {
        let start = Instant::now();
        let r = app.finalize_block(h, time(h), &txs, &[]).await.unwrap();
        let exec = start.elapsed();
        assert!(
            r.tx_results.iter().all(|t| t.code == 0),
            "{}",
            r.tx_results[0].log
        );
        let start = Instant::now();
        app.commit().await.unwrap();
        (exec, start.elapsed())
    })
}

fn bench_blocks(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for n in [1_000usize, 10_000] {
        let Fixture {
            _dir,
            mut app,
            keys,
        } = rt.block_on(fixture(n));
        let mut height = 0u64;
        let mut g = c.benchmark_group(format!("block_of_{n}_txs"));
        g.sample_size(10);
        g.throughput(Throughput::Elements(n as u64));
        // FinalizeBlock only: decode, signature check, fee, MsgSend, app hash.
        // Commit only: writing the staged JMT batch to RocksDB.
        for (name, commit) in [("finalize_block", false), ("commit", true)] {
            g.bench_function(name, |b| {
                b.iter_custom(|iters| {
                    (0..iters)
                        .map(|_| {
                            height += 1;
                            let (exec, write) = run_block(&rt, &mut app, &keys, n, height);
                            if commit {
                                write
                            } else {
                                exec
                            }
                        })
                        .sum()
                })
            });
        }
        g.finish();
    }
}

fn bench_proofs(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let f = rt.block_on(fixture(100));
    let storage = f.app.storage();
    let q = QueryService::new(storage.clone(), ChainConfig::hub());
    let key = format!("balances/{}/uhub", f.keys[7].address().to_hex());
    let mut g = c.benchmark_group("proofs");
    g.throughput(Throughput::Elements(1));
    g.bench_function("generate", |b| {
        b.iter(|| rt.block_on(q.abci_query("store/bank/key", key.as_bytes(), 0, true)))
    });
    let a = rt.block_on(q.abci_query("store/bank/key", key.as_bytes(), 0, true));
    let proofs = a.proofs.unwrap();
    let inner = ics23::CommitmentProof::decode(proofs[0].2.as_slice()).unwrap();
    let outer = ics23::CommitmentProof::decode(proofs[1].2.as_slice()).unwrap();
    let snap = storage.latest_snapshot();
    let bank_root = rt
        .block_on(snap.prefix_root_hash("bank"))
        .unwrap()
        .0
        .to_vec();
    let app_hash = rt.block_on(snap.root_hash()).unwrap().0.to_vec();
    let spec = hub_framework::cnidarium::ics23_spec();
    g.bench_function("verify", |b| {
        b.iter(|| {
            assert!(ics23::verify_membership::<ics23::HostFunctionsManager>(
                &inner,
                &spec,
                &bank_root,
                key.as_bytes(),
                &a.value
            ));
            assert!(ics23::verify_membership::<ics23::HostFunctionsManager>(
                &outer, &spec, &app_hash, b"bank", &bank_root
            ));
        })
    });
    g.finish();
}

criterion_group!(benches, bench_blocks, bench_proofs);
criterion_main!(benches);
