//! Gas: a deterministic measure of the work a transaction causes.
//!
//! The cost table ([`GAS_COSTS`]) is part of consensus: changing a number changes which
//! transactions run out of gas, so it only changes with a coordinated upgrade.

use std::sync::atomic::{AtomicU64, Ordering};

/// The cost table, in gas units.
///
/// | item | cost | why |
/// |---|---|---|
/// | each tx byte | 10 | bandwidth and storage of the block (Cosmos SDK `TxSizeCostPerByte`) |
/// | secp256k1 signature check | 1 000 | Cosmos SDK `SigVerifyCostSecp256k1` |
/// | state read | 1 000 flat + 3 / byte | Cosmos SDK `ReadCostFlat` / `ReadCostPerByte` |
/// | state write | 2 000 flat + 30 / byte | Cosmos SDK `WriteCostFlat` / `WriteCostPerByte` |
/// | state delete | 1 000 | Cosmos SDK `DeleteCost` |
/// | iteration step | 30 + 3 / byte | Cosmos SDK `IterNextCostFlat` (+ `ReadCostPerByte`) |
/// | each message | 1 000 | dispatch overhead |
/// | ICS-23 proof verified | 1 000 | hashing a proof path; the SDK has none (ibc-go pays it in CPU) |
/// | commit signature checked in a client update | 1 000 | as a secp256k1 check |
///
/// State access is charged by [`crate::Metered`], never by the modules.
#[derive(Clone, Copy, Debug)]
pub struct GasCosts {
    /// Gas per byte of the raw transaction.
    pub tx_byte: u64,
    /// Gas per secp256k1 signature verification.
    pub sig_verify_secp256k1: u64,
    /// Flat gas per state read.
    pub read_flat: u64,
    /// Gas per byte read.
    pub read_byte: u64,
    /// Flat gas per state write or delete.
    pub write_flat: u64,
    /// Gas per byte written (key + value).
    pub write_byte: u64,
    /// Gas per state delete.
    pub delete: u64,
    /// Flat gas per iteration step.
    pub iter_next_flat: u64,
    /// Flat gas per message executed.
    pub msg: u64,
    /// Gas per ICS-23 proof verified.
    pub ics23_verify: u64,
}

/// The consensus cost table. See [`GasCosts`] for the meaning of each entry.
pub const GAS_COSTS: GasCosts = GasCosts {
    tx_byte: 10,
    sig_verify_secp256k1: 1_000,
    read_flat: 1_000,
    read_byte: 3,
    write_flat: 2_000,
    write_byte: 30,
    delete: 1_000,
    iter_next_flat: 30,
    msg: 1_000,
    ics23_verify: 1_000,
};

/// The transaction ran out of gas: `used` would exceed `limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("out of gas in location: {descriptor}; gas wanted: {limit}, gas used: {used}")]
pub struct OutOfGas {
    /// The gas limit of the transaction.
    pub limit: u64,
    /// The gas that would have been used.
    pub used: u64,
    /// What was being charged when the limit was crossed.
    pub descriptor: &'static str,
}

/// Counts gas against a limit. Charging past the limit fails with [`OutOfGas`].
///
/// A transaction runs on one task; the atomic only makes the meter `Sync` so that futures
/// holding `&TxCtx` are `Send`.
#[derive(Debug)]
pub struct GasMeter {
    limit: u64,
    used: AtomicU64,
}

impl GasMeter {
    /// A meter with `limit` gas units available.
    pub fn new(limit: u64) -> Self {
        GasMeter {
            limit,
            used: AtomicU64::new(0),
        }
    }

    /// A meter that never runs out, for genesis and simulation.
    pub fn infinite() -> Self {
        Self::new(u64::MAX)
    }

    /// Gas used so far.
    pub fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }

    /// The limit this meter enforces.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Charges `amount`; fails (and records the overflowing use) when the limit is crossed.
    pub fn charge(&self, amount: u64, descriptor: &'static str) -> Result<(), OutOfGas> {
        let used = self.used.load(Ordering::Relaxed).saturating_add(amount);
        self.used.store(used, Ordering::Relaxed);
        if used > self.limit {
            return Err(OutOfGas {
                limit: self.limit,
                used,
                descriptor,
            });
        }
        Ok(())
    }

    /// Charges a state read of `bytes` bytes.
    pub fn charge_read(&self, bytes: usize) -> Result<(), OutOfGas> {
        let c = GAS_COSTS;
        self.charge(c.read_flat + c.read_byte * bytes as u64, "ReadFlat")
    }

    /// Charges a state write of `bytes` bytes (key + value).
    pub fn charge_write(&self, bytes: usize) -> Result<(), OutOfGas> {
        let c = GAS_COSTS;
        self.charge(c.write_flat + c.write_byte * bytes as u64, "WriteFlat")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meter_fails_exactly_past_the_limit() {
        let m = GasMeter::new(1_000);
        assert!(m.charge(1_000, "a").is_ok());
        let e = m.charge(1, "b").unwrap_err();
        assert_eq!((e.limit, e.used, e.descriptor), (1_000, 1_001, "b"));
    }

    #[test]
    fn infinite_meter_does_not_overflow() {
        let m = GasMeter::infinite();
        m.charge(u64::MAX, "a").unwrap();
        m.charge(u64::MAX, "b").unwrap();
        assert_eq!(m.used(), u64::MAX);
    }
}
