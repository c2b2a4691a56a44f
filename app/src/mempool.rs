//! CheckTx against a check-state: a copy-on-write overlay of the last committed state that
//! accumulates the ante effects (sequence + 1, fee) of every accepted tx, so several pending
//! txs of one account pass. It is rebuilt from the new state after each commit, and CometBFT's
//! ReCheckTx then replays the remaining mempool txs against it.

use crate::exec::{self, ExecMode, TxOutcome};
use crate::runtime::ChainConfig;
use hub_framework::cnidarium::{Snapshot, StateDelta, Storage};

/// The mempool's view of state.
pub struct Mempool {
    storage: Storage,
    cfg: ChainConfig,
    state: Option<(u64, StateDelta<Snapshot>)>,
}

impl Mempool {
    /// A mempool over `storage`.
    pub fn new(storage: Storage, cfg: ChainConfig) -> Self {
        Mempool {
            storage,
            cfg,
            state: None,
        }
    }

    /// Checks one tx (new or re-check). On success its ante effects are kept in the
    /// check-state; on failure nothing changes.
    pub async fn check_tx(&mut self, tx: &[u8]) -> TxOutcome {
        let latest = self.storage.latest_snapshot();
        let version = latest.version();
        let state = match &mut self.state {
            Some((v, state)) if *v == version => state,
            slot => &mut slot.insert((version, StateDelta::new(latest))).1,
        };
        let block = match crate::app::next_block_ctx(state, version).await {
            Ok(b) => b,
            Err(e) => return TxOutcome::rejected(&e),
        };
        exec::execute(state, tx, &block, &self.cfg.bech32_prefix, ExecMode::Check).await
    }
}
