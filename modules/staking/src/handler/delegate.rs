use super::{require_bond_denom, require_signer};
use crate::bank::StakingBank;
use crate::{events, msgs::MsgDelegate, StakingRead};
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, StateEventExt, TxCtx};

impl<B: StakingBank> MsgHandler<B> for MsgDelegate {
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        require_signer(tx, &self.delegator, "MsgDelegate")
    }

    /// Bonds the tokens (SDK `msgServer.Delegate`). Errors: `staking`/3 unknown validator,
    /// `sdk`/18 not the bond denom, `sdk`/5 insufficient funds, `staking`/34 the validator
    /// has no tokens left for its shares.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        let bank = &B::default();
        let hrp = &tx.bech32_prefix;
        let params = s.staking_params().await?;
        require_bond_denom(&self.amount.denom, &params.bond_denom)?;
        let (cons, v) = s.existing_validator(&self.operator, hrp).await?;
        let validator = v.operator_address.clone();
        let shares = crate::stake::delegate(
            s,
            bank,
            hrp,
            &self.delegator,
            &cons,
            v,
            &self.amount.denom,
            self.amount.amount,
        )
        .await?;
        s.emit(&events::Delegate {
            validator,
            delegator: self.delegator.to_bech32(hrp),
            amount: self.amount.to_string(),
            new_shares: shares.to_string(),
        });
        Ok(())
    }
}
