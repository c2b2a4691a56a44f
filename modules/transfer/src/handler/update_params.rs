//! `MsgUpdateParams`: governance sets the transfer params (ibc-go v8 `Keeper.UpdateParams`).

use crate::{msgs::MsgUpdateParams, TransferError, TransferWrite};
use hub_framework::{cnidarium::StateWrite, ModuleError, MsgHandler, TxCtx};

impl MsgHandler for MsgUpdateParams {
    /// The signer (the gov module account, checked when decoding) must sign. Errors: `ibc`/2.
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        if self.signer.0 != tx.signer {
            return Err(TransferError::Unauthorized("signer is not the gov module".into()).into());
        }
        Ok(())
    }

    /// Stores the params; the next transfer and the next received packet follow them.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        s.put_params(&self.params);
        Ok(())
    }
}
