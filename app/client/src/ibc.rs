//! IBC on the client side: heights, identifiers, packet timeouts, and the
//! `ibc.core.{client,connection,channel}.v1` and `ibc.applications.transfer.v1` queries made
//! through gRPC-over-ABCI (`abci_query` with the gRPC method path and the protobuf request).
//!
//! The command-line semantics follow ibc-go v8's CLI (`modules/core/*/client/cli`,
//! `modules/apps/transfer/client/cli`); the JSON documents use the Cosmos SDK's proto-JSON
//! conventions (snake_case field names, 64-bit integers as strings, enums by name, bytes in
//! base64, `Any` as `{"@type": …, fields…}`).

use std::fmt;
use std::str::FromStr;

use anyhow::Context as _;
use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use ibc_proto::{
    cosmos::base::query::v1beta1::{PageRequest, PageResponse},
    google::protobuf::{Any, Duration, Timestamp},
    ibc::{
        applications::transfer::v1 as transferpb,
        core::{
            channel::v1 as chpb, client::v1 as clientpb, commitment::v1::MerklePrefix,
            connection::v1 as connpb,
        },
        lightclients::{localhost::v2 as localhostpb, tendermint::v1 as tmpb},
    },
    ics23,
};
use prost::Message;
use serde_json::{json, Value};
use thiserror::Error;

use crate::rpc::{AbciQueryError, Node};

/// Type URL of the 07-tendermint client state.
pub const TENDERMINT_CLIENT_STATE_TYPE_URL: &str = "/ibc.lightclients.tendermint.v1.ClientState";
/// Type URL of the 07-tendermint consensus state.
pub const TENDERMINT_CONSENSUS_STATE_TYPE_URL: &str =
    "/ibc.lightclients.tendermint.v1.ConsensusState";
/// Type URL of the 09-localhost client state.
pub const LOCALHOST_CLIENT_STATE_TYPE_URL: &str = "/ibc.lightclients.localhost.v2.ClientState";

/// Default of `--packet-timeout-height`: relative `{revision}-{height}` (ibc-go
/// `DefaultRelativePacketTimeoutHeight`).
pub const DEFAULT_PACKET_TIMEOUT_HEIGHT: &str = "0-1000";
/// Default of `--packet-timeout-timestamp`: 10 minutes in nanoseconds, relative (ibc-go
/// `DefaultRelativePacketTimeoutTimestamp`).
pub const DEFAULT_PACKET_TIMEOUT_TIMESTAMP_NS: u64 = 600_000_000_000;
/// Longest `MsgTransfer.receiver` ibc-go v8 accepts (`MaximumReceiverLength`).
pub const MAX_RECEIVER_LENGTH: usize = 2048;
/// Longest `MsgTransfer.memo` ibc-go v8 accepts (`MaximumMemoLength`).
pub const MAX_MEMO_LENGTH: usize = 32768;

// gRPC method paths.
/// `ibc.core.client.v1.Query/ClientState`.
pub const CLIENT_STATE_PATH: &str = "/ibc.core.client.v1.Query/ClientState";
/// `ibc.core.client.v1.Query/ClientStatus`.
pub const CLIENT_STATUS_PATH: &str = "/ibc.core.client.v1.Query/ClientStatus";
/// `ibc.core.client.v1.Query/ConsensusState`.
pub const CONSENSUS_STATE_PATH: &str = "/ibc.core.client.v1.Query/ConsensusState";
/// `ibc.core.connection.v1.Query/Connection`.
pub const CONNECTION_PATH: &str = "/ibc.core.connection.v1.Query/Connection";
/// `ibc.core.channel.v1.Query/Channel`.
pub const CHANNEL_PATH: &str = "/ibc.core.channel.v1.Query/Channel";
/// `ibc.core.channel.v1.Query/Channels`.
pub const CHANNELS_PATH: &str = "/ibc.core.channel.v1.Query/Channels";
/// `ibc.core.channel.v1.Query/ChannelClientState`.
pub const CHANNEL_CLIENT_STATE_PATH: &str = "/ibc.core.channel.v1.Query/ChannelClientState";
/// `ibc.core.channel.v1.Query/PacketCommitments`.
pub const PACKET_COMMITMENTS_PATH: &str = "/ibc.core.channel.v1.Query/PacketCommitments";
/// gRPC method of the next receive sequence of a channel end (ORDERED channels).
pub const NEXT_SEQUENCE_RECEIVE_PATH: &str = "/ibc.core.channel.v1.Query/NextSequenceReceive";
/// `ibc.applications.transfer.v1.Query/DenomTrace`.
pub const DENOM_TRACE_PATH: &str = "/ibc.applications.transfer.v1.Query/DenomTrace";

/// Most pages a list query follows before giving up (100 items a page by default).
pub const MAX_PAGES: usize = 10_000;

// ---------------------------------------------------------------------------------------------
// heights

/// An IBC height: `(revision number, revision height)`, written `{revision}-{height}`
/// (ibc-go `clienttypes.Height`). Ordered by revision number, then height.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct IbcHeight {
    /// The revision (the `N` of a chain id `name-N`, 0 otherwise).
    pub revision_number: u64,
    /// The block height within the revision.
    pub revision_height: u64,
}

/// Why a `{revision}-{height}` string is not a height.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HeightError {
    /// Not two `-`-separated parts.
    #[error("{0:?} is not a height: expected {{revision}}-{{height}}, e.g. 0-1000 or 1-52000")]
    Format(String),
    /// A part is not an unsigned 64-bit decimal integer.
    #[error("{text:?} is not a height: {part:?} is not an unsigned 64-bit integer")]
    Number {
        /// The whole input.
        text: String,
        /// The offending part.
        part: String,
    },
}

impl IbcHeight {
    /// `(revision_number, revision_height)`.
    pub const fn new(revision_number: u64, revision_height: u64) -> Self {
        Self {
            revision_number,
            revision_height,
        }
    }

    /// True for `0-0`, which disables a timeout height (ibc-go `Height.IsZero`).
    pub fn is_zero(&self) -> bool {
        self.revision_number == 0 && self.revision_height == 0
    }

    /// The protobuf form.
    pub fn to_proto(self) -> clientpb::Height {
        clientpb::Height {
            revision_number: self.revision_number,
            revision_height: self.revision_height,
        }
    }

    /// From the protobuf form (a missing height is `0-0`, as in ibc-go).
    pub fn from_proto(height: Option<&clientpb::Height>) -> Self {
        height
            .map(|h| Self::new(h.revision_number, h.revision_height))
            .unwrap_or_default()
    }

    /// `{"revision_number": "N", "revision_height": "H"}`.
    pub fn to_json(self) -> Value {
        json!({
            "revision_number": self.revision_number.to_string(),
            "revision_height": self.revision_height.to_string(),
        })
    }
}

impl fmt::Display for IbcHeight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.revision_number, self.revision_height)
    }
}

