//! Transfer errors with ibc-go v8's codespaces and codes.
//!
//! Codes 2..=11 of codespace `transfer` are ibc-go's `modules/apps/transfer/types/errors.go`;
//! the root errors ibc-go's transfer module uses (`ibcerrors.ErrInvalidAddress`, …) keep
//! their codespace `ibc` and numbers from `modules/core/errors/errors.go`; an invalid port is
//! `port`/2 (`porttypes.ErrInvalidPort`). Only [`TransferError::InvalidGenesis`] (`transfer`/100)
//! and [`TransferError::AmountExceedsBank`] (`transfer`/101) are Hub additions.

use hub_framework::AbciCode;

/// Every failure specific to ICS-20.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransferError {
    /// Timeout fields unusable (`transfer`/2).
    #[error("invalid packet timeout: {0}")]
    InvalidPacketTimeout(String),
    /// A denom that cannot be transferred, e.g. `ibc/` with a bad hash (`transfer`/3).
    #[error("invalid denomination for cross-chain transfer: {0}")]
    InvalidDenomForTransfer(String),
    /// A channel version other than `ics20-1` (`transfer`/4).
    #[error("invalid ICS20 version: {0}")]
    InvalidVersion(String),
    /// A packet amount that is not a positive integer below 2^256 (`transfer`/5).
    #[error("invalid token amount: {0}")]
    InvalidAmount(String),
    /// No denom trace for an `ibc/{hash}` denom (`transfer`/6).
    #[error("denomination trace not found: {0}")]
    TraceNotFound(String),
    /// `params.send_enabled` is false (`transfer`/7).
    #[error("fungible token transfers from this chain are disabled")]
    SendDisabled,
    /// `params.receive_enabled` is false (`transfer`/8).
    #[error("fungible token transfers to this chain are disabled")]
    ReceiveDisabled,
    /// A channel sequence above 2^32 (escrow address collision safety) (`transfer`/9).
    #[error("max transfer channels: {0}")]
    MaxTransferChannels(String),
    /// A memo longer than 32768 bytes (`transfer`/11).
    #[error("invalid memo: {0}")]
    InvalidMemo(String),
    /// A genesis field is invalid; the message names it (`transfer`/100, Hub-specific).
    #[error("invalid transfer genesis: {0}")]
    InvalidGenesis(String),
    /// An amount valid for ICS-20 (below 2^256) that this chain's bank cannot hold: balances
    /// are u128 (`transfer`/101, Hub-specific).
    #[error("amount exceeds the bank's 128-bit range: {0}")]
    AmountExceedsBank(String),

    /// A port other than `transfer` (`port`/2).
    #[error("invalid port: {0}")]
    InvalidPort(String),

    /// Not allowed (`ibc`/2).
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// A zero (non-positive) token amount in `MsgTransfer` (`ibc`/3, as ibc-go).
    #[error("insufficient funds: {0}")]
    InsufficientFunds(String),
    /// Undecodable packet data in an ack or timeout callback (`ibc`/4).
    #[error("unknown request: {0}")]
    UnknownRequest(String),
    /// Sender or receiver unusable (`ibc`/5).
    #[error("invalid address: {0}")]
    InvalidAddress(String),
    /// A token that is not a valid coin: bad denom, negative or ≥ 2^256 amount (`ibc`/6).
    #[error("invalid coins: {0}")]
    InvalidCoins(String),
    /// A refused request, e.g. closing a transfer channel (`ibc`/8).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// Packet data or an acknowledgement that is not canonical ICS-20 JSON (`ibc`/12).
    #[error("invalid type: {0}")]
    InvalidType(String),
}

impl AbciCode for TransferError {
    fn codespace(&self) -> &'static str {
        self.pair().0
    }
    fn code(&self) -> u32 {
        self.pair().1
    }
}

impl TransferError {
    fn pair(&self) -> (&'static str, u32) {
        use TransferError::*;
        match self {
            InvalidPacketTimeout(_) => ("transfer", 2),
            InvalidDenomForTransfer(_) => ("transfer", 3),
            InvalidVersion(_) => ("transfer", 4),
            InvalidAmount(_) => ("transfer", 5),
            TraceNotFound(_) => ("transfer", 6),
            SendDisabled => ("transfer", 7),
            ReceiveDisabled => ("transfer", 8),
            MaxTransferChannels(_) => ("transfer", 9),
            InvalidMemo(_) => ("transfer", 11),
            InvalidGenesis(_) => ("transfer", 100),
            AmountExceedsBank(_) => ("transfer", 101),
            InvalidPort(_) => ("port", 2),
            Unauthorized(_) => ("ibc", 2),
            InsufficientFunds(_) => ("ibc", 3),
            UnknownRequest(_) => ("ibc", 4),
            InvalidAddress(_) => ("ibc", 5),
            InvalidCoins(_) => ("ibc", 6),
            InvalidRequest(_) => ("ibc", 8),
            InvalidType(_) => ("ibc", 12),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hub_framework::ModuleError;

    #[test]
    fn codes_are_ibc_go_v8() {
        let pairs: Vec<(TransferError, &str, u32)> = vec![
            (TransferError::InvalidVersion("x".into()), "transfer", 4),
            (TransferError::InvalidAmount("x".into()), "transfer", 5),
            (TransferError::ReceiveDisabled, "transfer", 8),
            (TransferError::InvalidMemo("x".into()), "transfer", 11),
            (TransferError::InvalidAddress("x".into()), "ibc", 5),
            (TransferError::InvalidType("x".into()), "ibc", 12),
        ];
        for (e, cs, code) in pairs {
            let m: ModuleError = e.into();
            assert_eq!((m.codespace, m.code), (cs, code));
        }
    }
}
