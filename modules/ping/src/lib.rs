//! `ping`: a minimal ICS-26 application on port `ping`, a diagnostics port (its own crate over
//! `hub-ibc`, like any application). Unlike ICS-20 it accepts every ordering (UNORDERED,
//! ORDERED, ORDERED_ALLOW_TIMEOUT), so operators and tests can open and relay ordered channels
//! end to end. The example spoke binds it; the hub, a production chain, does not (its runtime
//! lists the ports it binds).
//!
//! - `MsgSendPing` (`/hub.ping.v1.MsgSendPing`) sends its data on a `ping` channel.
//! - On receive it stores `ibc/ping/received/{channel}/{sequence}` → data and acknowledges
//!   `{"result":"AQ=="}`; data `fail` gets the error ack `{"error":"ping rejected"}` (and,
//!   as for every error ack, its writes are discarded).
//! - Acks and timeouts are recorded at `ibc/ping/acked/{channel}/{sequence}` (the ack bytes)
//!   and `ibc/ping/timed_out/{channel}/{sequence}`. The records live in the IBC substore,
//!   where they were when ping was part of IBC core, so the state layout is unchanged.

use cnidarium::StateWrite;
use hub_framework::{Handled, ModuleError, MsgHandler, TxCtx};
use hub_ibc::channel::{send_packet, Order, Packet};
use hub_ibc::msgs_common::{check_signer, parse_signer};
use hub_ibc::router::{Acknowledgement, ChannelInfo, IbcApp};
use hub_ibc::{Height, IbcError};
use hub_proto::ping::v1 as pb;

/// The port the app binds.
pub const PORT: &str = "ping";
/// The channel version.
pub const VERSION: &str = "ping-1";
/// The success acknowledgement (ICS-20's, so relayers recognise it).
pub const ACK_OK: &[u8] = br#"{"result":"AQ=="}"#;
/// The error acknowledgement for data `fail`.
pub const ACK_ERR: &[u8] = br#"{"error":"ping rejected"}"#;

/// `MsgSendPing`.
#[derive(Clone, Debug)]
pub struct MsgSendPing {
    /// Sender (tx signer).
    pub sender: [u8; 20],
    /// Channel on port `ping`.
    pub source_channel: String,
    /// Packet data.
    pub data: Vec<u8>,
    /// Timeout height on the counterparty (`0-0`: none).
    pub timeout_height: Height,
    /// Timeout time on the counterparty in ns (0: none).
    pub timeout_timestamp: u64,
}

impl MsgSendPing {
    /// Type URL in `Any`.
    pub const TYPE_URL: &'static str = "/hub.ping.v1.MsgSendPing";

    /// Errors: `sdk`/7 sender, `host`/2 channel, `channel`/13 empty data.
    pub fn from_proto(m: &pb::MsgSendPing, hrp: &str) -> Result<Self, ModuleError> {
        hub_ibc::identifier::validate_channel_id(&m.source_channel)?;
        if m.data.is_empty() {
            return Err(IbcError::InvalidPacket("ping data cannot be empty".into()).into());
        }
        Ok(MsgSendPing {
            sender: parse_signer(&m.sender, hrp)?,
            source_channel: m.source_channel.clone(),
            data: m.data.clone(),
            timeout_height: Height::new(m.timeout_revision_number, m.timeout_revision_height),
            timeout_timestamp: m.timeout_timestamp,
        })
    }
}

hub_framework::module_msgs! {
    /// Every ping message: the module's message enum.
    pub enum PingMsg [PORT] {
        /// `hub.ping.v1.MsgSendPing`.
        SendPing(MsgSendPing = pb::MsgSendPing, signer: |m| m.sender),
    }
}

impl MsgHandler for MsgSendPing {
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        check_signer(&self.sender, tx)
    }

    /// Sends the packet. Errors: those of [`send_packet`].
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        send_packet(
            s,
            tx,
            PORT,
            &self.source_channel,
            self.timeout_height,
            self.timeout_timestamp,
            self.data.clone(),
        )
        .await?;
        Ok(())
    }
}

/// `ibc/ping/{kind}/{channel}/{sequence}`: what the app recorded of a packet.
fn key(kind: &str, channel: &str, sequence: u64) -> String {
    format!(
        "{}/ping/{kind}/{channel}/{sequence}",
        hub_ibc::state_key::COMMITMENT_PREFIX
    )
}

fn check_version(v: &str) -> Handled {
    if v != VERSION {
        return Err(IbcError::InvalidChannelVersion(format!(
            "ping channels use version {VERSION:?}, got {v:?}"
        ))
        .into());
    }
    Ok(())
}

/// The ICS-26 callbacks of port `ping`.
#[derive(Clone, Copy, Debug, Default)]
pub struct PingApp;

impl PingApp {
    /// The ordering is free; recorded here only to document that all three are accepted.
    pub fn accepts(&self, _order: Order) -> bool {
        true
    }
}

impl IbcApp for PingApp {
    /// Bound to [`PORT`] only.
    fn is_bound(&self, port_id: &str) -> bool {
        port_id == PORT
    }

    /// ChanOpenInit: version empty or `ping-1`.
    async fn on_chan_open_init<S: StateWrite>(
        &self,
        _s: &mut S,
        _tx: &TxCtx,
        _ch: &ChannelInfo<'_>,
        version: &str,
    ) -> Result<String, ModuleError> {
        if !version.is_empty() {
            check_version(version)?;
        }
        Ok(VERSION.into())
    }

    /// ChanOpenTry: the counterparty must speak `ping-1`.
    async fn on_chan_open_try<S: StateWrite>(
        &self,
        _s: &mut S,
        _tx: &TxCtx,
        _ch: &ChannelInfo<'_>,
        counterparty_version: &str,
    ) -> Result<String, ModuleError> {
        check_version(counterparty_version)?;
        Ok(VERSION.into())
    }

    /// ChanOpenAck: the counterparty must speak `ping-1`.
    async fn on_chan_open_ack<S: StateWrite>(
        &self,
        _s: &mut S,
        _tx: &TxCtx,
        _ch: &ChannelInfo<'_>,
        counterparty_version: &str,
    ) -> Handled {
        check_version(counterparty_version)
    }

    /// ChanCloseInit: allowed.
    async fn on_chan_close_init<S: StateWrite>(
        &self,
        _s: &mut S,
        _tx: &TxCtx,
        _ch: &ChannelInfo<'_>,
    ) -> Handled {
        Ok(())
    }

    /// Stores the data and acknowledges (error ack for `fail`).
    async fn on_recv_packet<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
        p: &Packet,
        _relayer: &[u8; 20],
    ) -> Acknowledgement {
        s.put_raw(
            key("received", &p.destination_channel, p.sequence),
            p.data.clone(),
        );
        if p.data == b"fail" {
            return Acknowledgement {
                bytes: ACK_ERR.to_vec(),
                success: false,
            };
        }
        Acknowledgement {
            bytes: ACK_OK.to_vec(),
            success: true,
        }
    }

    /// Records the ack.
    async fn on_acknowledgement_packet<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
        p: &Packet,
        ack: &[u8],
        _relayer: &[u8; 20],
    ) -> Handled {
        s.put_raw(key("acked", &p.source_channel, p.sequence), ack.to_vec());
        Ok(())
    }

    /// Records the timeout.
    async fn on_timeout_packet<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
        p: &Packet,
        _relayer: &[u8; 20],
    ) -> Handled {
        s.put_raw(key("timed_out", &p.source_channel, p.sequence), vec![1]);
        Ok(())
    }
}
