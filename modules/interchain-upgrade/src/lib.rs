//! `interchain-upgrade`: hub governance upgrades spoke chains, and the hub proves they did.
//!
//! Both sides live in this crate; the module's params say which one a chain is
//! (`hub_chain_id` empty: the hub; set: a spoke that trusts that hub). The protocol is
//! described in `docs/interchain-upgrade.md` of the design; in short:
//!
//! - **Hub.** [`msgs::MsgDispatchUpgrade`] (authority: the gov module account only, so it runs
//!   only inside a passed proposal) checks the plan as the spoke will, finds the OPEN ORDERED
//!   channel on port `upgrade` (version `hub-upgrade-1`) whose client tracks the spoke's chain
//!   id, sends an `UpgradePacketData` with a timeout and records a [`Dispatch`]: PENDING →
//!   ACKNOWLEDGED | REJECTED(reason) | TIMED_OUT, and ACKNOWLEDGED → APPLIED only through
//!   [`msgs::MsgConfirmUpgradeApplied`], a proof of the spoke's `applied/{name}` in its
//!   `upgrade` substore verified by the hub's light client of the spoke.
//! - **Spoke.** Accepts packets only on a channel whose connection's client is of the hub
//!   chain id named in its params, on port `upgrade` with the version above; checks the plan
//!   (chain id, unused name, no plan in flight, height beyond `min_upgrade_delay`, a sha256 for
//!   this platform), records the name as consumed forever, schedules the plan in `upgrade`
//!   and acknowledges `UpgradeAck { scheduled_height }`; otherwise an error acknowledgement
//!   with the reason, and nothing written. Only `UpgradePacketData` is accepted on the port.
//!
//! ## State (substore `interchain-upgrade`)
//! | key | value |
//! |---|---|
//! | `params` | `hub.interchain_upgrade.v1.Params` |
//! | `dispatches/{spoke_chain_id}/{name}` | `hub.interchain_upgrade.v1.Dispatch` (hub) |
//! | `packets/{channel_id}/{sequence}` | `{spoke_chain_id}/{name}` of the dispatch (hub) |
//! | `consumed/{name}` | big-endian u64: the spoke height the plan was accepted at (spoke) |
//!
//! ## Errors
//! [`InterchainUpgradeError`], codespace `interchain-upgrade`; plan shape errors are the
//! `upgrade` module's (`upgrade`/100).

mod ack;
pub mod app;
mod error;
mod events;
pub mod handler;
mod module;
pub mod msgs;
pub mod query;
mod state;
pub mod state_key;

pub use ack::UpgradeAcknowledgement;
pub use app::{UpgradeApp, PORT, VERSION};
pub use error::InterchainUpgradeError;
pub use module::{InterchainUpgrade, InterchainUpgradeGenesis, ParamsJson};
pub use state::{InterchainUpgradeRead, InterchainUpgradeWrite};

pub use hub_proto::interchain_upgrade::v1::{
    Binding, Dispatch, DispatchStatus, Params, Plan, UpgradePacketData,
};
