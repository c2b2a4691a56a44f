//! Flow control of ICS-20 between two in-process chains with real headers and proofs: A (a
//! spoke) and H (the hub).
//! - Flow limits (ibc-go v10 rate-limiting semantics), from governance or genesis: sends over
//!   the quota fail, receives over it get an error acknowledgement and the sender is refunded;
//!   failed sends give their quota back; windows open again with the hour epoch.
//! - The circuit breaker: a guardian's or governance's pause, with an expiry.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::gov::{gov_genesis, pass_on, query, raw_any};
use common::{balance, chain_with, supply, transfer_msg, AppNode};
use hub_app::ChainConfig;
use hub_proto::rate_limiting::v1 as rl;
use hub_testkit::ibc::{
    connect_transfer, relay_ack, relay_recv, relay_timeout, sent_packets, written_acks,
    ChannelPair, Clock, Link, Node, TestChain, TxResult,
};
use hub_testkit::TestKey;
use ibc_proto::google::protobuf::Any as IbcAny;
use ibc_proto::ibc::core::channel::v1::Packet;
use sha2::{Digest, Sha256};

const OK_ACK: &[u8] = br#"{"result":"AQ=="}"#;

fn gov_addr() -> String {
    hub_auth::Address::module("gov").to_bech32("hub")
}

fn voucher(path: &str) -> String {
    format!("ibc/{}", hex::encode_upper(Sha256::digest(path.as_bytes())))
}

struct Net {
    clock: Clock,
    a: TestChain<AppNode>,
    h: TestChain<AppNode>,
    link: Link,
    /// `chan_a` on A, `chan_b` on H.
    ch: ChannelPair,
    alice: TestKey,
    bob: TestKey,
    proposals: u64,
}

/// A with alice funded, H with bob funded; both with `patch` applied to their `app_state`
/// (and a quick voting period); one transfer channel.
async fn net(patch: impl Fn(&mut serde_json::Value)) -> Net {
    let clock = Clock::new(1_700_000_000);
    let (alice, bob) = (TestKey::new("alice"), TestKey::new("bob"));
    let edit = |g: &mut serde_json::Value| {
        g["gov"] = gov_genesis();
        patch(g);
    };
    let mut a = chain_with("spoke-1", &clock, &[&alice], ChainConfig::hub(), edit).await;
    let mut h = chain_with("hub-1", &clock, &[&bob], ChainConfig::hub(), edit).await;
    let (link, ch) = connect_transfer(&mut a, &mut h).await;
    Net {
        clock,
        a,
        h,
        link,
        ch,
        alice,
        bob,
        proposals: 0,
    }
}

fn limit_msg(
    type_url: &str,
    signer: &str,
    denom: &str,
    channel: &str,
    send: u8,
    recv: u8,
) -> IbcAny {
    raw_any(
        type_url,
        &rl::MsgAddRateLimit {
            signer: signer.into(),
            denom: denom.into(),
            channel_or_client_id: channel.into(),
            max_percent_send: send.to_string(),
            max_percent_recv: recv.to_string(),
            duration_hours: 1,
        },
    )
}

const ADD: &str = "/ibc.applications.rate_limiting.v1.MsgAddRateLimit";

impl Net {
    /// Bob sends `amount` uhub from the hub to A (timing out at A's height `timeout`).
    async fn bob_sends(&mut self, amount: u128, timeout: u64) -> TxResult {
        let m = transfer_msg(
            &self.bob.hub(),
            &self.ch.chan_b,
            "uhub",
            &amount.to_string(),
            &self.alice.hub(),
            (self.a.revision(), timeout),
            0,
        );
        let tx = self.h.sign_with(&self.bob, vec![m]).await;
        self.h.block(vec![tx]).await.pop().unwrap()
    }

    /// Alice sends `amount` of `denom` from A to bob on the hub; returns the tx result.
    async fn alice_sends(&mut self, denom: &str, amount: u128) -> TxResult {
        let bob = self.bob.hub();
        self.alice_sends_to(denom, amount, &bob).await
    }

