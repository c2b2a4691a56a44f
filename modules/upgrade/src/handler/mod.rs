//! Message handlers of the upgrade module.

mod cancel_upgrade;
mod software_upgrade;

use crate::UpgradeError;
use hub_framework::{Handled, TxCtx};

/// The check of every upgrade message: its `authority` (the gov module account, checked when
/// decoding) is the transaction's signer. Errors: `upgrade`/101 (Unauthorized).
fn signed_by_authority(tx: &TxCtx, authority: &hub_auth::Address) -> Handled {
    let why = "signer is not the authority";
    tx.require_signer(&authority.0, UpgradeError::Unauthorized, why)
}
