//! The genesis check: the typed [`AppState`] and every module's own `init_genesis`, run on
//! throwaway state.
//!
//! One set of rules: what `hubd genesis validate` and `hubd start` refuse is exactly what
//! InitChain would refuse, because it is InitChain's code (the Cosmos SDK's
//! `ValidateGenesis`, which asks each module). Problems are reported with the JSON path of their
//! field: a parse error with the path serde was at, a module's refusal with the path it names.

use std::fmt;

use cnidarium::{StateDelta, TempStorage};
use hub_framework::GenesisCtx;
use serde_json::Value;
use tendermint::Time;

use crate::runtime::{self, AppState, ChainConfig};

pub use hub_staking::msgs::MAX_MONIKER_LEN;

/// Longest chain id CometBFT accepts (`MaxChainIDLen`).
pub const MAX_CHAIN_ID_LEN: usize = 50;
/// Largest total voting power CometBFT accepts (`MaxTotalVotingPower`, `i64::MAX / 8`).
pub const MAX_TOTAL_VOTING_POWER: u64 = (i64::MAX / 8) as u64;

/// One problem in a genesis file, located by its JSON field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenesisIssue {
    /// Path of the offending field, e.g. `app_state.bank.balances[2].coins[0].amount`.
    pub field: String,
    /// What is wrong with it, e.g. `"-5" is not a non-negative integer`.
    pub problem: String,
}

impl fmt::Display for GenesisIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// The problems found in a genesis file (never empty): those of the document's own fields
/// (`chain_id`, `validators`, `genesis_time`), then the first one of `app_state` (modules run
/// in genesis order, and a later module may rely on an earlier one's records).
///
/// Displayed as `field: problem` for one problem, or `N problems:` followed by one indented
/// line each; callers add the file name (`invalid genesis <file>: …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenesisError {
    /// The problems, in document order.
    pub issues: Vec<GenesisIssue>,
}

