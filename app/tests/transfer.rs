//! ICS-20 between in-process hub instances with real headers and proofs: escrow and vouchers
//! there and back, multi-hop traces, refunds on timeout and on error acks, queries.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{balance, chain, supply, transfer_msg, AppNode};
use hub_auth::Address;
use hub_testkit::ibc::{
    connect_transfer, relay_ack, relay_recv, relay_timeout, sent_packets, written_acks,
    ChannelPair, Clock, Link, TestChain, TxResult,
};
use hub_testkit::TestKey;
use ibc_proto::ibc::applications::transfer::v1 as tpb;
use ibc_proto::ibc::core::channel::v1::Packet;
use prost::Message;
use sha2::{Digest, Sha256};

const FEE: u128 = 10_000;

fn voucher(path: &str) -> String {
    format!("ibc/{}", hex::encode_upper(Sha256::digest(path.as_bytes())))
}

fn escrow(port: &str, chan: &str) -> Address {
    let mut pre = b"ics20-1".to_vec();
    pre.push(0);
    pre.extend_from_slice(format!("{port}/{chan}").as_bytes());
    Address(Sha256::digest(&pre)[..20].try_into().unwrap())
}

async fn send(
    chain: &mut TestChain<AppNode>,
    key: &TestKey,
    m: ibc_proto::google::protobuf::Any,
) -> TxResult {
    let tx = chain.sign_with(key, vec![m]).await;
    chain.block(vec![tx]).await.pop().unwrap()
}

struct Net {
    a: TestChain<AppNode>,
    b: TestChain<AppNode>,
    ab: Link,
    ch: ChannelPair,
    alice: TestKey,
    bob: TestKey,
}

impl Net {
    /// Alice sends `amount` uhub from A to `receiver`, timing out at B's height `timeout`;
    /// the send must succeed. Returns the packet.
    async fn alice_sends(&mut self, amount: &str, receiver: &str, timeout: u64) -> Packet {
        let from = self.alice.hub();
        let m = transfer_msg(
            &from,
            &self.ch.chan_a,
            "uhub",
            amount,
            receiver,
            (1, timeout),
            0,
        );
        let alice = self.alice.clone();
        let r = send(&mut self.a, &alice, m).await.ok();
        sent_packets(&r).pop().unwrap()
    }
}

async fn net() -> Net {
    let clock = Clock::new(1_700_000_000);
    let (alice, bob) = (TestKey::new("alice"), TestKey::new("bob"));
    let mut a = chain("hub-1", &clock, &[&alice]).await;
    let mut b = chain("spoke-1", &clock, &[&bob]).await;
    let (ab, ch) = connect_transfer(&mut a, &mut b).await;
    Net {
        a,
        b,
        ab,
        ch,
        alice,
        bob,
    }
}

/// Sends `amount` of `denom` from `from` on `src` over `chan`, relays it to `dst` and the ack
/// back; returns the ack.
#[allow(clippy::too_many_arguments)]
async fn hop(
    src: &mut TestChain<AppNode>,
    dst: &mut TestChain<AppNode>,
    link: &mut Link,
    forward: bool,
    from: &TestKey,
    chan: &str,
    denom: &str,
    amount: &str,
    to: &str,
) -> Vec<u8> {
    let far = dst.height + 1000;
    let m = transfer_msg(
        &from.hub(),
        chan,
        denom,
        amount,
        to,
        (dst.revision(), far),
        0,
    );
    let r = send(src, from, m).await.ok();
    let p = sent_packets(&r).pop().unwrap();
    let (dst_end, src_end) = if forward {
        (&mut link.b, &mut link.a)
    } else {
        (&mut link.a, &mut link.b)
    };
    let r = relay_recv(src, dst, dst_end, &p).await.ok();
    let (p, ack) = written_acks(&r).pop().unwrap();
    relay_ack(dst, src, src_end, &p, &ack).await.ok();
    ack
}

