use crate::{msgs::MsgSend, BankWrite};
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, SdkError, TxCtx};

impl MsgHandler for MsgSend {
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        let why = "MsgSend must be signed by from_address";
        tx.require_signer(&self.from.0, SdkError::Unauthorized, why)
    }

    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        s.send_coins(&self.from, &self.to, &self.amount, &tx.bech32_prefix)
            .await
    }
}
