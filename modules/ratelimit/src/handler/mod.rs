//! One file per message: `check_stateless`, then `check_and_execute`.

mod add;
mod remove;
mod reset;
mod update;

use crate::{msgs::LimitPath, RateLimitError};
use hub_framework::{ModuleError, TxCtx};

/// The gov module account named by the message must be the transaction's signer (a passed
/// proposal). Errors: `ratelimit`/101.
fn check_signer(path: &LimitPath, tx: &TxCtx) -> Result<(), ModuleError> {
    if path.signer.0 != tx.signer {
        return Err(RateLimitError::Unauthorized("signer is not the gov module".into()).into());
    }
    Ok(())
}
