//! Packet handlers: send, receive, acknowledge, timeout, timeout-on-close
//! (ibc-go `04-channel/keeper/{packet,timeout}.go` and `core/keeper/msg_server.go`).
//!
//! A redundant relay (already received / acknowledged / timed out) is a successful no-op whose
//! log says "packet messages are redundant", as ibc-go's `ErrNoOpMsg` handling.

mod acknowledgement;
mod recv_packet;
mod timeout;

use super::msgs::{MsgAcknowledgement, MsgRecvPacket, MsgTimeout};
use super::state::{ack_path, channel_path, commitment_path, next_recv_path, receipt_path};
use super::{
    ChanState, ChannelEnd, ChannelRead, ChannelWrite, Counterparty, Order, Packet, SequenceKind,
};
use crate::client::types::time_nanos;
use crate::client::{verify_membership, verify_non_membership, ClientRead, ProofContext, Status};
use crate::commitment::{ack_commitment, RECEIPT};
use crate::connection::{proof_ctx, ConnState, ConnectionEnd, ConnectionRead};
use crate::events::{emit_ibc, MODULE_CHANNEL};
use crate::msgs_common::{check_signer, msg_handler};
use crate::router::IbcApp;
use crate::{revision_of_chain_id, Height, IbcError, VerifyKind};
use cnidarium::{StateDelta, StateRead, StateWrite};
use hub_framework::TxCtx;
use prost::Message;

/// The receipt an ORDERED_ALLOW_TIMEOUT channel writes for a packet that arrived after its
/// timeout (ICS-04 `TIMEOUT_RECEIPT`); the sender proves it to time the packet out.
pub const TIMEOUT_RECEIPT: &[u8] = &[2];

/// The log note of a redundant relay (ibc-go `ErrRedundantTx` text; Hermes matches it).
pub const REDUNDANT: &str = "packet messages are redundant";

/// This chain's height as a counterparty sees it: `(revision of our chain id, block height)`.
pub fn self_height(tx: &TxCtx) -> Height {
    Height::new(revision_of_chain_id(&tx.block.chain_id), tx.block.height)
}

pub(crate) async fn open_connection<S: StateRead>(
    s: &S,
    ch: &ChannelEnd,
) -> Result<(String, ConnectionEnd), IbcError> {
    let id = ch
        .connection_hops
        .first()
        .cloned()
        .ok_or_else(|| IbcError::InvalidChannel("channel has no connection hop".into()))?;
    let conn = s.connection(&id).await?;
    if ConnState::of(&conn) != ConnState::Open {
        return Err(IbcError::InvalidConnectionState(format!(
            "connection {id} is not open"
        )));
    }
    Ok((id, conn))
}

/// The counterparty's end of `conn` (empty if unknown).
fn cp_connection(conn: &ConnectionEnd) -> String {
    conn.counterparty
        .as_ref()
        .map(|c| c.connection_id.clone())
        .unwrap_or_default()
}

/// The counterparty's channel end as a proof must show it (ibc-go's `expectedChannel`): in
/// `state`, with `ordering` and `version`, facing our `(port, channel)` over the counterparty's
/// end of `conn`, with no upgrade.
pub(crate) fn expected_end(
    state: ChanState,
    ordering: i32,
    (port, chan): (&str, &str),
    conn: &ConnectionEnd,
    version: &str,
) -> ChannelEnd {
    ChannelEnd {
        state: state.to_i32(),
        ordering,
        counterparty: Some(Counterparty {
            port_id: port.to_string(),
            channel_id: chan.to_string(),
        }),
        connection_hops: vec![cp_connection(conn)],
        version: version.to_string(),
        upgrade_sequence: 0,
    }
}

fn open_channel(ch: &ChannelEnd, port: &str, chan: &str) -> Result<(), IbcError> {
    if ChanState::of(ch) != ChanState::Open {
        return Err(IbcError::InvalidChannelState(format!(
            "channel {port}/{chan} is {:?}, expected Open",
            ChanState::of(ch)
        )));
    }
    Ok(())
}

fn counterparty(ch: &ChannelEnd) -> Counterparty {
    ch.counterparty.clone().unwrap_or_default()
}

