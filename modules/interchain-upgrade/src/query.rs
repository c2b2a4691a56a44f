//! Queries of `hub.interchain_upgrade.v1.Query`.

use crate::{state_key, InterchainUpgradeRead};
use hub_framework::{cnidarium::StateRead, pagination::paginate, ModuleError};
use hub_proto::interchain_upgrade::v1::*;

/// `Query/Dispatches`: every dispatch, or one spoke's, in (spoke, name) order, one page at a
/// time (Cosmos SDK paging: default 100, at most 1000; the page key is the store key).
///
/// Errors: `sdk`/18 for a request with both `key` and `offset`.
pub async fn dispatches<S: StateRead>(
    s: &S,
    req: &QueryDispatchesRequest,
) -> Result<QueryDispatchesResponse, ModuleError> {
    let spoke = (!req.spoke_chain_id.is_empty()).then_some(req.spoke_chain_id.as_str());
    let rows = s
        .dispatches(spoke)
        .await?
        .into_iter()
        .map(|d| {
            let name = d.plan.as_ref().map(|p| p.name.as_str()).unwrap_or_default();
            (state_key::dispatch(&d.spoke_chain_id, name).into_bytes(), d)
        })
        .collect();
    let (dispatches, page) = paginate(rows, req.pagination.as_ref())?;
    Ok(QueryDispatchesResponse {
        dispatches,
        pagination: Some(page),
    })
}

/// `Query/Params`.
pub async fn params<S: StateRead>(
    s: &S,
    _req: &QueryParamsRequest,
) -> Result<QueryParamsResponse, ModuleError> {
    Ok(QueryParamsResponse {
        params: Some(s.iu_params().await?),
    })
}

/// `Query/Bindings`: the hub's registered spokes, or a spoke's pinned hub, in chain-id order,
/// each with its client, connection (hub) and bound channel; paged as [`dispatches`].
///
/// Errors: `sdk`/18 for a request with both `key` and `offset`.
pub async fn bindings<S: StateRead>(
    s: &S,
    req: &QueryBindingsRequest,
) -> Result<QueryBindingsResponse, ModuleError> {
    let rows = s
        .bindings()
        .await?
        .into_iter()
        .map(|b| (state_key::binding(&b.chain_id).into_bytes(), b))
        .collect();
    let (bindings, page) = paginate(rows, req.pagination.as_ref())?;
    Ok(QueryBindingsResponse {
        bindings,
        pagination: Some(page),
    })
}

/// `Query/PauseDispatches`: the pauses the hub sent to spokes, by channel and sequence, with
/// each one's status and the channels the spoke paused; paged as [`dispatches`].
///
/// Errors: `sdk`/18 for a request with both `key` and `offset`.
pub async fn pause_dispatches<S: StateRead>(
    s: &S,
    req: &QueryPauseDispatchesRequest,
) -> Result<QueryPauseDispatchesResponse, ModuleError> {
    let rows = s
        .pause_dispatches()
        .await?
        .into_iter()
        .map(|d| {
            (
                state_key::pause_packet(&d.channel_id, d.sequence).into_bytes(),
                d,
            )
        })
        .collect();
    let (pause_dispatches, page) = paginate(rows, req.pagination.as_ref())?;
    Ok(QueryPauseDispatchesResponse {
        pause_dispatches,
        pagination: Some(page),
    })
}

/// The service this module answers.
pub const SERVICE: &str = "/hub.interchain_upgrade.v1.Query/";

hub_framework::query_service! {
    /// Interchain-upgrade's [`ModuleQuery`](hub_framework::route::ModuleQuery): [`SERVICE`] and its route table.
    Queries, |s, ctx| {
        "Dispatches"(r: QueryDispatchesRequest) -> QueryDispatchesResponse {
            dispatches(s, &r).await
        }
        "Params"(r: QueryParamsRequest) -> QueryParamsResponse {
            params(s, &r).await
        }
        "Bindings"(r: QueryBindingsRequest) -> QueryBindingsResponse {
            bindings(s, &r).await
        }
        "PauseDispatches"(r: QueryPauseDispatchesRequest) -> QueryPauseDispatchesResponse {
            pause_dispatches(s, &r).await
        }
    }
}
