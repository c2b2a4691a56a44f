//! The bank capability ICS-20 needs, and the voucher metadata it registers.
//!
//! The transfer logic only moves, mints and burns coins through [`TransferBank`], the
//! framework's bank capabilities; the runtime gives it `hub_bank::Keeper`. Amounts are u128 in
//! the smallest unit of a denom (e.g. `uhub`).

use crate::denom::{full_denom_path, ibc_denom, DenomTrace};
use cosmos_sdk_proto::cosmos::bank::v1beta1::{DenomUnit, Metadata};
use hub_auth::Address;
use hub_bank::{BankRead, BankWrite};
use hub_framework::{
    bank::{BurnCoins, MintCoins, ReadBalance, SendCoins},
    cnidarium::StateWrite,
    Handled,
};

/// The module account name of ICS-20: vouchers are minted to and burned from
/// `Address::module("transfer")` (as the Cosmos SDK's `transfer` module account).
pub const MODULE_ACCOUNT: &str = "transfer";

/// The address of the transfer module account.
pub fn module_address() -> Address {
    Address::module(MODULE_ACCOUNT)
}

/// What ICS-20 needs from the bank: the framework's narrow capabilities, bundled (escrow is
/// a send to the channel's escrow account, vouchers are minted and burned). Every method runs
/// on the caller's overlay, so a failed message or an error acknowledgement drops its
/// effects. Implemented for every type with the four (the runtime gives `hub_bank::Keeper`).
pub trait TransferBank: ReadBalance + SendCoins + MintCoins + BurnCoins + Sync {}

impl<T: ReadBalance + SendCoins + MintCoins + BurnCoins + Sync> TransferBank for T {}

/// Registers bank denom metadata for a voucher unless some already exists
/// (ibc-go `setDenomMetadata`).
///
/// Errors: unreadable state.
pub async fn ensure_voucher_metadata<S: StateWrite>(s: &mut S, trace: &DenomTrace) -> Handled {
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
