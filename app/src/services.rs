//! The runtimes' gRPC query route table: every module's service prefix, its methods, and the
//! routing of a path to the module that serves it, from one list.

use hub_framework::{
    cnidarium::Snapshot,
    route::{ModuleQuery, QueryCtx},
    ModuleError,
};

/// Declares the runtimes' query route table from one list: each module's
/// [`ModuleQuery`] with its capabilities. The table ([`MODULE_SERVICES`]) and the routing
/// (`route_module`) follow from the list, and a test checks that every module of both
/// runtimes is in it, as the SDK's `assertNoForgottenModules`.
macro_rules! runtime_queries {
    ($( $module:expr => $svc:ty, caps: $caps:ty; )*) => {
        /// Every module's gRPC service prefix, by module name.
        pub const MODULE_SERVICES: &[(&str, &str)] =
            &[$( ($module, <$svc as ModuleQuery<$caps>>::SERVICE), )*];

        /// Every module's gRPC methods, by module name and service prefix: what the CLI makes
        /// its generated `query` commands of.
        pub const MODULE_METHODS: &[(&str, &str, &[hub_framework::route::QueryMethod])] = &[$(
            (
                $module,
                <$svc as ModuleQuery<$caps>>::SERVICE,
                <$svc as ModuleQuery<$caps>>::METHODS,
            ),
        )*];

        /// Runs `path` on the module whose service prefix it has; `None` if it has none.
        pub(crate) async fn route_module(
            path: &str,
            data: &[u8],
            snap: &Snapshot,
            ctx: &QueryCtx<'_>,
        ) -> Option<Result<Vec<u8>, ModuleError>> {
            $(
                if let Some(method) = path.strip_prefix(<$svc as ModuleQuery<$caps>>::SERVICE) {
                    return Some(<$svc as ModuleQuery<$caps>>::route(method, data, snap, ctx).await);
                }
            )*
            None
        }
    };
}

runtime_queries! {
    "auth" => hub_auth::query::Queries, caps: ();
    "bank" => hub_bank::query::Queries, caps: ();
    hub_staking::NAME => hub_staking::query::Queries, caps: ();
    hub_ibc::NAME => hub_ibc::query::Queries, caps: ();
    "transfer" => hub_transfer::query::Queries, caps: ();
    "transfer" => hub_transfer::forward::query::Queries, caps: ();
    hub_ratelimit::NAME => hub_ratelimit::query::Queries, caps: ();
    hub_ratelimit::NAME => hub_ratelimit::queue::query::Queries, caps: ();
    hub_circuit::NAME => hub_circuit::query::Queries, caps: ();
    "upgrade" => hub_upgrade::query::Queries, caps: ();
    "interchain-upgrade" => hub_interchain_upgrade::query::Queries, caps: ();
    hub_gov::NAME => hub_gov::query::Queries, caps: crate::gov::StakingView;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::ChainConfig;

    #[test]
    fn every_module_of_each_runtime_serves_queries_and_no_two_share_a_prefix() {
        for runtime in [ChainConfig::hub(), ChainConfig::spoke()] {
            for module in runtime.modules {
                assert!(
                    MODULE_SERVICES.iter().any(|(m, _)| m == module),
                    "{module} of the {} runtime has no query service in MODULE_SERVICES",
                    runtime.name
                );
            }
        }
        for (i, (a, pa)) in MODULE_SERVICES.iter().enumerate() {
            for (b, pb) in &MODULE_SERVICES[i + 1..] {
                assert!(
                    !pa.starts_with(pb) && !pb.starts_with(pa),
                    "{a} ({pa}) and {b} ({pb}) overlap: one would shadow the other"
                );
            }
        }
    }
}
