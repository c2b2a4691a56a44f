//! Queries of `hub.interchain_upgrade.v1.Query`.

use crate::InterchainUpgradeRead;
use hub_framework::{cnidarium::StateRead, ModuleError};
use hub_proto::interchain_upgrade::v1::*;

/// `Query/Dispatches`: every dispatch, or one spoke's, in (spoke, name) order.
pub async fn dispatches<S: StateRead>(
    s: &S,
    req: &QueryDispatchesRequest,
) -> Result<QueryDispatchesResponse, ModuleError> {
    let spoke = (!req.spoke_chain_id.is_empty()).then_some(req.spoke_chain_id.as_str());
    Ok(QueryDispatchesResponse {
        dispatches: s.dispatches(spoke).await?,
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
/// each with its client, connection (hub) and bound channel.
pub async fn bindings<S: StateRead>(
    s: &S,
    _req: &QueryBindingsRequest,
) -> Result<QueryBindingsResponse, ModuleError> {
    Ok(QueryBindingsResponse {
        bindings: s.bindings().await?,
    })
}
