//! Queries of `hub.circuit.v1.Query`, served over gRPC and gRPC-over-ABCI.

use crate::CircuitRead;
use hub_framework::{cnidarium::StateRead, paginate, ModuleError};
use hub_proto::circuit::v1::*;

/// `Query/Pauses`: the stored pauses by channel then denom (`*` = any), paged.
pub async fn pauses<S: StateRead>(
    s: &S,
    req: &QueryPausesRequest,
) -> Result<QueryPausesResponse, ModuleError> {
    let rows = s
        .pauses()
        .await?
        .into_iter()
        .map(|(k, p)| (k.into_bytes(), p))
        .collect();
    let (pauses, pagination) = paginate(rows, req.pagination.as_ref())?;
    Ok(QueryPausesResponse {
        pauses,
        pagination: Some(pagination),
    })
}

/// `Query/Params`.
pub async fn params<S: StateRead>(
    s: &S,
    _req: &QueryParamsRequest,
) -> Result<QueryParamsResponse, ModuleError> {
    Ok(QueryParamsResponse {
        params: Some(s.circuit_params().await?),
    })
}

/// The service this module answers.
pub const SERVICE: &str = "/hub.circuit.v1.Query/";

hub_framework::query_service! {
    /// The circuit breaker's [`ModuleQuery`](hub_framework::route::ModuleQuery): [`SERVICE`]
    /// and its route table.
    Queries, |s, ctx| {
        "Pauses"(r: QueryPausesRequest) -> QueryPausesResponse {
            pauses(s, &r).await
        }
        "Params"(r: QueryParamsRequest) -> QueryParamsResponse {
            params(s, &r).await
        }
    }
}
