//! ICS-20 packet messages executed per second on one core (criterion): FinalizeBlock of a block
//! holding 200 receives (5 txs of 40 messages, the first also updating the client, as Hermes
//! batches them), each with its two-level ICS-23 proof verified against the client's root,
//! the voucher minted and the receipt and ack written. The same block of 200 forwards (each
//! packet's memo sends it on over a second channel: received into the intermediate account,
//! escrowed, a new packet committed, the forward recorded in flight, its ack deferred) gives
//! the cost a forward adds. On the sending chain, the block of 200 `MsgAcknowledgement`s of
//! those packets (each proven against the receiver's root, the commitment deleted, the
//! success ack handed to ICS-20) and the block of 200 `MsgTimeout`s of packets the receiver
//! never got (each receipt's absence proven, the commitment deleted, the escrow refunded).
//!
//! Run with `cargo bench -p hub-app --bench ibc`; the figures go to docs/BENCHMARKS.md.

#![allow(clippy::unwrap_used)] // benchmark setup: a failure aborts the run
#![allow(missing_docs)] // criterion_main! generates an undocumented main

#[path = "../tests/common/mod.rs"]
mod common;

use common::{chain, forward_memo, transfer_msg, with_memo};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hub_testkit::ibc::{
    any, connect, open_transfer_channel, recv_msg, sent_packets, update_msg, written_acks,
    ClientParams, Clock, Link, TestChain,
};
use hub_testkit::TestKey;
use ibc_proto::google::protobuf::Any as IbcAny;
use ibc_proto::ibc::core::channel::v1 as chpb;
use std::time::Duration;

const PACKETS: usize = 200;
const PER_TX: usize = 40;

type Chain = TestChain<common::AppNode>;

/// Two connected chains, `a` (the sender, "hub-1", with a funded `alice`) and `b`, with two
/// transfer channels, and the 200 packets of 1uhub that `a` sent over the first one, timing
/// out at `b`'s height `timeout` (revision 1). With `forward`, each packet's memo forwards it
/// over the second channel of `b`.
async fn sent(
    forward: bool,
    timeout: impl Fn(u64) -> u64,
) -> (Chain, Chain, Link, Vec<chpb::Packet>) {
    let clock = Clock::new(1_700_000_000);
    let alice = TestKey::new("alice");
    let mut a = chain("hub-1", &clock, &[&alice]).await;
    let mut b = chain("spoke-1", &clock, &[]).await;
    let mut link = connect(&mut a, &mut b, &ClientParams::default()).await;
    // The load's channel, then the one a forward goes on over.
    let mut channels = Vec::new();
    for _ in 0..2 {
        let ch = open_transfer_channel(&mut a, &mut b, &mut link);
        channels.push(ch.await);
    }
    let (ch, onward) = (&channels[0], &channels[1]);
    let memo = if forward {
        forward_memo(&alice.hub(), &onward.chan_b, "")
    } else {
        String::new()
    };
    let mut packets = Vec::new();
    while packets.len() < PACKETS {
        let until = (1, timeout(b.height));
        let msgs = (0..PER_TX)
            .map(|_| {
                let m = transfer_msg(
                    &alice.hub(),
                    &ch.chan_a,
                    "uhub",
                    "1",
                    &alice.hub(),
                    until,
                    0,
                );
                with_memo(m, &memo)
            })
            .collect();
        let tx = a.sign_with(&alice, msgs).await;
        let r = a.block(vec![tx]).await.pop().unwrap().ok();
        packets.extend(sent_packets(&r));
    }
    (a, b, link, packets)
}

/// `msgs` as the 5 txs of 40 a relayer of `on` sends, the first led by `update`.
async fn relayer_txs(on: &mut Chain, update: Option<IbcAny>, msgs: Vec<IbcAny>) -> Vec<Vec<u8>> {
    let seq0 = {
        use hub_testkit::ibc::Node;
        on.node.account(on.relayer.address().0).await.1
    };
    let relayer = on.relayer.clone();
    let mut txs = Vec::new();
    for (i, chunk) in msgs.chunks(PER_TX).enumerate() {
        let mut all: Vec<IbcAny> = if i == 0 {
            update.clone().into_iter().collect()
        } else {
            vec![]
        };
        all.extend(chunk.iter().cloned());
        txs.push(on.sign_as_user(&relayer, seq0 + i as u64, all).await);
    }
    txs
}

