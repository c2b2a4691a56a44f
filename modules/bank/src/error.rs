//! Bank errors (codespace `bank`, stable codes, numbered as cosmos-sdk `x/bank/types/errors.go`).

use hub_framework::AbciCode;

/// Failures specific to the bank module.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BankError {
    /// `MsgMultiSend` without inputs (code 2).
    #[error("no inputs to send transaction")]
    NoInputs,
    /// `MsgMultiSend` without outputs (code 3).
    #[error("no outputs to send transaction")]
    NoOutputs,
    /// Sum of inputs differs from sum of outputs (code 4).
    #[error("sum inputs != sum outputs: {0}")]
    InputOutputMismatch(String),
    /// More than one input in `MsgMultiSend` (code 9).
    #[error("multiple senders not allowed")]
    MultipleSenders,
    /// A genesis field is invalid; the message names the field (code 100).
    #[error("invalid bank genesis: {0}")]
    InvalidGenesis(String),
    /// A balance or the supply would exceed u128 (code 101).
    #[error("amount overflow: {0}")]
    Overflow(String),
}

impl AbciCode for BankError {
    fn codespace(&self) -> &'static str {
        "bank"
    }
    fn code(&self) -> u32 {
        match self {
            BankError::NoInputs => 2,
            BankError::NoOutputs => 3,
            BankError::InputOutputMismatch(_) => 4,
            BankError::MultipleSenders => 9,
            BankError::InvalidGenesis(_) => 100,
            BankError::Overflow(_) => 101,
        }
    }
}
