//! `bank`: balances, supply, `MsgSend`, `MsgMultiSend`, denom metadata.
//!
//! ## State (substore `bank`)
//! | key | value |
//! |---|---|
//! | `balances/{hex(address)}/{denom}` | big-endian u128 (absent = 0; a zero balance is deleted) |
//! | `supply/{denom}` | big-endian u128 |
//! | `denom_metadata/{denom}` | `cosmos.bank.v1beta1.Metadata` |
//!
//! ## Messages
//! `cosmos.bank.v1beta1.MsgSend` and `MsgMultiSend` (one input, as the Cosmos SDK ≥ 0.47
//! requires). Both emit the SDK's `coin_spent`, `coin_received`, `transfer` and `message` events.
//!
//! ## Errors
//! Insufficient funds use the SDK root code (`sdk`/5) like the Cosmos SDK; amounts and denoms
//! `sdk`/10; [`BankError`] (codespace `bank`) covers the rest.

mod coin;
mod error;
mod events;
pub mod handler;
mod keeper;
mod module;
pub mod msgs;
pub mod query;
mod state;
pub mod state_key;

pub use coin::{parse_coins, validate_denom, Coin, Coins};
pub use error::BankError;
pub use events::{CoinReceived, CoinSpent, Transfer};
pub use keeper::Keeper;
pub use module::{
    deduct_fee, BalanceGenesis, Bank, BankGenesis, CoinJson, DenomMetadataJson, DenomUnitJson,
    FEE_COLLECTOR,
};
pub use msgs::BankMsg;
pub use state::{BankRead, BankWrite};
