//! Circuit-breaker errors (codespace `circuit`; the Hub's own codes).

hub_framework::abci_errors! {
    /// Every failure of the circuit breaker.
    pub enum CircuitError in "circuit" {
        /// A pause matches the transfer (`circuit`/2).
        #[error("transfer paused: {0}")]
        Paused(String) = 2,
        /// The signer may not do this (`circuit`/3).
        #[error("unauthorized: {0}")]
        Unauthorized(String) = 3,
        /// A malformed message field (`circuit`/4).
        #[error("invalid request: {0}")]
        InvalidRequest(String) = 4,
        /// No such pause (`circuit`/5).
        #[error("pause not found: {0}")]
        NotFound(String) = 5,
        /// [`crate::MAX_PAUSES`] pauses exist already (`circuit`/6).
        #[error("too many pauses: {0}")]
        TooManyPauses(String) = 6,
        /// A genesis field is invalid; the message names it (`circuit`/7).
        #[error("invalid circuit genesis: {0}")]
        InvalidGenesis(String) = 7,
    }
}
