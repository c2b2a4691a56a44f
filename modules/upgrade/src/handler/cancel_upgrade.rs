//! `MsgCancelUpgrade`: governance removes the scheduled plan.

use crate::{msgs::MsgCancelUpgrade, UpgradeWrite};
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, TxCtx};

impl MsgHandler for MsgCancelUpgrade {
    /// The signer must be the authority (the gov module account).
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        super::signed_by_authority(tx, &self.authority)
    }

    /// Removes the plan; succeeds also when none is scheduled, as the SDK.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, _tx: &TxCtx) -> Handled {
        s.clear_plan();
        Ok(())
    }
}
