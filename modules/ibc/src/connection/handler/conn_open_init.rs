//! `MsgConnectionOpenInit` (ICS-03 `connOpenInit`): a new connection end in INIT over an active
//! client.

use super::*;

msg_handler! {
    /// Creates `connection-N` in INIT. Errors: `client`/4, `client`/29.
    MsgConnectionOpenInit, stateless: |m, tx| check_signer(&m.signer, tx),
    |self, s, tx| {
        require_active(s, &self.client_id, tx).await?;
        let versions = match &self.version {
            Some(v) => vec![v.clone()],
            None => vec![default_version()],
        };
        let end = ConnectionEnd {
            client_id: self.client_id.to_string(),
            versions,
            state: ConnState::Init.to_i32(),
            counterparty: Some(self.counterparty.clone()),
            delay_period: self.delay_period,
        };
        let id = new_connection(s, &end).await?;
        event(s, "connection_open_init", &id, &end);
        Ok(())
    }
}