impl FromStr for IbcHeight {
    type Err = HeightError;

    /// Parses `{revision}-{height}` (ibc-go `clienttypes.ParseHeight`): exactly two parts, each
    /// a decimal `u64` without sign.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split('-').collect();
        let [revision, height] = parts.as_slice() else {
            return Err(HeightError::Format(text.to_owned()));
        };
        let number = |part: &str| {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(HeightError::Number {
                    text: text.to_owned(),
                    part: part.to_owned(),
                });
            }
            part.parse::<u64>().map_err(|_| HeightError::Number {
                text: text.to_owned(),
                part: part.to_owned(),
            })
        };
        Ok(Self::new(number(revision)?, number(height)?))
    }
}

/// A protobuf height as proto-JSON (a missing height as `0-0`).
pub fn height_json(height: Option<&clientpb::Height>) -> Value {
    IbcHeight::from_proto(height).to_json()
}

// ---------------------------------------------------------------------------------------------
// identifiers

/// Why an IBC identifier is unusable.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{id:?} is not a valid {kind} identifier: it must be {min} to {max} characters of letters, digits and . _ + - # [ ] < >")]
pub struct IdentifierError {
    /// `client`, `connection`, `port` or `channel`.
    pub kind: &'static str,
    /// The identifier given.
    pub id: String,
    /// Shortest length allowed.
    pub min: usize,
    /// Longest length allowed.
    pub max: usize,
}

fn validate_identifier(
    kind: &'static str,
    id: &str,
    min: usize,
    max: usize,
) -> Result<(), IdentifierError> {
    let chars_ok = id.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'.' | b'_' | b'+' | b'-' | b'#' | b'[' | b']' | b'<' | b'>'
            )
    });
    if chars_ok && (min..=max).contains(&id.len()) {
        Ok(())
    } else {
        Err(IdentifierError {
            kind,
            id: id.to_owned(),
            min,
            max,
        })
    }
}

/// A client identifier: 9 to 64 characters (ibc-go `ClientIdentifierValidator`).
pub fn validate_client_id(id: &str) -> Result<(), IdentifierError> {
    validate_identifier("client", id, 9, 64)
}

/// A connection identifier: 10 to 64 characters (ibc-go `ConnectionIdentifierValidator`).
pub fn validate_connection_id(id: &str) -> Result<(), IdentifierError> {
    validate_identifier("connection", id, 10, 64)
}

/// A port identifier: 2 to 128 characters (ibc-go `PortIdentifierValidator`).
pub fn validate_port_id(id: &str) -> Result<(), IdentifierError> {
    validate_identifier("port", id, 2, 128)
}

/// A channel identifier: 8 to 64 characters (ibc-go `ChannelIdentifierValidator`).
pub fn validate_channel_id(id: &str) -> Result<(), IdentifierError> {
    validate_identifier("channel", id, 8, 64)
}

/// The client type of a client identifier `{type}-{N}` (`07-tendermint-0` → `07-tendermint`),
/// as ibc-go's `ParseClientIdentifier` splits it; the identifier itself if it has no `-{N}`.
pub fn client_type_of(client_id: &str) -> &str {
    match client_id.rsplit_once('-') {
        Some((kind, n))
            if !kind.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            kind
        }
        _ => client_id,
    }
}

// ---------------------------------------------------------------------------------------------
// packet timeouts

/// The timeout flags of `tx ibc-transfer transfer` as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeoutFlags {
    /// `--packet-timeout-height` (`0-0` disables it).
    pub height: IbcHeight,
    /// `--packet-timeout-timestamp` in nanoseconds (0 disables it).
    pub timestamp_ns: u64,
    /// `--absolute-timeouts`: use the values as they are instead of adding them to the
    /// counterparty's latest known height and time.
    pub absolute: bool,
}

/// What this chain knows of the counterparty, through the client the channel uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CounterpartyView {
    /// The client's latest height.
    pub latest_height: IbcHeight,
    /// The timestamp (ns since the Unix epoch) of the client's consensus state at that height;
    /// 0 when there is none (a 09-localhost client).
    pub consensus_timestamp_ns: u64,
}

/// Why packet timeouts cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimeoutError {
    /// Both timeouts are disabled: the chain would reject the packet.
    #[error("packet timeout height and packet timeout timestamp cannot both be 0: set --packet-timeout-height (e.g. 0-1000) or --packet-timeout-timestamp (e.g. 600000000000 for 10 minutes)")]
    BothZero,
    /// Relative timeouts need the counterparty's height and time.
    #[error("relative timeouts need the counterparty client's latest height and consensus state")]
    NoCounterpartyView,
    /// Adding the relative value overflowed 64 bits.
    #[error("the {0} timeout overflows 64 bits")]
    Overflow(&'static str),
    /// The local clock is before the Unix epoch.
    #[error("local clock time is not after 1970-01-01T00:00:00Z")]
    ClockBeforeEpoch,
}

/// The absolute `(timeout_height, timeout_timestamp_ns)` of a `MsgTransfer`, as ibc-go v8's
/// `tx ibc-transfer transfer` computes them.
///
/// With `absolute`, the flags are used as given. Otherwise a non-zero relative height is added
/// component-wise to the counterparty client's latest height (its revision number plus the
/// flag's revision number, normally 0, so the revision is kept), and a non-zero relative
/// timestamp is added to the later of `now_ns` (the local clock) and the consensus state's
/// timestamp at that height; a zero value stays zero (disabled). `view` is needed only for
/// relative timeouts.
///
/// Errors: [`TimeoutError::BothZero`] when both end up zero, [`TimeoutError::Overflow`],
/// [`TimeoutError::NoCounterpartyView`], [`TimeoutError::ClockBeforeEpoch`] (`now_ns == 0`
/// with a relative timestamp).
pub fn resolve_timeouts(
    flags: &TimeoutFlags,
    view: Option<&CounterpartyView>,
    now_ns: u64,
) -> Result<(IbcHeight, u64), TimeoutError> {
    if flags.height.is_zero() && flags.timestamp_ns == 0 {
        return Err(TimeoutError::BothZero);
    }
    if flags.absolute {
        return Ok((flags.height, flags.timestamp_ns));
    }
    let view = view.ok_or(TimeoutError::NoCounterpartyView)?;
    let height = if flags.height.is_zero() {
        flags.height
    } else {
        IbcHeight::new(
            view.latest_height
                .revision_number
                .checked_add(flags.height.revision_number)
                .ok_or(TimeoutError::Overflow("height"))?,
            view.latest_height
                .revision_height
                .checked_add(flags.height.revision_height)
                .ok_or(TimeoutError::Overflow("height"))?,
        )
    };
    let timestamp = if flags.timestamp_ns == 0 {
        0
    } else {
        if now_ns == 0 {
            return Err(TimeoutError::ClockBeforeEpoch);
        }
        now_ns
            .max(view.consensus_timestamp_ns)
            .checked_add(flags.timestamp_ns)
            .ok_or(TimeoutError::Overflow("timestamp"))?
    };
    Ok((height, timestamp))
}

