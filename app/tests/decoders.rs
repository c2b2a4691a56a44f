//! The decoders of bytes from outside as properties: the proptest twins of the libFuzzer
//! targets in `tests/fuzz`, run in CI. Both call the same bodies (`common/fuzz.rs`): each
//! decoder returns a typed error or a value, never panics, and what the canonical ones accept
//! is exactly what their encoders produce.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

#[path = "common/fuzz.rs"]
mod fuzz;

use cosmos_sdk_proto::cosmos::tx::v1beta1 as txpb;
use cosmos_sdk_proto::Any;
use hub_app::runtime::Msg;
use hub_transfer::FungibleTokenPacketData;
use proptest::prelude::*;
use prost::Message;

/// Bytes that look like JSON more often than uniform bytes do: JSON punctuation, keys the
/// decoders know, and anything else.
fn jsonish() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"{".to_vec()),
        Just(b"}".to_vec()),
        Just(b"\"".to_vec()),
        Just(b":".to_vec()),
        Just(b",".to_vec()),
        Just(b"[".to_vec()),
        Just(b"]".to_vec()),
        Just(b"\"amount\"".to_vec()),
        Just(b"\"denom\"".to_vec()),
        Just(b"\"memo\"".to_vec()),
        Just(b"\"receiver\"".to_vec()),
        Just(b"\"sender\"".to_vec()),
        Just(b"\"result\"".to_vec()),
        Just(b"\"error\"".to_vec()),
        Just(b"\"forward\"".to_vec()),
        Just(b"\"channel\"".to_vec()),
        Just(b"\"port\"".to_vec()),
        Just(b"\"timeout\"".to_vec()),
        Just(b"\"retries\"".to_vec()),
        Just(b"\"next\"".to_vec()),
        Just(b"\"AQ==\"".to_vec()),
        Just(b"null".to_vec()),
        Just(b"18446744073709551616".to_vec()),
        "[a-z0-9./-]{0,12}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..4),
    ];
    prop::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z0-9/]{1,16}",
        any::<String>(),
        "[\"\\\\<>&\u{2028}\u{2029}\u{0}-\u{1f}]{1,8}",
    ]
}

/// A message `Any` of a type the runtimes know, with a value of random bytes.
fn any_msg() -> impl Strategy<Value = Any> {
    let urls: Vec<&'static str> = Msg::type_urls()
        .into_iter()
        .flat_map(|(_, urls)| urls.iter().copied())
        .collect();
    (
        prop::sample::select(urls),
        prop::collection::vec(any::<u8>(), 0..160),
    )
        .prop_map(|(url, value)| Any {
            type_url: url.to_string(),
            value,
        })
}

/// `TxRaw` bytes shaped like a transaction (a body of known message types, a memo, maybe a
/// timeout height, random auth info and signatures), or random bytes.
fn tx_bytes() -> impl Strategy<Value = Vec<u8>> {
    let body = (prop::collection::vec(any_msg(), 0..3), text(), 0u64..2).prop_map(
        |(messages, memo, timeout_height)| {
            txpb::TxBody {
                messages,
                memo,
                timeout_height,
                ..Default::default()
            }
            .encode_to_vec()
        },
    );
    let raw = (
        body,
        prop::collection::vec(any::<u8>(), 0..96),
        prop::collection::vec(prop::collection::vec(any::<u8>(), 0..66), 0..3),
    )
        .prop_map(|(body_bytes, auth_info_bytes, signatures)| {
            txpb::TxRaw {
                body_bytes,
                auth_info_bytes,
                signatures,
            }
            .encode_to_vec()
        });
    prop_oneof![raw, prop::collection::vec(any::<u8>(), 0..256)]
}

