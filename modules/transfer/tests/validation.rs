//! ICS-20 input validation with ibc-go's error codes: messages, received packets,
//! acknowledgements, channel handshakes, params and genesis.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::*;
use hub_framework::{GenesisCtx, Module, ModuleError};
use hub_ibc::channel::Order;
use hub_ibc::router::{ChannelInfo, IbcApp};
use hub_ibc::IbcError;
use hub_testkit::paging::assert_paginates;
use hub_transfer::{
    query, FungibleTokenPacketData, MsgTransfer, Transfer, TransferError, TransferGenesis,
    TransferRead, TransferWrite,
};
use ibc_proto::ibc::applications::transfer::v1 as pb;

const MAX_U256: &str =
    "115792089237316195423570985008687907853269984665640564039457584007913129639935";
const U256: &str = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
const U128: &str = "340282366920938463463374607431768211456";

fn stateless(m: &pb::MsgTransfer) -> ModuleError {
    MsgTransfer::from_proto(m, "hub").unwrap_err()
}

/// Asserts that case `name`, `m`, fails its stateless checks with `code` in `codespace`.
fn assert_stateless(m: &pb::MsgTransfer, name: &str, codespace: &str, code: u32) {
    let e = stateless(m);
    assert_eq!((e.codespace, e.code), (codespace, code), "{name}: {e}");
}

#[tokio::test]
async fn msg_transfer_stateless_errors_have_ibc_go_codes() {
    let a = hub().await;
    let base = a.msg("channel-0", addr(1), "cosmos1receiver", "100", "uhub");
    assert!(MsgTransfer::from_proto(&base, "hub").is_ok());
    // the token's amount
    for (name, amount, cs, code) in [
        ("zero amount", "0", "ibc", 3),
        ("negative amount", "-5", "ibc", 6),
        ("2^256", U256, "ibc", 6),
        ("not a number", "1.5", "ibc", 6),
        ("2^128", U128, "transfer", 101),
        ("2^256-1", MAX_U256, "transfer", 101),
    ] {
        let mut m = base.clone();
        m.token.as_mut().unwrap().amount = amount.into();
        assert_stateless(&m, name, cs, code);
    }
    // the token's denom
    for (name, denom, cs, code) in [
        ("bad bank denom", "1x", "ibc", 6),
        ("bare ibc", "ibc", "transfer", 3),
        ("short hash", "ibc/ABCD", "transfer", 3),
        (
            "lower-case hash",
            "ibc/27394fb092d2eccd56123c74f36e4c1f926001ceada9ca97ea622b25f41e5eb2",
            "transfer",
            3,
        ),
    ] {
        let mut m = base.clone();
        m.token.as_mut().unwrap().denom = denom.into();
        assert_stateless(&m, name, cs, code);
    }
    // the receiver and the sender
    for (name, receiver, code) in [
        ("empty receiver", "  ".to_string(), 5),
        ("receiver too long", "a".repeat(2049), 5),
    ] {
        let mut m = base.clone();
        m.receiver = receiver;
        assert_stateless(&m, name, "ibc", code);
    }
    for (name, sender) in [
        ("sender not bech32", "nope".to_string()),
        ("sender with another prefix", addr(1).to_bech32("cosmos")),
    ] {
        let mut m = base.clone();
        m.sender = sender;
        assert_stateless(&m, name, "ibc", 5);
    }
    type Case = (&'static str, fn(&mut pb::MsgTransfer), &'static str, u32);
    let cases: [Case; 4] = [
        ("no token", |m| m.token = None, "ibc", 6),
        (
            "memo too long",
            |m| m.memo = "m".repeat(32769),
            "transfer",
            11,
        ),
        ("bad port", |m| m.source_port = "t".into(), "host", 2),
        (
            "bad channel",
            |m| m.source_channel = "ch/0".into(),
            "host",
            2,
        ),
    ];
    for (name, mutate, cs, code) in cases {
        let mut m = base.clone();
        mutate(&mut m);
        assert_stateless(&m, name, cs, code);
    }
    // the limits themselves are accepted
    let mut m = base.clone();
    m.receiver = "a".repeat(2048);
    m.memo = "m".repeat(32768);
    assert!(MsgTransfer::from_proto(&m, "hub").is_ok());
    // distinct messages for zero / negative / ≥ 2^256
    let mut m = base.clone();
    m.token.as_mut().unwrap().amount = U256.into();
    assert!(stateless(&m).log.contains("256 bits"));
    m.token.as_mut().unwrap().amount = "-5".into();
    assert!(stateless(&m).log.contains("strictly positive"));
    m.token.as_mut().unwrap().amount = U128.into();
    assert!(stateless(&m).log.contains("2^128"));
}

