//! `upgrade`: local software-upgrade plans, as Cosmos SDK `x/upgrade`.
//!
//! A plan `{name, height, info}` is scheduled by governance (`MsgSoftwareUpgrade`, authority =
//! the gov module account) or by the spoke's interchain-upgrade receiver. At the start of block
//! `height`, [`pre_block`] decides:
//! - the running binary has a migration handler for `name` → it runs the handler once, writes
//!   `applied/{name}` (the height, big-endian u64) and clears the plan;
//! - it has none → the node must halt: [`UpgradeNeeded`] renders the log line
//!   `UPGRADE "<name>" NEEDED at height <h>: <info>` and the `data/upgrade-info.json` that
//!   cosmovisor watches;
//! - a binary that has the handler but runs *before* the height refuses to run
//!   ([`Halt::BinaryTooNew`]), as the SDK's "BINARY UPDATED BEFORE TRIGGER".
//!
//! Because the decision is a function of state and height only, every validator halts at the
//! same block, and the block is executed by the new binary after the switch.
//!
//! ## State (substore `upgrade`)
//! | key | value |
//! |---|---|
//! | `plan` | `cosmos.upgrade.v1beta1.Plan` (at most one) |
//! | `applied/{name}` | big-endian u64: the height the plan was applied at (provable: the hub proves it through its light client, path `["upgrade", "applied/{name}"]`) |
//! | `migrations/{name}` | big-endian u64: the height a migration handler ran at |
//!
//! ## Messages
//! `cosmos.upgrade.v1beta1.MsgSoftwareUpgrade`, `MsgCancelUpgrade` (gov authority only).
//!
//! ## Errors
//! [`UpgradeError`], codespace `upgrade`.

mod error;
mod events;
pub mod handler;
mod module;
pub mod msgs;
mod plan;
pub mod query;
mod state;
pub mod state_key;

pub use error::UpgradeError;
pub use events::{UpgradeApplied, UpgradeScheduled};
pub use module::{pre_block, Halt, Migrations, PreBlock, Upgrade, UpgradeGenesis, UpgradeNeeded};
pub use msgs::UpgradeMsg;
pub use plan::{validate_plan, PlanInfo, PLATFORM};
pub use state::{UpgradeRead, UpgradeWrite};
