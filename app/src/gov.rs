//! Governance in the runtime: the capabilities `hub-gov` needs, supplied by this runtime.
//!
//! - [`HubGov`]: the [`GovConfig`] of both runtimes — bank through [`hub_bank::Keeper`],
//!   stake through [`StakingView`], proposal messages through [`RuntimeRouter`].
//! - [`StakingView`]: the tally's view of staking — bonded validators and each voter's
//!   delegations, as the SDK's tally reads them through its staking keeper.
//! - [`RuntimeRouter`]: proposal messages are decoded with [`Msg::decode`] and must be signed
//!   by the gov module account; they execute as a transaction whose signer is that account.

use crate::runtime::Msg;
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

/// The gov capabilities of the hub and spoke runtimes.
pub struct HubGov;

impl GovConfig for HubGov {
    type Bank = hub_bank::Keeper;
    type Stake = StakingView;
    type Router = RuntimeRouter;
}

/// The gov module as the runtimes compose it.
pub type GovModule = hub_gov::Gov<HubGov>;

/// [`StakeView`] over the staking module's governance API ([`StakingRead`]): bonded
/// validators in consensus-address order, and each voter's stored delegations (the
/// operator's self-delegation included), read with one prefix scan per voter.
#[derive(Clone, Copy, Debug, Default)]
pub struct StakingView;

impl StakeView for StakingView {
    async fn bonded_validators<S: StateRead>(
        &self,
        s: &S,
    ) -> Result<Vec<BondedValidator>, ModuleError> {
        Ok(StakingRead::bonded_validators(s)
            .await?
            .into_iter()
            .map(|v| BondedValidator {
                operator: v.operator.0,
                operator_address: v.operator_address,
                tokens: v.tokens,
                delegator_shares: Dec(v.delegator_shares.0),
            })
            .collect())
    }

    async fn delegations<S: StateRead>(
        &self,
        s: &S,
        delegator: &[u8; 20],
    ) -> Result<Vec<DelegationView>, ModuleError> {
        Ok(s.delegator_delegations(&hub_auth::Address(*delegator))
            .await?
            .into_iter()
            .map(|d| DelegationView {
                validator: d.validator.0,
                shares: Dec(d.shares.0),
            })
            .collect())
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
