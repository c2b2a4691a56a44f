//! Every key the rate-limit module writes (substore `ratelimit`).
//!
//! Channel ids come first: they hold no `/`, so `{channel}/{denom}` is unambiguous even for a
//! denom with slashes, and a channel's limits are one prefix.

/// Prefix of every limit.
pub const RATE_LIMITS_PREFIX: &str = "ratelimit/rateLimits/";

/// `ratelimit/rateLimits/{channel}/{denom}` → `ibc.applications.rate_limiting.v1.RateLimit`.
pub fn rate_limit(channel: &str, denom: &str) -> String {
    format!("{RATE_LIMITS_PREFIX}{channel}/{denom}")
}

/// The prefix of one channel's limits.
pub fn channel_rate_limits(channel: &str) -> String {
    format!("{RATE_LIMITS_PREFIX}{channel}/")
}

/// `ratelimit/window/{channel}/{denom}` → big-endian u64: how many windows of this limit
/// have opened (absent = 0). A pending send counts against its limit only while this number
/// is the one recorded with it, so a reset never has to visit the pending sends.
pub fn window(channel: &str, denom: &str) -> String {
    format!("ratelimit/window/{channel}/{denom}")
}

/// Prefix of every pending send.
pub const PENDING_SEND_PREFIX: &str = "ratelimit/pendingSend/";

/// `ratelimit/pendingSend/{channel}/{sequence:020}` → `{window}/{denom}` (UTF-8): a packet
/// sent over a limited channel whose outflow is undone if it fails (error ack or timeout).
pub fn pending_send(channel: &str, sequence: u64) -> String {
    format!("{PENDING_SEND_PREFIX}{channel}/{sequence:020}")
}

/// Prefix of the blacklisted denoms.
pub const BLACKLIST_PREFIX: &str = "ratelimit/blacklist/";

/// `ratelimit/blacklist/{denom}` → empty: no transfer may move this denom.
pub fn blacklisted(denom: &str) -> String {
    format!("{BLACKLIST_PREFIX}{denom}")
}

/// Prefix of the whitelisted address pairs.
pub const WHITELIST_PREFIX: &str = "ratelimit/whitelist/";

/// `ratelimit/whitelist/{hex(sender)}/{hex(receiver)}` → empty: transfers from `sender` to
/// `receiver` count against no limit (hex, since addresses of other chains are any string).
pub fn whitelisted(sender: &str, receiver: &str) -> String {
    format!(
        "{WHITELIST_PREFIX}{}/{}",
        hex::encode(sender),
        hex::encode(receiver)
    )
}

/// `ratelimit/hourEpoch` → [`crate::HourEpoch`] JSON: the clock windows are counted by.
pub const HOUR_EPOCH: &str = "ratelimit/hourEpoch";
