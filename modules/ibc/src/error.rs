//! IBC errors with ibc-go's codespaces and codes.
//!
//! Each variant reports the `(codespace, code)` pair ibc-go registers for the same failure
//! (`modules/core/02-client/types/errors.go`, `03-connection`, `04-channel`, `23-commitment`,
//! `24-host`, `05-port` and `modules/light-clients/07-tendermint/errors.go`), so relayers and
//! explorers that branch on them see the same pairs. The `String` carries the detail a human
//! needs to act (which id, which height, which proof).

use hub_framework::AbciCode;

/// Every failure of the IBC module.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IbcError {
    // ---- 24-host (codespace `host`)
    /// An identifier violates ICS-24 (`host`/2).
    #[error("invalid identifier: {0}")]
    InvalidIdentifier(String),
    /// A malformed path or prefix (`host`/3).
    #[error("invalid path: {0}")]
    InvalidPath(String),

    // ---- 02-client (codespace `client`)
    /// Light client state invalid (`client`/3).
    #[error("light client is invalid: {0}")]
    InvalidClient(String),
    /// No client with this id (`client`/4).
    #[error("light client not found: {0}")]
    ClientNotFound(String),
    /// The client is frozen by misbehaviour (`client`/5).
    #[error("light client is frozen due to misbehaviour: {0}")]
    ClientFrozen(String),
    /// No consensus state at this height (`client`/7).
    #[error("consensus state not found: {0}")]
    ConsensusStateNotFound(String),
    /// Consensus state invalid (`client`/8).
    #[error("invalid consensus state: {0}")]
    InvalidConsensus(String),
    /// Client type not supported (`client`/10).
    #[error("invalid client type: {0}")]
    InvalidClientType(String),
    /// A header that fails verification (`client`/12).
    #[error("invalid client header: {0}")]
    InvalidHeader(String),
    /// Misbehaviour that does not prove a fault (`client`/13).
    #[error("invalid light client misbehaviour: {0}")]
    InvalidMisbehaviour(String),
    /// A proof of the counterparty's state does not verify (`client`/14..21, 30, 31).
    #[error("{kind} verification failed: {detail}")]
    VerificationFailed {
        /// What was being proven.
        kind: VerifyKind,
        /// Why it failed.
        detail: String,
    },
    /// An upgrade of the client fails (`client`/25).
    #[error("invalid client upgrade: {0}")]
    InvalidUpgradeClient(String),
    /// A height that is zero, unparsable or in the wrong revision (`client`/26).
    #[error("invalid height: {0}")]
    InvalidHeight(String),
    /// Recovery substitute fails ibc-go's rules (`client`/27).
    #[error("invalid client state substitute: {0}")]
    InvalidSubstitute(String),
    /// The client is expired or frozen (`client`/29).
    #[error("client state is not active: {0}")]
    ClientNotActive(String),

    // ---- 07-tendermint (codespace `07-tendermint`)
    /// Chain id empty or not matching the latest height's revision (`07-tendermint`/2).
    #[error("invalid chain-id: {0}")]
    TmInvalidChainId(String),
    /// Trusting period zero or ≥ unbonding (`07-tendermint`/3).
    #[error("invalid trusting period: {0}")]
    TmInvalidTrustingPeriod(String),
    /// Unbonding period zero (`07-tendermint`/4).
    #[error("invalid unbonding period: {0}")]
    TmInvalidUnbondingPeriod(String),
    /// Header at or below the trusted height (`07-tendermint`/5).
    #[error("invalid header height: {0}")]
    TmInvalidHeaderHeight(String),
    /// Header malformed or failing light-client verification (`07-tendermint`/6).
    #[error("invalid header: {0}")]
    TmInvalidHeader(String),
    /// Max clock drift zero (`07-tendermint`/7).
    #[error("invalid max clock drift: {0}")]
    TmInvalidMaxClockDrift(String),
    /// Processed time/height missing for a consensus state (`07-tendermint`/8).
    #[error("processed time not found: {0}")]
    TmProcessedTimeNotFound(String),
    /// The connection's delay period has not passed (`07-tendermint`/10).
    #[error("packet-specified delay period has not been reached: {0}")]
    TmDelayPeriodNotPassed(String),
    /// The trusted state is older than the trusting period (`07-tendermint`/11).
    #[error("time since latest trusted state has passed the trusting period: {0}")]
    TmTrustingPeriodExpired(String),
    /// Proof specs empty or invalid (`07-tendermint`/13).
    #[error("invalid proof specs: {0}")]
    TmInvalidProofSpecs(String),
    /// Validator set missing or not matching its hash (`07-tendermint`/14).
    #[error("invalid validator set: {0}")]
    TmInvalidValidatorSet(String),
    /// Trust level outside [1/3, 1] (`07-tendermint`/15).
    #[error("invalid trust level: {0}")]
    TmInvalidTrustLevel(String),

    // ---- 03-connection (codespace `connection`)
    /// No connection with this id (`connection`/3).
    #[error("connection not found: {0}")]
    ConnectionNotFound(String),
    /// Connection in the wrong state for this step (`connection`/6).
    #[error("invalid connection state: {0}")]
    InvalidConnectionState(String),
    /// Counterparty fields missing or inconsistent (`connection`/7).
    #[error("invalid counterparty connection: {0}")]
    InvalidConnectionCounterparty(String),
    /// Connection end invalid (`connection`/8).
    #[error("invalid connection: {0}")]
    InvalidConnection(String),
    /// Version not supported or malformed (`connection`/9).
    #[error("invalid connection version: {0}")]
    InvalidVersion(String),
    /// No common version (`connection`/10).
    #[error("connection version negotiation failed: {0}")]
    VersionNegotiationFailed(String),

    // ---- 04-channel (codespace `channel`)
    /// No channel with this port/id (`channel`/3).
    #[error("channel not found: {0}")]
    ChannelNotFound(String),
    /// Channel end invalid (`channel`/4).
    #[error("invalid channel: {0}")]
    InvalidChannel(String),
    /// Channel in the wrong state for this step (`channel`/5).
    #[error("invalid channel state: {0}")]
    InvalidChannelState(String),
    /// Ordering not supported by the connection (`channel`/6).
    #[error("invalid channel ordering: {0}")]
    InvalidChannelOrdering(String),
    /// Counterparty port/channel mismatch (`channel`/7).
    #[error("invalid counterparty channel: {0}")]
    InvalidChannelCounterparty(String),
    /// Packet malformed or not matching the channel (`channel`/13).
    #[error("invalid packet: {0}")]
    InvalidPacket(String),
    /// Receive at or after the packet's timeout (`channel`/14).
    #[error("packet timeout: {0}")]
    PacketTimeout(String),
    /// More than one connection hop (`channel`/15).
    #[error("too many connection hops: {0}")]
    TooManyConnectionHops(String),
    /// Ack empty or not matching the commitment (`channel`/16).
    #[error("invalid acknowledgement: {0}")]
    InvalidAcknowledgement(String),
    /// An ack was already written for this packet (`channel`/17).
    #[error("acknowledgement for packet already exists: {0}")]
    AcknowledgementExists(String),
    /// The sequence is not the next expected one on an ORDERED channel (`channel`/21).
    #[error("packet sequence is out of order: {0}")]
    PacketSequenceOutOfOrder(String),
    /// Every packet message of the tx was already relayed (`channel`/22).
    #[error("packet messages are redundant")]
    RedundantTx,
    /// The app rejected the channel version (`channel`/24).
    #[error("invalid channel version: {0}")]
    InvalidChannelVersion(String),
    /// Timeout fields invalid for sending (`channel`/26).
    #[error("invalid packet timeout: {0}")]
    InvalidTimeout(String),
    /// A timeout submitted before the timeout is reached (`channel`/39).
    #[error("timeout not reached: {0}")]
    TimeoutNotReached(String),
    /// Sending with a timeout already elapsed (`channel`/40).
    #[error("timeout elapsed: {0}")]
    TimeoutElapsed(String),

    // ---- 05-port (codespace `port`)
    /// No application bound to this port (`port`/3).
    #[error("port not found: {0}")]
    PortNotFound(String),

    // ---- 23-commitment (codespace `commitment`)
    /// Proof bytes empty or undecodable (`commitment`/2).
    #[error("invalid proof: {0}")]
    InvalidProof(String),
    /// Commitment prefix empty (`commitment`/3).
    #[error("invalid prefix: {0}")]
    InvalidPrefix(String),
    /// A Merkle proof that does not verify (`commitment`/4).
    #[error("invalid merkle proof: {0}")]
    InvalidMerkleProof(String),

    // ---- sdk root codes
    /// The signer is not allowed to send this message (`sdk`/4).
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// A signer address that does not decode (`sdk`/7).
    #[error("invalid address: {0}")]
    InvalidAddress(String),
    /// Params that fail their validation (`sdk`/18).
    #[error("invalid params: {0}")]
    InvalidParams(String),

    // ---- 02-client, added later
    /// Recovery of a client that is still Active (`client`/24).
    #[error("invalid recovery client: {0}")]
    InvalidRecoveryClient(String),
}

