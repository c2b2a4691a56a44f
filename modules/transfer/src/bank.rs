//! The bank capability ICS-20 needs, and its implementation over `hub-bank`.
//!
//! The transfer logic only moves, mints and burns coins through [`TransferBank`]; the runtime
//! uses [`BankKeeper`], the adapter over the `bank` substore. Amounts are u128 in the smallest
//! unit of a denom (e.g. `uhub`).

use crate::denom::{full_denom_path, ibc_denom, DenomTrace};
use cosmos_sdk_proto::cosmos::bank::v1beta1::{DenomUnit, Metadata};
use hub_auth::Address;
use hub_bank::{BankRead, BankWrite, Coin, Coins};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    ModuleError, SdkError, StateWriteProto,
};

/// The module account name of ICS-20: vouchers are minted to and burned from
/// `Address::module("transfer")` (as the Cosmos SDK's `transfer` module account).
pub const MODULE_ACCOUNT: &str = "transfer";

/// The address of the transfer module account.
pub fn module_address() -> Address {
    Address::module(MODULE_ACCOUNT)
}

/// What ICS-20 needs from the bank. Every method runs on the caller's overlay, so a failed
/// message or an error acknowledgement drops its effects.
pub trait TransferBank: Sync {
    /// Balance of `denom` at `addr` (0 if none).
    async fn balance<S: StateRead>(
        &self,
        s: &S,
        addr: &Address,
        denom: &str,
    ) -> Result<u128, ModuleError>;

    /// Moves `amount` of `denom` from `from` to `to`, creating `to`'s account if needed and
    /// emitting the bank's `coin_spent` / `coin_received` / `transfer` events.
    ///
    /// Errors: `sdk`/5 when `from` holds less than `amount` (nothing written).
    async fn send<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        to: &Address,
        denom: &str,
        amount: u128,
        hrp: &str,
    ) -> Result<(), ModuleError>;

    /// Creates `amount` of `denom` at `to` and raises the supply. Errors: the supply would
    /// exceed u128.
    async fn mint<S: StateWrite>(
        &self,
        s: &mut S,
        to: &Address,
        denom: &str,
        amount: u128,
    ) -> Result<(), ModuleError>;

    /// Destroys `amount` of `denom` held by `from` and lowers the supply.
    /// Errors: `sdk`/5 when `from` holds less than `amount` (nothing written).
    async fn burn<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        denom: &str,
        amount: u128,
    ) -> Result<(), ModuleError>;

    /// Registers bank denom metadata for a voucher unless some already exists
    /// (ibc-go `setDenomMetadata`).
    async fn ensure_voucher_metadata<S: StateWrite>(
        &self,
        s: &mut S,
        trace: &DenomTrace,
    ) -> Result<(), ModuleError>;
}

/// [`TransferBank`] over the `hub-bank` module (the substore `bank`).
#[derive(Clone, Copy, Debug, Default)]
pub struct BankKeeper;

fn coins(denom: &str, amount: u128) -> Coins {
    Coins(vec![Coin {
        denom: denom.to_string(),
        amount,
    }])
}

impl TransferBank for BankKeeper {
    async fn balance<S: StateRead>(
        &self,
        s: &S,
        addr: &Address,
        denom: &str,
    ) -> Result<u128, ModuleError> {
        s.balance(addr, denom).await
    }

    async fn send<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        to: &Address,
        denom: &str,
        amount: u128,
        hrp: &str,
    ) -> Result<(), ModuleError> {
        s.send_coins(from, to, &coins(denom, amount), hrp).await
    }

    async fn mint<S: StateWrite>(
        &self,
        s: &mut S,
        to: &Address,
        denom: &str,
        amount: u128,
    ) -> Result<(), ModuleError> {
        s.mint(
            to,
            &Coin {
                denom: denom.to_string(),
                amount,
            },
        )
        .await
    }

    /// Lowers the balance and the supply together, so `sum(balances) == supply` holds; a
    /// supply that reaches zero is deleted (as the Cosmos SDK prunes it).
    async fn burn<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        denom: &str,
        amount: u128,
    ) -> Result<(), ModuleError> {
        let have = s.balance(from, denom).await?;
        let left = have.checked_sub(amount).ok_or_else(|| {
            SdkError::InsufficientFunds(format!(
                "spendable balance {have}{denom} is smaller than {amount}{denom}"
            ))
        })?;
        let supply = s.supply(denom).await?.checked_sub(amount).ok_or_else(|| {
            ModuleError::internal(format!("supply of {denom} is below a balance"))
        })?;
        s.put_balance(from, denom, left);
        let key = hub_bank::state_key::supply(denom);
        if supply == 0 {
            s.delete(key);
        } else {
            s.put_u128(key, supply);
        }
        Ok(())
    }

    async fn ensure_voucher_metadata<S: StateWrite>(
        &self,
        s: &mut S,
        trace: &DenomTrace,
    ) -> Result<(), ModuleError> {
        let base = ibc_denom(trace);
        if s.denom_metadata(&base).await?.is_some() {
            return Ok(());
        }
        let full = full_denom_path(trace);
        s.put_denom_metadata(&Metadata {
            description: format!("IBC token from {full}"),
            denom_units: vec![DenomUnit {
                denom: trace.base_denom.clone(),
                exponent: 0,
                aliases: vec![],
            }],
            base,
            display: full.clone(),
            name: format!("{full} IBC token"),
            symbol: trace.base_denom.to_uppercase(),
            uri: String::new(),
            uri_hash: String::new(),
        });
        Ok(())
    }
}
