//! Bank errors (codespace `bank`, stable codes, numbered as cosmos-sdk `x/bank/types/errors.go`).

hub_framework::abci_errors! {
    /// Failures specific to the bank module.
    pub enum BankError in "bank" {
        /// `MsgMultiSend` without inputs (code 2).
        #[error("no inputs to send transaction")]
        NoInputs = 2,
        /// `MsgMultiSend` without outputs (code 3).
        #[error("no outputs to send transaction")]
        NoOutputs = 3,
        /// Sum of inputs differs from sum of outputs (code 4).
        #[error("sum inputs != sum outputs: {0}")]
        InputOutputMismatch(String) = 4,
        /// More than one input in `MsgMultiSend` (code 9).
        #[error("multiple senders not allowed")]
        MultipleSenders = 9,
        /// A genesis field is invalid; the message names the field (code 100).
        #[error("invalid bank genesis: {0}")]
        InvalidGenesis(String) = 100,
        /// A balance or the supply would exceed u128 (code 101).
        #[error("amount overflow: {0}")]
        Overflow(String) = 101,
    }
}
