use crate::{
    bank::{module_address, TransferBank},
    denom::{escrow_address, full_denom_path, parse_hash, sender_chain_is_source, PORT_ID},
    events,
    msgs::MsgTransfer,
    packet::FungibleTokenPacketData,
    TransferError, TransferRead, TransferWrite,
};
use hub_framework::{
    cnidarium::{StateDelta, StateWrite},
    ModuleError, MsgHandler, SdkError, StateEventExt, TxCtx,
};
use hub_ibc::channel::{send_packet, ChannelRead};
use hub_ibc::client::types::time_nanos;
use hub_ratelimit::TransferFlow;

impl MsgHandler for MsgTransfer {
    /// The sender must be the transaction's signer. Errors: `sdk`/4.
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        if self.sender.0 != tx.signer {
            return Err(
                SdkError::Unauthorized("MsgTransfer must be signed by its sender".into()).into(),
            );
        }
        Ok(())
    }

    /// [`send_transfer`] with the bank module.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        send_transfer(&hub_bank::Keeper, s, tx, self)
            .await
            .map(|_| ())
    }
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
