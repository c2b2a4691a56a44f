//! `MsgChannelOpenConfirm`: TRYOPEN → OPEN, once the counterparty's OPEN end is proven (ICS-04
//! `chanOpenConfirm`).

use super::*;

impl RoutedMsg for MsgChannelOpenConfirm {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.0.signer, tx)
    }

    /// TRYOPEN → OPEN after proving the counterparty's OPEN end. Errors: `channel`/3,
    /// `channel`/5, `connection`/6, `client`/17, the app's error.
    async fn execute<S: StateWrite, A: IbcApp>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        app: &A,
    ) -> Result<(), ModuleError> {
        confirm(&self.0, s, tx, app, false).await
    }
}
