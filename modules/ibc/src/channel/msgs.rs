//! ICS-04 messages, validated as ibc-go `ValidateBasic` does. The channel fields of OpenInit /
//! OpenTry are kept as the proto `Channel`; the handlers check their state-dependent rules.

use super::{ChannelEnd, Order, Packet};
use crate::identifier::{
    validate_channel_id, validate_connection_id, validate_port_id, ChannelId, PortId,
};
use crate::msgs_common::{non_empty_proof, parse_signer, proof_height};
use crate::{Height, IbcError};
use hub_framework::ModuleError;
use ibc_proto::ibc::core::channel::v1 as pb;

/// Validates the proposed channel of OpenInit/OpenTry: ordering, one connection hop, a
/// counterparty port (and channel id for OpenTry only).
fn proposed_channel(
    c: Option<&ChannelEnd>,
    expect_counterparty_channel: bool,
) -> Result<(ChannelEnd, Order), IbcError> {
    let c = c
        .cloned()
        .ok_or_else(|| IbcError::InvalidChannel("channel is missing".into()))?;
    let order = Order::from_i32(c.ordering)?;
    if c.connection_hops.len() != 1 {
        return Err(IbcError::TooManyConnectionHops(format!(
            "expected 1 connection hop, got {}",
            c.connection_hops.len()
        )));
    }
    validate_connection_id(&c.connection_hops[0])?;
    let cp = c
        .counterparty
        .clone()
        .ok_or_else(|| IbcError::InvalidChannelCounterparty("counterparty is missing".into()))?;
    validate_port_id(&cp.port_id)?;
    if expect_counterparty_channel {
        validate_channel_id(&cp.channel_id)?;
    } else if !cp.channel_id.is_empty() {
        return Err(IbcError::InvalidChannelCounterparty(
            "counterparty channel identifier must be empty in ChanOpenInit".into(),
        ));
    }
    Ok((c, order))
}

/// Our end's port and channel ids, validated (port first, as ibc-go).
fn ids(port: &str, chan: &str) -> Result<(PortId, ChannelId), IbcError> {
    Ok((PortId::parse(port)?, ChannelId::parse(chan)?))
}

/// `MsgChannelOpenInit`.
#[derive(Clone, Debug)]
pub struct MsgChannelOpenInit {
    /// Our port.
    pub port_id: PortId,
    /// The proposed channel (state and version as sent; see handler).
    pub channel: ChannelEnd,
    /// Its ordering.
    pub ordering: Order,
    /// Relayer.
    pub signer: [u8; 20],
}

impl MsgChannelOpenInit {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.channel.v1.MsgChannelOpenInit";
    /// Errors: `host`/2, `channel`/4, `channel`/6, `channel`/7, `channel`/15, `sdk`/7.
    pub fn from_proto(m: &pb::MsgChannelOpenInit, hrp: &str) -> Result<Self, ModuleError> {
        let port_id = PortId::parse(&m.port_id)?;
        let (channel, ordering) = proposed_channel(m.channel.as_ref(), false)?;
        Ok(MsgChannelOpenInit {
            port_id,
            channel,
            ordering,
            signer: parse_signer(&m.signer, hrp)?,
        })
    }
}

/// `MsgChannelOpenTry`.
#[derive(Clone, Debug)]
pub struct MsgChannelOpenTry {
    /// Our port.
    pub port_id: PortId,
    /// The channel as the counterparty proposed it.
    pub channel: ChannelEnd,
    /// Its ordering.
    pub ordering: Order,
    /// The counterparty's version.
    pub counterparty_version: String,
    /// Proof of the counterparty's INIT end.
    pub proof_init: Vec<u8>,
    /// Height of the proof.
    pub proof_height: Height,
    /// Relayer.
    pub signer: [u8; 20],
}

impl MsgChannelOpenTry {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.channel.v1.MsgChannelOpenTry";
    /// Errors: as OpenInit, plus `commitment`/2 and `client`/26.
    #[allow(deprecated)]
    pub fn from_proto(m: &pb::MsgChannelOpenTry, hrp: &str) -> Result<Self, ModuleError> {
        let port_id = PortId::parse(&m.port_id)?;
        if !m.previous_channel_id.is_empty() {
            return Err(IbcError::InvalidChannel(
                "previous channel id is not supported and must be empty".into(),
            )
            .into());
        }
        let (channel, ordering) = proposed_channel(m.channel.as_ref(), true)?;
        Ok(MsgChannelOpenTry {
            port_id,
            channel,
            ordering,
            counterparty_version: m.counterparty_version.clone(),
            proof_init: non_empty_proof(&m.proof_init, "proof init")?,
            proof_height: proof_height(m.proof_height.as_ref())?,
            signer: parse_signer(&m.signer, hrp)?,
        })
    }
}

