//! `MsgSetQueueing` (a Hub addition): the limit queues sends over its quota, or refuses them.
//! Transfers already queued stay queued either way.
//!
//! Errors: `ratelimit`/2 no such limit.

use super::gov_handler;
use crate::{msgs::MsgSetQueueing, queue::set_queueing, RateLimitError, RateLimitRead};

gov_handler!(MsgSetQueueing, |m, s| {
    let (channel, denom) = (&m.path.channel_id, &m.path.denom);
    if s.rate_limit(channel, denom).await?.is_none() {
        return Err(RateLimitError::NotFound(format!("{denom} on {channel}")).into());
    }
    set_queueing(s, channel, denom, m.queue);
    Ok(())
});