    /// Alice sends `amount` of `denom` from A to `receiver` on the hub; returns the tx result.
    async fn alice_sends_to(&mut self, denom: &str, amount: u128, receiver: &str) -> TxResult {
        let m = transfer_msg(
            &self.alice.hub(),
            &self.ch.chan_a,
            denom,
            &amount.to_string(),
            receiver,
            (self.h.revision(), self.h.height + 1000),
            0,
        );
        let tx = self.a.sign_with(&self.alice, vec![m]).await;
        self.a.block(vec![tx]).await.pop().unwrap()
    }

    /// Passes a hub governance proposal of `msgs`.
    async fn pass(&mut self, msgs: Vec<IbcAny>) {
        self.proposals += 1;
        pass_on(&mut self.h, &self.clock, self.proposals, msgs).await;
    }

    /// Passes a hub proposal of a 10 % limit each way on `uhub` over the channel (with
    /// `more` messages); returns the quota: a tenth of the supply.
    async fn limit_uhub(&mut self, more: Vec<IbcAny>) -> u128 {
        let add = limit_msg(ADD, &gov_addr(), "uhub", &self.ch.chan_b, 10, 10);
        self.pass([vec![add], more].concat()).await;
        supply(&self.h, "uhub").await / 10
    }

    /// A block on the hub of one tx of `msgs` signed by bob; returns its result.
    async fn bob_submits(&mut self, msgs: Vec<IbcAny>) -> TxResult {
        let bob = self.bob.clone();
        let tx = self.h.sign_with(&bob, msgs).await;
        self.h.block(vec![tx]).await.pop().unwrap()
    }

    /// Alice sends `amount` uhub to the hub and the packet is relayed; returns the result of
    /// the receive on the hub.
    async fn alice_delivers(&mut self, amount: u128) -> TxResult {
        let r = self.alice_sends("uhub", amount).await.ok();
        let p = sent_packets(&r).pop().unwrap();
        relay_recv(&mut self.a, &mut self.h, &mut self.link.b, &p)
            .await
            .ok()
    }

    /// Relays `ack`, written on the hub for `p`, back to A.
    async fn ack_on_a(&mut self, p: &Packet, ack: &[u8]) {
        relay_ack(&mut self.h, &mut self.a, &mut self.link.a, p, ack)
            .await
            .ok();
    }

    /// Relays the timeout on A of `p`, sent by the hub, back to the hub.
    async fn timeout_on_h(&mut self, p: &Packet) {
        relay_timeout(&mut self.a, &mut self.h, &mut self.link.b, p, 1)
            .await
            .ok();
    }

    /// The hub's limit on its end of the channel for `denom`.
    async fn hub_limit(&self, denom: &str) -> Option<rl::RateLimit> {
        let r: rl::QueryRateLimitResponse = query(
            &self.h,
            "/ibc.applications.rate_limiting.v1.Query/RateLimit",
            &rl::QueryRateLimitRequest {
                denom: denom.into(),
                channel_or_client_id: self.ch.chan_b.clone(),
            },
        )
        .await;
        r.rate_limit
    }

    async fn hub_outflow(&self) -> u128 {
        let l = self.hub_limit("uhub").await.unwrap();
        l.flow.unwrap().outflow.parse().unwrap()
    }
}

fn quota_exceeded(r: &TxResult) {
    r.assert_code("ratelimit", 4);
    assert!(r.log.contains("Outflow exceeds quota"), "{}", r.log);
}

#[tokio::test]
async fn only_a_passed_proposal_adds_a_limit_and_a_send_over_it_fails() {
    let mut n = net(|_| {}).await;
    let chan = n.ch.chan_b.clone();
    // anyone but governance: refused when decoded
    let bob = n.bob.hub();
    let r = n
        .bob_submits(vec![limit_msg(ADD, &bob, "uhub", &chan, 10, 10)])
        .await;
    r.assert_code("ratelimit", 101);
    assert!(n.hub_limit("uhub").await.is_none());

    let add = limit_msg(ADD, &gov_addr(), "uhub", &chan, 10, 10);
    n.pass(vec![add]).await;
    let limit = n
        .hub_limit("uhub")
        .await
        .expect("the proposal added the limit");
    let value: u128 = limit.flow.unwrap().channel_value.parse().unwrap();
    assert_eq!(
        value,
        supply(&n.h, "uhub").await,
        "the channel value is the supply"
    );

    // exactly the quota passes, one unit more fails and moves nothing
    let quota = value / 10;
    let b0 = balance(&n.h, &n.bob.address(), "uhub").await;
    let timeout = n.a.height + 1000;
    n.bob_sends(quota, timeout).await.ok();
    let r = n.bob_sends(1, timeout).await;
    quota_exceeded(&r);
    assert_eq!(n.hub_outflow().await, quota);
    assert!(balance(&n.h, &n.bob.address(), "uhub").await < b0 - quota + 1);
}

