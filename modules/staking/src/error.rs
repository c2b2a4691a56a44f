//! Staking errors (codespace `staking`).

use hub_framework::AbciCode;

/// Failures of the staking module. Codes are stable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StakingError {
    /// A genesis field is invalid; the message names the field (code 100).
    #[error("invalid staking genesis: {0}")]
    InvalidGenesis(String),
    /// No validator with this address (code 3, as `ErrNoValidatorFound`).
    #[error("validator does not exist: {0}")]
    NoValidatorFound(String),
}

impl AbciCode for StakingError {
    fn codespace(&self) -> &'static str {
        "staking"
    }
    fn code(&self) -> u32 {
        match self {
            StakingError::InvalidGenesis(_) => 100,
            StakingError::NoValidatorFound(_) => 3,
        }
    }
}
