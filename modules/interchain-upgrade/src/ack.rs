//! The acknowledgement of an upgrade packet: ICS-04's JSON form, `{"result":"<base64>"}` with
//! a protobuf `UpgradeAck` inside, or ibc-go's error form
//! `{"error":"ABCI code: <n>: error handling packet: see events for details"}` carrying a
//! [`RejectCode`] only. Free-form text would enter the acknowledgement commitment, so a
//! reworded message in a new spoke release would change consensus; the code is the protocol,
//! and the hub renders its meaning ([`RejectCode::describe`]).

use crate::InterchainUpgradeError;
use base64::Engine;
use hub_proto::interchain_upgrade::v1::UpgradeAck;
use prost::Message;

/// Why a spoke refused a plan: the code of its error acknowledgement. Codes are stable
/// (part of the `hub-upgrade-1` protocol).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RejectCode {
    /// The receiving chain is not a spoke.
    NotASpoke = 1,
    /// The packet did not arrive on the spoke's bound upgrade channel.
    NotBoundChannel = 2,
    /// The packet data is neither a canonical `UpgradePacketData` with a plan nor a canonical
    /// `PausePacketData`.
    BadPacketData = 3,
    /// The plan names another chain.
    WrongChain = 4,
    /// The plan's name, height or info is malformed.
    InvalidPlan = 5,
    /// The plan has no binary for the spoke's platform.
    NoBinaryForPlatform = 6,
    /// The plan name was accepted before.
    NameUsed = 7,
    /// Another plan is scheduled.
    PlanInFlight = 8,
    /// The plan height is not beyond the spoke's height + `min_upgrade_delay`.
    HeightTooClose = 9,
    /// The spoke could not read its state or schedule the plan.
    Internal = 10,
    /// A pause would exceed the spoke's limit on pauses in force.
    TooManyPauses = 11,
}

impl RejectCode {
    const ALL: [RejectCode; 11] = [
        RejectCode::NotASpoke,
        RejectCode::NotBoundChannel,
        RejectCode::BadPacketData,
        RejectCode::WrongChain,
        RejectCode::InvalidPlan,
        RejectCode::NoBinaryForPlatform,
        RejectCode::NameUsed,
        RejectCode::PlanInFlight,
        RejectCode::HeightTooClose,
        RejectCode::Internal,
        RejectCode::TooManyPauses,
    ];

    /// The code's number.
    pub fn code(self) -> u32 {
        self as u32
    }

    /// The code of number `n`, if it is one.
    pub fn from_code(n: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == n)
    }

    /// What the code means, for the hub's dispatch record and operators.
    pub fn describe(self) -> &'static str {
        match self {
            RejectCode::NotASpoke => "the receiving chain is not a spoke",
            RejectCode::NotBoundChannel => {
                "the packet did not arrive on the spoke's upgrade channel"
            }
            RejectCode::BadPacketData => "the packet data is not an UpgradePacketData with a plan",
            RejectCode::WrongChain => "the plan is for another chain",
            RejectCode::InvalidPlan => "the plan's name, height or info is malformed",
            RejectCode::NoBinaryForPlatform => "the plan has no binary for the spoke's platform",
            RejectCode::NameUsed => "the plan name was already accepted (a name is used once)",
            RejectCode::PlanInFlight => "another plan is in flight (one plan at a time)",
            RejectCode::HeightTooClose => {
                "the plan height is not beyond the spoke's height + min_upgrade_delay"
            }
            RejectCode::Internal => "the spoke could not schedule the plan",
            RejectCode::TooManyPauses => "the spoke holds as many pauses as it may",
        }
    }
}

/// An upgrade acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpgradeAcknowledgement {
    /// The spoke scheduled the plan at this height.
    Scheduled(i64),
    /// The spoke refused the plan with this code (a number the hub may not know, from a
    /// newer spoke, is kept as is).
    Rejected(u32),
}

const ERROR_PREFIX: &str = "ABCI code: ";
const ERROR_SUFFIX: &str = ": error handling packet: see events for details";

impl UpgradeAcknowledgement {
    /// The acknowledgement bytes (JSON, deterministic: a height or a code, no text).
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
            UpgradeAcknowledgement::Rejected(code) => {
                serde_json::json!({ "error": format!("{ERROR_PREFIX}{code}{ERROR_SUFFIX}") })
            }
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
            (None, Some(e)) => e
                .strip_prefix(ERROR_PREFIX)
                .and_then(|rest| rest.strip_suffix(ERROR_SUFFIX))
                .and_then(|n| n.parse().ok())
                .map(UpgradeAcknowledgement::Rejected)
                .ok_or_else(|| {
                    bad(format!(
                        "error {e:?} is not \"{ERROR_PREFIX}<n>{ERROR_SUFFIX}\""
                    ))
                }),
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
            UpgradeAcknowledgement::Rejected(RejectCode::NameUsed.code()),
        ] {
            assert_eq!(UpgradeAcknowledgement::decode(&a.to_bytes()).unwrap(), a);
        }
        assert_eq!(
            UpgradeAcknowledgement::Scheduled(1).to_bytes(),
            br#"{"result":"CAE="}"#.to_vec()
        );
        assert_eq!(
            UpgradeAcknowledgement::Rejected(7).to_bytes(),
            br#"{"error":"ABCI code: 7: error handling packet: see events for details"}"#.to_vec()
        );
        for c in RejectCode::ALL {
            assert_eq!(RejectCode::from_code(c.code()), Some(c));
        }
        for bad in [
            &b"{}"[..],
            b"{\"result\":\"!!\"}",
            b"x",
            b"{\"result\":\"AQ==\",\"error\":\"e\"}",
            // free-form text is not an acknowledgement of this protocol
            b"{\"error\":\"plan v2 was already consumed\"}",
        ] {
            assert!(UpgradeAcknowledgement::decode(bad).is_err());
        }
    }
}
