//! Queries of `ibc.applications.transfer.v1.Query`, served over gRPC and gRPC-over-ABCI.
//!
//! Each function takes the request proto and returns the response proto; the runtime routes
//! `/ibc.applications.transfer.v1.Query/{Method}` to them.
//!
//! `DenomTraces` is paginated like the Cosmos SDK's `query.Paginate`
//! ([`hub_framework::paginate`]): the request's `pagination` (`key` or `offset`, `limit`: 0 =
//! 100 and count the total, at most [`hub_framework::MAX_LIMIT`] = 1000, `count_total`,
//! `reverse`); `next_key` is empty on the last page.

use crate::{
    denom::{
        escrow_address as escrow_of, full_denom_path, parse_denom_trace, parse_hash, trace_hash,
        trace_hash_hex, validate_trace,
    },
    TransferRead,
};
use hub_framework::{cnidarium::StateRead, paginate, ModuleError, SdkError};
use hub_ibc::identifier::{validate_channel_id, validate_port_id};
use ibc_proto::cosmos::base::v1beta1::Coin;
use ibc_proto::ibc::applications::transfer::v1::*;

/// `Query/DenomTrace`: the trace of a hash, given as `{HASH}` or `ibc/{HASH}` (hex, either
/// case).
///
/// Errors: `sdk`/18 not a 32-byte hex hash, `sdk`/38 no such trace.
pub async fn denom_trace<S: StateRead>(
    s: &S,
    req: &QueryDenomTraceRequest,
) -> Result<QueryDenomTraceResponse, ModuleError> {
    let hex_hash = req.hash.strip_prefix("ibc/").unwrap_or(&req.hash);
    let hash = parse_hash(hex_hash).map_err(|e| {
        SdkError::InvalidRequest(format!(
            "invalid denom trace hash: {}, error: {e}",
            req.hash
        ))
    })?;
    let t = s
        .denom_trace(&hash)
        .await?
        .ok_or_else(|| SdkError::NotFound(format!("denomination trace not found: {}", req.hash)))?;
    Ok(QueryDenomTraceResponse {
        denom_trace: Some(t),
    })
}

/// `Query/DenomTraces`: the traces sorted by full denom path (`path/base_denom`, which is also
/// the page key), paginated. Unlike ibc-go, which pages by trace hash and sorts each page,
/// the order holds across pages.
///
/// Errors: `sdk`/18 both `key` and `offset` set.
pub async fn denom_traces<S: StateRead>(
    s: &S,
    req: &QueryDenomTracesRequest,
) -> Result<QueryDenomTracesResponse, ModuleError> {
    let rows = s
        .all_denom_traces()
        .await?
        .into_iter()
        .map(|t| (full_denom_path(&t).into_bytes(), t))
        .collect();
    let (denom_traces, pagination) = paginate(rows, req.pagination.as_ref())?;
    Ok(QueryDenomTracesResponse {
        denom_traces,
        pagination: Some(pagination),
    })
}

/// `Query/Params`.
pub async fn params<S: StateRead>(
    s: &S,
    _req: &QueryParamsRequest,
) -> Result<QueryParamsResponse, ModuleError> {
    Ok(QueryParamsResponse {
        params: Some(s.params().await?),
    })
}

/// `Query/DenomHash`: the upper-case hex hash of a full denom path such as
/// `transfer/channel-0/uatom`, if that trace is known.
///
/// Errors: `sdk`/18 invalid trace, `sdk`/38 unknown trace.
pub async fn denom_hash<S: StateRead>(
    s: &S,
    req: &QueryDenomHashRequest,
) -> Result<QueryDenomHashResponse, ModuleError> {
    let trace = parse_denom_trace(&req.trace);
    validate_trace(&trace).map_err(|e| SdkError::InvalidRequest(e.log))?;
    if s.denom_trace(&trace_hash(&trace)).await?.is_none() {
        return Err(
            SdkError::NotFound(format!("denomination trace not found: {}", req.trace)).into(),
        );
    }
    Ok(QueryDenomHashResponse {
        hash: trace_hash_hex(&trace),
    })
}

/// `Query/EscrowAddress`: the escrow account of a channel end, bech32 with `hrp`.
///
/// Errors: `sdk`/18 invalid port or channel identifier.
pub async fn escrow_address(
    req: &QueryEscrowAddressRequest,
    hrp: &str,
) -> Result<QueryEscrowAddressResponse, ModuleError> {
    validate_port_id(&req.port_id).map_err(|e| SdkError::InvalidRequest(e.to_string()))?;
    validate_channel_id(&req.channel_id).map_err(|e| SdkError::InvalidRequest(e.to_string()))?;
    Ok(QueryEscrowAddressResponse {
        escrow_address: escrow_of(&req.port_id, &req.channel_id).to_bech32(hrp),
    })
}

/// `Query/TotalEscrowForDenom`: the amount of `denom` escrowed over all channels (0 if none).
///
/// Errors: `sdk`/18 invalid denom.
pub async fn total_escrow_for_denom<S: StateRead>(
    s: &S,
    req: &QueryTotalEscrowForDenomRequest,
) -> Result<QueryTotalEscrowForDenomResponse, ModuleError> {
    hub_bank::validate_denom(&req.denom).map_err(|e| SdkError::InvalidRequest(e.to_string()))?;
    Ok(QueryTotalEscrowForDenomResponse {
        amount: Some(Coin {
            denom: req.denom.clone(),
            amount: s.total_escrow(&req.denom).await?.to_string(),
        }),
    })
}

/// The service this module answers.
pub const SERVICE: &str = "/ibc.applications.transfer.v1.Query/";

hub_framework::query_service! {
    /// ICS-20's [`ModuleQuery`](hub_framework::route::ModuleQuery): [`SERVICE`] and its route table.
    Queries, |s, ctx| {
        "DenomTrace"(r: QueryDenomTraceRequest) -> QueryDenomTraceResponse {
            denom_trace(s, &r).await
        }
        "DenomTraces"(r: QueryDenomTracesRequest) -> QueryDenomTracesResponse {
            denom_traces(s, &r).await
        }
        "DenomHash"(r: QueryDenomHashRequest) -> QueryDenomHashResponse {
            denom_hash(s, &r).await
        }
        "Params"(r: QueryParamsRequest) -> QueryParamsResponse {
            params(s, &r).await
        }
        "EscrowAddress"(r: QueryEscrowAddressRequest) -> QueryEscrowAddressResponse {
            escrow_address(&r, ctx.hrp).await
        }
        "TotalEscrowForDenom"(r: QueryTotalEscrowForDenomRequest) -> QueryTotalEscrowForDenomResponse {
            total_escrow_for_denom(s, &r).await
        }
    }
}
