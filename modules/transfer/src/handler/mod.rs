//! One file per message: `check_stateless`, then `check_and_execute`.

mod transfer;

pub use transfer::send_transfer;

use hub_framework::{ModuleError, SdkError, TxCtx};

/// Charges `reads` state reads and `writes` state writes of ~100 bytes each (balances,
/// escrow totals, sequences, commitments).
fn charge(tx: &TxCtx, reads: usize, writes: usize) -> Result<(), ModuleError> {
    let out_of_gas = |e: hub_framework::OutOfGas| SdkError::OutOfGas(e.to_string());
    for _ in 0..reads {
        tx.gas.charge_read(100).map_err(out_of_gas)?;
    }
    for _ in 0..writes {
        tx.gas.charge_write(100).map_err(out_of_gas)?;
    }
    Ok(())
}