/// The real encodings of the four 07-tendermint types (a client state, a consensus state, a
/// signed header with its validators, a misbehaviour of two conflicting headers), each behind
/// its pick byte of [`fuzz::light_client`].
fn light_client_seeds() -> Vec<Vec<u8>> {
    use hub_testkit::chain::{ibc_header, signed_header, time, TestValidatorSet};
    use ibc_proto::ibc::lightclients::tendermint::v1 as tm;
    let vals = TestValidatorSet::uniform("v", 4, 10);
    let header = |app_hash: u8| {
        let sh = signed_header(
            "spoke-1",
            5,
            time(100),
            vec![app_hash; 32],
            &vals,
            &vals,
            None,
        );
        ibc_header(&sh, &vals, (1, 4), &vals)
    };
    let cs = tm::ClientState {
        chain_id: "spoke-1".into(),
        trust_level: Some(tm::Fraction {
            numerator: 1,
            denominator: 3,
        }),
        trusting_period: Some(ibc_proto::google::protobuf::Duration {
            seconds: 100,
            nanos: 0,
        }),
        unbonding_period: Some(ibc_proto::google::protobuf::Duration {
            seconds: 200,
            nanos: 0,
        }),
        max_clock_drift: Some(ibc_proto::google::protobuf::Duration {
            seconds: 10,
            nanos: 0,
        }),
        frozen_height: Some(Default::default()),
        latest_height: Some(ibc_proto::ibc::core::client::v1::Height {
            revision_number: 1,
            revision_height: 5,
        }),
        proof_specs: vec![
            hub_framework::cnidarium::ics23_spec(),
            hub_framework::cnidarium::ics23_spec(),
        ],
        upgrade_path: vec!["upgrade".into(), "upgradedIBCState".into()],
        ..Default::default()
    };
    let cons = tm::ConsensusState {
        timestamp: Some(ibc_proto::google::protobuf::Timestamp {
            seconds: 100,
            nanos: 0,
        }),
        root: Some(ibc_proto::ibc::core::commitment::v1::MerkleRoot { hash: vec![7; 32] }),
        next_validators_hash: vals.hash().as_bytes().to_vec(),
    };
    #[allow(deprecated)] // `client_id` is deprecated in ibc-go; relayers still fill it
    let mis = tm::Misbehaviour {
        client_id: "07-tendermint-0".into(),
        header_1: Some(header(1)),
        header_2: Some(header(2)),
    };
    [
        cs.encode_to_vec(),
        cons.encode_to_vec(),
        header(1).encode_to_vec(),
        mis.encode_to_vec(),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, v)| [&[i as u8][..], &v].concat())
    .collect()
}

