//! The IBC core query services `ibc.core.client.v1.Query`, `ibc.core.connection.v1.Query` and
//! `ibc.core.channel.v1.Query`, served over gRPC and gRPC-over-ABCI
//! (ibc-go `modules/core/0{2,3,4}-*/keeper/grpc_query.go`).
//!
//! As in ibc-go, responses carry no proof bytes (a relayer that needs a proof reads the key
//! through `abci_query` `store/ibc/key` with `prove`), and every `proof_height` / `height` is
//! this chain's height at the queried snapshot: `(revision of the chain id, snapshot
//! version)` ([`Host`]).
//!
//! Errors follow what ibc-go's answers become over ABCI (the Cosmos SDK maps gRPC status codes
//! to root codes): a missing client, consensus state, connection, channel, commitment or ack is
//! `sdk`/38 (gRPC NotFound), a malformed identifier, a zero sequence or zero height is
//! `sdk`/18 (gRPC InvalidArgument). The log keeps ibc-go's wording of the underlying error.
//!
//! Lists are paginated like the Cosmos SDK's `query.Paginate` ([`paginate`]): `key` or
//! `offset`, `limit` (0 = 100 and count the total; at most [`MAX_LIMIT`] = 1000, or 100 000
//! for packet commitments and acks, which Hermes reads in one page), `count_total`,
//! `reverse`; `next_key` is empty on the last page. Clients, connections and
//! channels come in identifier order (byte order, as ibc-go's store iteration), packet
//! commitments and acks in sequence order, and consensus states in height order.

use crate::channel::{ChannelEnd, ChannelRead, Order, SequenceKind};
use crate::client::ClientRead;
use crate::connection::{ConnectionEnd, ConnectionRead};
use crate::identifier::{
    validate_channel_id, validate_client_id, validate_connection_id, validate_port_id,
};
use crate::{revision_of_chain_id, state_key, Height, IbcError};
use cnidarium::StateRead;
use hub_framework::{Handled, ModuleError, SdkError, StateReadProto};
use ibc_proto::google::protobuf::Any;
use ibc_proto::ibc::core::channel::v1 as chpb;
use ibc_proto::ibc::core::client::v1 as cpb;
use ibc_proto::ibc::core::connection::v1 as connpb;
use tendermint::Time;

use crate::params::ParamsRead;
/// Re-exported from [`hub_framework::pagination`], where the paging of every list query lives
/// (`ibc_proto::cosmos` is `cosmos_sdk_proto::cosmos`, so the types are the same).
pub use hub_framework::pagination::{paginate, paginate_with_max, DEFAULT_LIMIT, MAX_LIMIT};

/// This chain as of the queried snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Host {
    /// `(revision of the chain id, snapshot version)`: the `proof_height` / `height` of every
    /// response (ibc-go `GetSelfHeight` of the query context).
    pub height: Height,
    /// The time of the block the snapshot ends with; `ClientStatus` measures expiry against
    /// it, as ibc-go uses the query context's block time.
    pub time: Time,
}

impl Host {
    /// The host at snapshot `version` of chain `chain_id`, whose last block has time
    /// `block_time_ns` (ns since the Unix epoch). Without a block time (genesis) the Unix epoch
    /// is used, so no client counts as expired.
    pub fn new(chain_id: &str, version: u64, block_time_ns: Option<u64>) -> Self {
        let time = block_time_ns
            .and_then(|ns| {
                let secs = i64::try_from(ns / 1_000_000_000).ok()?;
                let nanos = u32::try_from(ns % 1_000_000_000).ok()?;
                Time::from_unix_timestamp(secs, nanos).ok()
            })
            .unwrap_or_else(Time::unix_epoch);
        Host {
            height: Height::new(revision_of_chain_id(chain_id), version),
            time,
        }
    }

    /// The host a query context describes: [`Host::new`] of its chain id, height and block time.
    pub fn of(ctx: &hub_framework::route::QueryCtx<'_>) -> Self {
        Host::new(ctx.chain_id, ctx.height, ctx.block_time_ns)
    }

    fn proof_height(&self) -> Option<cpb::Height> {
        Some(self.height.into())
    }
}

// ---------------------------------------------------------------------------------------------
// errors and pagination

fn not_found(what: impl std::fmt::Display) -> ModuleError {
    SdkError::NotFound(what.to_string()).into()
}

fn invalid(what: impl std::fmt::Display) -> ModuleError {
    SdkError::InvalidRequest(what.to_string()).into()
}

/// A state-reader error as a query error: the `*NotFound` cases become `sdk`/38.
fn lift(e: IbcError) -> ModuleError {
    match e {
        IbcError::ClientNotFound(_)
        | IbcError::ConsensusStateNotFound(_)
        | IbcError::ConnectionNotFound(_)
        | IbcError::ChannelNotFound(_) => not_found(e),
        other => other.into(),
    }
}

fn check(r: Result<(), IbcError>) -> Handled {
    r.map_err(invalid)
}

fn check_port_channel(port: &str, chan: &str) -> Handled {
    check(validate_port_id(port))?;
    check(validate_channel_id(chan))
}

fn check_sequence(seq: u64) -> Handled {
    if seq == 0 {
        return Err(invalid("packet sequence cannot be 0"));
    }
    Ok(())
}

/// The rows under `prefix` as `(rest of the key, value)`, in key order.
async fn rows_under<S: StateRead>(
    s: &S,
    prefix: &str,
) -> Result<Vec<(String, Vec<u8>)>, ModuleError> {
    Ok(s.prefix_raw_vec(prefix)
        .await?
        .into_iter()
        .filter_map(|(k, v)| k.strip_prefix(prefix).map(|rest| (rest.to_string(), v)))
        .collect())
}

