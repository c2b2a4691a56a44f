//! Queries of `cosmos.staking.v1beta1.Query`, served over gRPC and gRPC-over-ABCI.
//!
//! `Query/Params` must also answer over `abci_query`: Hermes reads `unbonding_time` and
//! `historical_entries` that way to build client states of this chain.

use crate::StakingRead;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageResponse;
use cosmos_sdk_proto::cosmos::staking::v1beta1::*;
use hub_framework::{cnidarium::StateRead, ModuleError};

/// `Query/Params`.
pub async fn params<S: StateRead>(
    s: &S,
    _req: &QueryParamsRequest,
) -> Result<QueryParamsResponse, ModuleError> {
    Ok(QueryParamsResponse {
        params: Some(s.staking_params().await?),
    })
}

/// `Query/Validators`: every validator (all are BONDED), filtered by `status` if given, one page.
pub async fn validators<S: StateRead>(
    s: &S,
    req: &QueryValidatorsRequest,
) -> Result<QueryValidatorsResponse, ModuleError> {
    let vals: Vec<Validator> = s
        .validators()
        .await?
        .into_iter()
        .filter(|v| {
            req.status.is_empty()
                || BondStatus::try_from(v.status)
                    .map(|st| st.as_str_name() == req.status)
                    .unwrap_or(false)
        })
        .collect();
    Ok(QueryValidatorsResponse {
        pagination: Some(PageResponse {
            next_key: vec![],
            total: vals.len() as u64,
        }),
        validators: vals,
    })
}
