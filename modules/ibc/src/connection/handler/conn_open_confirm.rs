//! `MsgConnectionOpenConfirm` (ICS-03 `connOpenConfirm`): TRYOPEN → OPEN once the counterparty's
//! OPEN end is proven.

use super::*;

msg_handler! {
    /// TRYOPEN → OPEN after proving the counterparty's OPEN end. Errors: `connection`/3,
    /// `connection`/6, `client`/16.
    MsgConnectionOpenConfirm, stateless: |m, tx| check_signer(&m.signer, tx),
    |self, s, tx| {
        let mut end = s.connection(&self.connection_id).await?;
        if ConnState::of(&end) != ConnState::TryOpen {
            return Err(IbcError::InvalidConnectionState(format!(
                "connection {} is {:?}, expected TryOpen",
                self.connection_id,
                ConnState::of(&end)
            ))
            .into());
        }
        let cp = end.counterparty.clone().unwrap_or_default();
        let expected = ConnectionEnd {
            client_id: cp.client_id.clone(),
            versions: end.versions.clone(),
            state: ConnState::Open.to_i32(),
            counterparty: Some(Counterparty {
                client_id: end.client_id.clone(),
                connection_id: self.connection_id.to_string(),
                prefix: Some(our_prefix()),
            }),
            delay_period: end.delay_period,
        };
        verify_counterparty(
            s,
            tx,
            &end,
            &cp.connection_id,
            &expected,
            &self.proof_ack,
            self.proof_height,
        )
        .await?;
        end.state = ConnState::Open.to_i32();
        s.put_connection(&self.connection_id, &end);
        event(s, "connection_open_confirm", &self.connection_id, &end);
        Ok(())
    }
}
