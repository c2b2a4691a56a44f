//! Genesis and block hooks of the staking module.

use crate::address::{consensus_address_hex, from_valoper, to_valoper};
use crate::bank::{bonded_pool, not_bonded_pool, StakingBank};
use crate::dec::Dec;
use crate::msgs::ED25519_TYPE_URL;
use crate::set::apply_validator_set;
use crate::stake::complete_mature_unbondings;
use crate::state::DEFAULT_SLASH_FRACTION_DOUBLE_SIGN;
use crate::{StakingError, StakingRead, StakingWrite};
use base64::Engine;
use cosmos_sdk_proto::cosmos::staking::v1beta1::{
    BondStatus, Commission, CommissionRates, Delegation, Description, Params, Validator,
};
use hub_auth::Address;
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    BlockCtx, EndBlocker, GenesisCtx, Handled, Module, ModuleError, ValidatorUpdate,
};
use prost::Message;
use serde::{Deserialize, Serialize};
use std::marker::PhantomData;

/// Tokens per unit of CometBFT voting power (Cosmos SDK `DefaultPowerReduction`).
pub const POWER_REDUCTION: u128 = 1_000_000;

/// The module name: substore, event prefix and error codespace.
pub const NAME: &str = "staking";

/// The staking module over the bank capability `B` (the runtime's adapter).
pub struct Staking<B>(PhantomData<fn() -> B>);

/// `app_state.staking.params`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ParamsJson {
    /// Unbonding period as `"<seconds>s"` (e.g. `"1814400s"` = 21 days).
    pub unbonding_time: String,
    /// Maximum number of validators in the active set.
    pub max_validators: u32,
    /// The staking denom (`uhub`).
    pub bond_denom: String,
    /// Historical entries kept (relayers require ≥ 1).
    pub historical_entries: u32,
    /// Fraction of a validator's tokens burned for a double sign, as a decimal
    /// (`"0.05"`); absent = 5 %.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slash_fraction_double_sign: Option<String>,
}

impl Default for ParamsJson {
    fn default() -> Self {
        ParamsJson {
            unbonding_time: "1814400s".into(),
            max_validators: 100,
            bond_denom: "uhub".into(),
            historical_entries: 10_000,
            slash_fraction_double_sign: None,
        }
    }
}

/// `app_state.staking.validators[i]`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ValidatorGenesis {
    /// Human name.
    pub moniker: String,
    /// The operator: its bech32 account address (`hub1…`) or operator address
    /// (`hubvaloper1…`). Stored as the operator address.
    pub operator_address: String,
    /// Base64 of the 32-byte ed25519 consensus public key.
    pub consensus_pubkey: String,
    /// CometBFT voting power (string-encoded u64, > 0); the validator gets
    /// `power × 10^6` tokens, self-delegated by its operator.
    pub power: String,
}

/// `app_state.staking`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct StakingGenesis {
    /// Params.
    pub params: ParamsJson,
    /// The genesis validator set of a new chain (each self-delegated, minted by its power).
    pub validators: Vec<ValidatorGenesis>,
    /// The state of a running chain, as an export writes it (instead of `validators`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<crate::export::StakingState>,
}

fn invalid(msg: String) -> ModuleError {
    StakingError::InvalidGenesis(msg).into()
}

/// Parses `"<n>s"` into seconds.
fn parse_seconds(s: &str) -> Option<i64> {
    s.strip_suffix('s')?.parse::<i64>().ok().filter(|v| *v > 0)
}

/// The commission of genesis validators (the SDK `gentx` defaults: 10 %, max 20 %, 1 %/day).
fn genesis_commission() -> Commission {
    Commission {
        commission_rates: Some(CommissionRates {
            rate: Dec(100_000_000_000_000_000).to_string(),
            max_rate: Dec(200_000_000_000_000_000).to_string(),
            max_change_rate: Dec(10_000_000_000_000_000).to_string(),
        }),
        update_time: Some(Default::default()),
    }
}

impl<B: StakingBank> Module for Staking<B> {
    const NAME: &'static str = NAME;
    type Genesis = StakingGenesis;

