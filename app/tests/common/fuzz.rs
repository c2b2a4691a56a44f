//! The bodies of the fuzz targets: one function per decoder of bytes from outside, each
//! asserting its property (no panic, a typed error or a value, and what the target says
//! beyond that). Two harnesses run them on the same source: the proptest twins in
//! `app/tests/decoders.rs` (every CI run) and the libFuzzer targets in `tests/fuzz`
//! (`scripts/fuzz.sh`, bounded time).

use cosmos_sdk_proto::Any;
use hub_app::runtime::{AppState, Msg};
use hub_app::ChainConfig;
use hub_auth::tx::DecodedTx;
use hub_ibc::commitment::{decode_proof, proof_specs, verify_membership, verify_non_membership};
use hub_interchain_upgrade::UpgradeAcknowledgement;
use hub_transfer::forward::forward_metadata;
use hub_transfer::{FungibleTokenPacketData, Ics20Ack};
use std::sync::OnceLock;

/// A transaction as CheckTx receives it: `TxRaw`, body and auth info, then every message
/// through the hub runtime's decoder (each message's `TryFrom<proto>`).
pub fn tx(data: &[u8]) {
    if let Ok(tx) = DecodedTx::decode(data) {
        assert!(!tx.messages.is_empty(), "a decoded tx has messages");
        let hub = ChainConfig::hub();
        for any in &tx.messages {
            let _ = hub.decode_msg(any);
        }
    }
}

/// One message of any type the runtimes know: the first byte picks the type URL, the rest
/// is its value. Reaches each message's `TryFrom<proto>` without the tx around it.
pub fn msg(data: &[u8]) {
    let Some((pick, value)) = data.split_first() else {
        return;
    };
    let urls: Vec<&str> = Msg::type_urls()
        .into_iter()
        .flat_map(|(_, urls)| urls.iter().copied())
        .collect();
    let any = Any {
        type_url: urls[usize::from(*pick) % urls.len()].to_string(),
        value: value.to_vec(),
    };
    let _ = ChainConfig::hub().decode_msg(&any);
    let _ = ChainConfig::spoke().decode_msg(&any);
}

/// ICS-20 packet data from a counterparty: an error, or exactly the canonical bytes.
pub fn ics20_packet_data(data: &[u8]) {
    if let Ok(d) = FungibleTokenPacketData::decode_canonical(data) {
        assert_eq!(
            d.to_bytes(),
            data,
            "a non-canonical packet data was accepted"
        );
    }
}

/// An ICS-20 acknowledgement from a counterparty: an error, or exactly the canonical bytes.
pub fn ics20_ack(data: &[u8]) {
    if let Ok(a) = Ics20Ack::decode_canonical(data) {
        assert_eq!(
            a.to_bytes(),
            data,
            "a non-canonical acknowledgement was accepted"
        );
    }
}

/// A packet memo read for a forward request: an error or a request no larger than the memo.
pub fn forward_memo(data: &[u8]) {
    let memo = String::from_utf8_lossy(data);
    if let Ok(Some(m)) = forward_metadata(&memo) {
        assert!(!m.receiver.trim().is_empty() && m.timeout_ns > 0);
        assert!(m.next_memo.len() <= memo.len());
    }
}

/// A spoke's acknowledgement of an upgrade packet: an error or a value.
pub fn upgrade_ack(data: &[u8]) {
    let _ = UpgradeAcknowledgement::decode(data);
}

/// A genesis file's `app_state`: a value, or an error that says where it fails.
pub fn genesis(data: &[u8]) {
    if let Err(e) = AppState::from_json(data) {
        assert!(e.starts_with("app_state: "), "{e}");
    }
}

/// The root of a real tree: the `ibc` substore holding `k10`, `k20`, …, `k90` = `v1`…`v9`
/// (hex). A constant, so that the fuzz target opens no database (RocksDB leaks a byte per open,
/// which LeakSanitizer reports); `app/tests/decoders.rs` checks it against [`real_root`].
pub const ROOT: &str = "be71a7596107e59dbcd5ca9f9745b42a061101c2c8e71cecd8f09efabab2c212";

/// The root of that tree, committed to a fresh temporary store.
pub fn real_root() -> Vec<u8> {
    use hub_framework::cnidarium::{StateDelta, StateWrite, TempStorage};
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let s = TempStorage::new_with_prefixes(vec!["ibc".into()])
            .await
            .expect("a temporary store");
        let mut d = StateDelta::new(s.latest_snapshot());
        for i in 1..10 {
            d.put_raw(format!("ibc/k{i}0"), format!("v{i}").into_bytes());
        }
        s.commit(d).await.expect("a commit").0.to_vec()
    })
}

fn root() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| hex::decode(ROOT).expect("ROOT is hex"))
}

/// A relayer's proof bytes, checked against the real tree's root: whatever they decode to,
/// they never prove a value the tree does not hold, a key it lacks, or a present key absent
/// (ICS-23 soundness, the property Dragonberry broke).
pub fn proof(data: &[u8]) {
    let Ok(p) = decode_proof(data) else {
        return;
    };
    let (specs, root, prefix) = (proof_specs(), root(), b"ibc");
    for (key, value) in [("k30", &b"forged"[..]), ("k35", b"v3"), ("k99", b"v9")] {
        let forged = verify_membership(&specs, root, prefix, key, value, &p);
        assert!(
            forged.is_err(),
            "{key}={value:?} verified with a fuzzed proof"
        );
    }
    let absent = verify_non_membership(&specs, root, prefix, "k30", &p);
    assert!(absent.is_err(), "k30 proven absent with a fuzzed proof");
}

