//! The kernel every Hub module is written against.
//!
//! A *module* (auth, bank, staking, later ibc and gov) is a crate with one shape:
//! `msgs.rs` (domain messages, `TryFrom` proto does all stateless validation), `state_key.rs`
//! (every key it writes), `state.rs` (`<Module>Read` / `<Module>Write` extension traits over
//! cnidarium), `handler/` (one file per message), `module.rs` (genesis and block hooks),
//! `events.rs`, `error.rs` and `query.rs`.
//!
//! This crate provides what they share:
//! - [`Module`], [`MsgHandler`], [`BeginBlocker`], [`EndBlocker`]: the module contract.
//! - [`StateReadProto`] / [`StateWriteProto`]: typed protobuf and integer values over cnidarium's
//!   verifiable store, so modules never touch raw bytes.
//! - [`ModuleError`] and [`AbciCode`]: every failure carries a stable `(codespace, code)` pair that
//!   reaches CometBFT unchanged (codes are part of consensus: never renumber).
//! - [`TypedEvent`] and [`StateEventExt::emit`]: events are recorded into the transaction's
//!   copy-on-write overlay, so a failed transaction drops its events with its writes.
//! - [`BlockCtx`] / [`TxCtx`]: block height and time (from FinalizeBlock, never the wall clock),
//!   chain id, the transaction's signer and its [`GasMeter`].
//! - [`paginate`]: one page of a list query, as the Cosmos SDK's `query.Paginate`, with a
//!   default ([`DEFAULT_LIMIT`]) and a maximum ([`MAX_LIMIT`]) page size.
//!
//! Consensus code built on this crate is deterministic: no hashed-collection iteration, no wall
//! clock, no floating point.

mod address;
pub mod authority;
pub mod bank;
mod context;
pub mod dec;
mod denom;
mod error;
mod event;
pub mod form;
mod gas;
mod metered;
mod module;
pub mod pagination;
mod record;
pub mod route;
mod state;

pub use address::Address;
pub use context::{BlockCtx, GenesisCtx, TxCtx};
pub use dec::{Dec, DecParseError};
pub use denom::{validate_denom, CoinJson};
pub use error::{AbciCode, ModuleError, SdkError};
pub use event::{StateEventExt, TypedEvent};
pub use gas::{GasCosts, GasMeter, OutOfGas, GAS_COSTS};
pub use metered::{charge as charge_gas, Metered, GAS_METER_KEY};
pub use module::{
    decode_any, BeginBlocker, EndBlocker, Handled, Module, ModuleMsg, MsgHandler, ValidatorUpdate,
};
pub use pagination::{paginate, paginate_with_max, DEFAULT_LIMIT, MAX_LIMIT, RELAYER_MAX_LIMIT};
pub use record::{decode_record, encode_record, timestamp_ns};
pub use state::{decode_u128, StateReadProto, StateWriteProto};

/// Key of the ephemeral (not persisted) cnidarium object holding the id (`u64`) of the gov
/// proposal whose messages are executing; absent outside proposal execution. Handlers that
/// record which proposal caused them (interchain-upgrade's dispatches) read it with
/// `object_get`.
pub const EXECUTING_PROPOSAL_ID: &str = "gov/executing_proposal_id";

/// Re-exported so module crates use the one cnidarium version pinned by the workspace.
pub use cnidarium;

#[doc(hidden)]
pub mod __private {
    //! Paths the exported macros name.
    pub use cosmos_sdk_proto::Any;
    pub use prost::Message;
}
