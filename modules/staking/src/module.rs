//! Genesis and block hooks of the staking module.

use crate::{StakingError, StakingRead, StakingWrite};
use base64::Engine;
use cosmos_sdk_proto::cosmos::staking::v1beta1::{BondStatus, Description, Params, Validator};
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    BlockCtx, EndBlocker, GenesisCtx, Module, ModuleError, ValidatorUpdate,
};
use prost::Message;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Tokens per unit of CometBFT voting power (Cosmos SDK `DefaultPowerReduction`).
pub const POWER_REDUCTION: u128 = 1_000_000;

/// Type URL of an ed25519 consensus key.
const ED25519_TYPE_URL: &str = "/cosmos.crypto.ed25519.PubKey";

/// The staking module.
pub struct Staking;

/// `app_state.staking.params`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ParamsJson {
    /// Unbonding period as `"<seconds>s"` (e.g. `"1814400s"` = 21 days).
    pub unbonding_time: String,
    /// Maximum number of validators.
    pub max_validators: u32,
    /// The staking denom (`uhub`).
    pub bond_denom: String,
    /// Historical entries kept (relayers require ≥ 1).
    pub historical_entries: u32,
}

impl Default for ParamsJson {
    fn default() -> Self {
        ParamsJson {
            unbonding_time: "1814400s".into(),
            max_validators: 100,
            bond_denom: "uhub".into(),
            historical_entries: 10_000,
        }
    }
}

/// `app_state.staking.validators[i]`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ValidatorGenesis {
    /// Human name.
    pub moniker: String,
    /// Bech32 account address of the operator.
    pub operator_address: String,
    /// Base64 of the 32-byte ed25519 consensus public key.
    pub consensus_pubkey: String,
    /// CometBFT voting power (string-encoded u64, > 0).
    pub power: String,
}

/// `app_state.staking`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StakingGenesis {
    /// Params.
    #[serde(default)]
    pub params: ParamsJson,
    /// The genesis validator set.
    #[serde(default)]
    pub validators: Vec<ValidatorGenesis>,
}

fn invalid(msg: String) -> ModuleError {
    StakingError::InvalidGenesis(msg).into()
}

/// Parses `"<n>s"` into seconds.
fn parse_seconds(s: &str) -> Option<i64> {
    s.strip_suffix('s')?.parse::<i64>().ok().filter(|v| *v > 0)
}

/// The CometBFT consensus address (hex) of an ed25519 key: sha256(key)[..20].
pub fn consensus_address_hex(pubkey: &[u8]) -> String {
    hex::encode(&Sha256::digest(pubkey)[..20])
}

impl Staking {
    /// The validator set to hand CometBFT in the InitChain response, in state order.
    pub async fn validator_updates<S: StateRead>(
        s: &S,
    ) -> Result<Vec<ValidatorUpdate>, ModuleError> {
        let mut out = Vec::new();
        for v in s.validators().await? {
            out.push(key_and_power(&v)?);
        }
        Ok(out)
    }
}

/// The ed25519 consensus key and CometBFT power of a stored validator.
/// Errors: internal, if the stored validator is malformed (only genesis writes it).
fn key_and_power(v: &Validator) -> Result<ValidatorUpdate, ModuleError> {
    let any = v.consensus_pubkey.clone().unwrap_or_default();
    let key = cosmos_sdk_proto::cosmos::crypto::ed25519::PubKey::decode(any.value.as_slice())
        .map_err(ModuleError::internal)?
        .key;
    let pub_key: [u8; 32] = key.as_slice().try_into().map_err(ModuleError::internal)?;
    let tokens: u128 = v.tokens.parse().map_err(ModuleError::internal)?;
    Ok(ValidatorUpdate {
        pub_key,
        power: (tokens / POWER_REDUCTION) as u64,
    })
}

impl Module for Staking {
    const NAME: &'static str = "staking";
    type Genesis = StakingGenesis;

