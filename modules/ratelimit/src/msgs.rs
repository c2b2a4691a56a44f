//! The governance messages of the limits (`ibc.applications.rate_limiting.v1`, ibc-go v10's
//! `types/msgs.go` rules). A value of these types has passed every stateless check; only the
//! gov module account signs them.

use crate::{flow::Quota, RateLimitError};
use hub_framework::{authority::parse_gov_authority, Address, ModuleError};
use hub_proto::rate_limiting::v1 as pb;
use hub_proto::ratelimit::v1 as qpb;

/// The channel and denom a message names, checked: a `channel-N` id (IBC v2 client ids, which
/// ibc-go also takes, have no packets here) and a valid denom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitPath {
    /// The gov module account.
    pub signer: Address,
    /// Denom on this chain (`uhub`, `ibc/{HASH}`).
    pub denom: String,
    /// `channel-N` on port `transfer`.
    pub channel_id: String,
}

impl LimitPath {
    /// Errors: `ratelimit`/101 signer not gov, `ratelimit`/100 denom or channel id.
    fn parse(signer: &str, denom: &str, channel: &str, hrp: &str) -> Result<Self, ModuleError> {
        let signer = parse_gov_authority(signer, hrp)
            .map_err(|e| RateLimitError::Unauthorized(e.to_string()))?;
        hub_framework::validate_denom(denom)
            .map_err(|e| RateLimitError::InvalidRequest(format!("invalid denom ({denom}): {e}")))?;
        let numbered = channel
            .strip_prefix("channel-")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !numbered {
            return Err(RateLimitError::InvalidRequest(format!(
                "invalid channel-id ({channel}), must be of the format 'channel-{{N}}'"
            ))
            .into());
        }
        Ok(LimitPath {
            signer,
            denom: denom.to_string(),
            channel_id: channel.to_string(),
        })
    }
}

/// `MsgAddRateLimit`: a new limit on a channel and denom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgAddRateLimit {
    /// Signer, channel and denom.
    pub path: LimitPath,
    /// The quota.
    pub quota: Quota,
}

impl MsgAddRateLimit {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/ibc.applications.rate_limiting.v1.MsgAddRateLimit";

    /// Errors: those of the path, and `ratelimit`/100 for a percentage outside 0..=100, both
    /// zero, or a zero duration.
    pub fn from_proto(m: &pb::MsgAddRateLimit, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgAddRateLimit {
            path: LimitPath::parse(&m.signer, &m.denom, &m.channel_or_client_id, hrp)?,
            quota: Quota::parse(&m.max_percent_send, &m.max_percent_recv, m.duration_hours)?,
        })
    }
}

/// `MsgUpdateRateLimit`: a new quota for an existing limit (and a new window).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgUpdateRateLimit {
    /// Signer, channel and denom.
    pub path: LimitPath,
    /// The new quota.
    pub quota: Quota,
}

impl MsgUpdateRateLimit {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/ibc.applications.rate_limiting.v1.MsgUpdateRateLimit";

    /// Errors: as [`MsgAddRateLimit::from_proto`].
    pub fn from_proto(m: &pb::MsgUpdateRateLimit, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgUpdateRateLimit {
            path: LimitPath::parse(&m.signer, &m.denom, &m.channel_or_client_id, hrp)?,
            quota: Quota::parse(&m.max_percent_send, &m.max_percent_recv, m.duration_hours)?,
        })
    }
}

/// `MsgRemoveRateLimit`: the limit goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgRemoveRateLimit {
    /// Signer, channel and denom.
    pub path: LimitPath,
}

impl MsgRemoveRateLimit {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/ibc.applications.rate_limiting.v1.MsgRemoveRateLimit";

    /// Errors: those of the path.
    pub fn from_proto(m: &pb::MsgRemoveRateLimit, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgRemoveRateLimit {
            path: LimitPath::parse(&m.signer, &m.denom, &m.channel_or_client_id, hrp)?,
        })
    }
}

/// `MsgResetRateLimit`: the limit's window starts again now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgResetRateLimit {
    /// Signer, channel and denom.
    pub path: LimitPath,
}

impl MsgResetRateLimit {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/ibc.applications.rate_limiting.v1.MsgResetRateLimit";

    /// Errors: those of the path.
    pub fn from_proto(m: &pb::MsgResetRateLimit, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgResetRateLimit {
            path: LimitPath::parse(&m.signer, &m.denom, &m.channel_or_client_id, hrp)?,
        })
    }
}

/// `hub.ratelimit.v1.MsgSetQueueing`: whether a limit queues transfers over its quota.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgSetQueueing {
    /// Signer, channel and denom.
    pub path: LimitPath,
    /// Queue sends and receives (true) or refuse them (false, ibc-go's behaviour).
    pub queue: bool,
}

impl MsgSetQueueing {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/hub.ratelimit.v1.MsgSetQueueing";

    /// Errors: those of the path.
    pub fn from_proto(m: &qpb::MsgSetQueueing, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgSetQueueing {
            path: LimitPath::parse(&m.signer, &m.denom, &m.channel_or_client_id, hrp)?,
            queue: m.queue,
        })
    }
}

/// `hub.ratelimit.v1.MsgCancelQueuedTransfer`: a queued transfer's sender takes it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgCancelQueuedTransfer {
    /// The queued transfer's sender.
    pub sender: Address,
    /// Its queue id.
    pub id: u64,
}

impl MsgCancelQueuedTransfer {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/hub.ratelimit.v1.MsgCancelQueuedTransfer";

    /// Errors: `ratelimit`/100 a sender that is not an address of this chain.
    pub fn from_proto(m: &qpb::MsgCancelQueuedTransfer, hrp: &str) -> Result<Self, ModuleError> {
        let sender = Address::from_bech32(&m.sender, hrp)
            .map_err(|e| RateLimitError::InvalidRequest(format!("sender {:?}: {e}", m.sender)))?;
        Ok(MsgCancelQueuedTransfer { sender, id: m.id })
    }
}

hub_framework::module_msgs! {
    /// Every rate-limit message: the module's message enum.
    pub enum RateLimitMsg [crate::NAME] {
        /// `MsgAddRateLimit`.
        Add(MsgAddRateLimit = pb::MsgAddRateLimit, signer: |m| m.path.signer.0),
        /// `MsgUpdateRateLimit`.
        Update(MsgUpdateRateLimit = pb::MsgUpdateRateLimit, signer: |m| m.path.signer.0),
        /// `MsgRemoveRateLimit`.
        Remove(MsgRemoveRateLimit = pb::MsgRemoveRateLimit, signer: |m| m.path.signer.0),
        /// `MsgResetRateLimit`.
        Reset(MsgResetRateLimit = pb::MsgResetRateLimit, signer: |m| m.path.signer.0),
        /// `hub.ratelimit.v1.MsgSetQueueing`.
        SetQueueing(MsgSetQueueing = qpb::MsgSetQueueing, signer: |m| m.path.signer.0),
        /// `hub.ratelimit.v1.MsgCancelQueuedTransfer`.
        CancelQueued(MsgCancelQueuedTransfer = qpb::MsgCancelQueuedTransfer, signer: |m| m.sender.0),
    }
}
