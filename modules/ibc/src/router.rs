//! ICS-05 port binding and ICS-26 routing: the callbacks an application module implements.
//!
//! A runtime supplies one [`IbcApp`] (its router) that knows which ports are bound and
//! dispatches each callback, by port, to the application module bound there (e.g. `transfer`
//! → ICS-20). Dispatch is static: the runtime `match`es on the port.
#![allow(async_fn_in_trait)]

use crate::channel::{Order, Packet};
use cnidarium::StateWrite;
use hub_framework::{Handled, ModuleError, TxCtx};

/// The channel a handshake callback is about.
#[derive(Clone, Debug)]
pub struct ChannelInfo<'a> {
    /// Ordering of the channel.
    pub ordering: Order,
    /// Connection hops (exactly one).
    pub connection_hops: &'a [String],
    /// Our port.
    pub port_id: &'a str,
    /// Our channel id.
    pub channel_id: &'a str,
    /// The counterparty port.
    pub counterparty_port_id: &'a str,
    /// The counterparty channel id (empty in OpenInit).
    pub counterparty_channel_id: &'a str,
}

/// An acknowledgement returned by `on_recv_packet`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acknowledgement {
    /// The bytes written (and committed as `sha256(bytes)`); empty only for a deferred
    /// acknowledgement (see [`Acknowledgement::deferred`]).
    pub bytes: Vec<u8>,
    /// False for an error ack: the app's state changes and events are then discarded.
    pub success: bool,
}

impl Acknowledgement {
    /// No acknowledgement yet (ICS-04 asynchronous acknowledgement, ibc-go's `nil` ack): the
    /// receipt and the application's writes are kept, and the application writes the
    /// acknowledgement later with [`crate::channel::write_async_acknowledgement`] (e.g. once a
    /// forwarded packet is acknowledged downstream).
    pub fn deferred() -> Self {
        Acknowledgement {
            bytes: Vec::new(),
            success: true,
        }
    }

    /// Whether this is [`Acknowledgement::deferred`].
    pub fn is_deferred(&self) -> bool {
        self.success && self.bytes.is_empty()
    }
}

/// ICS-26 application callbacks. `s` is the transaction's overlay; an `Err` fails the whole
/// message (nothing is written).
pub trait IbcApp: Sync {
    /// True if an application is bound to `port_id`.
    fn is_bound(&self, port_id: &str) -> bool;

    /// ChanOpenInit: checks the proposed `version` (empty = app default) and returns the
    /// version to record.
    async fn on_chan_open_init<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        version: &str,
    ) -> Result<String, ModuleError>;

    /// ChanOpenTry: checks the counterparty's version and returns ours.
    async fn on_chan_open_try<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        counterparty_version: &str,
    ) -> Result<String, ModuleError>;

    /// ChanOpenAck: checks the version the counterparty chose.
    async fn on_chan_open_ack<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        counterparty_version: &str,
    ) -> Handled;

    /// ChanOpenConfirm: the counterparty's end is open. By default nothing is checked (the
    /// handshake already proved it); an application that records open channels overrides it.
    async fn on_chan_open_confirm<S: StateWrite>(
        &self,
        _s: &mut S,
        _tx: &TxCtx,
        _ch: &ChannelInfo<'_>,
    ) -> Handled {
        Ok(())
    }

    /// ChanCloseInit (ICS-20 refuses it).
    async fn on_chan_close_init<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
    ) -> Handled;

    /// ChanCloseConfirm: the counterparty closed, proven. Accepted by default (a closed
    /// counterparty cannot be refused). ChanCloseInit has no default: each application
    /// decides whether a user may close its channels.
    async fn on_chan_close_confirm<S: StateWrite>(
        &self,
        _s: &mut S,
        _tx: &TxCtx,
        _ch: &ChannelInfo<'_>,
    ) -> Handled {
        Ok(())
    }

    /// A packet arrived. Never fails: a failure is an error acknowledgement, after which the
    /// core discards the app's writes and events.
    async fn on_recv_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        relayer: &[u8; 20],
    ) -> Acknowledgement;

    /// The counterparty acknowledged our packet with `ack` (the commitment is already deleted).
    async fn on_acknowledgement_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        ack: &[u8],
        relayer: &[u8; 20],
    ) -> Handled;

    /// Our packet timed out (the commitment is already deleted).
    async fn on_timeout_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        relayer: &[u8; 20],
    ) -> Handled;
}
