use crate::{
    bank::{module_address, TransferBank},
    denom::{escrow_address, full_denom_path, parse_hash, sender_chain_is_source, PORT_ID},
    events,
    msgs::MsgTransfer,
    packet::FungibleTokenPacketData,
    TransferError, TransferRead, TransferWrite,
};
use hub_auth::Address;
use hub_framework::BlockCtx;
use hub_framework::{
    cnidarium::{StateDelta, StateWrite},
    Handled, ModuleError, MsgHandler, SdkError, StateEventExt, TxCtx,
};
use hub_ibc::channel::{send_packet, ChannelRead};
use hub_ibc::client::types::time_nanos;
use hub_proto::ratelimit::v1::QueuedTransfer;
use hub_ratelimit::TransferFlow;

impl MsgHandler for MsgTransfer {
    /// The sender must be the transaction's signer. Errors: `sdk`/4.
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        let why = "MsgTransfer must be signed by its sender";
        tx.require_signer(&self.sender.0, SdkError::Unauthorized, why)
    }

    /// [`send_transfer`] with the bank module, unless the flow limit of the channel and denom
    /// queues sends over its quota and this one is over it: then the coins are held and the
    /// transfer queued ([`hub_ratelimit::queue`]), to be sent by a later block.
    ///
    /// Errors: those of [`send_transfer`], `ratelimit`/103 a full queue.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        if hold(s, tx, self).await?.is_some() {
            return Ok(());
        }
        send_transfer(&hub_bank::Keeper, s, tx, self)
            .await
            .map(|_| ())
    }
}

/// Queues `msg` if its limit queues and it is over the quota (see
/// [`hub_ratelimit::queue::hold_if_over_quota`]); the channel must exist.
async fn hold<S: StateWrite>(
    s: &mut S,
    tx: &TxCtx,
    msg: &MsgTransfer,
) -> Result<Option<u64>, ModuleError> {
    let hrp = tx.bech32_prefix.as_str();
    let sender = msg.sender.to_bech32(hrp);
    let flow = TransferFlow {
        channel_id: &msg.source_channel,
        denom: &msg.denom,
        amount: msg.amount,
        sender: &sender,
        receiver: &msg.receiver,
    };
    let record = QueuedTransfer {
        id: 0,
        sender: sender.clone(),
        source_channel: msg.source_channel.clone(),
        denom: msg.denom.clone(),
        amount: msg.amount.to_string(),
        receiver: msg.receiver.clone(),
        memo: msg.memo.clone(),
        timeout_revision_number: msg.timeout_height.revision_number,
        timeout_revision_height: msg.timeout_height.revision_height,
        timeout_timestamp: msg.timeout_timestamp,
        queued_at: time_nanos(tx.block.time),
    };
    if msg.source_port != PORT_ID {
        return Ok(None);
    }
    s.channel(PORT_ID, &msg.source_channel).await?;
    // A pause refuses now rather than queueing what it would refund later.
    hub_circuit::check_transfer(s, &msg.source_channel, &msg.denom, record.queued_at).await?;
    hub_ratelimit::queue::hold_if_over_quota(&hub_bank::Keeper, s, &flow, &msg.sender, hrp, record)
        .await
}

/// Sends what the queue holds, oldest first, at most
/// [`hub_ratelimit::queue::RELEASE_PER_BLOCK`] a block (ICS-20's begin-block hook, after the
/// limits' windows opened): each goes back to its sender and out through [`send_transfer`];
/// one still over its quota stays queued (and so do the later ones of its limit, to keep
/// their order); one that cannot go at all (its timeout passed, its channel closed, sending
/// disabled, a pause) is refunded to its sender.
///
/// Errors: only corrupt state (it halts the chain).
pub async fn release_queued<S: StateWrite, B: TransferBank>(
    bank: &B,
    s: &mut S,
    block: &BlockCtx,
) -> Handled {
    use hub_ratelimit::queue::{
        give_back, holding_address, hrp_of, oldest, remove, RELEASE_PER_BLOCK,
    };
    let mut waiting: Vec<(String, String)> = Vec::new();
    for t in oldest(s, RELEASE_PER_BLOCK).await? {
        let limit = (t.source_channel.clone(), t.denom.clone());
        if waiting.contains(&limit) {
            continue;
        }
        let hrp = hrp_of(&t.sender);
        let sender = Address::from_bech32(&t.sender, hrp).map_err(ModuleError::internal)?;
        let amount: u128 = t.amount.parse().map_err(ModuleError::internal)?;
        let msg = MsgTransfer {
            source_port: PORT_ID.into(),
            source_channel: t.source_channel.clone(),
            denom: t.denom.clone(),
            amount,
            sender,
            receiver: t.receiver.clone(),
            timeout_height: hub_ibc::Height::new(
                t.timeout_revision_number,
                t.timeout_revision_height,
            ),
            timeout_timestamp: t.timeout_timestamp,
            memo: t.memo.clone(),
        };
        let tx = TxCtx::new(block.clone(), hrp, sender.0, u64::MAX);
        let mut overlay = StateDelta::new(&mut *s);
        bank.send(
            &mut overlay,
            &holding_address(),
            &sender,
            &t.denom,
            amount,
            hrp,
        )
        .await?;
        remove(&mut overlay, &t).await?;
        match send_transfer(bank, &mut overlay, &tx, &msg).await {
            Ok(sequence) => {
                overlay.emit(&hub_ratelimit::queue::QueuedTransferDone {
                    id: t.id,
                    outcome: "sent",
                    detail: sequence.to_string(),
                });
                let (_, events) = overlay.apply();
                for e in events {
                    s.record(e);
                }
            }
            Err(e) if (e.codespace, e.code) == ("ratelimit", 4) => {
                drop(overlay);
                waiting.push(limit);
            }
            Err(e) => {
                drop(overlay);
                give_back(bank, s, &t, "refunded", e.log).await?;
            }
        }
    }
    Ok(())
}

