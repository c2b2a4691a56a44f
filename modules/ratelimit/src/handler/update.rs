//! `MsgUpdateRateLimit` (ibc-go v10 `Keeper.UpdateRateLimit`): replaces the quota and opens a
//! new window.
//!
//! Errors: `ratelimit`/2 no such limit.

use super::gov_handler;
use crate::{
    epoch::open_window, msgs::MsgUpdateRateLimit, RateLimitError, RateLimitRead, RateLimitWrite,
};

gov_handler!(MsgUpdateRateLimit, |m, s| {
    let (channel, denom) = (&m.path.channel_id, &m.path.denom);
    let mut limit = s
        .rate_limit(channel, denom)
        .await?
        .ok_or_else(|| RateLimitError::NotFound(format!("{denom} on {channel}")))?;
    limit.max_percent_send = m.quota.max_percent_send;
    limit.max_percent_recv = m.quota.max_percent_recv;
    limit.duration_hours = m.quota.duration_hours;
    s.put_rate_limit(&limit);
    open_window(s, channel, denom).await
});
