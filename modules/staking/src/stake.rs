//! Token and share movements shared by the handlers and hooks: bonding, unbonding, maturing
//! unbonding entries, and moving a validator's tokens between the pools when its status
//! changes. Every token movement goes through [`StakingBank`], so `bonded_tokens_pool` holds
//! exactly the tokens of BONDED validators and `not_bonded_tokens_pool` those of the other
//! validators plus every unbonding entry.

use crate::address::to_valoper;
use crate::bank::{bonded_pool, not_bonded_pool, StakingBank};
use crate::dec::{shares_for_tokens, tokens_for_shares, Dec};
use crate::state::{delegation_shares, validator_operator, validator_shares, validator_tokens};
use crate::{events, state_key, StakingError, StakingRead, StakingWrite};
use cosmos_sdk_proto::cosmos::staking::v1beta1::{
    BondStatus, Delegation, UnbondingDelegation, UnbondingDelegationEntry, Validator,
};
use futures::StreamExt;
use hub_auth::Address;
use hub_framework::{
    cnidarium::StateWrite, BlockCtx, Handled, ModuleError, StateEventExt, StateReadProto,
};
use tendermint::Time;
use tendermint_proto::google::protobuf::Timestamp;

/// The pool holding a validator's tokens: bonded for BONDED validators, else not bonded.
pub(crate) fn pool_of(v: &Validator) -> Address {
    if v.status == BondStatus::Bonded as i32 {
        bonded_pool()
    } else {
        not_bonded_pool()
    }
}

/// The account prefix of a stored validator: its operator address's prefix without `valoper`.
pub(crate) fn account_hrp(operator_address: &str) -> Result<String, ModuleError> {
    let (hrp, _) = bech32::decode(operator_address)
        .map_err(|e| ModuleError::internal(format!("corrupt operator address: {e}")))?;
    hrp.as_str()
        .strip_suffix("valoper")
        .map(str::to_string)
        .ok_or_else(|| ModuleError::internal("operator address without valoper prefix"))
}

/// Nanoseconds since the Unix epoch of a block time (0 for times before the epoch).
pub(crate) fn time_ns(t: Time) -> u64 {
    u64::try_from(t.unix_timestamp_nanos()).unwrap_or(0)
}

fn timestamp(ns: u64) -> Timestamp {
    Timestamp {
        seconds: (ns / 1_000_000_000) as i64,
        nanos: (ns % 1_000_000_000) as i32,
    }
}

fn timestamp_ns(t: &Option<Timestamp>) -> u64 {
    t.as_ref()
        .map(|t| (t.seconds.max(0) as u64).saturating_mul(1_000_000_000) + t.nanos.max(0) as u64)
        .unwrap_or(0)
}

/// RFC 3339 form of `ns` since the epoch, for events.
pub(crate) fn rfc3339(ns: u64) -> String {
    Time::from_unix_timestamp((ns / 1_000_000_000) as i64, (ns % 1_000_000_000) as u32)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

/// Bonds `amount` tokens of `delegator` to the validator stored at `cons`: moves them from
/// the delegator to the validator's pool, issues shares at the current exchange rate
/// (SDK `Keeper.Delegate`), stores validator and delegation. Returns the issued shares.
///
/// With `from_account = false` the tokens are already in the not-bonded pool (genesis) and no
/// coins move. Errors: `sdk`/5 the delegator lacks the tokens, `staking`/34 the validator has
/// shares but no tokens, `staking`/101 overflow.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn delegate<S: StateWrite, B: StakingBank>(
    s: &mut S,
    bank: &B,
    hrp: &str,
    delegator: &Address,
    cons: &str,
    mut v: Validator,
    denom: &str,
    amount: u128,
) -> Result<Dec, ModuleError> {
    let operator = validator_operator(&v)?;
    let tokens = validator_tokens(&v)?;
    let total = validator_shares(&v)?;
    let issued = shares_for_tokens(amount, tokens, total).ok_or_else(|| {
        if total.0 > 0 && tokens == 0 {
            StakingError::InvalidExchangeRate(v.operator_address.clone())
        } else {
            StakingError::Overflow(format!("shares for {amount}{denom}"))
        }
    })?;
    let new_tokens = tokens
        .checked_add(amount)
        .ok_or_else(|| StakingError::Overflow("validator tokens".into()))?;
    let new_total = total
        .0
        .checked_add(issued.0)
        .ok_or_else(|| StakingError::Overflow("validator shares".into()))?;
    bank.send(s, delegator, &pool_of(&v), denom, amount, hrp)
        .await?;
    v.tokens = new_tokens.to_string();
    v.delegator_shares = Dec(new_total).to_string();
    s.put_validator(cons, &operator, &v);
    let held = match s.delegation(delegator, &operator).await? {
        Some(d) => delegation_shares(&d)?,
        None => Dec::ZERO,
    };
    let shares = Dec(held
        .0
        .checked_add(issued.0)
        .ok_or_else(|| StakingError::Overflow("delegation shares".into()))?);
    s.put_delegation(
        delegator,
        &operator,
        &Delegation {
            delegator_address: delegator.to_bech32(hrp),
            validator_address: v.operator_address.clone(),
            shares: shares.to_string(),
        },
    );
    Ok(issued)
}

