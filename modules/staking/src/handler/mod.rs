//! One file per message: `check_stateless`, then `check_and_execute`.
//!
//! Staking messages move coins through the runtime's bank adapter: each implements the
//! framework's `MsgHandler<B>` for every [`StakingBank`] `B` (the module's capability).

mod create_validator;
mod delegate;
mod edit_validator;
mod undelegate;

use hub_framework::{Handled, SdkError, TxCtx};

pub use undelegate::undelegate;

/// `sdk`/4 unless `signer` is the tx signer.
fn require_signer(tx: &TxCtx, signer: &hub_auth::Address, what: &str) -> Handled {
    let why = format_args!("{what} must be signed by {}", tx_signer_role(what));
    tx.require_signer(&signer.0, SdkError::Unauthorized, why)
}

fn tx_signer_role(what: &str) -> &'static str {
    match what {
        "MsgDelegate" | "MsgUndelegate" => "its delegator",
        _ => "the validator operator",
    }
}

/// `sdk`/18 unless `denom` is the bond denom.
fn require_bond_denom(denom: &str, bond_denom: &str) -> Handled {
    if denom != bond_denom {
        return Err(SdkError::InvalidRequest(format!(
            "invalid coin denomination: got {denom}, expected {bond_denom}"
        ))
        .into());
    }
    Ok(())
}
