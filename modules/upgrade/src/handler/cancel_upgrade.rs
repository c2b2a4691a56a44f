//! `MsgCancelUpgrade`: governance removes the scheduled plan.

use crate::{msgs::MsgCancelUpgrade, UpgradeError, UpgradeWrite};
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, TxCtx};

impl MsgHandler for MsgCancelUpgrade {
    /// The signer must be the authority (the gov module account).
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        tx.require_signer(
            &self.authority.0,
            UpgradeError::Unauthorized,
            "signer is not the authority",
        )
    }

    /// Removes the plan; succeeds also when none is scheduled, as the SDK.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, _tx: &TxCtx) -> Handled {
        s.clear_plan();
        Ok(())
    }
}
