//! The consensus state machine: InitChain, FinalizeBlock, Commit and Info over cnidarium.
//!
//! Versions: genesis is committed as JMT version 0 and block `h` as version `h`, so an
//! `abci_query` at height `h` reads the state after block `h`, and the app hash returned by
//! FinalizeBlock(h) (which lands in header h+1) commits to that state.

use crate::exec::{self, ExecMode, TxOutcome};
use crate::runtime::{self, AppState, ChainConfig};
use anyhow::{anyhow, bail, Context};
use hub_framework::{
    cnidarium::{StagedWriteBatch, StateDelta, StateRead, StateWrite, Storage},
    BlockCtx, GenesisCtx, ValidatorUpdate,
};
use std::path::{Path, PathBuf};
use tendermint::{
    abci::{types::Misbehavior, Event},
    Time,
};

pub use crate::chain_state::{
    next_block_ctx, stored_block_time_ns, stored_chain_id, BLOCK_HEIGHT_KEY, BLOCK_TIME_KEY,
    CHAIN_ID_KEY, MAX_BLOCK_GAS_KEY,
};

/// The largest tx a proposal may carry (bytes); larger ones are never proposed.
pub const MAX_TX_BYTES: usize = 1 << 20;

/// The gas limit of a tx fit for a proposal: it decodes and is at most [`MAX_TX_BYTES`].
fn proposable_gas(tx: &[u8]) -> Option<u64> {
    if tx.len() > MAX_TX_BYTES {
        return None;
    }
    hub_auth::tx::DecodedTx::decode(tx)
        .ok()
        .map(|t| t.gas_limit)
}

/// The result of executing a block.
#[derive(Debug)]
pub struct BlockResult {
    /// One outcome per transaction, in block order.
    pub tx_results: Vec<TxOutcome>,
    /// Block-level events (begin/end-block hooks).
    pub events: Vec<Event>,
    /// Validator power changes.
    pub validator_updates: Vec<ValidatorUpdate>,
    /// The root hash of the state after the block (32 bytes).
    pub app_hash: Vec<u8>,
}

/// The application's consensus state: storage plus the block executed but not yet committed.
pub struct App {
    storage: Storage,
    cfg: ChainConfig,
    chain_id: Option<String>,
    pending: Option<(u64, StagedWriteBatch)>,
    /// Where `upgrade-info.json` is written (the node's `data/`); `None` in tests.
    data_dir: Option<PathBuf>,
    /// Set once when the node must stop before a block (an upgrade halt).
    halt: tokio::sync::watch::Sender<Option<String>>,
}

impl App {
    /// Opens (or creates) the RocksDB-backed store at `path`.
    pub async fn load(path: &Path, cfg: ChainConfig) -> anyhow::Result<Self> {
        let prefixes = cfg.substores().iter().map(|s| s.to_string()).collect();
        let storage = Storage::load(path.to_path_buf(), prefixes)
            .await
            .with_context(|| format!("opening the state database at {}", path.display()))?;
        let mut app = Self::from_storage(storage, cfg).await?;
        app.data_dir = path.parent().map(Path::to_path_buf);
        Ok(app)
    }

    /// Wraps an already-open storage (tests use `TempStorage`).
    ///
    /// Errors: a runtime whose module list is not wired everywhere
    /// ([`ChainConfig::check_composition`]).
    pub async fn from_storage(storage: Storage, cfg: ChainConfig) -> anyhow::Result<Self> {
        cfg.check_composition()
            .map_err(|e| anyhow!("runtime composition: {e}"))?;
        let chain_id = stored_chain_id(&storage.latest_snapshot()).await?;
        Ok(App {
            storage,
            cfg,
            chain_id,
            pending: None,
            data_dir: None,
            halt: tokio::sync::watch::channel(None).0,
        })
    }

    /// A handle to the storage (cheap clone), for the mempool and queries.
    pub fn storage(&self) -> Storage {
        self.storage.clone()
    }

    /// Becomes `Some(reason)` when the node must stop before executing a block (an upgrade
    /// is due that this binary cannot apply, or this binary is a release started too early).
    /// The node process watches it and exits with the reason.
    pub fn halted(&self) -> tokio::sync::watch::Receiver<Option<String>> {
        self.halt.subscribe()
    }

