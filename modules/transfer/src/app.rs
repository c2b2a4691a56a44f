//! The ICS-26 callbacks of ICS-20 (ibc-go v8 `modules/apps/transfer/ibc_module.go` and
//! `keeper/relay.go`).

use crate::{
    bank::{ensure_voucher_metadata, module_address, TransferBank},
    denom::{
        channel_sequence, denom_prefix, escrow_address, ibc_denom, parse_amount, parse_denom_trace,
        receiver_chain_is_source, sender_chain_is_source, trace_hash_hex, DenomTrace, PORT_ID,
        VERSION,
    },
    events,
    forward::{
        forward_metadata, intermediate_receiver, local_coin, put_in_flight, take_in_flight,
        undo_of, ForwardMetadata, InFlightPacket, Undo,
    },
    handler::send_transfer,
    msgs::MsgTransfer,
    packet::{FungibleTokenPacketData, Ics20Ack},
    TransferError, TransferRead, TransferWrite,
};
use hub_auth::Address;
use hub_framework::{
    cnidarium::{StateDelta, StateWrite},
    Handled, ModuleError, StateEventExt, TxCtx,
};
use hub_ibc::channel::{write_async_acknowledgement, Order, Packet};
use hub_ibc::client::types::time_nanos;
use hub_ibc::router::{Acknowledgement, ChannelInfo, IbcApp};
use hub_ibc::Height;
use hub_ibc::IbcError;
use hub_ratelimit::TransferFlow;

/// ICS-20 as an IBC application, bound to the port `transfer`.
///
/// The runtime's ICS-26 router forwards every callback for port `transfer` here. Construct it
/// with [`TransferApp::new`] (over the bank module) or [`TransferApp::with_bank`].
#[derive(Clone, Copy, Debug, Default)]
pub struct TransferApp<B: TransferBank = hub_bank::Keeper> {
    bank: B,
}

impl TransferApp<hub_bank::Keeper> {
    /// ICS-20 over the bank module.
    pub const fn new() -> Self {
        TransferApp {
            bank: hub_bank::Keeper,
        }
    }
}

impl<B: TransferBank> TransferApp<B> {
    /// ICS-20 over another bank implementation.
    pub const fn with_bank(bank: B) -> Self {
        TransferApp { bank }
    }

    /// The bank this app moves coins with.
    pub fn bank(&self) -> &B {
        &self.bank
    }
}

/// ibc-go `ValidateTransferChannelParams`: a `channel-N` id with N ≤ 2^32 (escrow address
/// safety), UNORDERED, on port `transfer`.
///
/// Errors: `host`/2 channel id not `channel-N`, `transfer`/9 N > 2^32, `channel`/6 not
/// UNORDERED, `port`/2 another port.
pub fn validate_channel_params(ch: &ChannelInfo<'_>) -> Handled {
    let seq = channel_sequence(ch.channel_id).ok_or_else(|| {
        IbcError::InvalidIdentifier(format!(
            "channel identifier {} is not in the format: `channel-{{N}}`",
            ch.channel_id
        ))
    })?;
    if seq > u64::from(u32::MAX) {
        return Err(TransferError::MaxTransferChannels(format!(
            "channel sequence {seq} is greater than max allowed transfer channels {}",
            u32::MAX
        ))
        .into());
    }
    if ch.ordering != Order::Unordered {
        return Err(IbcError::InvalidChannelOrdering(format!(
            "expected ORDER_UNORDERED channel, got {}",
            ch.ordering.name()
        ))
        .into());
    }
    if ch.port_id != PORT_ID {
        return Err(TransferError::InvalidPort(format!(
            "invalid port: {}, expected {PORT_ID}",
            ch.port_id
        ))
        .into());
    }
    Ok(())
}

fn parse_sender(data: &FungibleTokenPacketData, hrp: &str) -> Result<Address, ModuleError> {
    Address::from_bech32(&data.sender, hrp).map_err(|e| {
        TransferError::InvalidAddress(format!("failed to decode sender address: {e}")).into()
    })
}

