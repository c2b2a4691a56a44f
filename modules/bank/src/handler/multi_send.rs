use crate::{msgs::MsgMultiSend, BankWrite};
use hub_framework::{cnidarium::StateWrite, ModuleError, MsgHandler, SdkError, TxCtx};

impl MsgHandler for MsgMultiSend {
    fn check_stateless(&self, tx: &TxCtx) -> Result<(), ModuleError> {
        if self.input.0 .0 != tx.signer {
            return Err(SdkError::Unauthorized(
                "MsgMultiSend must be signed by its input address".into(),
            )
            .into());
        }
        Ok(())
    }

    async fn check_and_execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
    ) -> Result<(), ModuleError> {
        for (to, coins) in &self.outputs {
            s.send_coins(&self.input.0, to, coins, &tx.bech32_prefix)
                .await?;
        }
        Ok(())
    }
}
