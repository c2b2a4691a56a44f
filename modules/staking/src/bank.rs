//! The bank capability staking needs, and the module accounts it uses.
//!
//! Staking never touches balances itself: it moves, mints and burns coins through
//! [`StakingBank`], which the runtime implements over its bank module. Amounts are u128 in the
//! smallest unit of the bond denom (`uhub` on the hub).
//!
//! Tokens of bonded validators are held by [`bonded_pool`], tokens of unbonded validators and
//! of unbonding entries by [`not_bonded_pool`], as the SDK's `bonded_tokens_pool` and
//! `not_bonded_tokens_pool` module accounts.

use hub_auth::Address;
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    ModuleError,
};

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

/// What staking needs from the bank. Every method runs on the caller's overlay, so a failed
/// message drops its effects. `Default` lets the block hooks (which have no value to hold)
/// construct it.
pub trait StakingBank: Default + Send + Sync + 'static {
    /// Balance of `denom` at `addr` (0 if none).
    async fn balance<S: StateRead>(
        &self,
        s: &S,
        addr: &Address,
        denom: &str,
    ) -> Result<u128, ModuleError>;

    /// Moves `amount` of `denom` from `from` to `to` (creating `to`'s account if needed).
    ///
    /// Errors: `sdk`/5 when `from` holds less than `amount`; nothing is written then.
    async fn send<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        to: &Address,
        denom: &str,
        amount: u128,
        hrp: &str,
    ) -> Result<(), ModuleError>;

    /// Creates `amount` of `denom` at `to` and raises the supply (genesis pools only).
    async fn mint<S: StateWrite>(
        &self,
        s: &mut S,
        to: &Address,
        denom: &str,
        amount: u128,
    ) -> Result<(), ModuleError>;

    /// Destroys `amount` of `denom` held by `from` and lowers the supply by as much (slashing).
    ///
    /// Errors: `sdk`/5 when `from` holds less than `amount`; nothing is written then.
    async fn burn<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        denom: &str,
        amount: u128,
    ) -> Result<(), ModuleError>;
}