/// Moves escrowed coins out and lowers the denom's total escrow (ibc-go `unescrowToken`).
async fn unescrow<S: StateWrite, B: TransferBank>(
    bank: &B,
    s: &mut S,
    escrow: &Address,
    to: &Address,
    denom: &str,
    amount: u128,
    hrp: &str,
) -> Handled {
    bank.send(s, escrow, to, denom, amount, hrp)
        .await
        .map_err(|mut e| {
            e.log = format!(
                "unable to unescrow tokens, this may be caused by a malicious counterparty module or a bug: {}",
                e.log
            );
            e
        })?;
    let total = s
        .total_escrow(denom)
        .await?
        .checked_sub(amount)
        .ok_or_else(|| {
            ModuleError::internal(format!("total escrow of {denom} is below {amount}"))
        })?;
    s.put_total_escrow(denom, total);
    Ok(())
}

impl<B: TransferBank> TransferApp<B> {
    /// ibc-go `Keeper.OnRecvPacket`: validates, then unescrows a returning native token or
    /// mints a voucher.
    ///
    /// Errors (they become the error acknowledgement's code): `transfer`/5 / `transfer`/101
    /// amount, `ibc`/5 blank or non-bech32 receiver (with this chain's prefix), `transfer`/3 or
    /// `host`/2 denom, `transfer`/8 receiving disabled, `sdk`/5 escrow smaller than the amount,
    /// `bank`/101 supply overflow, and the flow limits' (`ratelimit`/4 over the receive
    /// quota, `ratelimit`/7 blacklisted) and the circuit breaker's (`circuit`/2 paused).
    /// Returns the denom and amount credited to the
    /// receiver.
    async fn recv<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        data: &FungibleTokenPacketData,
    ) -> Result<(String, u128), ModuleError> {
        let (denom, amount) = self.credit(s, tx, packet, data).await?;
        let flow = TransferFlow {
            channel_id: &packet.destination_channel,
            denom: &denom,
            amount,
            sender: &data.sender,
            receiver: &data.receiver,
        };
        hub_circuit::check_transfer(s, flow.channel_id, &denom, time_nanos(tx.block.time)).await?;
        hub_ratelimit::hooks::on_recv(s, &flow).await?;
        Ok((denom, amount))
    }

    /// [`TransferApp::recv`], or, when the packet is over the quota of a limit that queues,
    /// keeps it for a later block with its acknowledgement deferred (see
    /// [`hub_ratelimit::queue::hold_receive`]); returns whether it was kept. The attempt runs
    /// on its own overlay, so a kept packet has credited nothing.
    ///
    /// Errors: those of [`TransferApp::recv`], `ratelimit`/103 a full queue.
    async fn recv_or_hold<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        data: &FungibleTokenPacketData,
    ) -> Result<bool, ModuleError> {
        let mut attempt = StateDelta::new(&mut *s);
        match self.recv(&mut attempt, tx, packet, data).await {
            Ok(_) => {
                let (_, events) = attempt.apply();
                for e in events {
                    s.record(e);
                }
                Ok(false)
            }
            Err(e) if (e.codespace, e.code) == ("ratelimit", 4) => {
                drop(attempt);
                let record = hub_proto::ratelimit::v1::QueuedReceive {
                    id: 0,
                    sequence: packet.sequence,
                    source_port: packet.source_port.clone(),
                    source_channel: packet.source_channel.clone(),
                    destination_port: packet.destination_port.clone(),
                    destination_channel: packet.destination_channel.clone(),
                    data: packet.data.clone(),
                    timeout_revision_number: packet.timeout_height.revision_number,
                    timeout_revision_height: packet.timeout_height.revision_height,
                    timeout_timestamp: packet.timeout_timestamp,
                    denom: received_denom(packet, data),
                    amount: data.amount.clone(),
                    arrived_at: time_nanos(tx.block.time),
                    expires_at: 0,
                    bech32_prefix: tx.bech32_prefix.clone(),
                };
                match hub_ratelimit::queue::hold_receive(s, record).await? {
                    Some(_) => Ok(true),
                    None => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Credits what the receive queue holds, oldest first, at most
    /// [`hub_ratelimit::queue::RELEASE_PER_BLOCK`] a block (ICS-20's begin-block hook): a
    /// packet that now fits is received and acknowledged with success; one still over its
    /// quota waits (and so do the later ones of its limit), until its `expires_at`, when it
    /// gets an error acknowledgement (`ratelimit`/4) and its sender is refunded; one that
    /// fails otherwise gets that error's acknowledgement.
    ///
    /// Errors: only corrupt state or a channel that no longer takes acknowledgements.
    pub async fn release_queued_receives<S: StateWrite>(
        &self,
        s: &mut S,
        block: &hub_framework::BlockCtx,
    ) -> Handled {
        use hub_ratelimit::queue::{oldest_receives, remove_receive, RELEASE_PER_BLOCK};
        let now = time_nanos(block.time);
        let mut waiting: Vec<(String, String)> = Vec::new();
        for r in oldest_receives(s, RELEASE_PER_BLOCK).await? {
            let limit = (r.destination_channel.clone(), r.denom.clone());
            if waiting.contains(&limit) {
                continue;
            }
            let packet = Packet {
                sequence: r.sequence,
                source_port: r.source_port.clone(),
                source_channel: r.source_channel.clone(),
                destination_port: r.destination_port.clone(),
                destination_channel: r.destination_channel.clone(),
                data: r.data.clone(),
                timeout_height: Height::new(r.timeout_revision_number, r.timeout_revision_height),
                timeout_timestamp: r.timeout_timestamp,
            };
            let data = FungibleTokenPacketData::decode_canonical(&packet.data)
                .map_err(|e| ModuleError::internal(format!("corrupt queued receive: {e}")))?;
            let tx = TxCtx::new(block.clone(), &r.bech32_prefix, [0; 20], u64::MAX);
            let mut attempt = StateDelta::new(&mut *s);
            let outcome = self.recv(&mut attempt, &tx, &packet, &data).await;
            let ack = match outcome {
                Ok(_) => {
                    let (_, events) = attempt.apply();
                    for e in events {
                        s.record(e);
                    }
                    remove_receive(s, &r, "credited", String::new()).await?;
                    Ics20Ack::success()
                }
                Err(e) if (e.codespace, e.code) == ("ratelimit", 4) && now < r.expires_at => {
                    drop(attempt);
                    waiting.push(limit);
                    continue;
                }
                Err(e) => {
                    drop(attempt);
                    remove_receive(s, &r, "refused", e.log.clone()).await?;
                    Ics20Ack::error(e.code)
                }
            };
            write_async_acknowledgement(s, &packet, &ack.to_bytes()).await?;
        }
        Ok(())
    }

    /// Unescrows or mints the packet's tokens to its receiver (see [`TransferApp::recv`]).
    async fn credit<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        data: &FungibleTokenPacketData,
    ) -> Result<(String, u128), ModuleError> {
        let amount = data.validate_basic()?;
        if !s.params().await?.receive_enabled {
            return Err(TransferError::ReceiveDisabled.into());
        }
        let hrp = tx.bech32_prefix.as_str();
        let receiver = Address::from_bech32(&data.receiver, hrp).map_err(|e| {
            TransferError::InvalidAddress(format!(
                "failed to decode receiver address {}: {e}",
                data.receiver
            ))
        })?;
        let trace = match arrival(packet, data) {
            Arrival::Home(denom) => {
                let escrow = escrow_address(&packet.destination_port, &packet.destination_channel);
                unescrow(&self.bank, s, &escrow, &receiver, &denom, amount, hrp).await?;
                return Ok((denom, amount));
            }
            Arrival::Voucher(trace) => trace,
        };
        let hash = crate::denom::trace_hash(&trace);
        if s.denom_trace(&hash).await?.is_none() {
            s.put_denom_trace(&trace);
        }
        let voucher = ibc_denom(&trace);
        ensure_voucher_metadata(s, &trace).await?;
        s.emit(&events::DenominationTrace {
            trace_hash: trace_hash_hex(&trace),
            denom: voucher.clone(),
        });
        let module = module_address();
        self.bank.mint(s, &module, &voucher, amount).await?;
        self.bank
            .send(s, &module, &receiver, &voucher, amount, hrp)
            .await
            .map_err(|mut e| {
                e.log = format!(
                    "failed to send coins to receiver {}: {}",
                    data.receiver, e.log
                );
                e
            })?;
        Ok((voucher, amount))
    }

    /// Receives a packet whose memo asks to forward it (PFM `OnRecvPacket`, see
    /// [`crate::forward`]): the tokens are received into the [`intermediate_receiver`] of the
    /// arrival channel and the original sender, then sent on over `meta.port/meta.channel` to
    /// `meta.receiver`, timing out `meta.timeout_ns` after this block, with `next` as memo;
    /// the forward is recorded in flight.
    ///
    /// Errors: those of the receive and of [`send_transfer`] (e.g. `channel`/3 no such
    /// channel, `transfer`/7 sending disabled): the packet then gets an error acknowledgement
    /// and nothing of the receive is kept.
    async fn forward<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        data: &FungibleTokenPacketData,
        meta: &ForwardMetadata,
    ) -> Handled {
        let intermediate = intermediate_receiver(&packet.destination_channel, &data.sender);
        let overridden = FungibleTokenPacketData {
            receiver: intermediate.to_bech32(&tx.bech32_prefix),
            memo: String::new(),
            ..data.clone()
        };
        let (denom, amount) = self.recv(s, tx, packet, &overridden).await?;
        let msg = MsgTransfer {
            source_port: meta.port.clone(),
            source_channel: meta.channel.clone(),
            denom,
            amount,
            sender: intermediate,
            receiver: meta.receiver.clone(),
            timeout_height: Height::new(0, 0),
            timeout_timestamp: 0,
            memo: meta.next_memo.clone(),
        };
        let record = InFlightPacket::of(packet, &data.sender, meta);
        self.send_in_flight(s, tx, msg, &record).await
    }

    /// Sends `msg` on as a forward (PFM: no timeout height, a timeout `record.timeout` ns after
    /// this block) and records `record` in flight under the new packet.
    ///
    /// Errors: those of [`send_transfer`].
    async fn send_in_flight<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        mut msg: MsgTransfer,
        record: &InFlightPacket,
    ) -> Handled {
        msg.timeout_height = Height::new(0, 0);
        msg.timeout_timestamp = time_nanos(tx.block.time).saturating_add(record.timeout);
        let sequence = send_transfer(&self.bank, s, tx, &msg).await?;
        put_in_flight(s, &msg.source_channel, &msg.source_port, sequence, record);
        Ok(())
    }

    /// The forwarded packet `forwarded` (of `data`) was acknowledged with `ack`, or gave up
    /// timing out (PFM `WriteAcknowledgementForForwardedPacket`): on failure the receive is
    /// undone on this chain (see [`Undo`]); then `ack` is written for the original packet, so
    /// the origin refunds its sender on an error and completes on a success.
    ///
    /// Errors: `transfer`/5 amount, `sdk`/5 an escrow smaller than the amount, and those of
    /// [`write_async_acknowledgement`] (the original channel no longer OPEN).
    async fn finish_forward<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        forwarded: &Packet,
        data: &FungibleTokenPacketData,
        record: &InFlightPacket,
        ack: &Ics20Ack,
    ) -> Handled {
        if !ack.is_success() {
            let hrp = tx.bech32_prefix.as_str();
            let (denom, amount) = local_coin(&data.denom, &data.amount)?;
            let module = module_address();
            match undo_of(forwarded, &data.denom, record) {
                Undo::MoveEscrow { from, to } => {
                    self.bank.send(s, &from, &to, &denom, amount, hrp).await?;
                }
                Undo::BurnFromEscrow(escrow) => {
                    unescrow(&self.bank, s, &escrow, &module, &denom, amount, hrp).await?;
                    self.bank.burn(s, &module, &denom, amount).await?;
                }
                Undo::MintToEscrow(escrow) => {
                    self.bank.mint(s, &module, &denom, amount).await?;
                    self.bank
                        .send(s, &module, &escrow, &denom, amount, hrp)
                        .await?;
                    s.add_total_escrow(&denom, amount).await?;
                }
            }
        }
        write_async_acknowledgement(s, &record.original()?, &ack.to_bytes()).await?;
        Ok(())
    }

    /// A forwarded packet timed out with retries left (PFM `RetryTimeout`): refunds the
    /// intermediate account, then sends the same tokens again with the same receiver, memo and
    /// relative timeout, recording the new packet with one retry fewer.
    ///
    /// Errors: those of [`TransferApp::refund`] and [`send_transfer`].
    async fn retry_forward<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        timed_out: &Packet,
        data: &FungibleTokenPacketData,
        mut record: InFlightPacket,
    ) -> Handled {
        self.refund(s, tx, timed_out, data).await?;
        let (denom, amount) = local_coin(&data.denom, &data.amount)?;
        let msg = MsgTransfer {
            source_port: timed_out.source_port.clone(),
            source_channel: timed_out.source_channel.clone(),
            denom,
            amount,
            sender: parse_sender(data, &tx.bech32_prefix)?,
            receiver: data.receiver.clone(),
            timeout_height: Height::new(0, 0),
            timeout_timestamp: 0,
            memo: data.memo.clone(),
        };
        record.retries_remaining = record.retries_remaining.saturating_sub(1);
        self.send_in_flight(s, tx, msg, &record).await
    }

    /// ibc-go `refundPacketToken`: unescrows back to the sender if this chain was the source,
    /// else re-mints the burned vouchers to the sender.
    ///
    /// Errors: `transfer`/5 amount, `ibc`/5 sender, `sdk`/5 escrow too small.
    pub async fn refund<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        data: &FungibleTokenPacketData,
    ) -> Handled {
        let amount = parse_amount(&data.amount).map_err(|e| e.packet_error(&data.amount))?;
        let denom = ibc_denom(&parse_denom_trace(&data.denom));
        let hrp = tx.bech32_prefix.as_str();
        let sender = parse_sender(data, hrp)?;
        let (port, chan) = (&packet.source_port, &packet.source_channel);
        if sender_chain_is_source(port, chan, &data.denom) {
            let escrow = escrow_address(port, chan);
            return unescrow(&self.bank, s, &escrow, &sender, &denom, amount, hrp).await;
        }
        let module = module_address();
        self.bank.mint(s, &module, &denom, amount).await?;
        self.bank
            .send(s, &module, &sender, &denom, amount, hrp)
            .await
    }
}

