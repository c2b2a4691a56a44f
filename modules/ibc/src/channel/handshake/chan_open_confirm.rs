//! `MsgChannelOpenConfirm`: TRYOPEN → OPEN, once the counterparty's OPEN end is proven (ICS-04
//! `chanOpenConfirm`).

use super::*;

impl<A: IbcApp + Default> MsgHandler<A> for MsgChannelOpenConfirm {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.0.signer, tx)
    }

    /// TRYOPEN → OPEN after proving the counterparty's OPEN end. Errors: `channel`/3,
    /// `channel`/5, `connection`/6, `client`/17, the app's error.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        let app = &A::default();
        confirm(&self.0, s, tx, app, false).await
    }
}
