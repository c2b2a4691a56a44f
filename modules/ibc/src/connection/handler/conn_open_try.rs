//! `MsgConnectionOpenTry` (ICS-03 `connOpenTry`): a new end in TRYOPEN once the counterparty's INIT
//! end is proven.

use super::*;

msg_handler! {
    /// Proves the counterparty's INIT end, picks a version and creates `connection-N` in
    /// TRYOPEN. Errors: `client`/29, `client`/16 proof, `connection`/10 no common version.
    MsgConnectionOpenTry, stateless: |m, tx| check_signer(&m.signer, tx),
    |self, s, tx| {
        require_active(s, &self.client_id, tx).await?;
        let version = pick_version(&self.counterparty_versions)?;
        let end = ConnectionEnd {
            client_id: self.client_id.to_string(),
            versions: vec![version],
            state: ConnState::TryOpen.to_i32(),
            counterparty: Some(self.counterparty.clone()),
            delay_period: self.delay_period,
        };
        // Our connection id is not chosen yet: the counterparty's INIT end names none.
        let (cp_client, versions) = (&self.counterparty.client_id, &self.counterparty_versions);
        let expected = expected_end(ConnState::Init, versions.clone(), cp_client, &end, "");
        let (proof, height) = (&self.proof_init, self.proof_height);
        let cp_id = &self.counterparty.connection_id;
        verify_counterparty(s, tx, &end, cp_id, &expected, proof, height).await?;
        let id = new_connection(s, &end).await?;
        event(s, "connection_open_try", &id, &end);
        Ok(())
    }
}
