//! Packet handlers: send, receive, acknowledge, timeout, timeout-on-close
//! (ibc-go `04-channel/keeper/{packet,timeout}.go` and `core/keeper/msg_server.go`).
//!
//! A redundant relay (already received / acknowledged / timed out) is a successful no-op whose
//! log says "packet messages are redundant", as ibc-go's `ErrNoOpMsg` handling.

use super::msgs::{MsgAcknowledgement, MsgRecvPacket, MsgTimeout};
use super::state::{ack_path, channel_path, commitment_path, next_recv_path, receipt_path};
use super::{ChanState, ChannelEnd, ChannelRead, ChannelWrite, Counterparty, Order, Packet};
use crate::client::types::time_nanos;
use crate::client::{verify_membership, verify_non_membership, ClientRead, ProofContext, Status};
use crate::commitment::{ack_commitment, RECEIPT};
use crate::connection::{ConnState, ConnectionEnd, ConnectionRead};
use crate::events::{emit_ibc, MODULE_CHANNEL};
use crate::msgs_common::check_signer;
use crate::router::IbcApp;
use crate::{revision_of_chain_id, Height, IbcError, VerifyKind};
use cnidarium::{StateDelta, StateRead, StateWrite};
use hub_framework::{ModuleError, TxCtx};
use prost::Message;

/// The receipt an ORDERED_ALLOW_TIMEOUT channel writes for a packet that arrived after its
/// timeout (ICS-04 `TIMEOUT_RECEIPT`); the sender proves it to time the packet out.
pub const TIMEOUT_RECEIPT: &[u8] = &[2];

/// The log note of a redundant relay (ibc-go `ErrRedundantTx` text; Hermes matches it).
pub const REDUNDANT: &str = "packet messages are redundant";

/// A message that needs the runtime's ICS-26 router.
pub trait RoutedMsg {
    /// Stateless checks: the signer is the transaction's.
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError>;
    /// Executes with `app` handling the callbacks.
    async fn execute<S: StateWrite, A: IbcApp>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        app: &A,
    ) -> Result<(), ModuleError>;
}

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

/// The proof context of a connection: its client, the counterparty's prefix, and the delay
/// (packet proofs only).
pub(crate) fn proof_ctx<'a>(
    tx: &TxCtx,
    conn: &'a ConnectionEnd,
    prefix: &'a [u8],
    with_delay: bool,
) -> ProofContext<'a> {
    ProofContext {
        client_id: &conn.client_id,
        now: tx.block.time,
        host_height: tx.block.height,
        delay_period_ns: if with_delay { conn.delay_period } else { 0 },
        prefix,
    }
}

pub(crate) fn prefix_of(conn: &ConnectionEnd) -> Vec<u8> {
    conn.counterparty
        .as_ref()
        .and_then(|c| c.prefix.as_ref())
        .map(|p| p.key_prefix.clone())
        .unwrap_or_default()
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
    let seq = s.next_sequence("send", port, chan).await?;
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
    s.put_next_sequence("send", port, chan, seq + 1);
    s.put_packet_commitment(port, chan, seq, packet.commitment());
    emit_ibc(
        s,
        MODULE_CHANNEL,
        "send_packet",
        packet_attrs(&packet, order, &conn_id),
    );
    Ok(seq)
}

/// Checks the packet's source is our channel's counterparty (receive side).
fn check_source(ch: &ChannelEnd, p: &Packet) -> Result<(), IbcError> {
    let cp = counterparty(ch);
    if p.source_port != cp.port_id || p.source_channel != cp.channel_id {
        return Err(IbcError::InvalidPacket(format!(
            "packet source {}/{} does not match the channel counterparty {}/{}",
            p.source_port, p.source_channel, cp.port_id, cp.channel_id
        )));
    }
    Ok(())
}

/// Checks the packet's destination is our channel's counterparty (ack/timeout side).
fn check_destination(ch: &ChannelEnd, p: &Packet) -> Result<(), IbcError> {
    let cp = counterparty(ch);
    if p.destination_port != cp.port_id || p.destination_channel != cp.channel_id {
        return Err(IbcError::InvalidPacket(format!(
            "packet destination {}/{} does not match the channel counterparty {}/{}",
            p.destination_port, p.destination_channel, cp.port_id, cp.channel_id
        )));
    }
    Ok(())
}

