//! `interchain-upgrade`: hub governance upgrades spoke chains, and the hub proves they did.
//!
//! Both sides live in this crate; the module's params say which one a chain is
//! (`hub_chain_id` empty: the hub; set: a spoke that trusts that hub). The protocol is
//! described in `docs/interchain-upgrade.md` of the design; in short:
//!
//! - **Hub.** [`msgs::MsgDispatchUpgrade`] (authority: the gov module account only, so it runs
//!   only inside a passed proposal) checks the plan as the spoke will, takes the registered
//!   spoke's bound OPEN ORDERED channel on port `upgrade` (version `hub-upgrade-1`; spokes are
//!   registered by governance, [`msgs::MsgRegisterSpoke`], never by a client's chain id),
//!   sends an `UpgradePacketData` with a timeout and records a [`Dispatch`]: PENDING →
//!   ACKNOWLEDGED | REJECTED(reason) | TIMED_OUT, and ACKNOWLEDGED → APPLIED only through
//!   [`msgs::MsgConfirmUpgradeApplied`], a proof of the spoke's `applied/{name}` in its
//!   `upgrade` substore verified by the hub's registered light client of the spoke.
//! - **Spoke.** Accepts packets only on its bound channel: over the client of its hub pinned
//!   at genesis (or re-pinned by its own governance, [`msgs::MsgPinHubClient`]), on port
//!   `upgrade` with the version above; checks the plan
//!   (chain id, unused name, no plan in flight, height beyond `min_upgrade_delay`, a sha256 for
//!   this platform), records the name as consumed forever, schedules the plan in `upgrade`
//!   and acknowledges `UpgradeAck { scheduled_height }`; otherwise an error acknowledgement
//!   carrying a [`RejectCode`] only (free text would enter the ack commitment), and nothing
//!   written. Only `UpgradePacketData` and `PausePacketData` are accepted on the port.
//! - **Pauses (the control channel's second packet kind).** A pause of the hub's circuit
//!   breaker with `propagate` is sent to every registered spoke with an OPEN channel
//!   ([`dispatch_pause`], recorded as a `PauseDispatch`: PENDING → ACKNOWLEDGED | REJECTED |
//!   TIMED_OUT). The spoke takes it only on its bound channel from its pinned hub, like a
//!   plan, and pauses each of its `transfer` channels whose connection is on the pinned hub
//!   client, for the pause's denom, until the hub's expiry; it acknowledges the number of
//!   channels paused.
//!
//! ## State (substore `interchain-upgrade`)
//! | key | value |
//! |---|---|
//! | `params` | `hub.interchain_upgrade.v1.Params` |
//! | `dispatches/{spoke_chain_id}/{name}` | `hub.interchain_upgrade.v1.Dispatch` (hub) |
//! | `packets/{channel_id}/{sequence}` | `{spoke_chain_id}/{name}` of the dispatch (hub) |
//! | `consumed/{name}` | big-endian u64: the spoke height the plan was accepted at (spoke) |
//! | `bindings/{chain_id}` | `hub.interchain_upgrade.v1.Binding`: a registered spoke (hub), the pinned hub (spoke) |
//! | `binding_by_client/{client_id}` | the chain id of the binding on that client |
//! | `pausePackets/{channel_id}/{sequence:020}` | `hub.interchain_upgrade.v1.PauseDispatch` (hub) |
//!
//! ## Errors
//! [`InterchainUpgradeError`], codespace `interchain-upgrade`; plan shape errors are the
//! `upgrade` module's (`upgrade`/100).

mod ack;
pub mod app;
mod control;
mod error;
mod events;
pub mod handler;
mod module;
pub mod msgs;
pub mod query;
mod state;
pub mod state_key;

pub use ack::{RejectCode, UpgradeAcknowledgement};
pub use app::{decode_control, ControlPacket, UpgradeApp, PORT, VERSION};
pub use error::InterchainUpgradeError;
pub use module::{InterchainUpgrade, InterchainUpgradeGenesis, PacketIndexJson, ParamsJson};
pub use msgs::InterchainUpgradeMsg;
pub use state::{InterchainUpgradeRead, InterchainUpgradeWrite};

pub use control::dispatch_pause;
pub use hub_proto::interchain_upgrade::v1::{
    Binding, Dispatch, DispatchStatus, Params, PauseDispatch, PausePacketData, Plan,
    UpgradePacketData,
};