/// `(be64 sequence, PacketState)` rows of the commitments or acks (`kind`) of a channel,
/// ascending by sequence.
async fn packet_states<S: StateRead>(
    s: &S,
    kind: &str,
    port: &str,
    chan: &str,
) -> Result<Vec<(Vec<u8>, chpb::PacketState)>, ModuleError> {
    let prefix = crate::state_key::packets_prefix(kind, port, chan);
    let mut rows: Vec<(u64, Vec<u8>)> = rows_under(s, &prefix)
        .await?
        .into_iter()
        .filter_map(|(rest, v)| rest.parse::<u64>().ok().map(|seq| (seq, v)))
        .collect();
    rows.sort_by_key(|(seq, _)| *seq);
    Ok(rows
        .into_iter()
        .map(|(sequence, data)| {
            (
                sequence.to_be_bytes().to_vec(),
                chpb::PacketState {
                    port_id: port.into(),
                    channel_id: chan.into(),
                    sequence,
                    data,
                },
            )
        })
        .collect())
}

fn height_key(h: Height) -> Vec<u8> {
    let mut k = h.revision_number.to_be_bytes().to_vec();
    k.extend_from_slice(&h.revision_height.to_be_bytes());
    k
}

/// The stored client state as `Any`. Errors: `sdk`/38.
async fn client_any<S: StateRead>(s: &S, client_id: &str) -> Result<Any, ModuleError> {
    let key = state_key::client_state(client_id);
    s.get_proto::<Any>(&key)
        .await?
        .ok_or_else(|| not_found(IbcError::ClientNotFound(client_id.into())))
}

/// The stored consensus state at `height` as `Any`, if any.
async fn consensus_any<S: StateRead>(
    s: &S,
    client_id: &str,
    height: Height,
) -> Result<Option<Any>, ModuleError> {
    let key = state_key::consensus_state(client_id, height);
    s.get_proto::<Any>(&key).await
}

/// The consensus state at `height` as `Any`. Errors: `sdk`/38.
async fn consensus_any_required<S: StateRead>(
    s: &S,
    client_id: &str,
    height: Height,
) -> Result<Any, ModuleError> {
    consensus_any(s, client_id, height).await?.ok_or_else(|| {
        not_found(IbcError::ConsensusStateNotFound(format!(
            "client-id: {client_id}, height: {height}"
        )))
    })
}

// ---------------------------------------------------------------------------------------------
// ibc.core.client.v1.Query

