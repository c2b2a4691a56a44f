//! Queries of `cosmos.staking.v1beta1.Query`, served over gRPC and gRPC-over-ABCI.
//!
//! `Query/Params` must also answer over `abci_query`: Hermes reads `unbonding_time` and
//! `historical_entries` that way to build client states of this chain. Lists are answered in
//! one page (`pagination.total` set, no `next_key`). Addresses are bech32 with the chain's
//! prefix `hrp` (`hub1…` delegators, `hubvaloper1…` validators).

use crate::address::from_valoper;
use crate::dec::tokens_for_shares;
use crate::state::{delegation_shares, validator_shares, validator_tokens};
use crate::StakingRead;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageResponse;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use cosmos_sdk_proto::cosmos::staking::v1beta1::*;
use hub_auth::Address;
use hub_framework::{cnidarium::StateRead, ModuleError, SdkError};

fn page(total: usize) -> Option<PageResponse> {
    Some(PageResponse {
        next_key: vec![],
        total: total as u64,
    })
}

fn field<T>(r: Result<T, SdkError>, name: &str) -> Result<T, ModuleError> {
    r.map_err(|e| {
        let mut m: ModuleError = e.into();
        m.log = format!("{name}: {}", m.log);
        m
    })
}

/// `Query/Params`.
pub async fn params<S: StateRead>(
    s: &S,
    _req: &QueryParamsRequest,
) -> Result<QueryParamsResponse, ModuleError> {
    Ok(QueryParamsResponse {
        params: Some(s.staking_params().await?),
    })
}

/// `Query/Validators`: every validator, filtered by `status` (`BOND_STATUS_BONDED`,
/// `BOND_STATUS_UNBONDED`, …) if given, in consensus-address order.
///
/// Errors: `sdk`/18 for an unknown status name.
pub async fn validators<S: StateRead>(
    s: &S,
    req: &QueryValidatorsRequest,
) -> Result<QueryValidatorsResponse, ModuleError> {
    let wanted = if req.status.is_empty() {
        None
    } else {
        Some(BondStatus::from_str_name(&req.status).ok_or_else(|| {
            SdkError::InvalidRequest(format!("invalid validator status {:?}", req.status))
        })? as i32)
    };
    let vals: Vec<Validator> = s
        .validators()
        .await?
        .into_iter()
        .filter(|v| wanted.is_none_or(|w| v.status == w))
        .collect();
    Ok(QueryValidatorsResponse {
        pagination: page(vals.len()),
        validators: vals,
    })
}

async fn validator_of<S: StateRead>(
    s: &S,
    addr: &str,
    hrp: &str,
) -> Result<(Address, Validator), ModuleError> {
    let op = field(from_valoper(addr, hrp), "validator_addr")?;
    let (_, v) = s
        .validator_by_operator(&op)
        .await?
        .ok_or_else(|| SdkError::NotFound(format!("validator {addr} not found")))?;
    Ok((op, v))
}

/// `Query/Validator`. Errors: `sdk`/7 bad address, `sdk`/38 no such validator.
pub async fn validator<S: StateRead>(
    s: &S,
    req: &QueryValidatorRequest,
    hrp: &str,
) -> Result<QueryValidatorResponse, ModuleError> {
    let (_, v) = validator_of(s, &req.validator_addr, hrp).await?;
    Ok(QueryValidatorResponse { validator: Some(v) })
}

/// A delegation with its token balance (shares × tokens / total shares, rounded down).
async fn with_balance<S: StateRead>(
    s: &S,
    d: Delegation,
    hrp: &str,
) -> Result<DelegationResponse, ModuleError> {
    let denom = s.staking_params().await?.bond_denom;
    let op = field(from_valoper(&d.validator_address, hrp), "validator_address")?;
    let amount = match s.validator_by_operator(&op).await? {
        Some((_, v)) => tokens_for_shares(
            delegation_shares(&d)?,
            validator_tokens(&v)?,
            validator_shares(&v)?,
        ),
        None => 0,
    };
    Ok(DelegationResponse {
        delegation: Some(d),
        balance: Some(Coin {
            denom,
            amount: amount.to_string(),
        }),
    })
}

/// `Query/ValidatorDelegations`: every delegation to a validator, by delegator address.
///
/// Errors: `sdk`/7 bad address, `sdk`/38 no such validator.
pub async fn validator_delegations<S: StateRead>(
    s: &S,
    req: &QueryValidatorDelegationsRequest,
    hrp: &str,
) -> Result<QueryValidatorDelegationsResponse, ModuleError> {
    let (op, _) = validator_of(s, &req.validator_addr, hrp).await?;
    let mut out = Vec::new();
    for d in s.delegations_to(&op).await? {
        out.push(with_balance(s, d, hrp).await?);
    }
    Ok(QueryValidatorDelegationsResponse {
        pagination: page(out.len()),
        delegation_responses: out,
    })
}

