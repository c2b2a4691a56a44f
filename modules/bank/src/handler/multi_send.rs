use crate::{msgs::MsgMultiSend, BankWrite};
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, SdkError, TxCtx};

impl MsgHandler for MsgMultiSend {
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        let why = "MsgMultiSend must be signed by its input address";
        tx.require_signer(&self.input.0 .0, SdkError::Unauthorized, why)
    }

    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        for (to, coins) in &self.outputs {
            s.send_coins(&self.input.0, to, coins, &tx.bech32_prefix)
                .await?;
        }
        Ok(())
    }
}
