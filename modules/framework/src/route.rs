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

/// One method of a module's gRPC service, as its route table lists it: the name after the
/// service prefix (`AllBalances`; IBC core's `client.v1.Query/ClientState`) and the forms of
/// its request and response, from which the CLI builds a command.
#[derive(Clone, Copy, Debug)]
pub struct QueryMethod {
    /// The path after [`ModuleQuery::SERVICE`].
    pub name: &'static str,
    /// The request message.
    pub request: crate::form::ProtoForm,
    /// The response message.
    pub response: crate::form::ProtoForm,
}

/// A module's gRPC query service: its path prefix and its route table, with the module's
/// capabilities `C` (as [`crate::MsgHandler`]: `()` for most, gov's stake view). A runtime
/// lists one per module and hands each every path under its prefix. Declare it with
/// [`crate::query_service!`], which writes the table and the routing from one list.
pub trait ModuleQuery<C = ()> {
    /// The path prefix, e.g. `/cosmos.staking.v1beta1.Query/` (IBC core serves three services
    /// under `/ibc.core.`).
    const SERVICE: &'static str;

    /// Every method [`Self::route`] answers, in the order the service declares them.
    const METHODS: &'static [QueryMethod];

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

/// Declares a module's query service from one list of methods: a unit struct implementing
/// [`ModuleQuery`] with the module's `SERVICE` prefix (which must be in scope), its
/// [`ModuleQuery::METHODS`] table and its routing. Each method names its request and response
/// types and a body (which may `.await`) returning `Result<Response, E>` with
/// `E: Into<ModuleError>`. A module that needs a capability declares it after `caps`.
///
/// ```ignore
/// hub_framework::query_service! {
///     /// Bank's query service.
///     Queries, |s, ctx| {
///         "Balance"(r: QueryBalanceRequest) -> QueryBalanceResponse {
///             balance(s, &r, ctx.hrp).await
///         }
///     }
/// }
/// ```
#[macro_export]
macro_rules! query_service {
    (
        $(#[$meta:meta])* $name:ident $(, caps $cap:ident: $bound:path)?, |$s:ident, $ctx:ident| {
            $( $method:literal ($r:ident: $req:ty) -> $resp:ty $body:block )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default)]
        pub struct $name;

        impl$(<$cap: $bound>)? $crate::route::ModuleQuery$(<$cap>)? for $name {
            const SERVICE: &'static str = SERVICE;

            const METHODS: &'static [$crate::route::QueryMethod] = &[$(
                $crate::route::QueryMethod {
                    name: $method,
                    request: $crate::form::ProtoForm::of::<$req>(),
                    response: $crate::form::ProtoForm::of::<$resp>(),
                },
            )*];

            async fn route<S: $crate::cnidarium::StateRead>(
                method: &str,
                data: &[u8],
                $s: &S,
                $ctx: &$crate::route::QueryCtx<'_>,
            ) -> Result<Vec<u8>, $crate::ModuleError> {
                let _ = $ctx;
                match method {
                    $( $method => {
                        let $r: $req = $crate::route::decode_request(data)?;
                        let out: $resp = $body.map_err(::core::convert::Into::<$crate::ModuleError>::into)?;
                        Ok($crate::__private::Message::encode_to_vec(&out))
                    } )*
                    _ => Err($crate::route::unknown_method(SERVICE, method)),
                }
            }
        }
    };
}