/// True if the packet has timed out at this block (height or time).
fn timed_out(p: &Packet, tx: &TxCtx) -> bool {
    let h = self_height(tx);
    (!p.timeout_height.is_zero() && h >= p.timeout_height)
        || (p.timeout_timestamp != 0 && time_nanos(tx.block.time) >= p.timeout_timestamp)
}

impl RoutedMsg for MsgRecvPacket {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.signer, tx)
    }

    /// ibc-go `RecvPacket` + `WriteAcknowledgement`. Errors: `channel`/3, `channel`/5,
    /// `channel`/13 wrong source, `connection`/6, `channel`/14 timed out, `client`/18 proof,
    /// `channel`/21 out of order, `port`/3 no app.
    async fn execute<S: StateWrite, A: IbcApp>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        app: &A,
    ) -> Result<(), ModuleError> {
        let p = &self.packet;
        let (port, chan) = (&p.destination_port, &p.destination_channel);
        let ch = s.channel(port, chan).await?;
        open_channel(&ch, port, chan)?;
        check_source(&ch, p)?;
        let order = Order::from_i32(ch.ordering)?;
        let (conn_id, conn) = open_connection(s, &ch).await?;
        let late = timed_out(p, tx);
        if late && order != Order::OrderedAllowTimeout {
            return Err(IbcError::PacketTimeout(format!(
                "packet {} timed out at height {} / time {} ns; this block is {} at {} ns",
                p.sequence,
                p.timeout_height,
                p.timeout_timestamp,
                self_height(tx),
                time_nanos(tx.block.time)
            ))
            .into());
        }
        let prefix = prefix_of(&conn);
        let ctx = proof_ctx(tx, &conn, &prefix, true);
        let path = commitment_path(&p.source_port, &p.source_channel, p.sequence);
        verify_membership(
            s,
            &ctx,
            self.proof_height,
            &self.proof_commitment,
            &path,
            &p.commitment(),
            VerifyKind::PacketCommitment,
        )
        .await?;
        if !replay_protection(s, p, order, late).await? {
            tx.note(REDUNDANT);
            return Ok(());
        }
        emit_ibc(
            s,
            MODULE_CHANNEL,
            "recv_packet",
            packet_attrs(p, order, &conn_id),
        );
        if late {
            // ORDERED_ALLOW_TIMEOUT: the sequence is consumed without delivery.
            s.put_receipt(port, chan, p.sequence, TIMEOUT_RECEIPT);
            return Ok(());
        }
        if !app.is_bound(port) {
            return Err(IbcError::PortNotFound(port.clone()).into());
        }
        let mut overlay = StateDelta::new(&mut *s);
        let ack = app.on_recv_packet(&mut overlay, tx, p, &self.signer).await;
        if ack.success {
            let (_, events) = overlay.apply();
            for e in events {
                s.record(e);
            }
        }
        write_acknowledgement(s, p, order, &conn_id, &ack.bytes).await?;
        Ok(())
    }
}

/// Receipts / sequences. Returns false for a redundant delivery (no-op).
async fn replay_protection<S: StateWrite>(
    s: &mut S,
    p: &Packet,
    order: Order,
    late: bool,
) -> Result<bool, IbcError> {
    let (port, chan) = (&p.destination_port, &p.destination_channel);
    match order {
        Order::Unordered => {
            if s.has_receipt(port, chan, p.sequence).await? {
                return Ok(false);
            }
            s.put_receipt(port, chan, p.sequence, RECEIPT);
        }
        Order::Ordered | Order::OrderedAllowTimeout => {
            let next = s.next_sequence("recv", port, chan).await?;
            if p.sequence < next {
                return Ok(false);
            }
            if p.sequence > next {
                return Err(IbcError::PacketSequenceOutOfOrder(format!(
                    "packet sequence {} ≠ next receive sequence {next}",
                    p.sequence
                )));
            }
            s.put_next_sequence("recv", port, chan, next + 1);
            let _ = late;
        }
    }
    Ok(true)
}

