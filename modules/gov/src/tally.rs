//! The tally of a proposal by bonded stake, as cosmos-sdk v0.50 `x/gov/keeper/tally.go`.
//!
//! 1. Every bonded validator starts with its tokens, delegator shares, no deductions, no vote.
//! 2. For each vote (voter order): if the voter is a validator's operator account, that is the
//!    validator's vote. For each delegation of the voter to a bonded validator, the delegator
//!    votes with `shares × tokens / delegator_shares` of that validator, split by its weights,
//!    and the shares are deducted from the validator.
//! 3. Each validator that voted votes with the power of its remaining shares.
//! 4. Quorum: voting power / total bonded ≥ `quorum` (else rejected; deposits burned if
//!    `burn_vote_quorum`). No non-abstain power: rejected. Veto: no_with_veto / all voting
//!    power above `veto_threshold` (rejected, deposits burned if `burn_vote_veto`). Pass:
//!    yes / non-abstain above `threshold`.
//!
//! Arithmetic is 18-decimal fixed point ([`Dec`]), rounding half to even; the reported counts
//! are truncated to integers as the SDK's `TallyResult`.

use crate::{
    capability::StakeView,
    dec::{mul_div_round, Dec, PRECISION},
    params::ParsedParams,
    state_key,
};
use cosmos_sdk_proto::cosmos::gov::v1::{TallyResult, Vote, VoteOption};
use hub_framework::{cnidarium::StateRead, Handled, ModuleError, StateReadProto};
use std::collections::BTreeMap;

/// The outcome of a tally.
#[derive(Clone, Debug, PartialEq)]
pub struct TallyOutcome {
    /// Whether the proposal passes.
    pub passes: bool,
    /// Whether its deposits are burned (quorum not reached with `burn_vote_quorum`, or veto
    /// with `burn_vote_veto`).
    pub burn_deposits: bool,
    /// Counts per option, in tokens (integers).
    pub result: TallyResult,
    /// Why, in words (for the `proposal_log` attribute).
    pub reason: String,
}

/// A tally of zero votes (the SDK's `EmptyTallyResult`).
pub fn empty_tally() -> TallyResult {
    TallyResult {
        yes_count: "0".into(),
        abstain_count: "0".into(),
        no_count: "0".into(),
        no_with_veto_count: "0".into(),
    }
}

struct ValState {
    tokens_dec: u128,
    shares: Dec,
    deductions: Dec,
    vote: Option<Vec<(usize, Dec)>>,
}

fn overflow() -> ModuleError {
    ModuleError::internal("tally overflow")
}

/// Parses the options of a stored vote into `(option index 1..=4, weight)`.
fn options_of(v: &Vote) -> Result<Vec<(usize, Dec)>, ModuleError> {
    v.options
        .iter()
        .map(|o| {
            let idx = usize::try_from(o.option)
                .ok()
                .filter(|i| (1..=4).contains(i))
                .ok_or_else(|| ModuleError::internal("stored vote option out of range"))?;
            let w = Dec::parse(&o.weight).map_err(ModuleError::internal)?;
            Ok((idx, w))
        })
        .collect()
}

