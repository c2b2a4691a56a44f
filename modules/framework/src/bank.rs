//! The bank capabilities other modules use, defined once and narrowly (FRAME's `Currency`
//! idea): a module asks for exactly what it does with coins — read a balance, send, mint,
//! burn — and the runtime hands it the bank module's keeper, which implements all four.
//!
//! Staking (pools, slashing), transfer (escrow, vouchers) and gov (deposits) name these traits
//! instead of each defining its own bank trait and adapter. Amounts are u128 in the smallest
//! unit of a denomination (`uhub`); every method runs on the caller's overlay, so a failed
//! message drops its effects.

use crate::{Address, Handled, ModuleError};
use cnidarium::{StateRead, StateWrite};

/// Reads a balance.
pub trait ReadBalance {
    /// Balance of `denom` at `addr` (0 if none).
    ///
    /// Errors: unreadable state.
    async fn balance<S: StateRead>(
        &self,
        s: &S,
        addr: &Address,
        denom: &str,
    ) -> Result<u128, ModuleError>;
}

/// Moves coins between accounts.
pub trait SendCoins {
    /// Moves `amount` of `denom` from `from` to `to`, creating `to`'s account if needed and
    /// emitting the bank's `coin_spent` / `coin_received` / `transfer` events (addresses in
    /// bech32 with `hrp`).
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
    ) -> Handled;
}

/// Creates coins.
pub trait MintCoins {
    /// Creates `amount` of `denom` at `to` and raises the supply by as much.
    ///
    /// Errors: the supply would exceed u128.
    async fn mint<S: StateWrite>(
        &self,
        s: &mut S,
        to: &Address,
        denom: &str,
        amount: u128,
    ) -> Handled;
}

/// Destroys coins.
pub trait BurnCoins {
    /// Destroys `amount` of `denom` held by `from` and lowers the supply by as much (a supply
    /// that reaches zero is deleted, as the Cosmos SDK prunes it).
    ///
    /// Errors: `sdk`/5 when `from` holds less than `amount`; nothing is written then.
    async fn burn<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        denom: &str,
        amount: u128,
    ) -> Handled;
}