impl fmt::Display for GenesisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.issues.as_slice() {
            [one] => write!(f, "{one}"),
            issues => {
                write!(f, "{} problems:", issues.len())?;
                for issue in issues {
                    write!(f, "\n  {issue}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for GenesisError {}

/// What a valid genesis holds, for `genesis validate`'s report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenesisSummary {
    /// The chain id.
    pub chain_id: String,
    /// Accounts in `app_state.auth.accounts`.
    pub accounts: usize,
    /// Validators in the set CometBFT receives at InitChain.
    pub validators: usize,
    /// Their total voting power.
    pub total_power: u64,
}

/// Checks a whole genesis document for the runtime `cfg`: the chain id's form
/// ([`validate_chain_id`]); that CometBFT's own `validators` list is empty (the set comes from
/// `app_state.staking.validators`); `genesis_time` is RFC 3339; `app_state` parses as the
/// runtime's [`AppState`]; every module's `init_genesis` accepts it on throwaway state (so
/// the modules' own rules: bech32 prefixes, amounts, duplicates, params, a pinned hub client
/// not expired at `genesis_time`, at least one validator); a total power CometBFT
/// accepts.
///
/// Errors: [`GenesisError`], each problem with its JSON path; nothing is written anywhere.
pub async fn check_genesis(doc: &Value, cfg: &ChainConfig) -> Result<GenesisSummary, GenesisError> {
    let Value::Object(root) = doc else {
        return Err(one("(document)", "expected a JSON object"));
    };
    let mut issues = Vec::new();
    let chain_id = root
        .get("chain_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Err(problem) = validate_chain_id(chain_id) {
        issues.push(issue("chain_id", problem));
    }
    if let Some(v) = root.get("validators") {
        if !(v.is_null() || v.as_array().is_some_and(Vec::is_empty)) {
            issues.push(issue(
                "validators",
                "must be empty: the validator set comes from app_state.staking.validators (add validators with `genesis add-validator`)",
            ));
        }
    }
    let time = match root.get("genesis_time").and_then(Value::as_str) {
        None => Time::unix_epoch(),
        Some(t) => Time::parse_from_rfc3339(t).unwrap_or_else(|e| {
            issues.push(issue(
                "genesis_time",
                format!("{t:?} is not an RFC 3339 time: {e}"),
            ));
            Time::unix_epoch()
        }),
    };
    let app = match root.get("app_state") {
        Some(app) => check_app_state(app, chain_id, time, cfg).await,
        None => Err(issue(
            "app_state",
            "missing; create the genesis with `init`",
        )),
    };
    match app {
        Ok(summary) if issues.is_empty() => Ok(summary),
        Ok(_) => Err(GenesisError { issues }),
        Err(app_issue) => {
            issues.push(app_issue);
            Err(GenesisError { issues })
        }
    }
}

/// Parses `app_state` and runs InitChain's genesis on a temporary store.
async fn check_app_state(
    app: &Value,
    chain_id: &str,
    time: Time,
    cfg: &ChainConfig,
) -> Result<GenesisSummary, GenesisIssue> {
    let state: AppState = serde_path_to_error::deserialize(app).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "app_state".into()
        } else {
            format!("app_state.{path}")
        };
        issue(&field, e.into_inner().to_string())
    })?;
    let prefixes = cfg.substores().iter().map(|s| s.to_string()).collect();
    let storage = TempStorage::new_with_prefixes(prefixes)
        .await
        .map_err(|e| {
            issue(
                "(document)",
                format!("no temporary store to check it on: {e}"),
            )
        })?;
    let mut delta = StateDelta::new(storage.latest_snapshot());
    let ctx = GenesisCtx {
        chain_id: chain_id.into(),
        bech32_prefix: cfg.bech32_prefix.clone(),
        time,
    };
    runtime::init_genesis(&mut delta, &ctx, &state)
        .await
        .map_err(|e| located(&e.log))?;
    let set = hub_staking::last_validator_updates(&delta)
        .await
        .map_err(|e| issue("app_state.staking", e.to_string()))?;
    // An empty set never gets here: staking's own genesis refuses it.
    let total_power = set.iter().fold(0u64, |sum, v| sum.saturating_add(v.power));
    if total_power > MAX_TOTAL_VOTING_POWER {
        return Err(issue(
            "app_state.staking.validators",
            format!(
                "the total power {total_power} exceeds CometBFT's maximum {MAX_TOTAL_VOTING_POWER}"
            ),
        ));
    }
    Ok(GenesisSummary {
        chain_id: chain_id.into(),
        accounts: state.auth.accounts.len(),
        validators: set.len(),
        total_power,
    })
}

/// Checks a chain id: 1 to 50 characters, letters, digits, `-`, `_` and `.`, starting with a
/// letter or digit (e.g. `hub-1`). Returns the problem as text.
pub fn validate_chain_id(chain_id: &str) -> Result<(), String> {
    if chain_id.is_empty() {
        return Err("the chain id is empty".into());
    }
    if chain_id.len() > MAX_CHAIN_ID_LEN {
        return Err(format!(
            "{chain_id:?} is {} characters long; CometBFT allows at most {MAX_CHAIN_ID_LEN}",
            chain_id.len()
        ));
    }
    let mut chars = chain_id.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !(first_ok && rest_ok) {
        return Err(format!(
            "{chain_id:?} is not a valid chain id: use letters, digits, '-', '_' and '.', starting with a letter or digit (e.g. hub-1)"
        ));
    }
    Ok(())
}

/// A module's refusal as an issue: modules write `app_state.<path>: <problem>` in their log.
fn located(log: &str) -> GenesisIssue {
    match log.find("app_state.") {
        Some(at) => match log[at..].split_once(": ") {
            Some((field, problem)) => issue(field, problem),
            None => issue("app_state", log),
        },
        None => issue("app_state", log),
    }
}

fn issue(field: &str, problem: impl Into<String>) -> GenesisIssue {
    GenesisIssue {
        field: field.into(),
        problem: problem.into(),
    }
}

fn one(field: &str, problem: &str) -> GenesisError {
    GenesisError {
        issues: vec![issue(field, problem)],
    }
}
