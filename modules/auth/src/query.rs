//! Queries of `cosmos.auth.v1beta1.Query`, served over gRPC and gRPC-over-ABCI.

use crate::{Address, AuthRead};
use cosmos_sdk_proto::cosmos::auth::v1beta1::{QueryAccountRequest, QueryAccountResponse};
use hub_framework::{cnidarium::StateRead, ModuleError, SdkError};
use prost::Message;

/// Type URL of the account returned by `Query/Account` (Hermes requires exactly this).
pub const BASE_ACCOUNT_TYPE_URL: &str = "/cosmos.auth.v1beta1.BaseAccount";

/// `cosmos.auth.v1beta1.Query/Account`: the `BaseAccount` at an address.
///
/// Errors: `sdk`/7 for a malformed address, `sdk`/38 (gRPC NotFound) if there is no account.
pub async fn account<S: StateRead>(
    s: &S,
    req: &QueryAccountRequest,
    hrp: &str,
) -> Result<QueryAccountResponse, ModuleError> {
    let addr = Address::from_bech32(&req.address, hrp)?;
    let acc = s
        .account(&addr)
        .await?
        .ok_or_else(|| SdkError::NotFound(format!("account {} not found", req.address)))?;
    Ok(QueryAccountResponse {
        account: Some(cosmos_sdk_proto::Any {
            type_url: BASE_ACCOUNT_TYPE_URL.into(),
            value: acc.encode_to_vec(),
        }),
    })
}

/// The `cosmos.auth.v1beta1.Query` service prefix.
pub const SERVICE: &str = "/cosmos.auth.v1beta1.Query/";

hub_framework::query_service! {
    /// Auth's [`ModuleQuery`](hub_framework::route::ModuleQuery): `Account`.
    Queries, |s, ctx| {
        "Account"(r: QueryAccountRequest) -> QueryAccountResponse {
            account(s, &r, ctx.hrp).await
        }
    }
}
