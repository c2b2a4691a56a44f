//! [`Keeper`]: the bank module as the capability other modules receive — the framework's
//! narrow [`ReadBalance`], [`SendCoins`], [`MintCoins`] and [`BurnCoins`] over the `bank`
//! substore.

use crate::{BankRead, BankWrite, Coin, Coins};
use hub_framework::{
    bank::{BurnCoins, MintCoins, ReadBalance, SendCoins},
    cnidarium::{StateRead, StateWrite},
    Address, Handled, ModuleError,
};

/// The bank keeper a runtime gives staking, transfer and gov (a zero-sized handle: the state
/// is the overlay each call receives).
#[derive(Clone, Copy, Debug, Default)]
pub struct Keeper;

fn coin(denom: &str, amount: u128) -> Coin {
    Coin {
        denom: denom.to_string(),
        amount,
    }
}

impl ReadBalance for Keeper {
    async fn balance<S: StateRead>(
        &self,
        s: &S,
        addr: &Address,
        denom: &str,
    ) -> Result<u128, ModuleError> {
        BankRead::balance(s, addr, denom).await
    }
}

impl SendCoins for Keeper {
    async fn send<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        to: &Address,
        denom: &str,
        amount: u128,
        hrp: &str,
    ) -> Handled {
        s.send_coins(from, to, &Coins(vec![coin(denom, amount)]), hrp)
            .await
    }
}

impl MintCoins for Keeper {
    async fn mint<S: StateWrite>(
        &self,
        s: &mut S,
        to: &Address,
        denom: &str,
        amount: u128,
    ) -> Handled {
        BankWrite::mint(s, to, &coin(denom, amount)).await
    }
}

impl BurnCoins for Keeper {
    async fn burn<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        denom: &str,
        amount: u128,
    ) -> Handled {
        BankWrite::burn(s, from, &coin(denom, amount)).await
    }
}