/// Writes the ack commitment and emits `write_acknowledgement` (ibc-go `WriteAcknowledgement`).
/// Errors: `channel`/17 an ack already exists, `channel`/16 empty ack.
pub async fn write_acknowledgement<S: StateWrite>(
    s: &mut S,
    p: &Packet,
    order: Order,
    conn_id: &str,
    ack: &[u8],
) -> Result<(), IbcError> {
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

fn ack_side_attrs(p: &Packet, order: Order, conn_id: &str) -> Vec<(&'static str, String)> {
    let mut a = packet_attrs(p, order, conn_id);
    a.retain(|(k, _)| *k != "packet_data" && *k != "packet_data_hex");
    a
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
    let next = s.next_sequence("ack", port, chan).await?;
    if p.sequence != next {
        return Err(IbcError::PacketSequenceOutOfOrder(format!(
            "packet sequence {} ≠ next ack sequence {next}",
            p.sequence
        )));
    }
    s.put_next_sequence("ack", port, chan, next + 1);
    Ok(())
}

impl RoutedMsg for MsgAcknowledgement {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.signer, tx)
    }

    /// ibc-go `AcknowledgePacket`: the commitment is deleted before the app's callback.
    /// Errors: `channel`/3, `channel`/5, `channel`/13, `connection`/6, `client`/19 proof (ack
    /// bytes that differ from the committed ones), `channel`/21.
    async fn execute<S: StateWrite, A: IbcApp>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        app: &A,
    ) -> Result<(), ModuleError> {
        let p = &self.packet;
        let (port, chan) = (&p.source_port, &p.source_channel);
        let ch = s.channel(port, chan).await?;
        open_channel(&ch, port, chan)?;
        check_destination(&ch, p)?;
        let order = Order::from_i32(ch.ordering)?;
        let (conn_id, conn) = open_connection(s, &ch).await?;
        if !check_commitment(s, p).await? {
            tx.note(REDUNDANT);
            return Ok(());
        }
        let prefix = prefix_of(&conn);
        let ctx = proof_ctx(tx, &conn, &prefix, true);
        let path = ack_path(&p.destination_port, &p.destination_channel, p.sequence);
        verify_membership(
            s,
            &ctx,
            self.proof_height,
            &self.proof_acked,
            &path,
            &ack_commitment(&self.acknowledgement),
            VerifyKind::PacketAck,
        )
        .await?;
        advance_ack_sequence(s, p, order).await?;
        s.delete_packet_commitment(port, chan, p.sequence);
        emit_ibc(
            s,
            MODULE_CHANNEL,
            "acknowledge_packet",
            ack_side_attrs(p, order, &conn_id),
        );
        if !app.is_bound(port) {
            return Err(IbcError::PortNotFound(port.clone()).into());
        }
        app.on_acknowledgement_packet(s, tx, p, &self.acknowledgement, &self.signer)
            .await
    }
}

impl RoutedMsg for MsgTimeout {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.signer, tx)
    }

    /// ibc-go `TimeoutPacket` / `TimeoutOnClose` + `TimeoutExecuted`: proves the packet was
    /// not received (receipt absent, or `nextSequenceRecv` ≤ sequence; on
    /// ORDERED_ALLOW_TIMEOUT the counterparty's timeout receipt) after its timeout, deletes the
    /// commitment, closes an ORDERED channel, then calls the app.
    /// Errors: `channel`/3, `channel`/5, `channel`/13, `channel`/39 timeout not reached,
    /// `channel`/19-like `channel`/13 already received, `client`/17/20/21 proofs.
    async fn execute<S: StateWrite, A: IbcApp>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        app: &A,
    ) -> Result<(), ModuleError> {
        let p = &self.packet;
        let (port, chan) = (&p.source_port, &p.source_channel);
        let mut ch = s.channel(port, chan).await?;
        if self.proof_close.is_none() {
            open_channel(&ch, port, chan)?;
        }
        check_destination(&ch, p)?;
        let order = Order::from_i32(ch.ordering)?;
        let conn_id = ch.connection_hops.first().cloned().unwrap_or_default();
        let conn = s.connection(&conn_id).await?;
        if !check_commitment(s, p).await? {
            tx.note(REDUNDANT);
            return Ok(());
        }
        let prefix = prefix_of(&conn);
        let ctx = proof_ctx(tx, &conn, &prefix, true);
        match &self.proof_close {
            None => check_timeout_reached(s, &conn, p, self.proof_height).await?,
            Some(proof) => verify_closed(s, &ctx, &ch, &conn, p, proof, self.proof_height).await?,
        }
        self.verify_unreceived(s, &ctx, order).await?;
        if order == Order::OrderedAllowTimeout {
            advance_ack_sequence(s, p, order).await?;
        }
        s.delete_packet_commitment(port, chan, p.sequence);
        emit_ibc(
            s,
            MODULE_CHANNEL,
            "timeout_packet",
            ack_side_attrs(p, order, &conn_id),
        );
        if order == Order::Ordered {
            ch.state = ChanState::Closed.to_i32();
            s.put_channel(port, chan, &ch);
            let cp = counterparty(&ch);
            emit_ibc(
                s,
                MODULE_CHANNEL,
                "channel_closed",
                vec![
                    ("port_id", port.clone()),
                    ("channel_id", chan.clone()),
                    ("counterparty_port_id", cp.port_id),
                    ("counterparty_channel_id", cp.channel_id),
                    ("connection_id", conn_id.clone()),
                    ("channel_ordering", order.name().to_string()),
                ],
            );
        }
        if !app.is_bound(port) {
            return Err(IbcError::PortNotFound(port.clone()).into());
        }
        app.on_timeout_packet(s, tx, p, &self.signer).await
    }
}

