//! ICS-03 connections: the four-step handshake with proofs, version negotiation and delay
//! periods (ibc-go `modules/core/03-connection`).
//!
//! Stored values are ibc-go's `ConnectionEnd` protobuf at `connections/{id}` and `ClientPaths`
//! at `clients/{id}/connections`.

pub mod handler;
pub mod msgs;

use crate::client::ProofContext;
use crate::{state_key, IbcError, Path};
use cnidarium::{StateRead, StateWrite};
use hub_framework::TxCtx;
use hub_framework::{StateReadProto, StateWriteProto};
use ibc_proto::ibc::core::commitment::v1::MerklePrefix;
use ibc_proto::ibc::core::connection::v1::{ClientPaths, State as PbState};
pub use ibc_proto::ibc::core::connection::v1::{ConnectionEnd, Counterparty, Version};

pub use crate::state_key::NEXT_CONNECTION_SEQUENCE;

/// The connection version this chain supports: identifier `1` with both orderings
/// (ibc-go `DefaultIBCVersion`).
pub fn default_version() -> Version {
    Version {
        identifier: "1".into(),
        features: vec!["ORDER_ORDERED".into(), "ORDER_UNORDERED".into()],
    }
}

/// The proof context of a connection: its client, the counterparty's commitment prefix (empty
/// if unset), and the delay (packet proofs only).
pub(crate) fn proof_ctx<'a>(
    tx: &TxCtx,
    conn: &'a ConnectionEnd,
    with_delay: bool,
) -> ProofContext<'a> {
    let prefix = conn
        .counterparty
        .as_ref()
        .and_then(|c| c.prefix.as_ref())
        .map(|p| p.key_prefix.as_slice())
        .unwrap_or_default();
    ProofContext {
        client_id: &conn.client_id,
        now: tx.block.time,
        host_height: tx.block.height,
        delay_period_ns: if with_delay { conn.delay_period } else { 0 },
        prefix,
    }
}

/// A connection's handshake state (ibc-go `connectiontypes.State`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnState {
    /// Not stored / unknown value.
    Uninitialized,
    /// After `ConnOpenInit`.
    Init,
    /// After `ConnOpenTry`.
    TryOpen,
    /// Handshake complete.
    Open,
}

impl ConnState {
    /// From the stored `i32`.
    pub fn of(c: &ConnectionEnd) -> Self {
        match PbState::try_from(c.state) {
            Ok(PbState::Init) => ConnState::Init,
            Ok(PbState::Tryopen) => ConnState::TryOpen,
            Ok(PbState::Open) => ConnState::Open,
            _ => ConnState::Uninitialized,
        }
    }

    /// The protobuf value.
    pub fn to_i32(self) -> i32 {
        match self {
            ConnState::Uninitialized => PbState::UninitializedUnspecified as i32,
            ConnState::Init => PbState::Init as i32,
            ConnState::TryOpen => PbState::Tryopen as i32,
            ConnState::Open => PbState::Open as i32,
        }
    }
}

/// Checks a version is well formed and supported: identifier `1` and features a subset of
/// `ORDER_ORDERED`, `ORDER_UNORDERED`. Errors: `connection`/9.
pub fn check_supported(v: &Version) -> Result<(), IbcError> {
    let supported = default_version();
    if v.identifier != supported.identifier {
        return Err(IbcError::InvalidVersion(format!(
            "version identifier {:?} is not supported (only \"1\")",
            v.identifier
        )));
    }
    if v.features.is_empty() {
        return Err(IbcError::InvalidVersion("version has no features".into()));
    }
    if let Some(f) = v.features.iter().find(|f| !supported.features.contains(f)) {
        return Err(IbcError::InvalidVersion(format!(
            "feature {f:?} is not supported"
        )));
    }
    Ok(())
}

/// ibc-go `PickVersion`: the first supported version present in the counterparty's list, with
/// the intersection of features. Errors: `connection`/10.
pub fn pick_version(counterparty: &[Version]) -> Result<Version, IbcError> {
    let ours = default_version();
    let theirs = counterparty
        .iter()
        .find(|v| v.identifier == ours.identifier)
        .ok_or_else(|| {
            IbcError::VersionNegotiationFailed(format!(
                "no counterparty version with identifier {:?}",
                ours.identifier
            ))
        })?;
    let features: Vec<String> = ours
        .features
        .iter()
        .filter(|f| theirs.features.contains(f))
        .cloned()
        .collect();
    if features.is_empty() {
        return Err(IbcError::VersionNegotiationFailed(
            "no common features".into(),
        ));
    }
    Ok(Version {
        identifier: ours.identifier,
        features,
    })
}

/// True if the connection's (single) version allows channels of `ordering`
/// (`ORDER_ORDERED` also permits ORDERED_ALLOW_TIMEOUT).
pub fn supports_ordering(c: &ConnectionEnd, feature: &str) -> bool {
    c.versions.len() == 1 && c.versions[0].features.iter().any(|f| f == feature)
}

/// This chain's commitment prefix as the counterparty must record it.
pub fn our_prefix() -> MerklePrefix {
    MerklePrefix {
        key_prefix: crate::commitment::COMMITMENT_PREFIX.as_bytes().to_vec(),
    }
}

/// Reads of connection state. Blanket-implemented for every `StateRead`.
pub trait ConnectionRead: StateRead {
    /// The connection end. Errors: `connection`/3.
    async fn connection(&self, id: &str) -> Result<ConnectionEnd, IbcError> {
        let key = state_key::path(&Path::Connection {
            connection_id: id.into(),
        });
        self.get_proto(&key)
            .await
            .map_err(|e| IbcError::InvalidConnection(e.log))?
            .ok_or_else(|| IbcError::ConnectionNotFound(id.into()))
    }

    /// Connection ids opened on `client_id`, in creation order.
    async fn client_connections(&self, client_id: &str) -> Result<Vec<String>, IbcError> {
        let key = state_key::path(&Path::ClientConnections {
            client_id: client_id.into(),
        });
        Ok(self
            .get_proto::<ClientPaths>(&key)
            .await
            .map_err(|e| IbcError::InvalidConnection(e.log))?
            .map(|p| p.paths)
            .unwrap_or_default())
    }

    /// The next connection sequence (0 before the first connection).
    async fn next_connection_sequence(&self) -> Result<u64, IbcError> {
        let key = NEXT_CONNECTION_SEQUENCE;
        state_key::read_sequence(self, key, IbcError::InvalidConnection).await
    }
}

impl<T: StateRead + ?Sized> ConnectionRead for T {}

/// Writes of connection state. Blanket-implemented for every `StateWrite`.
pub trait ConnectionWrite: StateWrite {
    /// Stores the connection end at `connections/{id}`.
    fn put_connection(&mut self, id: &str, c: &ConnectionEnd) {
        let key = state_key::path(&Path::Connection {
            connection_id: id.into(),
        });
        self.put_proto(key, c);
    }

    /// Stores the list of connections of a client.
    fn put_client_connections(&mut self, client_id: &str, ids: Vec<String>) {
        let key = state_key::path(&Path::ClientConnections {
            client_id: client_id.into(),
        });
        self.put_proto(key, &ClientPaths { paths: ids });
    }
}

impl<T: StateWrite + ?Sized> ConnectionWrite for T {}
