//! `MsgRemoveRateLimit` (ibc-go v10 `msgServer.RemoveRateLimit`).

use super::check_signer;
use crate::{msgs::MsgRemoveRateLimit, RateLimitError, RateLimitRead, RateLimitWrite};
use hub_framework::{cnidarium::StateWrite, ModuleError, MsgHandler, TxCtx};

impl MsgHandler for MsgRemoveRateLimit {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.path, tx)
    }

    /// Removes the limit; its window counter stays, so sends pending from it are never
    /// undone against a limit added later.
    ///
    /// Errors: `ratelimit`/2 no such limit.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        let (channel, denom) = (&self.path.channel_id, &self.path.denom);
        if s.rate_limit(channel, denom).await?.is_none() {
            return Err(RateLimitError::NotFound(format!("{denom} on {channel}")).into());
        }
        s.delete_rate_limit(channel, denom);
        Ok(())
    }
}
