//! What every module's gRPC route table shares: decoding a request and refusing an unknown
//! method, with the Cosmos SDK's codes (`sdk`/2, `sdk`/6).
//!
//! A module's `query::route(method, data, state, …)` answers the methods of its service
//! (`query::SERVICE`, e.g. `/cosmos.staking.v1beta1.Query/`); the runtime hands it every path
//! under that prefix, so adding a query method edits only the module.

use crate::{ModuleError, SdkError};

/// Decodes a gRPC request body. Errors: `sdk`/2 naming the decode failure.
pub fn decode_request<M: prost::Message + Default>(data: &[u8]) -> Result<M, ModuleError> {
    M::decode(data).map_err(|e| SdkError::TxDecode(format!("request: {e}")).into())
}

/// The error for a method a service does not have: `sdk`/6 naming the full path.
pub fn unknown_method(service: &str, method: &str) -> ModuleError {
    SdkError::UnknownRequest(format!("unknown query method {service}{method}")).into()
}
