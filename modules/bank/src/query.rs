//! Queries of `cosmos.bank.v1beta1.Query`, served over gRPC and gRPC-over-ABCI.

use crate::{validate_denom, BankRead, Coin};
use cosmos_sdk_proto::cosmos::bank::v1beta1::*;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageResponse;
use hub_auth::Address;
use hub_framework::{cnidarium::StateRead, ModuleError};

/// `Query/Balance`: one denom of one address (0 if none).
///
/// Errors: `sdk`/7 bad address, `sdk`/10 bad denom.
pub async fn balance<S: StateRead>(
    s: &S,
    req: &QueryBalanceRequest,
    hrp: &str,
) -> Result<QueryBalanceResponse, ModuleError> {
    let addr = Address::from_bech32(&req.address, hrp)?;
    validate_denom(&req.denom)?;
    let amount = s.balance(&addr, &req.denom).await?;
    Ok(QueryBalanceResponse {
        balance: Some(
            Coin {
                denom: req.denom.clone(),
                amount,
            }
            .to_proto(),
        ),
    })
}

/// `Query/AllBalances`: every non-zero balance of an address, sorted by denom, in one page.
///
/// Errors: `sdk`/7 bad address.
pub async fn all_balances<S: StateRead>(
    s: &S,
    req: &QueryAllBalancesRequest,
    hrp: &str,
) -> Result<QueryAllBalancesResponse, ModuleError> {
    let addr = Address::from_bech32(&req.address, hrp)?;
    let coins = s.all_balances(&addr).await?;
    Ok(QueryAllBalancesResponse {
        pagination: Some(PageResponse {
            next_key: vec![],
            total: coins.len() as u64,
        }),
        balances: coins.iter().map(Coin::to_proto).collect(),
    })
}

/// `Query/TotalSupply`: the supply of every denom, in one page.
pub async fn total_supply<S: StateRead>(
    s: &S,
    _req: &QueryTotalSupplyRequest,
) -> Result<QueryTotalSupplyResponse, ModuleError> {
    let coins = s.total_supply().await?;
    Ok(QueryTotalSupplyResponse {
        pagination: Some(PageResponse {
            next_key: vec![],
            total: coins.len() as u64,
        }),
        supply: coins.iter().map(Coin::to_proto).collect(),
    })
}

/// `Query/SupplyOf`: the supply of one denom.
///
/// Errors: `sdk`/10 bad denom.
pub async fn supply_of<S: StateRead>(
    s: &S,
    req: &QuerySupplyOfRequest,
) -> Result<QuerySupplyOfResponse, ModuleError> {
    validate_denom(&req.denom)?;
    let amount = s.supply(&req.denom).await?;
    Ok(QuerySupplyOfResponse {
        amount: Some(
            Coin {
                denom: req.denom.clone(),
                amount,
            }
            .to_proto(),
        ),
    })
}

/// `Query/DenomMetadata`. Errors: `sdk`/38 if the denom has no metadata.
pub async fn denom_metadata<S: StateRead>(
    s: &S,
    req: &QueryDenomMetadataRequest,
) -> Result<QueryDenomMetadataResponse, ModuleError> {
    let m = s.denom_metadata(&req.denom).await?.ok_or_else(|| {
        hub_framework::SdkError::NotFound(format!("no metadata for denom {}", req.denom))
    })?;
    Ok(QueryDenomMetadataResponse { metadata: Some(m) })
}