/// Unbonds `amount` tokens of `delegator` from the validator run by `operator`
/// (SDK `Keeper.Undelegate`): removes the corresponding shares (rounded down), moves the
/// tokens they are worth from the bonded to the not-bonded pool if the validator is bonded,
/// and adds an unbonding entry completing at block time + `unbonding_time`. If the operator's
/// own remaining self-delegation falls below `min_self_delegation`, the validator is jailed.
///
/// Returns the tokens unbonding and the completion time (ns since the epoch).
///
/// Errors: `staking`/3 no validator, `staking`/19 no delegation, `staking`/24 more than the
/// delegation holds, `staking`/30 worth zero tokens, `staking`/27 too many entries.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn undelegate<S: StateWrite, B: StakingBank>(
    s: &mut S,
    bank: &B,
    block: &BlockCtx,
    hrp: &str,
    delegator: &Address,
    operator: &Address,
    denom: &str,
    amount: u128,
) -> Result<(u128, u64), ModuleError> {
    let (cons, mut v) = s.existing_validator(operator, hrp).await?;
    let params = s.staking_params().await?;
    let d = s.delegation(delegator, operator).await?.ok_or_else(|| {
        StakingError::NoDelegation(format!(
            "{} to {}",
            delegator.to_bech32(hrp),
            v.operator_address
        ))
    })?;
    let held = delegation_shares(&d)?;
    let tokens = validator_tokens(&v)?;
    let total = validator_shares(&v)?;
    let shares = shares_for_tokens(amount, tokens, total)
        .ok_or_else(|| StakingError::InvalidExchangeRate(v.operator_address.clone()))?;
    if shares > held {
        return Err(StakingError::NotEnoughDelegationShares(format!(
            "{amount}{denom} needs {shares} shares, the delegation holds {held}"
        ))
        .into());
    }
    let mut ubd = s
        .unbonding_delegation(delegator, operator)
        .await?
        .unwrap_or_else(|| UnbondingDelegation {
            delegator_address: delegator.to_bech32(hrp),
            validator_address: v.operator_address.clone(),
            entries: vec![],
        });
    if ubd.entries.len() >= params.max_entries as usize {
        return Err(StakingError::MaxUnbondingEntries.into());
    }
    // Remove the shares (SDK `RemoveDelShares`): the last shares take every remaining token.
    let remaining_total = Dec(total.0 - shares.0);
    let out = if remaining_total == Dec::ZERO {
        tokens
    } else {
        tokens_for_shares(shares, tokens, total)
    };
    if out == 0 {
        return Err(StakingError::TinyUnbondingAmount.into());
    }
    v.tokens = (tokens - out).to_string();
    v.delegator_shares = remaining_total.to_string();
    let left = Dec(held.0 - shares.0);
    s.put_delegation(
        delegator,
        operator,
        &Delegation {
            shares: left.to_string(),
            ..d
        },
    );
    if delegator == operator && !v.jailed {
        let self_tokens = tokens_for_shares(left, tokens - out, remaining_total);
        let min: u128 = v.min_self_delegation.parse().unwrap_or(0);
        if self_tokens < min {
            tracing::info!(validator = %v.operator_address, "self-delegation below minimum: jailed");
            v.jailed = true;
        }
    }
    if v.status == BondStatus::Bonded as i32 {
        bank.send(s, &bonded_pool(), &not_bonded_pool(), denom, out, hrp)
            .await?;
    }
    s.put_validator(&cons, operator, &v);
    let unbonding_ns = params
        .unbonding_time
        .as_ref()
        .map(|d| (d.seconds.max(0) as u64).saturating_mul(1_000_000_000) + d.nanos.max(0) as u64)
        .unwrap_or(0);
    let completion = time_ns(block.time).saturating_add(unbonding_ns);
    let id = s.take_unbonding_id().await?;
    ubd.entries.push(UnbondingDelegationEntry {
        creation_height: block.height as i64,
        completion_time: Some(timestamp(completion)),
        initial_balance: out.to_string(),
        balance: out.to_string(),
        unbonding_id: id,
        unbonding_on_hold_ref_count: 0,
    });
    s.put_unbonding_delegation(delegator, operator, &ubd);
    s.queue_unbonding(completion, delegator, operator);
    Ok((out, completion))
}

