//! `MsgTimeout` and `MsgTimeoutOnClose` (ibc-go `TimeoutPacket`, `TimeoutOnClose`): the timeout
//! reached (or the counterparty channel CLOSED) and the packet proven unreceived, the app's
//! `on_timeout_packet`, the commitment deleted; an ORDERED channel closes.

use super::*;

msg_handler! {
    /// ibc-go `TimeoutPacket` / `TimeoutOnClose` + `TimeoutExecuted`: proves the packet was
    /// not received (receipt absent, or `nextSequenceRecv` ≤ sequence; on
    /// ORDERED_ALLOW_TIMEOUT the counterparty's timeout receipt) after its timeout, deletes the
    /// commitment, closes an ORDERED channel, then calls the app.
    /// Errors: `channel`/3, `channel`/5, `channel`/13, `channel`/39 timeout not reached,
    /// `channel`/19-like `channel`/13 already received, `client`/17/20/21 proofs.
    MsgTimeout, stateless: |m, tx| check_signer(&m.signer, tx),
    |self, s, tx, app| {
        let p = &self.packet;
        let (port, chan) = (&p.source_port, &p.source_channel);
        let mut ch = s.channel(port, chan).await?;
        if self.proof_close.is_none() {
            open_channel(&ch, port, chan)?;
        }
        check_other_end(&ch, p, false)?;
        let order = Order::from_i32(ch.ordering)?;
        let conn_id = ch.connection_hops.first().cloned().unwrap_or_default();
        let conn = s.connection(&conn_id).await?;
        if !check_commitment(s, p).await? {
            tx.note(REDUNDANT);
            return Ok(());
        }
        let ctx = proof_ctx(tx, &conn, true);
        match &self.proof_close {
            None => check_timeout_reached(s, &conn, p, self.proof_height).await?,
            Some(proof) => verify_closed(s, &ctx, &ch, &conn, p, proof, self.proof_height).await?,
        }
        self.verify_unreceived(s, &ctx, order).await?;
        if order == Order::OrderedAllowTimeout {
            advance_ack_sequence(s, p, order).await?;
        }
        delete_commitment(s, p, order, &conn_id, "timeout_packet");
        if order == Order::Ordered {
            ch.state = ChanState::Closed.to_i32();
            s.put_channel(port, chan, &ch);
            let cp = counterparty(&ch);
            emit_ibc(
                s,
                MODULE_CHANNEL,
                "channel_closed",
                vec![
                    ("port_id", port.clone()),
                    ("channel_id", chan.clone()),
                    ("counterparty_port_id", cp.port_id),
                    ("counterparty_channel_id", cp.channel_id),
                    ("connection_id", conn_id.clone()),
                    ("channel_ordering", order.name().to_string()),
                ],
            );
        }
        require_app(app, port)?;
        app.on_timeout_packet(s, tx, p, &self.signer).await
    }
}

impl MsgTimeout {
    async fn verify_unreceived<S: StateRead>(
        &self,
        s: &S,
        ctx: &ProofContext<'_>,
        order: Order,
    ) -> Result<(), IbcError> {
        let p = &self.packet;
        let (dport, dchan) = (&p.destination_port, &p.destination_channel);
        match order {
            Order::Unordered => {
                let path = receipt_path(dport, dchan, p.sequence);
                verify_non_membership(
                    s,
                    ctx,
                    self.proof_height,
                    &self.proof_unreceived,
                    &path,
                    VerifyKind::PacketReceiptAbsence,
                )
                .await
            }
            Order::Ordered => {
                if self.next_sequence_recv > p.sequence {
                    return Err(IbcError::InvalidPacket(format!(
                        "packet already received: next sequence receive {} > packet sequence {}",
                        self.next_sequence_recv, p.sequence
                    )));
                }
                let path = next_recv_path(dport, dchan);
                verify_membership(
                    s,
                    ctx,
                    self.proof_height,
                    &self.proof_unreceived,
                    &path,
                    &self.next_sequence_recv.to_be_bytes(),
                    VerifyKind::NextSequenceRecv,
                )
                .await
            }
            Order::OrderedAllowTimeout => {
                let path = receipt_path(dport, dchan, p.sequence);
                verify_membership(
                    s,
                    ctx,
                    self.proof_height,
                    &self.proof_unreceived,
                    &path,
                    TIMEOUT_RECEIPT,
                    VerifyKind::PacketReceiptAbsence,
                )
                .await
            }
        }
    }
}

/// The packet's timeout must have passed on the counterparty at `proof_height` (by height,
/// or by the consensus time our client stored for it). Errors: `channel`/39.
async fn check_timeout_reached<S: StateRead>(
    s: &S,
    conn: &ConnectionEnd,
    p: &Packet,
    proof_height: Height,
) -> Result<(), IbcError> {
    let ts = s
        .consensus_state(&conn.client_id, proof_height)
        .await?
        .timestamp_nanos();
    let by_height = !p.timeout_height.is_zero() && proof_height >= p.timeout_height;
    let by_time = p.timeout_timestamp != 0 && ts >= p.timeout_timestamp;
    if !by_height && !by_time {
        return Err(IbcError::TimeoutNotReached(format!(
            "proof height {proof_height} (time {ts} ns) is before the packet timeout (height {}, time {} ns)",
            p.timeout_height, p.timeout_timestamp
        )));
    }
    Ok(())
}

/// TimeoutOnClose: the counterparty channel is CLOSED.
async fn verify_closed<S: StateRead>(
    s: &S,
    ctx: &ProofContext<'_>,
    ch: &ChannelEnd,
    conn: &ConnectionEnd,
    p: &Packet,
    proof: &[u8],
    proof_height: Height,
) -> Result<(), IbcError> {
    let ours = (p.source_port.as_str(), p.source_channel.as_str());
    let expected = expected_end(ChanState::Closed, ch.ordering, ours, conn, &ch.version);
    let path = channel_path(&p.destination_port, &p.destination_channel);
    verify_membership(
        s,
        ctx,
        proof_height,
        proof,
        &path,
        &expected.encode_to_vec(),
        VerifyKind::Channel,
    )
    .await
}