/// Where a received packet's token lands on this chain (ibc-go `OnRecvPacket`).
enum Arrival {
    /// A token of ours (or one we forwarded) coming back: unescrowed as this denom.
    Home(String),
    /// A foreign token: minted as the voucher of this trace (its path prefixed with our end).
    Voucher(DenomTrace),
}

fn arrival(packet: &Packet, data: &FungibleTokenPacketData) -> Arrival {
    let (src_port, src_chan) = (&packet.source_port, &packet.source_channel);
    if receiver_chain_is_source(src_port, src_chan, &data.denom) {
        let unprefixed = &data.denom[denom_prefix(src_port, src_chan).len()..];
        return Arrival::Home(ibc_denom(&parse_denom_trace(unprefixed)));
    }
    let our_end = denom_prefix(&packet.destination_port, &packet.destination_channel);
    Arrival::Voucher(parse_denom_trace(&format!("{our_end}{}", data.denom)))
}

/// The denom a received packet credits on this chain (see [`Arrival`]).
fn received_denom(packet: &Packet, data: &FungibleTokenPacketData) -> String {
    match arrival(packet, data) {
        Arrival::Home(denom) => denom,
        Arrival::Voucher(trace) => ibc_denom(&trace),
    }
}

/// Tells the flow limits that a sent packet was acknowledged or failed, so a failure gives
/// its quota back (see [`hub_ratelimit::hooks::on_send_finished`]).
async fn send_finished<S: StateWrite>(
    s: &mut S,
    packet: &Packet,
    data: &FungibleTokenPacketData,
    success: bool,
) -> Handled {
    let amount = parse_amount(&data.amount).unwrap_or(0);
    hub_ratelimit::hooks::on_send_finished(
        s,
        &packet.source_channel,
        packet.sequence,
        amount,
        success,
    )
    .await
}

