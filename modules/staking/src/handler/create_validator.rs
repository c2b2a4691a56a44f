use super::{require_bond_denom, require_signer};
use crate::address::{consensus_address_hex, to_valoper};
use crate::bank::StakingBank;
use crate::dec::Dec;
use crate::msgs::{MsgCreateValidator, ED25519_TYPE_URL};
use crate::{events, StakingError, StakingRead, StakingWrite};
use cosmos_sdk_proto::cosmos::staking::v1beta1::{
    BondStatus, Commission, CommissionRates, Validator,
};
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, StateEventExt, TxCtx};
use prost::Message;

impl<B: StakingBank> MsgHandler<B> for MsgCreateValidator {
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        require_signer(tx, &self.operator, "MsgCreateValidator")
    }

    /// Creates an UNBONDED validator with the self-delegation (SDK
    /// `msgServer.CreateValidator`); it joins the active set at the end of the block if its
    /// tokens rank among the top `max_validators`.
    ///
    /// Errors: `staking`/4 the operator has a validator, `staking`/5 the key is used,
    /// `staking`/40 rate below `min_commission_rate`, `sdk`/18 not the bond denom, `sdk`/5
    /// insufficient funds.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        let bank = &B::default();
        let hrp = &tx.bech32_prefix;
        let params = s.staking_params().await?;
        let valoper = to_valoper(&self.operator, hrp);
        if s.validator_by_operator(&self.operator).await?.is_some() {
            return Err(StakingError::ValidatorOwnerExists(valoper).into());
        }
        let cons = consensus_address_hex(&self.pubkey);
        if s.validator(&cons).await?.is_some() {
            return Err(StakingError::ValidatorPubKeyExists(cons).into());
        }
        let min_rate =
            Dec::parse_atomics_or_decimal(&params.min_commission_rate).unwrap_or_default();
        if self.commission.rate < min_rate {
            return Err(StakingError::CommissionLtMinRate(format!(
                "rate {} < min rate {min_rate}",
                self.commission.rate
            ))
            .into());
        }
        require_bond_denom(&self.value.denom, &params.bond_denom)?;
        let block_ns = crate::stake::time_ns(tx.block.time);
        let v = Validator {
            operator_address: valoper.clone(),
            consensus_pubkey: Some(cosmos_sdk_proto::Any {
                type_url: ED25519_TYPE_URL.into(),
                value: cosmos_sdk_proto::cosmos::crypto::ed25519::PubKey {
                    key: self.pubkey.to_vec(),
                }
                .encode_to_vec(),
            }),
            jailed: false,
            status: BondStatus::Unbonded as i32,
            tokens: "0".into(),
            delegator_shares: Dec::ZERO.to_string(),
            description: Some(self.description.clone()),
            unbonding_height: 0,
            unbonding_time: None,
            commission: Some(Commission {
                commission_rates: Some(CommissionRates {
                    rate: self.commission.rate.to_string(),
                    max_rate: self.commission.max_rate.to_string(),
                    max_change_rate: self.commission.max_change_rate.to_string(),
                }),
                update_time: Some(tendermint_proto::google::protobuf::Timestamp {
                    seconds: (block_ns / 1_000_000_000) as i64,
                    nanos: (block_ns % 1_000_000_000) as i32,
                }),
            }),
            min_self_delegation: self.min_self_delegation.to_string(),
            unbonding_on_hold_ref_count: 0,
            unbonding_ids: vec![],
        };
        s.put_validator(&cons, &self.operator, &v);
        crate::stake::delegate(
            s,
            bank,
            hrp,
            &self.operator,
            &cons,
            v,
            &self.value.denom,
            self.value.amount,
        )
        .await?;
        s.emit(&events::CreateValidator {
            validator: valoper,
            amount: self.value.to_string(),
        });
        Ok(())
    }
}
