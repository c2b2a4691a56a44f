//! The active validator set and the updates reported to CometBFT (SDK
//! `ApplyAndReturnValidatorSetUpdates`, simplified: validators go straight from BONDED to
//! UNBONDED, without the SDK's UNBONDING validator state).

use crate::bank::StakingBank;
use crate::stake::{set_status, time_ns};
use crate::state::validator_tokens;
use crate::{StakingRead, StakingWrite, POWER_REDUCTION};
use cosmos_sdk_proto::cosmos::staking::v1beta1::{BondStatus, Validator};
use hub_framework::{cnidarium::StateWrite, ModuleError, ValidatorUpdate};
use prost::Message;
use std::collections::BTreeMap;
use tendermint::Time;

/// CometBFT's `MaxTotalVotingPower` (`i64::MAX / 8`): the sum of all powers must stay below it.
const MAX_TOTAL_VOTING_POWER: u64 = (i64::MAX / 8) as u64;

/// The ed25519 consensus key of a stored validator. Errors: internal (only this module writes it).
pub fn consensus_key(v: &Validator) -> Result<[u8; 32], ModuleError> {
    let any = v.consensus_pubkey.clone().unwrap_or_default();
    let key = cosmos_sdk_proto::cosmos::crypto::ed25519::PubKey::decode(any.value.as_slice())
        .map_err(ModuleError::internal)?
        .key;
    key.as_slice().try_into().map_err(ModuleError::internal)
}

/// The CometBFT power of `tokens`: `tokens / 10^6`, capped so that `max_validators` validators
/// together stay below CometBFT's maximum total power.
pub fn power_of(tokens: u128, max_validators: u32) -> u64 {
    let cap = MAX_TOTAL_VOTING_POWER / u64::from(max_validators.max(1));
    u64::try_from(tokens / POWER_REDUCTION)
        .unwrap_or(u64::MAX)
        .min(cap)
}

/// Recomputes the active set and returns the changes against the set last reported.
///
/// The active set is the top `max_validators` validators that are not jailed and have a power
/// of at least 1, by tokens descending, ties broken by consensus address ascending. Each member
/// becomes BONDED (tokens move to the bonded pool), every other validator UNBONDED (tokens move
/// to the not-bonded pool). An update is returned for each validator whose power differs from
/// the stored last power, power 0 for one that left; the last powers are then stored.
///
/// If the new set would be empty, nothing changes and no update is returned: CometBFT cannot
/// run without validators, so the chain keeps its last set (logged as an error).
pub async fn apply_validator_set<S: StateWrite, B: StakingBank>(
    s: &mut S,
    bank: &B,
    height: u64,
    time: Time,
) -> Result<Vec<ValidatorUpdate>, ModuleError> {
    let params = s.staking_params().await?;
    let validators = s.validators_with_cons().await?;
    let mut candidates: Vec<(u128, String)> = Vec::new();
    for (cons, v) in &validators {
        let tokens = validator_tokens(v)?;
        if !v.jailed && power_of(tokens, params.max_validators) >= 1 {
            candidates.push((tokens, cons.clone()));
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    candidates.truncate(params.max_validators as usize);
    if candidates.is_empty() {
        tracing::error!("no validator is eligible for the active set; keeping the last set");
        return Ok(Vec::new());
    }
    let new: BTreeMap<String, u64> = candidates
        .into_iter()
        .map(|(t, c)| (c, power_of(t, params.max_validators)))
        .collect();
    let last: BTreeMap<String, u64> = s.last_powers().await?.into_iter().collect();
    let now_ns = time_ns(time);
    let mut updates = Vec::new();
    for (cons, v) in validators {
        let was = last.get(&cons).copied();
        let now = new.get(&cons).copied();
        let key = consensus_key(&v)?;
        match now {
            Some(power) => {
                if was != Some(power) {
                    updates.push(ValidatorUpdate {
                        pub_key: key,
                        power,
                    });
                    s.put_last_power(&cons, power);
                }
                set_status(s, bank, &cons, v, BondStatus::Bonded, height, now_ns).await?;
            }
            None => {
                if was.is_some() {
                    updates.push(ValidatorUpdate {
                        pub_key: key,
                        power: 0,
                    });
                    s.put_last_power(&cons, 0);
                }
                if v.status == BondStatus::Bonded as i32 {
                    set_status(s, bank, &cons, v, BondStatus::Unbonded, height, now_ns).await?;
                }
            }
        }
    }
    Ok(updates)
}

/// The set last reported to CometBFT as updates (the InitChain response), in consensus-address
/// order.
pub async fn last_validator_updates<S: hub_framework::cnidarium::StateRead>(
    s: &S,
) -> Result<Vec<ValidatorUpdate>, ModuleError> {
    let mut out = Vec::new();
    for (cons, power) in s.last_powers().await? {
        let v = s.validator(&cons).await?.ok_or_else(|| {
            ModuleError::internal(format!("last power of unknown validator {cons}"))
        })?;
        out.push(ValidatorUpdate {
            pub_key: consensus_key(&v)?,
            power,
        });
    }
    Ok(out)
}
