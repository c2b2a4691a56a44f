//! `MsgAddRateLimit` (ibc-go v10 `Keeper.AddRateLimit`): stores the limit with an open window
//! (flows zero, channel value = the denom's supply).
//!
//! Errors: `ratelimit`/3 the denom has no supply, `ratelimit`/1 a limit exists,
//! `ratelimit`/6 no `transfer` channel with this id.

use super::gov_handler;
use crate::{
    epoch::open_window, flow::RateLimit, msgs::MsgAddRateLimit, RateLimitError, RateLimitRead,
    RateLimitWrite,
};
use hub_bank::BankRead;
use hub_ibc::channel::ChannelRead;

gov_handler!(MsgAddRateLimit, |m, s| {
    let (channel, denom) = (&m.path.channel_id, &m.path.denom);
    if s.supply(denom).await? == 0 {
        return Err(RateLimitError::ZeroChannelValue(format!("{denom} has no supply")).into());
    }
    if s.rate_limit(channel, denom).await?.is_some() {
        return Err(RateLimitError::AlreadyExists(format!("{denom} on {channel}")).into());
    }
    if s.channel(crate::TRANSFER_PORT, channel).await.is_err() {
        return Err(RateLimitError::ChannelNotFound(format!(
            "no channel {channel} on port {}",
            crate::TRANSFER_PORT
        ))
        .into());
    }
    s.put_rate_limit(&RateLimit {
        denom: denom.clone(),
        channel_id: channel.clone(),
        max_percent_send: m.quota.max_percent_send,
        max_percent_recv: m.quota.max_percent_recv,
        duration_hours: m.quota.duration_hours,
        inflow: 0,
        outflow: 0,
        channel_value: 0,
    });
    open_window(s, channel, denom).await
});
