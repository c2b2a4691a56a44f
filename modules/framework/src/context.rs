//! Execution contexts handed to hooks and message handlers.

use crate::gas::GasMeter;
use tendermint::Time;

/// What a begin/end-block hook knows about the block being executed.
///
/// `height` and `time` come from the FinalizeBlock request, never from the local clock, so every
/// validator sees the same values.
#[derive(Clone, Debug)]
pub struct BlockCtx {
    /// The chain id from genesis (e.g. `hub-1`).
    pub chain_id: String,
    /// The height of the block being executed (≥ 1).
    pub height: u64,
    /// The block time proposed by the block's proposer (BFT time).
    pub time: Time,
}

/// What a message handler knows about the transaction it runs in.
#[derive(Debug)]
pub struct TxCtx {
    /// The block the transaction executes in.
    pub block: BlockCtx,
    /// The bech32 prefix of account addresses on this chain (`hub` on the hub).
    pub bech32_prefix: String,
    /// The 20-byte address of the transaction's single signer (already authenticated).
    pub signer: [u8; 20],
    /// The gas meter of the transaction; handlers charge it for the work they do.
    pub gas: GasMeter,
}

/// What genesis initialisation knows about the chain.
#[derive(Clone, Debug)]
pub struct GenesisCtx {
    /// The chain id from the genesis file.
    pub chain_id: String,
    /// The bech32 prefix of account addresses (`hub`).
    pub bech32_prefix: String,
}