#[tokio::test]
async fn msg_transfer_stateful_errors() {
    let mut a = hub().await;
    // signed by someone else
    let m = MsgTransfer::from_proto(&a.msg("channel-0", addr(1), "r", "1", "uhub"), "hub").unwrap();
    let e = hub_framework::MsgHandler::check_stateless(&m, &a.tx(addr(2))).unwrap_err();
    assert_code(&e, "sdk", 4);
    // insufficient funds
    let e = a
        .transfer(&a.msg("channel-0", addr(1), "r", "1001", "uhub"))
        .await
        .unwrap_err();
    assert_code(&e, "sdk", 5);
    // unknown channel
    let e = a
        .transfer(&a.msg("channel-5", addr(1), "r", "1", "uhub"))
        .await
        .unwrap_err();
    assert_err(&e, IbcError::ChannelNotFound(String::new()));
    // another port
    let mut m = a.msg("channel-0", addr(1), "r", "1", "uhub");
    m.source_port = "icahost".into();
    assert_code(&a.transfer(&m).await.unwrap_err(), "port", 2);
    // a voucher whose trace is unknown
    let e = a
        .transfer(&a.msg("channel-0", addr(1), "r", "1", ATOM_OVER_0))
        .await
        .unwrap_err();
    assert_code(&e, "transfer", 6);
    // a timeout already passed on the counterparty (client latest height 1-10)
    let mut m = a.msg("channel-0", addr(1), "r", "1", "uhub");
    m.timeout_height = Some(hub_ibc::Height::new(1, 10).into());
    assert_err(
        &a.transfer(&m).await.unwrap_err(),
        IbcError::TimeoutElapsed(String::new()),
    );
    // sending disabled
    a.s.put_params(&pb::Params {
        send_enabled: false,
        receive_enabled: true,
    });
    let e = a
        .transfer(&a.msg("channel-0", addr(1), "r", "1", "uhub"))
        .await
        .unwrap_err();
    assert_err(&e, TransferError::SendDisabled);
    assert_eq!(a.balance(addr(1), "uhub").await, 1_000);
}

fn data(amount: &str, denom: &str, receiver: &str) -> FungibleTokenPacketData {
    FungibleTokenPacketData {
        denom: denom.into(),
        amount: amount.into(),
        sender: "cosmos1sender".into(),
        receiver: receiver.into(),
        memo: String::new(),
    }
}

