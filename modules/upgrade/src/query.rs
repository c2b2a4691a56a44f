//! Queries of `cosmos.upgrade.v1beta1.Query` (CurrentPlan, AppliedPlan).

use crate::UpgradeRead;
use cosmos_sdk_proto::cosmos::upgrade::v1beta1::*;
use hub_framework::{cnidarium::StateRead, ModuleError};

/// `Query/CurrentPlan`: the scheduled plan, if any.
pub async fn current_plan<S: StateRead>(
    s: &S,
    _req: &QueryCurrentPlanRequest,
) -> Result<QueryCurrentPlanResponse, ModuleError> {
    Ok(QueryCurrentPlanResponse {
        plan: s.upgrade_plan().await?,
    })
}

/// `Query/AppliedPlan`: the height `name` was applied at (0 if it was not).
pub async fn applied_plan<S: StateRead>(
    s: &S,
    req: &QueryAppliedPlanRequest,
) -> Result<QueryAppliedPlanResponse, ModuleError> {
    Ok(QueryAppliedPlanResponse {
        height: s.applied_height(&req.name).await?.unwrap_or(0) as i64,
    })
}

/// The service this module answers.
pub const SERVICE: &str = "/cosmos.upgrade.v1beta1.Query/";

/// Answers `method` of [`SERVICE`] with the protobuf response to the request in `data`.
///
/// Errors: `sdk`/6 for an unknown method, `sdk`/2 for an undecodable request, the method's
/// own errors.
pub async fn route<S: StateRead>(method: &str, data: &[u8], s: &S) -> Result<Vec<u8>, ModuleError> {
    use hub_framework::route::{decode_request as req, unknown_method};
    use prost::Message as _;
    Ok(match method {
        "CurrentPlan" => current_plan(s, &req(data)?).await?.encode_to_vec(),
        "AppliedPlan" => applied_plan(s, &req(data)?).await?.encode_to_vec(),
        _ => return Err(unknown_method(SERVICE, method)),
    })
}

hub_framework::module_query! {
    /// Upgrade's [`ModuleQuery`](hub_framework::route::ModuleQuery): [`SERVICE`] and [`route`].
    Queries, |method, data, s, _ctx| route(method, data, s).await
}
