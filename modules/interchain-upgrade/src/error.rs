//! Interchain-upgrade errors (codespace `interchain-upgrade`).

hub_framework::abci_errors! {
    /// Failures of the interchain-upgrade module. Codes are stable.
    pub enum InterchainUpgradeError in "interchain-upgrade" {
        /// The signer is not the gov module account (code 2).
        #[error("unauthorized: {0}")]
        Unauthorized(String) = 2,
        /// No OPEN upgrade channel leads to the spoke (code 3).
        #[error("no upgrade channel: {0}")]
        NoChannel(String) = 3,
        /// The plan height is not far enough ahead of the spoke (code 4).
        #[error("plan height too close: {0}")]
        HeightTooClose(String) = 4,
        /// A live dispatch of this plan exists (code 5).
        #[error("plan already dispatched: {0}")]
        AlreadyDispatched(String) = 5,
        /// No dispatch of this plan to this spoke (code 6).
        #[error("dispatch not found: {0}")]
        DispatchNotFound(String) = 6,
        /// The dispatch is not in a state that allows the request (code 7).
        #[error("invalid dispatch status: {0}")]
        InvalidStatus(String) = 7,
        /// The channel is not a valid upgrade channel: order, version, port or binding (code 8).
        #[error("invalid upgrade channel: {0}")]
        InvalidChannel(String) = 8,
        /// A malformed message field (code 9).
        #[error("invalid request: {0}")]
        InvalidRequest(String) = 9,
        /// A genesis field is invalid (code 10).
        #[error("invalid interchain-upgrade genesis: {0}")]
        InvalidGenesis(String) = 10,
        /// An acknowledgement that is not `{"result":…}` / `{"error":…}` (code 11).
        #[error("invalid acknowledgement: {0}")]
        InvalidAcknowledgement(String) = 11,
    }
}
