//! `MsgUpdateParams`: governance replaces the module's params.

use crate::msgs::MsgUpdateParams;
use crate::InterchainUpgradeWrite;
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, TxCtx};

impl MsgHandler for MsgUpdateParams {
    /// The signer must be the authority (the gov module account).
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        super::signed_by_authority(tx, &self.authority)
    }

    /// Stores the params; plans already consumed stay consumed.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, _tx: &TxCtx) -> Handled {
        s.put_iu_params(&self.params);
        Ok(())
    }
}
