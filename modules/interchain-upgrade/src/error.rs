//! Interchain-upgrade errors (codespace `interchain-upgrade`).

use hub_framework::AbciCode;

/// Failures of the interchain-upgrade module. Codes are stable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InterchainUpgradeError {
    /// The signer is not the gov module account (code 2).
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// No OPEN upgrade channel leads to the spoke (code 3).
    #[error("no upgrade channel: {0}")]
    NoChannel(String),
    /// The plan height is not far enough ahead of the spoke (code 4).
    #[error("plan height too close: {0}")]
    HeightTooClose(String),
    /// A live dispatch of this plan exists (code 5).
    #[error("plan already dispatched: {0}")]
    AlreadyDispatched(String),
    /// No dispatch of this plan to this spoke (code 6).
    #[error("dispatch not found: {0}")]
    DispatchNotFound(String),
    /// The dispatch is not in a state that allows the request (code 7).
    #[error("invalid dispatch status: {0}")]
    InvalidStatus(String),
    /// The channel is not a valid upgrade channel: order, version, port or binding (code 8).
    #[error("invalid upgrade channel: {0}")]
    InvalidChannel(String),
    /// A malformed message field (code 9).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A genesis field is invalid (code 10).
    #[error("invalid interchain-upgrade genesis: {0}")]
    InvalidGenesis(String),
    /// An acknowledgement that is not `{"result":…}` / `{"error":…}` (code 11).
    #[error("invalid acknowledgement: {0}")]
    InvalidAcknowledgement(String),
}

impl AbciCode for InterchainUpgradeError {
    fn codespace(&self) -> &'static str {
        crate::module::NAME
    }
    fn code(&self) -> u32 {
        use InterchainUpgradeError::*;
        match self {
            Unauthorized(_) => 2,
            NoChannel(_) => 3,
            HeightTooClose(_) => 4,
            AlreadyDispatched(_) => 5,
            DispatchNotFound(_) => 6,
            InvalidStatus(_) => 7,
            InvalidChannel(_) => 8,
            InvalidRequest(_) => 9,
            InvalidGenesis(_) => 10,
            InvalidAcknowledgement(_) => 11,
        }
    }
}
