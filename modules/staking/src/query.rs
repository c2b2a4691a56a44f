//! Queries of `cosmos.staking.v1beta1.Query`, served over gRPC and gRPC-over-ABCI.
//!
//! `Query/Params` must also answer over `abci_query`: Hermes reads `unbonding_time` and
//! `historical_entries` that way to build client states of this chain. Addresses are bech32
//! with the chain's prefix `hrp` (`hub1…` delegators, `hubvaloper1…` validators).
//!
//! Lists are paginated like the Cosmos SDK's `query.Paginate` ([`hub_framework::paginate`]):
//! the request's `pagination` (`key` or `offset`, `limit`: 0 = 100 and count the total, at most
//! [`hub_framework::MAX_LIMIT`] = 1000, `count_total`, `reverse`); `next_key` is empty on the
//! last page. Page keys are the hex address the list is ordered by: the consensus address
//! (validators), the delegator's (a validator's delegations) or the operator's (a delegator's
//! delegations and unbonding delegations).

use crate::address::from_valoper;
use crate::dec::tokens_for_shares;
use crate::state::{delegation_shares, validator_shares, validator_tokens};
use crate::StakingRead;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use cosmos_sdk_proto::cosmos::staking::v1beta1::*;
use hub_auth::Address;
use hub_framework::{cnidarium::StateRead, paginate, ModuleError, SdkError};

/// The page that `req` asks for of `(hex address, item)` rows (the address's bytes are the
/// page key), and its `PageResponse`. Errors: `sdk`/18 if both `key` and `offset` are set.
fn page<T>(
    rows: Vec<(String, T)>,
    req: Option<&PageRequest>,
) -> Result<(Vec<T>, Option<PageResponse>), ModuleError> {
    let rows = rows.into_iter().map(|(k, t)| (k.into_bytes(), t)).collect();
    let (items, p) = paginate(rows, req)?;
    Ok((items, Some(p)))
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
/// `BOND_STATUS_UNBONDED`, …) if given, in consensus-address order, paginated (the filter
/// applies before paging; `total` counts the matching validators).
///
/// Errors: `sdk`/18 for an unknown status name or both `key` and `offset` set.
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
    let rows = s
        .validators_with_cons()
        .await?
        .into_iter()
        .filter(|(_, v)| wanted.is_none_or(|w| v.status == w))
        .collect();
    let (validators, pagination) = page(rows, req.pagination.as_ref())?;
    Ok(QueryValidatorsResponse {
        validators,
        pagination,
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

/// `Query/ValidatorDelegations`: the delegations to a validator, by delegator address,
/// paginated; balances are computed for the page only.
///
/// Errors: `sdk`/7 bad address, `sdk`/38 no such validator, `sdk`/18 both `key` and `offset`
/// set.
pub async fn validator_delegations<S: StateRead>(
    s: &S,
    req: &QueryValidatorDelegationsRequest,
    hrp: &str,
) -> Result<QueryValidatorDelegationsResponse, ModuleError> {
    let (op, _) = validator_of(s, &req.validator_addr, hrp).await?;
    let rows = s.delegations_to_with_delegators(&op).await?;
    let (delegations, pagination) = page(rows, req.pagination.as_ref())?;
    let mut out = Vec::with_capacity(delegations.len());
    for d in delegations {
        out.push(with_balance(s, d, hrp).await?);
    }
    Ok(QueryValidatorDelegationsResponse {
        delegation_responses: out,
        pagination,
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

/// `Query/DelegatorDelegations`: the delegations of a delegator, by validator operator
/// address, paginated; balances are computed for the page only.
///
/// Errors: `sdk`/7 bad address, `sdk`/18 both `key` and `offset` set.
pub async fn delegator_delegations<S: StateRead>(
    s: &S,
    req: &QueryDelegatorDelegationsRequest,
    hrp: &str,
) -> Result<QueryDelegatorDelegationsResponse, ModuleError> {
    let del = field(
        Address::from_bech32(&req.delegator_addr, hrp),
        "delegator_addr",
    )?;
    let rows = s.delegations_of_with_operators(&del).await?;
    let (delegations, pagination) = page(rows, req.pagination.as_ref())?;
    let mut out = Vec::with_capacity(delegations.len());
    for d in delegations {
        out.push(with_balance(s, d, hrp).await?);
    }
    Ok(QueryDelegatorDelegationsResponse {
        delegation_responses: out,
        pagination,
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

/// `Query/DelegatorUnbondingDelegations`: the unbonding delegations of a delegator, by
/// validator operator address, paginated.
///
/// Errors: `sdk`/7 bad address, `sdk`/18 both `key` and `offset` set.
pub async fn delegator_unbonding_delegations<S: StateRead>(
    s: &S,
    req: &QueryDelegatorUnbondingDelegationsRequest,
    hrp: &str,
) -> Result<QueryDelegatorUnbondingDelegationsResponse, ModuleError> {
    let del = field(
        Address::from_bech32(&req.delegator_addr, hrp),
        "delegator_addr",
    )?;
    let rows = s.unbonding_delegations_of_with_operators(&del).await?;
    let (unbonding_responses, pagination) = page(rows, req.pagination.as_ref())?;
    Ok(QueryDelegatorUnbondingDelegationsResponse {
        unbonding_responses,
        pagination,
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

/// The service this module answers.
pub const SERVICE: &str = "/cosmos.staking.v1beta1.Query/";

hub_framework::query_service! {
    /// Staking's [`ModuleQuery`](hub_framework::route::ModuleQuery): [`SERVICE`] and its route table.
    Queries, |s, ctx| {
        "Params"(r: QueryParamsRequest) -> QueryParamsResponse {
            params(s, &r).await
        }
        "Pool"(r: QueryPoolRequest) -> QueryPoolResponse {
            pool(s, &r).await
        }
        "Validators"(r: QueryValidatorsRequest) -> QueryValidatorsResponse {
            validators(s, &r).await
        }
        "Validator"(r: QueryValidatorRequest) -> QueryValidatorResponse {
            validator(s, &r, ctx.hrp).await
        }
        "ValidatorDelegations"(r: QueryValidatorDelegationsRequest) -> QueryValidatorDelegationsResponse {
            validator_delegations(s, &r, ctx.hrp).await
        }
        "Delegation"(r: QueryDelegationRequest) -> QueryDelegationResponse {
            delegation(s, &r, ctx.hrp).await
        }
        "DelegatorDelegations"(r: QueryDelegatorDelegationsRequest) -> QueryDelegatorDelegationsResponse {
            delegator_delegations(s, &r, ctx.hrp).await
        }
        "UnbondingDelegation"(r: QueryUnbondingDelegationRequest) -> QueryUnbondingDelegationResponse {
            unbonding_delegation(s, &r, ctx.hrp).await
        }
        "DelegatorUnbondingDelegations"(r: QueryDelegatorUnbondingDelegationsRequest) -> QueryDelegatorUnbondingDelegationsResponse {
            delegator_unbonding_delegations(s, &r, ctx.hrp).await
        }
    }
}