    /// The chain config.
    pub fn config(&self) -> &ChainConfig {
        &self.cfg
    }

    /// Last committed height and app hash; `(0, [])` before genesis. CometBFT's handshake
    /// replays blocks above this height.
    pub async fn info(&self) -> anyhow::Result<(u64, Vec<u8>)> {
        let version = self.storage.latest_version();
        if version == u64::MAX {
            return Ok((0, Vec::new()));
        }
        let hash = self.storage.latest_snapshot().root_hash().await?;
        Ok((version, hash.0.to_vec()))
    }

    /// Applies the genesis `app_state` and commits it as version 0.
    ///
    /// Idempotent: if genesis is already committed (CometBFT crashed before saving its own
    /// state), returns the committed hash and validators without re-applying.
    ///
    /// Errors: an invalid `app_state` (the message names the field), a chain id whose
    /// `initial_height` is not 1; nothing is written.
    pub async fn init_chain(
        &mut self,
        chain_id: &str,
        app_state: &[u8],
        initial_height: u64,
    ) -> anyhow::Result<(Vec<u8>, Vec<ValidatorUpdate>)> {
        self.init_chain_at(
            chain_id,
            app_state,
            initial_height,
            Time::unix_epoch(),
            None,
        )
        .await
    }

    /// [`App::init_chain`] with the genesis time of the genesis file (InitChain's `time`),
    /// which genesis checks what it creates against (a spoke's pinned hub client must not
    /// have expired by then), and the block gas limit of its consensus params (`None` for
    /// CometBFT's -1, no limit).
    pub async fn init_chain_at(
        &mut self,
        chain_id: &str,
        app_state: &[u8],
        initial_height: u64,
        time: Time,
        max_block_gas: Option<u64>,
    ) -> anyhow::Result<(Vec<u8>, Vec<ValidatorUpdate>)> {
        if initial_height > 1 {
            bail!("initial_height {initial_height} is not supported; use 1");
        }
        if self.storage.latest_version() != u64::MAX {
            let snap = self.storage.latest_snapshot();
            let vals = hub_staking::last_validator_updates(&snap).await?;
            return Ok((snap.root_hash().await?.0.to_vec(), vals));
        }
        let genesis = AppState::from_json(app_state).map_err(|e| anyhow!(e))?;
        let mut delta = StateDelta::new(self.storage.latest_snapshot());
        delta.put_raw(CHAIN_ID_KEY.into(), chain_id.as_bytes().to_vec());
        if let Some(g) = max_block_gas {
            delta.put_raw(MAX_BLOCK_GAS_KEY.into(), g.to_be_bytes().to_vec());
        }
        let ctx = GenesisCtx {
            chain_id: chain_id.into(),
            bech32_prefix: self.cfg.bech32_prefix.clone(),
            time,
        };
        runtime::init_genesis(&mut delta, &ctx, &genesis)
            .await
            .map_err(|e| anyhow!("{}", e.log))?;
        let vals = hub_staking::last_validator_updates(&delta).await?;
        let hash = self.storage.commit(delta).await?;
        self.chain_id = Some(chain_id.to_string());
        Ok((hash.0.to_vec(), vals))
    }

    /// The block gas limit from genesis (`None`: no limit). (`&mut self`, like the other
    /// consensus calls: the app is not `Sync`.)
    ///
    /// Errors: unreadable state.
    pub async fn max_block_gas(&mut self) -> anyhow::Result<Option<u64>> {
        Ok(self
            .storage
            .latest_snapshot()
            .get_raw(MAX_BLOCK_GAS_KEY)
            .await?
            .and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
            .map(u64::from_be_bytes))
    }

