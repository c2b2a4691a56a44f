//! The queries a relayer makes over many pending packets, on a committed store (RocksDB + JMT)
//! holding 10 000 packet commitments on one UNORDERED channel and 5 000 receipts on another:
//! `PacketCommitments` (one page of all 10 000, as Hermes asks), `UnreceivedPackets` and
//! `UnreceivedAcks` with 10 000 sequences each. Prints p50 and p99 of 50 runs of each.
//!
//! Run with `cargo bench -p hub-ibc --bench relayer_queries`; the figures go to
//! docs/BENCHMARKS.md.

#![allow(clippy::unwrap_used)] // benchmark setup: a failure aborts the run
#![allow(missing_docs)] // a benchmark binary

use cnidarium::StateDelta;
use hub_ibc::channel::{ChanState, ChannelEnd, ChannelWrite, Counterparty, Order};
use hub_ibc::query::{packet_commitments, unreceived_acks, unreceived_packets, Host};
use ibc_proto::cosmos::base::query::v1beta1::PageRequest;
use ibc_proto::ibc::core::channel::v1 as chpb;
use std::time::{Duration, Instant};

const PENDING: u64 = 10_000;
const RUNS: usize = 50;

fn channel(cp_chan: &str) -> ChannelEnd {
    ChannelEnd {
        state: ChanState::Open.to_i32(),
        ordering: Order::Unordered.to_i32(),
        counterparty: Some(Counterparty {
            port_id: "transfer".into(),
            channel_id: cp_chan.into(),
        }),
        connection_hops: vec!["connection-0".into()],
        version: "ics20-1".into(),
        upgrade_sequence: 0,
    }
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |p: usize| samples[(samples.len() - 1) * p / 100];
    (at(50), at(99))
}

async fn measure<F, Fut>(name: &str, mut run: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let mut samples = Vec::with_capacity(RUNS);
    let mut answered = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        answered = run().await;
        samples.push(start.elapsed());
    }
    let (p50, p99) = percentiles(samples);
    println!("{name:<40} {answered:>6} rows  p50 {p50:>10.2?}  p99 {p99:>10.2?}");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let storage = cnidarium::Storage::load(dir.path().join("db"), vec!["ibc".into()])
        .await
        .unwrap();
    let mut delta = StateDelta::new(storage.latest_snapshot());
    delta.put_channel("transfer", "channel-0", &channel("channel-0"));
    delta.put_channel("transfer", "channel-1", &channel("channel-1"));
    for seq in 1..=PENDING {
        delta.put_packet_commitment("transfer", "channel-0", seq, [seq as u8; 32]);
        if seq % 2 == 0 {
            delta.put_receipt("transfer", "channel-1", seq, &[1]);
        }
    }
    storage.commit(delta).await.unwrap();
    let snap = storage.latest_snapshot();
    let host = Host::new("hub-1", snap.version(), Some(1_000_000_000));
    let all: Vec<u64> = (1..=PENDING).collect();

    measure("PacketCommitments (one page of 10 000)", || async {
        let req = chpb::QueryPacketCommitmentsRequest {
            port_id: "transfer".into(),
            channel_id: "channel-0".into(),
            pagination: Some(PageRequest {
                limit: PENDING,
                ..Default::default()
            }),
        };
        packet_commitments(&snap, &host, &req)
            .await
            .unwrap()
            .commitments
            .len()
    })
    .await;
    measure("UnreceivedPackets (10 000 asked)", || async {
        let req = chpb::QueryUnreceivedPacketsRequest {
            port_id: "transfer".into(),
            channel_id: "channel-1".into(),
            packet_commitment_sequences: all.clone(),
        };
        unreceived_packets(&snap, &host, &req)
            .await
            .unwrap()
            .sequences
            .len()
    })
    .await;
    measure("UnreceivedAcks (10 000 asked)", || async {
        let req = chpb::QueryUnreceivedAcksRequest {
            port_id: "transfer".into(),
            channel_id: "channel-0".into(),
            packet_ack_sequences: all.clone(),
        };
        unreceived_acks(&snap, &host, &req)
            .await
            .unwrap()
            .sequences
            .len()
    })
    .await;
}
