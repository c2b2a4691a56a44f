//! The hub's send queue (beyond ibc-go, which only refuses): a limit set to queue holds a
//! `MsgTransfer` over its quota instead of failing it. The coins move from the sender to the
//! `ratelimit` module account and the transfer is recorded with an id; ICS-20's begin-block
//! hook sends the oldest ones when a later window has room, or returns the coins when the
//! send can no longer go; the sender may cancel at any time.
//!
//! Bounded: at most [`MAX_QUEUED_PER_LIMIT`] per limit and [`MAX_QUEUED`] in all (then the
//! transfer is refused, `ratelimit`/103), and a block looks at [`RELEASE_PER_BLOCK`] at most.
//! Forwards are never queued: an over-quota forward is refused, so its origin refunds.
//!
//! Receives too: a packet over the quota of a queueing limit is kept with its
//! acknowledgement deferred (ICS-04 asynchronous acknowledgement); ICS-20's begin-block hook
//! credits it, and acknowledges it, when a window has room, or gives it an error
//! acknowledgement once [`receive_max_delay`] has passed, so the sending chain refunds. The
//! same bounds count receives and sends.

use crate::{flow::Direction, RateLimitError, TransferFlow};
use hub_framework::{
    bank::SendCoins,
    cnidarium::{StateRead, StateWrite},
    Address, Handled, ModuleError, StateEventExt, StateReadProto, StateWriteProto,
};
use hub_proto::ratelimit::v1::{QueuedReceive, QueuedTransfer};

/// The most transfers queued on one limit.
pub const MAX_QUEUED_PER_LIMIT: u64 = 100;
/// The most transfers queued in all.
pub const MAX_QUEUED: u64 = 1000;
/// The most queued transfers a block looks at.
pub const RELEASE_PER_BLOCK: usize = 20;

/// The account that holds queued coins: `Address::module("ratelimit")`.
pub fn holding_address() -> Address {
    Address::module(crate::NAME)
}

/// Prefix of the queue, oldest first.
pub const QUEUE_PREFIX: &str = "ratelimit/queue/";

fn entry_key(id: u64) -> String {
    format!("{QUEUE_PREFIX}{id:020}")
}

const NEXT_ID: &str = "ratelimit/nextQueueId";
const TOTAL: &str = "ratelimit/queuedTotal";

fn queueing_key(channel: &str, denom: &str) -> String {
    format!("ratelimit/queueing/{channel}/{denom}")
}

fn count_key(channel: &str, denom: &str) -> String {
    format!("ratelimit/queued/{channel}/{denom}")
}

hub_framework::typed_events! {
    /// `transfer_queued { id, sender, denom, amount, channel }`: a send over its quota held.
    pub struct TransferQueued = "transfer_queued" {
        /// Queue id.
        id: u64,
        /// Bech32 sender.
        sender: String,
        /// Denom on this chain.
        denom: String,
        /// Amount.
        amount: String,
        /// Source channel.
        channel: String,
    }

    /// `queued_transfer_done { id, outcome, detail }`: a queued send left the queue
    /// (`sent` with the packet sequence, `refunded` with why, or `cancelled`).
    pub struct QueuedTransferDone = "queued_transfer_done" {
        /// Queue id.
        id: u64,
        /// `sent`, `refunded` or `cancelled`.
        outcome: &'static str,
        /// The sequence, or the reason.
        detail: String,
    }
}

/// Prefix of the queued receives, oldest first.
pub const RECEIVE_QUEUE_PREFIX: &str = "ratelimit/queueRecv/";

fn receive_key(id: u64) -> String {
    format!("{RECEIVE_QUEUE_PREFIX}{id:020}")
}

const MAX_DELAY: &str = "ratelimit/receiveMaxDelay";

/// One day in ns: how long a queued receive waits unless genesis says otherwise.
pub const DEFAULT_RECEIVE_MAX_DELAY_NS: u64 = 86_400_000_000_000;

/// How long a queued receive waits for quota before it is refused (ns).
pub async fn receive_max_delay<S: StateRead>(s: &S) -> Result<u64, ModuleError> {
    Ok(s.get_u64(MAX_DELAY)
        .await?
        .unwrap_or(DEFAULT_RECEIVE_MAX_DELAY_NS))
}

