//! The app's own records in the main store, below every other part of the app: the chain id,
//! the latest block's height and time, the block gas limit, and the block context they give
//! work outside a block (CheckTx, Simulate, queries).

use hub_framework::{cnidarium::StateRead, BlockCtx, ModuleError};
use tendermint::Time;

/// Key of the time of the latest block (big-endian u64, ns since the Unix epoch) in the main
/// store, written every block; IBC `ClientStatus` measures client expiry against it.
pub const BLOCK_TIME_KEY: &str = "app/block_time";

/// Key of the chain id in the main store (set once at InitChain).
pub const CHAIN_ID_KEY: &str = "app/chain_id";

/// Key of the current block height (big-endian u64) in the main store, written every block.
///
/// Besides recording the height, it guarantees that every block writes a JMT leaf: cnidarium
/// recovers the committed version at start-up from the newest leaf, and a block without any
/// write would otherwise leave only an internal node at its version (the node would then
/// report height 0 after a restart).
pub const BLOCK_HEIGHT_KEY: &str = "app/block_height";

/// `app/max_block_gas` → big-endian u64: CometBFT's `consensus_params.block.max_gas` from
/// genesis (absent: no limit, CometBFT's -1). PrepareProposal and ProcessProposal enforce it
/// on the sum of the txs' gas limits, as the Cosmos SDK's default proposal handlers do.
pub const MAX_BLOCK_GAS_KEY: &str = "app/max_block_gas";

/// The chain id written at InitChain; `None` before genesis.
///
/// Errors: an internal error if the stored bytes are unreadable.
pub async fn stored_chain_id<S: StateRead>(s: &S) -> Result<Option<String>, ModuleError> {
    s.get_raw(CHAIN_ID_KEY)
        .await
        .map_err(ModuleError::internal)?
        .map(String::from_utf8)
        .transpose()
        .map_err(ModuleError::internal)
}

/// The time of the latest executed block (ns since the Unix epoch), `None` before the first
/// block.
///
/// Errors: an internal error if the stored bytes are unreadable.
pub async fn stored_block_time_ns<S: StateRead>(s: &S) -> Result<Option<u64>, ModuleError> {
    Ok(s.get_raw(BLOCK_TIME_KEY)
        .await
        .map_err(ModuleError::internal)?
        .and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
        .map(u64::from_be_bytes))
}

/// The context of the block after committed `version`, for work outside a block (CheckTx,
/// Simulate): the chain id from state, the next height, and the time of the latest block, as
/// the Cosmos SDK gives CheckTx the last committed header's time (IBC client updates check
/// header times against it; the Unix epoch before the first block).
///
/// Errors: `sdk`/1 "the chain has not been initialised yet" before genesis.
pub async fn next_block_ctx<S: StateRead>(s: &S, version: u64) -> Result<BlockCtx, ModuleError> {
    let chain_id = stored_chain_id(s).await?.ok_or_else(|| ModuleError {
        codespace: "sdk",
        code: 1,
        log: "the chain has not been initialised yet".into(),
    })?;
    let time = match stored_block_time_ns(s).await? {
        Some(ns) => Time::from_unix_timestamp(
            i64::try_from(ns / 1_000_000_000).map_err(ModuleError::internal)?,
            (ns % 1_000_000_000) as u32,
        )
        .map_err(ModuleError::internal)?,
        None => Time::unix_epoch(),
    };
    Ok(BlockCtx {
        chain_id,
        height: version.wrapping_add(1),
        time,
    })
}
