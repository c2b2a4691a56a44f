//! Domain forms of the ICS-02 client messages (`ibc.core.client.v1.Msg*`).
//!
//! `TryFrom` the ibc-proto messages performs ibc-go's `ValidateBasic`: a value of these types
//! has a well-formed signer, valid identifiers and decoded client types. Stateful checks are in
//! the handlers (`super::handler`).

use super::header::Misbehaviour;
use super::types::{
    required, ClientState, ConsensusState, CLIENT_STATE_TYPE_URL, CONSENSUS_STATE_TYPE_URL,
};
use super::update::ClientMessage;
use crate::identifier::ClientId;
use crate::{Height, IbcError};
use hub_framework::TxCtx;
use ibc_proto::google::protobuf::Any;
use ibc_proto::ibc::core::client::v1 as pb;
use ibc_proto::ibc::lightclients::tendermint::v1 as tm;
use prost::Message;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// The module whose account is the governance authority allowed to send `MsgRecoverClient`
/// (ibc-go's keeper `authority`, by default the gov module account).
pub const GOV_AUTHORITY_MODULE: &str = "gov";

/// The 20-byte address of a module account: the first 20 bytes of `sha256(name)` (Cosmos SDK
/// `authtypes.NewModuleAddress`).
pub fn module_address(name: &str) -> [u8; 20] {
    let h = Sha256::digest(name.as_bytes());
    let mut out = [0u8; 20];
    out.copy_from_slice(&h[..20]);
    out
}

/// The `signer` of a message: a bech32 account address, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signer {
    /// The bech32 prefix it was written with (must be the chain's).
    pub hrp: String,
    /// The 20 address bytes.
    pub address: [u8; 20],
}

impl Signer {
    /// Decodes a bech32 address (BIP-173 checksum, 20 bytes).
    /// Errors: `sdk`/7 for anything else (ibc-go `AccAddressFromBech32` in `ValidateBasic`).
    pub fn parse(s: &str) -> Result<Self, IbcError> {
        let bad = |why: String| IbcError::InvalidAddress(format!("signer {s:?}: {why}"));
        let (hrp, bytes) = bech32::decode(s).map_err(|e| bad(e.to_string()))?;
        let address: [u8; 20] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| bad(format!("holds {} bytes, expected 20", bytes.len())))?;
        Ok(Signer {
            hrp: hrp.to_lowercase(),
            address,
        })
    }

    /// Requires the signer to be the transaction's signer, written with the chain's prefix.
    /// Errors: `sdk`/7 another prefix; `sdk`/4 another address.
    pub fn check(&self, tx: &TxCtx) -> Result<(), IbcError> {
        if self.hrp != tx.bech32_prefix {
            return Err(IbcError::InvalidAddress(format!(
                "signer has prefix {:?}, expected {:?}",
                self.hrp, tx.bech32_prefix
            )));
        }
        if self.address != tx.signer {
            return Err(IbcError::Unauthorized(
                "the message signer is not the transaction signer".into(),
            ));
        }
        Ok(())
    }
}

fn required_any<'a>(a: &'a Option<Any>, what: &str) -> Result<&'a Any, IbcError> {
    a.as_ref()
        .ok_or_else(|| IbcError::InvalidClient(format!("{what} is missing")))
}

/// `MsgCreateClient`: a new 07-tendermint client from a client state and its first consensus
/// state (at the client state's latest height).
#[derive(Clone, Debug, PartialEq)]
pub struct MsgCreateClient {
    /// The client state; passed [`ClientState::validate`].
    pub client_state: ClientState,
    /// The consensus state at `client_state.latest_height`.
    pub consensus_state: ConsensusState,
    /// Who sends it (any account).
    pub signer: Signer,
}

impl MsgCreateClient {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.client.v1.MsgCreateClient";
}

impl TryFrom<pb::MsgCreateClient> for MsgCreateClient {
    type Error = IbcError;

    /// ibc-go `MsgCreateClient.ValidateBasic`. Errors: `sdk`/7 bad signer; `client`/3 missing
    /// client state; `client`/10 a client or consensus state of another type; the errors of
    /// [`ClientState::validate`]; `client`/8 an invalid consensus state.
    fn try_from(m: pb::MsgCreateClient) -> Result<Self, IbcError> {
        let signer = Signer::parse(&m.signer)?;
        let client_state = ClientState::from_any(required_any(&m.client_state, "client state")?)?;
        client_state.validate()?;
        let cons = m
            .consensus_state
            .as_ref()
            .ok_or_else(|| IbcError::InvalidConsensus("consensus state is missing".into()))?;
        let consensus_state = ConsensusState::from_any(cons)?;
        Ok(MsgCreateClient {
            client_state,
            consensus_state,
            signer,
        })
    }
}

/// `MsgUpdateClient`: a header (or misbehaviour) for an existing client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgUpdateClient {
    /// The client to update.
    pub client_id: ClientId,
    /// The decoded client message.
    pub client_message: ClientMessage,
    /// The client message as received (hex-encoded into the `update_client` event).
    pub raw_message: Any,
    /// Who sends it (any account).
    pub signer: Signer,
}

