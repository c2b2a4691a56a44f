//! ICS-03 handshake messages, validated as ibc-go `ValidateBasic` does.

use super::{check_supported, Counterparty, Version};
use crate::identifier::{validate_client_id, validate_connection_id, ClientId, ConnectionId};
use crate::msgs_common::{non_empty_proof, parse_signer, proof_height};
use crate::{Height, IbcError};
use hub_framework::ModuleError;
use ibc_proto::ibc::core::connection::v1 as pb;

/// `MsgConnectionOpenInit`: start a handshake on `client_id`.
#[derive(Clone, Debug)]
pub struct MsgConnectionOpenInit {
    /// Our client of the counterparty.
    pub client_id: ClientId,
    /// The counterparty's client of us and its prefix (connection id empty).
    pub counterparty: Counterparty,
    /// A proposed version, or `None` for every supported version.
    pub version: Option<Version>,
    /// Delay period in nanoseconds applied to packet proofs.
    pub delay_period: u64,
    /// Relayer address.
    pub signer: [u8; 20],
}

/// `MsgConnectionOpenTry`: answer the counterparty's INIT with a proof of it.
#[derive(Clone, Debug)]
pub struct MsgConnectionOpenTry {
    /// Our client of the counterparty.
    pub client_id: ClientId,
    /// The counterparty's client, connection id and prefix.
    pub counterparty: Counterparty,
    /// Delay period in nanoseconds (must equal the counterparty's).
    pub delay_period: u64,
    /// The counterparty's versions.
    pub counterparty_versions: Vec<Version>,
    /// Proof of the counterparty's INIT connection end.
    pub proof_init: Vec<u8>,
    /// Height of the proofs on the counterparty.
    pub proof_height: Height,
    /// Relayer address.
    pub signer: [u8; 20],
}

/// `MsgConnectionOpenAck`: complete INIT → OPEN with a proof of the counterparty's TRYOPEN.
#[derive(Clone, Debug)]
pub struct MsgConnectionOpenAck {
    /// Our connection id.
    pub connection_id: ConnectionId,
    /// The counterparty's connection id.
    pub counterparty_connection_id: ConnectionId,
    /// The version chosen by the counterparty.
    pub version: Version,
    /// Proof of the counterparty's TRYOPEN end.
    pub proof_try: Vec<u8>,
    /// Height of the proof.
    pub proof_height: Height,
    /// Relayer address.
    pub signer: [u8; 20],
}

/// `MsgConnectionOpenConfirm`: complete TRYOPEN → OPEN with a proof of the counterparty's OPEN.
#[derive(Clone, Debug)]
pub struct MsgConnectionOpenConfirm {
    /// Our connection id.
    pub connection_id: ConnectionId,
    /// Proof of the counterparty's OPEN end.
    pub proof_ack: Vec<u8>,
    /// Height of the proof.
    pub proof_height: Height,
    /// Relayer address.
    pub signer: [u8; 20],
}

fn counterparty(
    c: Option<&Counterparty>,
    expect_connection: bool,
) -> Result<Counterparty, IbcError> {
    let c = c
        .cloned()
        .ok_or_else(|| IbcError::InvalidConnectionCounterparty("counterparty is missing".into()))?;
    validate_client_id(&c.client_id)?;
    if expect_connection {
        validate_connection_id(&c.connection_id)?;
    } else if !c.connection_id.is_empty() {
        return Err(IbcError::InvalidConnectionCounterparty(
            "counterparty connection id must be empty in ConnOpenInit".into(),
        ));
    }
    if c.prefix.as_ref().is_none_or(|p| p.key_prefix.is_empty()) {
        return Err(IbcError::InvalidPrefix(
            "counterparty commitment prefix is empty".into(),
        ));
    }
    Ok(c)
}

impl MsgConnectionOpenInit {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.connection.v1.MsgConnectionOpenInit";

    /// Validates the proto. Errors: `host`/2 ids, `connection`/7 counterparty,
    /// `commitment`/3 prefix, `connection`/9 version, `sdk`/7 signer.
    pub fn from_proto(m: &pb::MsgConnectionOpenInit, hrp: &str) -> Result<Self, ModuleError> {
        let client_id = ClientId::parse(&m.client_id)?;
        if let Some(v) = &m.version {
            check_supported(v)?;
        }
        Ok(MsgConnectionOpenInit {
            client_id,
            counterparty: counterparty(m.counterparty.as_ref(), false)?,
            version: m.version.clone(),
            delay_period: m.delay_period,
            signer: parse_signer(&m.signer, hrp)?,
        })
    }
}

impl MsgConnectionOpenTry {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.connection.v1.MsgConnectionOpenTry";

    /// Validates the proto. The counterparty's client state and consensus proofs are accepted
    /// and ignored (as ibc-go ≥ 8.5, see the crate docs). Errors: as
    /// [`MsgConnectionOpenInit::from_proto`], `connection`/9 no versions, `commitment`/2 empty
    /// proof, `client`/26 zero proof height.
    #[allow(deprecated)]
    pub fn from_proto(m: &pb::MsgConnectionOpenTry, hrp: &str) -> Result<Self, ModuleError> {
        let client_id = ClientId::parse(&m.client_id)?;
        if !m.previous_connection_id.is_empty() {
            return Err(IbcError::InvalidConnection(
                "previous connection id is not supported and must be empty".into(),
            )
            .into());
        }
        if m.counterparty_versions.is_empty() {
            return Err(IbcError::InvalidVersion("counterparty versions are empty".into()).into());
        }
        Ok(MsgConnectionOpenTry {
            client_id,
            counterparty: counterparty(m.counterparty.as_ref(), true)?,
            delay_period: m.delay_period,
            counterparty_versions: m.counterparty_versions.clone(),
            proof_init: non_empty_proof(&m.proof_init, "proof init")?,
            proof_height: proof_height(m.proof_height.as_ref())?,
            signer: parse_signer(&m.signer, hrp)?,
        })
    }
}

impl MsgConnectionOpenAck {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.connection.v1.MsgConnectionOpenAck";

    /// Validates the proto. Errors: `host`/2, `connection`/9, `commitment`/2, `client`/26,
    /// `sdk`/7.
    pub fn from_proto(m: &pb::MsgConnectionOpenAck, hrp: &str) -> Result<Self, ModuleError> {
        let connection_id = ConnectionId::parse(&m.connection_id)?;
        let counterparty_connection_id = ConnectionId::parse(&m.counterparty_connection_id)?;
        let version = m
            .version
            .clone()
            .ok_or_else(|| IbcError::InvalidVersion("version is missing".into()))?;
        check_supported(&version)?;
        Ok(MsgConnectionOpenAck {
            connection_id,
            counterparty_connection_id,
            version,
            proof_try: non_empty_proof(&m.proof_try, "proof try")?,
            proof_height: proof_height(m.proof_height.as_ref())?,
            signer: parse_signer(&m.signer, hrp)?,
        })
    }
}

impl MsgConnectionOpenConfirm {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.connection.v1.MsgConnectionOpenConfirm";

    /// Validates the proto. Errors: `host`/2, `commitment`/2, `client`/26, `sdk`/7.
    pub fn from_proto(m: &pb::MsgConnectionOpenConfirm, hrp: &str) -> Result<Self, ModuleError> {
        let connection_id = ConnectionId::parse(&m.connection_id)?;
        Ok(MsgConnectionOpenConfirm {
            connection_id,
            proof_ack: non_empty_proof(&m.proof_ack, "proof ack")?,
            proof_height: proof_height(m.proof_height.as_ref())?,
            signer: parse_signer(&m.signer, hrp)?,
        })
    }
}
