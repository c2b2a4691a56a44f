//! The genesis `app_state` written by `init`, with default parameters and empty lists.
//!
//! ```json
//! "app_state": {
//!   "auth": {
//!     "params": { "max_memo_characters": "256", "tx_size_limit": "65536",
//!                 "min_gas_price": "0.001", "fee_denom": "uhub" },
//!     "accounts": [ { "address": "hub1..." } ]
//!   },
//!   "bank": {
//!     "balances": [ { "address": "hub1...", "coins": [ { "denom": "uhub", "amount": "1000" } ] } ],
//!     "denom_metadata": [ { "base": "uhub", "display": "hub",
//!                           "description": "The native staking and fee token of the hub",
//!                           "denom_units": [ {"denom":"uhub","exponent":0}, {"denom":"hub","exponent":6} ] } ]
//!   },
//!   "staking": {
//!     "params": { "unbonding_time": "1814400s", "max_validators": 100, "bond_denom": "uhub",
//!                 "historical_entries": 10000 },
//!     "validators": [ { "moniker": "node0", "operator_address": "hub1...",
//!                       "consensus_pubkey": "<base64 32-byte ed25519>", "power": "10" } ]
//!   },
//!   "gov": {
//!     "params": { "min_deposit": [ { "denom": "uhub", "amount": "10000000" } ],
//!                 "max_deposit_period": "300s", "voting_period": "60s",
//!                 "quorum": "0.334000000000000000", "threshold": "0.500000000000000000",
//!                 "veto_threshold": "0.334000000000000000" }
//!   }
//! }
//! ```
//! u64 values are JSON strings, except `max_validators` and `historical_entries` (numbers);
//! `min_gas_price` is a decimal string, in `fee_denom` per unit of gas; `power` is the
//! CometBFT voting power.

use serde_json::{json, Value};

use crate::ChainProfile;

/// The block gas limit `hubd init` writes into `consensus_params.block.max_gas`: the sum of
/// the gas limits of a block's txs (100 000 000, room for hundreds of transfers or dozens of
/// relayer batches per block).
pub const DEFAULT_MAX_BLOCK_GAS: u64 = 100_000_000;

/// Default `auth.params.max_memo_characters`.
pub const DEFAULT_MAX_MEMO_CHARACTERS: u64 = 256;
/// Default `auth.params.tx_size_limit` (bytes).
pub const DEFAULT_TX_SIZE_LIMIT: u64 = 65_536;
/// Default `auth.params.min_gas_price` (fee denom per unit of gas).
pub const DEFAULT_MIN_GAS_PRICE: &str = "0.001";
/// Default `staking.params.unbonding_time` (21 days).
pub const DEFAULT_UNBONDING_TIME: &str = "1814400s";
/// Default `staking.params.max_validators`.
pub const DEFAULT_MAX_VALIDATORS: u32 = 100;
/// Default `staking.params.historical_entries`.
pub const DEFAULT_HISTORICAL_ENTRIES: u32 = 10_000;
/// Default `gov.params.min_deposit` amount (in the profile's denom).
pub const DEFAULT_GOV_MIN_DEPOSIT: &str = "10000000";
/// Default `gov.params.max_deposit_period` (a local network's 5 minutes).
pub const DEFAULT_GOV_MAX_DEPOSIT_PERIOD: &str = "300s";
/// Default `gov.params.voting_period` (a local network's 1 minute).
pub const DEFAULT_GOV_VOTING_PERIOD: &str = "60s";
/// Default voting power of `genesis add-validator`.
pub const DEFAULT_VALIDATOR_POWER: u64 = 10;

/// The default `app_state.interchain_upgrade`: the hub role (no hub chain id), plans at least
/// 20 blocks ahead, upgrade packets valid 600 s.
pub fn default_interchain_upgrade() -> Value {
    json!({
        "params": {
            "hub_chain_id": "",
            "min_upgrade_delay": "20",
            "packet_timeout": "600s",
        },
        "consumed": [],
    })
}

/// The `app_state` of a new chain: default parameters, no accounts, balances or validators,
/// and the metadata of the profile's token (`uhub` with display unit `hub` = 10^6 `uhub`).
pub fn default_app_state(profile: &ChainProfile) -> Value {
    let display = profile.display_denom();
    let mut denom_units = vec![json!({ "denom": profile.denom, "exponent": 0 })];
    if display != profile.denom {
        denom_units.push(json!({ "denom": display, "exponent": 6 }));
    }
    json!({
        "auth": {
            "params": {
                "max_memo_characters": DEFAULT_MAX_MEMO_CHARACTERS.to_string(),
                "tx_size_limit": DEFAULT_TX_SIZE_LIMIT.to_string(),
                "min_gas_price": DEFAULT_MIN_GAS_PRICE,
                "fee_denom": profile.denom,
            },
            "accounts": [],
        },
        "bank": {
            "balances": [],
            "denom_metadata": [{
                "base": profile.denom,
                "display": display,
                "description": format!("The native staking and fee token of the {display}"),
                "denom_units": denom_units,
            }],
        },
        "staking": {
            "params": {
                "unbonding_time": DEFAULT_UNBONDING_TIME,
                "max_validators": DEFAULT_MAX_VALIDATORS,
                "bond_denom": profile.denom,
                "historical_entries": DEFAULT_HISTORICAL_ENTRIES,
            },
            "validators": [],
        },
        "gov": {
            "params": {
                "min_deposit": [{ "denom": profile.denom, "amount": DEFAULT_GOV_MIN_DEPOSIT }],
                "max_deposit_period": DEFAULT_GOV_MAX_DEPOSIT_PERIOD,
                "voting_period": DEFAULT_GOV_VOTING_PERIOD,
                "quorum": "0.334000000000000000",
                "threshold": "0.500000000000000000",
                "veto_threshold": "0.334000000000000000",
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_defaults_match_the_published_schema() {
        let state = default_app_state(&ChainProfile::HUB);
        let expected = json!({
          "auth": {
            "params": { "max_memo_characters": "256", "tx_size_limit": "65536", "min_gas_price": "0.001", "fee_denom": "uhub" },
            "accounts": []
          },
          "bank": {
            "balances": [],
            "denom_metadata": [ { "base": "uhub", "display": "hub", "description": "The native staking and fee token of the hub", "denom_units": [ {"denom":"uhub","exponent":0}, {"denom":"hub","exponent":6} ] } ]
          },
          "staking": {
            "params": { "unbonding_time": "1814400s", "max_validators": 100, "bond_denom": "uhub", "historical_entries": 10000 },
            "validators": []
          },
          "gov": {
            "params": { "min_deposit": [ { "denom": "uhub", "amount": "10000000" } ], "max_deposit_period": "300s", "voting_period": "60s", "quorum": "0.334000000000000000", "threshold": "0.500000000000000000", "veto_threshold": "0.334000000000000000" }
          }
        });
        assert_eq!(state, expected);
    }
}
