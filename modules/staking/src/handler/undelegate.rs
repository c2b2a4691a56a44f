use super::{require_bond_denom, require_signer};
use crate::bank::StakingBank;
use crate::stake::{rfc3339, valoper};
use crate::{events, msgs::MsgUndelegate, StakingRead};
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use cosmos_sdk_proto::cosmos::staking::v1beta1::MsgUndelegateResponse;
use hub_framework::{
    cnidarium::StateWrite, Handled, ModuleError, MsgHandler, StateEventExt, TxCtx,
};

/// Executes a checked `MsgUndelegate` and returns the SDK response: the tokens unbonding and
/// the time they are paid out (block time + `unbonding_time`).
///
/// Errors: `sdk`/18 not the bond denom, `staking`/3 unknown validator, `staking`/19 no
/// delegation, `staking`/24 more than delegated, `staking`/27 too many entries, `staking`/30
/// worth zero tokens.
pub async fn undelegate<S: StateWrite, B: StakingBank>(
    m: &MsgUndelegate,
    s: &mut S,
    bank: &B,
    tx: &TxCtx,
) -> Result<MsgUndelegateResponse, ModuleError> {
    let hrp = &tx.bech32_prefix;
    let params = s.staking_params().await?;
    require_bond_denom(&m.amount.denom, &params.bond_denom)?;
    let (out, completion_ns) = crate::stake::undelegate(
        s,
        bank,
        &tx.block,
        hrp,
        &m.delegator,
        &m.operator,
        &m.amount.denom,
        m.amount.amount,
    )
    .await?;
    let completion_time = tendermint_proto::google::protobuf::Timestamp {
        seconds: (completion_ns / 1_000_000_000) as i64,
        nanos: (completion_ns % 1_000_000_000) as i32,
    };
    s.emit(&events::Unbond {
        validator: valoper(&m.operator, hrp),
        delegator: m.delegator.to_bech32(hrp),
        amount: format!("{out}{}", m.amount.denom),
        completion_time: rfc3339(completion_ns),
    });
    Ok(MsgUndelegateResponse {
        completion_time: Some(completion_time),
        amount: Some(Coin {
            denom: m.amount.denom.clone(),
            amount: out.to_string(),
        }),
    })
}

impl<B: StakingBank> MsgHandler<B> for MsgUndelegate {
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        require_signer(tx, &self.delegator, "MsgUndelegate")
    }

    /// See [`undelegate`].
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        let bank = &B::default();
        undelegate(self, s, bank, tx).await.map(|_| ())
    }
}