    /// Writes params and validators: each validator gets `power × 10^6` tokens as a
    /// self-delegation of its operator, minted into the staking pools (raising the supply) as
    /// far as the bank genesis does not already hold them there; the active
    /// set is then computed as at the end of a block (so at most `max_validators` are BONDED)
    /// and recorded as the set CometBFT starts with.
    ///
    /// Errors: [`StakingError::InvalidGenesis`] naming the field (bad duration, bad key,
    /// zero power, duplicate key or operator, bad slash fraction, no validators).
    async fn init_genesis<S: StateWrite>(
        s: &mut S,
        ctx: &GenesisCtx,
        g: &StakingGenesis,
    ) -> Handled {
        let bank = B::default();
        let p = &g.params;
        let unbonding = parse_seconds(&p.unbonding_time).ok_or_else(|| {
            invalid(format!("app_state.staking.params.unbonding_time: {:?} is not a positive duration like \"1814400s\"", p.unbonding_time))
        })?;
        hub_framework::validate_denom(&p.bond_denom).map_err(|_| {
            invalid(format!(
                "app_state.staking.params.bond_denom: {:?} is not a valid denomination",
                p.bond_denom
            ))
        })?;
        if p.historical_entries == 0 {
            return Err(invalid(
                "app_state.staking.params.historical_entries: must be at least 1".into(),
            ));
        }
        if p.max_validators == 0 {
            return Err(invalid(
                "app_state.staking.params.max_validators: must be at least 1".into(),
            ));
        }
        let fraction = match &p.slash_fraction_double_sign {
            None => DEFAULT_SLASH_FRACTION_DOUBLE_SIGN,
            Some(f) => Dec::parse_atomics_or_decimal(f).filter(|d| *d <= Dec::ONE).ok_or_else(|| {
                invalid(format!(
                    "app_state.staking.params.slash_fraction_double_sign: {f:?} is not a decimal between 0 and 1"
                ))
            })?,
        };
        s.put_slash_fraction_double_sign(fraction);
        s.put_staking_params(&Params {
            unbonding_time: Some(tendermint_proto::google::protobuf::Duration {
                seconds: unbonding,
                nanos: 0,
            }),
            max_validators: p.max_validators,
            max_entries: 7,
            historical_entries: p.historical_entries,
            bond_denom: p.bond_denom.clone(),
            min_commission_rate: Dec::ZERO.to_string(),
        });
        if let Some(state) = &g.state {
            if !g.validators.is_empty() {
                return Err(invalid(
                    "app_state.staking: give either validators (a new chain) or state (an export), not both".into(),
                ));
            }
            return crate::export::import_state(s, &ctx.bech32_prefix, state).await;
        }
        if g.validators.is_empty() {
            return Err(invalid(
                "app_state.staking.validators: at least one validator is required (add one with `genesis add-validator`)".into(),
            ));
        }
        let hrp = &ctx.bech32_prefix;
        let mut seen = std::collections::BTreeSet::new();
        let mut operators = std::collections::BTreeSet::new();
        let mut total: u128 = 0;
        for (i, v) in g.validators.iter().enumerate() {
            let f = format!("app_state.staking.validators[{i}]");
            if v.moniker.trim().is_empty() || v.moniker.len() > crate::msgs::MAX_MONIKER_LEN {
                return Err(invalid(format!(
                    "{f}.moniker: must be 1 to {} characters long",
                    crate::msgs::MAX_MONIKER_LEN
                )));
            }
            let key = base64::engine::general_purpose::STANDARD
                .decode(&v.consensus_pubkey)
                .ok()
                .filter(|k| k.len() == 32)
                .ok_or_else(|| {
                    invalid(format!(
                        "{f}.consensus_pubkey: not base64 of a 32-byte ed25519 key"
                    ))
                })?;
            if tendermint::PublicKey::from_raw_ed25519(&key).is_none() {
                return Err(invalid(format!(
                    "{f}.consensus_pubkey: not a valid ed25519 key"
                )));
            }
            let power: u64 = v.power.parse().ok().filter(|p| *p > 0).ok_or_else(|| {
                invalid(format!(
                    "{f}.power: {:?} is not a positive integer",
                    v.power
                ))
            })?;
            let operator = Address::from_bech32(&v.operator_address, hrp)
                .or_else(|_| from_valoper(&v.operator_address, hrp))
                .map_err(|e| invalid(format!("{f}.operator_address: {e}")))?;
            if !operators.insert(operator) {
                return Err(invalid(format!(
                    "{f}.operator_address: operates another validator already"
                )));
            }
            let cons = consensus_address_hex(&key);
            if !seen.insert(cons.clone()) {
                return Err(invalid(format!("{f}.consensus_pubkey: listed twice")));
            }
            let tokens = power as u128 * POWER_REDUCTION;
            total = total
                .checked_add(tokens)
                .ok_or_else(|| invalid(format!("{f}.power: total tokens overflow")))?;
            let validator = Validator {
                operator_address: to_valoper(&operator, hrp),
                consensus_pubkey: Some(cosmos_sdk_proto::Any {
                    type_url: ED25519_TYPE_URL.into(),
                    value: cosmos_sdk_proto::cosmos::crypto::ed25519::PubKey { key }
                        .encode_to_vec(),
                }),
                jailed: false,
                status: BondStatus::Unbonded as i32,
                tokens: tokens.to_string(),
                delegator_shares: Dec::from_int(tokens)
                    .ok_or_else(|| invalid(format!("{f}.power: too large")))?
                    .to_string(),
                description: Some(Description {
                    moniker: v.moniker.clone(),
                    ..Default::default()
                }),
                unbonding_height: 0,
                unbonding_time: None,
                commission: Some(genesis_commission()),
                min_self_delegation: "1".into(),
                unbonding_on_hold_ref_count: 0,
                unbonding_ids: vec![],
            };
            s.put_validator(&cons, &operator, &validator);
            s.put_delegation(
                &operator,
                &operator,
                &Delegation {
                    delegator_address: operator.to_bech32(hrp),
                    validator_address: validator.operator_address.clone(),
                    shares: validator.delegator_shares.clone(),
                },
            );
        }
        // Fund the not-bonded pool with the validators' tokens (they start UNBONDED). Pool
        // balances already in the bank genesis (an exported chain) count towards it, so a
        // re-imported genesis does not mint the bonded tokens twice.
        let denom = &p.bond_denom;
        let bonded = bank.balance(s, &bonded_pool(), denom).await?;
        if bonded > 0 {
            bank.send(s, &bonded_pool(), &not_bonded_pool(), denom, bonded, hrp)
                .await?;
        }
        let have = bank.balance(s, &not_bonded_pool(), denom).await?;
        if have < total {
            bank.mint(s, &not_bonded_pool(), denom, total - have)
                .await?;
        }
        apply_validator_set(s, &bank, 0, tendermint::Time::unix_epoch()).await?;
        Ok(())
    }

