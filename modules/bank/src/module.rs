//! Genesis of the bank module.

use crate::{BankError, BankRead, BankWrite, Coin, Coins};
use cosmos_sdk_proto::cosmos::bank::v1beta1::{DenomUnit, Metadata};
use hub_auth::{Address, AuthRead, AuthWrite};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    GenesisCtx, Handled, Module, ModuleError, StateReadProto,
};
use serde::{Deserialize, Serialize};

/// The bank module.
pub struct Bank;

/// The fee collector module account name; fees are moved to `Address::module(FEE_COLLECTOR)`.
pub const FEE_COLLECTOR: &str = "fee_collector";

/// `app_state.bank.balances[i]`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct BalanceGenesis {
    /// Bech32 address.
    pub address: String,
    /// Coins, as `{denom, amount}` with string amounts.
    pub coins: Vec<CoinJson>,
}

pub use hub_framework::CoinJson;

/// A denom unit in genesis JSON.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DenomUnitJson {
    /// Unit denom (e.g. `hub`).
    pub denom: String,
    /// Power of ten relative to the base denom.
    pub exponent: u32,
    /// Other names of the unit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// `app_state.bank.denom_metadata[i]` (`cosmos.bank.v1beta1.Metadata`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DenomMetadataJson {
    /// Base denom (`uhub`).
    pub base: String,
    /// Display denom (`hub`).
    pub display: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Units.
    #[serde(default)]
    pub denom_units: Vec<DenomUnitJson>,
    /// Name (absent = the display denom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Ticker symbol (absent = the display denom in upper case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    /// URI of a document with more information.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uri: String,
    /// SHA-256 of the document at `uri`, hex.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uri_hash: String,
}

/// `app_state.bank`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct BankGenesis {
    /// Initial balances; the supply is their sum.
    pub balances: Vec<BalanceGenesis>,
    /// Denom metadata.
    pub denom_metadata: Vec<DenomMetadataJson>,
}

fn invalid(problem: String) -> ModuleError {
    BankError::InvalidGenesis(problem).into()
}

/// The SDK's `Metadata.Validate`: a valid base, given once; units led by the base at exponent
/// 0, with strictly increasing exponents and no unit twice; the display among the units.
///
/// An ICS-20 voucher's metadata (base `ibc/…`) is checked without the two rules on the base
/// and the display: ibc-go (and the transfer module, wire-compatibly) writes it with the
/// trace's base denom as its one unit and the full trace path as its display, and a genesis
/// exported from a chain that received tokens must import again.
fn check_metadata(earlier: &[DenomMetadataJson], m: &DenomMetadataJson, i: usize) -> Handled {
    let field = format!("app_state.bank.denom_metadata[{i}]");
    let voucher = m.base.starts_with("ibc/");
    crate::coin::validate_denom(&m.base).map_err(|e| invalid(format!("{field}.base: {e}")))?;
    if let Some(k) = earlier.iter().position(|e| e.base == m.base) {
        return Err(invalid(format!(
            "{field}.base: metadata for {:?} is given twice (denom_metadata[{k}])",
            m.base
        )));
    }
    for (j, u) in m.denom_units.iter().enumerate() {
        let unit = format!("{field}.denom_units[{j}]");
        if j == 0 && (u.denom != m.base && !voucher || u.exponent != 0) {
            return Err(invalid(format!(
                "{unit}: the first unit must be the base {:?} at exponent 0, found {:?} at {}",
                m.base, u.denom, u.exponent
            )));
        }
        if let Some(prev) = j.checked_sub(1).map(|k| &m.denom_units[k]) {
            if u.exponent <= prev.exponent {
                return Err(invalid(format!(
                    "{unit}.exponent: exponents must increase strictly: {} follows {}",
                    u.exponent, prev.exponent
                )));
            }
        }
        if m.denom_units[..j].iter().any(|e| e.denom == u.denom) {
            return Err(invalid(format!(
                "{unit}.denom: {:?} is listed twice",
                u.denom
            )));
        }
    }
    if !voucher && !m.denom_units.is_empty() && !m.denom_units.iter().any(|u| u.denom == m.display)
    {
        return Err(invalid(format!(
            "{field}.display: {:?} is not one of the denom_units",
            m.display
        )));
    }
    Ok(())
}

impl Module for Bank {
    const NAME: &'static str = "bank";
    type Genesis = BankGenesis;

