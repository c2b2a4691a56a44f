//! The module contract: genesis, message handlers and block hooks.
//!
//! Async where it touches state, because cnidarium reads are async. Native `async fn` in traits
//! is used with static dispatch only (the runtime matches on an exhaustive `Msg` enum), so the
//! futures' `Send`-ness is known at every call site.
#![allow(async_fn_in_trait)]

use crate::{BlockCtx, GenesisCtx, ModuleError, TxCtx};
use cnidarium::{StateRead, StateWrite};
use serde::{de::DeserializeOwned, Serialize};

/// A self-contained piece of chain logic with its own substore.
pub trait Module: 'static {
    /// The module name: its substore prefix, event prefix and error codespace (e.g. `bank`).
    const NAME: &'static str;
    /// The module's section of the genesis file's `app_state` (JSON, as Cosmos users expect).
    type Genesis: Default + Serialize + DeserializeOwned + Send + Sync;

    /// Writes the genesis state. Fails (naming the bad field) on an invalid genesis; the node
    /// then refuses to start, and nothing is committed.
    async fn init_genesis<S: StateWrite>(
        s: &mut S,
        ctx: &GenesisCtx,
        g: &Self::Genesis,
    ) -> Result<(), ModuleError>;

    /// Reads the whole module state back into its genesis form (export / import round trip).
    async fn export_genesis<S: StateRead>(s: &S) -> Result<Self::Genesis, ModuleError>;
}

/// A domain message that a module executes.
///
/// Validation is split as Penumbra's `ActionHandler` does: `check_stateless` may run in parallel
/// (CheckTx) and sees no state; `check_and_execute` runs in block order on the transaction's
/// overlay and must re-check anything an earlier message in the same block could change.
pub trait MsgHandler {
    /// Shape checks needing no state (addresses, amounts, lengths), and that the message's
    /// required signer is the transaction's signer.
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError>;

    /// Stateful checks and the state change. On `Err` the caller drops the overlay: nothing is
    /// written and no event is emitted.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError>;
}

/// A hook that runs at the start of every block, before any transaction.
pub trait BeginBlocker: Module {
    /// Runs the hook. An error halts the chain (it is a bug, not bad input).
    async fn begin_block<S: StateWrite>(s: &mut S, ctx: &BlockCtx) -> Result<(), ModuleError>;
}

/// A CometBFT validator power change produced at the end of a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorUpdate {
    /// Ed25519 consensus public key (32 bytes).
    pub pub_key: [u8; 32],
    /// New voting power; 0 removes the validator.
    pub power: u64,
}

/// A hook that runs at the end of every block, after all transactions.
pub trait EndBlocker: Module {
    /// Runs the hook and returns validator-set changes (empty for most modules).
    async fn end_block<S: StateWrite>(
        s: &mut S,
        ctx: &BlockCtx,
    ) -> Result<Vec<ValidatorUpdate>, ModuleError>;
}
