//! The ICS-26 router of the runtimes: the port → application table. IBC core's messages
//! (`hub_ibc::IbcMsg`) execute with it as their capability; each application (transfer, ping,
//! interchain-upgrade) implements `IbcApp` and owns its own messages.
//!
//! The table holds every application the runtimes are built with; which of them a chain binds
//! is its runtime's list (`ChainConfig::ports`, carried to handlers as `TxCtx::bound_ports`):
//! the hub does not bind `ping`, so no channel opens on it there and no packet reaches it.

use hub_framework::{cnidarium::StateWrite, ModuleError, TxCtx};
use hub_ibc::channel::Packet;
use hub_ibc::router::{Acknowledgement, ChannelInfo, IbcApp};
use hub_ibc::IbcError;
use hub_interchain_upgrade::UpgradeApp;
use hub_ping::{PingApp, PORT as PING_PORT};
use hub_transfer::{TransferApp, PORT_ID as TRANSFER_PORT};

/// The ICS-26 router of the runtime: port → application.
#[derive(Clone, Copy, Debug, Default)]
pub struct Router;

/// The ports that have an application in the table (a runtime binds some of them).
pub const ROUTED_PORTS: &[&str] = &[TRANSFER_PORT, PING_PORT, UPGRADE_PORT];

/// Port of the interchain-upgrade application.
const UPGRADE_PORT: &str = hub_interchain_upgrade::PORT;

fn unbound(port: &str) -> ModuleError {
    IbcError::PortNotFound(format!("no application is bound to port {port}")).into()
}

/// The port → application table: runs `$call` with `$app` bound to the application of
/// `$port`, or `$unbound(port)` when the runtime of `$tx` does not bind the port or no
/// application is in the table for it. Every application is an [`IbcApp`], so each callback
/// is routed by this one table.
macro_rules! route {
    ($tx:expr, $port:expr, |$app:ident| $call:expr, $unbound:expr) => {
        match $port {
            p if !$tx.bound_ports.contains(&p) => $unbound(p),
            TRANSFER_PORT => {
                let $app = TransferApp::new();
                $call
            }
            PING_PORT => {
                let $app = PingApp;
                $call
            }
            UPGRADE_PORT => {
                let $app = UpgradeApp;
                $call
            }
            p => $unbound(p),
        }
    };
}

impl IbcApp for Router {
    fn is_bound(&self, port_id: &str) -> bool {
        ROUTED_PORTS.contains(&port_id)
    }

    async fn on_chan_open_init<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        version: &str,
    ) -> Result<String, ModuleError> {
        route!(
            tx,
            ch.port_id,
            |app| app.on_chan_open_init(s, tx, ch, version).await,
            |p| Err(unbound(p))
        )
    }

    async fn on_chan_open_try<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        counterparty_version: &str,
    ) -> Result<String, ModuleError> {
        route!(
            tx,
            ch.port_id,
            |app| app.on_chan_open_try(s, tx, ch, counterparty_version).await,
            |p| Err(unbound(p))
        )
    }

    async fn on_chan_open_ack<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        counterparty_version: &str,
    ) -> Result<(), ModuleError> {
        route!(
            tx,
            ch.port_id,
            |app| app.on_chan_open_ack(s, tx, ch, counterparty_version).await,
            |p| Err(unbound(p))
        )
    }

    async fn on_chan_open_confirm<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
    ) -> Result<(), ModuleError> {
        route!(
            tx,
            ch.port_id,
            |app| app.on_chan_open_confirm(s, tx, ch).await,
            |p| Err(unbound(p))
        )
    }

    async fn on_chan_close_init<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
    ) -> Result<(), ModuleError> {
        route!(
            tx,
            ch.port_id,
            |app| app.on_chan_close_init(s, tx, ch).await,
            |p| Err(unbound(p))
        )
    }

    async fn on_chan_close_confirm<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        ch: &ChannelInfo<'_>,
    ) -> Result<(), ModuleError> {
        route!(
            tx,
            ch.port_id,
            |app| app.on_chan_close_confirm(s, tx, ch).await,
            |p| Err(unbound(p))
        )
    }

    async fn on_recv_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        relayer: &[u8; 20],
    ) -> Acknowledgement {
        route!(
            tx,
            packet.destination_port.as_str(),
            |app| app.on_recv_packet(s, tx, packet, relayer).await,
            |_| Acknowledgement {
                bytes: br#"{"error":"no application bound to the port"}"#.to_vec(),
                success: false,
            }
        )
    }

    async fn on_acknowledgement_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        ack: &[u8],
        relayer: &[u8; 20],
    ) -> Result<(), ModuleError> {
        route!(
            tx,
            packet.source_port.as_str(),
            |app| app
                .on_acknowledgement_packet(s, tx, packet, ack, relayer)
                .await,
            |p| Err(unbound(p))
        )
    }

    async fn on_timeout_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        relayer: &[u8; 20],
    ) -> Result<(), ModuleError> {
        route!(
            tx,
            packet.source_port.as_str(),
            |app| app.on_timeout_packet(s, tx, packet, relayer).await,
            |p| Err(unbound(p))
        )
    }
}
