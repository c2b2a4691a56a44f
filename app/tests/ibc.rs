//! IBC between in-process chains that bind the `ping` application (as the spoke runtime
//! does; the hub leaves it out) with real signed headers and real proofs: connection and channel handshakes
//! in both directions, packets on UNORDERED, ORDERED and ORDERED_ALLOW_TIMEOUT channels,
//! timeouts by height and time, close handshakes.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::ping::{
    net, ping_channel, ping_msg, ping_net, send_ping, send_ping_expiring, send_ping_until, Net,
};

use common::{chain, chain_with, ping_runtime, AppNode};
use hub_app::mempool::CheckKind;
use hub_testkit::ibc::{
    any, connect, open_channel, recv_msg, relay, relay_ack, sent_packets, try_open_channel,
    update_msg, written_acks, ClientParams, Clock, Link, Node, TestChain, TxResult,
};
use hub_testkit::TestKey;
use ibc_proto::ibc::core::channel::v1 as chpb;
use ibc_proto::ibc::core::connection::v1 as connpb;
use prost::Message;

const UNORDERED: i32 = 1;
const ORDERED: i32 = 2;
const ALLOW_TIMEOUT: i32 = 3;

async fn stored(chain: &TestChain<AppNode>, key: &str) -> Vec<u8> {
    use hub_testkit::ibc::Node;
    chain.node.query(key, chain.height).await.0
}

fn code(r: &TxResult) -> (String, u32) {
    (r.codespace.clone(), r.code)
}

/// `ping` is a test application: the spoke runtime binds it, the hub does not. A relayer that
/// asks the hub to open a channel on it, from either end, is refused with `port`/3, and a
/// user's `MsgSendPing` is a message the hub does not run (`sdk`/6), so nothing of the test
/// application can be reached on the hub.
#[tokio::test]
async fn the_hub_binds_no_ping_port_and_runs_no_ping_message() {
    let clock = Clock::new(1_700_000_000);
    let mut hub = chain("hub-1", &clock, &[]).await;
    let mut spoke = chain_with("spoke-1", &clock, &[], ping_runtime(), |_| {}).await;
    let mut link = connect(&mut hub, &mut spoke, &ClientParams::default()).await;
    let ports = ("ping", "ping");
    let init_on_hub = try_open_channel(&mut hub, &mut spoke, &mut link, ports, ORDERED, "ping-1")
        .await
        .unwrap_err();
    assert_eq!(
        code(&init_on_hub),
        ("port".into(), 3),
        "{}",
        init_on_hub.log
    );
    let mut back = Link {
        a: link.b.clone(),
        b: link.a.clone(),
    };
    let try_on_hub = try_open_channel(&mut spoke, &mut hub, &mut back, ports, ORDERED, "ping-1")
        .await
        .unwrap_err();
    assert_eq!(code(&try_on_hub), ("port".into(), 3), "{}", try_on_hub.log);
    let send = hub
        .submit(vec![ping_msg(&hub, "channel-0", b"x", (1, 1_000), 0)])
        .await;
    assert_eq!(code(&send), ("sdk".into(), 6), "{}", send.log);
    assert!(
        send.log.contains("not part of the hub runtime"),
        "{}",
        send.log
    );
    // Over the same connection a transfer channel opens: the refusal is the port's.
    assert!(open_channel(
        &mut spoke,
        &mut hub,
        &mut back,
        ("transfer", "transfer"),
        UNORDERED,
        "ics20-1"
    )
    .await
    .chan_a
    .starts_with("channel-"));
}

#[tokio::test]
async fn handshakes_open_connections_and_channels_in_both_directions() {
    let mut n = net().await;
    assert_eq!(n.link.a.connection_id, "connection-0");
    assert_eq!(n.link.b.connection_id, "connection-0");
    let ab = ping_channel(&mut n, UNORDERED).await;
    assert_eq!(
        (ab.chan_a.as_str(), ab.chan_b.as_str()),
        ("channel-0", "channel-0")
    );
    // the reverse direction: B initiates a connection and a channel towards A
    let mut rev = connect(&mut n.b, &mut n.a, &ClientParams::default()).await;
    assert_eq!(rev.a.connection_id, "connection-1");
    let ba = open_channel(&mut n.b, &mut n.a, &mut rev, ("ping", "ping"), ORDERED, "").await;
    assert_eq!(
        (ba.chan_a.as_str(), ba.chan_b.as_str()),
        ("channel-1", "channel-1")
    );
    let end = stored(&n.a, "ibc/channelEnds/ports/ping/channels/channel-1").await;
    let end = chpb::Channel::decode(end.as_slice()).unwrap();
    assert_eq!(end.state, chpb::State::Open as i32);
    assert_eq!(end.ordering, ORDERED);
    assert_eq!(end.version, "ping-1");
}

