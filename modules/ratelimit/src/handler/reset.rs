//! `MsgResetRateLimit` (ibc-go v10 `Keeper.ResetRateLimit`).

use super::check_signer;
use crate::{epoch::open_window, msgs::MsgResetRateLimit};
use hub_framework::{cnidarium::StateWrite, ModuleError, MsgHandler, TxCtx};

impl MsgHandler for MsgResetRateLimit {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.path, tx)
    }

    /// Opens a new window now: flows zero, channel value read again.
    ///
    /// Errors: `ratelimit`/2 no such limit.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        open_window(s, &self.path.channel_id, &self.path.denom).await
    }
}
