//! The bank capability staking needs, and the module accounts it uses.
//!
//! Staking never touches balances itself: it moves, mints and burns coins through
//! [`StakingBank`], the framework's bank capabilities, which the runtime gives it. Amounts are u128 in the
//! smallest unit of the bond denom (`uhub` on the hub).
//!
//! Tokens of bonded validators are held by [`bonded_pool`], tokens of unbonded validators and
//! of unbonding entries by [`not_bonded_pool`], as the SDK's `bonded_tokens_pool` and
//! `not_bonded_tokens_pool` module accounts.

use hub_auth::Address;
use hub_framework::bank::{BurnCoins, MintCoins, ReadBalance, SendCoins};

/// Module account name of the pool holding bonded tokens (SDK `BondedPoolName`).
pub const BONDED_POOL: &str = "bonded_tokens_pool";

/// Module account name of the pool holding unbonded and unbonding tokens
/// (SDK `NotBondedPoolName`).
pub const NOT_BONDED_POOL: &str = "not_bonded_tokens_pool";

/// `Address::module("bonded_tokens_pool")`.
pub fn bonded_pool() -> Address {
    Address::module(BONDED_POOL)
}

/// `Address::module("not_bonded_tokens_pool")`.
pub fn not_bonded_pool() -> Address {
    Address::module(NOT_BONDED_POOL)
}

/// What staking needs from the bank: the framework's narrow capabilities, bundled. Every
/// method runs on the caller's overlay, so a failed message drops its effects. `Default`
/// lets the block hooks (which have no value to hold) construct it. Implemented for every
/// type with the four capabilities (the runtime gives `hub_bank::Keeper`).
pub trait StakingBank:
    ReadBalance + SendCoins + MintCoins + BurnCoins + Default + Send + Sync + 'static
{
}

impl<T> StakingBank for T where
    T: ReadBalance + SendCoins + MintCoins + BurnCoins + Default + Send + Sync + 'static
{
}