#[tokio::test]
async fn tokens_go_out_as_vouchers_and_come_back_unescrowed() {
    let mut n = net().await;
    let (alice, bob) = (n.alice.address(), n.bob.address());
    let a0 = balance(&n.a, &alice, "uhub").await;
    let esc = escrow("transfer", &n.ch.chan_a);
    let ack = hop(
        &mut n.a,
        &mut n.b,
        &mut n.ab,
        true,
        &n.alice,
        &n.ch.chan_a,
        "uhub",
        "100",
        &n.bob.hub(),
    )
    .await;
    assert_eq!(ack, br#"{"result":"AQ=="}"#);
    assert_eq!(balance(&n.a, &alice, "uhub").await, a0 - 100 - FEE);
    assert_eq!(balance(&n.a, &esc, "uhub").await, 100);
    let v = voucher(&format!("transfer/{}/uhub", n.ch.chan_b));
    assert_eq!(balance(&n.b, &bob, &v).await, 100);
    assert_eq!(supply(&n.b, &v).await, 100);
    // back: the voucher is burned on B and the escrow released on A
    let ack = hop(
        &mut n.b,
        &mut n.a,
        &mut n.ab,
        false,
        &n.bob,
        &n.ch.chan_b,
        &v,
        "40",
        &n.alice.hub(),
    )
    .await;
    assert_eq!(ack, br#"{"result":"AQ=="}"#);
    assert_eq!(balance(&n.b, &bob, &v).await, 60);
    assert_eq!(supply(&n.b, &v).await, 60);
    assert_eq!(balance(&n.a, &esc, "uhub").await, 60);
    assert_eq!(balance(&n.a, &alice, "uhub").await, a0 - 60 - FEE);
    // escrowed == vouchers outstanding
    assert_eq!(balance(&n.a, &esc, "uhub").await, supply(&n.b, &v).await);
}

#[tokio::test]
async fn a_voucher_forwarded_to_a_third_chain_carries_both_hops_and_returns() {
    let clock = Clock::new(1_700_000_000);
    let (alice, bob, carol) = (
        TestKey::new("alice"),
        TestKey::new("bob"),
        TestKey::new("carol"),
    );
    let mut a = chain("hub-1", &clock, &[&alice]).await;
    let mut b = chain("spoke-1", &clock, &[&bob]).await;
    let mut c = chain("spoke-2", &clock, &[&carol]).await;
    let (mut ab, ab_ch) = connect_transfer(&mut a, &mut b).await;
    let (mut bc, bc_ch) = connect_transfer(&mut b, &mut c).await;
    hop(
        &mut a,
        &mut b,
        &mut ab,
        true,
        &alice,
        &ab_ch.chan_a,
        "uhub",
        "500",
        &bob.hub(),
    )
    .await;
    let on_b = format!("transfer/{}/uhub", ab_ch.chan_b);
    hop(
        &mut b,
        &mut c,
        &mut bc,
        true,
        &bob,
        &bc_ch.chan_a,
        &voucher(&on_b),
        "200",
        &carol.hub(),
    )
    .await;
    let on_c = format!("transfer/{}/{on_b}", bc_ch.chan_b);
    assert_eq!(balance(&c, &carol.address(), &voucher(&on_c)).await, 200);
    // the trace is queryable by hash
    let snap = c.node.app.storage().latest_snapshot();
    let req = tpb::QueryDenomTraceRequest {
        hash: voucher(&on_c),
    };
    let out = c
        .node
        .queries
        .grpc(
            "/ibc.applications.transfer.v1.Query/DenomTrace",
            &req.encode_to_vec(),
            &snap,
        )
        .await
        .unwrap();
    let trace = tpb::QueryDenomTraceResponse::decode(out.as_slice())
        .unwrap()
        .denom_trace
        .unwrap();
    assert_eq!(trace.base_denom, "uhub");
    assert_eq!(
        trace.path,
        format!("transfer/{}/transfer/{}", bc_ch.chan_b, ab_ch.chan_b)
    );
    // and back along the path: C burns, B unescrows the B-voucher
    hop(
        &mut c,
        &mut b,
        &mut bc,
        false,
        &carol,
        &bc_ch.chan_b,
        &voucher(&on_c),
        "200",
        &bob.hub(),
    )
    .await;
    assert_eq!(supply(&c, &voucher(&on_c)).await, 0);
    assert_eq!(balance(&b, &bob.address(), &voucher(&on_b)).await, 500);
}

#[tokio::test]
async fn timeouts_by_height_and_error_acks_refund_the_sender_exactly_once() {
    let mut n = net().await;
    let alice = n.alice.address();
    let a0 = balance(&n.a, &alice, "uhub").await;
    let esc = escrow("transfer", &n.ch.chan_a);
    // a timeout by height
    let soon = n.b.height + 2;
    let p = n.alice_sends("70", &n.bob.hub(), soon).await;
    assert_eq!(balance(&n.a, &esc, "uhub").await, 70);
    n.b.idle(3).await;
    relay_timeout(&mut n.b, &mut n.a, &mut n.ab.a, &p, 1)
        .await
        .ok();
    assert_eq!(balance(&n.a, &esc, "uhub").await, 0);
    assert_eq!(balance(&n.a, &alice, "uhub").await, a0 - FEE);
    let again = relay_timeout(&mut n.b, &mut n.a, &mut n.ab.a, &p, 1)
        .await
        .ok();
    assert!(again.log.contains("redundant"));
    assert_eq!(
        balance(&n.a, &alice, "uhub").await,
        a0 - FEE,
        "refunded once"
    );
    // an error ack (the receiver is not an address on B) refunds too
    let far = n.b.height + 100;
    let p = n.alice_sends("30", "not-an-address", far).await;
    let r = relay_recv(&mut n.a, &mut n.b, &mut n.ab.b, &p).await.ok();
    let (p, ack) = written_acks(&r).pop().unwrap();
    assert!(String::from_utf8(ack.clone())
        .unwrap()
        .starts_with(r#"{"error":"#));
    relay_ack(&mut n.b, &mut n.a, &mut n.ab.a, &p, &ack)
        .await
        .ok();
    assert_eq!(balance(&n.a, &alice, "uhub").await, a0 - 2 * FEE);
    assert_eq!(balance(&n.a, &esc, "uhub").await, 0);
}

#[tokio::test]
async fn bad_transfers_fail_with_specific_errors_and_move_nothing() {
    let mut n = net().await;
    let alice = n.alice.address();
    let a0 = balance(&n.a, &alice, "uhub").await;
    let far = (1, n.b.height + 100);
    let ch = n.ch.chan_a.clone();
    let to = n.bob.hub();
    for (amount, denom) in [
        ("0", "uhub"),
        ("-5", "uhub"),
        (
            "115792089237316195423570985008687907853269984665640564039457584007913129639936",
            "uhub",
        ),
        ("10", "ibc/nothex"),
    ] {
        let m = transfer_msg(&n.alice.hub(), &ch, denom, amount, &to, far, 0);
        let r = send(&mut n.a, &n.alice.clone(), m).await;
        assert_ne!(r.code, 0, "{amount} {denom} accepted");
    }
    // an empty receiver, and both timeouts zero
    let m = transfer_msg(&n.alice.hub(), &ch, "uhub", "1", "", far, 0);
    assert_ne!(send(&mut n.a, &n.alice.clone(), m).await.code, 0);
    let m = transfer_msg(&n.alice.hub(), &ch, "uhub", "1", &to, (0, 0), 0);
    assert_ne!(send(&mut n.a, &n.alice.clone(), m).await.code, 0);
    // every failed tx pays its fee (if it got past decoding) and nothing else
    let spent = a0 - balance(&n.a, &alice, "uhub").await;
    assert_eq!(spent % FEE, 0, "only fees were spent");
    assert_eq!(balance(&n.a, &escrow("transfer", &ch), "uhub").await, 0);
}
