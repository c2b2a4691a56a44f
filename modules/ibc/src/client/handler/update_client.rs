use crate::client::msgs::MsgUpdateClient;
use hub_framework::cnidarium::StateWrite;
use hub_framework::{ModuleError, MsgHandler, TxCtx};

/// ibc-go v8 `UpdateClient` ([`crate::client::update::update_client`]): a header updates the
/// client (event `update_client`), misbehaviour — or a header conflicting with a stored
/// consensus state — freezes it (event `client_misbehaviour`).
impl MsgHandler for MsgUpdateClient {
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
            &self.client_message,
            &self.raw_message,
        )
        .await
    }
}