/// `MsgChannelOpenAck`.
#[derive(Clone, Debug)]
pub struct MsgChannelOpenAck {
    /// Our port.
    pub port_id: PortId,
    /// Our channel.
    pub channel_id: ChannelId,
    /// The counterparty's channel id.
    pub counterparty_channel_id: ChannelId,
    /// The version the counterparty chose.
    pub counterparty_version: String,
    /// Proof of the counterparty's TRYOPEN end.
    pub proof_try: Vec<u8>,
    /// Height of the proof.
    pub proof_height: Height,
    /// Relayer.
    pub signer: [u8; 20],
}

impl MsgChannelOpenAck {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.channel.v1.MsgChannelOpenAck";
    /// Errors: `host`/2, `commitment`/2, `client`/26, `sdk`/7.
    pub fn from_proto(m: &pb::MsgChannelOpenAck, hrp: &str) -> Result<Self, ModuleError> {
        let (port_id, channel_id) = ids(&m.port_id, &m.channel_id)?;
        let counterparty_channel_id = ChannelId::parse(&m.counterparty_channel_id)?;
        Ok(MsgChannelOpenAck {
            port_id,
            channel_id,
            counterparty_channel_id,
            counterparty_version: m.counterparty_version.clone(),
            proof_try: non_empty_proof(&m.proof_try, "proof try")?,
            proof_height: proof_height(m.proof_height.as_ref())?,
            signer: parse_signer(&m.signer, hrp)?,
        })
    }
}

/// `MsgChannelOpenConfirm` and `MsgChannelCloseConfirm` (same shape: a proof of the
/// counterparty's end).
#[derive(Clone, Debug)]
pub struct MsgChannelProven {
    /// Our port.
    pub port_id: PortId,
    /// Our channel.
    pub channel_id: ChannelId,
    /// Proof of the counterparty's OPEN (confirm) or CLOSED (close confirm) end.
    pub proof: Vec<u8>,
    /// Height of the proof.
    pub proof_height: Height,
    /// Relayer.
    pub signer: [u8; 20],
}

/// `MsgChannelOpenConfirm`.
#[derive(Clone, Debug)]
pub struct MsgChannelOpenConfirm(pub MsgChannelProven);
/// `MsgChannelCloseConfirm`.
#[derive(Clone, Debug)]
pub struct MsgChannelCloseConfirm(pub MsgChannelProven);

fn proven(
    port: &str,
    chan: &str,
    proof: &[u8],
    h: Option<&ibc_proto::ibc::core::client::v1::Height>,
    signer: &str,
    hrp: &str,
) -> Result<MsgChannelProven, ModuleError> {
    let (port_id, channel_id) = ids(port, chan)?;
    Ok(MsgChannelProven {
        port_id,
        channel_id,
        proof: non_empty_proof(proof, "proof")?,
        proof_height: proof_height(h)?,
        signer: parse_signer(signer, hrp)?,
    })
}

impl MsgChannelOpenConfirm {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.channel.v1.MsgChannelOpenConfirm";
    /// Errors: `host`/2, `commitment`/2, `client`/26, `sdk`/7.
    pub fn from_proto(m: &pb::MsgChannelOpenConfirm, hrp: &str) -> Result<Self, ModuleError> {
        let p = &m.proof_ack;
        proven(
            &m.port_id,
            &m.channel_id,
            p,
            m.proof_height.as_ref(),
            &m.signer,
            hrp,
        )
        .map(Self)
    }
}

impl MsgChannelCloseConfirm {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.channel.v1.MsgChannelCloseConfirm";
    /// Errors: `host`/2, `commitment`/2, `client`/26, `sdk`/7.
    pub fn from_proto(m: &pb::MsgChannelCloseConfirm, hrp: &str) -> Result<Self, ModuleError> {
        let p = &m.proof_init;
        proven(
            &m.port_id,
            &m.channel_id,
            p,
            m.proof_height.as_ref(),
            &m.signer,
            hrp,
        )
        .map(Self)
    }
}

/// `MsgChannelCloseInit`.
#[derive(Clone, Debug)]
pub struct MsgChannelCloseInit {
    /// Our port.
    pub port_id: PortId,
    /// Our channel.
    pub channel_id: ChannelId,
    /// Signer.
    pub signer: [u8; 20],
}

impl MsgChannelCloseInit {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.channel.v1.MsgChannelCloseInit";
    /// Errors: `host`/2, `sdk`/7.
    pub fn from_proto(m: &pb::MsgChannelCloseInit, hrp: &str) -> Result<Self, ModuleError> {
        let (port_id, channel_id) = ids(&m.port_id, &m.channel_id)?;
        Ok(MsgChannelCloseInit {
            port_id,
            channel_id,
            signer: parse_signer(&m.signer, hrp)?,
        })
    }
}

