//! Queries of `ibc.applications.rate_limiting.v1.Query` (ibc-go v10 `keeper/grpc_query.go`),
//! served over gRPC and gRPC-over-ABCI. Lists are paged with [`hub_framework::paginate`]
//! (default 100, at most 1000), keyed by their state keys.

use crate::{state_key, RateLimitRead};
use cosmos_sdk_proto::cosmos::base::query::v1beta1 as cosmos_page;
use hub_framework::{cnidarium::StateRead, paginate, ModuleError};
use hub_ibc::{channel::ChannelRead, client::ClientRead, connection::ConnectionRead};
use hub_proto::rate_limiting::v1::*;

/// `Query/AllRateLimits`: every limit, by channel then denom.
pub async fn all_rate_limits<S: StateRead>(
    s: &S,
    req: &QueryAllRateLimitsRequest,
) -> Result<QueryAllRateLimitsResponse, ModuleError> {
    let (rate_limits, pagination) =
        paged(s, state_key::RATE_LIMITS_PREFIX, &req.pagination).await?;
    Ok(QueryAllRateLimitsResponse {
        rate_limits,
        pagination: Some(pagination),
    })
}

async fn paged<S: StateRead>(
    s: &S,
    prefix: &str,
    page: &Option<cosmos_page::PageRequest>,
) -> Result<(Vec<RateLimit>, cosmos_page::PageResponse), ModuleError> {
    let rows = s
        .rate_limits_under(prefix)
        .await?
        .into_iter()
        .map(|l| {
            (
                state_key::rate_limit(&l.channel_id, &l.denom).into_bytes(),
                l.to_proto(),
            )
        })
        .collect();
    paginate(rows, page.as_ref())
}

/// `Query/RateLimit`: the limit of one channel and denom; `rate_limit` is absent when there
/// is none (as ibc-go).
pub async fn rate_limit<S: StateRead>(
    s: &S,
    req: &QueryRateLimitRequest,
) -> Result<QueryRateLimitResponse, ModuleError> {
    Ok(QueryRateLimitResponse {
        rate_limit: s
            .rate_limit(&req.channel_or_client_id, &req.denom)
            .await?
            .map(|l| l.to_proto()),
    })
}

/// `Query/RateLimitsByChannelOrClientID`: the limits of one channel, by denom.
pub async fn by_channel<S: StateRead>(
    s: &S,
    req: &QueryRateLimitsByChannelOrClientIdRequest,
) -> Result<QueryRateLimitsByChannelOrClientIdResponse, ModuleError> {
    let prefix = state_key::channel_rate_limits(&req.channel_or_client_id);
    let (rate_limits, pagination) = paged(s, &prefix, &req.pagination).await?;
    Ok(QueryRateLimitsByChannelOrClientIdResponse {
        rate_limits,
        pagination: Some(pagination),
    })
}

/// `Query/RateLimitsByChainID`: the limits of the `transfer` channels whose connection's
/// client tracks `chain_id` (a channel, connection or client that cannot be read is
/// skipped).
pub async fn by_chain_id<S: StateRead>(
    s: &S,
    req: &QueryRateLimitsByChainIdRequest,
) -> Result<QueryRateLimitsByChainIdResponse, ModuleError> {
    let mut rows = Vec::new();
    for l in s.rate_limits_under(state_key::RATE_LIMITS_PREFIX).await? {
        if chain_of(s, &l.channel_id).await.as_deref() == Some(req.chain_id.as_str()) {
            rows.push((
                state_key::rate_limit(&l.channel_id, &l.denom).into_bytes(),
                l.to_proto(),
            ));
        }
    }
    let (rate_limits, pagination) = paginate(rows, req.pagination.as_ref())?;
    Ok(QueryRateLimitsByChainIdResponse {
        rate_limits,
        pagination: Some(pagination),
    })
}

/// The chain id the client under a `transfer` channel tracks.
async fn chain_of<S: StateRead>(s: &S, channel: &str) -> Option<String> {
    let ch = s.channel(crate::TRANSFER_PORT, channel).await.ok()?;
    let conn = s.connection(ch.connection_hops.first()?).await.ok()?;
    Some(s.client_state(&conn.client_id).await.ok()?.chain_id)
}

/// `Query/AllBlacklistedDenoms`: sorted.
pub async fn blacklisted<S: StateRead>(
    s: &S,
    req: &QueryAllBlacklistedDenomsRequest,
) -> Result<QueryAllBlacklistedDenomsResponse, ModuleError> {
    let rows = s
        .blacklisted_denoms()
        .await?
        .into_iter()
        .map(|d| (d.clone().into_bytes(), d))
        .collect();
    let (denoms, pagination) = paginate(rows, req.pagination.as_ref())?;
    Ok(QueryAllBlacklistedDenomsResponse {
        denoms,
        pagination: Some(pagination),
    })
}

/// `Query/AllWhitelistedAddresses`.
pub async fn whitelisted<S: StateRead>(
    s: &S,
    req: &QueryAllWhitelistedAddressesRequest,
) -> Result<QueryAllWhitelistedAddressesResponse, ModuleError> {
    let rows = s
        .whitelisted_pairs()
        .await?
        .into_iter()
        .map(|(sender, receiver)| {
            (
                state_key::whitelisted(&sender, &receiver).into_bytes(),
                WhitelistedAddressPair { sender, receiver },
            )
        })
        .collect();
    let (address_pairs, pagination) = paginate(rows, req.pagination.as_ref())?;
    Ok(QueryAllWhitelistedAddressesResponse {
        address_pairs,
        pagination: Some(pagination),
    })
}

/// The service this module answers.
pub const SERVICE: &str = "/ibc.applications.rate_limiting.v1.Query/";

hub_framework::query_service! {
    /// The limits' [`ModuleQuery`](hub_framework::route::ModuleQuery): [`SERVICE`] and its
    /// route table.
    Queries, |s, ctx| {
        "AllRateLimits"(r: QueryAllRateLimitsRequest) -> QueryAllRateLimitsResponse {
            all_rate_limits(s, &r).await
        }
        "RateLimit"(r: QueryRateLimitRequest) -> QueryRateLimitResponse {
            rate_limit(s, &r).await
        }
        "RateLimitsByChainID"(r: QueryRateLimitsByChainIdRequest) -> QueryRateLimitsByChainIdResponse {
            by_chain_id(s, &r).await
        }
        "RateLimitsByChannelOrClientID"(r: QueryRateLimitsByChannelOrClientIdRequest) -> QueryRateLimitsByChannelOrClientIdResponse {
            by_channel(s, &r).await
        }
        "AllBlacklistedDenoms"(r: QueryAllBlacklistedDenomsRequest) -> QueryAllBlacklistedDenomsResponse {
            blacklisted(s, &r).await
        }
        "AllWhitelistedAddresses"(r: QueryAllWhitelistedAddressesRequest) -> QueryAllWhitelistedAddressesResponse {
            whitelisted(s, &r).await
        }
    }
}