#[tokio::test]
async fn invalid_packets_get_error_acks_with_the_failure_code() {
    let mut a = hub().await;
    let rcv = a.bech(addr(3));
    let cases: Vec<(&str, FungibleTokenPacketData, u32, &str)> = vec![
        ("zero", data("0", "uatom", &rcv), 5, "strictly positive"),
        (
            "negative",
            data("-1", "uatom", &rcv),
            5,
            "strictly positive",
        ),
        ("2^256", data(U256, "uatom", &rcv), 5, "256 bits"),
        (
            "not a number",
            data("12a", "uatom", &rcv),
            5,
            "unable to parse",
        ),
        ("2^128", data(U128, "uatom", &rcv), 101, "2^128"),
        ("2^256-1", data(MAX_U256, "uatom", &rcv), 101, "2^128"),
        ("blank receiver", data("1", "uatom", " "), 5, "receiver"),
        (
            "receiver with another prefix",
            data("1", "uatom", &addr(3).to_bech32("cosmos")),
            5,
            "receiver",
        ),
        (
            "receiver not bech32",
            data("1", "uatom", "hub1nope"),
            5,
            "receiver",
        ),
        (
            "blank base denom",
            data("1", "transfer/channel-0/", &rcv),
            3,
            "base denomination",
        ),
        (
            "bad port in path",
            data("1", "x/channel-0/uatom", &rcv),
            2,
            "identifier",
        ),
        ("blank denom", data("1", "", &rcv), 3, "base denomination"),
        (
            "blank sender",
            FungibleTokenPacketData {
                sender: String::new(),
                ..data("1", "uatom", &rcv)
            },
            5,
            "sender",
        ),
    ];
    for (seq, (name, d, code, reason)) in cases.into_iter().enumerate() {
        let p = packet_with("channel-7", "channel-0", seq as u64 + 1, &d.to_bytes());
        let (ack, events) = a.recv(&p).await;
        assert!(!ack.success, "{name}");
        assert_eq!(ack.bytes, error_ack(code), "{name}");
        let ftp = event(&events, "fungible_token_packet");
        assert_eq!(attr(ftp, "success"), "false");
        assert!(
            attr(ftp, "error").contains(reason),
            "{name}: {}",
            attr(ftp, "error")
        );
    }
    // nothing was minted or stored
    assert!(a.s.all_denom_traces().await.unwrap().is_empty());
    assert_eq!(a.balance(addr(3), ATOM_OVER_0).await, 0);
}

