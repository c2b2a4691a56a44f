//! Rate-limit errors with ibc-go v10's codespace `ratelimit` and codes
//! (`modules/apps/rate-limiting/types/errors.go`); codes from 100 are Hub additions.

hub_framework::abci_errors! {
    /// Every failure of the flow limits.
    pub enum RateLimitError in "ratelimit" {
        /// A limit on this channel and denom exists already (`ratelimit`/1).
        #[error("ratelimit key duplicated: {0}")]
        AlreadyExists(String) = 1,
        /// No limit on this channel and denom (`ratelimit`/2).
        #[error("rate limit not found: {0}")]
        NotFound(String) = 2,
        /// The denom has no supply, so no percentage of it means anything (`ratelimit`/3).
        #[error("channel value is zero: {0}")]
        ZeroChannelValue(String) = 3,
        /// The transfer would take the net flow of the window over the quota (`ratelimit`/4).
        #[error("quota exceeded: {0}")]
        QuotaExceeded(String) = 4,
        /// No `transfer` channel with this id (`ratelimit`/6).
        #[error("channel does not exist: {0}")]
        ChannelNotFound(String) = 6,
        /// The denom may not be transferred at all (`ratelimit`/7).
        #[error("denom is blacklisted: {0}")]
        DenomBlacklisted(String) = 7,
        /// A malformed message field (`ratelimit`/100).
        #[error("invalid request: {0}")]
        InvalidRequest(String) = 100,
        /// The signer is not the gov module account (`ratelimit`/101).
        #[error("unauthorized: {0}")]
        Unauthorized(String) = 101,
        /// The send queue of a limit, or the whole queue, is full (`ratelimit`/103).
        #[error("send queue full: {0}")]
        QueueFull(String) = 103,
        /// The signer may not cancel this queued transfer, or there is none (`ratelimit`/104).
        #[error("queued transfer: {0}")]
        QueuedTransfer(String) = 104,
        /// A genesis field is invalid; the message names it (`ratelimit`/102).
        #[error("invalid ratelimit genesis: {0}")]
        InvalidGenesis(String) = 102,
    }
}