fn undecodable(e: TransferError) -> ModuleError {
    TransferError::UnknownRequest(format!("cannot unmarshal ICS-20 transfer packet data: {e}"))
        .into()
}

impl<B: TransferBank> IbcApp for TransferApp<B> {
    /// Only `transfer`.
    fn is_bound(&self, port_id: &str) -> bool {
        port_id == PORT_ID
    }

    /// Checks [`validate_channel_params`]; an empty version becomes `ics20-1`, any other than
    /// `ics20-1` fails with `transfer`/4.
    async fn on_chan_open_init<S: StateWrite>(
        &self,
        _s: &mut S,
        _tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        version: &str,
    ) -> Result<String, ModuleError> {
        validate_channel_params(ch)?;
        let version = if version.trim().is_empty() {
            VERSION
        } else {
            version
        };
        if version != VERSION {
            return Err(TransferError::InvalidVersion(format!(
                "expected {VERSION}, got {version}"
            ))
            .into());
        }
        Ok(version.to_string())
    }

    /// Checks [`validate_channel_params`] and answers `ics20-1` whatever the counterparty
    /// proposed (as ibc-go v8, which only logs a mismatch; the ack step then checks it).
    async fn on_chan_open_try<S: StateWrite>(
        &self,
        _s: &mut S,
        _tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        _counterparty_version: &str,
    ) -> Result<String, ModuleError> {
        validate_channel_params(ch)?;
        Ok(VERSION.to_string())
    }