/// The local clock in nanoseconds since the Unix epoch (0 if it is before the epoch or beyond
/// what 64 bits hold).
pub fn now_unix_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// query errors

/// A query whose subject does not exist on the chain, or whose answer is unusable.
#[derive(Debug, Error)]
pub enum IbcQueryError {
    /// No client with this identifier.
    #[error("client {id} not found")]
    ClientNotFound {
        /// Client identifier.
        id: String,
        /// The node's answer.
        #[source]
        source: AbciQueryError,
    },
    /// No consensus state of the client at that height.
    #[error("consensus state of client {id} at height {height} not found")]
    ConsensusStateNotFound {
        /// Client identifier.
        id: String,
        /// The height asked for (`latest` for the latest one).
        height: String,
        /// The node's answer.
        #[source]
        source: AbciQueryError,
    },
    /// No connection with this identifier.
    #[error("connection {id} not found")]
    ConnectionNotFound {
        /// Connection identifier.
        id: String,
        /// The node's answer.
        #[source]
        source: AbciQueryError,
    },
    /// No channel end with this port and channel identifier.
    #[error("channel {port}/{channel} not found")]
    ChannelNotFound {
        /// Port identifier.
        port: String,
        /// Channel identifier.
        channel: String,
        /// The node's answer.
        #[source]
        source: AbciQueryError,
    },
    /// No denomination trace with this hash or path.
    #[error("denomination trace {0} not found on this chain")]
    DenomTraceNotFound(String, #[source] AbciQueryError),
    /// The answer lacks a field ibc-go always sets.
    #[error("the node's answer to {path} has no {field}")]
    Missing {
        /// Query path.
        path: &'static str,
        /// The missing field.
        field: &'static str,
    },
    /// A client state or consensus state of a type this command cannot read.
    #[error("{what} has type {type_url}; only 07-tendermint (and 09-localhost client) states can be read here")]
    UnsupportedType {
        /// What was decoded.
        what: String,
        /// Its type URL.
        type_url: String,
    },
}

/// Turns a "not found" [`AbciQueryError`] inside `error` into the typed error `typed` makes;
/// any other error is returned unchanged.
fn not_found_as(
    error: anyhow::Error,
    typed: impl FnOnce(AbciQueryError) -> IbcQueryError,
) -> anyhow::Error {
    match error.downcast::<AbciQueryError>() {
        Ok(q) if q.is_not_found() => typed(q).into(),
        Ok(q) => q.into(),
        Err(other) => other,
    }
}

/// The [`AbciQueryError`] anywhere in the chain of `error`, if there is one.
pub fn abci_error_in(error: &anyhow::Error) -> Option<&AbciQueryError> {
    error
        .chain()
        .find_map(|e| e.downcast_ref::<AbciQueryError>())
}

// ---------------------------------------------------------------------------------------------
// queries

impl Node {
    /// A gRPC-over-ABCI call: `abci_query` with `path` (the full gRPC method name) and the
    /// protobuf `request`, at `height` (latest if `None`), decoding the response as `R`.
    ///
    /// Errors: the node is unreachable, a non-zero code ([`AbciQueryError`] inside), or an
    /// answer that is not an `R`.
    pub async fn grpc_query<Q: Message, R: Message + Default>(
        &self,
        path: &str,
        request: &Q,
        height: Option<u64>,
    ) -> anyhow::Result<R> {
        let value = self
            .abci_query(path, request.encode_to_vec(), height)
            .await?;
        R::decode(value.as_slice()).with_context(|| {
            format!(
                "the node's answer to {path} is not a {}",
                std::any::type_name::<R>()
                    .rsplit("::")
                    .next()
                    .unwrap_or("valid response")
            )
        })
    }

    /// Follows the pages of a list query: `call` gets the page request (`None` for the first
    /// page) and returns the items, the page response and the answer's `height` field (if the
    /// response type has one). Returns every item and the height of the last page.
    pub async fn all_pages<T, F, Fut>(
        &self,
        mut call: F,
    ) -> anyhow::Result<(Vec<T>, Option<clientpb::Height>)>
    where
        F: FnMut(Option<PageRequest>) -> Fut,
        Fut: std::future::Future<
            Output = anyhow::Result<(Vec<T>, Option<PageResponse>, Option<clientpb::Height>)>,
        >,
    {
        let mut items = Vec::new();
        let mut next: Option<Vec<u8>> = None;
        for _ in 0..MAX_PAGES {
            let page = next.take().map(|key| PageRequest {
                key,
                ..PageRequest::default()
            });
            let (mut batch, response, height) = call(page).await?;
            items.append(&mut batch);
            match response {
                Some(p) if !p.next_key.is_empty() => next = Some(p.next_key),
                _ => return Ok((items, height)),
            }
        }
        anyhow::bail!("the node kept returning pages after {MAX_PAGES} pages; giving up")
    }

    /// `ClientState` of `client_id`. Errors: [`IbcQueryError::ClientNotFound`], query errors.
    pub async fn ibc_client_state(
        &self,
        client_id: &str,
        height: Option<u64>,
    ) -> anyhow::Result<clientpb::QueryClientStateResponse> {
        validate_client_id(client_id)?;
        let request = clientpb::QueryClientStateRequest {
            client_id: client_id.to_owned(),
        };
        self.grpc_query(CLIENT_STATE_PATH, &request, height)
            .await
            .map_err(|e| {
                not_found_as(e, |source| IbcQueryError::ClientNotFound {
                    id: client_id.to_owned(),
                    source,
                })
            })
    }

    /// `ClientStatus` of `client_id`: `Active`, `Expired`, `Frozen` or `Unknown`.
    /// Errors: [`IbcQueryError::ClientNotFound`], query errors.
    pub async fn ibc_client_status(
        &self,
        client_id: &str,
        height: Option<u64>,
    ) -> anyhow::Result<String> {
        validate_client_id(client_id)?;
        let request = clientpb::QueryClientStatusRequest {
            client_id: client_id.to_owned(),
        };
        let r: clientpb::QueryClientStatusResponse = self
            .grpc_query(CLIENT_STATUS_PATH, &request, height)
            .await
            .map_err(|e| {
                not_found_as(e, |source| IbcQueryError::ClientNotFound {
                    id: client_id.to_owned(),
                    source,
                })
            })?;
        Ok(r.status)
    }

    /// `Connection` `connection_id`. Errors: [`IbcQueryError::ConnectionNotFound`], query
    /// errors.
    pub async fn ibc_connection(
        &self,
        connection_id: &str,
        height: Option<u64>,
    ) -> anyhow::Result<connpb::QueryConnectionResponse> {
        validate_connection_id(connection_id)?;
        let request = connpb::QueryConnectionRequest {
            connection_id: connection_id.to_owned(),
        };
        self.grpc_query(CONNECTION_PATH, &request, height)
            .await
            .map_err(|e| {
                not_found_as(e, |source| IbcQueryError::ConnectionNotFound {
                    id: connection_id.to_owned(),
                    source,
                })
            })
    }

