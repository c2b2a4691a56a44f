//! `MsgChannelCloseConfirm`: → CLOSED, once the counterparty's CLOSED end is proven (ICS-04
//! `chanCloseConfirm`).

use super::*;

impl<A: IbcApp + Default> MsgHandler<A> for MsgChannelCloseConfirm {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.0.signer, tx)
    }

    /// → CLOSED after proving the counterparty's CLOSED end. Errors: `channel`/3,
    /// `channel`/5 already closed, `connection`/6, `client`/17, the app's error.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        let app = &A::default();
        confirm(&self.0, s, tx, app, true).await
    }
}
