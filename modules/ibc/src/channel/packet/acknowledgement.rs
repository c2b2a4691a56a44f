//! `MsgAcknowledgement` (ibc-go `AcknowledgePacket`): our commitment checked, the counterparty's
//! ack commitment proven, the app's `on_acknowledgement_packet`, the commitment deleted.

use super::*;

impl<A: IbcApp + Default> MsgHandler<A> for MsgAcknowledgement {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        check_signer(&self.signer, tx)
    }

    /// ibc-go `AcknowledgePacket`: the commitment is deleted before the app's callback.
    /// Errors: `channel`/3, `channel`/5, `channel`/13, `connection`/6, `client`/19 proof (ack
    /// bytes that differ from the committed ones), `channel`/21.
    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        let app = &A::default();
        let p = &self.packet;
        let (port, chan) = (&p.source_port, &p.source_channel);
        let ch = s.channel(port, chan).await?;
        open_channel(&ch, port, chan)?;
        check_destination(&ch, p)?;
        let order = Order::from_i32(ch.ordering)?;
        let (conn_id, conn) = open_connection(s, &ch).await?;
        if !check_commitment(s, p).await? {
            tx.note(REDUNDANT);
            return Ok(());
        }
        let prefix = prefix_of(&conn);
        let ctx = proof_ctx(tx, &conn, &prefix, true);
        let path = ack_path(&p.destination_port, &p.destination_channel, p.sequence);
        verify_membership(
            s,
            &ctx,
            self.proof_height,
            &self.proof_acked,
            &path,
            &ack_commitment(&self.acknowledgement),
            VerifyKind::PacketAck,
        )
        .await?;
        advance_ack_sequence(s, p, order).await?;
        s.delete_packet_commitment(port, chan, p.sequence);
        emit_ibc(
            s,
            MODULE_CHANNEL,
            "acknowledge_packet",
            ack_side_attrs(p, order, &conn_id),
        );
        if !app.is_bound(port) {
            return Err(IbcError::PortNotFound(port.clone()).into());
        }
        app.on_acknowledgement_packet(s, tx, p, &self.acknowledgement, &self.signer)
            .await
    }
}
