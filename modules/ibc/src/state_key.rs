//! Every key the IBC module writes, in one place. All live in the `ibc` substore under
//! [`COMMITMENT_PREFIX`]:
//!
//! - the provable ICS-24 paths ([`path`] of a [`Path`]), exactly as ibc-go writes them
//!   (`modules/core/24-host`);
//! - the identifier sequences (`nextClientSequence`, `nextConnectionSequence`,
//!   `nextChannelSequence`, ibc-go's keys);
//! - per consensus state, the host time and height it was processed at and an ordered height
//!   index (ibc-go `07-tendermint/store.go`), for connection delays and pruning;
//! - the prefixes the list queries read.
//!
//! (The `ping` application, its own crate, keeps its records under `ibc/ping/`.)

use crate::{Height, IbcError, Path};
use cnidarium::StateRead;
use hub_framework::StateReadProto;

pub use crate::commitment::COMMITMENT_PREFIX;

/// The store key of an ICS-24 path: `ibc/{path}`.
pub fn path(path: &Path) -> String {
    format!("{COMMITMENT_PREFIX}/{path}")
}

/// `ibc/clients/{client}/clientState`: the [`path`] of [`Path::ClientState`].
pub fn client_state(client_id: &str) -> String {
    path(&Path::ClientState {
        client_id: client_id.into(),
    })
}

/// `ibc/clients/{client}/consensusStates/{height}`: the [`path`] of [`Path::ConsensusState`].
pub fn consensus_state(client_id: &str, height: Height) -> String {
    path(&Path::ConsensusState {
        client_id: client_id.into(),
        height,
    })
}

/// `ibc/nextClientSequence` (be64): the sequence of the next client id.
pub const NEXT_CLIENT_SEQUENCE: &str = "ibc/nextClientSequence";

/// `ibc/nextConnectionSequence` (be64): the sequence of the next connection id.
pub const NEXT_CONNECTION_SEQUENCE: &str = "ibc/nextConnectionSequence";

/// `ibc/nextChannelSequence` (be64): the sequence of the next channel id.
pub const NEXT_CHANNEL_SEQUENCE: &str = "ibc/nextChannelSequence";

/// The identifier sequence stored at `key` (one of the three above); 0 before the first
/// identifier. A read error becomes `err` (the module's invalid-state error) with its log.
pub(crate) async fn read_sequence<S: StateRead + ?Sized>(
    s: &S,
    key: &str,
    err: fn(String) -> IbcError,
) -> Result<u64, IbcError> {
    Ok(s.get_u64(key).await.map_err(|e| err(e.log))?.unwrap_or(0))
}

/// `ibc/clients/{client}/consensusStates/{height}/processedTime` (be64 nanoseconds).
pub fn processed_time(client_id: &str, h: Height) -> String {
    format!("{COMMITMENT_PREFIX}/clients/{client_id}/consensusStates/{h}/processedTime")
}

/// `ibc/clients/{client}/consensusStates/{height}/processedHeight` (be64 host height).
pub fn processed_height(client_id: &str, h: Height) -> String {
    format!("{COMMITMENT_PREFIX}/clients/{client_id}/consensusStates/{h}/processedHeight")
}

/// The prefix of a client's height index.
pub fn height_index_prefix(client_id: &str) -> String {
    format!("{COMMITMENT_PREFIX}/clients/{client_id}/iterateConsensusStates/")
}

/// A client's height-index entry for `h`: revision number and height in fixed-width hex, so
/// that key order is height order.
pub fn height_index(client_id: &str, h: Height) -> String {
    format!(
        "{}{:016x}{:016x}",
        height_index_prefix(client_id),
        h.revision_number,
        h.revision_height
    )
}

/// `ibc/clients/`: client states (and their consensus states) for `ClientStates`.
pub fn clients_prefix() -> String {
    format!("{COMMITMENT_PREFIX}/clients/")
}

/// `ibc/connections/`: connection ends for `Connections`.
pub fn connections_prefix() -> String {
    format!("{COMMITMENT_PREFIX}/connections/")
}

/// `ibc/channelEnds/ports/`: channel ends for `Channels`.
pub fn channel_ends_prefix() -> String {
    format!("{COMMITMENT_PREFIX}/channelEnds/ports/")
}

/// `ibc/{kind}/ports/{port}/channels/{channel}/sequences/`: the packet records of one kind
/// (`commitments`, `receipts`, `acks`) of a channel end.
pub fn packets_prefix(kind: &str, port: &str, channel: &str) -> String {
    format!("{COMMITMENT_PREFIX}/{kind}/ports/{port}/channels/{channel}/sequences/")
}

/// `ibc/{kind}/ports/{port}/channels/{channel}`: a channel end's sequence of one kind
/// (`nextSequenceSend`, `nextSequenceRecv`, `nextSequenceAck`).
pub fn channel_sequence(kind: &str, port: &str, channel: &str) -> String {
    format!("{COMMITMENT_PREFIX}/{kind}/ports/{port}/channels/{channel}")
}
