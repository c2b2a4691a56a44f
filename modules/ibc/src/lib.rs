//! IBC core for Hub runtimes: ICS-02 client registry with the 07-tendermint light client,
//! ICS-03 connections, ICS-04 channels and packets, ICS-05/26 port routing and ICS-23/24
//! commitments — wire- and byte-compatible with ibc-go, so Hermes and ibc-go chains interoperate.
//!
//! State lives in the substore `ibc` at the exact ICS-24 paths of ibc-go ([`Path`]); the
//! commitment prefix is `ibc` and the proof specs are [`commitment::proof_specs`]. Errors carry
//! ibc-go's codespaces and codes ([`IbcError`]).

pub mod channel;
pub mod client;
pub mod commitment;
pub mod connection;
mod error;
pub mod events;
mod height;
pub mod identifier;
pub mod module;
mod msg;
pub mod msgs_common;
pub mod params;
mod path;
pub mod query;
pub mod router;
pub mod state_key;

pub use error::{IbcError, VerifyKind};
pub use height::{revision_of_chain_id, Height};
pub use identifier::{ChannelId, ClientId, ConnectionId, PortId};
pub use module::{Ibc, IbcGenesis};
pub use msg::{IbcMsg, RelayKind};
pub use path::Path;

/// The module name: substore, event module and commitment prefix.
pub const NAME: &str = "ibc";