fn packet_attrs(p: &Packet, order: Order, connection: &str) -> Vec<(&'static str, String)> {
    vec![
        ("packet_data", String::from_utf8_lossy(&p.data).into_owned()),
        ("packet_data_hex", hex::encode(&p.data)),
        ("packet_timeout_height", p.timeout_height.to_string()),
        ("packet_timeout_timestamp", p.timeout_timestamp.to_string()),
        ("packet_sequence", p.sequence.to_string()),
        ("packet_src_port", p.source_port.clone()),
        ("packet_src_channel", p.source_channel.clone()),
        ("packet_dst_port", p.destination_port.clone()),
        ("packet_dst_channel", p.destination_channel.clone()),
        ("packet_channel_ordering", order.name().to_string()),
        ("packet_connection", connection.to_string()),
        ("connection_id", connection.to_string()),
    ]
}

/// Sends a packet on an OPEN channel and returns its sequence (ibc-go `SendPacket`).
///
/// `timeout_height` is a counterparty height (`0-0`: none) and `timeout_timestamp` a
/// counterparty time in ns (0: none). Stores the commitment at
/// `commitments/ports/{port}/channels/{chan}/sequences/{n}`, increments `nextSequenceSend` and
/// emits `send_packet` with `message.module=ibc_channel`.
///
/// Errors: `channel`/3 no channel, `channel`/5 not OPEN, `channel`/13 empty data or both
/// timeouts zero, `client`/29 client not active, `channel`/40 a timeout already passed on the
/// counterparty according to our client's latest height/time.
pub async fn send_packet<S: StateWrite>(
    s: &mut S,
    tx: &TxCtx,
    port: &str,
    chan: &str,
    timeout_height: Height,
    timeout_timestamp: u64,
    data: Vec<u8>,
) -> Result<u64, IbcError> {
    let ch = s.channel(port, chan).await?;
    open_channel(&ch, port, chan)?;
    let order = Order::from_i32(ch.ordering)?;
    if data.is_empty() {
        return Err(IbcError::InvalidPacket(
            "packet data cannot be empty".into(),
        ));
    }
    if timeout_height.is_zero() && timeout_timestamp == 0 {
        return Err(IbcError::InvalidPacket(
            "packet timeout height and packet timeout timestamp cannot both be 0".into(),
        ));
    }
    let conn_id = ch.connection_hops.first().cloned().unwrap_or_default();
    let conn = s.connection(&conn_id).await?;
    let status = s.client_status(&conn.client_id, tx.block.time).await?;
    if status != Status::Active {
        return Err(IbcError::ClientNotActive(format!(
            "client {} is {status}",
            conn.client_id
        )));
    }
    let cs = s.client_state(&conn.client_id).await?;
    if !timeout_height.is_zero() && cs.latest_height >= timeout_height {
        return Err(IbcError::TimeoutElapsed(format!(
            "receiving chain block height >= packet timeout height ({} >= {timeout_height})",
            cs.latest_height
        )));
    }
    let latest = s.consensus_state(&conn.client_id, cs.latest_height).await?;
    if timeout_timestamp != 0 && latest.timestamp_nanos() >= timeout_timestamp {
        return Err(IbcError::TimeoutElapsed(format!(
            "receiving chain block timestamp >= packet timeout timestamp ({} >= {timeout_timestamp})",
            latest.timestamp_nanos()
        )));
    }
    let seq = s.next_sequence(SequenceKind::Send, port, chan).await?;
    let cp = counterparty(&ch);
    let packet = Packet {
        sequence: seq,
        source_port: port.into(),
        source_channel: chan.into(),
        destination_port: cp.port_id,
        destination_channel: cp.channel_id,
        data,
        timeout_height,
        timeout_timestamp,
    };
    s.put_next_sequence(SequenceKind::Send, port, chan, seq + 1);
    s.put_packet_commitment(port, chan, seq, packet.commitment());
    emit_ibc(
        s,
        MODULE_CHANNEL,
        "send_packet",
        packet_attrs(&packet, order, &conn_id),
    );
    Ok(seq)
}

/// Checks that the packet's other end is our channel's counterparty: its source when we
/// receive it, its destination when we sent it (ack/timeout side). Errors: `channel`/13.
fn check_other_end(ch: &ChannelEnd, p: &Packet, receiving: bool) -> Result<(), IbcError> {
    let cp = counterparty(ch);
    let (end, port, chan) = if receiving {
        ("source", &p.source_port, &p.source_channel)
    } else {
        ("destination", &p.destination_port, &p.destination_channel)
    };
    if *port != cp.port_id || *chan != cp.channel_id {
        return Err(IbcError::InvalidPacket(format!(
            "packet {end} {port}/{chan} does not match the channel counterparty {}/{}",
            cp.port_id, cp.channel_id
        )));
    }
    Ok(())
}