#[tokio::test]
async fn unordered_packets_are_received_acked_and_duplicates_are_no_ops() {
    let (mut n, pair) = ping_net(UNORDERED).await;
    let p1 = send_ping(&mut n, &pair, b"one").await;
    let p2 = send_ping(&mut n, &pair, b"two").await;
    // delivered out of order: fine on UNORDERED
    let r2 = n.recv(&p2).await.ok();
    let r1 = n.recv(&p1).await.ok();
    assert_eq!(stored(&n.b, "ibc/ping/received/channel-0/1").await, b"one");
    // a duplicate receive is a no-op success saying so, with no new ack
    let dup = n.recv(&p1).await.ok();
    assert!(
        dup.log.contains("packet messages are redundant"),
        "{}",
        dup.log
    );
    assert!(written_acks(&dup).is_empty());
    for r in [r1, r2] {
        let (p, ack) = written_acks(&r).pop().unwrap();
        assert_eq!(ack, br#"{"result":"AQ=="}"#);
        n.ack(&p, &ack).await.ok();
        let key = format!("ibc/ping/acked/channel-0/{}", p.sequence);
        assert_eq!(stored(&n.a, &key).await, ack);
        let c = format!(
            "ibc/commitments/ports/ping/channels/channel-0/sequences/{}",
            p.sequence
        );
        assert!(stored(&n.a, &c).await.is_empty(), "commitment deleted");
    }
    // acking again is redundant; timing out an acked packet is redundant too
    let (p, ack) = (p1.clone(), br#"{"result":"AQ=="}"#.to_vec());
    let again = n.ack(&p, &ack).await.ok();
    assert!(again.log.contains("packet messages are redundant"));
}

#[tokio::test]
async fn ordered_channels_deliver_in_order_reject_gaps_and_close_on_timeout() {
    let (mut n, pair) = ping_net(ORDERED).await;
    let p1 = send_ping(&mut n, &pair, b"one").await;
    let p2 = send_ping(&mut n, &pair, b"two").await;
    // a gap: sequence 2 before 1
    let gap = n.recv(&p2).await;
    assert_eq!(code(&gap), ("channel".into(), 21), "{}", gap.log);
    n.recv(&p1).await.ok();
    n.recv(&p2).await.ok();
    // a packet that times out by height closes the ordered channel
    let p3 = send_ping_expiring(&mut n, &pair, b"late", 3).await;
    n.b.idle(4).await;
    let late = n.recv(&p3).await;
    assert_eq!(code(&late), ("channel".into(), 14), "{}", late.log);
    let t = n.timeout(&p3, ORDERED).await.ok();
    assert_eq!(t.attr("channel_closed", "channel_id"), vec!["channel-0"]);
    assert_eq!(
        stored(&n.a, "ibc/ping/timed_out/channel-0/3").await,
        vec![1]
    );
    let end = stored(&n.a, "ibc/channelEnds/ports/ping/channels/channel-0").await;
    assert_eq!(
        chpb::Channel::decode(end.as_slice()).unwrap().state,
        chpb::State::Closed as i32
    );
    // nothing can be sent on the closed channel
    let m = ping_msg(&n.a, &pair.chan_a, b"after", (1, n.b.height + 100), 0);
    let r = n.a.submit(vec![m]).await;
    assert_eq!(code(&r), ("channel".into(), 5));
}

#[tokio::test]
async fn a_timeout_before_the_timeout_height_is_refused_and_receipt_proofs_decide() {
    let (mut n, pair) = ping_net(UNORDERED).await;
    let p = send_ping_expiring(&mut n, &pair, b"x", 3).await;
    let early = n.timeout(&p, UNORDERED).await;
    assert_eq!(code(&early), ("channel".into(), 39), "{}", early.log);
    n.b.idle(4).await;
    n.timeout(&p, UNORDERED).await.ok();
    assert_eq!(
        stored(&n.a, "ibc/ping/timed_out/channel-0/1").await,
        vec![1]
    );
    // the channel stays open on UNORDERED; a second timeout is a redundant no-op
    let again = n.timeout(&p, UNORDERED).await.ok();
    assert!(again.log.contains("redundant"));
}

#[tokio::test]
async fn timeouts_by_timestamp_use_the_counterparty_consensus_time() {
    let (mut n, pair) = ping_net(UNORDERED).await;
    let deadline = (n.b.time().unix_timestamp() as u64 + 30) * 1_000_000_000;
    let p = send_ping_until(&mut n, &pair, b"x", (0, 0), deadline).await;
    let early = n.timeout(&p, UNORDERED).await;
    assert_eq!(code(&early), ("channel".into(), 39));
    n.b.idle(40).await;
    let late = n.recv(&p).await;
    assert_eq!(code(&late), ("channel".into(), 14), "{}", late.log);
    n.timeout(&p, UNORDERED).await.ok();
    // sending with a timestamp already passed on the counterparty is refused
    let m = ping_msg(&n.a, &pair.chan_a, b"y", (0, 0), deadline);
    assert_eq!(code(&n.a.submit(vec![m]).await), ("channel".into(), 40));
    let m = ping_msg(&n.a, &pair.chan_a, b"y", (0, 0), 0);
    assert_eq!(code(&n.a.submit(vec![m]).await), ("channel".into(), 13));
}

#[tokio::test]
async fn ordered_allow_timeout_skips_a_timed_out_sequence_and_stays_open() {
    let (mut n, pair) = ping_net(ALLOW_TIMEOUT).await;
    let p1 = send_ping_expiring(&mut n, &pair, b"late", 3).await;
    let p2 = send_ping(&mut n, &pair, b"next").await;
    n.b.idle(4).await;
    // the late packet is consumed on B with a timeout receipt, without delivery
    let r = n.recv(&p1).await.ok();
    assert!(written_acks(&r).is_empty());
    assert!(stored(&n.b, "ibc/ping/received/channel-0/1")
        .await
        .is_empty());
    n.timeout(&p1, ALLOW_TIMEOUT).await.ok();
    // the next packet flows, and the channel is still open
    let r = n.recv(&p2).await.ok();
    let (p, ack) = written_acks(&r).pop().unwrap();
    n.ack(&p, &ack).await.ok();
    let end = stored(&n.a, "ibc/channelEnds/ports/ping/channels/channel-0").await;
    assert_eq!(
        chpb::Channel::decode(end.as_slice()).unwrap().state,
        chpb::State::Open as i32
    );
}

#[tokio::test]
async fn error_acks_discard_the_app_writes_and_close_handshake_then_timeout_on_close() {
    let (mut n, pair) = ping_net(UNORDERED).await;
    let p = send_ping(&mut n, &pair, b"fail").await;
    let r = n.recv(&p).await.ok();
    let (_, ack) = written_acks(&r).pop().unwrap();
    assert_eq!(ack, br#"{"error":"ping rejected"}"#);
    assert!(
        stored(&n.b, "ibc/ping/received/channel-0/1")
            .await
            .is_empty(),
        "reverted"
    );
    // a packet in flight when B closes the channel times out on close
    let inflight = send_ping(&mut n, &pair, b"in flight").await;
    let close = chpb::MsgChannelCloseInit {
        port_id: "ping".into(),
        channel_id: pair.chan_b.clone(),
        signer: n.b.relayer_address(),
    };
    n.b.submit(vec![any(&close)]).await.ok();
    let (_, proof_close, ph) = n.b.prove("channelEnds/ports/ping/channels/channel-0").await;
    let (_, proof_unreceived, _) =
        n.b.prove("receipts/ports/ping/channels/channel-0/sequences/2")
            .await;
    let m = chpb::MsgTimeoutOnClose {
        packet: Some(inflight.clone()),
        proof_unreceived,
        proof_close: proof_close.clone(),
        proof_height: Some(ph),
        next_sequence_recv: 0,
        signer: n.a.relayer_address(),
        counterparty_upgrade_sequence: 0,
    };
    relay(&mut n.b, &mut n.a, &mut n.link.a, vec![any(&m)])
        .await
        .ok();
    assert_eq!(
        stored(&n.a, "ibc/ping/timed_out/channel-0/2").await,
        vec![1]
    );
    // and A confirms the close
    let (_, proof, ph) = n.b.prove("channelEnds/ports/ping/channels/channel-0").await;
    let confirm = chpb::MsgChannelCloseConfirm {
        port_id: "ping".into(),
        channel_id: pair.chan_a.clone(),
        proof_init: proof,
        proof_height: Some(ph),
        signer: n.a.relayer_address(),
        counterparty_upgrade_sequence: 0,
    };
    let r = relay(&mut n.b, &mut n.a, &mut n.link.a, vec![any(&confirm)])
        .await
        .ok();
    assert_eq!(
        r.attr("channel_close_confirm", "channel_id"),
        vec!["channel-0"]
    );
    // ibc-go's message events: the handler's `ibc_channel` next to the IBC event, and the
    // runtime's per-message `ibc`
    assert!(r
        .attr("message", "module")
        .contains(&"ibc_channel".to_string()));
}

#[tokio::test]
async fn bad_proofs_are_refused_with_specific_errors_and_change_nothing() {
    let (mut n, pair) = ping_net(UNORDERED).await;
    let p = send_ping(&mut n, &pair, b"data").await;
    let base = recv_msg(&mut n.a, &n.b, &p).await;
    let good = chpb::MsgRecvPacket::decode(base.value.as_slice()).unwrap();
    let submit = |m: chpb::MsgRecvPacket| any(&m);
    relay(&mut n.a, &mut n.b, &mut n.link.b, vec![]).await.ok();
    // proof for other data
    let mut other = good.clone();
    other.packet.as_mut().unwrap().data = b"forged".to_vec();
    let r = n.b.submit(vec![submit(other)]).await;
    assert_eq!(code(&r), ("client".into(), 18), "{}", r.log);
    // proof for another sequence
    let mut other = good.clone();
    other.packet.as_mut().unwrap().sequence = 2;
    let r = n.b.submit(vec![submit(other)]).await;
    assert_eq!(code(&r), ("client".into(), 18), "{}", r.log);
    // empty proof
    let mut other = good.clone();
    other.proof_commitment.clear();
    let r = n.b.submit(vec![submit(other)]).await;
    assert_eq!(code(&r), ("commitment".into(), 2), "{}", r.log);
    // a proof with one op missing (length mismatch with the specs)
    let mut other = good.clone();
    let mut mp = ibc_proto::ibc::core::commitment::v1::MerkleProof::decode(
        other.proof_commitment.as_slice(),
    )
    .unwrap();
    mp.proofs.pop();
    other.proof_commitment = mp.encode_to_vec();
    let r = n.b.submit(vec![submit(other)]).await;
    assert_eq!(code(&r), ("client".into(), 18), "{}", r.log);
    // a proof height the client has not seen
    let mut other = good.clone();
    other.proof_height.as_mut().unwrap().revision_height += 50;
    let r = n.b.submit(vec![submit(other)]).await;
    assert_eq!(code(&r), ("client".into(), 26), "{}", r.log);
    // Hermes recognises this case by ibc-go's wording and retries after its client update.
    assert!(
        r.log.contains("verification failed")
            && r.log.contains("client state height < proof height"),
        "{}",
        r.log
    );
    assert!(stored(&n.b, "ibc/ping/received/channel-0/1")
        .await
        .is_empty());
    // the genuine message still works
    let r = n.b.submit(vec![submit(good)]).await.ok();
    assert_eq!(written_acks(&r).len(), 1);
}

#[tokio::test]
async fn timeouts_of_received_packets_wrong_acks_and_stale_roots_are_refused() {
    let (mut n, pair) = ping_net(UNORDERED).await;
    let p = send_ping_expiring(&mut n, &pair, b"x", 3).await;
    let r = n.recv(&p).await.ok();
    let (p, ack) = written_acks(&r).pop().unwrap();
    n.b.idle(4).await;
    // timing out a received packet: the receipt exists, so absence cannot be proven
    let t = n.timeout(&p, UNORDERED).await;
    assert_eq!(code(&t), ("client".into(), 20), "{}", t.log);
    // ack bytes that differ from the committed ones
    let wrong = relay_ack(
        &mut n.b,
        &mut n.a,
        &mut n.link.a,
        &p,
        br#"{"result":"AA=="}"#,
    )
    .await;
    assert_eq!(code(&wrong), ("client".into(), 19), "{}", wrong.log);
    n.ack(&p, &ack).await.ok();
    // timing out an acked packet is a redundant no-op
    let t = n.timeout(&p, UNORDERED).await.ok();
    assert!(t.log.contains("redundant"));
    // a genuine proof presented at another height the client knows: another root
    let q = send_ping(&mut n, &pair, b"y").await;
    let older = n.link.b.trusted;
    let m = recv_msg(&mut n.a, &n.b, &q).await;
    relay(&mut n.a, &mut n.b, &mut n.link.b, vec![]).await.ok();
    let mut bad = chpb::MsgRecvPacket::decode(m.value.as_slice()).unwrap();
    bad.proof_height = Some(n.a.ibc_height(older));
    let r = n.b.submit(vec![any(&bad)]).await;
    assert_eq!(code(&r), ("client".into(), 18), "{}", r.log);
    n.b.submit(vec![m]).await.ok();
}

/// An UNORDERED `ping` channel end in `state` (1 INIT, 2 TRYOPEN) over `connection`, facing
/// the counterparty's `channel` (empty while it has none).
fn ping_end(state: i32, connection: &str, channel: &str, version: &str) -> chpb::Channel {
    chpb::Channel {
        state,
        ordering: UNORDERED,
        counterparty: Some(chpb::Counterparty {
            port_id: "ping".into(),
            channel_id: channel.into(),
        }),
        connection_hops: vec![connection.into()],
        version: version.into(),
        upgrade_sequence: 0,
    }
}

/// B starts the handshake of a new `ping` channel towards A (ChanOpenInit).
async fn init_ping_channel_on_b(n: &mut common::ping::Net) {
    let init = chpb::MsgChannelOpenInit {
        port_id: "ping".into(),
        channel: Some(ping_end(1, &n.link.b.connection_id, "", "ping-1")),
        signer: n.b.relayer_address(),
    };
    n.b.submit(vec![any(&init)]).await.ok();
}

#[tokio::test]
async fn chan_open_ack_on_a_tryopen_end_is_refused() {
    let mut n = net().await;
    // B initiates; A answers with TRY; an ACK sent to A (TRYOPEN) must fail
    init_ping_channel_on_b(&mut n).await;
    let (_, proof, ph) = n.b.prove("channelEnds/ports/ping/channels/channel-0").await;
    #[allow(deprecated)]
    let try_ = chpb::MsgChannelOpenTry {
        port_id: "ping".into(),
        channel: Some(ping_end(2, &n.link.a.connection_id, "channel-0", "")),
        counterparty_version: "ping-1".into(),
        proof_init: proof.clone(),
        proof_height: Some(ph),
        signer: n.a.relayer_address(),
        ..Default::default()
    };
    relay(&mut n.b, &mut n.a, &mut n.link.a, vec![any(&try_)])
        .await
        .ok();
    let ack = chpb::MsgChannelOpenAck {
        port_id: "ping".into(),
        channel_id: "channel-0".into(),
        counterparty_channel_id: "channel-0".into(),
        counterparty_version: "ping-1".into(),
        proof_try: proof,
        proof_height: Some(ph),
        signer: n.a.relayer_address(),
    };
    let r = n.a.submit(vec![any(&ack)]).await;
    assert_eq!(code(&r), ("channel".into(), 5), "{}", r.log);
}

/// Simulate on `chain`'s node at the latest height: `Ok(gas_used)` or the error's log.
async fn simulate(chain: &TestChain<AppNode>, tx: &[u8]) -> Result<u64, String> {
    use cosmos_sdk_proto::cosmos::tx::v1beta1 as txpb;
    let req = txpb::SimulateRequest {
        tx_bytes: tx.to_vec(),
        ..Default::default()
    };
    let a = chain
        .node
        .queries
        .abci_query(
            "/cosmos.tx.v1beta1.Service/Simulate",
            &req.encode_to_vec(),
            0,
            false,
        )
        .await;
    if a.code != 0 {
        return Err(a.log);
    }
    let r = txpb::SimulateResponse::decode(a.value.as_slice()).unwrap();
    Ok(r.gas_info.unwrap().gas_used)
}

/// CheckTx of a new tx on `chain`'s node: `(codespace, code, log)`.
async fn check_tx(chain: &TestChain<AppNode>, tx: &[u8]) -> (&'static str, u32, String) {
    let o = chain
        .node
        .mempool
        .lock()
        .await
        .check_tx(tx, CheckKind::New)
        .await;
    (o.codespace, o.code, o.log)
}

/// A net with an UNORDERED ping channel over which A sent a ping of each of `data`; returns
/// it, the packets, their `MsgRecvPacket`s for B (proven on A) and the `MsgUpdateClient` that
/// must reach B before them.
async fn pings_to_relay(
    data: &[&[u8]],
) -> (
    Net,
    Vec<chpb::Packet>,
    Vec<ibc_proto::google::protobuf::Any>,
    ibc_proto::google::protobuf::Any,
) {
    let (mut n, pair) = ping_net(UNORDERED).await;
    let mut packets = vec![];
    for d in data {
        packets.push(send_ping(&mut n, &pair, d).await);
    }
    let mut recvs = vec![];
    for p in &packets {
        recvs.push(recv_msg(&mut n.a, &n.b, p).await);
    }
    let update = update_msg(&mut n.a, &n.b, &mut n.link.b).unwrap();
    (n, packets, recvs, update)
}

/// B's relayer and the sequence of its account on B.
async fn relayer_of_b(n: &Net) -> (TestKey, u64) {
    let relayer = n.b.relayer.clone();
    let (_, seq) = n.b.node.account(relayer.address().0).await;
    (relayer, seq)
}

#[tokio::test]
async fn a_relayers_split_batch_checks_and_simulates_against_the_update_in_its_first_tx() {
    // Hermes splits [MsgUpdateClient, MsgRecvPacket × n] over several txs with consecutive
    // sequences and broadcasts them back to back; it simulates each one just before sending
    // it. The second tx proves against the client update in the first, still in the mempool.
    let (mut n, _, recvs, update) = pings_to_relay(&[b"one", b"two"]).await;
    let [r1, r2] = <[_; 2]>::try_from(recvs).unwrap();
    let (relayer, seq) = relayer_of_b(&n).await;
    let tx1 =
        n.b.sign_as_user(&relayer, seq, vec![update, r1.clone()])
            .await;
    let tx2 = n.b.sign_as_user(&relayer, seq + 1, vec![r2]).await;

    // Before the first is admitted, the second cannot verify: ibc-go's words, which Hermes
    // recognises as worth sending anyway.
    let early = simulate(&n.b, &tx2).await.unwrap_err();
    assert!(
        early.contains("client state height < proof height"),
        "{early}"
    );
    let (space, code, log) = check_tx(&n.b, &tx1).await;
    assert_eq!((space, code), ("", 0), "{log}");
    // Now it simulates (a real estimate, not Hermes's default gas) and is admitted.
    let gas = simulate(&n.b, &tx2).await.unwrap();
    assert!(gas > 0);
    let (space, code, log) = check_tx(&n.b, &tx2).await;
    assert_eq!((space, code), ("", 0), "{log}");

    // Relaying p1 again while its first delivery is pending is redundant: refused at once
    // with ibc-go's code and text, and the sequence is not consumed.
    let dup = n.b.sign_as_user(&relayer, seq + 2, vec![r1.clone()]).await;
    let (space, code, log) = check_tx(&n.b, &dup).await;
    assert_eq!((space, code), ("channel", 22), "{log}");
    assert!(log.contains("packet messages are redundant"), "{log}");
    // As in ibc-go, a tx that also carries another kind of message is not refused for it.
    let me = n.b.relayer_address();
    let send = hub_testkit::msg_send(&me, &me, "1", "uhub");
    let send = ibc_proto::google::protobuf::Any {
        type_url: send.type_url,
        value: send.value,
    };
    let mixed = n.b.sign_as_user(&relayer, seq + 2, vec![r1, send]).await;
    let (space, code, log) = check_tx(&n.b, &mixed).await;
    assert_eq!((space, code), ("", 0), "{log}");

    // All three land in one block, in order (the redundant receive is a no-op there).
    let res = n.b.block(vec![tx1, tx2, mixed]).await;
    for r in res {
        r.ok();
    }
    assert_eq!(stored(&n.b, "ibc/ping/received/channel-0/2").await, b"two");
}

#[tokio::test]
async fn a_relay_tx_with_a_bad_proof_is_refused_by_check_tx_and_leaves_no_trace() {
    // An attacker (or a confused relayer) broadcasts a receive whose proof does not verify:
    // CheckTx refuses it before it reaches a block, and the check-state keeps nothing of it,
    // so the honest relayer's tx with the same sequence is admitted next.
    let (mut n, packets, mut recvs, update) = pings_to_relay(&[b"one"]).await;
    let good = recvs.pop().unwrap();
    let mut forged = packets[0].clone();
    forged.data = b"forged".to_vec();
    let mut bad = chpb::MsgRecvPacket::decode(good.value.as_slice()).unwrap();
    bad.packet = Some(forged);
    let (relayer, seq) = relayer_of_b(&n).await;
    let liar =
        n.b.sign_as_user(&relayer, seq, vec![update.clone(), any(&bad)])
            .await;
    let (space, code, log) = check_tx(&n.b, &liar).await;
    assert_ne!(code, 0, "a forged packet was admitted");
    assert!(!space.is_empty(), "{log}");
    let honest = n.b.sign_as_user(&relayer, seq, vec![update, good]).await;
    let (space, code, log) = check_tx(&n.b, &honest).await;
    assert_eq!((space, code), ("", 0), "{log}");
}

#[tokio::test]
async fn a_tx_that_runs_out_of_gas_in_an_ibc_handler_fails_with_sdk_11_and_writes_nothing() {
    let (mut n, _, mut recvs, update) = pings_to_relay(&[b"one"]).await;
    let recv = recvs.pop().unwrap();
    let (relayer, seq) = relayer_of_b(&n).await;
    let full =
        n.b.sign_as_user(&relayer, seq, vec![update.clone(), recv.clone()])
            .await;
    let needed = simulate(&n.b, &full).await.unwrap();
    // Enough for the ante (bytes, signature, account and fee), short of the handlers' state
    // reads and writes, which the framework meters.
    n.b.gas_limit = needed - 3_000;
    let short =
        n.b.sign_as_user(&relayer, seq, vec![update.clone(), recv.clone()])
            .await;
    let r = n.b.block(vec![short]).await.pop().unwrap();
    assert_eq!(code(&r), ("sdk".into(), 11), "{}", r.log);
    // ...in a handler, not in the ante.
    assert!(
        r.log.contains("out of gas in location: /ibc.core."),
        "{}",
        r.log
    );
    // Nothing of the messages was written: no receipt, no client update; the same relay
    // with enough gas goes through.
    assert!(stored(&n.b, "ibc/ping/received/channel-0/1")
        .await
        .is_empty());
    n.b.gas_limit = 10_000_000;
    let (_, seq) = n.b.node.account(relayer.address().0).await;
    let ok = n.b.sign_as_user(&relayer, seq, vec![update, recv]).await;
    n.b.block(vec![ok]).await.pop().unwrap().ok();
    assert_eq!(stored(&n.b, "ibc/ping/received/channel-0/1").await, b"one");
}

/// Every `ibc/…` record of a state, raw.
async fn ibc_records<S: hub_framework::cnidarium::StateRead>(s: &S) -> Vec<(String, Vec<u8>)> {
    use hub_framework::StateReadProto;
    s.prefix_raw_vec("ibc/").await.unwrap()
}

/// Runs the IBC module's InitChain of `g` on an empty state; returns the store, the state and
/// the outcome.
async fn init_ibc_genesis(
    g: &hub_ibc::IbcGenesis,
) -> (
    hub_framework::cnidarium::TempStorage,
    hub_framework::cnidarium::StateDelta<hub_framework::cnidarium::Snapshot>,
    Result<(), hub_framework::ModuleError>,
) {
    let (storage, mut s) = hub_testkit::temp_state(&["ibc"]).await;
    let ctx = hub_framework::GenesisCtx {
        chain_id: "x".into(),
        bech32_prefix: "hub".into(),
        time: tendermint::Time::unix_epoch(),
    };
    let r = <hub_ibc::Ibc as hub_framework::Module>::init_genesis(&mut s, &ctx, g).await;
    (storage, s, r)
}

/// The channel part of `c`'s IBC genesis export.
async fn channel_genesis(c: &TestChain<AppNode>) -> hub_ibc::module::ChannelGenesis {
    let snap = c.node.app.storage().latest_snapshot();
    let g = hub_app::runtime::export_genesis(&snap).await.unwrap();
    g.ibc.channel_genesis
}

#[tokio::test]
async fn an_ibc_genesis_export_imports_back_to_the_same_clients_connections_channels_and_packets() {
    let (mut n, unordered) = ping_net(UNORDERED).await;
    let ordered = ping_channel(&mut n, ORDERED).await;
    // One packet received and acked, one received only (a receipt and an ack commitment on
    // B), one still in flight (a commitment on A), and an ORDERED one received.
    let p1 = send_ping(&mut n, &unordered, b"one").await;
    let p2 = send_ping(&mut n, &unordered, b"two").await;
    send_ping(&mut n, &unordered, b"three").await;
    let p4 = send_ping(&mut n, &ordered, b"four").await;
    let r1 = n.recv(&p1).await.ok();
    let (p, ack) = written_acks(&r1).pop().unwrap();
    n.ack(&p, &ack).await.ok();
    n.recv(&p2).await.ok();
    n.recv(&p4).await.ok();

    for chain in [&n.a, &n.b] {
        let snap = chain.node.app.storage().latest_snapshot();
        let exported = hub_app::runtime::export_genesis(&snap).await.unwrap();
        let g = &exported.ibc;
        assert_eq!(g.client_genesis.clients.len(), 1);
        assert!(g.client_genesis.clients_consensus.len() > 1);
        assert!(!g.client_genesis.clients_metadata.is_empty());
        assert_eq!(g.connection_genesis.connections.len(), 1);
        assert_eq!(g.channel_genesis.channels.len(), 2);
        assert_eq!(g.channel_genesis.next_channel_sequence, "2");
        // Through the genesis file's JSON and into an empty state.
        let json = serde_json::to_string(&exported).unwrap();
        let back = hub_app::runtime::AppState::from_json(json.as_bytes()).unwrap();
        assert_eq!(&back.ibc, g);
        let (_storage, fresh, r) = init_ibc_genesis(&back.ibc).await;
        r.unwrap();
        assert_eq!(ibc_records(&fresh).await, ibc_records(&snap).await);
    }
    let b = channel_genesis(&n.b).await;
    assert_eq!(b.receipts.len(), 2, "p1 and p2 on the UNORDERED channel");
    assert_eq!(b.acknowledgements.len(), 3);
    let a = channel_genesis(&n.a).await;
    assert_eq!(a.commitments.len(), 3, "p2, p3 and p4 not acknowledged yet");
}

#[tokio::test]
async fn an_ibc_genesis_naming_a_path_with_a_slash_in_an_id_is_refused() {
    let g: hub_ibc::IbcGenesis = serde_json::from_value(serde_json::json!({
        "connection_genesis": {
            "connections": [{ "connection_id": "connection-0/../../x", "connection_end": "" }]
        }
    }))
    .unwrap();
    let (_storage, _, r) = init_ibc_genesis(&g).await;
    let e = r.unwrap_err();
    assert!(
        e.log
            .contains("app_state.ibc.connection_genesis.connections[0]"),
        "{}",
        e.log
    );
}

// The advisory catalogue for packets (docs/security.md).

/// A packet whose timeout height is the receiving block's height has timed out (ibc-go:
/// `selfHeight >= timeoutHeight`), so a relayer cannot both time it out on the sender and
/// deliver it; one block earlier it is received. Receiving it at the boundary writes no
/// receipt.
#[tokio::test]
async fn a_packet_is_received_before_its_timeout_height_and_refused_exactly_at_it() {
    let (mut n, pair) = ping_net(UNORDERED).await;
    // B's next block is the one a relayed receive executes in.
    let at = n.b.height + 1;
    let late = send_ping_until(&mut n, &pair, b"at", (1, at), 0).await;
    let before = send_ping_until(&mut n, &pair, b"before", (1, at + 2), 0).await;
    let r = n.recv(&late).await;
    assert_eq!(code(&r), ("channel".into(), 14), "{}", r.log);
    assert!(stored(&n.b, "ibc/ping/received/channel-0/1")
        .await
        .is_empty());
    n.recv(&before).await.ok();
    assert_eq!(
        stored(&n.b, "ibc/ping/received/channel-0/2").await,
        b"before"
    );
}

/// The timestamp twin of the test above (ibc-go: timed out once the block time ≥ the timeout
/// timestamp): a packet whose timeout is one nanosecond after the time of the block that
/// receives it is received; one whose timeout is exactly that time is refused.
#[tokio::test]
async fn a_packet_is_received_before_its_timeout_timestamp_and_refused_exactly_at_it() {
    let (mut n, pair) = ping_net(UNORDERED).await;
    // The time of B's next block (its header signed now), where a relayed receive executes.
    let next_block_time = |b: &mut hub_testkit::ibc::TestChain<common::AppNode>| {
        b.seal();
        u64::try_from(b.time().unix_timestamp_nanos()).unwrap()
    };
    let t = next_block_time(&mut n.b);
    let before = send_ping_until(&mut n, &pair, b"before", (0, 0), t + 1).await;
    n.recv(&before).await.ok();
    assert_eq!(
        stored(&n.b, "ibc/ping/received/channel-0/1").await,
        b"before"
    );
    let t = next_block_time(&mut n.b);
    let at = send_ping_until(&mut n, &pair, b"at", (0, 0), t).await;
    let r = n.recv(&at).await;
    assert_eq!(code(&r), ("channel".into(), 14), "{}", r.log);
    assert!(stored(&n.b, "ibc/ping/received/channel-0/2")
        .await
        .is_empty());
}

/// Freezes A's client of B with a header that conflicts with the one it trusts at
/// `conflict_at` (same height, another app hash, signed by B's validators), trusted at
/// `trusted`.
async fn freeze_client_of_b(n: &mut common::ping::Net, conflict_at: u64, trusted: u64) {
    use hub_testkit::chain::{ibc_header, BlockSpec, CommitOptions};
    let genuine = n.b.header(conflict_at);
    let fork = BlockSpec {
        chain_id: &n.b.chain_id,
        height: conflict_at,
        time: genuine.header.time,
        app_hash: vec![0xab; 32],
        validators: &n.b.validators,
        next_validators: &n.b.validators,
        last_block_id: None,
        commit: CommitOptions::default(),
    }
    .signed_header();
    let vals = &n.b.validators;
    let header = ibc_header(&fork, vals, (n.b.revision(), trusted), vals);
    let m = ibc_proto::ibc::core::client::v1::MsgUpdateClient {
        client_id: n.link.a.client_id.clone(),
        client_message: Some(any(&header)),
        signer: n.a.relayer_address(),
    };
    // As ibc-go, the update that proves misbehaviour succeeds, and its effect is the freeze.
    n.a.submit(vec![any(&m)]).await.ok();
}

/// A frozen client proves nothing. Once A's client of B is frozen by a conflicting header,
/// every message that would trust it (a client update, a send, a receive, an acknowledgement, a
/// timeout, a connection and a channel handshake step), each proven at a height the client had trusted, is
/// refused with `client`/29, and none of them writes anything.
#[tokio::test]
async fn a_frozen_client_is_refused_by_every_message_kind_and_nothing_is_written() {
    let (mut n, pair) = ping_net(UNORDERED).await;
    // Packets in every state, all to be proven on B at one height.
    let acked = send_ping(&mut n, &pair, b"acked").await;
    let r = n.recv(&acked).await.ok();
    let (_, ack) = written_acks(&r).pop().unwrap();
    let late = send_ping_expiring(&mut n, &pair, b"late", 2).await;
    let m = ping_msg(&n.b, &pair.chan_b, b"to a", (1, n.a.height + 1000), 0);
    let to_a = sent_packets(&n.b.submit(vec![m]).await.ok()).pop().unwrap();
    n.b.idle(3).await;
    init_ping_channel_on_b(&mut n).await;
    // A second connection from B to A, opened on B (connection-1).
    let version = || connpb::Version {
        identifier: "1".into(),
        features: vec!["ORDER_ORDERED".into(), "ORDER_UNORDERED".into()],
    };
    let prefix = || {
        Some(ibc_proto::ibc::core::commitment::v1::MerklePrefix {
            key_prefix: b"ibc".to_vec(),
        })
    };
    let init = connpb::MsgConnectionOpenInit {
        client_id: n.link.b.client_id.clone(),
        counterparty: Some(connpb::Counterparty {
            client_id: n.link.a.client_id.clone(),
            connection_id: String::new(),
            prefix: prefix(),
        }),
        version: Some(version()),
        delay_period: 0,
        signer: n.b.relayer_address(),
    };
    n.b.submit(vec![any(&init)]).await.ok();

    // A's client follows B to height h; every proof below is made at h.
    let trusted = n.link.a.trusted;
    relay(&mut n.b, &mut n.a, &mut n.link.a, vec![]).await.ok();
    let h = n.link.a.trusted;
    let relayer = n.a.relayer_address();
    let (_, proof_acked, ph) =
        n.b.prove("acks/ports/ping/channels/channel-0/sequences/1")
            .await;
    assert_eq!(ph.revision_height, h);
    let (_, proof_unreceived, ph) =
        n.b.prove("receipts/ports/ping/channels/channel-0/sequences/2")
            .await;
    let (_, proof_init, _) = n.b.prove("channelEnds/ports/ping/channels/channel-1").await;
    let (_, proof_conn_init, _) = n.b.prove("connections/connection-1").await;
    #[allow(deprecated)]
    let msgs = [
        ("receive", recv_msg(&mut n.b, &n.a, &to_a).await),
        (
            "acknowledgement",
            any(&chpb::MsgAcknowledgement {
                packet: Some(acked.clone()),
                acknowledgement: ack,
                proof_acked,
                proof_height: Some(ph),
                signer: relayer.clone(),
            }),
        ),
        (
            "timeout",
            any(&chpb::MsgTimeout {
                packet: Some(late.clone()),
                proof_unreceived,
                proof_height: Some(ph),
                next_sequence_recv: 0,
                signer: relayer.clone(),
            }),
        ),
        (
            "connection open try",
            any(&connpb::MsgConnectionOpenTry {
                client_id: n.link.a.client_id.clone(),
                counterparty: Some(connpb::Counterparty {
                    client_id: n.link.b.client_id.clone(),
                    connection_id: "connection-1".into(),
                    prefix: prefix(),
                }),
                delay_period: 0,
                counterparty_versions: vec![version()],
                proof_height: Some(ph),
                proof_init: proof_conn_init,
                signer: relayer.clone(),
                ..Default::default()
            }),
        ),
        (
            "channel open try",
            any(&chpb::MsgChannelOpenTry {
                port_id: "ping".into(),
                previous_channel_id: String::new(),
                channel: Some(ping_end(2, &n.link.a.connection_id, "channel-1", "")),
                counterparty_version: "ping-1".into(),
                proof_init,
                proof_height: Some(ph),
                signer: relayer.clone(),
            }),
        ),
    ];

    freeze_client_of_b(&mut n, h, trusted).await;
    n.b.idle(1).await;
    let update = update_msg(&mut n.b, &n.a, &mut n.link.a.clone()).unwrap();
    let send = ping_msg(&n.a, &pair.chan_a, b"x", (1, n.b.height + 1000), 0);
    let all = msgs.into_iter().chain([("update", update), ("send", send)]);
    for (kind, m) in all {
        let r = n.a.submit(vec![m]).await;
        assert_eq!(code(&r), ("client".into(), 29), "{kind}: {}", r.log);
    }
    for key in [
        "ibc/ping/received/channel-0/1",
        "ibc/ping/acked/channel-0/1",
        "ibc/ping/timed_out/channel-0/2",
        "ibc/channelEnds/ports/ping/channels/channel-1",
        "ibc/connections/connection-1",
        "ibc/commitments/ports/ping/channels/channel-0/sequences/3",
    ] {
        assert!(stored(&n.a, key).await.is_empty(), "{key} was written");
    }
    let late_commitment = "ibc/commitments/ports/ping/channels/channel-0/sequences/2";
    assert!(!stored(&n.a, late_commitment).await.is_empty());
}