    /// Mints every genesis balance (so supply = sum of balances) and stores metadata.
    ///
    /// Errors: [`BankError::InvalidGenesis`] naming the field, e.g.
    /// `app_state.bank.balances[2].coins[0].amount: …`.
    async fn init_genesis<S: StateWrite>(s: &mut S, ctx: &GenesisCtx, g: &BankGenesis) -> Handled {
        let mut holders = std::collections::BTreeMap::new();
        for (i, b) in g.balances.iter().enumerate() {
            let field = format!("app_state.bank.balances[{i}]");
            let addr = Address::from_bech32(&b.address, &ctx.bech32_prefix)
                .map_err(|e| BankError::InvalidGenesis(format!("{field}.address: {e}")))?;
            // The SDK refuses a second entry for one address: merging is the operator's call.
            if let Some(first) = holders.insert(addr, i) {
                return Err(invalid(format!(
                    "{field}.address: {} has another balance entry (balances[{first}]); merge them",
                    b.address
                )));
            }
            s.ensure_account(&addr, &ctx.bech32_prefix).await?;
            for (j, c) in b.coins.iter().enumerate() {
                if let Some(k) = b.coins[..j].iter().position(|d| d.denom == c.denom) {
                    return Err(invalid(format!(
                        "{field}.coins[{j}].denom: {:?} appears twice in this balance (coins[{k}])",
                        c.denom
                    )));
                }
                let coin = format!("{field}.coins[{j}]");
                crate::validate_denom(&c.denom)
                    .map_err(|e| invalid(format!("{coin}.denom: {e}")))?;
                // The amount names its own field: the denom is valid by now.
                let coin_value = Coin::from_proto(&cosmos_sdk_proto::cosmos::base::v1beta1::Coin {
                    denom: c.denom.clone(),
                    amount: c.amount.clone(),
                })
                .map_err(|e| invalid(format!("{coin}.amount: {e}")))?;
                s.mint(&addr, &coin_value)
                    .await
                    .map_err(|e| invalid(format!("{coin}.amount: {}", e.log)))?;
            }
        }
        for (i, m) in g.denom_metadata.iter().enumerate() {
            check_metadata(&g.denom_metadata[..i], m, i)?;
            s.put_denom_metadata(&Metadata {
                description: m.description.clone(),
                denom_units: m
                    .denom_units
                    .iter()
                    .map(|u| DenomUnit {
                        denom: u.denom.clone(),
                        exponent: u.exponent,
                        aliases: u.aliases.clone(),
                    })
                    .collect(),
                base: m.base.clone(),
                display: m.display.clone(),
                name: m.name.clone().unwrap_or_else(|| m.display.clone()),
                symbol: m.symbol.clone().unwrap_or_else(|| m.display.to_uppercase()),
                uri: m.uri.clone(),
                uri_hash: m.uri_hash.clone(),
            });
        }
        Ok(())
    }

    async fn export_genesis<S: StateRead>(s: &S) -> Result<BankGenesis, ModuleError> {
        // Balances are grouped per address, in key (hex address) order.
        let mut balances: Vec<BalanceGenesis> = Vec::new();
        let mut current: Option<(String, Vec<CoinJson>)> = None;
        for (key, value) in s.prefix_raw_vec(crate::state_key::BALANCES_PREFIX).await? {
            let rest = &key[crate::state_key::BALANCES_PREFIX.len()..];
            let (hex_addr, denom) = rest
                .split_once('/')
                .ok_or_else(|| ModuleError::internal(format!("bad balance key {key}")))?;
            let amount = hub_framework::decode_u128(&key, &value)?;
            if current.as_ref().map(|(a, _)| a.as_str()) != Some(hex_addr) {
                if let Some((a, coins)) = current.take() {
                    balances.push(BalanceGenesis { address: a, coins });
                }
                current = Some((hex_addr.to_string(), Vec::new()));
            }
            if let Some((_, coins)) = current.as_mut() {
                coins.push(CoinJson {
                    denom: denom.to_string(),
                    amount: amount.to_string(),
                });
            }
        }
        if let Some((a, coins)) = current {
            balances.push(BalanceGenesis { address: a, coins });
        }
        // Keys hold the hex address; genesis wants bech32, which the auth account records.
        for b in &mut balances {
            let bytes: [u8; 20] = hex::decode(&b.address)
                .ok()
                .and_then(|v| v.try_into().ok())
                .ok_or_else(|| ModuleError::internal(format!("bad balance key {}", b.address)))?;
            if let Some(acc) = s.account(&Address(bytes)).await? {
                b.address = acc.address;
            }
        }
        let mut denom_metadata = Vec::new();
        for (key, _) in s
            .prefix_raw_vec(crate::state_key::DENOM_METADATA_PREFIX)
            .await?
        {
            let denom = &key[crate::state_key::DENOM_METADATA_PREFIX.len()..];
            if let Some(m) = s.denom_metadata(denom).await? {
                denom_metadata.push(DenomMetadataJson {
                    base: m.base,
                    display: m.display,
                    description: m.description,
                    denom_units: m
                        .denom_units
                        .into_iter()
                        .map(|u| DenomUnitJson {
                            denom: u.denom,
                            exponent: u.exponent,
                            aliases: u.aliases,
                        })
                        .collect(),
                    name: Some(m.name),
                    symbol: Some(m.symbol),
                    uri: m.uri,
                    uri_hash: m.uri_hash,
                });
            }
        }
        Ok(BankGenesis {
            balances,
            denom_metadata,
        })
    }
}

/// Collects a transaction fee: moves `amount` of `denom` from `payer` to the fee collector.
///
/// Errors: `sdk`/5 "insufficient funds" when the payer cannot cover the fee.
pub async fn deduct_fee<S: StateWrite>(
    s: &mut S,
    payer: &Address,
    amount: u128,
    denom: &str,
    hrp: &str,
) -> Handled {
    if amount == 0 {
        return Ok(());
    }
    let coins = Coins(vec![Coin {
        denom: denom.to_string(),
        amount,
    }]);
    s.send_coins(payer, &Address::module(FEE_COLLECTOR), &coins, hrp)
        .await
        .map_err(|mut e| {
            e.log = format!("{}: insufficient funds to pay the fee", e.log);
            e
        })
}
