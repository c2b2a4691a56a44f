use crate::client::msgs::MsgSubmitMisbehaviour;
use crate::msgs_common::msg_handler;

msg_handler! {
    /// ibc-go v8 `SubmitMisbehaviour`: the same flow as `MsgUpdateClient`.
    MsgSubmitMisbehaviour, stateless: |m, tx| Ok(m.signer.check(tx)?),
    |self, s, tx| {
        let msg = &self.misbehaviour;
        super::execute_update(s, tx, &self.client_id, msg, &self.raw_message).await
    }
}