/// `Query/Delegation`. Errors: `sdk`/7 bad address, `sdk`/38 no such delegation.
pub async fn delegation<S: StateRead>(
    s: &S,
    req: &QueryDelegationRequest,
    hrp: &str,
) -> Result<QueryDelegationResponse, ModuleError> {
    let del = field(
        Address::from_bech32(&req.delegator_addr, hrp),
        "delegator_addr",
    )?;
    let op = field(from_valoper(&req.validator_addr, hrp), "validator_addr")?;
    let d = s.delegation(&del, &op).await?.ok_or_else(|| {
        SdkError::NotFound(format!(
            "delegation with delegator {} not found for validator {}",
            req.delegator_addr, req.validator_addr
        ))
    })?;
    Ok(QueryDelegationResponse {
        delegation_response: Some(with_balance(s, d, hrp).await?),
    })
}

/// `Query/DelegatorDelegations`: every delegation of a delegator, by validator address.
///
/// Errors: `sdk`/7 bad address.
pub async fn delegator_delegations<S: StateRead>(
    s: &S,
    req: &QueryDelegatorDelegationsRequest,
    hrp: &str,
) -> Result<QueryDelegatorDelegationsResponse, ModuleError> {
    let del = field(
        Address::from_bech32(&req.delegator_addr, hrp),
        "delegator_addr",
    )?;
    let mut out = Vec::new();
    for d in s.delegations_of(&del).await? {
        out.push(with_balance(s, d, hrp).await?);
    }
    Ok(QueryDelegatorDelegationsResponse {
        pagination: page(out.len()),
        delegation_responses: out,
    })
}

/// `Query/UnbondingDelegation`. Errors: `sdk`/7 bad address, `sdk`/38 none.
pub async fn unbonding_delegation<S: StateRead>(
    s: &S,
    req: &QueryUnbondingDelegationRequest,
    hrp: &str,
) -> Result<QueryUnbondingDelegationResponse, ModuleError> {
    let del = field(
        Address::from_bech32(&req.delegator_addr, hrp),
        "delegator_addr",
    )?;
    let op = field(from_valoper(&req.validator_addr, hrp), "validator_addr")?;
    let u = s.unbonding_delegation(&del, &op).await?.ok_or_else(|| {
        SdkError::NotFound(format!(
            "unbonding delegation with delegator {} not found for validator {}",
            req.delegator_addr, req.validator_addr
        ))
    })?;
    Ok(QueryUnbondingDelegationResponse { unbond: Some(u) })
}

/// `Query/DelegatorUnbondingDelegations`. Errors: `sdk`/7 bad address.
pub async fn delegator_unbonding_delegations<S: StateRead>(
    s: &S,
    req: &QueryDelegatorUnbondingDelegationsRequest,
    hrp: &str,
) -> Result<QueryDelegatorUnbondingDelegationsResponse, ModuleError> {
    let del = field(
        Address::from_bech32(&req.delegator_addr, hrp),
        "delegator_addr",
    )?;
    let out = s.unbonding_delegations_of(&del).await?;
    Ok(QueryDelegatorUnbondingDelegationsResponse {
        pagination: page(out.len()),
        unbonding_responses: out,
    })
}

/// `Query/Pool`: bonded tokens (of BONDED validators) and not-bonded tokens (of the other
/// validators plus every unbonding entry), which are the balances of the two pool accounts.
pub async fn pool<S: StateRead>(
    s: &S,
    _req: &QueryPoolRequest,
) -> Result<QueryPoolResponse, ModuleError> {
    let (mut bonded, mut not_bonded) = (0u128, 0u128);
    for v in s.validators().await? {
        let t = validator_tokens(&v)?;
        if v.status == BondStatus::Bonded as i32 {
            bonded = bonded.saturating_add(t);
        } else {
            not_bonded = not_bonded.saturating_add(t);
        }
    }
    for (key, value) in hub_framework::StateReadProto::prefix_raw_vec(
        s,
        crate::state_key::UNBONDING_DELEGATIONS_PREFIX,
    )
    .await?
    {
        let u = <UnbondingDelegation as prost::Message>::decode(value.as_slice())
            .map_err(|e| ModuleError::internal(format!("corrupt value at {key}: {e}")))?;
        for e in u.entries {
            not_bonded = not_bonded.saturating_add(e.balance.parse().unwrap_or(0));
        }
    }
    Ok(QueryPoolResponse {
        pool: Some(Pool {
            not_bonded_tokens: not_bonded.to_string(),
            bonded_tokens: bonded.to_string(),
        }),
    })
}
