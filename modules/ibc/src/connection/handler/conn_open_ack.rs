//! `MsgConnectionOpenAck` (ICS-03 `connOpenAck`): INIT → OPEN once the counterparty's TRYOPEN end
//! is proven with a version we proposed.

use super::*;

msg_handler! {
    /// INIT → OPEN after proving the counterparty's TRYOPEN end with the chosen version.
    /// Errors: `connection`/3, `connection`/6 not INIT, `connection`/9 version not proposed,
    /// `client`/16 proof.
    MsgConnectionOpenAck, stateless: |m, tx| check_signer(&m.signer, tx),
    |self, s, tx| {
        let id = &self.connection_id;
        let mut end = connection_in(s, id, ConnState::Init).await?;
        if !proposed(&end.versions, &self.version) {
            return Err(IbcError::InvalidVersion(format!(
                "version {:?} was not proposed by connection {}",
                self.version, self.connection_id
            ))
            .into());
        }
        let cp = end.counterparty.clone().unwrap_or_default();
        let versions = vec![self.version.clone()];
        let expected = expected_end(ConnState::TryOpen, versions, &cp.client_id, &end, id);
        let (proof, height) = (&self.proof_try, self.proof_height);
        let cp_id = &self.counterparty_connection_id;
        verify_counterparty(s, tx, &end, cp_id, &expected, proof, height).await?;
        end.state = ConnState::Open.to_i32();
        end.versions = vec![self.version.clone()];
        end.counterparty = Some(Counterparty {
            connection_id: self.counterparty_connection_id.to_string(),
            ..cp
        });
        s.put_connection(&self.connection_id, &end);
        event(s, "connection_open_ack", &self.connection_id, &end);
        Ok(())
    }
}

/// A chosen version must be one we proposed, with a subset of its features.
fn proposed(ours: &[Version], chosen: &Version) -> bool {
    ours.iter().any(|v| {
        v.identifier == chosen.identifier && chosen.features.iter().all(|f| v.features.contains(f))
    })
}