impl MsgUpdateClient {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.client.v1.MsgUpdateClient";
}

fn client_message(a: Option<Any>) -> Result<(ClientMessage, Any), IbcError> {
    let any = a.ok_or_else(|| IbcError::InvalidHeader("client message is missing".into()))?;
    Ok((ClientMessage::from_any(&any)?, any))
}

impl TryFrom<pb::MsgUpdateClient> for MsgUpdateClient {
    type Error = IbcError;

    /// ibc-go `MsgUpdateClient.ValidateBasic`. Errors: `sdk`/7 bad signer; `client`/12 missing
    /// message; `client`/10 a message that is neither a 07-tendermint header nor misbehaviour;
    /// the header/misbehaviour validation errors; `host`/2 bad client id.
    fn try_from(m: pb::MsgUpdateClient) -> Result<Self, IbcError> {
        let signer = Signer::parse(&m.signer)?;
        let (client_message, raw_message) = client_message(m.client_message)?;
        let client_id = ClientId::parse(&m.client_id)?;
        Ok(MsgUpdateClient {
            client_id,
            client_message,
            raw_message,
            signer,
        })
    }
}

/// `MsgSubmitMisbehaviour` (deprecated in ibc-go v8 in favour of `MsgUpdateClient`, and
/// executed the same way).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgSubmitMisbehaviour {
    /// The client to freeze.
    pub client_id: ClientId,
    /// The decoded message; ibc-go accepts any client message here.
    pub misbehaviour: ClientMessage,
    /// The message as received.
    pub raw_message: Any,
    /// Who sends it (any account).
    pub signer: Signer,
}

impl MsgSubmitMisbehaviour {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.client.v1.MsgSubmitMisbehaviour";

    /// Convenience constructor for a misbehaviour.
    pub fn new(client_id: ClientId, m: Misbehaviour, signer: Signer) -> Self {
        let raw_message = m.to_any();
        MsgSubmitMisbehaviour {
            client_id,
            misbehaviour: ClientMessage::Misbehaviour(Box::new(m)),
            raw_message,
            signer,
        }
    }
}

impl TryFrom<pb::MsgSubmitMisbehaviour> for MsgSubmitMisbehaviour {
    type Error = IbcError;

    /// ibc-go `MsgSubmitMisbehaviour.ValidateBasic`; errors as [`MsgUpdateClient`].
    fn try_from(m: pb::MsgSubmitMisbehaviour) -> Result<Self, IbcError> {
        let signer = Signer::parse(&m.signer)?;
        let (misbehaviour, raw_message) = client_message(m.misbehaviour)?;
        let client_id = ClientId::parse(&m.client_id)?;
        Ok(MsgSubmitMisbehaviour {
            client_id,
            misbehaviour,
            raw_message,
            signer,
        })
    }
}

/// `MsgUpgradeClient`: move a client to the counterparty's upgraded chain, proven by the
/// counterparty's commitment of the upgraded client and consensus states.
#[derive(Clone, Debug, PartialEq)]
pub struct MsgUpgradeClient {
    /// The client to upgrade.
    pub client_id: ClientId,
    /// The committed upgraded client state (custom fields are ignored: zeroed before proving,
    /// and replaced by the current client's). Not validated: ibc-go validates only the result.
    pub client_state: ClientState,
    /// The committed upgraded consensus state (its root may be empty: it is a trust kernel).
    pub consensus_state: ConsensusState,
    /// `MerkleProof` of the upgraded client state under the current latest consensus root.
    pub proof_upgrade_client: Vec<u8>,
    /// `MerkleProof` of the upgraded consensus state.
    pub proof_upgrade_consensus_state: Vec<u8>,
    /// Who sends it (any account).
    pub signer: Signer,
}

impl MsgUpgradeClient {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.client.v1.MsgUpgradeClient";
}

fn duration_or_zero(
    d: Option<ibc_proto::google::protobuf::Duration>,
) -> Result<Duration, IbcError> {
    match d {
        None => Ok(Duration::ZERO),
        Some(d) => Duration::try_from(d)
            .map_err(|e| IbcError::InvalidUpgradeClient(format!("duration: {e}"))),
    }
}

/// Decodes a committed upgraded client state the way gogoproto does: absent fields are zero.
/// Errors: `client`/10 another type; `client`/25 undecodable.
pub fn upgraded_client_state(any: &Any) -> Result<ClientState, IbcError> {
    if any.type_url != CLIENT_STATE_TYPE_URL {
        return Err(IbcError::InvalidClientType(format!(
            "upgraded client must be a 07-tendermint client, got {}",
            any.type_url
        )));
    }
    let p = tm::ClientState::decode(any.value.as_slice())
        .map_err(|e| IbcError::InvalidUpgradeClient(format!("undecodable client state: {e}")))?;
    let tl = p.trust_level.unwrap_or_default();
    Ok(ClientState {
        chain_id: p.chain_id,
        trust_level: (tl.numerator, tl.denominator),
        trusting_period: duration_or_zero(p.trusting_period)?,
        unbonding_period: duration_or_zero(p.unbonding_period)?,
        max_clock_drift: duration_or_zero(p.max_clock_drift)?,
        frozen_height: p.frozen_height.map(Height::from).unwrap_or_default(),
        latest_height: p.latest_height.map(Height::from).unwrap_or_default(),
        proof_specs: p.proof_specs,
        upgrade_path: p.upgrade_path,
    })
}