    /// `Channel` `port`/`channel`. Errors: [`IbcQueryError::ChannelNotFound`], query errors.
    pub async fn ibc_channel(
        &self,
        port: &str,
        channel: &str,
        height: Option<u64>,
    ) -> anyhow::Result<chpb::QueryChannelResponse> {
        validate_port_id(port)?;
        validate_channel_id(channel)?;
        let request = chpb::QueryChannelRequest {
            port_id: port.to_owned(),
            channel_id: channel.to_owned(),
        };
        self.grpc_query(CHANNEL_PATH, &request, height)
            .await
            .map_err(|e| channel_not_found(e, port, channel))
    }

    /// Every channel end (all pages).
    pub async fn ibc_channels(
        &self,
        height: Option<u64>,
    ) -> anyhow::Result<(Vec<chpb::IdentifiedChannel>, Option<clientpb::Height>)> {
        self.all_pages(|pagination| async move {
            let r: chpb::QueryChannelsResponse = self
                .grpc_query(
                    CHANNELS_PATH,
                    &chpb::QueryChannelsRequest { pagination },
                    height,
                )
                .await?;
            Ok((r.channels, r.pagination, r.height))
        })
        .await
    }

    /// `ChannelClientState`: the client under the channel's connection, with its id.
    /// Errors: [`IbcQueryError::ChannelNotFound`] (also for a missing connection or client),
    /// [`IbcQueryError::Missing`], query errors.
    pub async fn ibc_channel_client_state(
        &self,
        port: &str,
        channel: &str,
        height: Option<u64>,
    ) -> anyhow::Result<clientpb::IdentifiedClientState> {
        validate_port_id(port)?;
        validate_channel_id(channel)?;
        let request = chpb::QueryChannelClientStateRequest {
            port_id: port.to_owned(),
            channel_id: channel.to_owned(),
        };
        let r: chpb::QueryChannelClientStateResponse = self
            .grpc_query(CHANNEL_CLIENT_STATE_PATH, &request, height)
            .await
            .map_err(|e| channel_not_found(e, port, channel))?;
        r.identified_client_state.ok_or_else(|| {
            IbcQueryError::Missing {
                path: CHANNEL_CLIENT_STATE_PATH,
                field: "identified_client_state",
            }
            .into()
        })
    }

    /// Every packet commitment of `port`/`channel` (all pages), in sequence order.
    pub async fn ibc_packet_commitments(
        &self,
        port: &str,
        channel: &str,
        height: Option<u64>,
    ) -> anyhow::Result<(Vec<chpb::PacketState>, Option<clientpb::Height>)> {
        validate_port_id(port)?;
        validate_channel_id(channel)?;
        self.all_pages(|pagination| async move {
            let r: chpb::QueryPacketCommitmentsResponse = self
                .grpc_query(
                    PACKET_COMMITMENTS_PATH,
                    &chpb::QueryPacketCommitmentsRequest {
                        port_id: port.to_owned(),
                        channel_id: channel.to_owned(),
                        pagination,
                    },
                    height,
                )
                .await?;
            Ok((r.commitments, r.pagination, r.height))
        })
        .await
    }

    /// `NextSequenceReceive` of the channel end `port`/`channel`: the sequence an ORDERED
    /// channel expects next (ibc-go keeps the key for UNORDERED channels too).
    /// Errors: [`IbcQueryError::ChannelNotFound`], query errors.
    pub async fn ibc_next_sequence_receive(
        &self,
        port: &str,
        channel: &str,
        height: Option<u64>,
    ) -> anyhow::Result<chpb::QueryNextSequenceReceiveResponse> {
        validate_port_id(port)?;
        validate_channel_id(channel)?;
        let request = chpb::QueryNextSequenceReceiveRequest {
            port_id: port.to_owned(),
            channel_id: channel.to_owned(),
        };
        self.grpc_query(NEXT_SEQUENCE_RECEIVE_PATH, &request, height)
            .await
            .map_err(|e| channel_not_found(e, port, channel))
    }

    /// `DenomTrace` of a hash (`{HASH}` or `ibc/{HASH}`).
    /// Errors: [`IbcQueryError::DenomTraceNotFound`], [`IbcQueryError::Missing`], query errors.
    pub async fn ibc_denom_trace(
        &self,
        hash: &str,
        height: Option<u64>,
    ) -> anyhow::Result<transferpb::DenomTrace> {
        let request = transferpb::QueryDenomTraceRequest {
            hash: hash.to_owned(),
        };
        let r: transferpb::QueryDenomTraceResponse = self
            .grpc_query(DENOM_TRACE_PATH, &request, height)
            .await
            .map_err(|e| {
                not_found_as(e, |source| {
                    IbcQueryError::DenomTraceNotFound(format!("ibc/{hash}"), source)
                })
            })?;
        r.denom_trace.ok_or_else(|| {
            IbcQueryError::Missing {
                path: DENOM_TRACE_PATH,
                field: "denom_trace",
            }
            .into()
        })
    }