    /// PrepareProposal: the mempool's txs in its order, dropping undecodable or oversize
    /// ones, up to `max_tx_bytes` in total and, when the chain has one, up to the block gas
    /// limit in the sum of the txs' gas limits (the Cosmos SDK's `DefaultProposalHandler`).
    ///
    /// Errors: unreadable state.
    pub async fn prepare_proposal<T: AsRef<[u8]>>(
        &mut self,
        txs: Vec<T>,
        max_tx_bytes: i64,
    ) -> anyhow::Result<Vec<T>> {
        let max_gas = self.max_block_gas().await?.unwrap_or(u64::MAX);
        let (mut bytes, mut gas) = (0i64, 0u64);
        let mut out = Vec::new();
        for tx in txs {
            let Some(wanted) = proposable_gas(tx.as_ref()) else {
                continue;
            };
            bytes += tx.as_ref().len() as i64;
            gas = gas.saturating_add(wanted);
            if bytes > max_tx_bytes || gas > max_gas {
                break;
            }
            out.push(tx);
        }
        Ok(out)
    }

    /// The overlay a proposal is checked or a block executed on: the committed state, read
    /// through a cache that lives as long as the block.
    fn block_overlay(&self) -> StateDelta<crate::read_cache::ReadCache> {
        StateDelta::new(crate::read_cache::ReadCache::new(
            self.storage.latest_snapshot(),
        ))
    }

    /// ProcessProposal (the Cosmos SDK's `ProcessProposalVerifyTx` for each tx): every tx
    /// decodes, fits the size limit, and passes its stateless checks and the ante —
    /// signature, sequence, fee and balance — in block order on a throwaway overlay of the
    /// committed state; the sum of the txs' gas limits is within the block gas limit. A
    /// byzantine proposer can then not fill blocks with txs that pay nothing.
    ///
    /// Errors: the reason to reject, naming the tx index.
    pub async fn process_proposal(
        &mut self,
        height: u64,
        time: Time,
        txs: &[impl AsRef<[u8]>],
    ) -> Result<(), String> {
        let chain_id = self
            .chain_id
            .clone()
            .ok_or("ProcessProposal before InitChain")?;
        let max_gas = self
            .max_block_gas()
            .await
            .map_err(|e| e.to_string())?
            .unwrap_or(u64::MAX);
        let block = BlockCtx {
            chain_id,
            height,
            time,
        };
        let mut state = self.block_overlay();
        let mut gas = 0u64;
        for (i, tx) in txs.iter().enumerate() {
            if proposable_gas(tx.as_ref()).is_none() {
                return Err(format!("tx {i} is undecodable or oversize"));
            }
            let wanted = exec::verify_proposed(&mut state, tx.as_ref(), &block, &self.cfg)
                .await
                .map_err(|e| {
                    format!(
                        "tx {i}: {} (codespace {}, code {})",
                        e.log, e.codespace, e.code
                    )
                })?;
            gas = gas.saturating_add(wanted);
            if gas > max_gas {
                return Err(format!(
                    "the txs' gas limits add up to more than the block gas limit {max_gas} at tx {i}"
                ));
            }
        }
        Ok(())
    }

