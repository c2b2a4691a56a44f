//! What every module's gRPC route table shares: decoding a request and refusing an unknown
//! method, with the Cosmos SDK's codes (`sdk`/2, `sdk`/6).
//!
//! A module's [`ModuleQuery`] (`query::Queries`) answers the methods of its service
//! (`SERVICE`, e.g. `/cosmos.staking.v1beta1.Query/`); the runtime hands it every path under
//! that prefix, so adding a query method edits only the module.

use crate::{ModuleError, SdkError};

/// Decodes a gRPC request body. Errors: `sdk`/2 naming the decode failure.
pub fn decode_request<M: prost::Message + Default>(data: &[u8]) -> Result<M, ModuleError> {
    M::decode(data).map_err(|e| SdkError::TxDecode(format!("request: {e}")).into())
}

/// The error for a method a service does not have: `sdk`/6 naming the full path.
pub fn unknown_method(service: &str, method: &str) -> ModuleError {
    SdkError::UnknownRequest(format!("unknown query method {service}{method}")).into()
}

/// What a query runs with besides the state: the chain's address prefix and the facts of the
/// snapshot that IBC answers with (its height and block time).
#[derive(Clone, Copy, Debug)]
pub struct QueryCtx<'a> {
    /// Bech32 prefix of account addresses (`hub`).
    pub hrp: &'a str,
    /// The chain id (`hub-1`).
    pub chain_id: &'a str,
    /// The snapshot's version: the height the answer is at.
    pub height: u64,
    /// Time of the block the snapshot ends with, ns since the Unix epoch (`None` at genesis).
    pub block_time_ns: Option<u64>,
}

/// A module's gRPC query service: its path prefix and its route table, with the module's
/// capabilities `C` (as [`crate::MsgHandler`]: `()` for most, gov's stake view). A runtime
/// lists one per module and hands each every path under its prefix.
pub trait ModuleQuery<C = ()> {
    /// The path prefix, e.g. `/cosmos.bank.v1beta1.Query/` (IBC core serves three services
    /// under `/ibc.core.`).
    const SERVICE: &'static str;

    /// Answers `method` (the path after [`Self::SERVICE`]) with the protobuf response.
    ///
    /// Errors: `sdk`/6 for an unknown method ([`unknown_method`]), `sdk`/2 for an
    /// undecodable request ([`decode_request`]), and the method's own.
    async fn route<S: cnidarium::StateRead>(
        method: &str,
        data: &[u8],
        s: &S,
        ctx: &QueryCtx<'_>,
    ) -> Result<Vec<u8>, ModuleError>;
}

/// Declares a module's query service: a unit struct implementing [`ModuleQuery`] with the
/// module's `SERVICE` prefix (which must be in scope) and the given route body, which may
/// `.await`.
///
/// ```ignore
/// hub_framework::module_query! {
///     /// Bank's query service.
///     Queries, |method, data, s, ctx| route(method, data, s, ctx.hrp).await
/// }
/// ```
#[macro_export]
macro_rules! module_query {
    ($(#[$meta:meta])* $name:ident, |$method:ident, $data:ident, $s:ident, $ctx:ident| $body:expr) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default)]
        pub struct $name;

        impl $crate::route::ModuleQuery for $name {
            const SERVICE: &'static str = SERVICE;

            async fn route<S: $crate::cnidarium::StateRead>(
                $method: &str,
                $data: &[u8],
                $s: &S,
                $ctx: &$crate::route::QueryCtx<'_>,
            ) -> Result<Vec<u8>, $crate::ModuleError> {
                $body
            }
        }
    };
}