/// Our end of a relayed packet's channel: at the packet's destination when `receiving`, else
/// at its source. It must be OPEN, face the packet's other end, and have an OPEN connection.
/// Returns its ordering, connection id and connection.
/// Errors: `channel`/3, `channel`/5, `channel`/13, `connection`/6.
async fn packet_channel<S: StateRead>(
    s: &S,
    p: &Packet,
    receiving: bool,
) -> Result<(Order, String, ConnectionEnd), IbcError> {
    let (port, chan) = if receiving {
        (&p.destination_port, &p.destination_channel)
    } else {
        (&p.source_port, &p.source_channel)
    };
    let ch = s.channel(port, chan).await?;
    open_channel(&ch, port, chan)?;
    check_other_end(&ch, p, receiving)?;
    let order = Order::from_i32(ch.ordering)?;
    let (conn_id, conn) = open_connection(s, &ch).await?;
    Ok((order, conn_id, conn))
}

/// The application bound to `port`, which the packet callbacks need. Errors: `port`/3.
fn require_app<A: IbcApp>(app: &A, port: &str) -> Result<(), IbcError> {
    if !app.is_bound(port) {
        return Err(IbcError::PortNotFound(port.to_string()));
    }
    Ok(())
}

/// True if the packet has timed out at this block (height or time).
fn timed_out(p: &Packet, tx: &TxCtx) -> bool {
    let h = self_height(tx);
    (!p.timeout_height.is_zero() && h >= p.timeout_height)
        || (p.timeout_timestamp != 0 && time_nanos(tx.block.time) >= p.timeout_timestamp)
}

/// A received packet whose commitment the counterparty's light client has verified (ICS-04
/// `recvPacket`'s proof check): the only form in which a packet can be given a receipt, a
/// receive sequence or an acknowledgement. Its field is private and [`ProvenPacket::prove`]
/// is the only constructor, so writing one for an unproven packet does not compile:
///
/// ```compile_fail,E0451
/// use hub_ibc::channel::{packet::ProvenPacket, Packet};
/// fn forge(packet: &Packet) -> ProvenPacket<'_> {
///     ProvenPacket { packet }
/// }
/// ```
///
/// (Genesis import restores receipts and acknowledgements as records, not through this type:
/// they were proven on the chain that exported them.)
pub struct ProvenPacket<'a> {
    packet: &'a Packet,
}

impl<'a> ProvenPacket<'a> {
    /// Verifies that the counterparty committed `packet` (its commitment at
    /// `commitments/ports/{src port}/channels/{src channel}/sequences/{n}`, proven at
    /// `proof_height` against the client of `ctx`).
    ///
    /// Errors: `client`/18 (the proof does not verify), and the client's own (frozen, expired,
    /// no consensus state at `proof_height`).
    pub async fn prove<S: StateRead>(
        s: &S,
        ctx: &ProofContext<'_>,
        proof_height: Height,
        proof: &[u8],
        packet: &'a Packet,
    ) -> Result<Self, IbcError> {
        let path = commitment_path(&packet.source_port, &packet.source_channel, packet.sequence);
        verify_membership(
            s,
            ctx,
            proof_height,
            proof,
            &path,
            &packet.commitment(),
            VerifyKind::PacketCommitment,
        )
        .await?;
        Ok(ProvenPacket { packet })
    }

    /// The packet.
    pub fn packet(&self) -> &'a Packet {
        self.packet
    }
}

