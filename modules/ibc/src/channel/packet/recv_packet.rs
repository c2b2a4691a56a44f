//! `MsgRecvPacket` (ibc-go `RecvPacket`): the counterparty's commitment proven, replay protection
//! by receipt or sequence, the app's `on_recv_packet`, and its acknowledgement written unless
//! asynchronous.

use super::*;

msg_handler! {
    /// ibc-go `RecvPacket` + `WriteAcknowledgement`. Errors: `channel`/3, `channel`/5,
    /// `channel`/13 wrong source, `connection`/6, `channel`/14 timed out, `client`/18 proof,
    /// `channel`/21 out of order, `port`/3 no app.
    MsgRecvPacket, stateless: |m, tx| check_signer(&m.signer, tx),
    |self, s, tx, app| {
        let p = &self.packet;
        let (order, conn_id, conn) = packet_channel(s, p, true).await?;
        let late = timed_out(p, tx);
        if late && order != Order::OrderedAllowTimeout {
            return Err(IbcError::PacketTimeout(format!(
                "packet {} timed out at height {} / time {} ns; this block is {} at {} ns",
                p.sequence,
                p.timeout_height,
                p.timeout_timestamp,
                self_height(tx),
                time_nanos(tx.block.time)
            ))
            .into());
        }
        let ctx = proof_ctx(tx, &conn, true);
        let proven =
            ProvenPacket::prove(s, &ctx, self.proof_height, &self.proof_commitment, p).await?;
        if !replay_protection(s, &proven, order).await? {
            tx.note(REDUNDANT);
            return Ok(());
        }
        emit_ibc(
            s,
            MODULE_CHANNEL,
            "recv_packet",
            packet_attrs(p, order, &conn_id),
        );
        let (port, chan) = (&p.destination_port, &p.destination_channel);
        if late {
            // ORDERED_ALLOW_TIMEOUT: the sequence is consumed without delivery.
            s.put_receipt(port, chan, p.sequence, TIMEOUT_RECEIPT);
            return Ok(());
        }
        require_app(app, port)?;
        let mut overlay = StateDelta::new(&mut *s);
        let ack = app.on_recv_packet(&mut overlay, tx, p, &self.signer).await;
        if ack.success {
            let (_, events) = overlay.apply();
            for e in events {
                s.record(e);
            }
        }
        if ack.is_deferred() {
            // The application acknowledges later (`write_async_acknowledgement`).
            return Ok(());
        }
        write_acknowledgement(s, &proven, order, &conn_id, &ack.bytes).await?;
        Ok(())
    }
}

/// Receipts / sequences. Returns false for a redundant delivery (no-op).
async fn replay_protection<S: StateWrite>(
    s: &mut S,
    proven: &ProvenPacket<'_>,
    order: Order,
) -> Result<bool, IbcError> {
    let p = proven.packet();
    let (port, chan) = (&p.destination_port, &p.destination_channel);
    match order {
        Order::Unordered => {
            if s.has_receipt(port, chan, p.sequence).await? {
                return Ok(false);
            }
            s.put_receipt(port, chan, p.sequence, RECEIPT);
        }
        Order::Ordered | Order::OrderedAllowTimeout => {
            let next = s.next_sequence(SequenceKind::Recv, port, chan).await?;
            if p.sequence < next {
                return Ok(false);
            }
            if p.sequence > next {
                return Err(IbcError::PacketSequenceOutOfOrder(format!(
                    "packet sequence {} ≠ next receive sequence {next}",
                    p.sequence
                )));
            }
            s.put_next_sequence(SequenceKind::Recv, port, chan, next + 1);
        }
    }
    Ok(true)
}
