//! Errors of the auth module that have no Cosmos SDK root code.

hub_framework::abci_errors! {
    /// Auth failures outside the SDK root codes. Codespace `auth`; codes are stable.
    pub enum AuthError in "auth" {
        /// A genesis field is invalid; the message names the field (code 2).
        #[error("invalid auth genesis: {0}")]
        InvalidGenesis(String) = 2,
        /// The minimum gas price is not a non-negative decimal (code 3).
        #[error("invalid min_gas_price {0:?}: expected a non-negative decimal with at most 18 fractional digits")]
        InvalidGasPrice(String) = 3,
    }
}