impl MsgTimeout {
    async fn verify_unreceived<S: StateRead>(
        &self,
        s: &S,
        ctx: &ProofContext<'_>,
        order: Order,
    ) -> Result<(), IbcError> {
        let p = &self.packet;
        let (dport, dchan) = (&p.destination_port, &p.destination_channel);
        match order {
            Order::Unordered => {
                let path = receipt_path(dport, dchan, p.sequence);
                verify_non_membership(
                    s,
                    ctx,
                    self.proof_height,
                    &self.proof_unreceived,
                    &path,
                    VerifyKind::PacketReceiptAbsence,
                )
                .await
            }
            Order::Ordered => {
                if self.next_sequence_recv > p.sequence {
                    return Err(IbcError::InvalidPacket(format!(
                        "packet already received: next sequence receive {} > packet sequence {}",
                        self.next_sequence_recv, p.sequence
                    )));
                }
                let path = next_recv_path(dport, dchan);
                verify_membership(
                    s,
                    ctx,
                    self.proof_height,
                    &self.proof_unreceived,
                    &path,
                    &self.next_sequence_recv.to_be_bytes(),
                    VerifyKind::NextSequenceRecv,
                )
                .await
            }
            Order::OrderedAllowTimeout => {
                let path = receipt_path(dport, dchan, p.sequence);
                verify_membership(
                    s,
                    ctx,
                    self.proof_height,
                    &self.proof_unreceived,
                    &path,
                    TIMEOUT_RECEIPT,
                    VerifyKind::PacketReceiptAbsence,
                )
                .await
            }
        }
    }
}

/// The packet's timeout must have passed on the counterparty at `proof_height` (by height,
/// or by the consensus time our client stored for it). Errors: `channel`/39.
async fn check_timeout_reached<S: StateRead>(
    s: &S,
    conn: &ConnectionEnd,
    p: &Packet,
    proof_height: Height,
) -> Result<(), IbcError> {
    let ts = s
        .consensus_state(&conn.client_id, proof_height)
        .await?
        .timestamp_nanos();
    let by_height = !p.timeout_height.is_zero() && proof_height >= p.timeout_height;
    let by_time = p.timeout_timestamp != 0 && ts >= p.timeout_timestamp;
    if !by_height && !by_time {
        return Err(IbcError::TimeoutNotReached(format!(
            "proof height {proof_height} (time {ts} ns) is before the packet timeout (height {}, time {} ns)",
            p.timeout_height, p.timeout_timestamp
        )));
    }
    Ok(())
}

/// TimeoutOnClose: the counterparty channel is CLOSED.
async fn verify_closed<S: StateRead>(
    s: &S,
    ctx: &ProofContext<'_>,
    ch: &ChannelEnd,
    conn: &ConnectionEnd,
    p: &Packet,
    proof: &[u8],
    proof_height: Height,
) -> Result<(), IbcError> {
    let cp_conn = conn
        .counterparty
        .as_ref()
        .map(|c| c.connection_id.clone())
        .unwrap_or_default();
    let expected = ChannelEnd {
        state: ChanState::Closed.to_i32(),
        ordering: ch.ordering,
        counterparty: Some(Counterparty {
            port_id: p.source_port.clone(),
            channel_id: p.source_channel.clone(),
        }),
        connection_hops: vec![cp_conn],
        version: ch.version.clone(),
        upgrade_sequence: 0,
    };
    let path = channel_path(&p.destination_port, &p.destination_channel);
    verify_membership(
        s,
        ctx,
        proof_height,
        proof,
        &path,
        &expected.encode_to_vec(),
        VerifyKind::Channel,
    )
    .await
}
