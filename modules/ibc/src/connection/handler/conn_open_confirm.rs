//! `MsgConnectionOpenConfirm` (ICS-03 `connOpenConfirm`): TRYOPEN → OPEN once the counterparty's
//! OPEN end is proven.

use super::*;

msg_handler! {
    /// TRYOPEN → OPEN after proving the counterparty's OPEN end. Errors: `connection`/3,
    /// `connection`/6, `client`/16.
    MsgConnectionOpenConfirm, stateless: |m, tx| check_signer(&m.signer, tx),
    |self, s, tx| {
        let id = &self.connection_id;
        let mut end = connection_in(s, id, ConnState::TryOpen).await?;
        let cp = end.counterparty.clone().unwrap_or_default();
        let versions = end.versions.clone();
        let expected = expected_end(ConnState::Open, versions, &cp.client_id, &end, id);
        let (proof, height) = (&self.proof_ack, self.proof_height);
        verify_counterparty(s, tx, &end, &cp.connection_id, &expected, proof, height).await?;
        end.state = ConnState::Open.to_i32();
        s.put_connection(&self.connection_id, &end);
        event(s, "connection_open_confirm", &self.connection_id, &end);
        Ok(())
    }
}