/// 07-tendermint types from a relayer or a counterparty: the first byte picks the type (client
/// state, consensus state, header, misbehaviour), the rest is its protobuf. A value that
/// decodes wraps back to an `Any` that decodes to the same value.
pub fn light_client(data: &[u8]) {
    use hub_ibc::client::{ClientState, ConsensusState, Header, Misbehaviour};
    use hub_ibc::client::{HEADER_TYPE_URL, MISBEHAVIOUR_TYPE_URL};
    let Some((pick, value)) = data.split_first() else {
        return;
    };
    let any = |type_url: &str| ibc_proto::google::protobuf::Any {
        type_url: type_url.into(),
        value: value.to_vec(),
    };
    match pick % 4 {
        0 => {
            if let Ok(c) = ClientState::from_any(&any(CLIENT_STATE_TYPE_URL)) {
                assert_eq!(ClientState::from_any(&c.to_any()).ok(), Some(c));
            }
        }
        1 => {
            if let Ok(c) = ConsensusState::from_any(&any(CONSENSUS_STATE_TYPE_URL)) {
                assert_eq!(ConsensusState::from_any(&c.to_any()).ok(), Some(c));
            }
        }
        2 => {
            if let Ok(h) = Header::from_any(&any(HEADER_TYPE_URL)) {
                assert_eq!(Header::from_any(&h.to_any()).ok(), Some(h));
            }
        }
        _ => {
            if let Ok(m) = Misbehaviour::from_any(&any(MISBEHAVIOUR_TYPE_URL)) {
                assert_eq!(Misbehaviour::from_any(&m.to_any()).ok(), Some(m));
            }
        }
    }
}

/// ibc-go's type URL of a 07-tendermint client state.
pub const CLIENT_STATE_TYPE_URL: &str = "/ibc.lightclients.tendermint.v1.ClientState";
/// ibc-go's type URL of a 07-tendermint consensus state.
pub const CONSENSUS_STATE_TYPE_URL: &str = "/ibc.lightclients.tendermint.v1.ConsensusState";

/// A control packet (upgrade plan or pause) as a spoke receives it: `None`, or a value whose
/// canonical encoding is exactly the bytes received.
pub fn control_packet(data: &[u8]) {
    use hub_interchain_upgrade::{decode_control, ControlPacket};
    use prost::Message;
    match decode_control(data) {
        Some(ControlPacket::Upgrade(u)) => assert_eq!(u.encode_to_vec(), data),
        Some(ControlPacket::Pause(p)) => assert_eq!(p.encode_to_vec(), data),
        None => {}
    }
}

/// A chain's query service with a genesis state, and every gRPC path it serves. Built once per
/// process (RocksDB in a directory that lives as long as the process).
fn query_service() -> &'static (
    tokio::runtime::Runtime,
    hub_app::query::QueryService,
    Vec<String>,
) {
    static SERVICE: OnceLock<(
        tokio::runtime::Runtime,
        hub_app::query::QueryService,
        Vec<String>,
    )> = OnceLock::new();
    SERVICE.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        let dir = std::env::temp_dir().join(format!("hub-fuzz-query-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let q = rt.block_on(async {
            let mut app = hub_app::app::App::load(&dir, ChainConfig::hub())
                .await
                .expect("a store");
            let holder = hub_auth::Address([1; 20]).to_bech32("hub");
            let state = serde_json::json!({
                "auth": {"accounts": [{"address": holder}]},
                "bank": {"balances": [{"address": holder, "coins": [{"denom": "uhub", "amount": "1000"}]}]},
                "staking": {"validators": [{"moniker": "v", "operator_address": holder,
                    "consensus_pubkey": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=", "power": "1"}]},
            });
            app.init_chain_at("hub-1", state.to_string().as_bytes(), 1, tendermint::Time::unix_epoch(), None)
                .await
                .expect("a genesis");
            hub_app::query::QueryService::new(app.storage(), ChainConfig::hub())
        });
        let mut paths: Vec<String> = hub_app::services::MODULE_METHODS
            .iter()
            .flat_map(|(_, service, methods)| methods.iter().map(move |m| format!("{service}{}", m.name)))
            .collect();
        paths.push("/cosmos.tx.v1beta1.Service/GetTx".into());
        paths.push("store/ibc/key".into());
        paths.push("store/bank/key".into());
        (rt, q, paths)
    })
}

/// A gRPC query from a client: the first byte picks the method, the rest is its request. The
/// answer is a value or an error with a code and a log a client can show.
pub fn grpc_query(data: &[u8]) {
    let Some((pick, request)) = data.split_first() else {
        return;
    };
    let (rt, q, paths) = query_service();
    let path = &paths[usize::from(*pick) % paths.len()];
    let a = rt.block_on(q.abci_query(path, request, 0, false));
    assert!(
        a.code == 0 || !a.log.is_empty(),
        "{path}: code {} without a log",
        a.code
    );
}