/// Sets [`receive_max_delay`].
pub fn set_receive_max_delay<S: StateWrite>(s: &mut S, ns: u64) {
    s.put_u64(MAX_DELAY.into(), ns);
}

/// Room for one more queued transfer on the limit of `channel` and `denom`: counts it and
/// returns its id.
///
/// Errors: `ratelimit`/103.
async fn take_slot<S: StateWrite>(
    s: &mut S,
    channel: &str,
    denom: &str,
) -> Result<u64, ModuleError> {
    let on_limit = s.get_u64(&count_key(channel, denom)).await?.unwrap_or(0);
    let total = s.get_u64(TOTAL).await?.unwrap_or(0);
    if on_limit >= MAX_QUEUED_PER_LIMIT || total >= MAX_QUEUED {
        return Err(RateLimitError::QueueFull(format!(
            "{on_limit} queued on {denom} {channel} (at most {MAX_QUEUED_PER_LIMIT}), {total} in all (at most {MAX_QUEUED})"
        ))
        .into());
    }
    s.put_u64(count_key(channel, denom), on_limit + 1);
    s.put_u64(TOTAL.into(), total + 1);
    let id = s.get_u64(NEXT_ID).await?.unwrap_or(1);
    s.put_u64(NEXT_ID.into(), id + 1);
    Ok(id)
}

/// Frees the slot of a queued transfer of `channel` and `denom`.
async fn free_slot<S: StateWrite>(s: &mut S, channel: &str, denom: &str) -> Handled {
    let key = count_key(channel, denom);
    let n = s.get_u64(&key).await?.unwrap_or(0);
    s.put_u64(key, n.saturating_sub(1));
    let total = s.get_u64(TOTAL).await?.unwrap_or(0);
    s.put_u64(TOTAL.into(), total.saturating_sub(1));
    Ok(())
}

hub_framework::typed_events! {
    /// `receive_queued { id, denom, amount, channel }`: a receive over its quota kept, its
    /// acknowledgement deferred.
    pub struct ReceiveQueued = "receive_queued" {
        /// Queue id.
        id: u64,
        /// Denom it credits on this chain.
        denom: String,
        /// Amount.
        amount: String,
        /// Destination channel.
        channel: String,
    }
}

/// Keeps the received packet `r` (over the quota of its destination channel and denom) if
/// that limit queues; returns its id, or `None` when the limit refuses (then the receive
/// gets its error acknowledgement as usual). `r.expires_at` is set from
/// [`receive_max_delay`].
///
/// Errors: `ratelimit`/103 the queue is full.
pub async fn hold_receive<S: StateWrite>(
    s: &mut S,
    mut r: QueuedReceive,
) -> Result<Option<u64>, ModuleError> {
    if !queues(s, &r.destination_channel, &r.denom).await? {
        return Ok(None);
    }
    let id = take_slot(s, &r.destination_channel, &r.denom).await?;
    r.id = id;
    r.expires_at = r.arrived_at.saturating_add(receive_max_delay(s).await?);
    s.put_proto(receive_key(id), &r);
    s.emit(&ReceiveQueued {
        id,
        denom: r.denom.clone(),
        amount: r.amount.clone(),
        channel: r.destination_channel.clone(),
    });
    Ok(Some(id))
}

/// The oldest `n` queued receives.
pub async fn oldest_receives<S: StateRead>(
    s: &S,
    n: usize,
) -> Result<Vec<QueuedReceive>, ModuleError> {
    let mut out = Vec::new();
    for (key, value) in s
        .prefix_raw_vec(RECEIVE_QUEUE_PREFIX)
        .await?
        .into_iter()
        .take(n)
    {
        let r = prost::Message::decode(value.as_slice())
            .map_err(|e| ModuleError::internal(format!("corrupt queue entry {key}: {e}")))?;
        out.push(r);
    }
    Ok(out)
}

/// Takes the receive `r` off the queue, with `outcome` and `detail` in the
/// `queued_transfer_done` event.
pub async fn remove_receive<S: StateWrite>(
    s: &mut S,
    r: &QueuedReceive,
    outcome: &'static str,
    detail: String,
) -> Handled {
    s.delete(receive_key(r.id));
    free_slot(s, &r.destination_channel, &r.denom).await?;
    s.emit(&QueuedTransferDone {
        id: r.id,
        outcome,
        detail,
    });
    Ok(())
}

