//! 07-tendermint `ClientState` and `ConsensusState` (ibc-go `modules/light-clients/07-tendermint`).
//!
//! Stored as protobuf `Any` with ibc-go's type URLs; the domain types convert losslessly, so the
//! stored bytes equal ibc-go's for the same values.

use crate::{revision_of_chain_id, Height, IbcError};
use ibc_proto::google::protobuf::{Any, Duration as PbDuration};
use ibc_proto::ibc::core::commitment::v1::MerkleRoot;
use ibc_proto::ibc::lightclients::tendermint::v1 as pb;
use ics23::ProofSpec;
use prost::Message;
use std::time::Duration;
use tendermint::Time;

/// Type URL of a 07-tendermint client state.
pub const CLIENT_STATE_TYPE_URL: &str = "/ibc.lightclients.tendermint.v1.ClientState";
/// Type URL of a 07-tendermint consensus state.
pub const CONSENSUS_STATE_TYPE_URL: &str = "/ibc.lightclients.tendermint.v1.ConsensusState";

/// The required protobuf field `field` (named `what`) converted to its domain type.
/// Errors: `err` of "{what} is missing", or of "{what}: {the conversion error}".
pub(crate) fn required<P, T>(
    field: Option<P>,
    what: &str,
    err: fn(String) -> IbcError,
) -> Result<T, IbcError>
where
    T: TryFrom<P>,
    T::Error: std::fmt::Display,
{
    let p = field.ok_or_else(|| err(format!("{what} is missing")))?;
    T::try_from(p).map_err(|e| err(format!("{what}: {e}")))
}

/// `p` wrapped as an `Any` of `type_url` (ibc-go's type URL of the 07-tendermint type).
pub(crate) fn wrap_any(type_url: &str, p: &impl Message) -> Any {
    Any {
        type_url: type_url.into(),
        value: p.encode_to_vec(),
    }
}

/// The protobuf message `P` in `any`, whose type URL must be `type_url`.
/// Errors: `client`/10 another type URL; `undecodable` of the decode error otherwise.
pub(crate) fn unwrap_any<P: Message + Default>(
    any: &Any,
    type_url: &str,
    undecodable: impl FnOnce(prost::DecodeError) -> IbcError,
) -> Result<P, IbcError> {
    if any.type_url != type_url {
        return Err(IbcError::InvalidClientType(format!(
            "expected {type_url}, got {}",
            any.type_url
        )));
    }
    P::decode(any.value.as_slice()).map_err(undecodable)
}

/// A light client's view of a counterparty chain's parameters and latest verified height.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientState {
    /// The counterparty chain id (`name-N`; N is the revision of `latest_height`).
    pub chain_id: String,
    /// Fraction of voting power that must have signed a skipping update, `(num, den)`, in
    /// [1/3, 1].
    pub trust_level: (u64, u64),
    /// How long a consensus state can be trusted (< `unbonding_period`).
    pub trusting_period: Duration,
    /// The counterparty's unbonding period.
    pub unbonding_period: Duration,
    /// Tolerated clock skew between a header and this chain's block time (> 0).
    pub max_clock_drift: Duration,
    /// `0-0` unless frozen by misbehaviour.
    pub frozen_height: Height,
    /// The latest verified height.
    pub latest_height: Height,
    /// ICS-23 specs of the counterparty's store, innermost first.
    pub proof_specs: Vec<ProofSpec>,
    /// Where the counterparty commits upgraded clients (ibc-go: `["upgrade", "upgradedIBCState"]`).
    pub upgrade_path: Vec<String>,
}

/// A verified root of the counterparty at one height.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsensusState {
    /// The header's block time.
    pub timestamp: Time,
    /// The app hash committed by the header (root of every proof at this height).
    pub root: Vec<u8>,
    /// Hash of the validator set expected to sign the next block.
    pub next_validators_hash: Vec<u8>,
}

/// A client's status (ibc-go `exported.Status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Usable.
    Active,
    /// The latest consensus state is older than the trusting period.
    Expired,
    /// Misbehaviour was proven.
    Frozen,
    /// Its client type is not in the governance-set allow list (`allowed_clients`).
    Unauthorized,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Status::Active => "Active",
            Status::Expired => "Expired",
            Status::Frozen => "Frozen",
            Status::Unauthorized => "Unauthorized",
        })
    }
}