/// What a failed proof was about; selects ibc-go's 02-client code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyKind {
    /// Counterparty client state (`client`/14).
    ClientState,
    /// Counterparty consensus state (`client`/15).
    ConsensusState,
    /// Counterparty connection end (`client`/16).
    Connection,
    /// Counterparty channel end (`client`/17).
    Channel,
    /// Packet commitment (`client`/18).
    PacketCommitment,
    /// Packet acknowledgement (`client`/19).
    PacketAck,
    /// Packet receipt absence (`client`/20).
    PacketReceiptAbsence,
    /// Next sequence receive (`client`/21).
    NextSequenceRecv,
    /// Generic membership, e.g. upgraded client (`client`/30).
    Membership,
    /// Generic non-membership (`client`/31).
    NonMembership,
}

impl std::fmt::Display for VerifyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VerifyKind::ClientState => "client state",
            VerifyKind::ConsensusState => "client consensus state",
            VerifyKind::Connection => "connection state",
            VerifyKind::Channel => "channel state",
            VerifyKind::PacketCommitment => "packet commitment",
            VerifyKind::PacketAck => "packet acknowledgement",
            VerifyKind::PacketReceiptAbsence => "packet receipt",
            VerifyKind::NextSequenceRecv => "next sequence receive",
            VerifyKind::Membership => "membership",
            VerifyKind::NonMembership => "non-membership",
        })
    }
}

