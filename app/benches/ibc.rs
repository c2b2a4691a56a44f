//! ICS-20 `MsgRecvPacket` executed per second on one core (criterion): FinalizeBlock of a block
//! holding 200 receives (5 txs of 40 messages, the first also updating the client, as Hermes
//! batches them), each with its two-level ICS-23 proof verified against the client's root,
//! the voucher minted and the receipt and ack written. The same block of 200 forwards (each
//! packet's memo sends it on over a second channel: received into the intermediate account,
//! escrowed, a new packet committed, the forward recorded in flight, its ack deferred) gives
//! the cost a forward adds.
//!
//! Run with `cargo bench -p hub-app --bench ibc`; the figures go to docs/BENCHMARKS.md.

#![allow(clippy::unwrap_used)] // benchmark setup: a failure aborts the run
#![allow(missing_docs)] // criterion_main! generates an undocumented main

#[path = "../tests/common/mod.rs"]
mod common;

use common::{chain, forward_memo, transfer_msg, with_memo};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hub_testkit::ibc::{
    connect, open_channel, recv_msg, sent_packets, update_msg, ClientParams, Clock,
};
use hub_testkit::TestKey;
use std::time::Duration;

const PACKETS: usize = 200;
const PER_TX: usize = 40;

/// The receiving chain and the 5 txs of 200 receives of 1uhub each; with `forward`, each
/// packet's memo forwards it over a second channel of the receiving chain.
fn setup(
    rt: &tokio::runtime::Runtime,
    forward: bool,
) -> (hub_testkit::ibc::TestChain<common::AppNode>, Vec<Vec<u8>>) {
    rt.block_on(async {
        let clock = Clock::new(1_700_000_000);
        let alice = TestKey::new("alice");
        let mut a = chain("hub-1", &clock, &[&alice]).await;
        let mut b = chain("spoke-1", &clock, &[]).await;
        let mut link = connect(&mut a, &mut b, &ClientParams::default()).await;
        let ch = open_channel(
            &mut a,
            &mut b,
            &mut link,
            ("transfer", "transfer"),
            1,
            "ics20-1",
        )
        .await;
        let onward = open_channel(
            &mut a,
            &mut b,
            &mut link,
            ("transfer", "transfer"),
            1,
            "ics20-1",
        )
        .await;
        let memo = if forward {
            forward_memo(&alice.hub(), &onward.chan_b, "")
        } else {
            String::new()
        };
        let mut packets = Vec::new();
        while packets.len() < PACKETS {
            let far = (1, b.height + 10_000);
            let msgs = (0..PER_TX)
                .map(|_| {
                    let m =
                        transfer_msg(&alice.hub(), &ch.chan_a, "uhub", "1", &alice.hub(), far, 0);
                    with_memo(m, &memo)
                })
                .collect();
            let tx = a.sign_with(&alice, msgs).await;
            let r = a.block(vec![tx]).await.pop().unwrap().ok();
            packets.extend(sent_packets(&r));
        }
        let update = update_msg(&mut a, &b, &mut link.b).unwrap();
        let mut recvs = Vec::new();
        for p in &packets {
            recvs.push(recv_msg(&mut a, &b, p).await);
        }
        let seq0 = {
            use hub_testkit::ibc::Node;
            b.node.account(b.relayer.address().0).await.1
        };
        let relayer = b.relayer.clone();
        let mut txs = Vec::new();
        for (i, chunk) in recvs.chunks(PER_TX).enumerate() {
            let mut msgs = if i == 0 { vec![update.clone()] } else { vec![] };
            msgs.extend(chunk.iter().cloned());
            txs.push(b.sign_as_user(&relayer, seq0 + i as u64, msgs).await);
        }
        (b, txs)
    })
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut g = c.benchmark_group("ics20_recv");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(PACKETS as u64));
    for (name, forward) in [
        ("block_of_200_recv_packets", false),
        ("block_of_200_forwarded_packets", true),
    ] {
        let (mut b, txs) = setup(&rt, forward);
        run(&rt, &mut g, name, &mut b, &txs);
    }
    g.finish();
}

/// Benches FinalizeBlock of `txs` on `b` as `name`, after checking once that every tx
/// succeeds.
fn run(
    rt: &tokio::runtime::Runtime,
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    b: &mut hub_testkit::ibc::TestChain<common::AppNode>,
    txs: &[Vec<u8>],
) {
    let height = b.height + 1;
    let time = b.time();
    // Check once that every receive succeeds.
    let r = rt
        .block_on(b.node.app.finalize_block(height, time, txs, &[]))
        .unwrap();
    for o in &r.tx_results {
        assert_eq!(o.code, 0, "{}", o.log);
    }
    g.bench_function(name, |bench| {
        bench.iter(|| {
            rt.block_on(b.node.app.finalize_block(height, time, txs, &[]))
                .unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
