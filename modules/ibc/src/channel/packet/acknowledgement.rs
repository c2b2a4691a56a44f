//! `MsgAcknowledgement` (ibc-go `AcknowledgePacket`): our commitment checked, the counterparty's
//! ack commitment proven, the app's `on_acknowledgement_packet`, the commitment deleted.

use super::*;

msg_handler! {
    /// ibc-go `AcknowledgePacket`: the commitment is deleted before the app's callback.
    /// Errors: `channel`/3, `channel`/5, `channel`/13, `connection`/6, `client`/19 proof (ack
    /// bytes that differ from the committed ones), `channel`/21.
    MsgAcknowledgement, stateless: |m, tx| check_signer(&m.signer, tx),
    |self, s, tx, app| {
        let p = &self.packet;
        let (order, conn_id, conn) = packet_channel(s, p, false).await?;
        if !check_commitment(s, p).await? {
            tx.note(REDUNDANT);
            return Ok(());
        }
        let path = ack_path(&p.destination_port, &p.destination_channel, p.sequence);
        verify_membership(
            s,
            &proof_ctx(tx, &conn, true),
            self.proof_height,
            &self.proof_acked,
            &path,
            &ack_commitment(&self.acknowledgement),
            VerifyKind::PacketAck,
        )
        .await?;
        advance_ack_sequence(s, p, order).await?;
        delete_commitment(s, p, order, &conn_id, "acknowledge_packet");
        require_app(app, &p.source_port)?;
        app.on_acknowledgement_packet(s, tx, p, &self.acknowledgement, &self.signer)
            .await
    }
}