impl VerifyKind {
    fn code(self) -> u32 {
        match self {
            VerifyKind::ClientState => 14,
            VerifyKind::ConsensusState => 15,
            VerifyKind::Connection => 16,
            VerifyKind::Channel => 17,
            VerifyKind::PacketCommitment => 18,
            VerifyKind::PacketAck => 19,
            VerifyKind::PacketReceiptAbsence => 20,
            VerifyKind::NextSequenceRecv => 21,
            VerifyKind::Membership => 30,
            VerifyKind::NonMembership => 31,
        }
    }
}

impl AbciCode for IbcError {
    fn codespace(&self) -> &'static str {
        self.pair().0
    }
    fn code(&self) -> u32 {
        self.pair().1
    }
}

impl IbcError {
    /// The `(codespace, code)` pair, as ibc-go registers it.
    fn pair(&self) -> (&'static str, u32) {
        use IbcError::*;
        match self {
            InvalidIdentifier(_) => ("host", 2),
            InvalidPath(_) => ("host", 3),
            InvalidClient(_) => ("client", 3),
            ClientNotFound(_) => ("client", 4),
            ClientFrozen(_) => ("client", 5),
            ConsensusStateNotFound(_) => ("client", 7),
            InvalidConsensus(_) => ("client", 8),
            InvalidClientType(_) => ("client", 10),
            InvalidHeader(_) => ("client", 12),
            InvalidMisbehaviour(_) => ("client", 13),
            VerificationFailed { kind, .. } => ("client", kind.code()),
            InvalidUpgradeClient(_) => ("client", 25),
            InvalidHeight(_) => ("client", 26),
            InvalidSubstitute(_) => ("client", 27),
            ClientNotActive(_) => ("client", 29),
            TmInvalidChainId(_) => ("07-tendermint", 2),
            TmInvalidTrustingPeriod(_) => ("07-tendermint", 3),
            TmInvalidUnbondingPeriod(_) => ("07-tendermint", 4),
            TmInvalidHeaderHeight(_) => ("07-tendermint", 5),
            TmInvalidHeader(_) => ("07-tendermint", 6),
            TmInvalidMaxClockDrift(_) => ("07-tendermint", 7),
            TmProcessedTimeNotFound(_) => ("07-tendermint", 8),
            TmDelayPeriodNotPassed(_) => ("07-tendermint", 10),
            TmTrustingPeriodExpired(_) => ("07-tendermint", 11),
            TmInvalidProofSpecs(_) => ("07-tendermint", 13),
            TmInvalidValidatorSet(_) => ("07-tendermint", 14),
            TmInvalidTrustLevel(_) => ("07-tendermint", 15),
            ConnectionNotFound(_) => ("connection", 3),
            InvalidConnectionState(_) => ("connection", 6),
            InvalidConnectionCounterparty(_) => ("connection", 7),
            InvalidConnection(_) => ("connection", 8),
            InvalidVersion(_) => ("connection", 9),
            VersionNegotiationFailed(_) => ("connection", 10),
            ChannelNotFound(_) => ("channel", 3),
            InvalidChannel(_) => ("channel", 4),
            InvalidChannelState(_) => ("channel", 5),
            InvalidChannelOrdering(_) => ("channel", 6),
            InvalidChannelCounterparty(_) => ("channel", 7),
            InvalidPacket(_) => ("channel", 13),
            PacketTimeout(_) => ("channel", 14),
            TooManyConnectionHops(_) => ("channel", 15),
            InvalidAcknowledgement(_) => ("channel", 16),
            AcknowledgementExists(_) => ("channel", 17),
            PacketSequenceOutOfOrder(_) => ("channel", 21),
            RedundantTx => ("channel", 22),
            InvalidChannelVersion(_) => ("channel", 24),
            InvalidTimeout(_) => ("channel", 26),
            TimeoutNotReached(_) => ("channel", 39),
            TimeoutElapsed(_) => ("channel", 40),
            PortNotFound(_) => ("port", 3),
            InvalidProof(_) => ("commitment", 2),
            InvalidPrefix(_) => ("commitment", 3),
            InvalidMerkleProof(_) => ("commitment", 4),
            Unauthorized(_) => ("sdk", 4),
            InvalidAddress(_) => ("sdk", 7),
            InvalidParams(_) => ("sdk", 18),
            InvalidRecoveryClient(_) => ("client", 24),
        }
    }

    /// A failed proof of `kind`.
    pub fn verification(kind: VerifyKind, detail: impl Into<String>) -> Self {
        IbcError::VerificationFailed {
            kind,
            detail: detail.into(),
        }
    }
}