/// A real 07-tendermint encoding with some bytes changed, or random bytes.
fn light_client_bytes() -> impl Strategy<Value = Vec<u8>> {
    let seeds = light_client_seeds();
    let mutated = (
        0..seeds.len(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    )
        .prop_map(move |(i, edits)| {
            let mut b = seeds[i].clone();
            for (at, byte) in edits {
                let k = 1 + at.index(b.len() - 1);
                b[k] = byte;
            }
            b
        });
    prop_oneof![3 => mutated, 1 => prop::collection::vec(any::<u8>(), 0..256)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, failure_persistence: None, ..ProptestConfig::default() })]

    /// 07-tendermint client and consensus states, headers and misbehaviour from outside: an
    /// error, or a value that round-trips.
    #[test]
    fn light_client_types_decode_to_values_that_round_trip(bytes in light_client_bytes()) {
        fuzz::light_client(&bytes);
    }

    /// Control packet data as a spoke receives it: `None` or exactly the canonical bytes.
    #[test]
    fn control_packets_decode_only_their_canonical_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        fuzz::control_packet(&bytes);
    }

    /// ICS-20 packet data from a counterparty: an error or exactly the canonical bytes.
    #[test]
    fn ics20_packet_data_decodes_only_its_canonical_bytes(bytes in prop_oneof![jsonish(), prop::collection::vec(any::<u8>(), 0..256)]) {
        fuzz::ics20_packet_data(&bytes);
    }

    /// Every packet data this chain encodes decodes back to itself (quotes, control
    /// characters, HTML characters and U+2028/9 escaped as Go escapes them).
    #[test]
    fn ics20_packet_data_round_trips(denom in text(), amount in text(), sender in text(), receiver in text(), memo in text()) {
        let d = FungibleTokenPacketData { denom, amount, sender, receiver, memo };
        prop_assert_eq!(FungibleTokenPacketData::decode_canonical(&d.to_bytes()).unwrap(), d);
    }

    /// ICS-20 acknowledgements from a counterparty: an error or exactly the canonical bytes.
    #[test]
    fn ics20_acks_decode_only_their_canonical_bytes(bytes in prop_oneof![jsonish(), prop::collection::vec(any::<u8>(), 0..128)]) {
        fuzz::ics20_ack(&bytes);
    }

    /// A packet memo is read for a forward request without panicking, whatever it holds.
    #[test]
    fn forward_memos_never_panic(memo in prop_oneof![jsonish(), any::<String>().prop_map(String::into_bytes)]) {
        fuzz::forward_memo(&memo);
    }

    /// A spoke's acknowledgement of an upgrade packet: an error or a value, never a panic.
    #[test]
    fn upgrade_acks_never_panic(bytes in prop_oneof![jsonish(), prop::collection::vec(any::<u8>(), 0..128)]) {
        fuzz::upgrade_ack(&bytes);
    }

    /// A genesis file's `app_state`: an error naming where it fails, never a panic.
    #[test]
    fn genesis_app_state_never_panics(bytes in prop_oneof![jsonish(), prop::collection::vec(any::<u8>(), 0..256)]) {
        fuzz::genesis(&bytes);
    }

    /// A transaction as CheckTx receives it, then every message through the runtime's
    /// decoder: a typed error or a value, never a panic.
    #[test]
    fn txs_and_their_messages_never_panic(bytes in tx_bytes()) {
        fuzz::tx(&bytes);
    }

    /// One message of each known type with random value bytes.
    #[test]
    fn every_message_decoder_returns_an_error_or_a_value(pick in any::<u8>(), value in prop::collection::vec(any::<u8>(), 0..256)) {
        fuzz::msg(&[&[pick][..], &value].concat());
    }

    /// Random proof bytes never prove anything about a real tree.
    #[test]
    fn random_proof_bytes_prove_nothing(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        fuzz::proof(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// A gRPC query with random request bytes to any method: a value or an error with a log.
    #[test]
    fn grpc_queries_answer_random_requests_with_a_value_or_a_logged_error(pick in any::<u8>(), request in prop::collection::vec(any::<u8>(), 0..128)) {
        fuzz::grpc_query(&[&[pick][..], &request].concat());
    }
}

/// Every seed of the light-client property decodes (so the mutations start from real values).
#[test]
fn the_light_client_seeds_decode() {
    use hub_ibc::client::{ClientState, ConsensusState, Header, Misbehaviour};
    let seeds = light_client_seeds();
    let any = |url: &str, b: &[u8]| ibc_proto::google::protobuf::Any {
        type_url: url.into(),
        value: b[1..].to_vec(),
    };
    ClientState::from_any(&any(fuzz::CLIENT_STATE_TYPE_URL, &seeds[0])).unwrap();
    ConsensusState::from_any(&any(fuzz::CONSENSUS_STATE_TYPE_URL, &seeds[1])).unwrap();
    Header::from_any(&any(hub_ibc::client::HEADER_TYPE_URL, &seeds[2])).unwrap();
    Misbehaviour::from_any(&any(hub_ibc::client::MISBEHAVIOUR_TYPE_URL, &seeds[3])).unwrap();
}

/// The fuzz target's constant root is the real tree's.
#[test]
fn the_proof_targets_root_is_the_real_trees() {
    assert_eq!(hex::encode(fuzz::real_root()), fuzz::ROOT);
}