    /// The counterparty must have chosen `ics20-1`. Errors: `transfer`/4.
    async fn on_chan_open_ack<S: StateWrite>(
        &self,
        _s: &mut S,
        _tx: &TxCtx,
        _ch: &ChannelInfo<'_>,
        counterparty_version: &str,
    ) -> Handled {
        if counterparty_version != VERSION {
            return Err(TransferError::InvalidVersion(format!(
                "invalid counterparty version: expected {VERSION}, got {counterparty_version}"
            ))
            .into());
        }
        Ok(())
    }

    /// Always refused: "user cannot close channel" (`ibc`/8), as ibc-go.
    async fn on_chan_close_init<S: StateWrite>(
        &self,
        _s: &mut S,
        _tx: &TxCtx,
        _ch: &ChannelInfo<'_>,
    ) -> Handled {
        Err(TransferError::InvalidRequest("user cannot close channel".into()).into())
    }

    /// Decodes the packet data canonically (else `ibc`/12), then receives it (see the errors
    /// of the private `recv`). Returns `{"result":"AQ=="}` or
    /// `{"error":"ABCI code: N: error handling packet: see events for details"}` with N the
    /// failure's code, and emits `fungible_token_packet{module, sender, receiver, denom,
    /// amount, memo, success[, error]}` (the core drops it with the rest on an error ack).
    async fn on_recv_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        _relayer: &[u8; 20],
    ) -> Acknowledgement {
        let (data, result) = match FungibleTokenPacketData::decode_canonical(&packet.data) {
            Ok(d) => {
                let r = match forward_metadata(&d.memo) {
                    Ok(None) => match self.recv_or_hold(s, tx, packet, &d).await {
                        Ok(true) => return Acknowledgement::deferred(),
                        Ok(false) => Ok(false),
                        Err(e) => Err(e),
                    },
                    Ok(Some(meta)) => self.forward(s, tx, packet, &d, &meta).await.map(|_| true),
                    Err(e) => Err(e),
                };
                (d, r)
            }
            Err(e) => (FungibleTokenPacketData::default(), Err(e.into())),
        };
        let ack = match &result {
            Ok(_) => Ics20Ack::success(),
            Err(e) => Ics20Ack::error(e.code),
        };
        let mut ev =
            events::FungibleTokenPacket::of(&data).with("success", ack.is_success().to_string());
        if let Err(e) = &result {
            ev = ev.with("error", e.log.clone());
        }
        s.emit(&ev);
        if matches!(result, Ok(true)) {
            // Forwarded: acknowledged when the forwarded packet is.
            return Acknowledgement::deferred();
        }
        Acknowledgement {
            bytes: ack.to_bytes(),
            success: ack.is_success(),
        }
    }

    /// Decodes the acknowledgement canonically (`ibc`/4 undecodable, `ibc`/12 not canonical)
    /// and the packet data (`ibc`/4); on an error acknowledgement refunds the sender (see
    /// [`TransferApp::refund`]). Emits `fungible_token_packet{module, sender, receiver, denom,
    /// amount, memo, acknowledgement}` then `fungible_token_packet{success}` or `{error}`.
    async fn on_acknowledgement_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        ack: &[u8],
        _relayer: &[u8; 20],
    ) -> Handled {
        let ack = Ics20Ack::decode_canonical(ack)?;
        let data = FungibleTokenPacketData::decode_canonical(&packet.data).map_err(undecodable)?;
        send_finished(s, packet, &data, ack.is_success()).await?;
        if let Some(record) = take_in_flight(s, packet).await? {
            // A forward: the acknowledgement goes back to the origin, not to a local sender.
            return self
                .finish_forward(s, tx, packet, &data, &record, &ack)
                .await;
        }
        if !ack.is_success() {
            self.refund(s, tx, packet, &data).await?;
        }
        s.emit(&events::FungibleTokenPacket::of(&data).with("acknowledgement", ack.proto_text()));
        let follow_up = match &ack {
            Ics20Ack::Result(r) => ("success", String::from_utf8_lossy(r).into_owned()),
            Ics20Ack::Error(e) => ("error", e.clone()),
        };
        s.emit(&events::FungibleTokenPacket {
            attrs: vec![follow_up],
        });
        Ok(())
    }

    /// Refunds the sender (see [`TransferApp::refund`]) and emits `timeout{module,
    /// refund_receiver, refund_denom, refund_amount, memo}`. Errors: `ibc`/4 undecodable data,
    /// and the refund's.
    async fn on_timeout_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        _relayer: &[u8; 20],
    ) -> Handled {
        let data = FungibleTokenPacketData::decode_canonical(&packet.data).map_err(undecodable)?;
        send_finished(s, packet, &data, false).await?;
        if let Some(record) = take_in_flight(s, packet).await? {
            if record.retries_remaining > 0 {
                return self.retry_forward(s, tx, packet, &data, record).await;
            }
            let ack = Ics20Ack::Error(format!(
                "packet-forward-middleware error: giving up on packet on channel ({}) port ({}) after max retries",
                record.refund_channel_id, record.refund_port_id
            ));
            return self
                .finish_forward(s, tx, packet, &data, &record, &ack)
                .await;
        }
        self.refund(s, tx, packet, &data).await?;
        s.emit(&events::Timeout {
            refund_receiver: data.sender.clone(),
            refund_denom: data.denom.clone(),
            refund_amount: data.amount.clone(),
            memo: data.memo.clone(),
        });
        Ok(())
    }
}
