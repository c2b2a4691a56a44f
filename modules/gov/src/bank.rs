//! [`GovBank`] over the `hub-bank` module (the substore `bank`).

use crate::capability::{module_address, GovBank};
use hub_auth::Address;
use hub_bank::{BankWrite, Coins};
use hub_framework::{cnidarium::StateWrite, ModuleError, StateEventExt, TypedEvent};

/// [`GovBank`] over `hub-bank`: deposits are bank sends to and from `Address::module("gov")`
/// (with the bank's `coin_spent`/`coin_received`/`transfer` events); burns lower balance and
/// supply together.
#[derive(Clone, Copy, Debug, Default)]
pub struct BankKeeper;

impl GovBank for BankKeeper {
    async fn deposit<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        coins: &Coins,
        hrp: &str,
    ) -> Result<(), ModuleError> {
        s.send_coins(from, &module_address(), coins, hrp).await
    }

    async fn refund<S: StateWrite>(
        &self,
        s: &mut S,
        to: &Address,
        coins: &Coins,
        hrp: &str,
    ) -> Result<(), ModuleError> {
        s.send_coins(&module_address(), to, coins, hrp).await
    }

    async fn burn<S: StateWrite>(
        &self,
        s: &mut S,
        coins: &Coins,
        hrp: &str,
    ) -> Result<(), ModuleError> {
        let burner = module_address();
        for c in &coins.0 {
            <S as BankWrite>::burn(s, &burner, c).await?;
            s.emit(&Burn {
                burner: burner.to_bech32(hrp),
                amount: c.to_string(),
            });
        }
        Ok(())
    }
}

/// The bank's `burn { burner, amount }` event (SDK `x/bank` `EventTypeBurn`), emitted for the
/// deposits gov burns.
pub struct Burn {
    /// Bech32 address of the gov module account.
    pub burner: String,
    /// Coin as `100uhub`.
    pub amount: String,
}

impl TypedEvent for Burn {
    const TYPE: &'static str = "burn";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("burner", self.burner.clone()),
            ("amount", self.amount.clone()),
        ]
    }
}
