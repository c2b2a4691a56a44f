//! Genesis of the auth module.

use crate::{state_key, Address, AuthError, AuthRead, AuthWrite};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    GenesisCtx, Handled, Module, ModuleError, StateReadProto,
};
use hub_proto::auth::v1::Params;
use serde::{Deserialize, Serialize};

/// The auth module (accounts, signatures, fees).
pub struct Auth;

/// Auth params as they appear in genesis JSON (`app_state.auth.params`); u64 values are strings.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ParamsJson {
    /// Maximum memo length in characters (string-encoded u64).
    pub max_memo_characters: String,
    /// Maximum raw tx size in bytes (string-encoded u64).
    pub tx_size_limit: String,
    /// Minimum gas price, a decimal in `fee_denom` per gas unit.
    pub min_gas_price: String,
    /// The fee denom (`uhub`).
    pub fee_denom: String,
}

impl Default for ParamsJson {
    fn default() -> Self {
        ParamsJson {
            max_memo_characters: "256".into(),
            tx_size_limit: "65536".into(),
            min_gas_price: "0.001".into(),
            fee_denom: "uhub".into(),
        }
    }
}

impl ParamsJson {
    /// Converts to the stored form. Errors name the bad field.
    pub fn to_proto(&self) -> Result<Params, AuthError> {
        // Both limits must be positive (the SDK's `Params.Validate`): zero would refuse every tx.
        let num = |field: &str, v: &str| {
            v.parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                AuthError::InvalidGenesis(format!(
                    "app_state.auth.params.{field}: {v:?} is not a positive integer"
                ))
            })
        };
        if crate::ante::parse_decimal_18(&self.min_gas_price).is_none() {
            return Err(AuthError::InvalidGenesis(format!(
                "app_state.auth.params.min_gas_price: {:?} is not a non-negative decimal",
                self.min_gas_price
            )));
        }
        if self.fee_denom.is_empty() {
            return Err(AuthError::InvalidGenesis(
                "app_state.auth.params.fee_denom: must not be empty".into(),
            ));
        }
        Ok(Params {
            max_memo_characters: num("max_memo_characters", &self.max_memo_characters)?,
            tx_size_limit: num("tx_size_limit", &self.tx_size_limit)?,
            min_gas_price: self.min_gas_price.clone(),
            fee_denom: self.fee_denom.clone(),
        })
    }

    fn from_proto(p: &Params) -> Self {
        ParamsJson {
            max_memo_characters: p.max_memo_characters.to_string(),
            tx_size_limit: p.tx_size_limit.to_string(),
            min_gas_price: p.min_gas_price.clone(),
            fee_denom: p.fee_denom.clone(),
        }
    }
}

/// One genesis account (`app_state.auth.accounts[i]`). Account numbers follow list order.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AccountGenesis {
    /// Bech32 address with the chain's prefix.
    pub address: String,
}

/// `app_state.auth`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AuthGenesis {
    /// Module parameters.
    #[serde(default)]
    pub params: ParamsJson,
    /// Accounts created at genesis, numbered 0, 1, … in this order.
    #[serde(default)]
    pub accounts: Vec<AccountGenesis>,
}

impl Module for Auth {
    const NAME: &'static str = "auth";
    type Genesis = AuthGenesis;

    /// Writes params and accounts.
    ///
    /// Errors: [`AuthError::InvalidGenesis`] naming the field, e.g.
    /// `app_state.auth.accounts[3].address: …`, for a bad address or a duplicate.
    async fn init_genesis<S: StateWrite>(s: &mut S, ctx: &GenesisCtx, g: &AuthGenesis) -> Handled {
        let hrp = ctx.bech32_prefix.as_str();
        s.put_auth_params(&g.params.to_proto()?)?;
        for (i, acc) in g.accounts.iter().enumerate() {
            let addr = Address::from_bech32(&acc.address, hrp).map_err(|e| {
                AuthError::InvalidGenesis(format!("app_state.auth.accounts[{i}].address: {e}"))
            })?;
            if s.account(&addr).await?.is_some() {
                return Err(AuthError::InvalidGenesis(format!(
                    "app_state.auth.accounts[{i}].address: {} is listed twice",
                    acc.address
                ))
                .into());
            }
            s.ensure_account(&addr, hrp).await?;
        }
        Ok(())
    }

    async fn export_genesis<S: StateRead>(s: &S) -> Result<AuthGenesis, ModuleError> {
        let params = ParamsJson::from_proto(&s.auth_params().await?);
        let mut accounts: Vec<(u64, AccountGenesis)> = Vec::new();
        for (key, _) in s.prefix_raw_vec(state_key::ACCOUNTS_PREFIX).await? {
            let acc: cosmos_sdk_proto::cosmos::auth::v1beta1::BaseAccount = s
                .get_proto(&key)
                .await?
                .ok_or_else(|| ModuleError::internal("account vanished during export"))?;
            accounts.push((
                acc.account_number,
                AccountGenesis {
                    address: acc.address,
                },
            ));
        }
        accounts.sort_by_key(|(n, _)| *n);
        Ok(AuthGenesis {
            params,
            accounts: accounts.into_iter().map(|(_, a)| a).collect(),
        })
    }
}
