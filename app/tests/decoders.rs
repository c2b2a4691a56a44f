//! The decoders of bytes from outside as properties (the twin of fuzzing, run in CI): each
//! returns a typed error or a value, never panics, and what the canonical ones accept is
//! exactly what their encoders produce.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_app::runtime::AppState;
use hub_interchain_upgrade::UpgradeAcknowledgement;
use hub_transfer::forward::forward_metadata;
use hub_transfer::{FungibleTokenPacketData, Ics20Ack};
use proptest::prelude::*;

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, failure_persistence: None, ..ProptestConfig::default() })]

    /// ICS-20 packet data from a counterparty: an error or exactly the canonical bytes.
    #[test]
    fn ics20_packet_data_decodes_only_its_canonical_bytes(bytes in prop_oneof![jsonish(), prop::collection::vec(any::<u8>(), 0..256)]) {
        if let Ok(d) = FungibleTokenPacketData::decode_canonical(&bytes) {
            prop_assert_eq!(d.to_bytes(), bytes);
        }
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
        if let Ok(a) = Ics20Ack::decode_canonical(&bytes) {
            prop_assert_eq!(a.to_bytes(), bytes);
        }
    }

    /// A packet memo is read for a forward request without panicking, whatever it holds.
    #[test]
    fn forward_memos_never_panic(memo in prop_oneof![jsonish().prop_map(|b| String::from_utf8_lossy(&b).into_owned()), any::<String>()]) {
        if let Ok(Some(m)) = forward_metadata(&memo) {
            prop_assert!(!m.receiver.trim().is_empty() && m.timeout_ns > 0);
            prop_assert!(m.next_memo.len() <= memo.len());
        }
    }

    /// A spoke's acknowledgement of an upgrade packet: an error or a value, never a panic.
    #[test]
    fn upgrade_acks_never_panic(bytes in prop_oneof![jsonish(), prop::collection::vec(any::<u8>(), 0..128)]) {
        let _ = UpgradeAcknowledgement::decode(&bytes);
    }

    /// A genesis file's `app_state`: an error naming where it fails, never a panic.
    #[test]
    fn genesis_app_state_never_panics(bytes in prop_oneof![jsonish(), prop::collection::vec(any::<u8>(), 0..256)]) {
        if let Err(e) = AppState::from_json(&bytes) {
            prop_assert!(e.starts_with("app_state: "));
        }
    }
}
