use crate::{msgs::MsgSend, BankWrite};
use hub_framework::{cnidarium::StateWrite, ModuleError, MsgHandler, SdkError, TxCtx};

impl MsgHandler for MsgSend {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        if self.from.0 != tx.signer {
            return Err(
                SdkError::Unauthorized("MsgSend must be signed by from_address".into()).into(),
            );
        }
        Ok(())
    }

    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        s.send_coins(&self.from, &self.to, &self.amount, &tx.bech32_prefix)
            .await
    }
}