fn packet(p: Option<&pb::Packet>) -> Result<Packet, IbcError> {
    Packet::from_proto(p.ok_or_else(|| IbcError::InvalidPacket("packet is missing".into()))?)
}

/// `MsgRecvPacket`.
#[derive(Clone, Debug)]
pub struct MsgRecvPacket {
    /// The packet as sent.
    pub packet: Packet,
    /// Proof of its commitment on the sender.
    pub proof_commitment: Vec<u8>,
    /// Height of the proof.
    pub proof_height: Height,
    /// Relayer.
    pub signer: [u8; 20],
}

impl MsgRecvPacket {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.channel.v1.MsgRecvPacket";
    /// Errors: `channel`/13 packet, `commitment`/2, `client`/26, `sdk`/7.
    pub fn from_proto(m: &pb::MsgRecvPacket, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgRecvPacket {
            packet: packet(m.packet.as_ref())?,
            proof_commitment: non_empty_proof(&m.proof_commitment, "proof commitment")?,
            proof_height: proof_height(m.proof_height.as_ref())?,
            signer: parse_signer(&m.signer, hrp)?,
        })
    }
}

/// `MsgAcknowledgement`.
#[derive(Clone, Debug)]
pub struct MsgAcknowledgement {
    /// The packet as sent.
    pub packet: Packet,
    /// The ack written by the receiver (non-empty).
    pub acknowledgement: Vec<u8>,
    /// Proof of the ack commitment on the receiver.
    pub proof_acked: Vec<u8>,
    /// Height of the proof.
    pub proof_height: Height,
    /// Relayer.
    pub signer: [u8; 20],
}

impl MsgAcknowledgement {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/ibc.core.channel.v1.MsgAcknowledgement";
    /// Errors: `channel`/13, `channel`/16 empty ack, `commitment`/2, `client`/26, `sdk`/7.
    pub fn from_proto(m: &pb::MsgAcknowledgement, hrp: &str) -> Result<Self, ModuleError> {
        if m.acknowledgement.is_empty() {
            return Err(
                IbcError::InvalidAcknowledgement("ack bytes cannot be empty".into()).into(),
            );
        }
        Ok(MsgAcknowledgement {
            packet: packet(m.packet.as_ref())?,
            acknowledgement: m.acknowledgement.clone(),
            proof_acked: non_empty_proof(&m.proof_acked, "proof acked")?,
            proof_height: proof_height(m.proof_height.as_ref())?,
            signer: parse_signer(&m.signer, hrp)?,
        })
    }
}

/// `MsgTimeout` and `MsgTimeoutOnClose` (with `proof_close`).
#[derive(Clone, Debug)]
pub struct MsgTimeout {
    /// The packet as sent.
    pub packet: Packet,
    /// Proof of absence of the receipt (UNORDERED) or of `next_sequence_recv` (ORDERED).
    pub proof_unreceived: Vec<u8>,
    /// For TimeoutOnClose: proof that the counterparty channel is CLOSED.
    pub proof_close: Option<Vec<u8>>,
    /// Height of the proofs.
    pub proof_height: Height,
    /// The counterparty's next receive sequence (ORDERED channels).
    pub next_sequence_recv: u64,
    /// Relayer.
    pub signer: [u8; 20],
}

impl MsgTimeout {
    /// Type URL of `MsgTimeout`.
    pub const TYPE_URL: &'static str = "/ibc.core.channel.v1.MsgTimeout";
    /// Type URL of `MsgTimeoutOnClose`.
    pub const ON_CLOSE_TYPE_URL: &'static str = "/ibc.core.channel.v1.MsgTimeoutOnClose";

    /// Errors: `channel`/13, `commitment`/2, `client`/26, `sdk`/7.
    pub fn from_proto(m: &pb::MsgTimeout, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgTimeout {
            packet: packet(m.packet.as_ref())?,
            proof_unreceived: non_empty_proof(&m.proof_unreceived, "proof unreceived")?,
            proof_close: None,
            proof_height: proof_height(m.proof_height.as_ref())?,
            next_sequence_recv: m.next_sequence_recv,
            signer: parse_signer(&m.signer, hrp)?,
        })
    }

    /// Errors: as [`MsgTimeout::from_proto`].
    pub fn from_on_close_proto(m: &pb::MsgTimeoutOnClose, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgTimeout {
            packet: packet(m.packet.as_ref())?,
            proof_unreceived: non_empty_proof(&m.proof_unreceived, "proof unreceived")?,
            proof_close: Some(non_empty_proof(&m.proof_close, "proof close")?),
            proof_height: proof_height(m.proof_height.as_ref())?,
            next_sequence_recv: m.next_sequence_recv,
            signer: parse_signer(&m.signer, hrp)?,
        })
    }
}
