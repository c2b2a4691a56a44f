//! `MsgSoftwareUpgrade`: governance schedules (or replaces) the local plan.

use crate::{msgs::MsgSoftwareUpgrade, UpgradeError, UpgradeWrite};
use hub_framework::{cnidarium::StateWrite, ModuleError, MsgHandler, TxCtx};

impl MsgHandler for MsgSoftwareUpgrade {
    /// The signer must be the authority (the gov module account).
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        if tx.signer != self.authority.0 {
            return Err(UpgradeError::Unauthorized("signer is not the authority".into()).into());
        }
        Ok(())
    }

    /// Errors: as [`UpgradeWrite::schedule_plan`] with `replace = true`.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        s.schedule_plan(&self.plan, tx.block.height, true).await
    }
}
