//! `MsgResetRateLimit` (ibc-go v10 `Keeper.ResetRateLimit`): opens a new window now (flows
//! zero, channel value read again).
//!
//! Errors: `ratelimit`/2 no such limit.

use super::gov_handler;
use crate::{epoch::open_window, msgs::MsgResetRateLimit};

gov_handler!(MsgResetRateLimit, |m, s| {
    open_window(s, &m.path.channel_id, &m.path.denom).await
});