    /// Writes params and validators.
    ///
    /// Errors: [`StakingError::InvalidGenesis`] naming the field (bad duration, bad key,
    /// zero power, duplicate key, no validators).
    async fn init_genesis<S: StateWrite>(
        s: &mut S,
        ctx: &GenesisCtx,
        g: &StakingGenesis,
    ) -> Result<(), ModuleError> {
        let p = &g.params;
        let unbonding = parse_seconds(&p.unbonding_time).ok_or_else(|| {
            invalid(format!("app_state.staking.params.unbonding_time: {:?} is not a positive duration like \"1814400s\"", p.unbonding_time))
        })?;
        if p.historical_entries == 0 {
            return Err(invalid(
                "app_state.staking.params.historical_entries: must be at least 1".into(),
            ));
        }
        s.put_staking_params(&Params {
            unbonding_time: Some(tendermint_proto::google::protobuf::Duration {
                seconds: unbonding,
                nanos: 0,
            }),
            max_validators: p.max_validators,
            max_entries: 7,
            historical_entries: p.historical_entries,
            bond_denom: p.bond_denom.clone(),
            min_commission_rate: "0".into(),
        });
        if g.validators.is_empty() {
            return Err(invalid(
                "app_state.staking.validators: at least one validator is required".into(),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, v) in g.validators.iter().enumerate() {
            let f = format!("app_state.staking.validators[{i}]");
            let key = base64::engine::general_purpose::STANDARD
                .decode(&v.consensus_pubkey)
                .ok()
                .filter(|k| k.len() == 32)
                .ok_or_else(|| {
                    invalid(format!(
                        "{f}.consensus_pubkey: not base64 of a 32-byte ed25519 key"
                    ))
                })?;
            let power: u64 = v.power.parse().ok().filter(|p| *p > 0).ok_or_else(|| {
                invalid(format!(
                    "{f}.power: {:?} is not a positive integer",
                    v.power
                ))
            })?;
            hub_auth::Address::from_bech32(&v.operator_address, &ctx.bech32_prefix)
                .map_err(|e| invalid(format!("{f}.operator_address: {e}")))?;
            let cons = consensus_address_hex(&key);
            if !seen.insert(cons.clone()) {
                return Err(invalid(format!("{f}.consensus_pubkey: listed twice")));
            }
            s.put_validator(
                &cons,
                &Validator {
                    operator_address: v.operator_address.clone(),
                    consensus_pubkey: Some(cosmos_sdk_proto::Any {
                        type_url: ED25519_TYPE_URL.into(),
                        value: cosmos_sdk_proto::cosmos::crypto::ed25519::PubKey { key }
                            .encode_to_vec(),
                    }),
                    jailed: false,
                    status: BondStatus::Bonded as i32,
                    tokens: (power as u128 * POWER_REDUCTION).to_string(),
                    delegator_shares: format!(
                        "{}.000000000000000000",
                        power as u128 * POWER_REDUCTION
                    ),
                    description: Some(Description {
                        moniker: v.moniker.clone(),
                        ..Default::default()
                    }),
                    unbonding_height: 0,
                    unbonding_time: None,
                    commission: None,
                    min_self_delegation: "1".into(),
                    unbonding_on_hold_ref_count: 0,
                    unbonding_ids: vec![],
                },
            );
        }
        Ok(())
    }

    async fn export_genesis<S: StateRead>(s: &S) -> Result<StakingGenesis, ModuleError> {
        let p = s.staking_params().await?;
        let mut validators = Vec::new();
        for v in s.validators().await? {
            let update = key_and_power(&v)?;
            validators.push(ValidatorGenesis {
                moniker: v.description.map(|d| d.moniker).unwrap_or_default(),
                operator_address: v.operator_address,
                consensus_pubkey: base64::engine::general_purpose::STANDARD.encode(update.pub_key),
                power: update.power.to_string(),
            });
        }
        Ok(StakingGenesis {
            params: ParamsJson {
                unbonding_time: format!("{}s", p.unbonding_time.map(|d| d.seconds).unwrap_or(0)),
                max_validators: p.max_validators,
                bond_denom: p.bond_denom,
                historical_entries: p.historical_entries,
            },
            validators,
        })
    }
}

impl EndBlocker for Staking {
    /// The set is fixed at genesis until delegation exists: no updates.
    async fn end_block<S: StateWrite>(
        _s: &mut S,
        _ctx: &BlockCtx,
    ) -> Result<Vec<ValidatorUpdate>, ModuleError> {
        Ok(Vec::new())
    }
}
