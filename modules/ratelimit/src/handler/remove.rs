//! `MsgRemoveRateLimit` (ibc-go v10 `msgServer.RemoveRateLimit`): removes the limit; its
//! window counter stays, so sends pending from it are never undone against a limit added
//! later.
//!
//! Errors: `ratelimit`/2 no such limit.

use super::gov_handler;
use crate::{msgs::MsgRemoveRateLimit, RateLimitError, RateLimitRead, RateLimitWrite};

gov_handler!(MsgRemoveRateLimit, |m, s| {
    let (channel, denom) = (&m.path.channel_id, &m.path.denom);
    if s.rate_limit(channel, denom).await?.is_none() {
        return Err(RateLimitError::NotFound(format!("{denom} on {channel}")).into());
    }
    s.delete_rate_limit(channel, denom);
    Ok(())
});
