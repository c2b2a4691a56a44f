//! ICS-20 flows between hand-built chains: escrow, mint, burn, unescrow, refunds, multi-hop.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::*;
use hub_bank::BankRead;
use hub_ibc::channel::{ChannelRead, SequenceKind};
use hub_ibc::router::Acknowledgement;
use hub_transfer::{escrow_address, module_address, query, TransferRead};
use ibc_proto::ibc::applications::transfer::v1 as pb;
use sha2::Digest;
use tendermint::abci::Event;

/// `ibc/` + sha256("transfer/channel-1/transfer/channel-0/uatom").
const ATOM_OVER_0_THEN_1: &str =
    "ibc/FA0006F056DB6719B8C16C551FC392B62F5729978FC0B125AC9A432DBB2AA1A5";

/// The counterparty (`cosmos`, channel-7 ↔ hub channel-0) with 1000uatom at addr(2).
async fn cosmos() -> Chain {
    let mut b = Chain::new("cosmos").await;
    b.open("channel-7", "channel-0");
    b.fund(addr(2), "uatom", 1_000).await;
    b
}

/// Asserts that packet `p` carries the denom (trace path) `denom`.
fn assert_packet_denom(p: &hub_ibc::channel::Packet, denom: &str) {
    let data = String::from_utf8(p.data.clone()).unwrap();
    assert!(data.contains(&format!(r#""denom":"{denom}""#)), "{data}");
}

/// Sends `amount` uatom from addr(2) on the cosmos chain `b` to addr(3) on the hub `a`, and
/// receives it on the hub; returns the acknowledgement and the events.
async fn atom_to_hub(a: &mut Chain, b: &mut Chain, amount: &str) -> (Acknowledgement, Vec<Event>) {
    let (p, _) = b
        .send("channel-7", addr(2), &a.bech(addr(3)), amount, "uatom")
        .await;
    a.recv(&p).await
}

#[tokio::test]
async fn native_send_escrows_and_commits_ibc_go_packet_bytes() {
    let mut a = hub().await;
    let receiver = addr(9).to_bech32("cosmos");
    let m = a.msg("channel-0", addr(1), &receiver, "100", "uhub");
    let (p, events) = a.transfer(&m).await.unwrap();

    let expected = format!(
        r#"{{"amount":"100","denom":"uhub","receiver":"{receiver}","sender":"{}"}}"#,
        a.bech(addr(1))
    );
    assert_eq!(String::from_utf8(p.data.clone()).unwrap(), expected);
    assert_eq!(p.sequence, 1);
    assert_eq!(
        (p.destination_port.as_str(), p.destination_channel.as_str()),
        ("transfer", "channel-7")
    );
    assert_eq!(
        a.s.next_sequence(SequenceKind::Send, "transfer", "channel-0")
            .await
            .unwrap(),
        2
    );

    let escrow = escrow_address("transfer", "channel-0");
    assert_eq!(a.balance(addr(1), "uhub").await, 900);
    assert_eq!(a.balance(escrow, "uhub").await, 100);
    assert_eq!(a.supply("uhub").await, 1_000);
    assert_eq!(a.s.total_escrow("uhub").await.unwrap(), 100);

    // bank events, send_packet, then ibc_transfer and message{module=transfer}, as ibc-go
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    let t = kinds.iter().position(|k| *k == "ibc_transfer").unwrap();
    assert!(kinds.iter().position(|k| *k == "send_packet").unwrap() < t);
    assert_eq!(kinds[t + 1], "message");
    assert_eq!(attr(&events[t + 1], "module"), "transfer");
    let ev = &events[t];
    assert_eq!(attr(ev, "sender"), a.bech(addr(1)));
    assert_eq!(attr(ev, "receiver"), receiver);
    assert_eq!(attr(ev, "amount"), "100");
    assert_eq!(attr(ev, "denom"), "uhub");
    assert_eq!(attr(ev, "memo"), "");
    assert_eq!(
        attr(event(&events, "transfer"), "recipient"),
        a.bech(escrow)
    );

    // a memo is carried, sorted between denom and receiver
    let mut m = a.msg("channel-0", addr(1), &receiver, "5", "uhub");
    m.memo = r#"{"forward":{"port":"transfer"}}"#.into();
    let (p, _) = a.transfer(&m).await.unwrap();
    assert_eq!(p.sequence, 2);
    assert!(String::from_utf8(p.data)
        .unwrap()
        .contains(r#""denom":"uhub","memo":"{\"forward\":{\"port\":\"transfer\"}}","receiver""#));
    assert_eq!(a.s.total_escrow("uhub").await.unwrap(), 105);
}

#[tokio::test]
async fn receive_of_a_foreign_token_mints_the_voucher_and_stores_its_trace() {
    let mut a = hub().await;
    let mut b = cosmos().await;
    // the packet arrives on the hub's transfer/channel-0, so the voucher is
    // ibc/sha256("transfer/channel-0/uatom")
    let (ack, events) = atom_to_hub(&mut a, &mut b, "250").await;
    assert!(ack.success);
    assert_eq!(ack.bytes, SUCCESS_ACK);
    assert_eq!(a.balance(addr(3), ATOM_OVER_0).await, 250);
    assert_eq!(a.supply(ATOM_OVER_0).await, 250);
    assert_eq!(a.balance(module_address(), ATOM_OVER_0).await, 0);

    let dt = event(&events, "denomination_trace");
    assert_eq!(attr(dt, "trace_hash"), &ATOM_OVER_0[4..]);
    assert_eq!(attr(dt, "denom"), ATOM_OVER_0);
    let ftp = event(&events, "fungible_token_packet");
    for (k, v) in [
        ("module", "transfer"),
        ("sender", b.bech(addr(2)).as_str()),
        ("receiver", a.bech(addr(3)).as_str()),
        ("denom", "uatom"),
        ("amount", "250"),
        ("memo", ""),
        ("success", "true"),
    ] {
        assert_eq!(attr(ftp, k), v, "{k}");
    }

    // the trace is queryable by hash and by denom, and hashes back
    for hash in [ATOM_OVER_0, &ATOM_OVER_0[4..]] {
        let t = a.denom_trace(hash).await.unwrap();
        assert_eq!(
            (t.path.as_str(), t.base_denom.as_str()),
            ("transfer/channel-0", "uatom")
        );
    }
    let h = a.denom_hash("transfer/channel-0/uatom").await.unwrap();
    assert_eq!(h, &ATOM_OVER_0[4..]);
    // bank metadata as ibc-go's setDenomMetadata
    let md = a.s.denom_metadata(ATOM_OVER_0).await.unwrap().unwrap();
    assert_eq!(md.display, "transfer/channel-0/uatom");
    assert_eq!(md.symbol, "UATOM");
    assert_eq!(md.name, "transfer/channel-0/uatom IBC token");

    // a second receipt reuses the trace
    assert!(atom_to_hub(&mut a, &mut b, "50").await.0.success);
    assert_eq!(a.balance(addr(3), ATOM_OVER_0).await, 300);
    let all = query::denom_traces(&a.s, &Default::default())
        .await
        .unwrap();
    assert_eq!(all.denom_traces.len(), 1);
}

#[tokio::test]
async fn voucher_sent_back_is_burned_and_unescrowed_at_its_origin() {
    let mut a = hub().await;
    let mut b = cosmos().await;
    assert!(atom_to_hub(&mut a, &mut b, "250").await.0.success);
    assert_eq!(b.s.total_escrow("uatom").await.unwrap(), 250);

    // the hub sends 100 of the voucher back through channel-0: sink zone, burn
    let (back, events) = a
        .send("channel-0", addr(3), &b.bech(addr(4)), "100", ATOM_OVER_0)
        .await;
    assert_packet_denom(&back, "transfer/channel-0/uatom");
    assert_eq!(attr(event(&events, "ibc_transfer"), "denom"), ATOM_OVER_0);
    assert_eq!(a.balance(addr(3), ATOM_OVER_0).await, 150);
    assert_eq!(a.supply(ATOM_OVER_0).await, 150);
    assert_eq!(a.balance(module_address(), ATOM_OVER_0).await, 0);
    assert_eq!(a.s.total_escrow(ATOM_OVER_0).await.unwrap(), 0);

    // the cosmos chain sees its own token return (prefix transfer/channel-0/ = the source end)
    let (ack, _) = b.recv(&back).await;
    assert_eq!(ack.bytes, SUCCESS_ACK);
    assert_eq!(b.balance(addr(4), "uatom").await, 100);
    assert_eq!(b.escrowed("channel-7", "uatom").await, 150);
    assert_eq!(b.s.total_escrow("uatom").await.unwrap(), 150);
    // no voucher trace is created on the origin chain
    assert!(b.s.all_denom_traces().await.unwrap().is_empty());

    a.ack(&back, &ack.bytes).await.unwrap();
    assert_eq!(a.balance(addr(3), ATOM_OVER_0).await, 150);
}

#[tokio::test]
async fn native_round_trip_returns_escrow_and_clears_total_escrow() {
    let mut a = hub().await;
    let mut b = cosmos().await;
    let (p, _) = a
        .send("channel-0", addr(1), &b.bech(addr(5)), "300", "uhub")
        .await;
    let (ack, _) = b.recv(&p).await;
    assert!(ack.success);
    // on the cosmos side the hub's token is a voucher over its channel-7
    let voucher = hub_transfer::denom::ibc_denom(&hub_transfer::denom::parse_denom_trace(
        "transfer/channel-7/uhub",
    ));
    assert_eq!(b.balance(addr(5), &voucher).await, 300);
    let events = a.ack(&p, &ack.bytes).await.unwrap();
    let ftps = events_of(&events, "fungible_token_packet");
    assert_eq!(attr(ftps[0], "acknowledgement"), "result:\"\\001\" ");
    assert_eq!(attr(ftps[1], "success"), "\u{1}");

    let (back, _) = b
        .send("channel-7", addr(5), &a.bech(addr(6)), "300", &voucher)
        .await;
    assert_eq!(b.supply(&voucher).await, 0);
    let (ack, _) = a.recv(&back).await;
    assert!(ack.success);
    assert_eq!(a.balance(addr(6), "uhub").await, 300);
    assert_eq!(a.escrowed("channel-0", "uhub").await, 0);
    assert_eq!(a.s.total_escrow("uhub").await.unwrap(), 0);
    assert!(a.s.all_total_escrow().await.unwrap().is_empty());
    assert_eq!(a.supply("uhub").await, 1_000);
}

#[tokio::test]
async fn unescrow_beyond_the_escrow_is_an_error_ack_that_changes_nothing() {
    let mut a = hub().await;
    let (_p, _) = a
        .send("channel-0", addr(1), "cosmos1x", "100", "uhub")
        .await;
    // a (malicious) counterparty claims 101uhub are coming back
    let data = hub_transfer::FungibleTokenPacketData {
        denom: "transfer/channel-7/uhub".into(),
        amount: "101".into(),
        sender: "cosmos1sender".into(),
        receiver: a.bech(addr(6)),
        memo: String::new(),
    };
    let (ack, events) = a.recv_data(1, &data.to_bytes()).await;
    assert!(!ack.success);
    assert_eq!(ack.bytes, error_ack(5)); // sdk/5 insufficient funds
    let ftp = event(&events, "fungible_token_packet");
    assert_eq!(attr(ftp, "success"), "false");
    assert!(attr(ftp, "error").contains("unable to unescrow tokens"));
    assert_eq!(a.balance(addr(6), "uhub").await, 0);
    assert_eq!(a.escrowed("channel-0", "uhub").await, 100);
    assert_eq!(a.s.total_escrow("uhub").await.unwrap(), 100);

    // exactly the escrow is fine
    let data = hub_transfer::FungibleTokenPacketData {
        amount: "100".into(),
        ..data
    };
    let (ack, _) = a.recv_data(2, &data.to_bytes()).await;
    assert!(ack.success);
    assert_eq!(a.balance(addr(6), "uhub").await, 100);
    assert_eq!(a.s.total_escrow("uhub").await.unwrap(), 0);
}

#[tokio::test]
async fn error_ack_refunds_escrowed_and_burned_tokens() {
    let mut a = hub().await;
    let (p, _) = a
        .send("channel-0", addr(1), "cosmos1x", "100", "uhub")
        .await;
    let events = a.ack(&p, &error_ack(5)).await.unwrap();
    assert_eq!(a.balance(addr(1), "uhub").await, 1_000);
    assert_eq!(a.escrowed("channel-0", "uhub").await, 0);
    assert_eq!(a.s.total_escrow("uhub").await.unwrap(), 0);
    let ftps = events_of(&events, "fungible_token_packet");
    assert_eq!(ftps.len(), 2);
    assert_eq!(attr(ftps[0], "module"), "transfer");
    assert_eq!(attr(ftps[0], "amount"), "100");
    assert_eq!(
        attr(ftps[0], "acknowledgement"),
        "error:\"ABCI code: 5: error handling packet: see events for details\" "
    );
    assert_eq!(
        attr(ftps[1], "error"),
        "ABCI code: 5: error handling packet: see events for details"
    );

    // a burned voucher is minted back to its sender
    let mut b = cosmos().await;
    assert!(atom_to_hub(&mut a, &mut b, "40").await.0.success);
    let (back, _) = a
        .send("channel-0", addr(3), "cosmos1x", "40", ATOM_OVER_0)
        .await;
    assert_eq!(a.supply(ATOM_OVER_0).await, 0);
    a.ack(&back, &error_ack(12)).await.unwrap();
    assert_eq!(a.balance(addr(3), ATOM_OVER_0).await, 40);
    assert_eq!(a.supply(ATOM_OVER_0).await, 40);
}

#[tokio::test]
async fn timeout_refunds_and_emits_the_timeout_event() {
    let mut a = hub().await;
    let mut m = a.msg("channel-0", addr(1), "cosmos1x", "70", "uhub");
    m.memo = "hi".into();
    let (p, _) = a.transfer(&m).await.unwrap();
    assert_eq!(a.balance(addr(1), "uhub").await, 930);
    let events = a.timeout(&p).await.unwrap();
    assert_eq!(a.balance(addr(1), "uhub").await, 1_000);
    assert_eq!(a.s.total_escrow("uhub").await.unwrap(), 0);
    let t = event(&events, "timeout");
    for (k, v) in [
        ("module", "transfer"),
        ("refund_receiver", a.bech(addr(1)).as_str()),
        ("refund_denom", "uhub"),
        ("refund_amount", "70"),
        ("memo", "hi"),
    ] {
        assert_eq!(attr(t, k), v, "{k}");
    }
    // refunding twice would need escrow that is no longer there
    assert!(a.timeout(&p).await.is_err());
}

#[tokio::test]
async fn multi_hop_a_to_b_to_c_builds_the_trace_and_unwinds() {
    // A (cosmos, channel-7) → B (hub, channel-0); B (hub, channel-1) → C (osmo, channel-1)
    let mut a = cosmos().await;
    let mut b = hub().await;
    b.open("channel-1", "channel-1");
    let mut c = Chain::new("osmo").await;
    c.open("channel-1", "channel-1");

    let (p, _) = a
        .send("channel-7", addr(2), &b.bech(addr(3)), "500", "uatom")
        .await;
    assert!(b.recv(&p).await.0.success);
    assert_eq!(b.balance(addr(3), ATOM_OVER_0).await, 500);

    // B forwards the voucher to C: B is the source on channel-1, so it escrows the voucher
    let (p2, _) = b
        .send("channel-1", addr(3), &c.bech(addr(8)), "200", ATOM_OVER_0)
        .await;
    assert_packet_denom(&p2, "transfer/channel-0/uatom");
    assert_eq!(b.escrowed("channel-1", ATOM_OVER_0).await, 200);
    assert_eq!(b.s.total_escrow(ATOM_OVER_0).await.unwrap(), 200);
    assert_eq!(b.supply(ATOM_OVER_0).await, 500);

    let (ack, _) = c.recv(&p2).await;
    assert!(ack.success);
    assert_eq!(c.balance(addr(8), ATOM_OVER_0_THEN_1).await, 200);
    let t = c.denom_trace(ATOM_OVER_0_THEN_1).await.unwrap();
    assert_eq!(t.path, "transfer/channel-1/transfer/channel-0");
    assert_eq!(t.base_denom, "uatom");

    // C sends it back: burned on C, unescrowed on B as the original voucher
    let (p3, _) = c
        .send(
            "channel-1",
            addr(8),
            &b.bech(addr(9)),
            "200",
            ATOM_OVER_0_THEN_1,
        )
        .await;
    assert_packet_denom(&p3, "transfer/channel-1/transfer/channel-0/uatom");
    assert_eq!(c.supply(ATOM_OVER_0_THEN_1).await, 0);
    let (ack, _) = b.recv(&p3).await;
    assert!(ack.success, "{:?}", String::from_utf8(ack.bytes));
    assert_eq!(b.balance(addr(9), ATOM_OVER_0).await, 200);
    assert_eq!(b.s.total_escrow(ATOM_OVER_0).await.unwrap(), 0);
}

#[tokio::test]
async fn total_escrow_tracks_sends_refunds_and_returns_per_denom() {
    let mut a = hub().await;
    a.open("channel-3", "channel-9");
    a.fund(addr(1), "ufoo", 50).await;
    let (p1, _) = a
        .send("channel-0", addr(1), "cosmos1x", "100", "uhub")
        .await;
    let (_p2, _) = a.send("channel-3", addr(1), "cosmos1x", "30", "uhub").await;
    let (_p3, _) = a.send("channel-3", addr(1), "cosmos1x", "50", "ufoo").await;
    let q = |denom: &str| pb::QueryTotalEscrowForDenomRequest {
        denom: denom.into(),
    };
    let r = query::total_escrow_for_denom(&a.s, &q("uhub"))
        .await
        .unwrap();
    assert_eq!(r.amount.unwrap().amount, "130");
    assert_eq!(
        a.s.all_total_escrow().await.unwrap(),
        vec![("ufoo".to_string(), 50), ("uhub".to_string(), 130)]
    );
    a.timeout(&p1).await.unwrap();
    let r = query::total_escrow_for_denom(&a.s, &q("uhub"))
        .await
        .unwrap();
    assert_eq!(r.amount.unwrap().amount, "30");
    let r = query::total_escrow_for_denom(&a.s, &q("uatom"))
        .await
        .unwrap();
    assert_eq!(r.amount.unwrap().amount, "0");
    assert!(query::total_escrow_for_denom(&a.s, &q("x")).await.is_err());
}

#[tokio::test]
async fn a_receive_with_a_40_kb_memo_or_a_huge_receiver_gets_an_error_ack_and_mints_nothing() {
    let mut a = hub().await;
    let data = hub_transfer::FungibleTokenPacketData {
        denom: "uatom".into(),
        amount: "250".into(),
        sender: "cosmos1sender".into(),
        receiver: a.bech(addr(3)),
        memo: "m".repeat(40 * 1024),
    };
    let (ack, _) = a.recv_data(1, &data.to_bytes()).await;
    assert!(!ack.success);
    assert_eq!(ack.bytes, error_ack(11)); // transfer/11 invalid memo
    assert_eq!(a.balance(addr(3), ATOM_OVER_0).await, 0);
    assert_eq!(a.supply(ATOM_OVER_0).await, 0);

    let data = hub_transfer::FungibleTokenPacketData {
        receiver: "x".repeat(2049),
        memo: String::new(),
        ..data
    };
    let (ack, _) = a.recv_data(2, &data.to_bytes()).await;
    assert!(!ack.success);
    assert_eq!(ack.bytes, error_ack(5)); // ibc/5 invalid address (ibc-go's code 5 too)
    assert_eq!(a.supply(ATOM_OVER_0).await, 0);
    // at the limits it is accepted
    let data = hub_transfer::FungibleTokenPacketData {
        receiver: a.bech(addr(3)),
        memo: "m".repeat(32 * 1024),
        ..data
    };
    let (ack, _) = a.recv_data(3, &data.to_bytes()).await;
    assert!(ack.success);
    assert_eq!(a.supply(ATOM_OVER_0).await, 250);
}

/// A denom-trace collision attempt: the counterparty sends a token it calls
/// `ibc/<hash of ATOM over channel-0>`, the hub's own ATOM voucher. The hub prefixes the denom
/// with its receiving port and channel and hashes the whole path, so the packet mints a
/// different voucher and never credits, nor inflates the supply of, the real ATOM voucher.
#[tokio::test]
async fn a_received_denom_named_like_an_existing_voucher_mints_a_different_one() {
    let mut a = hub().await;
    let mut b = cosmos().await;
    assert!(atom_to_hub(&mut a, &mut b, "250").await.0.success);

    let data = hub_transfer::FungibleTokenPacketData {
        denom: ATOM_OVER_0.into(),
        amount: "1000000".into(),
        sender: b.bech(addr(2)),
        receiver: a.bech(addr(3)),
        memo: String::new(),
    };
    let (ack, _) = a.recv_data(2, &data.to_bytes()).await;
    assert!(ack.success);
    assert_eq!(a.balance(addr(3), ATOM_OVER_0).await, 250);
    assert_eq!(a.supply(ATOM_OVER_0).await, 250);
    let path = format!("transfer/channel-0/{ATOM_OVER_0}");
    let spoofed = format!("ibc/{}", hex::encode_upper(sha2::Sha256::digest(path)));
    assert_ne!(spoofed, ATOM_OVER_0);
    assert_eq!(a.balance(addr(3), &spoofed).await, 1_000_000);
}
