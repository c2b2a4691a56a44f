//! Transfer errors with ibc-go v8's codespaces and codes.
//!
//! Codes 2..=11 of codespace `transfer` are ibc-go's `modules/apps/transfer/types/errors.go`;
//! the root errors ibc-go's transfer module uses (`ibcerrors.ErrInvalidAddress`, …) keep
//! their codespace `ibc` and numbers from `modules/core/errors/errors.go`; an invalid port is
//! `port`/2 (`porttypes.ErrInvalidPort`). Only [`TransferError::InvalidGenesis`] (`transfer`/100)
//! and [`TransferError::AmountExceedsBank`] (`transfer`/101) are Hub additions.

hub_framework::abci_errors! {
    /// Every failure specific to ICS-20.
    pub enum TransferError in "transfer" {
        /// Timeout fields unusable (`transfer`/2).
        #[error("invalid packet timeout: {0}")]
        InvalidPacketTimeout(String) = 2,
        /// A denom that cannot be transferred, e.g. `ibc/` with a bad hash (`transfer`/3).
        #[error("invalid denomination for cross-chain transfer: {0}")]
        InvalidDenomForTransfer(String) = 3,
        /// A channel version other than `ics20-1` (`transfer`/4).
        #[error("invalid ICS20 version: {0}")]
        InvalidVersion(String) = 4,
        /// A packet amount that is not a positive integer below 2^256 (`transfer`/5).
        #[error("invalid token amount: {0}")]
        InvalidAmount(String) = 5,
        /// No denom trace for an `ibc/{hash}` denom (`transfer`/6).
        #[error("denomination trace not found: {0}")]
        TraceNotFound(String) = 6,
        /// `params.send_enabled` is false (`transfer`/7).
        #[error("fungible token transfers from this chain are disabled")]
        SendDisabled = 7,
        /// `params.receive_enabled` is false (`transfer`/8).
        #[error("fungible token transfers to this chain are disabled")]
        ReceiveDisabled = 8,
        /// A channel sequence above 2^32 (escrow address collision safety) (`transfer`/9).
        #[error("max transfer channels: {0}")]
        MaxTransferChannels(String) = 9,
        /// A memo longer than 32768 bytes (`transfer`/11).
        #[error("invalid memo: {0}")]
        InvalidMemo(String) = 11,
        /// A genesis field is invalid; the message names it (`transfer`/100, Hub-specific).
        #[error("invalid transfer genesis: {0}")]
        InvalidGenesis(String) = 100,
        /// An amount valid for ICS-20 (below 2^256) that this chain's bank cannot hold: balances
        /// are u128 (`transfer`/101, Hub-specific).
        #[error("amount exceeds the bank's 128-bit range: {0}")]
        AmountExceedsBank(String) = 101,

        /// A port other than `transfer` (`port`/2).
        #[error("invalid port: {0}")]
        InvalidPort(String) = 2 in "port",

        /// Not allowed (`ibc`/2).
        #[error("unauthorized: {0}")]
        Unauthorized(String) = 2 in "ibc",
        /// A zero (non-positive) token amount in `MsgTransfer` (`ibc`/3, as ibc-go).
        #[error("insufficient funds: {0}")]
        InsufficientFunds(String) = 3 in "ibc",
        /// Undecodable packet data in an ack or timeout callback (`ibc`/4).
        #[error("unknown request: {0}")]
        UnknownRequest(String) = 4 in "ibc",
        /// Sender or receiver unusable (`ibc`/5).
        #[error("invalid address: {0}")]
        InvalidAddress(String) = 5 in "ibc",
        /// A token that is not a valid coin: bad denom, negative or ≥ 2^256 amount (`ibc`/6).
        #[error("invalid coins: {0}")]
        InvalidCoins(String) = 6 in "ibc",
        /// A refused request, e.g. closing a transfer channel (`ibc`/8).
        #[error("invalid request: {0}")]
        InvalidRequest(String) = 8 in "ibc",
        /// Packet data or an acknowledgement that is not canonical ICS-20 JSON (`ibc`/12).
        #[error("invalid type: {0}")]
        InvalidType(String) = 12 in "ibc",
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
