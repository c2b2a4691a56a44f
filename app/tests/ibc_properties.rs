//! Property tests over random interleavings of send / recv / ack / timeout between two
//! in-process hubs, with relays duplicated, reordered and dropped, on an UNORDERED ICS-20
//! channel and an ORDERED ping channel. After every step:
//! - no packet is both acknowledged and timed out, and none is received twice;
//! - an ack is only ever processed for a packet that was received;
//! - the ORDERED channel delivers sequences 1, 2, 3… without gaps;
//! - ICS-20 supply is conserved: the escrow on A equals the vouchers on B plus the amounts of
//!   packets still committed on A and not received on B.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{balance, chain_with, ping_runtime, supply, transfer_msg, AppNode};
use hub_auth::Address;
use hub_testkit::ibc::{
    connect_transfer, open_channel, relay_ack, relay_recv, relay_timeout, sent_packets,
    written_acks, ChannelPair, Clock, Link, Node, TestChain, TxResult,
};
use hub_testkit::TestKey;
use ibc_proto::ibc::core::channel::v1::Packet;
use proptest::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
enum Op {
    /// Send on the transfer (false) or ping (true) channel, timing out after `ttl` B-blocks.
    Send { ordered: bool, amount: u8, ttl: u8 },
    /// Relay the receive of the `i`-th packet sent (mod count), possibly again.
    Recv(usize),
    /// Relay the ack of the `i`-th written ack, possibly again.
    Ack(usize),
    /// Relay the timeout of the `i`-th packet.
    Timeout(usize),
    /// Let B produce blocks.
    Idle(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<bool>(), 1u8..50, 2u8..12).prop_map(|(ordered, amount, ttl)| Op::Send { ordered, amount, ttl }),
        4 => (0usize..16).prop_map(Op::Recv),
        3 => (0usize..16).prop_map(Op::Ack),
        2 => (0usize..16).prop_map(Op::Timeout),
        1 => (1u8..6).prop_map(Op::Idle),
    ]
}

struct World {
    a: TestChain<AppNode>,
    b: TestChain<AppNode>,
    link: Link,
    transfer: ChannelPair,
    ping: ChannelPair,
    alice: TestKey,
    sent: Vec<(Packet, u128)>,
    acks: Vec<(Packet, Vec<u8>)>,
    received: BTreeMap<(String, u64), u32>,
    settled: BTreeMap<(String, u64), &'static str>,
    ordered_delivered: Vec<u64>,
}

fn events(r: &TxResult, kind: &str) -> Vec<(String, u64)> {
    let ports = r.attr(kind, "packet_src_port");
    let chans = r.attr(kind, "packet_src_channel");
    let seqs = r.attr(kind, "packet_sequence");
    ports
        .into_iter()
        .zip(chans)
        .zip(seqs)
        .map(|((p, c), s)| (c + "/" + &p, s.parse().unwrap()))
        .collect()
}

impl World {
    async fn new() -> Self {
        let clock = Clock::new(1_700_000_000);
        let alice = TestKey::new("alice");
        let mut a = chain_with("hub-1", &clock, &[&alice], ping_runtime(), |_| {}).await;
        let mut b = chain_with("spoke-1", &clock, &[], ping_runtime(), |_| {}).await;
        let (mut link, transfer) = connect_transfer(&mut a, &mut b).await;
        let ping = open_channel(&mut a, &mut b, &mut link, ("ping", "ping"), 2, "ping-1").await;
        World {
            a,
            b,
            link,
            transfer,
            ping,
            alice,
            sent: vec![],
            acks: vec![],
            received: BTreeMap::new(),
            settled: BTreeMap::new(),
            ordered_delivered: vec![],
        }
    }