    /// The counterparty's latest height and time as seen by the client that
    /// `port`/`channel` uses (ibc-go's CLI: `ChannelClientState`, then `ConsensusState` of that
    /// client at its latest height; a 09-localhost client has no consensus state and gives
    /// timestamp 0). Returns the client id too.
    ///
    /// Errors: [`IbcQueryError::ChannelNotFound`], [`IbcQueryError::UnsupportedType`], query
    /// errors.
    pub async fn ibc_counterparty_view(
        &self,
        port: &str,
        channel: &str,
    ) -> anyhow::Result<(String, CounterpartyView)> {
        let identified = self.ibc_channel_client_state(port, channel, None).await?;
        let any = identified
            .client_state
            .as_ref()
            .ok_or(IbcQueryError::Missing {
                path: CHANNEL_CLIENT_STATE_PATH,
                field: "client_state",
            })?;
        let client_id = identified.client_id.clone();
        let what = || format!("the client state of {client_id} (channel {port}/{channel})");
        let (latest_height, localhost) = match any.type_url.as_str() {
            TENDERMINT_CLIENT_STATE_TYPE_URL => {
                let cs = tmpb::ClientState::decode(any.value.as_slice()).with_context(|| {
                    format!("{} is not a valid 07-tendermint ClientState", what())
                })?;
                (IbcHeight::from_proto(cs.latest_height.as_ref()), false)
            }
            LOCALHOST_CLIENT_STATE_TYPE_URL => {
                let cs =
                    localhostpb::ClientState::decode(any.value.as_slice()).with_context(|| {
                        format!("{} is not a valid 09-localhost ClientState", what())
                    })?;
                (IbcHeight::from_proto(cs.latest_height.as_ref()), true)
            }
            other => {
                return Err(IbcQueryError::UnsupportedType {
                    what: what(),
                    type_url: other.to_owned(),
                }
                .into())
            }
        };
        let consensus_timestamp_ns = if localhost {
            0
        } else {
            let request = clientpb::QueryConsensusStateRequest {
                client_id: client_id.clone(),
                revision_number: latest_height.revision_number,
                revision_height: latest_height.revision_height,
                latest_height: true,
            };
            let r: clientpb::QueryConsensusStateResponse = self
                .grpc_query(CONSENSUS_STATE_PATH, &request, None)
                .await
                .map_err(|e| {
                    not_found_as(e, |source| IbcQueryError::ConsensusStateNotFound {
                        id: client_id.clone(),
                        height: latest_height.to_string(),
                        source,
                    })
                })?;
            let any = r.consensus_state.ok_or(IbcQueryError::Missing {
                path: CONSENSUS_STATE_PATH,
                field: "consensus_state",
            })?;
            if any.type_url != TENDERMINT_CONSENSUS_STATE_TYPE_URL {
                return Err(IbcQueryError::UnsupportedType {
                    what: format!("the consensus state of {client_id} at {latest_height}"),
                    type_url: any.type_url,
                }
                .into());
            }
            let cs = tmpb::ConsensusState::decode(any.value.as_slice()).with_context(|| {
                format!("the consensus state of {client_id} at {latest_height} is not a valid 07-tendermint ConsensusState")
            })?;
            cs.timestamp.as_ref().map_or(0, timestamp_ns)
        };
        Ok((
            client_id,
            CounterpartyView {
                latest_height,
                consensus_timestamp_ns,
            },
        ))
    }
}

/// A NotFound answer that names the channel (ibc-go `ErrChannelNotFound`) as
/// [`IbcQueryError::ChannelNotFound`]; other answers (a missing connection or client under the
/// channel) keep the node's message.
fn channel_not_found(error: anyhow::Error, port: &str, channel: &str) -> anyhow::Error {
    match error.downcast::<AbciQueryError>() {
        Ok(q) if q.is_not_found() && q.log.contains("channel not found") => {
            IbcQueryError::ChannelNotFound {
                port: port.to_owned(),
                channel: channel.to_owned(),
                source: q,
            }
            .into()
        }
        Ok(q) => q.into(),
        Err(other) => other,
    }
}

// ---------------------------------------------------------------------------------------------
// JSON and text

/// Nanoseconds since the Unix epoch of a protobuf timestamp (0 before the epoch).
pub fn timestamp_ns(t: &Timestamp) -> u64 {
    let secs = u64::try_from(t.seconds).unwrap_or(0);
    let nanos = u64::try_from(t.nanos).unwrap_or(0);
    secs.saturating_mul(1_000_000_000).saturating_add(nanos)
}

/// A protobuf timestamp in RFC 3339 (`2024-05-01T12:00:00.5Z`), its proto-JSON form.
pub fn timestamp_rfc3339(t: &Timestamp) -> String {
    u32::try_from(t.nanos)
        .ok()
        .and_then(|nanos| tendermint::Time::from_unix_timestamp(t.seconds, nanos).ok())
        .map(|time| time.to_rfc3339())
        .unwrap_or_else(|| format!("{}s {}ns since the Unix epoch", t.seconds, t.nanos))
}

/// A protobuf duration in its proto-JSON form: seconds with up to 9 decimals and `s`
/// (`1209600s`, `1.5s`).
pub fn duration_json(d: &Duration) -> String {
    if d.nanos == 0 {
        format!("{}s", d.seconds)
    } else {
        let sign = if d.seconds < 0 || d.nanos < 0 {
            "-"
        } else {
            ""
        };
        let frac = format!("{:09}", d.nanos.unsigned_abs());
        format!(
            "{sign}{}.{}s",
            d.seconds.unsigned_abs(),
            frac.trim_end_matches('0')
        )
    }
}

/// A protobuf duration for people: `14d`, `336h`, `90s`, or seconds as in [`duration_json`].
pub fn duration_text(d: &Duration) -> String {
    if d.nanos == 0 && d.seconds > 0 {
        let s = d.seconds;
        if s % 86_400 == 0 {
            return format!("{}d ({s}s)", s / 86_400);
        }
        if s % 3_600 == 0 {
            return format!("{}h ({s}s)", s / 3_600);
        }
    }
    duration_json(d)
}

fn opt_duration_json(d: Option<&Duration>) -> Value {
    d.map_or(Value::Null, |d| json!(duration_json(d)))
}

fn bytes_json(bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        Value::Null
    } else {
        json!(BASE64.encode(bytes))
    }
}

fn hash_op(op: i32) -> &'static str {
    ics23::HashOp::try_from(op).map_or("UNKNOWN", |o| o.as_str_name())
}

fn length_op(op: i32) -> &'static str {
    ics23::LengthOp::try_from(op).map_or("UNKNOWN", |o| o.as_str_name())
}

fn proof_spec_json(spec: &ics23::ProofSpec) -> Value {
    json!({
        "leaf_spec": spec.leaf_spec.as_ref().map(|l| json!({
            "hash": hash_op(l.hash),
            "prehash_key": hash_op(l.prehash_key),
            "prehash_value": hash_op(l.prehash_value),
            "length": length_op(l.length),
            "prefix": BASE64.encode(&l.prefix),
        })),
        "inner_spec": spec.inner_spec.as_ref().map(|i| json!({
            "child_order": i.child_order,
            "child_size": i.child_size,
            "min_prefix_length": i.min_prefix_length,
            "max_prefix_length": i.max_prefix_length,
            "empty_child": bytes_json(&i.empty_child),
            "hash": hash_op(i.hash),
        })),
        "max_depth": spec.max_depth,
        "min_depth": spec.min_depth,
        "prehash_key_before_comparison": spec.prehash_key_before_comparison,
    })
}

/// A client state `Any` as proto-JSON: the 07-tendermint and 09-localhost fields, or
/// `{"@type", "value": base64}` for another type.
pub fn client_state_json(any: &Any) -> Value {
    match any.type_url.as_str() {
        TENDERMINT_CLIENT_STATE_TYPE_URL => match tmpb::ClientState::decode(any.value.as_slice()) {
            #[allow(deprecated)]
            Ok(cs) => json!({
                "@type": any.type_url,
                "chain_id": cs.chain_id,
                "trust_level": cs.trust_level.as_ref().map(|t| json!({
                    "numerator": t.numerator.to_string(),
                    "denominator": t.denominator.to_string(),
                })),
                "trusting_period": opt_duration_json(cs.trusting_period.as_ref()),
                "unbonding_period": opt_duration_json(cs.unbonding_period.as_ref()),
                "max_clock_drift": opt_duration_json(cs.max_clock_drift.as_ref()),
                "frozen_height": height_json(cs.frozen_height.as_ref()),
                "latest_height": height_json(cs.latest_height.as_ref()),
                "proof_specs": cs.proof_specs.iter().map(proof_spec_json).collect::<Vec<_>>(),
                "upgrade_path": cs.upgrade_path,
                "allow_update_after_expiry": cs.allow_update_after_expiry,
                "allow_update_after_misbehaviour": cs.allow_update_after_misbehaviour,
            }),
            Err(_) => opaque_any_json(any),
        },
        LOCALHOST_CLIENT_STATE_TYPE_URL => {
            match localhostpb::ClientState::decode(any.value.as_slice()) {
                Ok(cs) => json!({
                    "@type": any.type_url,
                    "latest_height": height_json(cs.latest_height.as_ref()),
                }),
                Err(_) => opaque_any_json(any),
            }
        }
        _ => opaque_any_json(any),
    }
}

