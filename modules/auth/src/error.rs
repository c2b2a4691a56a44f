//! Errors of the auth module that have no Cosmos SDK root code.

use hub_framework::AbciCode;

/// Auth failures outside the SDK root codes. Codespace `auth`; codes are stable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// A genesis field is invalid; the message names the field (code 2).
    #[error("invalid auth genesis: {0}")]
    InvalidGenesis(String),
    /// The minimum gas price is not a non-negative decimal (code 3).
    #[error("invalid min_gas_price {0:?}: expected a non-negative decimal with at most 18 fractional digits")]
    InvalidGasPrice(String),
}

impl AbciCode for AuthError {
    fn codespace(&self) -> &'static str {
        "auth"
    }
    fn code(&self) -> u32 {
        match self {
            AuthError::InvalidGenesis(_) => 2,
            AuthError::InvalidGasPrice(_) => 3,
        }
    }
}
