//! Property test of the router: random interleavings of transfers from A to the hub H (plain,
//! forwarded to B, forwarded to a receiver B refuses), relays in any order and repeated,
//! downstream timeouts, guardian pauses of either hub channel, a send and a receive flow limit
//! on the hub, and time passing. Between three in-process chains with real headers and proofs.
//!
//! After every step, at each hop, value is conserved (ICS-20 escrow and supply invariants,
//! extended to forwards): the escrow on the sending side equals the vouchers on the receiving
//! side plus the packets whose value is still owed back to the sender, i.e. still committed
//! and either not yet received or answered with an error acknowledgement. A forward that
//! fails downstream (error ack, timeout, pause, limit) burns the hub's vouchers and error-acks
//! the origin; nothing is minted twice and nothing received twice.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{balance, chain, chain_with, forward_memo, supply, transfer_msg, with_memo, AppNode};
use hub_auth::Address;
use hub_testkit::ibc::{
    connect_transfer, relay_ack, relay_recv, relay_timeout, sent_packets, written_acks,
    ChannelPair, Clock, Link, Node, TestChain, TxResult,
};
use hub_testkit::TestKey;
use ibc_proto::ibc::core::channel::v1::Packet;
use proptest::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

const OK_ACK: &[u8] = br#"{"result":"AQ=="}"#;

#[derive(Clone, Debug)]
enum Op {
    /// Alice sends `amount` uhub from A: to an account on H (`kind` 0), forwarded to carol on
    /// B (1), or forwarded to a receiver B refuses (2).
    Send { amount: u8, kind: u8 },
    /// Relay the `i`-th packet A sent to H (possibly again).
    RecvOnH(usize),
    /// Relay the `i`-th packet H forwarded to B (possibly again).
    RecvOnB(usize),
    /// Relay the `i`-th ack B wrote back to H.
    AckToH(usize),
    /// Relay the `i`-th ack H wrote back to A.
    AckToA(usize),
    /// Relay the timeout of the `i`-th forward (refused unless B passed its timeout).
    TimeoutOnH(usize),
    /// The guardian pauses H's channel from A (`false`) or to B (`true`) for `secs` seconds.
    Pause { to_b: bool, secs: u8 },
    /// Every chain makes `n` blocks (the shared clock moves a second a block).
    Idle(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (1u8..60, 0u8..3).prop_map(|(amount, kind)| Op::Send { amount, kind }),
        5 => (0usize..16).prop_map(Op::RecvOnH),
        4 => (0usize..16).prop_map(Op::RecvOnB),
        3 => (0usize..16).prop_map(Op::AckToH),
        3 => (0usize..16).prop_map(Op::AckToA),
        1 => (0usize..16).prop_map(Op::TimeoutOnH),
        1 => (any::<bool>(), 5u8..40).prop_map(|(to_b, secs)| Op::Pause { to_b, secs }),
        2 => (1u8..12).prop_map(Op::Idle),
    ]
}

fn voucher(path: &str) -> String {
    format!("ibc/{}", hex::encode_upper(Sha256::digest(path.as_bytes())))
}

fn escrow(chan: &str) -> Address {
    hub_transfer::escrow_address("transfer", chan)
}

fn amount(p: &Packet) -> u128 {
    let d: serde_json::Value = serde_json::from_slice(&p.data).unwrap();
    d["amount"].as_str().unwrap().parse().unwrap()
}

/// `(chain, destination channel, sequence)` of every packet `chain` received in `r`.
fn received(chain: &'static str, r: &TxResult) -> Vec<(&'static str, String, String)> {
    let chans = r.attr("recv_packet", "packet_dst_channel");
    let seqs = r.attr("recv_packet", "packet_sequence");
    chans
        .into_iter()
        .zip(seqs)
        .map(|(c, s)| (chain, c, s))
        .collect()
}

