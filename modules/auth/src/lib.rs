//! `auth`: accounts, transaction decoding and authentication.
//!
//! ## State (substore `auth`)
//! | key | value |
//! |---|---|
//! | `accounts/{hex(address)}` | `cosmos.auth.v1beta1.BaseAccount` (address, pub_key, account_number, sequence) |
//! | `next_account_number` | big-endian u64 |
//! | `params` | `hub.auth.v1.Params` |
//!
//! ## Transactions
//! [`tx::DecodedTx::decode`] parses `cosmos.tx.v1beta1.TxRaw` and performs every stateless check
//! (one signer, SIGN_MODE_DIRECT, secp256k1 key type, fee shape, memo and size limits).
//! [`ante::authenticate`] then checks, against state, the account number, the sequence
//! (`sdk`/32 on mismatch) and the secp256k1 signature over the SignDoc built from the *raw*
//! body and auth-info bytes, and increments the sequence. Fee deduction is composed by the
//! runtime with the bank module.
//!
//! ## Errors
//! Transaction-level errors use the Cosmos SDK root codes ([`hub_framework::SdkError`],
//! codespace `sdk`), because wallets and relayers branch on them; [`AuthError`] covers the rest.

pub mod ante;
mod error;
mod module;
pub mod query;
mod state;
pub mod state_key;
pub mod tx;

pub use error::AuthError;
pub use hub_framework::Address;
pub use module::{AccountGenesis, Auth, AuthGenesis, ParamsJson};
pub use state::{AuthRead, AuthWrite};