    /// Params and the whole state ([`crate::StakingState`]): validators, delegations,
    /// unbonding delegations, reported powers, tombstones.
    async fn export_genesis<S: StateRead>(s: &S) -> Result<StakingGenesis, ModuleError> {
        let p = s.staking_params().await?;
        let fraction = s.slash_fraction_double_sign().await?;
        Ok(StakingGenesis {
            params: ParamsJson {
                unbonding_time: format!("{}s", p.unbonding_time.map(|d| d.seconds).unwrap_or(0)),
                max_validators: p.max_validators,
                bond_denom: p.bond_denom,
                historical_entries: p.historical_entries,
                slash_fraction_double_sign: (fraction != DEFAULT_SLASH_FRACTION_DOUBLE_SIGN)
                    .then(|| fraction.to_string()),
            },
            validators: vec![],
            state: Some(crate::export::export_state(s).await?),
        })
    }
}

impl<B: StakingBank> EndBlocker for Staking<B> {
    /// Pays out matured unbonding entries (completion time ≤ block time), then recomputes the
    /// active set and returns the power changes for CometBFT (see
    /// [`crate::set::apply_validator_set`]).
    async fn end_block<S: StateWrite>(
        s: &mut S,
        ctx: &BlockCtx,
    ) -> Result<Vec<ValidatorUpdate>, ModuleError> {
        let bank = B::default();
        complete_mature_unbondings(s, &bank, ctx).await?;
        apply_validator_set(s, &bank, ctx.height, ctx.time).await
    }
}