struct World {
    a: TestChain<AppNode>,
    h: TestChain<AppNode>,
    b: TestChain<AppNode>,
    ah: Link,
    hb: Link,
    ah_ch: ChannelPair,
    hb_ch: ChannelPair,
    alice: TestKey,
    guardian: TestKey,
    carol: TestKey,
    /// Packets A sent to H, and those H forwarded to B.
    a_sent: Vec<Packet>,
    h_sent: Vec<Packet>,
    /// Acks written on B (for H's packets) and on H (for A's packets).
    b_acks: Vec<(Packet, Vec<u8>)>,
    h_acks: Vec<(Packet, Vec<u8>)>,
    receipts: BTreeMap<(&'static str, String, String), u32>,
}

/// The hub's genesis: a guardian, and flow limits on A's token (10 % of 1000 out to B, 20 %
/// of 1000 in from A per window), so that random traffic crosses them.
fn hub_genesis(g: &mut serde_json::Value) {
    let v_h = voucher("transfer/channel-0/uhub");
    let limit = |chan: &str, send: &str, recv: &str| {
        serde_json::json!({
            "path": {"denom": v_h, "channel_or_client_id": chan},
            "quota": {"max_percent_send": send, "max_percent_recv": recv, "duration_hours": "1"},
            "flow": {"inflow": "0", "outflow": "0", "channel_value": "1000"}
        })
    };
    g["ratelimit"] = serde_json::json!({
        "rate_limits": [limit("channel-0", "100", "20"), limit("channel-1", "10", "100")]
    });
    g["circuit"] = serde_json::json!({
        "params": {"guardian": TestKey::new("guardian").hub(), "max_pause_seconds": "3600"}
    });
}

impl World {
    async fn new() -> Self {
        let clock = Clock::new(1_700_000_000);
        let (alice, carol) = (TestKey::new("alice"), TestKey::new("carol"));
        let guardian = TestKey::new("guardian");
        let mut a = chain("spoke-1", &clock, &[&alice]).await;
        let cfg = hub_app::ChainConfig::hub();
        let mut h = chain_with("hub-1", &clock, &[&guardian], cfg, hub_genesis).await;
        let mut b = chain("spoke-2", &clock, &[&carol]).await;
        let (ah, ah_ch) = connect_transfer(&mut a, &mut h).await;
        let (hb, hb_ch) = connect_transfer(&mut h, &mut b).await;
        assert_eq!(
            (ah_ch.chan_b.as_str(), hb_ch.chan_a.as_str()),
            ("channel-0", "channel-1")
        );
        World {
            a,
            h,
            b,
            ah,
            hb,
            ah_ch,
            hb_ch,
            alice,
            guardian,
            carol,
            a_sent: vec![],
            h_sent: vec![],
            b_acks: vec![],
            h_acks: vec![],
            receipts: BTreeMap::new(),
        }
    }

    /// Records what a tx on H did: packets forwarded, acks written, packets received.
    fn on_h(&mut self, r: &TxResult) {
        self.h_sent.extend(sent_packets(r));
        self.h_acks.extend(written_acks(r));
        self.count("H", r);
    }

    fn count(&mut self, chain: &'static str, r: &TxResult) {
        for k in received(chain, r) {
            *self.receipts.entry(k).or_default() += 1;
        }
    }

