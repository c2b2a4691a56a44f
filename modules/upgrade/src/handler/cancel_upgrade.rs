//! `MsgCancelUpgrade`: governance removes the scheduled plan.

use crate::{msgs::MsgCancelUpgrade, UpgradeError, UpgradeWrite};
use hub_framework::{cnidarium::StateWrite, ModuleError, MsgHandler, TxCtx};

impl MsgHandler for MsgCancelUpgrade {
    /// The signer must be the authority (the gov module account).
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        if tx.signer != self.authority.0 {
            return Err(UpgradeError::Unauthorized("signer is not the authority".into()).into());
        }
        Ok(())
    }

    /// Removes the plan; succeeds also when none is scheduled, as the SDK.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        s.clear_plan();
        Ok(())
    }
}
