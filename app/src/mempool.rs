//! The mempool's check-state, shared by CheckTx and Simulate.
//!
//! The check-state is a copy-on-write overlay of the last committed state that accumulates
//! what mempool admission writes for every admitted tx (ante: sequence + 1 and fee; IBC relay
//! checks: client updates, receipts — see [`crate::exec`]), so several pending txs of one
//! account pass and a relayer's second tx proves against the client update in its first.
//!
//! It is rebuilt from the committed state whenever the committed version changes. CometBFT
//! (v0.38 `CListMempool`) holds its mempool lock from before Commit until every remaining tx
//! was re-sent as a Recheck, and the ABCI connection keeps their order, so the first CheckTx
//! after a commit is either a Recheck (which replays the mempool onto the new state) or a new
//! tx into an empty mempool. Simulate may be the first to see the new version: it rebuilds the
//! state the same way, and the Rechecks then replay onto it.

use crate::exec::{self, ExecMode, TxOutcome};
use crate::read_cache::ReadCache;
use crate::runtime::ChainConfig;
use hub_framework::cnidarium::{StateDelta, Storage};
use std::sync::Arc;

/// Whether a CheckTx admits a new tx or re-admits one after a commit (ABCI `CheckTxType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckKind {
    /// A tx from a client or a peer.
    New,
    /// A tx still in the mempool after a commit.
    Recheck,
}

/// The mempool's view of state.
pub struct Mempool {
    storage: Storage,
    cfg: ChainConfig,
    /// The check-state: the latest commit's snapshot (through a read cache, as a block reads
    /// it) and what admitted txs wrote on it.
    state: Option<(u64, StateDelta<ReadCache>)>,
}

/// A [`Mempool`] shared by the ABCI mempool connection and the query service (Simulate).
pub type SharedMempool = Arc<tokio::sync::Mutex<Mempool>>;

impl Mempool {
    /// A mempool over `storage`.
    pub fn new(storage: Storage, cfg: ChainConfig) -> Self {
        Mempool {
            storage,
            cfg,
            state: None,
        }
    }

    /// The same, shared.
    pub fn shared(storage: Storage, cfg: ChainConfig) -> SharedMempool {
        Arc::new(tokio::sync::Mutex::new(Self::new(storage, cfg)))
    }

    /// The check-state over the latest committed version (rebuilt if that version changed),
    /// and the version.
    fn state(&mut self) -> (&mut StateDelta<ReadCache>, u64) {
        let latest = self.storage.latest_snapshot();
        let version = latest.version();
        let state = match self.state.take() {
            Some((v, state)) if v == version => state,
            _ => StateDelta::new(ReadCache::new(latest)),
        };
        (&mut self.state.insert((version, state)).1, version)
    }

    /// The check-state and the context of the block it precedes.
    ///
    /// Errors: `sdk`/1 before genesis.
    async fn prepared(
        &mut self,
    ) -> Result<(&mut StateDelta<ReadCache>, hub_framework::BlockCtx), hub_framework::ModuleError>
    {
        let (state, version) = self.state();
        let block = crate::chain_state::next_block_ctx(state, version).await?;
        Ok((state, block))
    }

    /// Checks one tx (CheckTx, new or re-check). On success what admission wrote is kept in
    /// the check-state; on failure nothing changes.
    pub async fn check_tx(&mut self, tx: &[u8], kind: CheckKind) -> TxOutcome {
        let cfg = self.cfg.clone();
        let (state, block) = match self.prepared().await {
            Ok(prepared) => prepared,
            Err(e) => return TxOutcome::rejected(&e),
        };
        let mode = match kind {
            CheckKind::New => ExecMode::Check,
            CheckKind::Recheck => ExecMode::Recheck,
        };
        exec::execute(state, tx, &block, &cfg, mode).await
    }

    /// Simulates one tx (every stage, signature and minimum fee not checked) on a throwaway
    /// overlay of the check-state, as the Cosmos SDK simulates on its check-state: a tx whose
    /// client update is in an earlier, still pending tx of the same relayer verifies.
    pub async fn simulate(&mut self, tx: &[u8]) -> TxOutcome {
        let cfg = self.cfg.clone();
        let (state, block) = match self.prepared().await {
            Ok(prepared) => prepared,
            Err(e) => return TxOutcome::rejected(&e),
        };
        let mut scratch = StateDelta::new(&mut *state);
        exec::execute(&mut scratch, tx, &block, &cfg, ExecMode::Simulate).await
    }
}
