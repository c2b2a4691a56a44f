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