fn opaque_any_json(any: &Any) -> Value {
    json!({ "@type": any.type_url, "value": BASE64.encode(&any.value) })
}

/// The readable facts of a client state: type, chain id, latest height, trusting period,
/// frozen height (None where the type has no such field).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientSummary {
    /// `07-tendermint`, `09-localhost`, or the type URL of another type.
    pub client_type: String,
    /// The counterparty chain id (07-tendermint).
    pub chain_id: Option<String>,
    /// Latest height the client knows.
    pub latest_height: Option<IbcHeight>,
    /// Trusting period (07-tendermint), for people.
    pub trusting_period: Option<String>,
    /// Non-zero frozen height of a frozen client.
    pub frozen_height: Option<IbcHeight>,
}

/// Summarizes a client state `Any` (see [`ClientSummary`]); `client_id` gives the type of
/// a state this crate cannot decode.
pub fn summarize_client_state(client_id: &str, any: &Any) -> ClientSummary {
    match any.type_url.as_str() {
        TENDERMINT_CLIENT_STATE_TYPE_URL => match tmpb::ClientState::decode(any.value.as_slice()) {
            Ok(cs) => ClientSummary {
                client_type: "07-tendermint".into(),
                chain_id: Some(cs.chain_id),
                latest_height: Some(IbcHeight::from_proto(cs.latest_height.as_ref())),
                trusting_period: cs.trusting_period.as_ref().map(duration_text),
                frozen_height: Some(IbcHeight::from_proto(cs.frozen_height.as_ref()))
                    .filter(|h| !h.is_zero()),
            },
            Err(_) => ClientSummary {
                client_type: format!("{} (undecodable)", any.type_url),
                ..ClientSummary::default()
            },
        },
        LOCALHOST_CLIENT_STATE_TYPE_URL => ClientSummary {
            client_type: "09-localhost".into(),
            latest_height: localhostpb::ClientState::decode(any.value.as_slice())
                .ok()
                .map(|cs| IbcHeight::from_proto(cs.latest_height.as_ref())),
            ..ClientSummary::default()
        },
        _ => ClientSummary {
            client_type: client_type_of(client_id).to_owned(),
            ..ClientSummary::default()
        },
    }
}

/// Name of a connection state (`STATE_OPEN`), or the number of an unknown one.
pub fn connection_state_name(state: i32) -> String {
    connpb::State::try_from(state)
        .map_or_else(|_| state.to_string(), |s| s.as_str_name().to_owned())
}

/// Name of a channel state (`STATE_OPEN`), or the number of an unknown one.
pub fn channel_state_name(state: i32) -> String {
    chpb::State::try_from(state).map_or_else(|_| state.to_string(), |s| s.as_str_name().to_owned())
}

/// Name of a channel ordering (`ORDER_UNORDERED`), or the number of an unknown one.
pub fn channel_order_name(order: i32) -> String {
    chpb::Order::try_from(order).map_or_else(|_| order.to_string(), |s| s.as_str_name().to_owned())
}

fn prefix_json(prefix: Option<&MerklePrefix>) -> Value {
    prefix.map_or(
        Value::Null,
        |p| json!({ "key_prefix": BASE64.encode(&p.key_prefix) }),
    )
}

fn versions_json(versions: &[connpb::Version]) -> Value {
    json!(versions
        .iter()
        .map(|v| json!({ "identifier": v.identifier, "features": v.features }))
        .collect::<Vec<_>>())
}

fn connection_counterparty_json(c: Option<&connpb::Counterparty>) -> Value {
    c.map_or(Value::Null, |c| {
        json!({
            "client_id": c.client_id,
            "connection_id": c.connection_id,
            "prefix": prefix_json(c.prefix.as_ref()),
        })
    })
}

/// A `ConnectionEnd` as proto-JSON.
pub fn connection_json(c: &connpb::ConnectionEnd) -> Value {
    json!({
        "client_id": c.client_id,
        "versions": versions_json(&c.versions),
        "state": connection_state_name(c.state),
        "counterparty": connection_counterparty_json(c.counterparty.as_ref()),
        "delay_period": c.delay_period.to_string(),
    })
}

fn channel_counterparty_json(c: Option<&chpb::Counterparty>) -> Value {
    c.map_or(
        Value::Null,
        |c| json!({ "port_id": c.port_id, "channel_id": c.channel_id }),
    )
}

/// A `Channel` as proto-JSON.
pub fn channel_json(c: &chpb::Channel) -> Value {
    json!({
        "state": channel_state_name(c.state),
        "ordering": channel_order_name(c.ordering),
        "counterparty": channel_counterparty_json(c.counterparty.as_ref()),
        "connection_hops": c.connection_hops,
        "version": c.version,
        "upgrade_sequence": c.upgrade_sequence.to_string(),
    })
}

/// An `IdentifiedChannel` as proto-JSON.
pub fn identified_channel_json(c: &chpb::IdentifiedChannel) -> Value {
    json!({
        "state": channel_state_name(c.state),
        "ordering": channel_order_name(c.ordering),
        "counterparty": channel_counterparty_json(c.counterparty.as_ref()),
        "connection_hops": c.connection_hops,
        "version": c.version,
        "port_id": c.port_id,
        "channel_id": c.channel_id,
        "upgrade_sequence": c.upgrade_sequence.to_string(),
    })
}

/// A `PacketState` (commitment) as proto-JSON (`data` in base64).
pub fn packet_state_json(p: &chpb::PacketState) -> Value {
    json!({
        "port_id": p.port_id,
        "channel_id": p.channel_id,
        "sequence": p.sequence.to_string(),
        "data": BASE64.encode(&p.data),
    })
}

/// The pagination object of a list that was read to its end: `{"next_key": null, "total"}`.
pub fn final_page_json(total: usize) -> Value {
    json!({ "next_key": Value::Null, "total": total.to_string() })
}