    async fn send(&mut self, amount: u8, kind: u8) {
        let memo = match kind {
            0 => String::new(),
            _ => {
                let to = if kind == 1 {
                    self.carol.hub()
                } else {
                    "not-an-address".into()
                };
                forward_memo(&to, &self.hb_ch.chan_a, r#","timeout":"20s","retries":0"#)
            }
        };
        let to = self.alice.hub();
        let timeout = (self.h.revision(), self.h.height + 1000);
        let m = transfer_msg(
            &to,
            &self.ah_ch.chan_a,
            "uhub",
            &amount.to_string(),
            &to,
            timeout,
            0,
        );
        let m = with_memo(m, &memo);
        let alice = self.alice.clone();
        let tx = self.a.sign_with(&alice, vec![m]).await;
        let r = self.a.block(vec![tx]).await.pop().unwrap();
        self.a_sent.extend(sent_packets(&r));
    }

    async fn apply(&mut self, op: &Op) {
        let pick = |v: usize, i: usize| i % v.max(1);
        match *op {
            Op::Send { amount, kind } => self.send(amount, kind).await,
            Op::RecvOnH(i) if !self.a_sent.is_empty() => {
                let p = self.a_sent[pick(self.a_sent.len(), i)].clone();
                let r = relay_recv(&mut self.a, &mut self.h, &mut self.ah.b, &p).await;
                self.on_h(&r);
            }
            Op::RecvOnB(i) if !self.h_sent.is_empty() => {
                let p = self.h_sent[pick(self.h_sent.len(), i)].clone();
                let r = relay_recv(&mut self.h, &mut self.b, &mut self.hb.b, &p).await;
                self.b_acks.extend(written_acks(&r));
                self.count("B", &r);
            }
            Op::AckToH(i) if !self.b_acks.is_empty() => {
                let (p, ack) = self.b_acks[pick(self.b_acks.len(), i)].clone();
                let r = relay_ack(&mut self.b, &mut self.h, &mut self.hb.a, &p, &ack).await;
                self.on_h(&r);
            }
            Op::AckToA(i) if !self.h_acks.is_empty() => {
                let (p, ack) = self.h_acks[pick(self.h_acks.len(), i)].clone();
                relay_ack(&mut self.h, &mut self.a, &mut self.ah.a, &p, &ack).await;
            }
            Op::TimeoutOnH(i) if !self.h_sent.is_empty() => {
                let p = self.h_sent[pick(self.h_sent.len(), i)].clone();
                let r = relay_timeout(&mut self.b, &mut self.h, &mut self.hb.a, &p, 1).await;
                self.on_h(&r);
            }
            Op::Pause { to_b, secs } => {
                let chan = if to_b {
                    &self.hb_ch.chan_a
                } else {
                    &self.ah_ch.chan_b
                };
                let m = common::gov::raw_any(
                    "/hub.circuit.v1.MsgPause",
                    &hub_proto::circuit::v1::MsgPause {
                        signer: self.guardian.hub(),
                        channel_id: chan.clone(),
                        denom: String::new(),
                        duration_seconds: secs.into(),
                        reason: "property test".into(),
                        propagate: false,
                    },
                );
                let g = self.guardian.clone();
                let tx = self.h.sign_with(&g, vec![m]).await;
                self.h.block(vec![tx]).await;
            }
            Op::Idle(n) => {
                for _ in 0..n {
                    self.a.block(vec![]).await;
                    self.h.block(vec![]).await;
                    self.b.block(vec![]).await;
                }
            }
            _ => {}
        }
    }

    /// Whether `p`'s commitment is still on `src`, and what `dst` did with it: `None` not
    /// received, `Some(None)` received with no ack yet (a forward in flight), `Some(Some(ok))`
    /// acknowledged, `ok` false for an error ack.
    async fn fate(
        src: &TestChain<AppNode>,
        dst: &TestChain<AppNode>,
        p: &Packet,
    ) -> (bool, Option<Option<bool>>) {
        let at = |kind: &str, port: &str, chan: &str| {
            format!(
                "ibc/{kind}/ports/{port}/channels/{chan}/sequences/{}",
                p.sequence
            )
        };
        let c = at("commitments", &p.source_port, &p.source_channel);
        let committed = !src.node.query(&c, src.height).await.0.is_empty();
        let r = at("receipts", &p.destination_port, &p.destination_channel);
        if dst.node.query(&r, dst.height).await.0.is_empty() {
            return (committed, None);
        }
        let a = at("acks", &p.destination_port, &p.destination_channel);
        let ack = dst.node.query(&a, dst.height).await.0;
        let ok = Sha256::digest(OK_ACK).to_vec();
        (committed, Some((!ack.is_empty()).then(|| ack == ok)))
    }

    /// The value still owed back to the sender over one hop: packets committed on `src` that
    /// `dst` has not received or answered with an error ack.
    async fn owed(src: &TestChain<AppNode>, dst: &TestChain<AppNode>, sent: &[Packet]) -> u128 {
        let mut owed = 0;
        for p in sent {
            match Self::fate(src, dst, p).await {
                (true, None) | (true, Some(Some(false))) => owed += amount(p),
                _ => {}
            }
        }
        owed
    }

    async fn check(&self) {
        for (k, n) in &self.receipts {
            assert_eq!(*n, 1, "received {k:?} {n} times");
        }
        let v_h = voucher(&format!("transfer/{}/uhub", self.ah_ch.chan_b));
        let v_b = voucher(&format!(
            "transfer/{}/transfer/{}/uhub",
            self.hb_ch.chan_b, self.ah_ch.chan_b
        ));
        // A → H: A's escrow backs H's vouchers and what H still owes back.
        let esc_a = balance(&self.a, &escrow(&self.ah_ch.chan_a), "uhub").await;
        let owed_a = Self::owed(&self.a, &self.h, &self.a_sent).await;
        assert_eq!(esc_a, supply(&self.h, &v_h).await + owed_a, "A's escrow");
        // H → B: H's escrow (of its vouchers) backs B's vouchers and what B owes back.
        let esc_h = balance(&self.h, &escrow(&self.hb_ch.chan_a), &v_h).await;
        let owed_h = Self::owed(&self.h, &self.b, &self.h_sent).await;
        assert_eq!(esc_h, supply(&self.b, &v_b).await + owed_h, "H's escrow");
        // the hub's intermediate accounts pass everything on: no voucher rests there
        let mid =
            hub_transfer::forward::intermediate_receiver(&self.ah_ch.chan_b, &self.alice.hub());
        assert_eq!(
            balance(&self.h, &mid, &v_h).await,
            0,
            "intermediate account"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn random_forwards_limits_and_pauses_conserve_value_at_every_hop(
        ops in proptest::collection::vec(op(), 20..45)
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let mut w = World::new().await;
            for op in &ops {
                w.apply(op).await;
                w.check().await;
            }
        });
    }
}
