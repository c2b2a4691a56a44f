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

hub_framework::query_service! {
    /// Upgrade's [`ModuleQuery`](hub_framework::route::ModuleQuery): [`SERVICE`] and its route table.
    Queries, |s, ctx| {
        "CurrentPlan"(r: QueryCurrentPlanRequest) -> QueryCurrentPlanResponse {
            current_plan(s, &r).await
        }
        "AppliedPlan"(r: QueryAppliedPlanRequest) -> QueryAppliedPlanResponse {
            applied_plan(s, &r).await
        }
    }
}
