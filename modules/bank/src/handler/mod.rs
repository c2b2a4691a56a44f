//! One file per message: `check_stateless`, then `check_and_execute`.

mod multi_send;
mod send;

use hub_framework::{ModuleError, SdkError, TxCtx};

/// Charges the gas of moving `coins` coin amounts: per coin, a read and a write of the sender's
/// and the recipient's balance (~60 bytes each).
fn charge_coin_moves(tx: &TxCtx, coins: usize) -> Result<(), ModuleError> {
    for _ in 0..coins * 2 {
        tx.gas
            .charge_read(60)
            .and_then(|_| tx.gas.charge_write(60))
            .map_err(|e| SdkError::OutOfGas(e.to_string()))?;
    }
    Ok(())
}