/// `Query/ClientState`: the client state (`Any`) of a client.
///
/// Errors: `sdk`/18 malformed id; `sdk`/38 no such client.
pub async fn client_state<S: StateRead>(
    s: &S,
    host: &Host,
    req: &cpb::QueryClientStateRequest,
) -> Result<cpb::QueryClientStateResponse, ModuleError> {
    check(validate_client_id(&req.client_id))?;
    Ok(cpb::QueryClientStateResponse {
        client_state: Some(client_any(s, &req.client_id).await?),
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

/// `Query/ClientStates`: every client with its state, by client id, paginated.
///
/// Errors: `sdk`/18 bad pagination.
pub async fn client_states<S: StateRead>(
    s: &S,
    _host: &Host,
    req: &cpb::QueryClientStatesRequest,
) -> Result<cpb::QueryClientStatesResponse, ModuleError> {
    let prefix = crate::state_key::clients_prefix();
    let mut rows = Vec::new();
    for (rest, value) in rows_under(s, &prefix).await? {
        let Some((id, "clientState")) = rest.split_once('/') else {
            continue;
        };
        let any = <Any as prost::Message>::decode(value.as_slice())
            .map_err(|e| ModuleError::internal(format!("corrupt client state of {id}: {e}")))?;
        rows.push((
            id.as_bytes().to_vec(),
            cpb::IdentifiedClientState {
                client_id: id.to_string(),
                client_state: Some(any),
            },
        ));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let (client_states, page) = paginate(rows, req.pagination.as_ref())?;
    Ok(cpb::QueryClientStatesResponse {
        client_states,
        pagination: Some(page),
    })
}

/// `Query/ConsensusState`: the consensus state of a client at a height, or at the client's
/// latest height with `latest_height`.
///
/// Errors: `sdk`/18 malformed id, or a zero revision height without `latest_height`;
/// `sdk`/38 no such client (with `latest_height`) or no consensus state at that height.
pub async fn consensus_state<S: StateRead>(
    s: &S,
    host: &Host,
    req: &cpb::QueryConsensusStateRequest,
) -> Result<cpb::QueryConsensusStateResponse, ModuleError> {
    check(validate_client_id(&req.client_id))?;
    let height = if req.latest_height {
        s.client_state(&req.client_id)
            .await
            .map_err(lift)?
            .latest_height
    } else {
        if req.revision_height == 0 {
            return Err(invalid("consensus state height cannot be 0"));
        }
        Height::new(req.revision_number, req.revision_height)
    };
    Ok(cpb::QueryConsensusStateResponse {
        consensus_state: Some(consensus_any_required(s, &req.client_id, height).await?),
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

/// `Query/ConsensusStates`: the consensus states of a client with their heights, ascending,
/// paginated. An unknown client has none.
///
/// Errors: `sdk`/18 malformed id or bad pagination.
pub async fn consensus_states<S: StateRead>(
    s: &S,
    _host: &Host,
    req: &cpb::QueryConsensusStatesRequest,
) -> Result<cpb::QueryConsensusStatesResponse, ModuleError> {
    check(validate_client_id(&req.client_id))?;
    let heights = s.consensus_heights(&req.client_id).await.map_err(lift)?;
    let rows = heights.into_iter().map(|h| (height_key(h), h)).collect();
    let (heights, page) = paginate(rows, req.pagination.as_ref())?;
    let mut consensus_states = Vec::with_capacity(heights.len());
    for h in heights {
        if let Some(any) = consensus_any(s, &req.client_id, h).await? {
            consensus_states.push(cpb::ConsensusStateWithHeight {
                height: Some(h.into()),
                consensus_state: Some(any),
            });
        }
    }
    Ok(cpb::QueryConsensusStatesResponse {
        consensus_states,
        pagination: Some(page),
    })
}

/// `Query/ConsensusStateHeights`: the heights of a client's consensus states, ascending,
/// paginated. An unknown client has none.
///
/// Errors: `sdk`/18 malformed id or bad pagination.
pub async fn consensus_state_heights<S: StateRead>(
    s: &S,
    _host: &Host,
    req: &cpb::QueryConsensusStateHeightsRequest,
) -> Result<cpb::QueryConsensusStateHeightsResponse, ModuleError> {
    check(validate_client_id(&req.client_id))?;
    let heights = s.consensus_heights(&req.client_id).await.map_err(lift)?;
    let rows = heights.into_iter().map(|h| (height_key(h), h)).collect();
    let (heights, page) = paginate(rows, req.pagination.as_ref())?;
    Ok(cpb::QueryConsensusStateHeightsResponse {
        consensus_state_heights: heights.into_iter().map(Into::into).collect(),
        pagination: Some(page),
    })
}

/// `Query/ClientStatus`: `Active`, `Expired` or `Frozen` at the snapshot's block time.
///
/// Errors: `sdk`/18 malformed id; `sdk`/38 no such client.
pub async fn client_status<S: StateRead>(
    s: &S,
    host: &Host,
    req: &cpb::QueryClientStatusRequest,
) -> Result<cpb::QueryClientStatusResponse, ModuleError> {
    check(validate_client_id(&req.client_id))?;
    let status = s
        .client_status(&req.client_id, host.time)
        .await
        .map_err(lift)?;
    Ok(cpb::QueryClientStatusResponse {
        status: status.to_string(),
    })
}

/// `Query/ClientParams`: the allowed client types (`["*"]`, every type, unless governance
/// set them). Errors: `client`/3 undecodable stored params.
pub async fn client_params<S: StateRead>(
    s: &S,
    _host: &Host,
    _req: &cpb::QueryClientParamsRequest,
) -> Result<cpb::QueryClientParamsResponse, ModuleError> {
    Ok(cpb::QueryClientParamsResponse {
        params: Some(s.client_params().await?),
    })
}

// ---------------------------------------------------------------------------------------------
// ibc.core.connection.v1.Query

/// `Query/Connection`: a connection end.
///
/// Errors: `sdk`/18 malformed id; `sdk`/38 no such connection.
pub async fn connection<S: StateRead>(
    s: &S,
    host: &Host,
    req: &connpb::QueryConnectionRequest,
) -> Result<connpb::QueryConnectionResponse, ModuleError> {
    check(validate_connection_id(&req.connection_id))?;
    let conn = s.connection(&req.connection_id).await.map_err(lift)?;
    Ok(connpb::QueryConnectionResponse {
        connection: Some(conn),
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

fn identified_connection(id: &str, c: ConnectionEnd) -> connpb::IdentifiedConnection {
    connpb::IdentifiedConnection {
        id: id.into(),
        client_id: c.client_id,
        versions: c.versions,
        state: c.state,
        counterparty: c.counterparty,
        delay_period: c.delay_period,
    }
}

/// `Query/Connections`: every connection end with its id, by id, paginated.
///
/// Errors: `sdk`/18 bad pagination.
pub async fn connections<S: StateRead>(
    s: &S,
    host: &Host,
    req: &connpb::QueryConnectionsRequest,
) -> Result<connpb::QueryConnectionsResponse, ModuleError> {
    let prefix = crate::state_key::connections_prefix();
    let mut rows = Vec::new();
    for (id, value) in rows_under(s, &prefix).await? {
        if id.contains('/') {
            continue;
        }
        let c = <ConnectionEnd as prost::Message>::decode(value.as_slice())
            .map_err(|e| ModuleError::internal(format!("corrupt connection {id}: {e}")))?;
        rows.push((id.as_bytes().to_vec(), identified_connection(&id, c)));
    }
    let (connections, page) = paginate(rows, req.pagination.as_ref())?;
    Ok(connpb::QueryConnectionsResponse {
        connections,
        pagination: Some(page),
        height: host.proof_height(),
    })
}

/// `Query/ClientConnections`: the ids of the connections opened on a client.
///
/// Errors: `sdk`/18 malformed id; `sdk`/38 if the client has no connection (Hermes reads
/// that as an empty list).
pub async fn client_connections<S: StateRead>(
    s: &S,
    host: &Host,
    req: &connpb::QueryClientConnectionsRequest,
) -> Result<connpb::QueryClientConnectionsResponse, ModuleError> {
    check(validate_client_id(&req.client_id))?;
    let paths = s.client_connections(&req.client_id).await.map_err(lift)?;
    if paths.is_empty() {
        return Err(not_found(format!(
            "{}: light client connection paths not found",
            req.client_id
        )));
    }
    Ok(connpb::QueryClientConnectionsResponse {
        connection_paths: paths,
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

/// `Query/ConnectionClientState`: the client state under a connection, with the client id.
///
/// Errors: `sdk`/18 malformed id; `sdk`/38 no such connection or client.
pub async fn connection_client_state<S: StateRead>(
    s: &S,
    host: &Host,
    req: &connpb::QueryConnectionClientStateRequest,
) -> Result<connpb::QueryConnectionClientStateResponse, ModuleError> {
    check(validate_connection_id(&req.connection_id))?;
    let conn = s.connection(&req.connection_id).await.map_err(lift)?;
    let any = client_any(s, &conn.client_id).await?;
    Ok(connpb::QueryConnectionClientStateResponse {
        identified_client_state: Some(cpb::IdentifiedClientState {
            client_id: conn.client_id,
            client_state: Some(any),
        }),
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

/// `Query/ConnectionConsensusState`: the consensus state at a height of the client under a
/// connection, with the client id.
///
/// Errors: `sdk`/18 malformed id; `sdk`/38 no such connection or consensus state.
pub async fn connection_consensus_state<S: StateRead>(
    s: &S,
    host: &Host,
    req: &connpb::QueryConnectionConsensusStateRequest,
) -> Result<connpb::QueryConnectionConsensusStateResponse, ModuleError> {
    check(validate_connection_id(&req.connection_id))?;
    let conn = s.connection(&req.connection_id).await.map_err(lift)?;
    let height = Height::new(req.revision_number, req.revision_height);
    let any = consensus_any_required(s, &conn.client_id, height).await?;
    Ok(connpb::QueryConnectionConsensusStateResponse {
        consensus_state: Some(any),
        client_id: conn.client_id,
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

/// `Query/ConnectionParams`: `max_expected_time_per_block` in ns (30 s unless governance set
/// it). Errors: `connection`/8 undecodable stored params.
pub async fn connection_params<S: StateRead>(
    s: &S,
    _host: &Host,
    _req: &connpb::QueryConnectionParamsRequest,
) -> Result<connpb::QueryConnectionParamsResponse, ModuleError> {
    Ok(connpb::QueryConnectionParamsResponse {
        params: Some(s.connection_params().await?),
    })
}

// ---------------------------------------------------------------------------------------------
// ibc.core.channel.v1.Query

/// `Query/Channel`: a channel end.
///
/// Errors: `sdk`/18 malformed ids; `sdk`/38 no such channel.
pub async fn channel<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryChannelRequest,
) -> Result<chpb::QueryChannelResponse, ModuleError> {
    check_port_channel(&req.port_id, &req.channel_id)?;
    let ch = s
        .channel(&req.port_id, &req.channel_id)
        .await
        .map_err(lift)?;
    Ok(chpb::QueryChannelResponse {
        channel: Some(ch),
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

fn identified_channel(port: String, chan: String, c: ChannelEnd) -> chpb::IdentifiedChannel {
    chpb::IdentifiedChannel {
        state: c.state,
        ordering: c.ordering,
        counterparty: c.counterparty,
        connection_hops: c.connection_hops,
        version: c.version,
        port_id: port,
        channel_id: chan,
        upgrade_sequence: c.upgrade_sequence,
    }
}

/// Every channel end as `(page key, IdentifiedChannel)`, in key order.
async fn all_channels<S: StateRead>(
    s: &S,
) -> Result<Vec<(Vec<u8>, chpb::IdentifiedChannel)>, ModuleError> {
    let prefix = crate::state_key::channel_ends_prefix();
    let mut rows = Vec::new();
    for (rest, value) in rows_under(s, &prefix).await? {
        let Some((port, chan)) = rest.split_once("/channels/") else {
            continue;
        };
        if port.contains('/') || chan.contains('/') {
            continue;
        }
        let c = <ChannelEnd as prost::Message>::decode(value.as_slice())
            .map_err(|e| ModuleError::internal(format!("corrupt channel {port}/{chan}: {e}")))?;
        rows.push((
            rest.as_bytes().to_vec(),
            identified_channel(port.into(), chan.into(), c),
        ));
    }
    Ok(rows)
}

/// `Query/Channels`: every channel end with its port and id, by port then id, paginated.
///
/// Errors: `sdk`/18 bad pagination.
pub async fn channels<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryChannelsRequest,
) -> Result<chpb::QueryChannelsResponse, ModuleError> {
    let (channels, page) = paginate(all_channels(s).await?, req.pagination.as_ref())?;
    Ok(chpb::QueryChannelsResponse {
        channels,
        pagination: Some(page),
        height: host.proof_height(),
    })
}

/// `Query/ConnectionChannels`: the channels whose (single) connection hop is `connection`,
/// paginated. An unknown connection has none.
///
/// Errors: `sdk`/18 malformed id or bad pagination.
pub async fn connection_channels<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryConnectionChannelsRequest,
) -> Result<chpb::QueryConnectionChannelsResponse, ModuleError> {
    check(validate_connection_id(&req.connection))?;
    let rows = all_channels(s)
        .await?
        .into_iter()
        .filter(|(_, c)| c.connection_hops.first() == Some(&req.connection))
        .collect();
    let (channels, page) = paginate(rows, req.pagination.as_ref())?;
    Ok(chpb::QueryConnectionChannelsResponse {
        channels,
        pagination: Some(page),
        height: host.proof_height(),
    })
}

/// The connection under a channel. Errors: `sdk`/38 no channel or connection.
async fn channel_connection<S: StateRead>(
    s: &S,
    port: &str,
    chan: &str,
) -> Result<ConnectionEnd, ModuleError> {
    let ch = s.channel(port, chan).await.map_err(lift)?;
    let hop = ch.connection_hops.first().ok_or_else(|| {
        not_found(IbcError::ConnectionNotFound(format!(
            "channel {port}/{chan} has no connection hop"
        )))
    })?;
    s.connection(hop).await.map_err(lift)
}

/// `Query/ChannelClientState`: the client state under a channel's connection, with the
/// client id.
///
/// Errors: `sdk`/18 malformed ids; `sdk`/38 no such channel, connection or client.
pub async fn channel_client_state<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryChannelClientStateRequest,
) -> Result<chpb::QueryChannelClientStateResponse, ModuleError> {
    check_port_channel(&req.port_id, &req.channel_id)?;
    let conn = channel_connection(s, &req.port_id, &req.channel_id).await?;
    let any = client_any(s, &conn.client_id).await?;
    Ok(chpb::QueryChannelClientStateResponse {
        identified_client_state: Some(cpb::IdentifiedClientState {
            client_id: conn.client_id,
            client_state: Some(any),
        }),
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

/// `Query/ChannelConsensusState`: the consensus state at a height of the client under a
/// channel's connection, with the client id.
///
/// Errors: `sdk`/18 malformed ids; `sdk`/38 no such channel, connection or consensus state.
pub async fn channel_consensus_state<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryChannelConsensusStateRequest,
) -> Result<chpb::QueryChannelConsensusStateResponse, ModuleError> {
    check_port_channel(&req.port_id, &req.channel_id)?;
    let conn = channel_connection(s, &req.port_id, &req.channel_id).await?;
    let height = Height::new(req.revision_number, req.revision_height);
    let any = consensus_any_required(s, &conn.client_id, height).await?;
    Ok(chpb::QueryChannelConsensusStateResponse {
        consensus_state: Some(any),
        client_id: conn.client_id,
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

/// `Query/PacketCommitment`: the commitment of a sent, not yet acknowledged or timed-out
/// packet.
///
/// Errors: `sdk`/18 malformed ids or sequence 0; `sdk`/38 no commitment.
pub async fn packet_commitment<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryPacketCommitmentRequest,
) -> Result<chpb::QueryPacketCommitmentResponse, ModuleError> {
    check_port_channel(&req.port_id, &req.channel_id)?;
    check_sequence(req.sequence)?;
    let commitment = s
        .packet_commitment(&req.port_id, &req.channel_id, req.sequence)
        .await
        .map_err(lift)?
        .filter(|c| !c.is_empty())
        .ok_or_else(|| not_found("packet commitment hash not found"))?;
    Ok(chpb::QueryPacketCommitmentResponse {
        commitment,
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

/// `Query/PacketCommitments`: the packet commitments of a channel, by sequence, paginated,
/// with the height (Hermes requires it).
///
/// Errors: `sdk`/18 malformed ids or bad pagination.
pub async fn packet_commitments<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryPacketCommitmentsRequest,
) -> Result<chpb::QueryPacketCommitmentsResponse, ModuleError> {
    check_port_channel(&req.port_id, &req.channel_id)?;
    let rows = packet_states(s, "commitments", &req.port_id, &req.channel_id).await?;
    let (commitments, page) = paginate_with_max(
        rows,
        req.pagination.as_ref(),
        hub_framework::RELAYER_MAX_LIMIT,
    )?;
    Ok(chpb::QueryPacketCommitmentsResponse {
        commitments,
        pagination: Some(page),
        height: host.proof_height(),
    })
}

/// `Query/PacketReceipt`: whether a receipt is stored for a sequence (UNORDERED channels;
/// ORDERED ones keep no receipts).
///
/// Errors: `sdk`/18 malformed ids or sequence 0.
pub async fn packet_receipt<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryPacketReceiptRequest,
) -> Result<chpb::QueryPacketReceiptResponse, ModuleError> {
    check_port_channel(&req.port_id, &req.channel_id)?;
    check_sequence(req.sequence)?;
    let received = s
        .has_receipt(&req.port_id, &req.channel_id, req.sequence)
        .await
        .map_err(lift)?;
    Ok(chpb::QueryPacketReceiptResponse {
        received,
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

/// `Query/PacketAcknowledgement`: the ack commitment written for a received packet.
///
/// Errors: `sdk`/18 malformed ids or sequence 0; `sdk`/38 no ack.
pub async fn packet_acknowledgement<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryPacketAcknowledgementRequest,
) -> Result<chpb::QueryPacketAcknowledgementResponse, ModuleError> {
    check_port_channel(&req.port_id, &req.channel_id)?;
    check_sequence(req.sequence)?;
    let acknowledgement = s
        .ack_commitment(&req.port_id, &req.channel_id, req.sequence)
        .await
        .map_err(lift)?
        .filter(|c| !c.is_empty())
        .ok_or_else(|| not_found("packet acknowledgement hash not found"))?;
    Ok(chpb::QueryPacketAcknowledgementResponse {
        acknowledgement,
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

/// `Query/PacketAcknowledgements`: the ack commitments of a channel with the height.
///
/// With `packet_commitment_sequences`, only the acks of those sequences that exist, in the
/// request's order, unpaginated (`pagination` is then absent, as ibc-go); otherwise every
/// ack by sequence, paginated.
///
/// Errors: `sdk`/18 malformed ids or bad pagination.
pub async fn packet_acknowledgements<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryPacketAcknowledgementsRequest,
) -> Result<chpb::QueryPacketAcknowledgementsResponse, ModuleError> {
    check_port_channel(&req.port_id, &req.channel_id)?;
    let (port, chan) = (&req.port_id, &req.channel_id);
    if !req.packet_commitment_sequences.is_empty() {
        let mut acknowledgements = Vec::new();
        for &sequence in &req.packet_commitment_sequences {
            if let Some(data) = s
                .ack_commitment(port, chan, sequence)
                .await
                .map_err(lift)?
                .filter(|c| !c.is_empty())
            {
                acknowledgements.push(chpb::PacketState {
                    port_id: port.clone(),
                    channel_id: chan.clone(),
                    sequence,
                    data,
                });
            }
        }
        return Ok(chpb::QueryPacketAcknowledgementsResponse {
            acknowledgements,
            pagination: None,
            height: host.proof_height(),
        });
    }
    let rows = packet_states(s, "acks", port, chan).await?;
    let (acknowledgements, page) = paginate_with_max(
        rows,
        req.pagination.as_ref(),
        hub_framework::RELAYER_MAX_LIMIT,
    )?;
    Ok(chpb::QueryPacketAcknowledgementsResponse {
        acknowledgements,
        pagination: Some(page),
        height: host.proof_height(),
    })
}

/// `Query/UnreceivedPackets`: of the counterparty's commitment sequences, those this
/// (receiving) chain has not received, in the request's order. UNORDERED: no receipt stored;
/// ORDERED and ORDERED_ALLOW_TIMEOUT: at or above the next receive sequence (a sequence
/// consumed by a timeout receipt counts as received).
///
/// Errors: `sdk`/18 malformed ids, a zero sequence or an unknown ordering; `sdk`/38 no such
/// channel.
pub async fn unreceived_packets<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryUnreceivedPacketsRequest,
) -> Result<chpb::QueryUnreceivedPacketsResponse, ModuleError> {
    check_port_channel(&req.port_id, &req.channel_id)?;
    let (port, chan) = (&req.port_id, &req.channel_id);
    let ch = s.channel(port, chan).await.map_err(lift)?;
    let order = Order::from_i32(ch.ordering).map_err(invalid)?;
    let next_recv = if order.is_ordered() {
        s.next_sequence(SequenceKind::Recv, port, chan)
            .await
            .map_err(lift)?
    } else {
        0
    };
    let asked = nonzero_sequences(&req.packet_commitment_sequences)?;
    let sequences = if order.is_ordered() {
        asked.into_iter().filter(|&seq| seq >= next_recv).collect()
    } else {
        // Point reads: receipts are never pruned, so a scan would grow with the channel's age.
        filter_concurrently(asked, |seq| async move {
            Ok(!s.has_receipt(port, chan, seq).await.map_err(lift)?)
        })
        .await?
    };
    Ok(chpb::QueryUnreceivedPacketsResponse {
        sequences,
        height: host.proof_height(),
    })
}

/// `Query/UnreceivedAcks`: of the sequences whose acks the counterparty wrote, those whose
/// packet commitment still exists on this (sending) chain, i.e. whose ack was not yet
/// delivered here, in the request's order.
///
/// Errors: `sdk`/18 malformed ids or a zero sequence.
pub async fn unreceived_acks<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryUnreceivedAcksRequest,
) -> Result<chpb::QueryUnreceivedAcksResponse, ModuleError> {
    check_port_channel(&req.port_id, &req.channel_id)?;
    let (port, chan) = (&req.port_id, &req.channel_id);
    let asked = nonzero_sequences(&req.packet_ack_sequences)?;
    let sequences = if asked.len() > SCAN_FROM {
        let pending = stored_sequences(s, "commitments", port, chan, |c| !c.is_empty()).await?;
        asked
            .into_iter()
            .filter(|seq| pending.contains(seq))
            .collect()
    } else {
        filter_concurrently(asked, |seq| async move {
            Ok(s.packet_commitment(port, chan, seq)
                .await
                .map_err(lift)?
                .is_some_and(|c| !c.is_empty()))
        })
        .await?
    };
    Ok(chpb::QueryUnreceivedAcksResponse {
        sequences,
        height: host.proof_height(),
    })
}

/// The sequences of a relayer's request, refused whole if one is zero. Errors: `sdk`/18.
fn nonzero_sequences(asked: &[u64]) -> Result<Vec<u64>, ModuleError> {
    match asked.iter().position(|&seq| seq == 0) {
        Some(i) => Err(invalid(format!("packet sequence {i} cannot be 0"))),
        None => Ok(asked.to_vec()),
    }
}

/// Reads in flight at once for a long sequence list (each state read is a blocking-pool task:
/// one after another, 10 000 of them cost ~150 ms; in flight together, a fraction of that).
const READS_IN_FLIGHT: usize = 64;

/// `UnreceivedAcks` about more sequences than this is answered from one scan of the channel's
/// packet commitments (a stream on one thread) instead of a point read per sequence (a JMT
/// lookup on the blocking pool each): Hermes asks about every pending packet at once,
/// thousands under load, and the commitments are only the pending ones (deleted on ack or
/// timeout), so the scan is bounded by what the relayer asks about.
const SCAN_FROM: usize = 256;

/// The sequences stored under `kind` (`commitments`) for a channel whose value passes `keep`,
/// by one prefix scan. Errors: unreadable state only.
async fn stored_sequences<S: StateRead>(
    s: &S,
    kind: &str,
    port: &str,
    chan: &str,
    keep: fn(&[u8]) -> bool,
) -> Result<std::collections::BTreeSet<u64>, ModuleError> {
    let prefix = state_key::packets_prefix(kind, port, chan);
    let rows = s.prefix_raw_vec(&prefix).await?;
    Ok(rows
        .into_iter()
        .filter(|(_, value)| keep(value))
        .filter_map(|(key, _)| key.get(prefix.len()..)?.parse().ok())
        .collect())
}

/// The sequences for which `keep` answers true, in their order, with up to
/// [`READS_IN_FLIGHT`] reads in flight. Errors: the first of `keep`'s.
async fn filter_concurrently<'a, F, Fut>(asked: Vec<u64>, keep: F) -> Result<Vec<u64>, ModuleError>
where
    F: Fn(u64) -> Fut,
    Fut: std::future::Future<Output = Result<bool, ModuleError>> + 'a,
{
    use futures::StreamExt as _;
    let answers: Vec<Result<bool, ModuleError>> = futures::stream::iter(asked.iter().copied())
        .map(keep)
        .buffered(READS_IN_FLIGHT)
        .collect()
        .await;
    let mut kept = Vec::new();
    for (seq, answer) in asked.into_iter().zip(answers) {
        if answer? {
            kept.push(seq);
        }
    }
    Ok(kept)
}

/// The stored next sequence (`kind` = `nextSequenceSend` | `nextSequenceRecv`).
async fn stored_next_sequence<S: StateRead>(
    s: &S,
    kind: &str,
    port: &str,
    chan: &str,
) -> Result<u64, ModuleError> {
    let key = crate::state_key::channel_sequence(kind, port, chan);
    s.get_u64(&key).await?.ok_or_else(|| {
        not_found(format!(
            "port-id: {port}, channel-id {chan}: {} not found",
            if kind == "nextSequenceSend" {
                "sequence send"
            } else {
                "sequence receive"
            }
        ))
    })
}

/// `Query/NextSequenceReceive`: the next sequence an ORDERED (or ORDERED_ALLOW_TIMEOUT)
/// channel expects; 0 for UNORDERED channels, which do not use it (as ibc-go).
///
/// Errors: `sdk`/18 malformed ids; `sdk`/38 no such channel or no stored sequence.
pub async fn next_sequence_receive<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryNextSequenceReceiveRequest,
) -> Result<chpb::QueryNextSequenceReceiveResponse, ModuleError> {
    check_port_channel(&req.port_id, &req.channel_id)?;
    let ch = s
        .channel(&req.port_id, &req.channel_id)
        .await
        .map_err(lift)?;
    let next_sequence_receive = if ch.ordering == chpb::Order::Unordered as i32 {
        0
    } else {
        stored_next_sequence(s, "nextSequenceRecv", &req.port_id, &req.channel_id).await?
    };
    Ok(chpb::QueryNextSequenceReceiveResponse {
        next_sequence_receive,
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

/// `Query/NextSequenceSend`: the sequence the next packet sent on a channel gets.
///
/// Errors: `sdk`/18 malformed ids; `sdk`/38 no stored sequence (no such channel).
pub async fn next_sequence_send<S: StateRead>(
    s: &S,
    host: &Host,
    req: &chpb::QueryNextSequenceSendRequest,
) -> Result<chpb::QueryNextSequenceSendResponse, ModuleError> {
    check_port_channel(&req.port_id, &req.channel_id)?;
    let next_sequence_send =
        stored_next_sequence(s, "nextSequenceSend", &req.port_id, &req.channel_id).await?;
    Ok(chpb::QueryNextSequenceSendResponse {
        next_sequence_send,
        proof: vec![],
        proof_height: host.proof_height(),
    })
}

/// The services this module answers: `ibc.core.client.v1.Query`,
/// `ibc.core.connection.v1.Query` and `ibc.core.channel.v1.Query` (methods are
/// `client.v1.Query/ClientState`, …).
pub const SERVICE: &str = "/ibc.core.";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
    use super::*;
    use ibc_proto::cosmos::base::query::v1beta1::PageRequest;

    #[test]
    fn ibc_lists_page_with_the_framework_rules_including_the_maximum_limit() {
        let rows: Vec<(Vec<u8>, u64)> = (1..=MAX_LIMIT + 1)
            .map(|i| (i.to_be_bytes().to_vec(), i))
            .collect();
        // Hermes-style "everything" request: capped at MAX_LIMIT, the rest behind next_key
        let all = PageRequest {
            limit: u64::MAX,
            ..Default::default()
        };
        let (items, p) = paginate(rows.clone(), Some(&all)).unwrap();
        assert_eq!(items.len() as u64, MAX_LIMIT);
        assert_eq!(p.next_key, (MAX_LIMIT + 1).to_be_bytes().to_vec());
        let next = PageRequest {
            key: p.next_key,
            ..all
        };
        let (rest, p) = paginate(rows.clone(), Some(&next)).unwrap();
        assert_eq!((rest, p.next_key), (vec![MAX_LIMIT + 1], vec![]));
        // no request: DEFAULT_LIMIT items and the total
        let (items, p) = paginate(rows, None).unwrap();
        assert_eq!(
            (items.len() as u64, p.total),
            (DEFAULT_LIMIT, MAX_LIMIT + 1)
        );
    }

    #[test]
    fn host_heights_carry_the_chain_revision_and_times_decode() {
        let h = Host::new("hub-3", 42, Some(1_700_000_000_500_000_000));
        assert_eq!(h.height, Height::new(3, 42));
        assert_eq!(
            crate::client::types::time_nanos(h.time),
            1_700_000_000_500_000_000
        );
        let g = Host::new("hub", 0, None);
        assert_eq!((g.height, g.time), (Height::new(0, 0), Time::unix_epoch()));
    }
}

hub_framework::query_service! {
    /// IBC core's [`ModuleQuery`](hub_framework::route::ModuleQuery): the client, connection
    /// and channel services under [`SERVICE`], answered at the snapshot's [`Host`].
    Queries, |s, ctx| {
        "client.v1.Query/ClientState"(r: cpb::QueryClientStateRequest) -> cpb::QueryClientStateResponse {
            client_state(s, &Host::of(ctx), &r).await
        }
        "client.v1.Query/ClientStates"(r: cpb::QueryClientStatesRequest) -> cpb::QueryClientStatesResponse {
            client_states(s, &Host::of(ctx), &r).await
        }
        "client.v1.Query/ConsensusState"(r: cpb::QueryConsensusStateRequest) -> cpb::QueryConsensusStateResponse {
            consensus_state(s, &Host::of(ctx), &r).await
        }
        "client.v1.Query/ConsensusStates"(r: cpb::QueryConsensusStatesRequest) -> cpb::QueryConsensusStatesResponse {
            consensus_states(s, &Host::of(ctx), &r).await
        }
        "client.v1.Query/ConsensusStateHeights"(r: cpb::QueryConsensusStateHeightsRequest) -> cpb::QueryConsensusStateHeightsResponse {
            consensus_state_heights(s, &Host::of(ctx), &r).await
        }
        "client.v1.Query/ClientStatus"(r: cpb::QueryClientStatusRequest) -> cpb::QueryClientStatusResponse {
            client_status(s, &Host::of(ctx), &r).await
        }
        "client.v1.Query/ClientParams"(r: cpb::QueryClientParamsRequest) -> cpb::QueryClientParamsResponse {
            client_params(s, &Host::of(ctx), &r).await
        }
        "connection.v1.Query/Connection"(r: connpb::QueryConnectionRequest) -> connpb::QueryConnectionResponse {
            connection(s, &Host::of(ctx), &r).await
        }
        "connection.v1.Query/Connections"(r: connpb::QueryConnectionsRequest) -> connpb::QueryConnectionsResponse {
            connections(s, &Host::of(ctx), &r).await
        }
        "connection.v1.Query/ClientConnections"(r: connpb::QueryClientConnectionsRequest) -> connpb::QueryClientConnectionsResponse {
            client_connections(s, &Host::of(ctx), &r).await
        }
        "connection.v1.Query/ConnectionClientState"(r: connpb::QueryConnectionClientStateRequest) -> connpb::QueryConnectionClientStateResponse {
            connection_client_state(s, &Host::of(ctx), &r).await
        }
        "connection.v1.Query/ConnectionConsensusState"(r: connpb::QueryConnectionConsensusStateRequest) -> connpb::QueryConnectionConsensusStateResponse {
            connection_consensus_state(s, &Host::of(ctx), &r).await
        }
        "connection.v1.Query/ConnectionParams"(r: connpb::QueryConnectionParamsRequest) -> connpb::QueryConnectionParamsResponse {
            connection_params(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/Channel"(r: chpb::QueryChannelRequest) -> chpb::QueryChannelResponse {
            channel(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/Channels"(r: chpb::QueryChannelsRequest) -> chpb::QueryChannelsResponse {
            channels(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/ConnectionChannels"(r: chpb::QueryConnectionChannelsRequest) -> chpb::QueryConnectionChannelsResponse {
            connection_channels(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/ChannelClientState"(r: chpb::QueryChannelClientStateRequest) -> chpb::QueryChannelClientStateResponse {
            channel_client_state(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/ChannelConsensusState"(r: chpb::QueryChannelConsensusStateRequest) -> chpb::QueryChannelConsensusStateResponse {
            channel_consensus_state(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/PacketCommitment"(r: chpb::QueryPacketCommitmentRequest) -> chpb::QueryPacketCommitmentResponse {
            packet_commitment(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/PacketCommitments"(r: chpb::QueryPacketCommitmentsRequest) -> chpb::QueryPacketCommitmentsResponse {
            packet_commitments(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/PacketReceipt"(r: chpb::QueryPacketReceiptRequest) -> chpb::QueryPacketReceiptResponse {
            packet_receipt(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/PacketAcknowledgement"(r: chpb::QueryPacketAcknowledgementRequest) -> chpb::QueryPacketAcknowledgementResponse {
            packet_acknowledgement(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/PacketAcknowledgements"(r: chpb::QueryPacketAcknowledgementsRequest) -> chpb::QueryPacketAcknowledgementsResponse {
            packet_acknowledgements(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/UnreceivedPackets"(r: chpb::QueryUnreceivedPacketsRequest) -> chpb::QueryUnreceivedPacketsResponse {
            unreceived_packets(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/UnreceivedAcks"(r: chpb::QueryUnreceivedAcksRequest) -> chpb::QueryUnreceivedAcksResponse {
            unreceived_acks(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/NextSequenceReceive"(r: chpb::QueryNextSequenceReceiveRequest) -> chpb::QueryNextSequenceReceiveResponse {
            next_sequence_receive(s, &Host::of(ctx), &r).await
        }
        "channel.v1.Query/NextSequenceSend"(r: chpb::QueryNextSequenceSendRequest) -> chpb::QueryNextSequenceSendResponse {
            next_sequence_send(s, &Host::of(ctx), &r).await
        }
    }
}
