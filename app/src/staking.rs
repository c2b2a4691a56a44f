//! The staking module in the runtime: its bank capability and the double-sign evidence from
//! FinalizeBlock.

use hub_staking::{DoubleSignEvidence, Staking};
use tendermint::abci::types::{Misbehavior, MisbehaviorKind};

/// The staking module as this runtime composes it: the bank keeper is its capability.
pub type RuntimeStaking = Staking<hub_bank::Keeper>;

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