/// A protobuf duration as `std` duration. Errors: negative or out of range.
pub fn duration_from_proto(d: Option<&PbDuration>, what: &str) -> Result<Duration, IbcError> {
    let d = d.ok_or_else(|| IbcError::InvalidClient(format!("{what} is missing")))?;
    Duration::try_from(*d).map_err(|e| IbcError::InvalidClient(format!("{what}: {e}")))
}

/// A `std` duration as protobuf (seconds + nanos).
pub fn duration_to_proto(d: Duration) -> PbDuration {
    PbDuration {
        seconds: d.as_secs() as i64,
        nanos: d.subsec_nanos() as i32,
    }
}

impl TryFrom<pb::ClientState> for ClientState {
    type Error = IbcError;
    /// Decodes the fields; rule checks are in [`ClientState::validate`].
    fn try_from(p: pb::ClientState) -> Result<Self, IbcError> {
        let tl = p
            .trust_level
            .ok_or_else(|| IbcError::TmInvalidTrustLevel("trust level is missing".into()))?;
        Ok(ClientState {
            chain_id: p.chain_id,
            trust_level: (tl.numerator, tl.denominator),
            trusting_period: duration_from_proto(p.trusting_period.as_ref(), "trusting period")?,
            unbonding_period: duration_from_proto(p.unbonding_period.as_ref(), "unbonding period")?,
            max_clock_drift: duration_from_proto(p.max_clock_drift.as_ref(), "max clock drift")?,
            frozen_height: p.frozen_height.map(Height::from).unwrap_or_default(),
            latest_height: p.latest_height.map(Height::from).unwrap_or_default(),
            proof_specs: p.proof_specs,
            upgrade_path: p.upgrade_path,
        })
    }
}

impl From<&ClientState> for pb::ClientState {
    // The two deprecated flags are always false, as ibc-go writes them.
    #[allow(deprecated)]
    fn from(c: &ClientState) -> Self {
        pb::ClientState {
            chain_id: c.chain_id.clone(),
            trust_level: Some(pb::Fraction {
                numerator: c.trust_level.0,
                denominator: c.trust_level.1,
            }),
            trusting_period: Some(duration_to_proto(c.trusting_period)),
            unbonding_period: Some(duration_to_proto(c.unbonding_period)),
            max_clock_drift: Some(duration_to_proto(c.max_clock_drift)),
            frozen_height: Some(c.frozen_height.into()),
            latest_height: Some(c.latest_height.into()),
            proof_specs: c.proof_specs.clone(),
            upgrade_path: c.upgrade_path.clone(),
            allow_update_after_expiry: false,
            allow_update_after_misbehaviour: false,
        }
    }
}

impl ClientState {
    /// ibc-go `ClientState.Validate`: the rules a client must satisfy to be created or
    /// upgraded to.
    ///
    /// Errors (07-tendermint codespace): 2 chain id empty or its revision ≠ the latest
    /// height's; 15 trust level outside [1/3, 1]; 3 trusting period zero or ≥ unbonding;
    /// 4 unbonding zero; 7 max clock drift zero; 13 proof specs empty/invalid; `client`/3 for an
    /// empty upgrade path element or a non-zero frozen height; `client`/26 a zero latest height.
    pub fn validate(&self) -> Result<(), IbcError> {
        if self.chain_id.trim().is_empty() {
            return Err(IbcError::TmInvalidChainId("chain id is empty".into()));
        }
        if self.chain_id.len() > 50 {
            return Err(IbcError::TmInvalidChainId(format!(
                "chain id {:?} is longer than 50 characters",
                self.chain_id
            )));
        }
        let (n, d) = self.trust_level;
        // 1/3 <= n/d <= 1, in integers: 3n >= d and n <= d.
        if d == 0 || n == 0 || n > d || (n as u128) * 3 < d as u128 {
            return Err(IbcError::TmInvalidTrustLevel(format!(
                "trust level {n}/{d} must be within [1/3, 1]"
            )));
        }
        if self.unbonding_period.is_zero() {
            return Err(IbcError::TmInvalidUnbondingPeriod(
                "unbonding period must be greater than zero".into(),
            ));
        }
        if self.trusting_period.is_zero() || self.trusting_period >= self.unbonding_period {
            return Err(IbcError::TmInvalidTrustingPeriod(format!(
                "trusting period {:?} must be > 0 and < unbonding period {:?}",
                self.trusting_period, self.unbonding_period
            )));
        }
        if self.max_clock_drift.is_zero() {
            return Err(IbcError::TmInvalidMaxClockDrift(
                "max clock drift must be greater than zero".into(),
            ));
        }
        if self.latest_height.revision_height == 0 {
            return Err(IbcError::InvalidHeight(
                "latest height revision height cannot be zero".into(),
            ));
        }
        let rev = revision_of_chain_id(&self.chain_id);
        if rev != self.latest_height.revision_number {
            return Err(IbcError::TmInvalidChainId(format!(
                "latest height revision {} does not match chain id {:?} (revision {rev})",
                self.latest_height.revision_number, self.chain_id
            )));
        }
        crate::commitment::validate_proof_specs(&self.proof_specs)?;
        if self.upgrade_path.iter().any(|k| k.trim().is_empty()) {
            return Err(IbcError::InvalidClient(
                "upgrade path elements must not be empty".into(),
            ));
        }
        Ok(())
    }

