//! Governance in the runtime: the capabilities `hub-gov` needs, supplied by this runtime.
//!
//! - [`HubGov`]: the [`GovConfig`] of both runtimes — bank through [`hub_gov::BankKeeper`],
//!   stake through [`StakingView`], proposal messages through [`RuntimeRouter`].
//! - [`StakingView`]: the tally's view of the **current** staking module, which has no
//!   delegations yet: every bonded validator's operator account is its sole delegator and
//!   holds all its shares. Replace this adapter (only this one) when delegations land.
//! - [`RuntimeRouter`]: proposal messages are decoded with [`Msg::decode`] and must be signed
//!   by the gov module account; they execute as a transaction whose signer is that account.

use crate::runtime::Msg;
use cosmos_sdk_proto::cosmos::staking::v1beta1::BondStatus;
use cosmos_sdk_proto::Any;
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    ModuleError, TxCtx,
};
use hub_gov::{
    dec::Dec, module_address, BondedValidator, DelegationView, GovConfig, GovError, ProposalRouter,
    StakeView,
};
use hub_staking::StakingRead;
use std::collections::BTreeMap;

/// The gov capabilities of the hub and spoke runtimes.
pub struct HubGov;

impl GovConfig for HubGov {
    type Bank = hub_gov::BankKeeper;
    type Stake = StakingView;
    type Router = RuntimeRouter;
}

/// The gov module as the runtimes compose it.
pub type GovModule = hub_gov::Gov<HubGov>;

/// [`StakeView`] over the current staking module (validators only; see the module docs).
#[derive(Clone, Copy, Debug, Default)]
pub struct StakingView;

impl StakingView {
    /// Bonded, unjailed validators keyed by operator account bytes; several validators of one
    /// operator are merged (their tokens and shares add up).
    async fn by_operator<S: StateRead>(
        s: &S,
    ) -> Result<BTreeMap<[u8; 20], BondedValidator>, ModuleError> {
        let mut out: BTreeMap<[u8; 20], BondedValidator> = BTreeMap::new();
        for v in s.validators().await? {
            if v.jailed || v.status != BondStatus::Bonded as i32 {
                continue;
            }
            let (hrp, bytes) = bech32::decode(&v.operator_address)
                .map_err(|e| ModuleError::internal(format!("validator operator: {e}")))?;
            let operator: [u8; 20] = bytes
                .try_into()
                .map_err(|_| ModuleError::internal("validator operator is not 20 bytes"))?;
            let tokens: u128 = v.tokens.parse().map_err(ModuleError::internal)?;
            let shares = Dec::parse(&v.delegator_shares).map_err(ModuleError::internal)?;
            let valoper = bech32::encode::<bech32::Bech32>(
                bech32::Hrp::parse(&format!("{}valoper", hrp.as_str()))
                    .map_err(ModuleError::internal)?,
                &operator,
            )
            .map_err(ModuleError::internal)?;
            let e = out.entry(operator).or_insert(BondedValidator {
                operator,
                operator_address: valoper,
                tokens: 0,
                delegator_shares: Dec::ZERO,
            });
            e.tokens = e.tokens.saturating_add(tokens);
            e.delegator_shares = e
                .delegator_shares
                .checked_add(shares)
                .ok_or_else(|| ModuleError::internal("delegator shares overflow"))?;
        }
        Ok(out)
    }
}

impl StakeView for StakingView {
    async fn bonded_validators<S: StateRead>(
        &self,
        s: &S,
    ) -> Result<Vec<BondedValidator>, ModuleError> {
        Ok(Self::by_operator(s).await?.into_values().collect())
    }

    async fn delegations<S: StateRead>(
        &self,
        s: &S,
        delegator: &[u8; 20],
    ) -> Result<Vec<DelegationView>, ModuleError> {
        Ok(Self::by_operator(s)
            .await?
            .get(delegator)
            .map(|v| DelegationView {
                validator: v.operator,
                shares: v.delegator_shares,
            })
            .into_iter()
            .collect())
    }

    async fn total_bonded_tokens<S: StateRead>(&self, s: &S) -> Result<u128, ModuleError> {
        Ok(Self::by_operator(s).await?.values().map(|v| v.tokens).sum())
    }
}

/// [`ProposalRouter`] over the runtime's [`Msg`] enum.
#[derive(Clone, Copy, Debug, Default)]
pub struct RuntimeRouter;

/// Decodes a proposal message and checks that its signer is the gov module account.
///
/// Errors: `gov`/10 for a type the runtime does not route, `gov`/12 for a message that fails
/// its stateless checks, `gov`/13 for another signer.
pub fn decode_proposal_msg(any: &Any, hrp: &str) -> Result<Msg, ModuleError> {
    let m = Msg::decode(any, hrp).map_err(|e| -> ModuleError {
        if (e.codespace, e.code) == ("sdk", 6) {
            GovError::UnroutableProposalMsg(any.type_url.clone()).into()
        } else {
            GovError::InvalidProposalMsg(format!("{}: {}", any.type_url, e.log)).into()
        }
    })?;
    let gov = module_address();
    if m.signer() != gov.0 {
        return Err(GovError::InvalidSigner(format!(
            "{} is signed by {}, not the gov module account {}",
            any.type_url,
            hub_auth::Address(m.signer()).to_bech32(hrp),
            gov.to_bech32(hrp)
        ))
        .into());
    }
    Ok(m)
}

impl ProposalRouter for RuntimeRouter {
    fn validate(&self, msg: &Any, hrp: &str) -> Result<(), ModuleError> {
        decode_proposal_msg(msg, hrp).map(|_| ())
    }

    async fn execute<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        msg: &Any,
    ) -> Result<(), ModuleError> {
        let m = decode_proposal_msg(msg, &tx.bech32_prefix)?;
        m.check_stateless(tx)?;
        Box::pin(m.check_and_execute(s, tx)).await
    }
}