/// Executes a `MsgTransfer` (ibc-go `Keeper.Transfer` + `sendTransfer`) and returns the packet
/// sequence (`MsgTransferResponse.sequence`).
///
/// If this chain is the source of the token (its full denom path does not start with
/// `{source_port}/{source_channel}/`) the coins move to the channel's escrow address and the
/// denom's total escrow grows; otherwise (a voucher going back where it came from) they move
/// to the `transfer` module account and are burned. The packet carries the full denom path
/// (`transfer/channel-0/uatom` for a voucher `ibc/{HASH}`). Emits the bank's events,
/// `send_packet`, then `ibc_transfer` and `message{module=transfer}`.
///
/// Errors: `transfer`/7 sending disabled, `port`/2 a port other than `transfer`, `channel`/3
/// no such channel, `transfer`/6 unknown `ibc/` hash, `sdk`/5 insufficient funds, and
/// `send_packet`'s errors (`channel`/5 not OPEN, `client`/29, `channel`/40 timeout elapsed,
/// `channel`/13 both timeouts zero), and the flow limits' (`ratelimit`/4 over the quota,
/// `ratelimit`/7 a blacklisted denom) and the circuit breaker's (`circuit`/2 paused).
///
/// Nothing is written and no event is emitted on error (the work runs in an overlay applied
/// only on success), even though, as in ibc-go, coins move before the packet is sent.
pub async fn send_transfer<S: StateWrite, B: TransferBank>(
    bank: &B,
    s: &mut S,
    tx: &TxCtx,
    msg: &MsgTransfer,
) -> Result<u64, ModuleError> {
    let mut overlay = StateDelta::new(&mut *s);
    let sequence = execute(bank, &mut overlay, tx, msg).await?;
    let (_, events) = overlay.apply();
    for e in events {
        s.record(e);
    }
    Ok(sequence)
}

async fn execute<S: StateWrite, B: TransferBank>(
    bank: &B,
    s: &mut S,
    tx: &TxCtx,
    msg: &MsgTransfer,
) -> Result<u64, ModuleError> {
    if !s.params().await?.send_enabled {
        return Err(TransferError::SendDisabled.into());
    }
    let (port, chan) = (msg.source_port.as_str(), msg.source_channel.as_str());
    if port != PORT_ID {
        return Err(TransferError::InvalidPort(format!(
            "the transfer module does not own port {port}, only {PORT_ID}"
        ))
        .into());
    }
    // the channel must exist (send_packet checks that it is OPEN)
    s.channel(port, chan).await?;
    let full_path = match msg.denom.strip_prefix("ibc/") {
        Some(hex_hash) => {
            let hash = parse_hash(hex_hash).map_err(TransferError::InvalidDenomForTransfer)?;
            let trace = s
                .denom_trace(&hash)
                .await?
                .ok_or_else(|| TransferError::TraceNotFound(hex_hash.to_string()))?;
            full_denom_path(&trace)
        }
        None => msg.denom.clone(),
    };
    let hrp = tx.bech32_prefix.as_str();
    if sender_chain_is_source(port, chan, &full_path) {
        let escrow = escrow_address(port, chan);
        bank.send(s, &msg.sender, &escrow, &msg.denom, msg.amount, hrp)
            .await?;
        s.add_total_escrow(&msg.denom, msg.amount).await?;
    } else {
        let module = module_address();
        bank.send(s, &msg.sender, &module, &msg.denom, msg.amount, hrp)
            .await?;
        bank.burn(s, &module, &msg.denom, msg.amount).await?;
    }
    let sender = msg.sender.to_bech32(hrp);
    let data = FungibleTokenPacketData {
        denom: full_path,
        amount: msg.amount.to_string(),
        sender: sender.clone(),
        receiver: msg.receiver.clone(),
        memo: msg.memo.clone(),
    };
    let sequence = send_packet(
        s,
        tx,
        port,
        chan,
        msg.timeout_height,
        msg.timeout_timestamp,
        data.to_bytes(),
    )
    .await?;
    let flow = TransferFlow {
        channel_id: chan,
        denom: &msg.denom,
        amount: msg.amount,
        sender: &sender,
        receiver: &msg.receiver,
    };
    hub_circuit::check_transfer(s, chan, &msg.denom, time_nanos(tx.block.time)).await?;
    hub_ratelimit::hooks::on_send(s, &flow, sequence).await?;
    s.emit(&events::IbcTransfer {
        sender,
        receiver: msg.receiver.clone(),
        amount: msg.amount.to_string(),
        denom: msg.denom.clone(),
        memo: msg.memo.clone(),
    });
    s.emit(&events::MessageModule);
    Ok(sequence)
}