#[tokio::test]
async fn non_canonical_packet_json_gets_an_error_ack() {
    let mut a = hub().await;
    let rcv = a.bech(addr(3));
    let ok = format!(r#"{{"amount":"1","denom":"uatom","receiver":"{rcv}","sender":"s"}}"#);
    let (ack, _) = a.recv_data(1, ok.as_bytes()).await;
    assert!(ack.success);
    let bad = [
        format!(r#"{{"amount": "1","denom":"uatom","receiver":"{rcv}","sender":"s"}}"#),
        format!(
            "{{\n\"amount\":\"1\",\"denom\":\"uatom\",\"receiver\":\"{rcv}\",\"sender\":\"s\"}}"
        ),
        format!(r#"{{"denom":"uatom","amount":"1","receiver":"{rcv}","sender":"s"}}"#),
        format!(r#"{{"amount":"1","denom":"uatom","receiver":"{rcv}","sender":"s","zzz":"1"}}"#),
        format!(r#"{{"amount":"1","denom":"uatom","memo":"","receiver":"{rcv}","sender":"s"}}"#),
        format!(r#"{{"amount":1,"denom":"uatom","receiver":"{rcv}","sender":"s"}}"#),
        format!(r#"{{"amount":"1","denom":"uatom","receiver":"{rcv}","sender":"s"}} "#),
        "\u{feff}{}".to_string(),
        "[]".to_string(),
    ];
    for (i, b) in bad.iter().enumerate() {
        let (ack, events) = a.recv_data(i as u64 + 2, b.as_bytes()).await;
        assert!(!ack.success, "{b}");
        assert_eq!(ack.bytes, error_ack(12), "{b}");
        assert_eq!(
            attr(event(&events, "fungible_token_packet"), "success"),
            "false"
        );
    }
    assert_eq!(a.balance(addr(3), ATOM_OVER_0).await, 1);
}

#[tokio::test]
async fn receiving_disabled_gives_error_ack_8() {
    let mut a = hub().await;
    a.s.put_params(&pb::Params {
        send_enabled: true,
        receive_enabled: false,
    });
    let d = data("1", "uatom", &a.bech(addr(3)));
    let (ack, _) = a.recv_data(1, &d.to_bytes()).await;
    assert_eq!(ack.bytes, error_ack(8));
}

#[tokio::test]
async fn non_canonical_or_unknown_acks_fail_the_ack_message() {
    let mut a = hub().await;
    let (p, _) = a.send("channel-0", addr(1), "cosmos1x", "10", "uhub").await;
    for (ack, cs, code) in [
        (&br#"{ "result":"AQ=="}"#[..], "ibc", 12),
        (br#"{"error":"a&b"}"#, "ibc", 12),
        (br#"{"result":"AQ"}"#, "ibc", 4),
        (br#"{}"#, "ibc", 4),
        (br#"{"result":"AQ==","error":"x"}"#, "ibc", 4),
        (br#"{"unknown":"x"}"#, "ibc", 4),
        (b"\x01", "ibc", 4),
    ] {
        let e = a.ack(&p, ack).await.unwrap_err();
        assert_code(&e, cs, code);
    }
    // nothing was refunded by the failed attempts
    assert_eq!(a.balance(addr(1), "uhub").await, 990);
    // packet data that is not ours cannot be refunded
    let junk = packet_with("channel-0", "channel-7", 9, b"junk");
    assert_code(&a.timeout(&junk).await.unwrap_err(), "ibc", 4);
    assert_code(&a.ack(&junk, SUCCESS_ACK).await.unwrap_err(), "ibc", 4);
    // a success ack keeps the escrow
    a.ack(&p, SUCCESS_ACK).await.unwrap();
    assert_eq!(a.s.total_escrow("uhub").await.unwrap(), 10);
}

fn info<'a>(order: Order, port: &'a str, chan: &'a str, hops: &'a [String]) -> ChannelInfo<'a> {
    ChannelInfo {
        ordering: order,
        connection_hops: hops,
        port_id: port,
        channel_id: chan,
        counterparty_port_id: "transfer",
        counterparty_channel_id: "",
    }
}

#[tokio::test]
async fn channel_handshake_follows_ibc_go() {
    let mut a = hub().await;
    let tx = a.tx(addr(1));
    let hops = vec![CONNECTION.to_string()];
    let app = a.app;
    let ok = info(Order::Unordered, "transfer", "channel-1", &hops);
    let s = &mut a.s;
    for proposed in ["", "ics20-1"] {
        let v = app.on_chan_open_init(s, &tx, &ok, proposed).await.unwrap();
        assert_eq!(v, "ics20-1", "{proposed:?}");
    }
    let e = app
        .on_chan_open_init(s, &tx, &ok, "ics20-2")
        .await
        .unwrap_err();
    assert_code(&e, "transfer", 4);
    // try answers ics20-1 whatever was proposed (ibc-go v8)
    for proposed in ["ics20-1", "other"] {
        let v = app.on_chan_open_try(s, &tx, &ok, proposed).await.unwrap();
        assert_eq!(v, "ics20-1", "{proposed:?}");
    }
    app.on_chan_open_ack(s, &tx, &ok, "ics20-1").await.unwrap();
    assert_code(
        &app.on_chan_open_ack(s, &tx, &ok, "ics20-2")
            .await
            .unwrap_err(),
        "transfer",
        4,
    );
    app.on_chan_open_confirm(s, &tx, &ok).await.unwrap();

    for order in [Order::Ordered, Order::OrderedAllowTimeout] {
        let ch = info(order, "transfer", "channel-1", &hops);
        let e = app.on_chan_open_init(s, &tx, &ch, "").await.unwrap_err();
        assert_err(&e, IbcError::InvalidChannelOrdering(String::new()));
        let e = app
            .on_chan_open_try(s, &tx, &ch, "ics20-1")
            .await
            .unwrap_err();
        assert_err(&e, IbcError::InvalidChannelOrdering(String::new()));
    }
    for (port, chan, cs, code) in [
        ("other", "channel-1", "port", 2),
        ("transfer", "channel-4294967296", "transfer", 9),
        ("transfer", "mychannel", "host", 2),
    ] {
        let ch = info(Order::Unordered, port, chan, &hops);
        let e = app.on_chan_open_init(s, &tx, &ch, "").await.unwrap_err();
        assert_code(&e, cs, code);
    }
    let max = info(Order::Unordered, "transfer", "channel-4294967295", &hops);
    assert!(app.on_chan_open_init(s, &tx, &max, "").await.is_ok());

    let e = app.on_chan_close_init(s, &tx, &ok).await.unwrap_err();
    assert_code(&e, "ibc", 8);
    assert!(e.log.contains("user cannot close channel"));
    app.on_chan_close_confirm(s, &tx, &ok).await.unwrap();
    assert!(app.is_bound("transfer"));
    assert!(!app.is_bound("icahost"));
}

fn gctx() -> GenesisCtx {
    GenesisCtx {
        chain_id: "hub-1".into(),
        bech32_prefix: "hub".into(),
        time: tendermint::Time::unix_epoch(),
    }
}

#[tokio::test]
async fn genesis_round_trips_and_rejects_bad_fields() {
    let json = serde_json::json!({
        "port_id": "transfer",
        "denom_traces": [
            {"path": "transfer/channel-1", "base_denom": "uatom"},
            {"path": "transfer/channel-0", "base_denom": "gamm/pool/1"}
        ],
        "params": {"send_enabled": false, "receive_enabled": true},
        "total_escrowed": [{"denom": "ufoo", "amount": "5"}, {"denom": "uhub", "amount": "100"}]
    });
    let g: TransferGenesis = serde_json::from_value(json).unwrap();
    let mut a = Chain::new("hub").await;
    let s = &mut a.s;
    Transfer::init_genesis(s, &gctx(), &g).await.unwrap();
    let out = Transfer::export_genesis(s).await.unwrap();
    assert_eq!(out.params, g.params);
    assert_eq!(out.total_escrowed, g.total_escrowed);
    // exported sorted by full denom path
    assert_eq!(out.denom_traces[0].base_denom, "gamm/pool/1");
    assert_eq!(out.denom_traces[1].base_denom, "uatom");
    assert_eq!(s.total_escrow("uhub").await.unwrap(), 100);
    assert!(!s.params().await.unwrap().send_enabled);
    let p = query::params(s, &pb::QueryParamsRequest {}).await.unwrap();
    assert_eq!(p.params.map(|p| p.receive_enabled), Some(true));

    // the default genesis (as `{}`) binds `transfer` with both directions enabled
    let g: TransferGenesis = serde_json::from_str("{}").unwrap();
    assert_eq!(g, TransferGenesis::default());
    let mut b = Chain::new("hub").await;
    let s = &mut b.s;
    Transfer::init_genesis(s, &gctx(), &g).await.unwrap();
    assert_eq!(s.port().await.unwrap().as_deref(), Some("transfer"));
    let p = s.params().await.unwrap();
    assert!(p.send_enabled && p.receive_enabled);

    let bad: Vec<(serde_json::Value, &str)> = vec![
        (serde_json::json!({"port_id": "other"}), "port_id"),
        (
            serde_json::json!({"denom_traces": [{"path": "transfer", "base_denom": "u"}]}),
            "denom_traces[0]",
        ),
        (
            serde_json::json!({"denom_traces": [
                {"path": "transfer/channel-1", "base_denom": "u"},
                {"path": "transfer/channel-1", "base_denom": "u"}]}),
            "denom_traces[1]",
        ),
        (
            serde_json::json!({"total_escrowed": [{"denom": "uhub", "amount": "0"}]}),
            "total_escrowed[0].amount",
        ),
        (
            serde_json::json!({"total_escrowed": [
                {"denom": "uhub", "amount": "1"}, {"denom": "ufoo", "amount": "1"}]}),
            "total_escrowed[1]",
        ),
        (
            serde_json::json!({"total_escrowed": [{"denom": "uhub", "amount": U128}]}),
            "total_escrowed[0].amount",
        ),
    ];
    for (json, field) in bad {
        let g: TransferGenesis = serde_json::from_value(json.clone()).unwrap();
        let mut c = Chain::new("hub").await;
        let e = Transfer::init_genesis(&mut c.s, &gctx(), &g)
            .await
            .unwrap_err();
        assert_code(&e, "transfer", 100);
        assert!(e.log.contains(field), "{json}: {e}");
    }
    assert!(serde_json::from_str::<TransferGenesis>(r#"{"unknown": 1}"#).is_err());
}

#[tokio::test]
async fn queries_validate_their_requests() {
    let mut a = hub().await;
    let escrow_address = |channel_id: &str| pb::QueryEscrowAddressRequest {
        port_id: "transfer".into(),
        channel_id: channel_id.into(),
    };
    let r = query::escrow_address(&escrow_address("channel-141"), "cosmos")
        .await
        .unwrap();
    assert_eq!(
        r.escrow_address,
        "cosmos1x54ltnyg88k0ejmk8ytwrhd3ltm84xehrnlslf"
    );
    let e = query::escrow_address(&escrow_address("c"), "hub")
        .await
        .unwrap_err();
    assert_code(&e, "sdk", 18);

    let e = a.denom_trace("xyz").await.unwrap_err();
    assert_code(&e, "sdk", 18);
    let e = a.denom_trace(ATOM_OVER_0).await.unwrap_err();
    assert_code(&e, "sdk", 38);
    let e = a.denom_hash("transfer/channel-0/uatom").await.unwrap_err();
    assert_code(&e, "sdk", 38);
    let e = a.denom_hash("").await.unwrap_err();
    assert_code(&e, "sdk", 18);

    // traces are listed by full path
    for path in [
        "transfer/channel-9",
        "transfer/channel-1",
        "transfer/channel-10",
    ] {
        a.s.put_denom_trace(&pb::DenomTrace {
            path: path.into(),
            base_denom: "uatom".into(),
        });
    }
    let all = query::denom_traces(&a.s, &Default::default())
        .await
        .unwrap();
    let paths: Vec<&str> = all.denom_traces.iter().map(|t| t.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "transfer/channel-1",
            "transfer/channel-10",
            "transfer/channel-9"
        ]
    );
    assert_eq!(all.pagination.unwrap().total, 3);
    // lower-case hash lookups work too
    let hash = hub_transfer::denom::trace_hash_hex(&pb::DenomTrace {
        path: "transfer/channel-9".into(),
        base_denom: "uatom".into(),
    });
    let t = a.denom_trace(&hash.to_lowercase()).await.unwrap();
    assert_eq!(t.path, "transfer/channel-9");
}

#[tokio::test]
async fn denom_traces_come_in_pages_by_full_path_and_next_key_continues() {
    let mut a = hub().await;
    for i in 0..150 {
        a.s.put_denom_trace(&pb::DenomTrace {
            path: format!("transfer/channel-{i}"),
            base_denom: "uatom".into(),
        });
    }
    // full-path (byte) order: channel-0, channel-1, channel-10, channel-100, …
    let mut paths: Vec<String> = (0..150)
        .map(|i| format!("transfer/channel-{i}/uatom"))
        .collect();
    paths.sort();
    let s = &a.s;
    assert_paginates(&paths, |pagination| async move {
        let r = query::denom_traces(s, &pb::QueryDenomTracesRequest { pagination })
            .await
            .unwrap();
        let full = r
            .denom_traces
            .iter()
            .map(hub_transfer::denom::full_denom_path);
        (full.collect(), r.pagination)
    })
    .await;
}
