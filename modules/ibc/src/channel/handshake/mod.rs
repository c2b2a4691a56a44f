//! ICS-04 channel handshake: open init/try/ack/confirm and close init/confirm
//! (ibc-go `04-channel/keeper/handshake.go`), with the app's ICS-26 callbacks. One file per
//! message; the checks they share are here.

mod chan_close_confirm;
mod chan_close_init;
mod chan_open_ack;
mod chan_open_confirm;
mod chan_open_init;
mod chan_open_try;

use super::msgs::*;
use super::packet::{expected_end, open_connection};
use super::state::channel_path;
use super::NEXT_CHANNEL_SEQUENCE;
use super::{ChanState, ChannelEnd, ChannelRead, ChannelWrite, Counterparty, Order, SequenceKind};
use crate::client::{verify_membership, ClientRead, Status};
use crate::connection::{proof_ctx, supports_ordering, ConnectionEnd, ConnectionRead};
use crate::events::{emit_ibc, MODULE_CHANNEL};
use crate::identifier::channel_id;
use crate::msgs_common::{check_signer, msg_handler};
use crate::router::{ChannelInfo, IbcApp};
use crate::{Height, IbcError, VerifyKind};
use cnidarium::{StateRead, StateWrite};
use hub_framework::{Handled, StateWriteProto, TxCtx};
use prost::Message;

fn bound<A: IbcApp>(app: &A, port: &str) -> Result<(), IbcError> {
    if !app.is_bound(port) {
        return Err(IbcError::PortNotFound(format!(
            "no application is bound to port {port}"
        )));
    }
    Ok(())
}

fn info<'a>(
    port: &'a str,
    chan: &'a str,
    ch: &'a ChannelEnd,
    cp: &'a Counterparty,
) -> Result<ChannelInfo<'a>, IbcError> {
    Ok(ChannelInfo {
        ordering: Order::from_i32(ch.ordering)?,
        connection_hops: &ch.connection_hops,
        port_id: port,
        channel_id: chan,
        counterparty_port_id: &cp.port_id,
        counterparty_channel_id: &cp.channel_id,
    })
}

fn event<S: StateWrite>(s: &mut S, kind: &str, port: &str, chan: &str, ch: &ChannelEnd) {
    let cp = ch.counterparty.clone().unwrap_or_default();
    emit_ibc(
        s,
        MODULE_CHANNEL,
        kind,
        vec![
            ("port_id", port.to_string()),
            ("channel_id", chan.to_string()),
            ("counterparty_port_id", cp.port_id),
            ("counterparty_channel_id", cp.channel_id),
            (
                "connection_id",
                ch.connection_hops.first().cloned().unwrap_or_default(),
            ),
            ("version", ch.version.clone()),
        ],
    );
}

/// The connection of a new channel: exists, supports the ordering, and its client is active.
async fn check_connection<S: StateRead>(
    s: &S,
    tx: &TxCtx,
    ch: &ChannelEnd,
    order: Order,
    must_be_open: bool,
) -> Result<ConnectionEnd, IbcError> {
    let conn = if must_be_open {
        open_connection(s, ch).await?.1
    } else {
        s.connection(&ch.connection_hops[0]).await?
    };
    if !supports_ordering(&conn, order.feature()) {
        return Err(IbcError::InvalidVersion(format!(
            "connection {} does not support channel ordering {}",
            ch.connection_hops[0],
            order.name()
        )));
    }
    let status = s.client_status(&conn.client_id, tx.block.time).await?;
    if status != Status::Active {
        return Err(IbcError::ClientNotActive(format!(
            "client {} is {status}",
            conn.client_id
        )));
    }
    Ok(conn)
}

/// The id the next new channel gets (`channel-{nextChannelSequence}`).
async fn next_channel_id<S: StateRead>(s: &S) -> Result<String, IbcError> {
    Ok(channel_id(s.next_channel_sequence().await?))
}

