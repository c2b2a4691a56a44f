//! The client layer of the Hub: everything a program needs to talk to a node, with no
//! command line in it. The operator CLI (`hub-cli`), the local network (`localnet`) and tests
//! build on it.
//!
//! - [`rpc`]: CometBFT RPC (status, blocks, txs, broadcast) and gRPC-over-ABCI queries
//!   (`abci_query` with Cosmos SDK method paths), with typed errors.
//! - [`keyring`]: the encrypted `file` keyring (Argon2id + XChaCha20-Poly1305) and the
//!   plaintext `test` keyring; BIP-39 mnemonics, BIP-44 `m/44'/118'/0'/0/0` secp256k1 keys.
//! - [`sign`]: a signed transaction (SIGN_MODE_DIRECT) from messages, fee, gas and memo.
//! - [`address`]: bech32 account addresses (`hub1…`), module accounts.
//! - [`coins`]: coin amounts and lists as the Cosmos SDK writes them (`100uhub,5foo`).
//! - [`ibc`]: heights, identifiers, relative packet timeouts, typed gRPC-over-ABCI calls and
//!   the counterparty view of a channel's client.
//! - [`ics20`]: ICS-20 denomination traces, `ibc/<hash>` denominations, escrow addresses.

pub mod address;
pub mod coins;
pub mod ibc;
pub mod ics20;
pub mod keyring;
pub mod rpc;
pub mod sign;
