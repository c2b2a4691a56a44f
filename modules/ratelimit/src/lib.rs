//! `ratelimit`: flow limits of ICS-20 transfers per channel and denom, with the semantics and
//! wire form of ibc-go v10's rate-limiting middleware (formerly Stride's `x/ratelimit`).
//!
//! ## Rules
//! - A limit on a `transfer` channel and a denom (as known on this chain: `uhub`,
//!   `ibc/{HASH}`) caps the **net** flow of a window: outflow − inflow + a send must stay at
//!   or below `max_percent_send` % of the channel value, and inflow − outflow + a receive at
//!   or below `max_percent_recv` %. The channel value is the denom's supply when the window
//!   opened. A send over the quota fails its transaction; a receive over it gets an error
//!   acknowledgement, so the sending chain refunds (`ratelimit`/4).
//! - Windows are counted in hours of block time ([`HourEpoch`]): when epoch N starts, every
//!   limit with `N % duration_hours == 0` opens a new window (flows to zero, channel value
//!   read again). Governance adds, updates (a new window), resets and removes limits with
//!   [`msgs`]; only the gov module account signs them.
//! - A send that fails (error acknowledgement, timeout) gives its outflow back if its window
//!   is still open ([`hooks::on_send_finished`]).
//! - Blacklisted denoms move in neither direction (`ratelimit`/7); a whitelisted
//!   sender/receiver pair is never counted. Both lists are set at genesis, as in ibc-go.
//! - Beyond ibc-go, a limit may queue sends over its quota instead of refusing them
//!   ([`queue`], set by governance with `MsgSetQueueing`); the sender may cancel.
//! - ICS-20 calls [`hooks`] when it sends, receives, and sees an acknowledgement or a timeout,
//!   on the same overlay as the transfer, so nothing of a refused transfer is kept.
//!
//! ## State (substore `ratelimit`)
//! | key | value |
//! |---|---|
//! | `rateLimits/{channel}/{denom}` | `ibc.applications.rate_limiting.v1.RateLimit` |
//! | `window/{channel}/{denom}` | big-endian u64: windows opened so far |
//! | `pendingSend/{channel}/{sequence:020}` | `{window}/{denom}`: a counted send awaiting its ack |
//! | `blacklist/{denom}` | empty |
//! | `whitelist/{hex sender}/{hex receiver}` | empty |
//! | `hourEpoch` | [`HourEpoch`] JSON |
//! | `queueing/{channel}/{denom}` | empty: the limit queues sends over its quota |
//! | `queue/{id:020}` | `hub.ratelimit.v1.QueuedTransfer` |
//! | `queued/{channel}/{denom}`, `queuedTotal`, `nextQueueId` | big-endian u64 counters |
//!
//! ## Cost
//! A transfer on a channel without a limit costs two reads (blacklist, limit); with one, two
//! more and two writes. The begin-block hook reads one key per block and visits every limit
//! once an hour; limits are set by governance only. A window reset never visits the pending
//! sends (their window number says whether they still count), so many small sends cannot make
//! it expensive.

mod epoch;
mod error;
pub mod flow;
pub mod handler;
pub mod hooks;
mod module;
pub mod msgs;
pub mod query;
pub mod queue;
mod state;
pub mod state_key;

pub use epoch::{open_window, HourEpoch, HOUR_NS};
pub use error::RateLimitError;
pub use flow::{Direction, Quota, RateLimit};
pub use hooks::TransferFlow;
pub use module::{RateLimitGenesis, RateLimits};
pub use msgs::RateLimitMsg;
pub use state::{PendingSend, RateLimitRead, RateLimitWrite};

/// The module name: substore, codespace and `tx ratelimit` / `query ratelimit`.
pub const NAME: &str = "ratelimit";

/// The port whose channels the limits apply to (ICS-20's).
pub const TRANSFER_PORT: &str = "transfer";