    async fn apply(&mut self, op: &Op) {
        match op {
            Op::Send {
                ordered,
                amount,
                ttl,
            } => {
                let timeout = (1, self.b.height + *ttl as u64 + 1);
                let m = if *ordered {
                    ibc_proto::google::protobuf::Any {
                        type_url: "/hub.ping.v1.MsgSendPing".into(),
                        value: prost::Message::encode_to_vec(&hub_proto::ping::v1::MsgSendPing {
                            sender: self.alice.hub(),
                            source_channel: self.ping.chan_a.clone(),
                            data: vec![*amount],
                            timeout_revision_number: timeout.0,
                            timeout_revision_height: timeout.1,
                            timeout_timestamp: 0,
                        }),
                    }
                } else {
                    let to = self.alice.hub();
                    transfer_msg(
                        &to,
                        &self.transfer.chan_a,
                        "uhub",
                        &amount.to_string(),
                        &to,
                        timeout,
                        0,
                    )
                };
                let alice = self.alice.clone();
                let tx = self.a.sign_with(&alice, vec![m]).await;
                let r = self.a.block(vec![tx]).await.pop().unwrap();
                let value = if *ordered { 0 } else { *amount as u128 };
                self.sent
                    .extend(sent_packets(&r).into_iter().map(|p| (p, value)));
            }
            Op::Recv(i) if !self.sent.is_empty() => {
                let p = self.sent[i % self.sent.len()].0.clone();
                let r = relay_recv(&mut self.a, &mut self.b, &mut self.link.b, &p).await;
                for k in events(&r, "recv_packet") {
                    *self.received.entry(k).or_default() += 1;
                    if p.source_port == "ping" {
                        self.ordered_delivered.push(p.sequence);
                    }
                }
                self.acks.extend(written_acks(&r));
            }
            Op::Ack(i) if !self.acks.is_empty() => {
                let (p, ack) = self.acks[i % self.acks.len()].clone();
                let r = relay_ack(&mut self.b, &mut self.a, &mut self.link.a, &p, &ack).await;
                for k in events(&r, "acknowledge_packet") {
                    assert!(
                        self.received.contains_key(&k),
                        "ack of a packet never received: {k:?}"
                    );
                    assert!(
                        self.settled.insert(k.clone(), "acked").is_none(),
                        "settled twice: {k:?}"
                    );
                }
            }
            Op::Timeout(i) if !self.sent.is_empty() => {
                let p = self.sent[i % self.sent.len()].0.clone();
                let ordering = if p.source_port == "ping" { 2 } else { 1 };
                let r =
                    relay_timeout(&mut self.b, &mut self.a, &mut self.link.a, &p, ordering).await;
                for k in events(&r, "timeout_packet") {
                    assert!(
                        !self.received.contains_key(&k),
                        "timed out a received packet: {k:?}"
                    );
                    assert!(
                        self.settled.insert(k.clone(), "timed out").is_none(),
                        "settled twice: {k:?}"
                    );
                }
            }
            Op::Idle(n) => self.b.idle(*n as u64).await,
            _ => {}
        }
    }

    async fn check(&self) {
        for (k, n) in &self.received {
            assert_eq!(*n, 1, "received {k:?} {n} times");
        }
        for (i, s) in self.ordered_delivered.iter().enumerate() {
            assert_eq!(
                *s,
                i as u64 + 1,
                "ordered channel delivered {:?}",
                self.ordered_delivered
            );
        }
        // ICS-20 conservation over real state
        let esc = {
            let mut pre = b"ics20-1".to_vec();
            pre.push(0);
            pre.extend_from_slice(format!("transfer/{}", self.transfer.chan_a).as_bytes());
            Address(Sha256::digest(&pre)[..20].try_into().unwrap())
        };
        let voucher = format!(
            "ibc/{}",
            hex::encode_upper(Sha256::digest(format!(
                "transfer/{}/uhub",
                self.transfer.chan_b
            )))
        );
        let mut in_flight = 0u128;
        for (p, amount) in self
            .sent
            .iter()
            .filter(|(p, _)| p.source_port == "transfer")
        {
            let c = format!(
                "ibc/commitments/ports/transfer/channels/{}/sequences/{}",
                p.source_channel, p.sequence
            );
            let r = format!(
                "ibc/receipts/ports/transfer/channels/{}/sequences/{}",
                p.destination_channel, p.sequence
            );
            let committed = !self.a.node.query(&c, self.a.height).await.0.is_empty();
            let received = !self.b.node.query(&r, self.b.height).await.0.is_empty();
            if committed && !received {
                in_flight += amount;
            }
        }
        assert_eq!(
            balance(&self.a, &esc, "uhub").await,
            supply(&self.b, &voucher).await + in_flight,
            "escrow = vouchers + in flight"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn random_relaying_keeps_every_packet_invariant(ops in proptest::collection::vec(op(), 1..40)) {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(async {
            let mut w = World::new().await;
            for op in &ops {
                w.apply(op).await;
                w.check().await;
            }
        });
    }
}

/// A fixed interleaving that exercises every operation, so the property above is known to
/// reach receives, acks, timeouts and redundant relays (and not only failing relays).
#[tokio::test]
async fn a_fixed_interleaving_reaches_every_kind_of_settlement() {
    let mut w = World::new().await;
    let ops = [
        Op::Send {
            ordered: false,
            amount: 10,
            ttl: 50,
        },
        Op::Send {
            ordered: true,
            amount: 1,
            ttl: 50,
        },
        Op::Recv(0),
        Op::Recv(0), // duplicate: a no-op
        Op::Recv(1),
        Op::Ack(0),
        Op::Ack(0), // duplicate: a no-op
        Op::Send {
            ordered: false,
            amount: 7,
            ttl: 2,
        },
        Op::Idle(4),
        Op::Recv(2), // too late: refused
        Op::Timeout(2),
        Op::Timeout(2), // duplicate: a no-op
    ];
    for op in &ops {
        w.apply(op).await;
        w.check().await;
    }
    assert_eq!(w.received.len(), 2);
    let kinds: Vec<&str> = w.settled.values().copied().collect();
    assert!(
        kinds.contains(&"acked") && kinds.contains(&"timed out"),
        "{kinds:?}"
    );
    assert_eq!(w.ordered_delivered, vec![1]);
}