#[tokio::test]
async fn a_send_that_times_out_gives_its_quota_back_and_a_successful_one_keeps_it() {
    let mut n = net(|_| {}).await;
    let quota = n.limit_uhub(vec![]).await;

    // a send that will time out on A
    let r = n.bob_sends(quota, n.a.height + 2).await.ok();
    let p = sent_packets(&r).pop().unwrap();
    quota_exceeded(&n.bob_sends(1, n.a.height + 1000).await);
    n.a.idle(3).await;
    n.timeout_on_h(&p).await;
    assert_eq!(
        n.hub_outflow().await,
        0,
        "the timed-out send gave its quota back"
    );

    // a delivered send keeps its outflow after its success acknowledgement
    let r = n.bob_sends(quota, n.a.height + 1000).await.ok();
    let p = sent_packets(&r).pop().unwrap();
    let recv = relay_recv(&mut n.h, &mut n.a, &mut n.link.a, &p).await.ok();
    let (p, ack) = written_acks(&recv).pop().unwrap();
    assert_eq!(ack, OK_ACK);
    relay_ack(&mut n.a, &mut n.h, &mut n.link.b, &p, &ack)
        .await
        .ok();
    assert_eq!(n.hub_outflow().await, quota);
    quota_exceeded(&n.bob_sends(1, n.a.height + 1000).await);
}

/// The hub's genesis: a receive limit of 10 % on the voucher of A's `uhub`, counted against a
/// channel value of 1000 (a window opening later would read the voucher's supply instead).
fn voucher_limit(g: &mut serde_json::Value) {
    let v = voucher("transfer/channel-0/uhub");
    g["ratelimit"] = serde_json::json!({
        "rate_limits": [{
            "path": {"denom": v, "channel_or_client_id": "channel-0"},
            "quota": {"max_percent_send": "0", "max_percent_recv": "10", "duration_hours": "1"},
            "flow": {"inflow": "0", "outflow": "0", "channel_value": "1000"}
        }],
    });
}

#[tokio::test]
async fn a_receive_over_the_quota_gets_an_error_ack_and_the_sender_is_refunded() {
    let mut n = net(voucher_limit).await;
    assert_eq!(
        n.ch.chan_b, "channel-0",
        "the genesis limit names this channel"
    );
    let escrow = hub_transfer::escrow_address("transfer", &n.ch.chan_a);
    let v = voucher(&format!("transfer/{}/uhub", n.ch.chan_b));

    let recv = n.alice_delivers(101).await;
    let (p, ack) = written_acks(&recv).pop().unwrap();
    assert_eq!(
        ack,
        br#"{"error":"ABCI code: 4: error handling packet: see events for details"}"#
    );
    assert_eq!(supply(&n.h, &v).await, 0, "nothing was minted");
    n.ack_on_a(&p, &ack).await;
    assert_eq!(
        balance(&n.a, &escrow, "uhub").await,
        0,
        "alice was refunded"
    );

    // within the quota: received
    let recv = n.alice_delivers(100).await;
    assert_eq!(written_acks(&recv).pop().unwrap().1, OK_ACK);
    assert_eq!(balance(&n.h, &n.bob.address(), &v).await, 100);
}

#[tokio::test]
async fn a_window_opens_again_when_its_epochs_have_passed() {
    let mut n =
        net(|g| g["ratelimit"] = serde_json::json!({"hour_epoch": {"duration": "60s"}})).await;
    let quota = n.limit_uhub(vec![]).await;
    let timeout = n.a.height + 1000;
    n.bob_sends(quota, timeout).await.ok();
    quota_exceeded(&n.bob_sends(1, timeout).await);
    n.clock.advance(61);
    n.h.block(vec![]).await;
    assert_eq!(n.hub_outflow().await, 0, "a new window");
    n.bob_sends(1, timeout).await.ok();
}

