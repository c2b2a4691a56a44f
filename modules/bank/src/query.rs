//! Queries of `cosmos.bank.v1beta1.Query`, served over gRPC and gRPC-over-ABCI.
//!
//! Lists (`AllBalances`, `TotalSupply`) are paginated like the Cosmos SDK's `query.Paginate`
//! ([`hub_framework::paginate`]): the request's `pagination` (`key` or `offset`, `limit`: 0 =
//! 100 and count the total, at most [`hub_framework::MAX_LIMIT`] = 1000, `count_total`,
//! `reverse`); `next_key` is empty on the last page. Coins come in denom order and the page
//! key is the denom (its UTF-8 bytes, as the Cosmos SDK's store keys).

use crate::{validate_denom, BankRead, Coin};
use cosmos_sdk_proto::cosmos::bank::v1beta1::*;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use hub_auth::Address;
use hub_framework::{cnidarium::StateRead, paginate, ModuleError};

/// The page that `req` asks for of `coins` (sorted by denom; the denom is the page key) as
/// protos, and its `PageResponse`. Errors: `sdk`/18 if both `key` and `offset` are set.
fn coin_page(
    coins: Vec<Coin>,
    req: Option<&PageRequest>,
) -> Result<(Vec<ProtoCoin>, Option<PageResponse>), ModuleError> {
    let rows = coins
        .iter()
        .map(|c| (c.denom.as_bytes().to_vec(), c.to_proto()))
        .collect();
    let (items, p) = paginate(rows, req)?;
    Ok((items, Some(p)))
}

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

/// `Query/AllBalances`: the non-zero balances of an address, sorted by denom, paginated.
///
/// Errors: `sdk`/7 bad address, `sdk`/18 both `key` and `offset` set.
pub async fn all_balances<S: StateRead>(
    s: &S,
    req: &QueryAllBalancesRequest,
    hrp: &str,
) -> Result<QueryAllBalancesResponse, ModuleError> {
    let addr = Address::from_bech32(&req.address, hrp)?;
    let (balances, pagination) = coin_page(s.all_balances(&addr).await?, req.pagination.as_ref())?;
    Ok(QueryAllBalancesResponse {
        balances,
        pagination,
    })
}

/// `Query/TotalSupply`: the supply of every denom, sorted by denom, paginated.
///
/// Errors: `sdk`/18 both `key` and `offset` set.
pub async fn total_supply<S: StateRead>(
    s: &S,
    req: &QueryTotalSupplyRequest,
) -> Result<QueryTotalSupplyResponse, ModuleError> {
    let (supply, pagination) = coin_page(s.total_supply().await?, req.pagination.as_ref())?;
    Ok(QueryTotalSupplyResponse { supply, pagination })
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

/// The service this module answers.
pub const SERVICE: &str = "/cosmos.bank.v1beta1.Query/";

hub_framework::query_service! {
    /// Bank's [`ModuleQuery`](hub_framework::route::ModuleQuery): [`SERVICE`] and its route table.
    Queries, |s, ctx| {
        "Balance"(r: QueryBalanceRequest) -> QueryBalanceResponse {
            balance(s, &r, ctx.hrp).await
        }
        "AllBalances"(r: QueryAllBalancesRequest) -> QueryAllBalancesResponse {
            all_balances(s, &r, ctx.hrp).await
        }
        "TotalSupply"(r: QueryTotalSupplyRequest) -> QueryTotalSupplyResponse {
            total_supply(s, &r).await
        }
        "SupplyOf"(r: QuerySupplyOfRequest) -> QuerySupplyOfResponse {
            supply_of(s, &r).await
        }
        "DenomMetadata"(r: QueryDenomMetadataRequest) -> QueryDenomMetadataResponse {
            denom_metadata(s, &r).await
        }
    }
}