/// Stores a new channel end with its sequences at 1 and returns its id.
async fn new_channel<S: StateWrite>(
    s: &mut S,
    port: &str,
    ch: &ChannelEnd,
) -> Result<String, IbcError> {
    let seq = s.next_channel_sequence().await?;
    let id = channel_id(seq);
    s.put_u64(NEXT_CHANNEL_SEQUENCE.into(), seq + 1);
    s.put_channel(port, &id, ch);
    for kind in SequenceKind::ALL {
        s.put_next_sequence(kind, port, &id, 1);
    }
    Ok(id)
}

/// OpenInit / OpenTry after the app agreed: the proposed channel is stored in `state` with the
/// app's `version` (no upgrade), and the event `kind` names it `id`.
async fn create_channel<S: StateWrite>(
    s: &mut S,
    port: &str,
    id: &str,
    proposed: &ChannelEnd,
    state: ChanState,
    version: String,
    kind: &str,
) -> Result<(), IbcError> {
    let ch = ChannelEnd {
        state: state.to_i32(),
        version,
        upgrade_sequence: 0,
        ..proposed.clone()
    };
    new_channel(s, port, &ch).await?;
    event(s, kind, port, id, &ch);
    Ok(())
}

/// Proves that the counterparty's channel end at `cp` equals `expected`.
async fn verify_counterparty_channel<S: StateRead>(
    s: &S,
    tx: &TxCtx,
    conn: &ConnectionEnd,
    cp: &Counterparty,
    expected: &ChannelEnd,
    proof: &[u8],
    height: Height,
) -> Result<(), IbcError> {
    let ctx = proof_ctx(tx, conn, false);
    verify_membership(
        s,
        &ctx,
        height,
        proof,
        &channel_path(&cp.port_id, &cp.channel_id),
        &expected.encode_to_vec(),
        VerifyKind::Channel,
    )
    .await
}

/// Errors: `channel`/5 if the channel is already CLOSED.
fn not_closed(ch: &ChannelEnd, port: &str, chan: &str) -> Result<(), IbcError> {
    if ChanState::of(ch) == ChanState::Closed {
        return Err(IbcError::InvalidChannelState(format!(
            "channel {port}/{chan} is already closed"
        )));
    }
    Ok(())
}

fn require_state(ch: &ChannelEnd, want: ChanState, port: &str, chan: &str) -> Result<(), IbcError> {
    if ChanState::of(ch) != want {
        return Err(IbcError::InvalidChannelState(format!(
            "channel {port}/{chan} is {:?}, expected {want:?}",
            ChanState::of(ch)
        )));
    }
    Ok(())
}

/// Shared by OpenConfirm (counterparty OPEN) and CloseConfirm (counterparty CLOSED).
async fn confirm<S: StateWrite, A: IbcApp>(
    m: &MsgChannelProven,
    s: &mut S,
    tx: &TxCtx,
    app: &A,
    closing: bool,
) -> Handled {
    let (port, chan) = (&m.port_id, &m.channel_id);
    let mut ch = s.channel(port, chan).await?;
    if closing {
        not_closed(&ch, port, chan)?;
    } else {
        require_state(&ch, ChanState::TryOpen, port, chan)?;
    }
    bound(app, port)?;
    let (_, conn) = open_connection(s, &ch).await?;
    let cp = ch.counterparty.clone().unwrap_or_default();
    let (want, kind) = if closing {
        (ChanState::Closed, "channel_close_confirm")
    } else {
        (ChanState::Open, "channel_open_confirm")
    };
    let expected = expected_end(want, ch.ordering, (port, chan), &conn, &ch.version);
    verify_counterparty_channel(s, tx, &conn, &cp, &expected, &m.proof, m.proof_height).await?;
    let i = info(port, chan, &ch, &cp)?;
    if closing {
        app.on_chan_close_confirm(s, tx, &i).await?;
    } else {
        app.on_chan_open_confirm(s, tx, &i).await?;
    }
    ch.state = want.to_i32();
    s.put_channel(port, chan, &ch);
    event(s, kind, port, chan, &ch);
    Ok(())
}
