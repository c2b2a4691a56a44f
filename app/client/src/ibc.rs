//! IBC on the client side: heights, identifiers, packet timeouts, typed gRPC-over-ABCI calls
//! (`abci_query` with the gRPC method path and the protobuf request, every page of a list) and
//! the counterparty view a relative packet timeout is computed from, with ibc-go v8's CLI
//! semantics (`modules/core/*/client/cli`, `modules/apps/transfer/client/cli`).

use std::fmt;
use std::str::FromStr;

use anyhow::Context as _;
use ibc_proto::{
    cosmos::base::query::v1beta1::{PageRequest, PageResponse},
    google::protobuf::Timestamp,
    ibc::{
        core::{channel::v1 as chpb, client::v1 as clientpb},
        lightclients::{localhost::v2 as localhostpb, tendermint::v1 as tmpb},
    },
};
use prost::Message;
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
/// `ibc.core.client.v1.Query/ConsensusState`.
pub const CONSENSUS_STATE_PATH: &str = "/ibc.core.client.v1.Query/ConsensusState";
/// `ibc.core.channel.v1.Query/ChannelClientState`.
pub const CHANNEL_CLIENT_STATE_PATH: &str = "/ibc.core.channel.v1.Query/ChannelClientState";

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
}
