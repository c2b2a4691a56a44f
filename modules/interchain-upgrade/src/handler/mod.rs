//! Message handlers of the interchain-upgrade module.

mod confirm_applied;
mod dispatch_upgrade;
mod register_spoke;
mod update_params;

use crate::InterchainUpgradeError;
use hub_framework::{Handled, TxCtx};

/// The check of every governance message of the module: its `authority` (the gov module
/// account, checked when decoding) is the transaction's signer. Errors:
/// `interchain-upgrade`/2 (Unauthorized).
fn signed_by_authority(tx: &TxCtx, authority: &hub_auth::Address) -> Handled {
    let why = "signer is not the authority";
    tx.require_signer(&authority.0, InterchainUpgradeError::Unauthorized, why)
}
