//! Genesis of the auth module.

use crate::{state_key, Address, AuthError, AuthRead, AuthWrite};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    GenesisCtx, Handled, Module, ModuleError, StateReadProto,
};
use hub_proto::auth::v1::Params;
use prost::Message;
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
///
/// A new chain's genesis gives only addresses. An exported chain's also gives each account's
/// sequence and public key: without them an import would start every sequence at 0 again, and
/// every tx the chain ever committed could be replayed on it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AccountGenesis {
    /// Bech32 address with the chain's prefix.
    pub address: String,
    /// The next sequence (string-encoded u64; absent = 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<String>,
    /// The account's public key, once a tx of it was accepted (SDK JSON shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pub_key: Option<PubKeyJson>,
}

/// A public key in genesis JSON, as the SDK writes it: `{"@type": "/cosmos.crypto.secp256k1.PubKey", "key": "<base64>"}`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PubKeyJson {
    /// The key's type URL.
    #[serde(rename = "@type")]
    pub type_url: String,
    /// Base64 of the key bytes (33 for a compressed secp256k1 key).
    pub key: String,
}

impl PubKeyJson {
    fn from_any(any: &cosmos_sdk_proto::Any) -> Result<Self, ModuleError> {
        use base64::Engine;
        let k = cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey::decode(any.value.as_slice())
            .map_err(|e| ModuleError::internal(format!("stored public key: {e}")))?;
        Ok(PubKeyJson {
            type_url: any.type_url.clone(),
            key: base64::engine::general_purpose::STANDARD.encode(k.key),
        })
    }

    /// The stored form; only secp256k1 keys, as the ante handler accepts.
    fn to_any(&self, field: &str) -> Result<cosmos_sdk_proto::Any, AuthError> {
        use base64::Engine;
        let key = base64::engine::general_purpose::STANDARD
            .decode(&self.key)
            .ok()
            .filter(|k| k.len() == 33 && self.type_url == crate::tx::SECP256K1_PUBKEY_TYPE_URL)
            .ok_or_else(|| {
                AuthError::InvalidGenesis(format!(
                    "{field}.pub_key: not a {} with 33 base64 bytes",
                    crate::tx::SECP256K1_PUBKEY_TYPE_URL
                ))
            })?;
        Ok(crate::ante::pubkey_any(&key))
    }
}

/// `app_state.auth`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct AuthGenesis {
    /// Module parameters.
    pub params: ParamsJson,
    /// Accounts created at genesis, numbered 0, 1, … in this order.
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
            let mut account = s.ensure_account(&addr, hrp).await?;
            let field = format!("app_state.auth.accounts[{i}]");
            if let Some(seq) = &acc.sequence {
                account.sequence = seq.parse().map_err(|_| {
                    AuthError::InvalidGenesis(format!(
                        "{field}.sequence: {seq:?} is not an unsigned integer"
                    ))
                })?;
            }
            account.pub_key = acc.pub_key.as_ref().map(|k| k.to_any(&field)).transpose()?;
            s.put_account(&addr, &account);
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
                    sequence: (acc.sequence > 0).then(|| acc.sequence.to_string()),
                    pub_key: acc.pub_key.as_ref().map(PubKeyJson::from_any).transpose()?,
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