/// The optional proof bytes and the proof height of a single-item answer, as proto-JSON.
pub fn proof_fields(proof: &[u8], proof_height: Option<&clientpb::Height>) -> (Value, Value) {
    (bytes_json(proof), height_json(proof_height))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_parse_like_ibc_go() {
        assert_eq!(
            "0-1000".parse::<IbcHeight>().unwrap(),
            IbcHeight::new(0, 1000)
        );
        assert_eq!(
            "4-18446744073709551615".parse::<IbcHeight>().unwrap(),
            IbcHeight::new(4, u64::MAX)
        );
        assert_eq!(IbcHeight::new(1, 52).to_string(), "1-52");
        assert!("0-0".parse::<IbcHeight>().unwrap().is_zero());
        for bad in [
            "1000",
            "0-",
            "-5",
            "0-1-2",
            "a-5",
            "0-+5",
            "0- 5",
            "0-18446744073709551616",
            "",
        ] {
            assert!(bad.parse::<IbcHeight>().is_err(), "{bad:?}");
        }
        assert!(matches!(
            "1000".parse::<IbcHeight>(),
            Err(HeightError::Format(_))
        ));
        assert!(matches!(
            "x-1".parse::<IbcHeight>(),
            Err(HeightError::Number { .. })
        ));
    }

    const VIEW: CounterpartyView = CounterpartyView {
        latest_height: IbcHeight::new(1, 500),
        consensus_timestamp_ns: 1_700_000_000_000_000_000,
    };

    fn flags(height: &str, timestamp_ns: u64, absolute: bool) -> TimeoutFlags {
        TimeoutFlags {
            height: height.parse().unwrap(),
            timestamp_ns,
            absolute,
        }
    }

    #[test]
    fn relative_timeouts_are_added_to_the_counterparty_view() {
        let defaults = flags(
            DEFAULT_PACKET_TIMEOUT_HEIGHT,
            DEFAULT_PACKET_TIMEOUT_TIMESTAMP_NS,
            false,
        );
        // the local clock is behind the consensus time: the consensus time is the base
        let behind = VIEW.consensus_timestamp_ns - 5;
        assert_eq!(
            resolve_timeouts(&defaults, Some(&VIEW), behind).unwrap(),
            (
                IbcHeight::new(1, 1500),
                1_700_000_000_000_000_000 + 600_000_000_000
            )
        );
        // the local clock is ahead: it is the base (ibc-go v8 takes the later of the two)
        let ahead = VIEW.consensus_timestamp_ns + 7;
        assert_eq!(
            resolve_timeouts(&defaults, Some(&VIEW), ahead).unwrap().1,
            ahead + 600_000_000_000
        );
        // a relative revision number is added too (ibc-go adds both components)
        assert_eq!(
            resolve_timeouts(&flags("1-10", 0, false), Some(&VIEW), ahead).unwrap(),
            (IbcHeight::new(2, 510), 0)
        );
        // a zero part stays disabled
        assert_eq!(
            resolve_timeouts(&flags("0-0", 5, false), Some(&VIEW), behind).unwrap(),
            (IbcHeight::new(0, 0), VIEW.consensus_timestamp_ns + 5)
        );
    }

    #[test]
    fn absolute_timeouts_are_used_as_given() {
        assert_eq!(
            resolve_timeouts(&flags("3-99", 42, true), None, 7).unwrap(),
            (IbcHeight::new(3, 99), 42)
        );
        assert_eq!(
            resolve_timeouts(&flags("3-99", 42, true), Some(&VIEW), 7).unwrap(),
            (IbcHeight::new(3, 99), 42)
        );
    }

    #[test]
    fn unusable_timeouts_are_errors() {
        assert_eq!(
            resolve_timeouts(&flags("0-0", 0, false), Some(&VIEW), 1),
            Err(TimeoutError::BothZero)
        );
        assert_eq!(
            resolve_timeouts(&flags("0-0", 0, true), None, 1),
            Err(TimeoutError::BothZero)
        );
        assert_eq!(
            resolve_timeouts(&flags("0-10", 0, false), None, 1),
            Err(TimeoutError::NoCounterpartyView)
        );
        let max = IbcHeight::new(0, u64::MAX).to_string();
        assert_eq!(
            resolve_timeouts(&flags(&max, 0, false), Some(&VIEW), 1),
            Err(TimeoutError::Overflow("height"))
        );
        assert_eq!(
            resolve_timeouts(&flags("0-0", u64::MAX, false), Some(&VIEW), 1),
            Err(TimeoutError::Overflow("timestamp"))
        );
        assert_eq!(
            resolve_timeouts(&flags("0-0", 5, false), Some(&VIEW), 0),
            Err(TimeoutError::ClockBeforeEpoch)
        );
    }

    #[test]
    fn identifiers_follow_ibc_go_lengths() {
        assert!(validate_client_id("07-tendermint-0").is_ok());
        assert!(validate_client_id("07-tend").is_err());
        assert!(validate_connection_id("connection-0").is_ok());
        assert!(validate_connection_id("conn-0").is_err());
        assert!(validate_port_id("transfer").is_ok());
        assert!(validate_port_id("t").is_err());
        assert!(validate_channel_id("channel-0").is_ok());
        assert!(validate_channel_id("chan-0").is_err());
        assert!(validate_channel_id("channel/0").is_err());
        let e = validate_client_id("bad id here").unwrap_err();
        assert!(e.to_string().contains("client identifier"), "{e}");
        assert_eq!(client_type_of("07-tendermint-12"), "07-tendermint");
        assert_eq!(client_type_of("09-localhost"), "09-localhost");
    }

    #[test]
    fn durations_and_timestamps_use_proto_json() {
        let d = |seconds, nanos| Duration { seconds, nanos };
        assert_eq!(duration_json(&d(1_209_600, 0)), "1209600s");
        assert_eq!(duration_json(&d(1, 500_000_000)), "1.5s");
        assert_eq!(duration_json(&d(0, 1)), "0.000000001s");
        assert_eq!(duration_text(&d(1_209_600, 0)), "14d (1209600s)");
        assert_eq!(duration_text(&d(7_200, 0)), "2h (7200s)");
        assert_eq!(duration_text(&d(10, 0)), "10s");
        let t = Timestamp {
            seconds: 1_700_000_000,
            nanos: 5,
        };
        assert_eq!(timestamp_ns(&t), 1_700_000_000_000_000_005);
        assert_eq!(timestamp_rfc3339(&t), "2023-11-14T22:13:20.000000005Z");
    }

    #[test]
    fn tendermint_client_states_are_summarized_and_rendered() {
        let cs = tmpb::ClientState {
            chain_id: "spoke-1".into(),
            trust_level: Some(tmpb::Fraction {
                numerator: 1,
                denominator: 3,
            }),
            trusting_period: Some(Duration {
                seconds: 1_209_600,
                nanos: 0,
            }),
            latest_height: Some(IbcHeight::new(1, 77).to_proto()),
            upgrade_path: vec!["upgrade".into(), "upgradedIBCState".into()],
            ..Default::default()
        };
        let any = Any {
            type_url: TENDERMINT_CLIENT_STATE_TYPE_URL.into(),
            value: cs.encode_to_vec(),
        };
        let summary = summarize_client_state("07-tendermint-0", &any);
        assert_eq!(summary.client_type, "07-tendermint");
        assert_eq!(summary.chain_id.as_deref(), Some("spoke-1"));
        assert_eq!(summary.latest_height, Some(IbcHeight::new(1, 77)));
        assert_eq!(summary.frozen_height, None);
        let j = client_state_json(&any);
        assert_eq!(j["@type"], TENDERMINT_CLIENT_STATE_TYPE_URL);
        assert_eq!(j["latest_height"]["revision_height"], "77");
        assert_eq!(j["trust_level"]["denominator"], "3");
        assert_eq!(j["trusting_period"], "1209600s");
        assert_eq!(j["frozen_height"]["revision_number"], "0");

        let other = Any {
            type_url: "/x.y.ClientState".into(),
            value: vec![1, 2],
        };
        assert_eq!(client_state_json(&other)["value"], "AQI=");
        assert_eq!(
            summarize_client_state("08-wasm-3", &other).client_type,
            "08-wasm"
        );
    }

    #[test]
    fn channel_json_names_enums() {
        let c = chpb::Channel {
            state: chpb::State::Open as i32,
            ordering: chpb::Order::Unordered as i32,
            counterparty: Some(chpb::Counterparty {
                port_id: "transfer".into(),
                channel_id: "channel-3".into(),
            }),
            connection_hops: vec!["connection-0".into()],
            version: "ics20-1".into(),
            upgrade_sequence: 0,
        };
        let j = channel_json(&c);
        assert_eq!(j["state"], "STATE_OPEN");
        assert_eq!(j["ordering"], "ORDER_UNORDERED");
        assert_eq!(j["counterparty"]["channel_id"], "channel-3");
        assert_eq!(channel_state_name(99), "99");
        assert_eq!(connection_state_name(2), "STATE_TRYOPEN");
    }

    /// A stand-in CometBFT RPC endpoint: answers each `abci_query` with what `answer` gives
    /// for the path, as `(code, log, protobuf value)`. No chain is involved.
    async fn fake_node(answer: fn(&str) -> (u32, String, Vec<u8>)) -> Node {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    let body = loop {
                        let n = socket.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        let text = String::from_utf8_lossy(&buf).into_owned();
                        if let Some((head, body)) = text.split_once("\r\n\r\n") {
                            let len = head
                                .lines()
                                .find_map(|l| {
                                    let (k, v) = l.split_once(':')?;
                                    k.eq_ignore_ascii_case("content-length")
                                        .then(|| v.trim().parse::<usize>().ok())?
                                })
                                .unwrap_or(0);
                            if body.len() >= len {
                                break body.to_owned();
                            }
                        }
                    };
                    let request: Value = serde_json::from_str(&body).unwrap();
                    let path = request["params"]["path"].as_str().unwrap_or_default();
                    let (code, log, value) = answer(path);
                    let response = json!({
                        "jsonrpc": "2.0",
                        "id": request["id"],
                        "result": { "response": {
                            "code": code, "log": log, "info": "", "index": "0", "key": null,
                            "value": BASE64.encode(value), "proofOps": null, "height": "9",
                            "codespace": if code == 0 { "" } else { "sdk" },
                        }},
                    })
                    .to_string();
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{response}",
                        response.len()
                    );
                    let _ = socket.write_all(reply.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Node::new(&url).unwrap()
    }

    #[tokio::test]
    async fn missing_objects_are_typed_errors() {
        let node = fake_node(|path| match path {
            CLIENT_STATE_PATH => (
                38,
                "not found: light client not found: 07-tendermint-9".into(),
                vec![],
            ),
            CHANNEL_PATH => (
                38,
                "not found: channel not found: port-id: transfer, channel-id: channel-9".into(),
                vec![],
            ),
            _ => (6, format!("unknown query method {path}"), vec![]),
        })
        .await;
        let e = node
            .ibc_client_state("07-tendermint-9", None)
            .await
            .unwrap_err();
        assert_eq!(e.to_string(), "client 07-tendermint-9 not found");
        assert!(matches!(
            e.downcast_ref::<IbcQueryError>(),
            Some(IbcQueryError::ClientNotFound { .. })
        ));
        assert_eq!(abci_error_in(&e).map(|q| q.code), Some(38));
        let e = node
            .ibc_channel("transfer", "channel-9", None)
            .await
            .unwrap_err();
        assert_eq!(e.to_string(), "channel transfer/channel-9 not found");
        // other failures keep the node's code and log
        let e = node
            .ibc_client_status("07-tendermint-0", None)
            .await
            .unwrap_err();
        assert!(e.downcast_ref::<IbcQueryError>().is_none());
        assert_eq!(abci_error_in(&e).map(|q| q.code), Some(6));
        // a malformed identifier is refused before any query
        let e = node.ibc_client_state("x", None).await.unwrap_err();
        assert!(e.downcast_ref::<IdentifierError>().is_some());
    }

    #[tokio::test]
    async fn the_counterparty_view_comes_from_the_channel_client() {
        let node = fake_node(|path| match path {
            CHANNEL_CLIENT_STATE_PATH => {
                let cs = tmpb::ClientState {
                    chain_id: "spoke-1".into(),
                    latest_height: Some(IbcHeight::new(1, 77).to_proto()),
                    ..Default::default()
                };
                let r = chpb::QueryChannelClientStateResponse {
                    identified_client_state: Some(clientpb::IdentifiedClientState {
                        client_id: "07-tendermint-0".into(),
                        client_state: Some(Any {
                            type_url: TENDERMINT_CLIENT_STATE_TYPE_URL.into(),
                            value: cs.encode_to_vec(),
                        }),
                    }),
                    proof: vec![],
                    proof_height: None,
                };
                (0, String::new(), r.encode_to_vec())
            }
            CONSENSUS_STATE_PATH => {
                let cs = tmpb::ConsensusState {
                    timestamp: Some(Timestamp {
                        seconds: 1_700_000_000,
                        nanos: 0,
                    }),
                    ..Default::default()
                };
                let r = clientpb::QueryConsensusStateResponse {
                    consensus_state: Some(Any {
                        type_url: TENDERMINT_CONSENSUS_STATE_TYPE_URL.into(),
                        value: cs.encode_to_vec(),
                    }),
                    proof: vec![],
                    proof_height: None,
                };
                (0, String::new(), r.encode_to_vec())
            }
            _ => (6, "unknown".into(), vec![]),
        })
        .await;
        let (client_id, view) = node
            .ibc_counterparty_view("transfer", "channel-0")
            .await
            .unwrap();
        assert_eq!(client_id, "07-tendermint-0");
        assert_eq!(
            view,
            CounterpartyView {
                latest_height: IbcHeight::new(1, 77),
                consensus_timestamp_ns: 1_700_000_000_000_000_000,
            }
        );
    }
}