/// Decodes a committed upgraded consensus state without requiring a root.
/// Errors: `client`/10 another type; `client`/8 undecodable or without a timestamp.
pub fn upgraded_consensus_state(any: &Any) -> Result<ConsensusState, IbcError> {
    if any.type_url != CONSENSUS_STATE_TYPE_URL {
        return Err(IbcError::InvalidClientType(format!(
            "upgraded consensus state must be a 07-tendermint consensus state, got {}",
            any.type_url
        )));
    }
    let p = tm::ConsensusState::decode(any.value.as_slice())
        .map_err(|e| IbcError::InvalidConsensus(format!("undecodable: {e}")))?;
    Ok(ConsensusState {
        timestamp: required(p.timestamp, "timestamp", IbcError::InvalidConsensus)?,
        root: p.root.map(|r| r.hash).unwrap_or_default(),
        next_validators_hash: p.next_validators_hash,
    })
}

impl TryFrom<pb::MsgUpgradeClient> for MsgUpgradeClient {
    type Error = IbcError;

    /// ibc-go `MsgUpgradeClient.ValidateBasic`. Errors: `client`/10 states of another type;
    /// `client`/25 an undecodable client state or an empty proof; `client`/8 an undecodable
    /// consensus state; `sdk`/7 bad signer; `host`/2 bad client id.
    fn try_from(m: pb::MsgUpgradeClient) -> Result<Self, IbcError> {
        let client_state =
            upgraded_client_state(m.client_state.as_ref().ok_or_else(|| {
                IbcError::InvalidUpgradeClient("client state is missing".into())
            })?)?;
        let consensus_state =
            upgraded_consensus_state(m.consensus_state.as_ref().ok_or_else(|| {
                IbcError::InvalidUpgradeClient("consensus state is missing".into())
            })?)?;
        if m.proof_upgrade_client.is_empty() {
            return Err(IbcError::InvalidUpgradeClient(
                "proof of upgrade client cannot be empty".into(),
            ));
        }
        if m.proof_upgrade_consensus_state.is_empty() {
            return Err(IbcError::InvalidUpgradeClient(
                "proof of upgrade consensus state cannot be empty".into(),
            ));
        }
        let signer = Signer::parse(&m.signer)?;
        let client_id = ClientId::parse(&m.client_id)?;
        Ok(MsgUpgradeClient {
            client_id,
            client_state,
            consensus_state,
            proof_upgrade_client: m.proof_upgrade_client,
            proof_upgrade_consensus_state: m.proof_upgrade_consensus_state,
            signer,
        })
    }
}

/// `MsgRecoverClient`: governance replaces a frozen or expired client's state with an active
/// substitute's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgRecoverClient {
    /// The frozen or expired client to recover.
    pub subject_client_id: ClientId,
    /// The active client whose latest consensus state is copied.
    pub substitute_client_id: ClientId,
    /// Must be the governance authority ([`GOV_AUTHORITY_MODULE`]'s module account).
    pub signer: Signer,
}

impl MsgRecoverClient {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.client.v1.MsgRecoverClient";
}

impl TryFrom<pb::MsgRecoverClient> for MsgRecoverClient {
    type Error = IbcError;

    /// ibc-go `MsgRecoverClient.ValidateBasic`. Errors: `sdk`/7 bad signer; `host`/2 bad
    /// client ids; `client`/27 subject and substitute are the same client.
    fn try_from(m: pb::MsgRecoverClient) -> Result<Self, IbcError> {
        let signer = Signer::parse(&m.signer)?;
        let subject_client_id = ClientId::parse(&m.subject_client_id)?;
        let substitute_client_id = ClientId::parse(&m.substitute_client_id)?;
        if subject_client_id == substitute_client_id {
            return Err(IbcError::InvalidSubstitute(
                "subject and substitute clients must be different".into(),
            ));
        }
        Ok(MsgRecoverClient {
            subject_client_id,
            substitute_client_id,
            signer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gov_module_address_matches_cosmos_sdk() {
        // cosmos-sdk: authtypes.NewModuleAddress("gov") = cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn
        let hrp = bech32::Hrp::parse("cosmos").unwrap();
        let s = bech32::encode::<bech32::Bech32>(hrp, &module_address("gov")).unwrap();
        assert_eq!(s, "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn");
        let signer = Signer::parse(&s).unwrap();
        assert_eq!(signer.address, module_address("gov"));
        assert_eq!(signer.hrp, "cosmos");
        assert!(matches!(
            Signer::parse("cosmos1xyz"),
            Err(IbcError::InvalidAddress(_))
        ));
    }
}
