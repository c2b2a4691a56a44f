//! Typed access to balances and supply. Other modules move coins only through these traits.

use crate::{events, state_key, BankError, Coin, Coins};
use cosmos_sdk_proto::cosmos::bank::v1beta1::Metadata;
use hub_auth::{Address, AuthWrite};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    Handled, ModuleError, SdkError, StateEventExt, StateReadProto, StateWriteProto,
};

/// Reads of bank state.
pub trait BankRead: StateRead {
    /// Balance of `denom` at `addr` (0 if none).
    async fn balance(&self, addr: &Address, denom: &str) -> Result<u128, ModuleError> {
        Ok(self
            .get_u128(&state_key::balance(addr, denom))
            .await?
            .unwrap_or(0))
    }

    /// All non-zero balances of `addr`, sorted by denom.
    async fn all_balances(&self, addr: &Address) -> Result<Vec<Coin>, ModuleError> {
        let prefix = state_key::balances_of(addr);
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(&prefix).await? {
            let amount = hub_framework::decode_u128(&key, &value)?;
            out.push(Coin {
                denom: key[prefix.len()..].to_string(),
                amount,
            });
        }
        Ok(out)
    }

    /// Total supply of `denom` (0 if none).
    async fn supply(&self, denom: &str) -> Result<u128, ModuleError> {
        Ok(self.get_u128(&state_key::supply(denom)).await?.unwrap_or(0))
    }

    /// Total supply of every denom, sorted by denom.
    async fn total_supply(&self) -> Result<Vec<Coin>, ModuleError> {
        let mut out = Vec::new();
        for (key, value) in self.prefix_raw_vec(state_key::SUPPLY_PREFIX).await? {
            let amount = hub_framework::decode_u128(&key, &value)?;
            out.push(Coin {
                denom: key[state_key::SUPPLY_PREFIX.len()..].to_string(),
                amount,
            });
        }
        Ok(out)
    }

    /// Metadata of `denom`, if registered.
    async fn denom_metadata(&self, denom: &str) -> Result<Option<Metadata>, ModuleError> {
        self.get_proto(&state_key::denom_metadata(denom)).await
    }
}

impl<T: StateRead + ?Sized> BankRead for T {}

/// Writes of bank state. Every coin movement goes through `send_coins`, `mint` or `burn`, which
/// keep `sum(balances) == supply` per denom.
pub trait BankWrite: StateWrite {
    /// Sets a balance (deleting the key at zero, so absent and zero read the same).
    fn put_balance(&mut self, addr: &Address, denom: &str, amount: u128) {
        let key = state_key::balance(addr, denom);
        if amount == 0 {
            self.delete(key);
        } else {
            self.put_u128(key, amount);
        }
    }

    /// Moves `coins` from `from` to `to`, creating the recipient account if needed, and emits
    /// `coin_spent`, `coin_received` and `transfer`.
    ///
    /// Errors: `sdk`/5 when `from` holds less than an amount (nothing is written: all
    /// balances are checked before any write), `bank`/101 on overflow.
    async fn send_coins(
        &mut self,
        from: &Address,
        to: &Address,
        coins: &Coins,
        hrp: &str,
    ) -> Handled {
        let mut debits = Vec::with_capacity(coins.0.len());
        for c in &coins.0 {
            let have = self.balance(from, &c.denom).await?;
            let left = have.checked_sub(c.amount).ok_or_else(|| {
                SdkError::InsufficientFunds(format!(
                    "spendable balance {have}{} is smaller than {c}",
                    c.denom
                ))
            })?;
            debits.push(left);
        }
        for (c, left) in coins.0.iter().zip(debits) {
            self.put_balance(from, &c.denom, left);
            let have = self.balance(to, &c.denom).await?;
            let sum = have
                .checked_add(c.amount)
                .ok_or_else(|| BankError::Overflow(format!("balance of {} overflows", c.denom)))?;
            self.put_balance(to, &c.denom, sum);
        }
        self.ensure_account(to, hrp).await?;
        let (sender, recipient, amount) =
            (from.to_bech32(hrp), to.to_bech32(hrp), coins.to_string());
        self.emit(&events::CoinSpent {
            spender: sender.clone(),
            amount: amount.clone(),
        });
        self.emit(&events::CoinReceived {
            receiver: recipient.clone(),
            amount: amount.clone(),
        });
        self.emit(&events::Transfer {
            recipient,
            sender,
            amount,
        });
        Ok(())
    }

    /// Creates `coin` at `to` and raises the supply (genesis balances, and later ICS-20
    /// vouchers). Errors: `bank`/101 if the supply would exceed u128.
    async fn mint(&mut self, to: &Address, coin: &Coin) -> Handled {
        let supply = self
            .supply(&coin.denom)
            .await?
            .checked_add(coin.amount)
            .ok_or_else(|| BankError::Overflow(format!("supply of {} overflows", coin.denom)))?;
        self.put_u128(state_key::supply(&coin.denom), supply);
        let bal = self.balance(to, &coin.denom).await?;
        // cannot overflow: a balance never exceeds the supply of its denom
        self.put_balance(to, &coin.denom, bal.saturating_add(coin.amount));
        Ok(())
    }

    /// Destroys `coin` held by `from` and lowers the supply, so `sum(balances) == supply`
    /// holds; a supply that reaches zero is deleted (as the Cosmos SDK prunes it).
    ///
    /// Errors: `sdk`/5 when `from` holds less than the amount (nothing written); internal if
    /// the supply is below a balance.
    async fn burn(&mut self, from: &Address, coin: &Coin) -> Handled {
        let have = self.balance(from, &coin.denom).await?;
        let left = have.checked_sub(coin.amount).ok_or_else(|| {
            SdkError::InsufficientFunds(format!(
                "spendable balance {have}{} is smaller than {coin}",
                coin.denom
            ))
        })?;
        let supply = self
            .supply(&coin.denom)
            .await?
            .checked_sub(coin.amount)
            .ok_or_else(|| {
                ModuleError::internal(format!("supply of {} is below a balance", coin.denom))
            })?;
        self.put_balance(from, &coin.denom, left);
        let key = state_key::supply(&coin.denom);
        if supply == 0 {
            self.delete(key);
        } else {
            self.put_u128(key, supply);
        }
        Ok(())
    }

    /// Stores denom metadata.
    fn put_denom_metadata(&mut self, m: &Metadata) {
        self.put_proto(state_key::denom_metadata(&m.base), m);
    }
}

impl<T: StateWrite + ?Sized> BankWrite for T {}