/// Puts the receive `r` back under its own id (genesis import).
pub async fn restore_receive<S: StateWrite>(s: &mut S, r: &QueuedReceive) -> Handled {
    let id = take_slot(s, &r.destination_channel, &r.denom).await?;
    let next = s.get_u64(NEXT_ID).await?.unwrap_or(1);
    s.put_u64(NEXT_ID.into(), next.max(r.id + 1).max(id + 1));
    s.put_proto(receive_key(r.id), r);
    Ok(())
}

/// Whether the limit on `channel` and `denom` queues sends over its quota.
pub async fn queues<S: StateRead>(s: &S, channel: &str, denom: &str) -> Result<bool, ModuleError> {
    Ok(s.get_raw(&queueing_key(channel, denom))
        .await
        .map_err(ModuleError::internal)?
        .is_some())
}

/// Sets whether the limit queues sends over its quota.
pub fn set_queueing<S: StateWrite>(s: &mut S, channel: &str, denom: &str, queue: bool) {
    if queue {
        s.put_raw(queueing_key(channel, denom), Vec::new());
    } else {
        s.delete(queueing_key(channel, denom));
    }
}

/// Holds `f` instead of sending it if its limit queues and the send would exceed the quota
/// now: moves the coins from `sender` to [`holding_address`] and records `t` under a new id
/// (returned). `None`: the send goes ahead as usual (no limit, no queueing, a whitelisted
/// pair, or room in the window).
///
/// Errors: `ratelimit`/103 the queue is full, `sdk`/5 the sender lacks the coins.
pub async fn hold_if_over_quota<S: StateWrite, B: SendCoins>(
    bank: &B,
    s: &mut S,
    f: &TransferFlow<'_>,
    sender: &Address,
    hrp: &str,
    mut t: QueuedTransfer,
) -> Result<Option<u64>, ModuleError> {
    let Some(mut limit) = crate::hooks::limit_that_counts(s, f).await? else {
        return Ok(None);
    };
    if !queues(s, f.channel_id, f.denom).await? || limit.add_flow(Direction::Send, f.amount).is_ok()
    {
        return Ok(None);
    }
    let id = take_slot(s, f.channel_id, f.denom).await?;
    bank.send(s, sender, &holding_address(), f.denom, f.amount, hrp)
        .await?;
    t.id = id;
    s.put_proto(entry_key(id), &t);
    s.emit(&TransferQueued {
        id,
        sender: t.sender.clone(),
        denom: t.denom.clone(),
        amount: t.amount.clone(),
        channel: t.source_channel.clone(),
    });
    Ok(Some(id))
}

/// Every limit that queues, as `(channel, denom)`.
pub async fn queueing_limits<S: StateRead>(s: &S) -> Result<Vec<(String, String)>, ModuleError> {
    const PREFIX: &str = "ratelimit/queueing/";
    let mut out = Vec::new();
    for (key, _) in s.prefix_raw_vec(PREFIX).await? {
        let rest = &key[PREFIX.len()..];
        let (channel, denom) = rest
            .split_once('/')
            .ok_or_else(|| ModuleError::internal(format!("bad queueing key {key}")))?;
        out.push((channel.to_string(), denom.to_string()));
    }
    Ok(out)
}

/// Puts `t` back on the queue under its own id (genesis import), keeping the counts and the
/// next id right.
pub async fn restore<S: StateWrite>(s: &mut S, t: &QueuedTransfer) -> Handled {
    let id = take_slot(s, &t.source_channel, &t.denom).await?;
    let next = s.get_u64(NEXT_ID).await?.unwrap_or(1);
    s.put_u64(NEXT_ID.into(), next.max(t.id + 1).max(id + 1));
    s.put_proto(entry_key(t.id), t);
    Ok(())
}

/// The queued transfer `id`, if any.
pub async fn queued<S: StateRead>(s: &S, id: u64) -> Result<Option<QueuedTransfer>, ModuleError> {
    s.get_proto(&entry_key(id)).await
}

