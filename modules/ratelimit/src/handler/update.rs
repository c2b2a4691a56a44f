//! `MsgUpdateRateLimit` (ibc-go v10 `Keeper.UpdateRateLimit`).

use super::check_signer;
use crate::{
    epoch::open_window, msgs::MsgUpdateRateLimit, RateLimitError, RateLimitRead, RateLimitWrite,
};
use hub_framework::{cnidarium::StateWrite, ModuleError, MsgHandler, TxCtx};

impl MsgHandler for MsgUpdateRateLimit {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.path, tx)
    }

    /// Replaces the quota and opens a new window.
    ///
    /// Errors: `ratelimit`/2 no such limit.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        let (channel, denom) = (&self.path.channel_id, &self.path.denom);
        let mut limit = s
            .rate_limit(channel, denom)
            .await?
            .ok_or_else(|| RateLimitError::NotFound(format!("{denom} on {channel}")))?;
        limit.max_percent_send = self.quota.max_percent_send;
        limit.max_percent_recv = self.quota.max_percent_recv;
        limit.duration_hours = self.quota.duration_hours;
        s.put_rate_limit(&limit);
        open_window(s, channel, denom).await
    }
}
