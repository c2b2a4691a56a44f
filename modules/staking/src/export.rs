//! The staking state of a running chain in its genesis export (`app_state.staking.state`):
//! every validator, delegation, unbonding delegation, reported power and tombstone, so that an
//! exported chain imports to the same records. A new chain's genesis lists `validators` by
//! power instead, and has no `state`.
//!
//! Records are base64 of their `cosmos.staking.v1beta1` protobuf; every index key (operator →
//! validator, validator → delegations, the unbonding queue) is rebuilt from them on import.

use crate::address::{consensus_address_hex, from_valoper};
use crate::set::consensus_key;
use crate::state::validator_operator;
use crate::{state_key, StakingError, StakingRead, StakingWrite};
use cosmos_sdk_proto::cosmos::staking::v1beta1::{Delegation, UnbondingDelegation, Validator};
use hub_auth::Address;
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    encode_record, Handled, ModuleError, StateReadProto, StateWriteProto,
};
use prost::Message;
use serde::{Deserialize, Serialize};

/// `app_state.staking.state`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StakingState {
    /// Base64 `Validator`s, in consensus-address order.
    #[serde(default)]
    pub validators: Vec<String>,
    /// Base64 `Delegation`s.
    #[serde(default)]
    pub delegations: Vec<String>,
    /// Base64 `UnbondingDelegation`s.
    #[serde(default)]
    pub unbonding_delegations: Vec<String>,
    /// The power last reported to CometBFT of each validator in its set.
    #[serde(default)]
    pub last_powers: Vec<LastPower>,
    /// The next unbonding id (string-encoded u64).
    #[serde(default = "one")]
    pub next_unbonding_id: String,
    /// Hex consensus addresses of tombstoned validators.
    #[serde(default)]
    pub tombstoned: Vec<String>,
}

fn one() -> String {
    "1".into()
}

/// One entry of [`StakingState::last_powers`].
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LastPower {
    /// Hex consensus address.
    pub consensus_address: String,
    /// Power (string-encoded u64).
    pub power: String,
}

fn invalid(msg: String) -> ModuleError {
    StakingError::InvalidGenesis(msg).into()
}

fn decode<M: Message + Default>(field: &str, s: &str) -> Result<M, ModuleError> {
    hub_framework::decode_record(s).map_err(|e| invalid(format!("{field}: {e}")))
}

/// Reads the whole staking state for an export.
///
/// Errors: internal, if a stored record does not decode.
pub async fn export_state<S: StateRead>(s: &S) -> Result<StakingState, ModuleError> {
    let mut out = StakingState {
        next_unbonding_id: s
            .get_u64(state_key::NEXT_UNBONDING_ID)
            .await?
            .unwrap_or(1)
            .to_string(),
        ..Default::default()
    };
    out.validators = s.validators().await?.iter().map(encode_record).collect();
    for (prefix, list) in [
        (state_key::DELEGATIONS_PREFIX, &mut out.delegations),
        (
            state_key::UNBONDING_DELEGATIONS_PREFIX,
            &mut out.unbonding_delegations,
        ),
    ] {
        for (_, v) in s.prefix_raw_vec(prefix).await? {
            // Stored as protobuf already: only the base64 of `encode_record` is added.
            list.push(base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                v,
            ));
        }
    }
    out.last_powers = s
        .last_powers()
        .await?
        .into_iter()
        .map(|(consensus_address, p)| LastPower {
            consensus_address,
            power: p.to_string(),
        })
        .collect();
    for (k, _) in s.prefix_raw_vec(state_key::TOMBSTONED_PREFIX).await? {
        out.tombstoned
            .push(k[state_key::TOMBSTONED_PREFIX.len()..].to_string());
    }
    Ok(out)
}

/// Writes an exported staking state, with every index rebuilt. Coins are not minted: the
/// bank section of the same export holds the pools' balances.
///
/// Errors: [`StakingError::InvalidGenesis`] naming the record
/// (`app_state.staking.state.delegations[3]: …`).
pub async fn import_state<S: StateWrite>(s: &mut S, hrp: &str, g: &StakingState) -> Handled {
    let f = "app_state.staking.state";
    for (i, v) in g.validators.iter().enumerate() {
        let field = format!("{f}.validators[{i}]");
        let v: Validator = decode(&field, v)?;
        let key = consensus_key(&v).map_err(|e| invalid(format!("{field}: {}", e.log)))?;
        let operator =
            validator_operator(&v).map_err(|e| invalid(format!("{field}: {}", e.log)))?;
        s.put_validator(&consensus_address_hex(&key), &operator, &v);
    }
    let account = |field: &str, a: &str| {
        Address::from_bech32(a, hrp).map_err(|e| invalid(format!("{field}: {e}")))
    };
    let valoper =
        |field: &str, a: &str| from_valoper(a, hrp).map_err(|e| invalid(format!("{field}: {e}")));
    for (i, d) in g.delegations.iter().enumerate() {
        let field = format!("{f}.delegations[{i}]");
        let d: Delegation = decode(&field, d)?;
        let delegator = account(&field, &d.delegator_address)?;
        let operator = valoper(&field, &d.validator_address)?;
        s.put_delegation(&delegator, &operator, &d);
    }
    for (i, u) in g.unbonding_delegations.iter().enumerate() {
        let field = format!("{f}.unbonding_delegations[{i}]");
        let u: UnbondingDelegation = decode(&field, u)?;
        let delegator = account(&field, &u.delegator_address)?;
        let operator = valoper(&field, &u.validator_address)?;
        for e in &u.entries {
            let t = e
                .completion_time
                .as_ref()
                .ok_or_else(|| invalid(format!("{field}: an entry without a completion time")))?;
            let ns = hub_framework::timestamp_ns(t).ok_or_else(|| {
                invalid(format!(
                    "{field}: a completion time before 1970 or after 2554"
                ))
            })?;
            s.queue_unbonding(ns, &delegator, &operator);
        }
        s.put_unbonding_delegation(&delegator, &operator, &u);
    }
    for (i, p) in g.last_powers.iter().enumerate() {
        let power = p
            .power
            .parse()
            .map_err(|_| invalid(format!("{f}.last_powers[{i}].power: {:?}", p.power)))?;
        s.put_last_power(&p.consensus_address, power);
    }
    let next: u64 = g.next_unbonding_id.parse().map_err(|_| {
        invalid(format!(
            "{f}.next_unbonding_id: {:?} is not an unsigned integer",
            g.next_unbonding_id
        ))
    })?;
    // The record exists once an id was taken (then ≥ 2); 1 is its absence.
    if next > 1 {
        s.put_u64(state_key::NEXT_UNBONDING_ID.to_string(), next);
    }
    for t in &g.tombstoned {
        s.put_tombstoned(t);
    }
    Ok(())
}
