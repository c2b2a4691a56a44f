//! Gov's view of staking in the runtime: [`StakingView`], the tally's view — bonded validators
//! and each voter's delegations, as the SDK's tally reads them through its staking keeper. The
//! rest of gov's capabilities (`HubGov`, the proposal router over the runtime's messages) is
//! in [`crate::runtime`], since proposals carry the runtime's own messages.

use hub_framework::{cnidarium::StateRead, ModuleError};
use hub_gov::{dec::Dec, BondedValidator, DelegationView, StakeView};
use hub_staking::StakingRead;

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
