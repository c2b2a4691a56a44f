//! Stored records in a genesis export: base64 of their protobuf, as the staking and gov
//! sections of an exported chain carry them (`app_state.staking.state.delegations[i]`).

use base64::Engine;
use prost::Message;

/// Base64 (standard, padded) of `m`'s protobuf encoding.
pub fn encode_record(m: &impl Message) -> String {
    base64::engine::general_purpose::STANDARD.encode(m.encode_to_vec())
}

/// Decodes a record written by [`encode_record`]. Errors: the text says what is wrong
/// (`not base64: …`, `not a protobuf record: …`), for the module to prefix with its field.
pub fn decode_record<M: Message + Default>(s: &str) -> Result<M, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|e| format!("not base64: {e}"))?;
    M::decode(bytes.as_slice()).map_err(|e| format!("not a protobuf record: {e}"))
}

/// Nanoseconds since the Unix epoch of a record's protobuf timestamp; `None` before the epoch
/// or beyond `u64` nanoseconds (year 2554), which an import must refuse rather than clamp.
pub fn timestamp_ns(t: &tendermint_proto::google::protobuf::Timestamp) -> Option<u64> {
    u64::try_from(t.seconds)
        .ok()?
        .checked_mul(1_000_000_000)?
        .checked_add(u64::try_from(t.nanos).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_and_junk_is_named() {
        let d = prost_types::Duration {
            seconds: 5,
            nanos: 1,
        };
        assert_eq!(
            decode_record::<prost_types::Duration>(&encode_record(&d)),
            Ok(d)
        );
        assert!(decode_record::<prost_types::Duration>("%%")
            .unwrap_err()
            .starts_with("not base64"));
        assert!(decode_record::<prost_types::Duration>("/w==")
            .unwrap_err()
            .starts_with("not a protobuf record"));
    }

    #[test]
    fn a_timestamp_before_the_epoch_or_past_u64_nanoseconds_has_none() {
        let t = |seconds, nanos| tendermint_proto::google::protobuf::Timestamp { seconds, nanos };
        assert_eq!(timestamp_ns(&t(2, 5)), Some(2_000_000_005));
        assert_eq!(timestamp_ns(&t(-1, 0)), None);
        assert_eq!(timestamp_ns(&t(0, -1)), None);
        assert_eq!(timestamp_ns(&t(i64::MAX, 0)), None);
    }
}
