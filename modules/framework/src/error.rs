//! Errors that reach CometBFT as `(codespace, code, log)`.

use std::fmt;

/// A typed module error that can be reported over ABCI.
///
/// Implemented by every `<Module>Error` enum. `code()` values are stable forever: clients
/// (wallets, Hermes) branch on them, so a variant keeps its number and retired numbers are not
/// reused. Code 0 is success in ABCI and must never be returned; code 1 is reserved for
/// internal errors.
pub trait AbciCode: std::error::Error {
    /// The ABCI codespace: the module's name (`Module::NAME`), or `sdk` for the Cosmos SDK root
    /// codes that clients recognise (e.g. `sdk`/32 wrong sequence).
    fn codespace(&self) -> &'static str;
    /// The stable numeric code, ≥ 2.
    fn code(&self) -> u32;
}

/// A failure as it is reported to CometBFT: codespace, code, and a log a human can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleError {
    /// ABCI codespace (module name or `sdk`).
    pub codespace: &'static str,
    /// ABCI code, ≥ 1 (1 = internal error).
    pub code: u32,
    /// Human-readable reason, returned as the ABCI `log`.
    pub log: String,
}

impl ModuleError {
    /// An internal (non-input) failure such as a storage error: codespace `sdk`, code 1.
    ///
    /// Used only for faults of the node itself, never for bad input.
    pub fn internal(err: impl fmt::Display) -> Self {
        ModuleError {
            codespace: "sdk",
            code: 1,
            log: format!("internal error: {err}"),
        }
    }
}

impl fmt::Display for ModuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (codespace {}, code {})",
            self.log, self.codespace, self.code
        )
    }
}

impl std::error::Error for ModuleError {}

impl<E: AbciCode> From<E> for ModuleError {
    fn from(e: E) -> Self {
        ModuleError {
            codespace: e.codespace(),
            code: e.code(),
            log: e.to_string(),
        }
    }
}

crate::abci_errors! {
    /// Transaction-level errors with the Cosmos SDK root codes (codespace `sdk`).
    ///
    /// These are the codes wallets and relayers already understand, with the numbers of
    /// cosmos-sdk `types/errors/errors.go` (e.g. Hermes refreshes its account on code 32).
    pub enum SdkError in "sdk" {
        /// The tx bytes are not a valid `cosmos.tx.v1beta1.TxRaw` / body / auth info (code 2).
        #[error("tx parse error: {0}")]
        TxDecode(String) = 2,
        /// Signature verification failed or the signer is not allowed (code 4).
        #[error("unauthorized: {0}")]
        Unauthorized(String) = 4,
        /// The fee payer cannot pay the fee (code 5).
        #[error("insufficient funds: {0}")]
        InsufficientFunds(String) = 5,
        /// A message type the runtime does not route (code 6).
        #[error("unknown request: {0}")]
        UnknownRequest(String) = 6,
        /// An address is not valid bech32 with the chain's prefix (code 7).
        #[error("invalid address: {0}")]
        InvalidAddress(String) = 7,
        /// A public key is missing, of the wrong type, or does not match the address (code 8).
        #[error("invalid pubkey: {0}")]
        InvalidPubKey(String) = 8,
        /// The signer account does not exist (code 9).
        #[error("unknown address: {0}")]
        UnknownAddress(String) = 9,
        /// An amount is zero, negative, overflowing or has an invalid denom (code 10).
        #[error("invalid coins: {0}")]
        InvalidCoins(String) = 10,
        /// The transaction used more gas than its limit (code 11).
        #[error("out of gas: {0}")]
        OutOfGas(String) = 11,
        /// The memo exceeds `max_memo_characters` (code 12).
        #[error("memo too large: {0}")]
        MemoTooLarge(String) = 12,
        /// The fee is below gas limit × minimum gas price, or in the wrong denom (code 13).
        #[error("insufficient fee: {0}")]
        InsufficientFee(String) = 13,
        /// More than one signer (code 14).
        #[error("too many signatures: {0}")]
        TooManySignatures(String) = 14,
        /// No signature at all (code 15).
        #[error("no signatures supplied")]
        NoSignatures = 15,
        /// A malformed request (code 18).
        #[error("invalid request: {0}")]
        InvalidRequest(String) = 18,
        /// A query height that this node does not retain (code 26).
        #[error("invalid height: {0}")]
        InvalidHeight(String) = 26,
        /// The tx exceeds the size limit (code 21).
        #[error("tx too large: {0}")]
        TxTooLarge(String) = 21,
        /// The sequence in the tx is not the account's next sequence (code 32).
        #[error(
            "account sequence mismatch, expected {expected}, got {got}: incorrect account sequence"
        )]
        WrongSequence {
            /// The account's current sequence.
            expected: u64,
            /// The sequence the tx was signed with.
            got: u64,
        } = 32,
        /// The requested item does not exist (code 38).
        #[error("not found: {0}")]
        NotFound(String) = 38,
    }
}

/// Declares an error enum and its [`AbciCode`] impl from one list: each variant with its
/// stable code, in the enum's codespace or, after `in`, another (ibc-go's transfer errors
/// keep the root `ibc` codespace). The enum derives `Clone`, `Debug`, `PartialEq`, `Eq` and
/// `thiserror::Error` (so its crate depends on `thiserror`); its docs and each variant's
/// (`#[error]`, docs) are written as usual.
///
/// ```
/// hub_framework::abci_errors! {
///     /// Failures of an example module.
///     pub enum ExampleError in "example" {
///         /// Code 2.
///         #[error("invalid genesis: {0}")]
///         InvalidGenesis(String) = 2,
///         /// `port`/2.
///         #[error("invalid port")]
///         InvalidPort = 2 in "port",
///     }
/// }
/// use hub_framework::AbciCode;
/// assert_eq!(ExampleError::InvalidPort.codespace(), "port");
/// assert_eq!(ExampleError::InvalidGenesis("x".into()).code(), 2);
/// ```
#[macro_export]
macro_rules! abci_errors {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident in $codespace:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident
                $( ( $($tty:ty),* ) )?
                $( { $( $(#[$fmeta:meta])* $fname:ident : $fty:ty ),* $(,)? } )?
                = $code:literal $(in $vcodespace:literal)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, ::thiserror::Error)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant
                $( ( $($tty),* ) )?
                $( { $( $(#[$fmeta])* $fname : $fty ),* } )?,
            )*
        }

        impl $crate::AbciCode for $name {
            fn codespace(&self) -> &'static str {
                match self {
                    $( Self::$variant { .. } => [$($vcodespace,)? $codespace][0], )*
                }
            }
            fn code(&self) -> u32 {
                match self {
                    $( Self::$variant { .. } => $code, )*
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_codes_match_cosmos_sdk_root_codes() {
        let e: ModuleError = SdkError::WrongSequence {
            expected: 3,
            got: 1,
        }
        .into();
        assert_eq!((e.codespace, e.code), ("sdk", 32));
        assert!(e.log.contains("expected 3, got 1"));
        let e: ModuleError = SdkError::TxDecode("x".into()).into();
        assert_eq!(e.code, 2);
        let e: ModuleError = SdkError::InsufficientFee("x".into()).into();
        assert_eq!(e.code, 13);
    }
}