/// The receiving chain and the 5 txs of 200 receives of 1uhub each; with `forward`, each
/// packet's memo forwards it over a second channel of the receiving chain.
async fn receives(forward: bool) -> (Chain, Vec<Vec<u8>>) {
    let (mut a, mut b, mut link, packets) = sent(forward, |h| h + 10_000).await;
    let update = update_msg(&mut a, &b, &mut link.b);
    let mut recvs = Vec::new();
    for p in &packets {
        recvs.push(recv_msg(&mut a, &b, p).await);
    }
    let txs = relayer_txs(&mut b, update, recvs).await;
    (b, txs)
}

/// The proof on the receiver `b` of its `kind` path (`acks`, `receipts`) for `p`, and its height.
async fn prove_at_receiver(
    b: &mut Chain,
    kind: &str,
    p: &chpb::Packet,
) -> (Vec<u8>, ibc_proto::ibc::core::client::v1::Height) {
    let (dp, dc, seq) = (&p.destination_port, &p.destination_channel, p.sequence);
    let (_, proof, height) = b
        .prove(&format!("{kind}/ports/{dp}/channels/{dc}/sequences/{seq}"))
        .await;
    (proof, height)
}

/// The sending chain and the 5 txs of the 200 acknowledgements the receiver wrote.
async fn acknowledgements() -> (Chain, Vec<Vec<u8>>) {
    let (mut a, mut b, mut link, packets) = sent(false, |h| h + 10_000).await;
    let update = update_msg(&mut a, &b, &mut link.b);
    let mut recvs = Vec::new();
    for p in &packets {
        recvs.push(recv_msg(&mut a, &b, p).await);
    }
    let mut acks = Vec::new();
    for tx in relayer_txs(&mut b, update, recvs).await {
        let r = b.block(vec![tx]).await.pop().unwrap().ok();
        acks.extend(written_acks(&r));
    }
    let mut msgs = Vec::new();
    for (p, ack) in &acks {
        let (proof, ph) = prove_at_receiver(&mut b, "acks", p).await;
        msgs.push(any(&chpb::MsgAcknowledgement {
            packet: Some(p.clone()),
            acknowledgement: ack.clone(),
            proof_acked: proof,
            proof_height: Some(ph),
            signer: a.relayer_address(),
        }));
    }
    let update = update_msg(&mut b, &a, &mut link.a);
    let txs = relayer_txs(&mut a, update, msgs).await;
    (a, txs)
}

/// The sending chain and the 5 txs of 200 timeouts: the packets expire at the receiver's next
/// height, which passes without them.
async fn timeouts() -> (Chain, Vec<Vec<u8>>) {
    let (mut a, mut b, mut link, packets) = sent(false, |h| h + 1).await;
    b.idle(3).await;
    let mut msgs = Vec::new();
    for p in &packets {
        let (proof, ph) = prove_at_receiver(&mut b, "receipts", p).await;
        msgs.push(any(&chpb::MsgTimeout {
            packet: Some(p.clone()),
            proof_unreceived: proof,
            proof_height: Some(ph),
            next_sequence_recv: 0,
            signer: a.relayer_address(),
        }));
    }
    let update = update_msg(&mut b, &a, &mut link.a);
    let txs = relayer_txs(&mut a, update, msgs).await;
    (a, txs)
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut g = c.benchmark_group("ics20_packets");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(PACKETS as u64));
    for (name, forward) in [
        ("block_of_200_recv_packets", false),
        ("block_of_200_forwarded_packets", true),
    ] {
        let (mut b, txs) = rt.block_on(receives(forward));
        run(&rt, &mut g, name, &mut b, &txs);
    }
    let (mut a, txs) = rt.block_on(acknowledgements());
    run(&rt, &mut g, "block_of_200_acknowledgements", &mut a, &txs);
    let (mut a, txs) = rt.block_on(timeouts());
    run(&rt, &mut g, "block_of_200_timeouts", &mut a, &txs);
    g.finish();
}

/// Benches FinalizeBlock of `txs` on `b` as `name`, after checking once that every tx
/// succeeds.
fn run(
    rt: &tokio::runtime::Runtime,
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    b: &mut Chain,
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
