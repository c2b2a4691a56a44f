//! The acknowledgement of an upgrade packet: ICS-04's JSON form, `{"result":"<base64>"}` with
//! a protobuf `UpgradeAck` inside, or `{"error":"<reason>"}`.

use crate::InterchainUpgradeError;
use base64::Engine;
use hub_proto::interchain_upgrade::v1::UpgradeAck;
use prost::Message;

/// An upgrade acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpgradeAcknowledgement {
    /// The spoke scheduled the plan at this height.
    Scheduled(i64),
    /// The spoke refused the plan, with its reason.
    Rejected(String),
}

impl UpgradeAcknowledgement {
    /// The acknowledgement bytes (JSON; reasons are ASCII text written by the spoke's code,
    /// so the encoding is deterministic).
    pub fn to_bytes(&self) -> Vec<u8> {
        let v = match self {
            UpgradeAcknowledgement::Scheduled(h) => {
                let result = UpgradeAck {
                    scheduled_height: *h,
                }
                .encode_to_vec();
                serde_json::json!({
                    "result": base64::engine::general_purpose::STANDARD.encode(result)
                })
            }
            UpgradeAcknowledgement::Rejected(reason) => serde_json::json!({ "error": reason }),
        };
        v.to_string().into_bytes()
    }

    /// True for a result acknowledgement.
    pub fn is_success(&self) -> bool {
        matches!(self, UpgradeAcknowledgement::Scheduled(_))
    }

    /// Parses acknowledgement bytes.
    ///
    /// Errors: `interchain-upgrade`/11 if they are not exactly one of `result` (base64 of an
    /// `UpgradeAck`) and `error`.
    pub fn decode(bytes: &[u8]) -> Result<Self, InterchainUpgradeError> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            result: Option<String>,
            error: Option<String>,
        }
        let bad = |m: String| InterchainUpgradeError::InvalidAcknowledgement(m);
        let raw: Raw = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
        match (raw.result, raw.error) {
            (Some(r), None) => {
                let b = base64::engine::general_purpose::STANDARD
                    .decode(r)
                    .map_err(|e| bad(format!("result is not base64: {e}")))?;
                let ack = UpgradeAck::decode(b.as_slice())
                    .map_err(|e| bad(format!("result is not an UpgradeAck: {e}")))?;
                Ok(UpgradeAcknowledgement::Scheduled(ack.scheduled_height))
            }
            (None, Some(e)) => Ok(UpgradeAcknowledgement::Rejected(e)),
            _ => Err(bad("exactly one of `result` and `error` must be set".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acknowledgements_round_trip_and_garbage_is_refused() {
        for a in [
            UpgradeAcknowledgement::Scheduled(120),
            UpgradeAcknowledgement::Rejected("plan \"v2\" was already consumed".into()),
        ] {
            assert_eq!(UpgradeAcknowledgement::decode(&a.to_bytes()).unwrap(), a);
        }
        assert_eq!(
            UpgradeAcknowledgement::Scheduled(1).to_bytes(),
            br#"{"result":"CAE="}"#.to_vec()
        );
        for bad in [
            &b"{}"[..],
            b"{\"result\":\"!!\"}",
            b"x",
            b"{\"result\":\"AQ==\",\"error\":\"e\"}",
        ] {
            assert!(UpgradeAcknowledgement::decode(bad).is_err());
        }
    }
}