/// Pays out every unbonding entry whose completion time is ≤ the block time (SDK
/// `CompleteUnbonding`, run from `DequeueAllMatureUBDQueue`): its balance moves from the
/// not-bonded pool to the delegator, the entry is removed, `complete_unbonding` is emitted.
/// The queue is read in completion-time order and stops at the first future time.
pub(crate) async fn complete_mature_unbondings<S: StateWrite, B: StakingBank>(
    s: &mut S,
    bank: &B,
    block: &BlockCtx,
) -> Handled {
    let now = time_ns(block.time);
    let mut due = Vec::new();
    {
        let mut stream = std::pin::pin!(s.prefix_raw(state_key::UNBONDING_QUEUE_PREFIX));
        while let Some(item) = stream.next().await {
            let (key, _) = item.map_err(ModuleError::internal)?;
            let rest = &key[state_key::UNBONDING_QUEUE_PREFIX.len()..];
            let mut parts = rest.splitn(3, '/');
            let (Some(t), Some(del), Some(op)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(ModuleError::internal(format!(
                    "bad unbonding queue key {key}"
                )));
            };
            let t = u64::from_str_radix(t, 16).map_err(ModuleError::internal)?;
            if t > now {
                break;
            }
            due.push((key.clone(), del.to_string(), op.to_string()));
        }
    }
    let denom = if due.is_empty() {
        return Ok(());
    } else {
        s.staking_params().await?.bond_denom
    };
    for (queue_key, del, op) in due {
        s.delete(queue_key);
        let ubd_key = state_key::unbonding_delegation(&del, &op);
        let Some(mut ubd): Option<UnbondingDelegation> = s.get_proto(&ubd_key).await? else {
            continue;
        };
        let delegator = decode_hex_address(&del)?;
        let hrp = account_hrp(&ubd.validator_address)?;
        let mut paid: u128 = 0;
        let mut kept = Vec::with_capacity(ubd.entries.len());
        for e in std::mem::take(&mut ubd.entries) {
            if timestamp_ns(&e.completion_time) <= now {
                paid = paid.saturating_add(e.balance.parse::<u128>().unwrap_or(0));
            } else {
                kept.push(e);
            }
        }
        ubd.entries = kept;
        if paid > 0 {
            bank.send(s, &not_bonded_pool(), &delegator, &denom, paid, &hrp)
                .await?;
        }
        s.emit(&events::CompleteUnbonding {
            validator: ubd.validator_address.clone(),
            delegator: ubd.delegator_address.clone(),
            amount: format!("{paid}{denom}"),
        });
        let operator = decode_hex_address(&op)?;
        s.put_unbonding_delegation(&delegator, &operator, &ubd);
    }
    Ok(())
}

fn decode_hex_address(h: &str) -> Result<Address, ModuleError> {
    let bytes = hex::decode(h).map_err(ModuleError::internal)?;
    <[u8; 20]>::try_from(bytes.as_slice())
        .map(Address)
        .map_err(|_| ModuleError::internal(format!("bad address {h} in a key")))
}

/// Changes a validator's status, moving its tokens to the pool of the new status.
pub(crate) async fn set_status<S: StateWrite, B: StakingBank>(
    s: &mut S,
    bank: &B,
    cons: &str,
    mut v: Validator,
    status: BondStatus,
    block_height: u64,
    block_time_ns: u64,
) -> Result<Validator, ModuleError> {
    if v.status == status as i32 {
        return Ok(v);
    }
    let from = pool_of(&v);
    let operator = validator_operator(&v)?;
    v.status = status as i32;
    if status != BondStatus::Bonded {
        v.unbonding_height = block_height as i64;
        v.unbonding_time = Some(timestamp(block_time_ns));
    }
    let to = pool_of(&v);
    let tokens = validator_tokens(&v)?;
    if tokens > 0 && from != to {
        let denom = s.staking_params().await?.bond_denom;
        let hrp = account_hrp(&v.operator_address)?;
        bank.send(s, &from, &to, &denom, tokens, &hrp).await?;
    }
    s.put_validator(cons, &operator, &v);
    Ok(v)
}

/// The operator address of a validator as it appears in errors and events.
pub(crate) fn valoper(operator: &Address, hrp: &str) -> String {
    to_valoper(operator, hrp)
}