#[tokio::test]
async fn a_blacklisted_denom_moves_neither_way_and_a_whitelisted_pair_is_never_counted() {
    let mut n = net(|g| {
        g["ratelimit"] = serde_json::json!({
            "blacklisted_denoms": ["uhub"],
        });
    })
    .await;
    let r = n.alice_sends("uhub", 1).await;
    r.assert_code("ratelimit", 7);

    let mut w = net(|g| {
        g["ratelimit"] = serde_json::json!({
            "rate_limits": [{
                "path": {"denom": "uhub", "channel_or_client_id": "channel-0"},
                "quota": {"max_percent_send": "1", "max_percent_recv": "1", "duration_hours": "1"},
                "flow": {"inflow": "0", "outflow": "0", "channel_value": "1000"}
            }],
            "whitelisted_address_pairs": [{
                "sender": TestKey::new("alice").hub(), "receiver": TestKey::new("bob").hub()
            }],
        });
    })
    .await;
    w.alice_sends("uhub", 500).await.ok();
    // another receiver is counted: 1 % of 1000 is 10
    quota_exceeded(&w.alice_sends_to("uhub", 11, "someone").await);
}

// ---- The circuit breaker: pauses with an expiry, by a guardian governance names.

fn pause_msg(signer: &str, channel: &str, denom: &str, seconds: u64) -> IbcAny {
    raw_any(
        "/hub.circuit.v1.MsgPause",
        &hub_proto::circuit::v1::MsgPause {
            signer: signer.into(),
            channel_id: channel.into(),
            denom: denom.into(),
            duration_seconds: seconds,
            reason: "incident on the counterparty".into(),
            propagate: false,
        },
    )
}

/// The hub names `guardian` (a key of its own) as the circuit's guardian at genesis, with
/// pauses of at most an hour.
fn with_guardian(g: &mut serde_json::Value) {
    g["circuit"] = serde_json::json!({
        "params": {"guardian": TestKey::new("guardian").hub(), "max_pause_seconds": "3600"}
    });
}

fn paused(r: &TxResult) {
    r.assert_code("circuit", 2);
}

#[tokio::test]
async fn a_paused_channel_refuses_sends_error_acks_receives_and_resumes_by_itself_at_expiry() {
    let mut n = net(with_guardian).await;
    let guardian = TestKey::new("guardian");
    // fund the guardian's fees from bob
    let fund = raw_any(
        "/cosmos.bank.v1beta1.MsgSend",
        &cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend {
            from_address: n.bob.hub(),
            to_address: guardian.hub(),
            amount: vec![cosmos_sdk_proto::cosmos::base::v1beta1::Coin {
                denom: "uhub".into(),
                amount: "1000000".into(),
            }],
        },
    );
    n.bob_submits(vec![fund]).await.ok();
    let chan = n.ch.chan_b.clone();
    let tx =
        n.h.sign_with(&guardian, vec![pause_msg(&guardian.hub(), &chan, "", 60)])
            .await;
    n.h.block(vec![tx]).await.pop().unwrap().ok();

    // sends over the channel fail, with the reason
    let r = n.bob_sends(5, n.a.height + 1000).await;
    paused(&r);
    assert!(r.log.contains("incident on the counterparty"), "{}", r.log);
    // a packet arriving gets an error acknowledgement and its sender is refunded
    let escrow = hub_transfer::escrow_address("transfer", &n.ch.chan_a);
    let recv = n.alice_delivers(7).await;
    let (p, ack) = written_acks(&recv).pop().unwrap();
    assert_ne!(ack, OK_ACK);
    n.ack_on_a(&p, &ack).await;
    assert_eq!(
        balance(&n.a, &escrow, "uhub").await,
        0,
        "refunded, not dropped"
    );

    // at the expiry the pause lifts by itself, and the next block prunes it
    n.clock.advance(61);
    n.h.block(vec![]).await;
    n.bob_sends(5, n.a.height + 1000).await.ok();
    let r: hub_proto::circuit::v1::QueryPausesResponse = query(
        &n.h,
        "/hub.circuit.v1.Query/Pauses",
        &hub_proto::circuit::v1::QueryPausesRequest::default(),
    )
    .await;
    assert!(r.pauses.is_empty(), "{:?}", r.pauses);
}

