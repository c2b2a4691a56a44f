//! One file per message: `check_stateless`, then `check_and_execute`.
//!
//! Staking messages move coins through the runtime's bank adapter, so their handler trait
//! [`StakingMsgHandler`] is the framework's `MsgHandler` with the [`StakingBank`] passed in.

mod create_validator;
mod delegate;
mod edit_validator;
mod undelegate;

use crate::bank::StakingBank;
use hub_framework::{cnidarium::StateWrite, ModuleError, SdkError, TxCtx};

pub use undelegate::undelegate;

/// A staking message: the framework's `MsgHandler` contract, with the bank capability.
pub trait StakingMsgHandler {
    /// Shape checks needing no state, and that the message's signer signed the tx.
    ///
    /// Errors: `sdk`/4 when the tx signer is not the message's signer.
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError>;

    /// Stateful checks and the state change, on the tx overlay (dropped by the caller on
    /// error, with its events).
    async fn check_and_execute<S: StateWrite, B: StakingBank>(
        &self,
        s: &mut S,
        bank: &B,
        tx: &TxCtx,
    ) -> Result<(), ModuleError>;
}

/// `sdk`/4 unless `signer` is the tx signer.
fn require_signer(tx: &TxCtx, signer: &hub_auth::Address, what: &str) -> Result<(), ModuleError> {
    if signer.0 != tx.signer {
        return Err(SdkError::Unauthorized(format!(
            "{what} must be signed by {}",
            tx_signer_role(what)
        ))
        .into());
    }
    Ok(())
}

fn tx_signer_role(what: &str) -> &'static str {
    match what {
        "MsgDelegate" | "MsgUndelegate" => "its delegator",
        _ => "the validator operator",
    }
}

/// `sdk`/18 unless `denom` is the bond denom.
fn require_bond_denom(denom: &str, bond_denom: &str) -> Result<(), ModuleError> {
    if denom != bond_denom {
        return Err(SdkError::InvalidRequest(format!(
            "invalid coin denomination: got {denom}, expected {bond_denom}"
        ))
        .into());
    }
    Ok(())
}