/// The oldest `n` queued transfers (all of them with `usize::MAX`).
pub async fn oldest<S: StateRead>(s: &S, n: usize) -> Result<Vec<QueuedTransfer>, ModuleError> {
    let mut out = Vec::new();
    for (key, value) in s.prefix_raw_vec(QUEUE_PREFIX).await?.into_iter().take(n) {
        let t = prost::Message::decode(value.as_slice())
            .map_err(|e| ModuleError::internal(format!("corrupt queue entry {key}: {e}")))?;
        out.push(t);
    }
    Ok(out)
}

/// Takes `t` off the queue (its coins stay where they are).
pub async fn remove<S: StateWrite>(s: &mut S, t: &QueuedTransfer) -> Handled {
    s.delete(entry_key(t.id));
    free_slot(s, &t.source_channel, &t.denom).await
}

/// The bech32 prefix of an address we wrote (everything before its last `1`).
pub fn hrp_of(bech32: &str) -> &str {
    bech32.rsplit_once('1').map_or("", |(hrp, _)| hrp)
}

/// Takes `t` off the queue and gives its coins back to its sender, with `outcome` and
/// `detail` in the `queued_transfer_done` event.
///
/// Errors: internal, if the record or the holding account is corrupt.
pub async fn give_back<S: StateWrite, B: SendCoins>(
    bank: &B,
    s: &mut S,
    t: &QueuedTransfer,
    outcome: &'static str,
    detail: String,
) -> Handled {
    let hrp = hrp_of(&t.sender);
    let sender = Address::from_bech32(&t.sender, hrp).map_err(ModuleError::internal)?;
    let amount: u128 = t.amount.parse().map_err(ModuleError::internal)?;
    bank.send(s, &holding_address(), &sender, &t.denom, amount, hrp)
        .await?;
    remove(s, t).await?;
    s.emit(&QueuedTransferDone {
        id: t.id,
        outcome,
        detail,
    });
    Ok(())
}

/// Queries of `hub.ratelimit.v1.Query`.
pub mod query {
    use super::oldest;
    use hub_framework::{cnidarium::StateRead, paginate, ModuleError};
    use hub_proto::ratelimit::v1::*;

    /// `Query/QueuedTransfers`: oldest first, paged (default 100, at most 1000).
    pub async fn queued_transfers<S: StateRead>(
        s: &S,
        req: &QueryQueuedTransfersRequest,
    ) -> Result<QueryQueuedTransfersResponse, ModuleError> {
        let rows = oldest(s, usize::MAX)
            .await?
            .into_iter()
            .map(|t| (t.id.to_be_bytes().to_vec(), t))
            .collect();
        let (queued_transfers, pagination) = paginate(rows, req.pagination.as_ref())?;
        Ok(QueryQueuedTransfersResponse {
            queued_transfers,
            pagination: Some(pagination),
        })
    }

    /// `Query/QueuedReceives`: oldest first, paged (default 100, at most 1000).
    pub async fn queued_receives<S: StateRead>(
        s: &S,
        req: &QueryQueuedReceivesRequest,
    ) -> Result<QueryQueuedReceivesResponse, ModuleError> {
        let rows = super::oldest_receives(s, usize::MAX)
            .await?
            .into_iter()
            .map(|r| (r.id.to_be_bytes().to_vec(), r))
            .collect();
        let (queued_receives, pagination) = paginate(rows, req.pagination.as_ref())?;
        Ok(QueryQueuedReceivesResponse {
            queued_receives,
            pagination: Some(pagination),
        })
    }

    /// The service this module answers.
    pub const SERVICE: &str = "/hub.ratelimit.v1.Query/";

    hub_framework::query_service! {
        /// The send queue's [`ModuleQuery`](hub_framework::route::ModuleQuery): [`SERVICE`]
        /// and its route table.
        Queries, |s, ctx| {
            "QueuedTransfers"(r: QueryQueuedTransfersRequest) -> QueryQueuedTransfersResponse {
                queued_transfers(s, &r).await
            }
            "QueuedReceives"(r: QueryQueuedReceivesRequest) -> QueryQueuedReceivesResponse {
                queued_receives(s, &r).await
            }
        }
    }
}