#[tokio::test]
async fn a_pause_from_an_impostor_or_longer_than_the_bound_is_refused_and_only_governance_lifts_one(
) {
    let mut n = net(with_guardian).await;
    let chan = n.ch.chan_b.clone();
    // bob is not the guardian
    let bob = n.bob.hub();
    let r = n.bob_submits(vec![pause_msg(&bob, &chan, "", 60)]).await;
    r.assert_code("circuit", 3);
    n.bob_sends(5, n.a.height + 1000).await.ok();

    // governance pauses everything, but not beyond the bound
    let too_long = pause_msg(&gov_addr(), "", "", 3601);
    n.pass(vec![too_long]).await;
    n.bob_sends(5, n.a.height + 1000).await.ok();
    let all = pause_msg(&gov_addr(), "", "", 3600);
    n.pass(vec![all]).await;
    paused(&n.bob_sends(5, n.a.height + 1000).await);

    // bob cannot lift it; a proposal can
    let unpause = |signer: &str| {
        raw_any(
            "/hub.circuit.v1.MsgUnpause",
            &hub_proto::circuit::v1::MsgUnpause {
                authority: signer.into(),
                channel_id: String::new(),
                denom: String::new(),
            },
        )
    };
    let r = n.bob_submits(vec![unpause(&bob)]).await;
    r.assert_code("circuit", 3);
    n.pass(vec![unpause(&gov_addr())]).await;
    n.bob_sends(5, n.a.height + 1000).await.ok();
}

#[tokio::test]
async fn a_send_from_a_closed_window_gives_no_quota_back_in_the_next_one() {
    // Otherwise a sender could time out old packets to reopen the quota of a fresh window.
    let mut n =
        net(|g| g["ratelimit"] = serde_json::json!({"hour_epoch": {"duration": "60s"}})).await;
    let quota = n.limit_uhub(vec![]).await;
    let r = n.bob_sends(quota, n.a.height + 2).await.ok();
    let old = sent_packets(&r).pop().unwrap();
    n.clock.advance(61);
    n.h.block(vec![]).await;
    n.bob_sends(7, n.a.height + 1000).await.ok();
    n.a.idle(3).await;
    n.timeout_on_h(&old).await;
    assert_eq!(
        n.hub_outflow().await,
        7,
        "the old send's failure counts nothing now"
    );
}

// ---- The send queue: a limit that queues holds sends over its quota.

fn queueing_msg(denom: &str, channel: &str) -> IbcAny {
    raw_any(
        "/hub.ratelimit.v1.MsgSetQueueing",
        &hub_proto::ratelimit::v1::MsgSetQueueing {
            signer: gov_addr(),
            denom: denom.into(),
            channel_or_client_id: channel.into(),
            queue: true,
        },
    )
}

fn cancel_msg(sender: &str, id: u64) -> IbcAny {
    raw_any(
        "/hub.ratelimit.v1.MsgCancelQueuedTransfer",
        &hub_proto::ratelimit::v1::MsgCancelQueuedTransfer {
            sender: sender.into(),
            id,
        },
    )
}

async fn queued(h: &TestChain<AppNode>) -> Vec<hub_proto::ratelimit::v1::QueuedTransfer> {
    let r: hub_proto::ratelimit::v1::QueryQueuedTransfersResponse = query(
        h,
        "/hub.ratelimit.v1.Query/QueuedTransfers",
        &hub_proto::ratelimit::v1::QueryQueuedTransfersRequest::default(),
    )
    .await;
    r.queued_transfers
}

fn block_events(h: &TestChain<AppNode>) -> TxResult {
    TxResult {
        code: 0,
        codespace: String::new(),
        log: String::new(),
        events: h.node.block_events.clone(),
    }
}

