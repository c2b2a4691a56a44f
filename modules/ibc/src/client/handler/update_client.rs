use crate::client::msgs::MsgUpdateClient;
use crate::msgs_common::msg_handler;

msg_handler! {
    /// ibc-go v8 `UpdateClient` ([`crate::client::update::update_client`]): a header updates the
    /// client (event `update_client`), misbehaviour — or a header conflicting with a stored
    /// consensus state — freezes it (event `client_misbehaviour`).
    MsgUpdateClient, stateless: |m, tx| Ok(m.signer.check(tx)?),
    |self, s, tx| {
        let msg = &self.client_message;
        super::execute_update(s, tx, &self.client_id, msg, &self.raw_message).await
    }
}
