//! `MsgSoftwareUpgrade`: governance schedules (or replaces) the local plan.

use crate::{msgs::MsgSoftwareUpgrade, UpgradeWrite};
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, TxCtx};

impl MsgHandler for MsgSoftwareUpgrade {
    /// The signer must be the authority (the gov module account).
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        super::signed_by_authority(tx, &self.authority)
    }

    /// Errors: as [`UpgradeWrite::schedule_plan`] with `replace = true`.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        s.schedule_plan(&self.plan, tx.block.height, true).await
    }
}
