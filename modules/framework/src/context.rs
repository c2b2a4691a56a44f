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
    /// The IBC ports this runtime binds (ICS-05): the applications its ICS-26 router may hand
    /// a channel or a packet to. Empty unless set with [`TxCtx::with_bound_ports`], so a
    /// context built without the runtime binds nothing.
    pub bound_ports: &'static [&'static str],
    /// The gas meter of the transaction, shared with the [`crate::Metered`] state the
    /// transaction runs on (which charges every state access); handlers charge it for other
    /// work (signatures checked).
    pub gas: std::sync::Arc<GasMeter>,
    /// Notes for the transaction's log on success (e.g. IBC's "packet messages are
    /// redundant" for a no-op relay). A mutex only to keep `&TxCtx` `Sync` across awaits.
    pub notes: std::sync::Mutex<Vec<String>>,
}

impl TxCtx {
    /// A context for one transaction of `signer` with a gas limit.
    pub fn new(block: BlockCtx, bech32_prefix: &str, signer: [u8; 20], gas_limit: u64) -> Self {
        TxCtx {
            block,
            bech32_prefix: bech32_prefix.to_string(),
            signer,
            bound_ports: &[],
            gas: std::sync::Arc::new(GasMeter::new(gas_limit)),
            notes: Default::default(),
        }
    }

    /// The same context, with the runtime's bound ports (see [`TxCtx::bound_ports`]).
    pub fn with_bound_ports(mut self, ports: &'static [&'static str]) -> Self {
        self.bound_ports = ports;
        self
    }

    /// `Ok` when `signer` (a message's required signer) is the transaction's signer; otherwise
    /// `unauthorized(why)`, the module's own "unauthorized" error (`sdk`/4 for the SDK's
    /// messages, `upgrade`/101, …), so that a message signed by anyone else is refused before
    /// it reads any state. `why` is only formatted on failure (`format_args!` costs nothing
    /// when the signer is right).
    pub fn require_signer<E: Into<crate::ModuleError>>(
        &self,
        signer: &[u8; 20],
        unauthorized: fn(String) -> E,
        why: impl std::fmt::Display,
    ) -> crate::Handled {
        if *signer == self.signer {
            return Ok(());
        }
        Err(unauthorized(why.to_string()).into())
    }

    /// Adds a note to the success log (deduplicated).
    pub fn note(&self, note: &str) {
        if let Ok(mut n) = self.notes.lock() {
            if !n.iter().any(|x| x == note) {
                n.push(note.to_string());
            }
        }
    }

    /// The notes joined by `; ` (empty if none).
    pub fn log(&self) -> String {
        self.notes.lock().map(|n| n.join("; ")).unwrap_or_default()
    }
}

/// What genesis initialisation knows about the chain.
#[derive(Clone, Debug)]
pub struct GenesisCtx {
    /// The chain id from the genesis file.
    pub chain_id: String,
    /// The bech32 prefix of account addresses (`hub`).
    pub bech32_prefix: String,
    /// The genesis time from the genesis file (InitChain's `time`): the time of "block 0",
    /// for what genesis creates with a timestamp (the pinned hub client of a spoke).
    pub time: Time,
}