    /// Executes a block: double-sign evidence (`misbehavior` of the FinalizeBlock request,
    /// handled by staking before anything else, as the Cosmos SDK's BeginBlock evidence
    /// handling), begin hooks, each tx in its own overlays, end hooks; computes the app hash
    /// and stages the writes for [`App::commit`]. Reads of unchanged keys are answered once per
    /// block ([`crate::read_cache`]).
    ///
    /// Errors (the node must stop: these are faults, not bad input): a height that does not
    /// follow the committed one, a storage error, a failing hook.
    pub async fn finalize_block(
        &mut self,
        height: u64,
        time: Time,
        txs: &[impl AsRef<[u8]>],
        misbehavior: &[Misbehavior],
    ) -> anyhow::Result<BlockResult> {
        let committed = self.storage.latest_version();
        if committed.wrapping_add(1) != height {
            bail!("asked to execute block {height}, but the committed state is at {committed}");
        }
        let chain_id = self
            .chain_id
            .clone()
            .ok_or_else(|| anyhow!("FinalizeBlock before InitChain"))?;
        let block = BlockCtx {
            chain_id,
            height,
            time,
        };
        let mut state = self.block_overlay();
        state.put_raw(BLOCK_HEIGHT_KEY.into(), height.to_be_bytes().to_vec());
        let ns = hub_ibc::client::types::time_nanos(time);
        state.put_raw(BLOCK_TIME_KEY.into(), ns.to_be_bytes().to_vec());
        let mut hooks = StateDelta::new(&mut state);
        self.pre_block(&mut hooks, &block).await?;
        for ev in crate::staking::double_sign_evidence(misbehavior) {
            hub_staking::handle_double_sign(
                &mut hooks,
                &hub_bank::Keeper,
                &self.cfg.bech32_prefix,
                &ev,
            )
            .await
            .map_err(|e| anyhow!("double-sign evidence: {e}"))?;
        }
        runtime::begin_block(&mut hooks, &block)
            .await
            .map_err(|e| anyhow!("begin_block: {e}"))?;
        let (_, mut events) = hooks.apply();
        let mut tx_results = Vec::with_capacity(txs.len());
        for tx in txs {
            tx_results.push(
                exec::execute(
                    &mut state,
                    tx.as_ref(),
                    &block,
                    &self.cfg,
                    ExecMode::Deliver,
                )
                .await,
            );
        }
        let mut hooks = StateDelta::new(&mut state);
        let validator_updates = runtime::end_block(&mut hooks, &block)
            .await
            .map_err(|e| anyhow!("end_block: {e}"))?;
        let (_, end_events) = hooks.apply();
        events.extend(end_events);
        // The block's writes, moved from the read cache onto its snapshot to be committed.
        let (cache, changes) = state.flatten();
        let mut state = StateDelta::new(cache.into_snapshot());
        changes.apply_to(&mut state);
        let batch = self.storage.prepare_commit(state).await?;
        let app_hash = batch.root_hash().0.to_vec();
        self.pending = Some((height, batch));
        crate::crash_point::reached(crate::crash_point::AFTER_FINALIZE, height);
        Ok(BlockResult {
            tx_results,
            events,
            validator_updates,
            app_hash,
        })
    }

    /// The upgrade decision before the block's hooks. On a halt it writes
    /// `data/upgrade-info.json` (for an upgrade that is due), logs the reason, signals
    /// [`App::halted`] and fails, so the block is not executed by this binary.
    async fn pre_block<S: StateWrite>(
        &mut self,
        s: &mut S,
        block: &BlockCtx,
    ) -> anyhow::Result<()> {
        let migrations = runtime::RuntimeMigrations(self.cfg.upgrade_handlers);
        let halt = match hub_upgrade::pre_block(s, block, &migrations)
            .await
            .map_err(|e| anyhow!("upgrade: {e}"))?
        {
            hub_upgrade::PreBlock::Continue => return Ok(()),
            hub_upgrade::PreBlock::Applied(name) => {
                tracing::info!(name, height = block.height, "upgrade applied");
                return Ok(());
            }
            hub_upgrade::PreBlock::Halt(h) => h,
        };
        if let (hub_upgrade::Halt::Needed(n), Some(dir)) = (&halt, &self.data_dir) {
            // Written whole by a rename: cosmovisor polls the file and aborts on a partial one.
            let path = dir.join("upgrade-info.json");
            let tmp = dir.join("upgrade-info.json.tmp");
            std::fs::write(&tmp, n.upgrade_info_json())
                .and_then(|()| std::fs::rename(&tmp, &path))
                .with_context(|| format!("writing {}", path.display()))?;
        }
        tracing::error!("{halt}");
        self.halt.send_replace(Some(halt.to_string()));
        Err(anyhow::Error::new(halt))
    }

    /// Closes the database, waiting until RocksDB has released it (so it can be reopened in
    /// the same process). Other handles from [`App::storage`] must be dropped first.
    pub async fn shutdown(self) {
        self.storage.release().await;
    }

    /// Persists the block staged by [`App::finalize_block`]. Returns the committed height.
    pub async fn commit(&mut self) -> anyhow::Result<u64> {
        let (height, batch) = self
            .pending
            .take()
            .ok_or_else(|| anyhow!("Commit without FinalizeBlock"))?;
        crate::crash_point::reached(crate::crash_point::BEFORE_COMMIT_WRITE, height);
        self.storage.commit_batch(batch)?;
        crate::crash_point::reached(crate::crash_point::AFTER_COMMIT_WRITE, height);
        Ok(height)
    }
}
