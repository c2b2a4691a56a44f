//! Typed access to auth state. Other modules use accounts only through these traits.

use crate::{state_key, Address, AuthError};
use cosmos_sdk_proto::cosmos::auth::v1beta1::BaseAccount;
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    Handled, ModuleError, StateReadProto, StateWriteProto,
};
use hub_proto::auth::v1::Params;

/// Reads of auth state.
pub trait AuthRead: StateRead {
    /// The account at `addr`, if it exists.
    async fn account(&self, addr: &Address) -> Result<Option<BaseAccount>, ModuleError> {
        self.get_proto(&state_key::account(addr)).await
    }

    /// The auth params. Missing params are an internal error (genesis always writes them).
    async fn auth_params(&self) -> Result<Params, ModuleError> {
        self.get_proto(state_key::PARAMS)
            .await?
            .ok_or_else(|| ModuleError::internal("auth params missing"))
    }

    /// The account number the next new account receives.
    async fn next_account_number(&self) -> Result<u64, ModuleError> {
        Ok(self
            .get_u64(state_key::NEXT_ACCOUNT_NUMBER)
            .await?
            .unwrap_or(0))
    }
}

impl<T: StateRead + ?Sized> AuthRead for T {}

/// Writes of auth state.
pub trait AuthWrite: StateWrite {
    /// Stores `account` under its address (the address field must be bech32 of `addr`).
    fn put_account(&mut self, addr: &Address, account: &BaseAccount) {
        self.put_proto(state_key::account(addr), account);
    }

    /// Stores the params after validating them.
    ///
    /// Errors: [`AuthError::InvalidGasPrice`] for a malformed `min_gas_price`.
    fn put_auth_params(&mut self, params: &Params) -> Handled {
        crate::ante::parse_decimal_18(&params.min_gas_price)
            .ok_or_else(|| AuthError::InvalidGasPrice(params.min_gas_price.clone()))?;
        self.put_proto(state_key::PARAMS.to_string(), params);
        Ok(())
    }

    /// Returns the account at `addr`, creating it with the next account number if absent
    /// (as the Cosmos SDK does when an address first receives coins).
    async fn ensure_account(
        &mut self,
        addr: &Address,
        hrp: &str,
    ) -> Result<BaseAccount, ModuleError> {
        if let Some(acc) = self.account(addr).await? {
            return Ok(acc);
        }
        let number = self.next_account_number().await?;
        self.put_u64(state_key::NEXT_ACCOUNT_NUMBER.to_string(), number + 1);
        let acc = BaseAccount {
            address: addr.to_bech32(hrp),
            pub_key: None,
            account_number: number,
            sequence: 0,
        };
        self.put_account(addr, &acc);
        Ok(acc)
    }
}

impl<T: StateWrite + ?Sized> AuthWrite for T {}
