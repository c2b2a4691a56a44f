use crate::client::msgs::MsgSubmitMisbehaviour;
use hub_framework::cnidarium::StateWrite;
use hub_framework::{ModuleError, MsgHandler, TxCtx};

/// ibc-go v8 `SubmitMisbehaviour`: the same flow as `MsgUpdateClient`.
impl MsgHandler for MsgSubmitMisbehaviour {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        Ok(self.signer.check(tx)?)
    }

    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        super::execute_update(
            s,
            tx,
            &self.client_id,
            &self.misbehaviour,
            &self.raw_message,
        )
        .await
    }
}
