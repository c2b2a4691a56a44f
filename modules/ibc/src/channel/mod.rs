//! ICS-04 channels and packets (ibc-go `modules/core/04-channel`).
//!
//! Stored values are byte-identical to ibc-go's: `Channel` protobuf at
//! `channelEnds/ports/{p}/channels/{c}`, be64 next sequences, packet commitments
//! (`sha256(be64 ts ‖ be64 rev ‖ be64 h ‖ sha256(data))`), receipts (`0x01`) and ack
//! commitments (`sha256(ack)`).

pub mod handshake;
pub mod msgs;
pub mod packet;
mod state;

pub use ibc_proto::ibc::core::channel::v1::{Channel as ChannelEnd, Counterparty};
pub use packet::{send_packet, write_async_acknowledgement};
pub use state::{ChannelRead, ChannelWrite, SequenceKind, NEXT_CHANNEL_SEQUENCE};

use crate::{Height, IbcError};
use ibc_proto::ibc::core::channel::v1 as pb;

/// A channel's state (ibc-go `channeltypes.State`; upgrade states are not supported).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChanState {
    /// Not stored / unknown value.
    Uninitialized,
    /// After `ChanOpenInit`.
    Init,
    /// After `ChanOpenTry`.
    TryOpen,
    /// Handshake complete; packets flow.
    Open,
    /// Closed by a close handshake or an ORDERED timeout.
    Closed,
}

impl ChanState {
    /// From the stored `i32`.
    pub fn of(c: &ChannelEnd) -> Self {
        match pb::State::try_from(c.state) {
            Ok(pb::State::Init) => ChanState::Init,
            Ok(pb::State::Tryopen) => ChanState::TryOpen,
            Ok(pb::State::Open) => ChanState::Open,
            Ok(pb::State::Closed) => ChanState::Closed,
            _ => ChanState::Uninitialized,
        }
    }

    /// The protobuf value.
    pub fn to_i32(self) -> i32 {
        (match self {
            ChanState::Uninitialized => pb::State::UninitializedUnspecified,
            ChanState::Init => pb::State::Init,
            ChanState::TryOpen => pb::State::Tryopen,
            ChanState::Open => pb::State::Open,
            ChanState::Closed => pb::State::Closed,
        }) as i32
    }
}

/// Packet ordering of a channel.
///
/// `ORDERED_ALLOW_TIMEOUT` is ICS-04's third ordering, encoded as the enum value 3 (ibc-go
/// knows only 1 and 2): packets are delivered in order, but a timed-out packet is skipped
/// instead of closing the channel. It needs the connection feature `ORDER_ORDERED`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Any order; receipts prevent double delivery.
    Unordered,
    /// Strictly in sequence; a timeout closes the channel.
    Ordered,
    /// In sequence; a timeout skips the sequence and keeps the channel open.
    OrderedAllowTimeout,
}

/// The protobuf value of ORDERED_ALLOW_TIMEOUT.
pub const ORDER_ORDERED_ALLOW_TIMEOUT: i32 = 3;

impl Order {
    /// From the protobuf value. Errors: `channel`/6 for 0 or unknown values.
    pub fn from_i32(v: i32) -> Result<Self, IbcError> {
        match v {
            1 => Ok(Order::Unordered),
            2 => Ok(Order::Ordered),
            ORDER_ORDERED_ALLOW_TIMEOUT => Ok(Order::OrderedAllowTimeout),
            _ => Err(IbcError::InvalidChannelOrdering(format!(
                "ordering {v} is not UNORDERED (1), ORDERED (2) or ORDERED_ALLOW_TIMEOUT (3)"
            ))),
        }
    }

    /// The protobuf value.
    pub fn to_i32(self) -> i32 {
        match self {
            Order::Unordered => pb::Order::Unordered as i32,
            Order::Ordered => pb::Order::Ordered as i32,
            Order::OrderedAllowTimeout => ORDER_ORDERED_ALLOW_TIMEOUT,
        }
    }

    /// The connection feature that permits this ordering.
    pub fn feature(self) -> &'static str {
        match self {
            Order::Unordered => "ORDER_UNORDERED",
            Order::Ordered | Order::OrderedAllowTimeout => "ORDER_ORDERED",
        }
    }

    /// The name ibc-go puts in `packet_channel_ordering`.
    pub fn name(self) -> &'static str {
        match self {
            Order::Unordered => "ORDER_UNORDERED",
            Order::Ordered => "ORDER_ORDERED",
            Order::OrderedAllowTimeout => "ORDER_ORDERED_ALLOW_TIMEOUT",
        }
    }

    /// True for the two in-sequence orderings.
    pub fn is_ordered(self) -> bool {
        self != Order::Unordered
    }
}

/// An IBC packet (ibc-go `channeltypes.Packet`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    /// Sequence on the sending end (≥ 1).
    pub sequence: u64,
    /// Sending port.
    pub source_port: String,
    /// Sending channel.
    pub source_channel: String,
    /// Receiving port.
    pub destination_port: String,
    /// Receiving channel.
    pub destination_channel: String,
    /// Opaque application data (non-empty).
    pub data: Vec<u8>,
    /// Receiving chain height at which the packet times out (`0-0`: none).
    pub timeout_height: Height,
    /// Receiving chain time (ns since the Unix epoch) at which the packet times out (0: none).
    pub timeout_timestamp: u64,
}

impl Packet {
    /// ibc-go `Packet.ValidateBasic`. Errors: `host`/2 ids, `channel`/13 zero sequence, empty
    /// data or both timeouts zero.
    pub fn from_proto(p: &pb::Packet) -> Result<Self, IbcError> {
        use crate::identifier::{validate_channel_id, validate_port_id};
        validate_port_id(&p.source_port)?;
        validate_channel_id(&p.source_channel)?;
        validate_port_id(&p.destination_port)?;
        validate_channel_id(&p.destination_channel)?;
        if p.sequence == 0 {
            return Err(IbcError::InvalidPacket(
                "packet sequence cannot be 0".into(),
            ));
        }
        if p.data.is_empty() {
            return Err(IbcError::InvalidPacket(
                "packet data cannot be empty".into(),
            ));
        }
        let timeout_height = p.timeout_height.map(Height::from).unwrap_or_default();
        if timeout_height.is_zero() && p.timeout_timestamp == 0 {
            return Err(IbcError::InvalidPacket(
                "packet timeout height and packet timeout timestamp cannot both be 0".into(),
            ));
        }
        Ok(Packet {
            sequence: p.sequence,
            source_port: p.source_port.clone(),
            source_channel: p.source_channel.clone(),
            destination_port: p.destination_port.clone(),
            destination_channel: p.destination_channel.clone(),
            data: p.data.clone(),
            timeout_height,
            timeout_timestamp: p.timeout_timestamp,
        })
    }

    /// The protobuf form (for relaying and queries).
    pub fn to_proto(&self) -> pb::Packet {
        pb::Packet {
            sequence: self.sequence,
            source_port: self.source_port.clone(),
            source_channel: self.source_channel.clone(),
            destination_port: self.destination_port.clone(),
            destination_channel: self.destination_channel.clone(),
            data: self.data.clone(),
            timeout_height: Some(self.timeout_height.into()),
            timeout_timestamp: self.timeout_timestamp,
        }
    }

    /// The commitment the sending chain stores for this packet.
    pub fn commitment(&self) -> [u8; 32] {
        crate::commitment::packet_commitment(
            self.timeout_timestamp,
            self.timeout_height,
            &self.data,
        )
    }
}