#[tokio::test]
async fn a_send_over_a_queueing_limit_is_held_then_sent_when_the_next_window_opens_or_cancelled() {
    let mut n =
        net(|g| g["ratelimit"] = serde_json::json!({"hour_epoch": {"duration": "60s"}})).await;
    let chan = n.ch.chan_b.clone();
    let quota = n.limit_uhub(vec![queueing_msg("uhub", &chan)]).await;
    let timeout = n.a.height + 1000;
    n.bob_sends(quota, timeout).await.ok();
    let holding = hub_ratelimit::queue::holding_address();

    // over the quota: held, not refused, and no packet leaves
    let r = n.bob_sends(5, timeout).await.ok();
    assert!(sent_packets(&r).is_empty());
    assert_eq!(r.attr("transfer_queued", "id"), ["1"]);
    let r = n.bob_sends(3, timeout).await.ok();
    assert_eq!(r.attr("transfer_queued", "id"), ["2"]);
    assert_eq!(balance(&n.h, &holding, "uhub").await, 8);
    assert_eq!(queued(&n.h).await.len(), 2);

    // only its sender cancels a queued transfer; the coins come back at once
    let relayer_cancels =
        n.h.submit(vec![cancel_msg(&n.h.relayer_address(), 1)])
            .await;
    relayer_cancels.assert_code("ratelimit", 104);
    let bob = n.bob.hub();
    n.bob_submits(vec![cancel_msg(&bob, 2)]).await.ok();
    assert_eq!(balance(&n.h, &holding, "uhub").await, 5);

    // still no room: it waits; the next window: sent, oldest first
    n.h.block(vec![]).await;
    assert_eq!(queued(&n.h).await.len(), 1);
    n.clock.advance(61);
    n.h.block(vec![]).await;
    let sent = sent_packets(&block_events(&n.h));
    assert_eq!(
        sent.len(),
        1,
        "the queued transfer left in the block that had room"
    );
    assert!(queued(&n.h).await.is_empty());
    assert_eq!(balance(&n.h, &holding, "uhub").await, 0);
    assert_eq!(n.hub_outflow().await, 5);
    // and it is a real ICS-20 packet that A receives
    n.a.block(vec![]).await;
    let recv = relay_recv(&mut n.h, &mut n.a, &mut n.link.a, &sent[0])
        .await
        .ok();
    assert_eq!(written_acks(&recv).pop().unwrap().1, OK_ACK);
}

#[tokio::test]
async fn a_queued_transfer_that_can_no_longer_go_is_refunded_and_the_queue_is_bounded_per_limit() {
    // A full window that queues, and sending disabled: nothing queued can ever go.
    let mut n = net(|g| {
        g["transfer"]["params"] =
            serde_json::json!({"send_enabled": false, "receive_enabled": true});
        g["ratelimit"] = serde_json::json!({
            "rate_limits": [{
                "path": {"denom": "uhub", "channel_or_client_id": "channel-0"},
                "quota": {"max_percent_send": "1", "max_percent_recv": "1", "duration_hours": "1"},
                "flow": {"inflow": "0", "outflow": "10", "channel_value": "1000"}
            }],
            "queueing": [{"denom": "uhub", "channel_or_client_id": "channel-0"}],
        });
    })
    .await;
    let b0 = balance(&n.h, &n.bob.address(), "uhub").await;
    let r = n.bob_sends(5, n.a.height + 1000).await.ok();
    assert_eq!(r.attr("transfer_queued", "id"), ["1"]);
    let fee = b0 - 5 - balance(&n.h, &n.bob.address(), "uhub").await;
    n.h.block(vec![]).await;
    let ev = block_events(&n.h);
    assert_eq!(ev.attr("queued_transfer_done", "outcome"), ["refunded"]);
    assert!(queued(&n.h).await.is_empty());
    assert_eq!(balance(&n.h, &n.bob.address(), "uhub").await, b0 - fee);

    // At most 100 transfers wait on one limit: the 101st is refused.
    let one = |n: &Net| {
        transfer_msg(
            &n.bob.hub(),
            &n.ch.chan_b,
            "uhub",
            "1",
            &n.alice.hub(),
            (n.a.revision(), n.a.height + 1000),
            0,
        )
    };
    let hundred = (0..100).map(|_| one(&n)).collect();
    let bob = n.bob.clone();
    let (_, seq) = n.h.node.account(bob.address().0).await;
    let first = n.h.sign_as_user(&bob, seq, hundred).await;
    let more = n.h.sign_as_user(&bob, seq + 1, vec![one(&n)]).await;
    let mut r = n.h.block(vec![first, more]).await;
    let more = r.pop().unwrap();
    r.pop().unwrap().ok();
    more.assert_code("ratelimit", 103);

    // A genesis export carries the queue and the limits that queue.
    let snap = n.h.node.app.storage().latest_snapshot();
    let g = hub_app::runtime::export_genesis(&snap).await.unwrap();
    assert_eq!(g.ratelimit.queueing.len(), 1);
    assert_eq!(g.ratelimit.queued_transfers.len(), 100);
}

