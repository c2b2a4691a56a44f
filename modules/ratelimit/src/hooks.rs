//! Where ICS-20 meets the flow limits: the checks ibc-go's rate-limiting middleware makes in
//! `SendPacket` (its ICS-4 wrapper), `OnRecvPacket`, `OnAcknowledgementPacket` and
//! `OnTimeoutPacket` (`keeper/packet.go`, `keeper/flow.go`). The transfer module calls them
//! at those four points, on the same overlay as the transfer itself, so a refused transfer
//! leaves nothing behind: a send fails its transaction, a receive gets an error
//! acknowledgement.

use crate::{
    flow::{Direction, RateLimit},
    state::{PendingSend, RateLimitRead, RateLimitWrite},
    RateLimitError,
};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    Handled, ModuleError,
};

/// One ICS-20 transfer as the limits see it.
#[derive(Clone, Copy, Debug)]
pub struct TransferFlow<'a> {
    /// This chain's end of the channel (`channel-N`).
    pub channel_id: &'a str,
    /// The denom on this chain (`uhub`, `ibc/{HASH}`): for a send, the coin sent; for a
    /// receive, the coin credited.
    pub denom: &'a str,
    /// Amount in the denom's smallest unit.
    pub amount: u128,
    /// The packet's sender and receiver, as written in the packet.
    pub sender: &'a str,
    /// See `sender`.
    pub receiver: &'a str,
}

/// Counts `f` against its limit, if any (ibc-go `CheckRateLimitAndUpdateFlow`): a
/// blacklisted denom is refused; a whitelisted sender/receiver pair or a channel and denom
/// without a limit pass uncounted. Returns the limit's window when the flow was counted.
///
/// Errors: `ratelimit`/7 blacklisted denom, `ratelimit`/4 over the quota.
async fn count<S: StateWrite>(
    s: &mut S,
    direction: Direction,
    f: &TransferFlow<'_>,
) -> Result<Option<u64>, ModuleError> {
    if s.is_blacklisted(f.denom).await? {
        return Err(
            RateLimitError::DenomBlacklisted(format!("denom {} is blacklisted", f.denom)).into(),
        );
    }
    let Some(mut limit) = limit_that_counts(s, f).await? else {
        return Ok(None);
    };
    limit.add_flow(direction, f.amount)?;
    s.put_rate_limit(&limit);
    Ok(Some(s.window(f.channel_id, f.denom).await?))
}

/// The limit `f` counts against: its channel and denom's, unless the pair of sender and
/// receiver is whitelisted. `None`: `f` passes uncounted.
///
/// Errors: unreadable state only.
pub async fn limit_that_counts<S: StateRead>(
    s: &S,
    f: &TransferFlow<'_>,
) -> Result<Option<RateLimit>, ModuleError> {
    let Some(limit) = s.rate_limit(f.channel_id, f.denom).await? else {
        return Ok(None);
    };
    if s.is_whitelisted(f.sender, f.receiver).await? {
        return Ok(None);
    }
    Ok(Some(limit))
}

/// A packet of `f` was sent as `sequence` (ibc-go `SendRateLimitedPacket`): counts its
/// outflow and, if counted, records it pending so a failure can give the quota back.
///
/// Errors: `ratelimit`/7, `ratelimit`/4 (the send must then fail).
pub async fn on_send<S: StateWrite>(s: &mut S, f: &TransferFlow<'_>, sequence: u64) -> Handled {
    if let Some(window) = count(s, Direction::Send, f).await? {
        let pending = PendingSend {
            window,
            denom: f.denom.to_string(),
        };
        s.put_pending_send(f.channel_id, sequence, &pending);
    }
    Ok(())
}

/// A packet of `f` is being received (ibc-go `ReceiveRateLimitedPacket`): counts its inflow.
///
/// Errors: `ratelimit`/7, `ratelimit`/4 (the packet then gets an error acknowledgement and
/// the sending chain refunds).
pub async fn on_recv<S: StateWrite>(s: &mut S, f: &TransferFlow<'_>) -> Handled {
    count(s, Direction::Recv, f).await.map(|_| ())
}

/// The packet `sequence` sent on `channel` with `amount` was acknowledged (`success`) or
/// failed (an error acknowledgement or a timeout; ibc-go `AcknowledgeRateLimitedPacket`,
/// `TimeoutRateLimitedPacket`, `UndoSendPacket`). Its pending record goes; on a failure
/// within the window it was counted in, its outflow is given back (never below zero).
///
/// Errors: unreadable state only.
pub async fn on_send_finished<S: StateWrite>(
    s: &mut S,
    channel: &str,
    sequence: u64,
    amount: u128,
    success: bool,
) -> Handled {
    let Some(pending) = s.pending_send(channel, sequence).await? else {
        return Ok(());
    };
    s.delete_pending_send(channel, sequence);
    if success || s.window(channel, &pending.denom).await? != pending.window {
        return Ok(());
    }
    if let Some(mut limit) = s.rate_limit(channel, &pending.denom).await? {
        limit.outflow = limit.outflow.saturating_sub(amount);
        s.put_rate_limit(&limit);
    }
    Ok(())
}