/// Tallies the votes of proposal `id` on `s` without changing anything (the caller deletes the
/// votes when the voting period ends).
///
/// Cost: one scan of the bonded validators, one prefix scan of the votes and, per vote, one
/// read per delegation of the voter — O(votes + validators + delegations of voters), no
/// per-vote validator scan. The quorum denominator is the sum of the bonded validators'
/// tokens read in that one scan (the SDK's bonded pool).
///
/// Errors: internal, on unreadable state or arithmetic beyond 2^128 (more than about
/// 3.4 × 10^20 base units of voting power in total); the end-block hook turns either into a
/// FAILED proposal.
pub async fn tally<S: StateRead, V: StakeView>(
    s: &S,
    stake: &V,
    params: &ParsedParams,
    id: u64,
) -> Result<TallyOutcome, ModuleError> {
    let mut vals: BTreeMap<[u8; 20], ValState> = BTreeMap::new();
    let mut bonded: u128 = 0;
    for v in stake.bonded_validators(s).await? {
        bonded = bonded.checked_add(v.tokens).ok_or_else(overflow)?;
        vals.insert(
            v.operator,
            ValState {
                tokens_dec: v.tokens.checked_mul(PRECISION).ok_or_else(overflow)?,
                shares: v.delegator_shares,
                deductions: Dec::ZERO,
                vote: None,
            },
        );
    }
    let mut results = [Dec::ZERO; 5];
    let mut total = Dec::ZERO;
    let add =
        |results: &mut [Dec; 5], total: &mut Dec, power: Dec, opts: &[(usize, Dec)]| -> Handled {
            for (o, w) in opts {
                let sub = power.checked_mul(*w).ok_or_else(overflow)?;
                results[*o] = results[*o].checked_add(sub).ok_or_else(overflow)?;
            }
            *total = total.checked_add(power).ok_or_else(overflow)?;
            Ok(())
        };
    let prefix = state_key::votes_of(id);
    for (key, value) in s.prefix_raw_vec(&prefix).await? {
        let vote: Vote = prost::Message::decode(value.as_slice())
            .map_err(|e| ModuleError::internal(format!("corrupt vote at {key}: {e}")))?;
        let voter: [u8; 20] = hex::decode(&key[prefix.len()..])
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| ModuleError::internal(format!("corrupt vote key {key}")))?;
        let opts = options_of(&vote)?;
        if let Some(v) = vals.get_mut(&voter) {
            v.vote = Some(opts.clone());
        }
        for d in stake.delegations(s, &voter).await? {
            let Some(v) = vals.get_mut(&d.validator) else {
                continue;
            };
            if v.shares == Dec::ZERO {
                continue;
            }
            v.deductions = v.deductions.checked_add(d.shares).ok_or_else(overflow)?;
            let power =
                Dec(mul_div_round(d.shares.0, v.tokens_dec, v.shares.0).ok_or_else(overflow)?);
            add(&mut results, &mut total, power, &opts)?;
        }
    }
    for v in vals.values() {
        let Some(opts) = &v.vote else { continue };
        if v.shares == Dec::ZERO {
            continue;
        }
        let after = v.shares.saturating_sub(v.deductions);
        let power = Dec(mul_div_round(after.0, v.tokens_dec, v.shares.0).ok_or_else(overflow)?);
        add(&mut results, &mut total, power, opts)?;
    }
    let result = TallyResult {
        yes_count: results[VoteOption::Yes as usize].truncate().to_string(),
        abstain_count: results[VoteOption::Abstain as usize].truncate().to_string(),
        no_count: results[VoteOption::No as usize].truncate().to_string(),
        no_with_veto_count: results[VoteOption::NoWithVeto as usize]
            .truncate()
            .to_string(),
    };
    let outcome = |passes, burn_deposits, reason: String| TallyOutcome {
        passes,
        burn_deposits,
        result: result.clone(),
        reason,
    };
    if bonded == 0 {
        return Ok(outcome(false, false, "no bonded tokens".into()));
    }
    let bonded_dec = Dec::from_int(bonded).ok_or_else(overflow)?;
    let turnout = total.checked_quo(bonded_dec).ok_or_else(overflow)?;
    if turnout < params.quorum {
        return Ok(outcome(
            false,
            params.proto.burn_vote_quorum,
            format!(
                "quorum not reached: {turnout} of bonded stake voted, {} needed",
                params.quorum
            ),
        ));
    }
    let abstain = results[VoteOption::Abstain as usize];
    let non_abstain = total.saturating_sub(abstain);
    if non_abstain == Dec::ZERO {
        return Ok(outcome(false, false, "every vote abstained".into()));
    }
    let veto = results[VoteOption::NoWithVeto as usize]
        .checked_quo(total)
        .ok_or_else(overflow)?;
    if veto > params.veto_threshold {
        return Ok(outcome(
            false,
            params.proto.burn_vote_veto,
            format!(
                "vetoed: {veto} no_with_veto above {}",
                params.veto_threshold
            ),
        ));
    }
    let yes = results[VoteOption::Yes as usize]
        .checked_quo(non_abstain)
        .ok_or_else(overflow)?;
    if yes > params.threshold {
        return Ok(outcome(
            true,
            false,
            format!("passed: {yes} yes above {}", params.threshold),
        ));
    }
    Ok(outcome(
        false,
        false,
        format!("rejected: {yes} yes, above {} needed", params.threshold),
    ))
}

/// The live tally for queries: the votes so far counted as if the voting period ended now.
pub async fn live_tally<S: StateRead, V: StakeView>(
    s: &S,
    stake: &V,
    params: &ParsedParams,
    id: u64,
) -> Result<TallyResult, ModuleError> {
    Ok(tally(s, stake, params, id).await?.result)
}

/// Whether `s` has any vote on `id` (used by the proposals query's voter filter).
pub async fn has_vote<S: StateRead>(s: &S, id: u64, voter_hex: &str) -> Result<bool, ModuleError> {
    Ok(
        s.get_raw(&format!("{}{voter_hex}", state_key::votes_of(id)))
            .await
            .map_err(ModuleError::internal)?
            .is_some(),
    )
}