/// The hub's genesis: [`voucher_limit`], set to queue, with receives waiting at most
/// `max_delay` and windows of `epoch`.
fn queueing_voucher_limit(
    max_delay: &'static str,
    epoch: &'static str,
) -> impl Fn(&mut serde_json::Value) {
    move |g| {
        voucher_limit(g);
        let v = voucher("transfer/channel-0/uhub");
        g["ratelimit"]["queueing"] =
            serde_json::json!([{"denom": v, "channel_or_client_id": "channel-0"}]);
        g["ratelimit"]["receive_queue_max_delay"] = serde_json::json!(max_delay);
        g["ratelimit"]["hour_epoch"] = serde_json::json!({"duration": epoch});
    }
}

async fn queued_receives(h: &TestChain<AppNode>) -> usize {
    let r: hub_proto::ratelimit::v1::QueryQueuedReceivesResponse = query(
        h,
        "/hub.ratelimit.v1.Query/QueuedReceives",
        &hub_proto::ratelimit::v1::QueryQueuedReceivesRequest::default(),
    )
    .await;
    r.queued_receives.len()
}

#[tokio::test]
async fn a_receive_over_a_queueing_limit_waits_with_its_ack_and_is_credited_when_a_window_opens() {
    let mut n = net(queueing_voucher_limit("120s", "60s")).await;
    let v = voucher(&format!("transfer/{}/uhub", n.ch.chan_b));
    let recv = n.alice_delivers(101).await;
    assert!(written_acks(&recv).is_empty(), "the acknowledgement waits");
    assert_eq!(recv.attr("receive_queued", "id"), ["1"]);
    assert_eq!(supply(&n.h, &v).await, 0, "nothing credited yet");
    assert_eq!(queued_receives(&n.h).await, 1);

    // the next window reads the channel value again (no voucher yet: no limit) and credits it
    n.clock.advance(61);
    n.h.block(vec![]).await;
    let (p, ack) = written_acks(&block_events(&n.h))
        .pop()
        .expect("acknowledged now");
    assert_eq!(ack, OK_ACK);
    assert_eq!(balance(&n.h, &n.bob.address(), &v).await, 101);
    assert_eq!(queued_receives(&n.h).await, 0);
    n.a.block(vec![]).await;
    n.ack_on_a(&p, &ack).await;
}

#[tokio::test]
async fn a_queued_receive_that_waits_past_the_maximum_delay_gets_an_error_ack_and_its_sender_is_refunded(
) {
    let mut n = net(queueing_voucher_limit("30s", "3600s")).await;
    let escrow = hub_transfer::escrow_address("transfer", &n.ch.chan_a);
    let recv = n.alice_delivers(101).await;
    assert!(written_acks(&recv).is_empty());
    n.h.block(vec![]).await;
    assert_eq!(
        queued_receives(&n.h).await,
        1,
        "still over the quota: it waits"
    );
    n.clock.advance(31);
    n.h.block(vec![]).await;
    let (p, ack) = written_acks(&block_events(&n.h))
        .pop()
        .expect("refused now");
    assert!(ack.starts_with(br#"{"error":"ABCI code: 4:"#), "{ack:?}");
    assert_eq!(queued_receives(&n.h).await, 0);
    n.a.block(vec![]).await;
    n.ack_on_a(&p, &ack).await;
    assert_eq!(
        balance(&n.a, &escrow, "uhub").await,
        0,
        "alice was refunded"
    );
}
