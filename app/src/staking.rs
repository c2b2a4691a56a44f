//! The staking module in the runtime: its bank adapter and the double-sign evidence from
//! FinalizeBlock.

use hub_auth::Address;
use hub_bank::{BankRead, BankWrite, Coin, Coins};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    ModuleError,
};
use hub_staking::{DoubleSignEvidence, Staking, StakingBank};
use tendermint::abci::types::{Misbehavior, MisbehaviorKind};

/// [`StakingBank`] over the `hub-bank` module (substore `bank`).
#[derive(Clone, Copy, Debug, Default)]
pub struct StakingBankAdapter;

/// The staking module as this runtime composes it.
pub type RuntimeStaking = Staking<StakingBankAdapter>;

fn coin(denom: &str, amount: u128) -> Coin {
    Coin {
        denom: denom.to_string(),
        amount,
    }
}

impl StakingBank for StakingBankAdapter {
    async fn balance<S: StateRead>(
        &self,
        s: &S,
        addr: &Address,
        denom: &str,
    ) -> Result<u128, ModuleError> {
        s.balance(addr, denom).await
    }

    async fn send<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        to: &Address,
        denom: &str,
        amount: u128,
        hrp: &str,
    ) -> Result<(), ModuleError> {
        s.send_coins(from, to, &Coins(vec![coin(denom, amount)]), hrp)
            .await
    }

    async fn mint<S: StateWrite>(
        &self,
        s: &mut S,
        to: &Address,
        denom: &str,
        amount: u128,
    ) -> Result<(), ModuleError> {
        s.mint(to, &coin(denom, amount)).await
    }

    async fn burn<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        denom: &str,
        amount: u128,
    ) -> Result<(), ModuleError> {
        BankWrite::burn(s, from, &coin(denom, amount)).await
    }
}

/// The double-sign evidence in a FinalizeBlock request: every `DUPLICATE_VOTE` misbehaviour,
/// in request order (`LIGHT_CLIENT_ATTACK` and unknown kinds are skipped).
pub fn double_sign_evidence(misbehavior: &[Misbehavior]) -> Vec<DoubleSignEvidence> {
    misbehavior
        .iter()
        .filter(|m| m.kind == MisbehaviorKind::DuplicateVote)
        .map(|m| DoubleSignEvidence {
            consensus_address: m.validator.address,
            infraction_height: m.height.value(),
            time: m.time,
            power: m.validator.power.value(),
        })
        .collect()
}
