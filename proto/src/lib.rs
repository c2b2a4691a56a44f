//! Protobuf types of the hub's own messages (`hub.<module>.v1`).
//!
//! Cosmos SDK and IBC types are not here: they come from `cosmos-sdk-proto` and `ibc-proto`,
//! so that their bytes are exactly what Cosmos clients expect.

/// `hub.auth.v1`: parameters of the auth module.
pub mod auth {
    /// Version 1.
    pub mod v1 {
        #![allow(missing_docs)]
        include!(concat!(env!("OUT_DIR"), "/hub.auth.v1.rs"));
        include!(concat!(env!("OUT_DIR"), "/hub.auth.v1.serde.rs"));
    }
}

/// `hub.ping.v1`: the diagnostics app of ordered channels.
pub mod ping {
    /// Version 1.
    pub mod v1 {
        #![allow(missing_docs)]
        include!(concat!(env!("OUT_DIR"), "/hub.ping.v1.rs"));
        include!(concat!(env!("OUT_DIR"), "/hub.ping.v1.serde.rs"));
    }
}

/// `hub.interchain_upgrade.v1`: upgrade plans dispatched by hub governance to spoke chains.
pub mod interchain_upgrade {
    /// Version 1.
    pub mod v1 {
        #![allow(missing_docs)]
        include!(concat!(env!("OUT_DIR"), "/hub.interchain_upgrade.v1.rs"));
        include!(concat!(
            env!("OUT_DIR"),
            "/hub.interchain_upgrade.v1.serde.rs"
        ));
    }
}

/// `hub.transfer.v1`: queries of the hub's additions to ICS-20 (forwards in flight).
pub mod transfer {
    /// Version 1.
    pub mod v1 {
        #![allow(missing_docs)]
        include!(concat!(env!("OUT_DIR"), "/hub.transfer.v1.rs"));
        include!(concat!(env!("OUT_DIR"), "/hub.transfer.v1.serde.rs"));
    }
}

/// `hub.circuit.v1`: pauses of ICS-20 with an expiry (the transfer circuit breaker).
pub mod circuit {
    /// Version 1.
    pub mod v1 {
        #![allow(missing_docs)]
        include!(concat!(env!("OUT_DIR"), "/hub.circuit.v1.rs"));
        include!(concat!(env!("OUT_DIR"), "/hub.circuit.v1.serde.rs"));
    }
}

/// `hub.ratelimit.v1`: the hub's send queue of the flow limits.
pub mod ratelimit {
    /// Version 1.
    pub mod v1 {
        #![allow(missing_docs)]
        include!(concat!(env!("OUT_DIR"), "/hub.ratelimit.v1.rs"));
        include!(concat!(env!("OUT_DIR"), "/hub.ratelimit.v1.serde.rs"));
    }
}

/// `ibc.applications.rate_limiting.v1`: flow limits of ICS-20 transfers, in the wire form of
/// ibc-go v10's rate-limiting middleware (which `ibc-proto` 0.52 predates).
pub mod rate_limiting {
    /// Version 1.
    pub mod v1 {
        #![allow(missing_docs)]
        include!(concat!(
            env!("OUT_DIR"),
            "/ibc.applications.rate_limiting.v1.rs"
        ));
        include!(concat!(
            env!("OUT_DIR"),
            "/ibc.applications.rate_limiting.v1.serde.rs"
        ));
    }
}
