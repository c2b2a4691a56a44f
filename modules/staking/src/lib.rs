//! `staking` (minimal for now): the genesis validator set, its CometBFT voting power, and the
//! `unbonding_time` param that relayers read to size light-client trusting periods.
//!
//! ## State (substore `staking`)
//! | key | value |
//! |---|---|
//! | `params` | `cosmos.staking.v1beta1.Params` |
//! | `validators/{hex(consensus address)}` | `cosmos.staking.v1beta1.Validator` (BONDED; tokens = power × 10^6) |
//!
//! The consensus address is the CometBFT one: the first 20 bytes of sha256(ed25519 pubkey).
//! Delegation, unbonding and slashing arrive with governance; until then the set is fixed at
//! genesis and `end_block` returns no updates.

mod error;
mod module;
pub mod query;
mod state;
pub mod state_key;

pub use error::StakingError;
pub use module::{ParamsJson, Staking, StakingGenesis, ValidatorGenesis, POWER_REDUCTION};
pub use state::{StakingRead, StakingWrite};
