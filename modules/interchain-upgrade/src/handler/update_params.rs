//! `MsgUpdateParams`: governance replaces the module's params.

use crate::msgs::MsgUpdateParams;
use crate::{InterchainUpgradeError, InterchainUpgradeWrite};
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, TxCtx};

impl MsgHandler for MsgUpdateParams {
    /// The signer must be the authority (the gov module account).
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        tx.require_signer(
            &self.authority.0,
            InterchainUpgradeError::Unauthorized,
            "signer is not the authority",
        )
    }

    /// Stores the params; plans already consumed stay consumed.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, _tx: &TxCtx) -> Handled {
        s.put_iu_params(&self.params);
        Ok(())
    }
}