/// Writes the acknowledgement of a packet this chain received earlier and deferred (ICS-04
/// asynchronous acknowledgement, ibc-go `WriteAcknowledgement` called by an application after
/// `OnRecvPacket` returned `nil`): the ack commitment and the `write_acknowledgement` event
/// that relayers follow.
///
/// `packet` must be the received packet exactly (applications keep it from `on_recv_packet`):
/// its receipt proves it was verified when it arrived (on an ORDERED channel, the receive
/// sequence past it).
///
/// Errors: `channel`/3 no channel, `channel`/5 channel not OPEN, `channel`/13 the packet was
/// not received, `channel`/17 already acknowledged, `channel`/16 empty ack.
pub async fn write_async_acknowledgement<S: StateWrite>(
    s: &mut S,
    packet: &Packet,
    ack: &[u8],
) -> Result<(), IbcError> {
    let (port, chan) = (&packet.destination_port, &packet.destination_channel);
    let ch = s.channel(port, chan).await?;
    open_channel(&ch, port, chan)?;
    let order = Order::from_i32(ch.ordering)?;
    let received = match order {
        Order::Unordered => s.has_receipt(port, chan, packet.sequence).await?,
        _ => {
            let next = s.next_sequence(SequenceKind::Recv, port, chan).await?;
            packet.sequence < next
        }
    };
    if !received {
        return Err(IbcError::InvalidPacket(format!(
            "packet {} on {port}/{chan} was not received: no acknowledgement can be written",
            packet.sequence
        )));
    }
    let conn_id = ch.connection_hops.first().cloned().unwrap_or_default();
    let proven = ProvenPacket { packet };
    write_acknowledgement(s, &proven, order, &conn_id, ack).await
}

/// Writes the ack commitment and emits `write_acknowledgement` (ibc-go `WriteAcknowledgement`).
/// Errors: `channel`/17 an ack already exists, `channel`/16 empty ack.
pub async fn write_acknowledgement<S: StateWrite>(
    s: &mut S,
    proven: &ProvenPacket<'_>,
    order: Order,
    conn_id: &str,
    ack: &[u8],
) -> Result<(), IbcError> {
    let p = proven.packet();
    let (port, chan) = (&p.destination_port, &p.destination_channel);
    if ack.is_empty() {
        return Err(IbcError::InvalidAcknowledgement(
            "acknowledgement cannot be empty".into(),
        ));
    }
    if s.ack_commitment(port, chan, p.sequence).await?.is_some() {
        return Err(IbcError::AcknowledgementExists(format!(
            "port {port}, channel {chan}, sequence {}",
            p.sequence
        )));
    }
    s.put_ack_commitment(port, chan, p.sequence, ack_commitment(ack));
    let mut attrs = packet_attrs(p, order, conn_id);
    attrs.retain(|(k, _)| *k != "packet_channel_ordering");
    attrs.push(("packet_ack", String::from_utf8_lossy(ack).into_owned()));
    attrs.push(("packet_ack_hex", hex::encode(ack)));
    emit_ibc(s, MODULE_CHANNEL, "write_acknowledgement", attrs);
    Ok(())
}

/// Checks our stored commitment for a packet we sent. Returns false if it is gone
/// (redundant relay). Errors: `channel`/13 the packet differs from what we committed.
async fn check_commitment<S: StateRead>(s: &S, p: &Packet) -> Result<bool, IbcError> {
    match s
        .packet_commitment(&p.source_port, &p.source_channel, p.sequence)
        .await?
    {
        None => Ok(false),
        Some(c) if c == p.commitment() => Ok(true),
        Some(_) => Err(IbcError::InvalidPacket(
            "commitment bytes are not equal: the packet differs from the one sent".into(),
        )),
    }
}

/// A packet we sent is done (acknowledged or timed out): its commitment is deleted and the event
/// `kind` emitted, with the packet's attributes but its data.
fn delete_commitment<S: StateWrite>(
    s: &mut S,
    p: &Packet,
    order: Order,
    conn_id: &str,
    kind: &str,
) {
    s.delete_packet_commitment(&p.source_port, &p.source_channel, p.sequence);
    let mut attrs = packet_attrs(p, order, conn_id);
    attrs.retain(|(k, _)| *k != "packet_data" && *k != "packet_data_hex");
    emit_ibc(s, MODULE_CHANNEL, kind, attrs);
}

/// ORDERED channels acknowledge / time out strictly in sequence.
async fn advance_ack_sequence<S: StateWrite>(
    s: &mut S,
    p: &Packet,
    order: Order,
) -> Result<(), IbcError> {
    if !order.is_ordered() {
        return Ok(());
    }
    let (port, chan) = (&p.source_port, &p.source_channel);
    let next = s.next_sequence(SequenceKind::Ack, port, chan).await?;
    if p.sequence != next {
        return Err(IbcError::PacketSequenceOutOfOrder(format!(
            "packet sequence {} ≠ next ack sequence {next}",
            p.sequence
        )));
    }
    s.put_next_sequence(SequenceKind::Ack, port, chan, next + 1);
    Ok(())
}