    /// Wraps as `Any` with ibc-go's type URL.
    pub fn to_any(&self) -> Any {
        wrap_any(CLIENT_STATE_TYPE_URL, &pb::ClientState::from(self))
    }

    /// Decodes an `Any`. Errors: `client`/10 wrong type URL, `client`/3 undecodable.
    pub fn from_any(any: &Any) -> Result<Self, IbcError> {
        let undecodable = |e| IbcError::InvalidClient(format!("undecodable client state: {e}"));
        let p: pb::ClientState = unwrap_any(any, CLIENT_STATE_TYPE_URL, undecodable)?;
        ClientState::try_from(p)
    }

    /// True if a consensus state of time `ts` is expired at block time `now`: expiry is
    /// exactly at `ts + trusting_period` (ibc-go `IsExpired`).
    pub fn is_expired(&self, ts: Time, now: Time) -> bool {
        match ts.checked_add(self.trusting_period) {
            Some(expiry) => expiry <= now,
            None => false,
        }
    }

    /// The trust threshold as the verifier library takes it.
    pub fn trust_threshold(
        &self,
    ) -> Result<tendermint_light_client_verifier::types::TrustThreshold, IbcError> {
        tendermint_light_client_verifier::types::TrustThreshold::new(
            self.trust_level.0,
            self.trust_level.1,
        )
        .map_err(|e| IbcError::TmInvalidTrustLevel(e.to_string()))
    }
}

impl TryFrom<pb::ConsensusState> for ConsensusState {
    type Error = IbcError;
    /// Errors: `client`/8 missing timestamp or root, or an empty root / next validators hash.
    fn try_from(p: pb::ConsensusState) -> Result<Self, IbcError> {
        let timestamp: Time = required(p.timestamp, "timestamp", IbcError::InvalidConsensus)?;
        let root = p.root.map(|r| r.hash).unwrap_or_default();
        if root.is_empty() {
            return Err(IbcError::InvalidConsensus("root cannot be empty".into()));
        }
        if p.next_validators_hash.len() != 32 {
            return Err(IbcError::InvalidConsensus(
                "next validators hash must be 32 bytes".into(),
            ));
        }
        Ok(ConsensusState {
            timestamp,
            root,
            next_validators_hash: p.next_validators_hash,
        })
    }
}

impl From<&ConsensusState> for pb::ConsensusState {
    fn from(c: &ConsensusState) -> Self {
        pb::ConsensusState {
            timestamp: Some(c.timestamp.into()),
            root: Some(MerkleRoot {
                hash: c.root.clone(),
            }),
            next_validators_hash: c.next_validators_hash.clone(),
        }
    }
}

impl ConsensusState {
    /// Wraps as `Any` with ibc-go's type URL.
    pub fn to_any(&self) -> Any {
        wrap_any(CONSENSUS_STATE_TYPE_URL, &pb::ConsensusState::from(self))
    }

    /// Decodes an `Any`. Errors: `client`/10 wrong type URL, `client`/8 undecodable or invalid.
    pub fn from_any(any: &Any) -> Result<Self, IbcError> {
        let undecodable = |e| IbcError::InvalidConsensus(format!("undecodable: {e}"));
        let p: pb::ConsensusState = unwrap_any(any, CONSENSUS_STATE_TYPE_URL, undecodable)?;
        ConsensusState::try_from(p)
    }

    /// The timestamp in nanoseconds since the Unix epoch (the unit of packet timeouts).
    pub fn timestamp_nanos(&self) -> u64 {
        time_nanos(self.timestamp)
    }
}

/// A block time in nanoseconds since the Unix epoch (0 for pre-epoch times, which CometBFT
/// never produces).
pub fn time_nanos(t: Time) -> u64 {
    u64::try_from(t.unix_timestamp_nanos()).unwrap_or(0)
}
