//! The ICS-26 router of the runtimes: the port → application table. IBC core's messages
//! (`hub_ibc::IbcMsg`) execute with it as their capability; each application (transfer, ping,
//! interchain-upgrade) implements `IbcApp` and owns its own messages.
//!
//! The table holds every application the runtimes are built with; which of them a chain binds
//! is its runtime's list (`ChainConfig::ports`, carried to handlers as `TxCtx::bound_ports`):
//! the hub does not bind `ping`, so no channel opens on it there and no packet reaches it.

use hub_framework::{cnidarium::StateWrite, Handled, ModuleError, TxCtx};
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

/// Implements each listed callback by routing it (`route!`) on the port its channel or packet
/// names, with the same arguments.
macro_rules! routed_callbacks {
    ($(
        $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty, port: $port:expr, unbound: $unbound:expr;
    )*) => {$(
        async fn $name<S: StateWrite>(&self, s: &mut S, tx: &TxCtx, $($arg: $ty),*) -> $ret {
            route!(tx, $port, |app| app.$name(s, tx, $($arg),*).await, $unbound)
        }
    )*};
}

impl IbcApp for Router {
    fn is_bound(&self, port_id: &str) -> bool {
        ROUTED_PORTS.contains(&port_id)
    }

    routed_callbacks! {
        on_chan_open_init(ch: &ChannelInfo<'_>, version: &str) -> Result<String, ModuleError>,
            port: ch.port_id, unbound: |p| Err(unbound(p));
        on_chan_open_try(ch: &ChannelInfo<'_>, counterparty_version: &str)
            -> Result<String, ModuleError>, port: ch.port_id, unbound: |p| Err(unbound(p));
        on_chan_open_ack(ch: &ChannelInfo<'_>, counterparty_version: &str)
            -> Handled, port: ch.port_id, unbound: |p| Err(unbound(p));
        on_chan_open_confirm(ch: &ChannelInfo<'_>) -> Handled,
            port: ch.port_id, unbound: |p| Err(unbound(p));
        on_chan_close_init(ch: &ChannelInfo<'_>) -> Handled,
            port: ch.port_id, unbound: |p| Err(unbound(p));
        on_chan_close_confirm(ch: &ChannelInfo<'_>) -> Handled,
            port: ch.port_id, unbound: |p| Err(unbound(p));
        on_recv_packet(packet: &Packet, relayer: &[u8; 20]) -> Acknowledgement,
            port: packet.destination_port.as_str(),
            unbound: |_| Acknowledgement {
                bytes: br#"{"error":"no application bound to the port"}"#.to_vec(),
                success: false,
            };
        on_acknowledgement_packet(packet: &Packet, ack: &[u8], relayer: &[u8; 20])
            -> Handled,
            port: packet.source_port.as_str(), unbound: |p| Err(unbound(p));
        on_timeout_packet(packet: &Packet, relayer: &[u8; 20]) -> Handled,
            port: packet.source_port.as_str(), unbound: |p| Err(unbound(p));
    }
}
