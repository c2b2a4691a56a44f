//! `MsgUpdateParams`: governance sets the transfer params (ibc-go v8 `Keeper.UpdateParams`).

use crate::{msgs::MsgUpdateParams, TransferError, TransferWrite};
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, TxCtx};

impl MsgHandler for MsgUpdateParams {
    /// The signer (the gov module account, checked when decoding) must sign. Errors: `ibc`/2.
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        let why = "signer is not the gov module";
        tx.require_signer(&self.signer.0, TransferError::Unauthorized, why)
    }

    /// Stores the params; the next transfer and the next received packet follow them.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, _tx: &TxCtx) -> Handled {
        s.put_params(&self.params);
        Ok(())
    }
}
