//! `MsgUpdateParams`: governance replaces the module's params.

use crate::msgs::MsgUpdateParams;
use crate::{InterchainUpgradeError, InterchainUpgradeWrite};
use hub_framework::{cnidarium::StateWrite, ModuleError, MsgHandler, TxCtx};

impl MsgHandler for MsgUpdateParams {
    /// The signer must be the authority (the gov module account).
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        if tx.signer != self.authority.0 {
            return Err(
                InterchainUpgradeError::Unauthorized("signer is not the authority".into()).into(),
            );
        }
        Ok(())
    }

    /// Stores the params; plans already consumed stay consumed.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        s.put_iu_params(&self.params);
        Ok(())
    }
}
