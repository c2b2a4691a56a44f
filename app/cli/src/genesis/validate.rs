//! Whole-genesis validation with errors that name the exact JSON field.

use std::{collections::BTreeMap, fmt};

use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use serde_json::{Map, Value};

use crate::{
    address::decode_address,
    coins::{parse_amount, validate_denom, CoinError},
    ChainProfile,
};

/// Longest chain id CometBFT accepts.
pub const MAX_CHAIN_ID_LEN: usize = 50;
/// Longest validator moniker (as in the Cosmos SDK).
pub const MAX_MONIKER_LEN: usize = 70;
/// Largest total voting power CometBFT accepts (`MaxTotalVotingPower`, `i64::MAX / 8`).
pub const MAX_TOTAL_VOTING_POWER: u64 = (i64::MAX / 8) as u64;
/// Most decimal places of a decimal parameter (Cosmos SDK `LegacyDec` precision).
pub const MAX_DECIMAL_PLACES: usize = 18;

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

/// Every problem found in a genesis file (never empty).
///
/// Displayed as `field: problem` for one problem, or `N problems:` followed by one indented
/// `field: problem` line each; callers add the file name (`invalid genesis <file>: …`).
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

/// Checks a whole genesis document for `profile`'s chain.
///
/// Checked: the chain id's form; that CometBFT's own `validators` list is empty (the validator
/// set comes from `app_state.staking.validators`); every field of the `auth`, `bank` and
/// `staking` app states (see [`super::schema`]): addresses are bech32 with the profile's
/// prefix, amounts are integers that fit in 128 bits and are greater than zero, denominations
/// match `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}`, no account, balance, denomination or validator is
/// listed twice, every balance belongs to an account, total supply per denomination fits in
/// 128 bits, there is at least one validator and parameter values are in range. Other
/// modules' sections of `app_state` are left to those modules.
///
/// Every problem is reported with the path of its field.
pub fn validate_genesis(genesis: &Value, profile: &ChainProfile) -> Result<(), GenesisError> {
    let mut check = Checker {
        issues: Vec::new(),
        profile,
    };
    check.genesis(genesis);
    if check.issues.is_empty() {
        Ok(())
    } else {
        Err(GenesisError {
            issues: check.issues,
        })
    }
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

/// Describes a JSON value's type for error messages ("the number 5", "an array"…).
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

struct Checker<'p> {
    issues: Vec<GenesisIssue>,
    profile: &'p ChainProfile,
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

impl Checker<'_> {
    fn fail(&mut self, field: &str, problem: impl Into<String>) {
        self.issues.push(GenesisIssue {
            field: field.to_owned(),
            problem: problem.into(),
        });
    }

    /// Field `key` of `obj`; reports it missing.
    fn field<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        parent: &str,
        key: &str,
    ) -> Option<&'v Value> {
        let value = obj.get(key);
        if value.is_none() {
            self.fail(&join(parent, key), "missing");
        }
        value
    }

    fn object<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.fail(
                    path,
                    format!("expected an object, found {}", describe(other)),
                );
                None
            }
        }
    }

    fn object_field<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        parent: &str,
        key: &str,
    ) -> Option<&'v Map<String, Value>> {
        let value = self.field(obj, parent, key)?;
        self.object(value, &join(parent, key))
    }

    fn array_field<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        parent: &str,
        key: &str,
    ) -> Option<&'v Vec<Value>> {
        match self.field(obj, parent, key)? {
            Value::Array(items) => Some(items),
            other => {
                self.fail(
                    &join(parent, key),
                    format!("expected an array, found {}", describe(other)),
                );
                None
            }
        }
    }

    fn string_field<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        parent: &str,
        key: &str,
    ) -> Option<&'v str> {
        match self.field(obj, parent, key)? {
            Value::String(s) => Some(s),
            other => {
                self.fail(
                    &join(parent, key),
                    format!("expected a string, found {}", describe(other)),
                );
                None
            }
        }
    }

    /// A u64 written as a JSON string (`"256"`).
    fn u64_string_field(
        &mut self,
        obj: &Map<String, Value>,
        parent: &str,
        key: &str,
    ) -> Option<u64> {
        let path = join(parent, key);
        match self.field(obj, parent, key)? {
            Value::String(s) => match s.parse::<u64>() {
                Ok(v) if s.bytes().all(|b| b.is_ascii_digit()) => Some(v),
                _ if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                    self.fail(
                        &path,
                        format!("{s:?} does not fit in an unsigned 64-bit integer"),
                    );
                    None
                }
                _ => {
                    self.fail(&path, format!("{s:?} is not a non-negative integer"));
                    None
                }
            },
            other => {
                self.fail(
                    &path,
                    format!(
                        "expected an integer written as a string (e.g. \"10\"), found {}",
                        describe(other)
                    ),
                );
                None
            }
        }
    }

    /// A u32 written as a JSON number (`100`).
    fn u32_number_field(
        &mut self,
        obj: &Map<String, Value>,
        parent: &str,
        key: &str,
    ) -> Option<u32> {
        let path = join(parent, key);
        let value = self.field(obj, parent, key)?;
        match value.as_u64() {
            Some(n) => match u32::try_from(n) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.fail(
                        &path,
                        format!("{n} does not fit in an unsigned 32-bit integer"),
                    );
                    None
                }
            },
            None => {
                self.fail(
                    &path,
                    format!(
                        "expected a non-negative integer JSON number (e.g. 100), found {}",
                        describe(value)
                    ),
                );
                None
            }
        }
    }

    fn denom_field<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        parent: &str,
        key: &str,
    ) -> Option<&'v str> {
        let denom = self.string_field(obj, parent, key)?;
        match validate_denom(denom) {
            Ok(()) => Some(denom),
            Err(e) => {
                self.fail(&join(parent, key), e.to_string());
                None
            }
        }
    }

    fn address_field<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        parent: &str,
        key: &str,
    ) -> Option<&'v str> {
        let address = self.string_field(obj, parent, key)?;
        match decode_address(address, self.profile.bech32_prefix) {
            Ok(_) => Some(address),
            Err(e) => {
                self.fail(&join(parent, key), e.to_string());
                None
            }
        }
    }

    fn genesis(&mut self, genesis: &Value) {
        let Some(root) = self.object(genesis, "(document)") else {
            return;
        };
        if let Some(chain_id) = self.string_field(root, "", "chain_id") {
            if let Err(problem) = validate_chain_id(chain_id) {
                self.fail("chain_id", problem);
            }
        }
        match root.get("validators") {
            None | Some(Value::Null) => {}
            Some(Value::Array(list)) if list.is_empty() => {}
            Some(Value::Array(_)) => self.fail(
                "validators",
                format!(
                    "must be empty: the validator set comes from app_state.staking.validators (add validators with `{} genesis add-validator`)",
                    self.profile.binary_name
                ),
            ),
            Some(other) => self.fail("validators", format!("expected an empty array, found {}", describe(other))),
        }
        let Some(app_state) = root.get("app_state") else {
            self.fail(
                "app_state",
                format!(
                    "missing; create the genesis with `{} init`",
                    self.profile.binary_name
                ),
            );
            return;
        };
        let Some(app) = self.object(app_state, "app_state") else {
            return;
        };
        let accounts = self.auth(app);
        self.bank(app, &accounts);
        self.staking(app);
    }

    /// Checks `app_state.auth`; returns the valid account addresses.
    fn auth(&mut self, app: &Map<String, Value>) -> BTreeMap<String, String> {
        let mut seen = BTreeMap::new();
        let parent = "app_state.auth";
        let Some(auth) = self.object_field(app, "app_state", "auth") else {
            return seen;
        };
        if let Some(params) = self.object_field(auth, parent, "params") {
            let p = "app_state.auth.params";
            if self.u64_string_field(params, p, "max_memo_characters") == Some(0) {
                self.fail(&join(p, "max_memo_characters"), "must be greater than zero");
            }
            if self.u64_string_field(params, p, "tx_size_limit") == Some(0) {
                self.fail(&join(p, "tx_size_limit"), "must be greater than zero");
            }
            if let Some(price) = self.string_field(params, p, "min_gas_price") {
                if let Err(problem) = check_decimal(price) {
                    self.fail(&join(p, "min_gas_price"), problem);
                }
            }
            self.denom_field(params, p, "fee_denom");
        }
        if let Some(accounts) = self.array_field(auth, parent, "accounts") {
            for (i, account) in accounts.iter().enumerate() {
                let path = format!("{parent}.accounts[{i}]");
                let Some(obj) = self.object(account, &path) else {
                    continue;
                };
                if let Some(address) = self.address_field(obj, &path, "address") {
                    if let Some(first) = seen.get(address) {
                        let problem =
                            format!("{address:?} is listed more than once (first at {first})");
                        self.fail(&join(&path, "address"), problem);
                    } else {
                        seen.insert(address.to_owned(), path.clone());
                    }
                }
            }
        }
        seen
    }

    fn bank(&mut self, app: &Map<String, Value>, accounts: &BTreeMap<String, String>) {
        let parent = "app_state.bank";
        let Some(bank) = self.object_field(app, "app_state", "bank") else {
            return;
        };
        let mut supply: BTreeMap<String, u128> = BTreeMap::new();
        let mut overflowed = Vec::new();
        if let Some(balances) = self.array_field(bank, parent, "balances") {
            let mut seen: BTreeMap<&str, String> = BTreeMap::new();
            for (i, balance) in balances.iter().enumerate() {
                let path = format!("{parent}.balances[{i}]");
                let Some(obj) = self.object(balance, &path) else {
                    continue;
                };
                if let Some(address) = self.address_field(obj, &path, "address") {
                    if let Some(first) = seen.get(address) {
                        let problem = format!("{address:?} has more than one balance entry (first at {first}); merge them");
                        self.fail(&join(&path, "address"), problem);
                    } else {
                        seen.insert(address, path.clone());
                    }
                    if !accounts.contains_key(address) {
                        let problem = format!(
                            "{address:?} has a balance but no entry in app_state.auth.accounts; add both with `{} genesis add-account`",
                            self.profile.binary_name
                        );
                        self.fail(&join(&path, "address"), problem);
                    }
                }
                let Some(coins) = self.array_field(obj, &path, "coins") else {
                    continue;
                };
                let mut denoms: BTreeMap<&str, usize> = BTreeMap::new();
                for (j, coin) in coins.iter().enumerate() {
                    let cpath = format!("{path}.coins[{j}]");
                    let Some(cobj) = self.object(coin, &cpath) else {
                        continue;
                    };
                    let denom = self.denom_field(cobj, &cpath, "denom");
                    let amount = self.positive_amount(cobj, &cpath);
                    if let Some(denom) = denom {
                        if let Some(first) = denoms.insert(denom, j) {
                            let problem = format!("denomination {denom:?} appears more than once in this balance (first at coins[{first}])");
                            self.fail(&join(&cpath, "denom"), problem);
                        }
                        if let Some(amount) = amount {
                            let total = supply.entry(denom.to_owned()).or_insert(0);
                            match total.checked_add(amount) {
                                Some(sum) => *total = sum,
                                None if !overflowed.iter().any(|(_, d)| d == denom) => {
                                    overflowed.push((cpath.clone(), denom.to_owned()))
                                }
                                None => {}
                            }
                        }
                    }
                }
            }
        }
        for (path, denom) in overflowed {
            self.fail(
                &join(&path, "amount"),
                format!("the total supply of {denom:?} exceeds the largest 128-bit amount"),
            );
        }
        if let Some(metadata) = self.array_field(bank, parent, "denom_metadata") {
            let mut bases: BTreeMap<&str, usize> = BTreeMap::new();
            for (i, meta) in metadata.iter().enumerate() {
                let path = format!("{parent}.denom_metadata[{i}]");
                if let Some(base) = self.denom_metadata(meta, &path) {
                    if let Some(first) = bases.insert(base, i) {
                        let problem = format!("metadata for {base:?} is given twice (first at denom_metadata[{first}])");
                        self.fail(&join(&path, "base"), problem);
                    }
                }
            }
        }
    }

    /// Checks `amount` of a coin object: a string holding an integer > 0 that fits in u128.
    fn positive_amount(&mut self, coin: &Map<String, Value>, path: &str) -> Option<u128> {
        let apath = join(path, "amount");
        match self.field(coin, path, "amount")? {
            Value::String(s) => match parse_amount(s) {
                Ok(0) => {
                    self.fail(&apath, format!("{s:?} must be greater than zero"));
                    None
                }
                Ok(amount) => Some(amount),
                Err(CoinError::Overflow(_)) => {
                    self.fail(
                        &apath,
                        format!("{s:?} does not fit in an unsigned 128-bit integer"),
                    );
                    None
                }
                Err(_) => {
                    self.fail(&apath, format!("{s:?} is not a non-negative integer"));
                    None
                }
            },
            other => {
                self.fail(
                    &apath,
                    format!(
                        "expected an integer written as a string (e.g. \"1000\"), found {}",
                        describe(other)
                    ),
                );
                None
            }
        }
    }

    /// Checks one denomination metadata entry; returns its base denomination.
    fn denom_metadata<'v>(&mut self, meta: &'v Value, path: &str) -> Option<&'v str> {
        let obj = self.object(meta, path)?;
        let base = self.denom_field(obj, path, "base");
        let display = self.denom_field(obj, path, "display");
        self.string_field(obj, path, "description");
        let units = self.array_field(obj, path, "denom_units")?;
        if units.is_empty() {
            self.fail(
                &join(path, "denom_units"),
                "must list at least the base denomination with exponent 0",
            );
            return base;
        }
        let mut unit_denoms = Vec::new();
        let mut last_exponent: Option<u32> = None;
        for (k, unit) in units.iter().enumerate() {
            let upath = format!("{path}.denom_units[{k}]");
            let Some(uobj) = self.object(unit, &upath) else {
                continue;
            };
            let denom = self.denom_field(uobj, &upath, "denom");
            let exponent = self.u32_number_field(uobj, &upath, "exponent");
            if let (0, Some(base), Some(denom)) = (k, base, denom) {
                if denom != base {
                    self.fail(
                        &join(&upath, "denom"),
                        format!("the first unit must be the base denomination {base:?}, found {denom:?}"),
                    );
                }
            }
            if let (0, Some(exponent)) = (k, exponent) {
                if exponent != 0 {
                    self.fail(
                        &join(&upath, "exponent"),
                        format!("the base unit must have exponent 0, found {exponent}"),
                    );
                }
            }
            if let (Some(previous), Some(exponent)) = (last_exponent, exponent) {
                if exponent <= previous {
                    self.fail(
                        &join(&upath, "exponent"),
                        format!("exponents must increase strictly: {exponent} follows {previous}"),
                    );
                }
            }
            if let Some(denom) = denom {
                if unit_denoms.contains(&denom) {
                    self.fail(
                        &join(&upath, "denom"),
                        format!("unit {denom:?} is listed twice"),
                    );
                }
                unit_denoms.push(denom);
            }
            last_exponent = exponent.or(last_exponent);
        }
        if let Some(display) = display {
            if !unit_denoms.contains(&display) {
                self.fail(
                    &join(path, "display"),
                    format!("{display:?} is not one of the denom_units"),
                );
            }
        }
        base
    }

    fn staking(&mut self, app: &Map<String, Value>) {
        let parent = "app_state.staking";
        let Some(staking) = self.object_field(app, "app_state", "staking") else {
            return;
        };
        let mut max_validators = None;
        if let Some(params) = self.object_field(staking, parent, "params") {
            let p = "app_state.staking.params";
            if let Some(time) = self.string_field(params, p, "unbonding_time") {
                if let Err(problem) = check_duration(time) {
                    self.fail(&join(p, "unbonding_time"), problem);
                }
            }
            max_validators = self.u32_number_field(params, p, "max_validators");
            if max_validators == Some(0) {
                self.fail(&join(p, "max_validators"), "must be greater than zero");
            }
            self.denom_field(params, p, "bond_denom");
            self.u32_number_field(params, p, "historical_entries");
        }
        let Some(validators) = self.array_field(staking, parent, "validators") else {
            return;
        };
        let vpath = "app_state.staking.validators";
        if validators.is_empty() {
            self.fail(
                vpath,
                format!(
                    "at least one validator is required; add one with `{} genesis add-validator`",
                    self.profile.binary_name
                ),
            );
        }
        if let Some(max) = max_validators {
            if validators.len() > max as usize {
                self.fail(
                    vpath,
                    format!(
                        "{} validators exceed app_state.staking.params.max_validators = {max}",
                        validators.len()
                    ),
                );
            }
        }
        let mut pubkeys: BTreeMap<&str, String> = BTreeMap::new();
        let mut operators: BTreeMap<&str, String> = BTreeMap::new();
        let mut total_power: u64 = 0;
        for (i, validator) in validators.iter().enumerate() {
            let path = format!("{vpath}[{i}]");
            let Some(obj) = self.object(validator, &path) else {
                continue;
            };
            if let Some(moniker) = self.string_field(obj, &path, "moniker") {
                if moniker.trim().is_empty() {
                    self.fail(&join(&path, "moniker"), "must not be empty");
                } else if moniker.chars().count() > MAX_MONIKER_LEN {
                    self.fail(
                        &join(&path, "moniker"),
                        format!("is longer than {MAX_MONIKER_LEN} characters"),
                    );
                }
            }
            if let Some(operator) = self.address_field(obj, &path, "operator_address") {
                if let Some(first) = operators.get(operator) {
                    let problem = format!("{operator:?} already operates the validator at {first}");
                    self.fail(&join(&path, "operator_address"), problem);
                } else {
                    operators.insert(operator, path.clone());
                }
            }
            if let Some(pubkey) = self.string_field(obj, &path, "consensus_pubkey") {
                match BASE64.decode(pubkey) {
                    Ok(bytes) if bytes.len() == 32 => {
                        if let Some(first) = pubkeys.get(pubkey) {
                            let problem = format!("{pubkey:?} is already the key of the validator at {first}");
                            self.fail(&join(&path, "consensus_pubkey"), problem);
                        } else {
                            pubkeys.insert(pubkey, path.clone());
                        }
                    }
                    Ok(bytes) => self.fail(
                        &join(&path, "consensus_pubkey"),
                        format!("decodes to {} bytes; an ed25519 public key has 32", bytes.len()),
                    ),
                    Err(_) => self.fail(
                        &join(&path, "consensus_pubkey"),
                        format!("{pubkey:?} is not base64 (expected the 32-byte ed25519 key, as in priv_validator_key.json)"),
                    ),
                }
            }
            match self.u64_string_field(obj, &path, "power") {
                Some(0) => self.fail(&join(&path, "power"), "must be greater than zero"),
                Some(power) => total_power = total_power.saturating_add(power),
                None => {}
            }
        }
        if total_power > MAX_TOTAL_VOTING_POWER {
            self.fail(
                vpath,
                format!("the total power {total_power} exceeds CometBFT's maximum {MAX_TOTAL_VOTING_POWER}"),
            );
        }
    }
}

/// Checks a non-negative decimal such as `0.001`.
fn check_decimal(text: &str) -> Result<(), String> {
    let (int, frac) = match text.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return Err(format!(
            "{text:?} is not a non-negative decimal number (e.g. \"0.001\")"
        ));
    }
    if frac.is_some_and(|f| f.len() > MAX_DECIMAL_PLACES) {
        return Err(format!(
            "{text:?} has more than {MAX_DECIMAL_PLACES} decimal places"
        ));
    }
    Ok(())
}

/// Checks a protobuf-JSON duration such as `1814400s` (seconds, optional fraction), > 0.
fn check_duration(text: &str) -> Result<(), String> {
    let bad = || format!("{text:?} is not a duration in seconds like \"1814400s\"");
    let number = text.strip_suffix('s').ok_or_else(bad)?;
    let (secs, nanos) = match number.split_once('.') {
        Some((secs, nanos)) => (secs, Some(nanos)),
        None => (number, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(secs) || nanos.is_some_and(|n| !digits(n) || n.len() > 9) {
        return Err(bad());
    }
    let secs: u64 = secs.parse().map_err(|_| bad())?;
    let positive = secs > 0 || nanos.is_some_and(|n| n.bytes().any(|b| b != b'0'));
    if !positive {
        return Err("must be greater than zero".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{address::encode_address, genesis::schema::default_app_state};

    fn addr(n: u8) -> String {
        encode_address("hub", &[n; 20]).unwrap()
    }

    fn pubkey(n: u8) -> String {
        BASE64.encode([n; 32])
    }

    fn valid() -> Value {
        let mut app = default_app_state(&ChainProfile::HUB);
        app["auth"]["accounts"] =
            json!([{ "address": addr(1) }, { "address": addr(2) }, { "address": addr(3) }]);
        app["bank"]["balances"] = json!([
            { "address": addr(1), "coins": [{ "denom": "uhub", "amount": "1000" }] },
            { "address": addr(2), "coins": [{ "denom": "foo", "amount": "5" }, { "denom": "uhub", "amount": "7" }] },
            { "address": addr(3), "coins": [{ "denom": "uhub", "amount": "1" }] },
        ]);
        app["staking"]["validators"] = json!([
            { "moniker": "node0", "operator_address": addr(1), "consensus_pubkey": pubkey(1), "power": "10" }
        ]);
        json!({
            "genesis_time": "2024-01-01T00:00:00Z",
            "chain_id": "hub-1",
            "initial_height": "1",
            "validators": [],
            "app_hash": "",
            "app_state": app,
        })
    }

    fn issues(genesis: &Value) -> Vec<String> {
        match validate_genesis(genesis, &ChainProfile::HUB) {
            Ok(()) => Vec::new(),
            Err(e) => e.issues.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn a_complete_genesis_is_valid() {
        assert_eq!(issues(&valid()), Vec::<String>::new());
    }

    #[test]
    fn a_negative_amount_is_reported_with_its_field_path() {
        let mut g = valid();
        g["app_state"]["bank"]["balances"][2]["coins"][0]["amount"] = json!("-5");
        assert_eq!(
            issues(&g),
            ["app_state.bank.balances[2].coins[0].amount: \"-5\" is not a non-negative integer"]
        );
    }

    #[test]
    fn zero_overflowing_and_numeric_amounts_are_rejected() {
        let mut g = valid();
        g["app_state"]["bank"]["balances"][0]["coins"][0]["amount"] = json!("0");
        g["app_state"]["bank"]["balances"][1]["coins"][0]["amount"] =
            json!("340282366920938463463374607431768211456");
        g["app_state"]["bank"]["balances"][2]["coins"][0]["amount"] = json!(1);
        let found = issues(&g);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].starts_with(
            "app_state.bank.balances[0].coins[0].amount: \"0\" must be greater than zero"
        ));
        assert!(found[1].starts_with("app_state.bank.balances[1].coins[0].amount:"));
        assert!(found[1].contains("128-bit"));
        assert!(found[2].starts_with(
            "app_state.bank.balances[2].coins[0].amount: expected an integer written as a string"
        ));
    }

    #[test]
    fn supply_overflow_is_rejected() {
        let mut g = valid();
        let max = u128::MAX.to_string();
        g["app_state"]["bank"]["balances"][0]["coins"][0]["amount"] = json!(max);
        g["app_state"]["bank"]["balances"][2]["coins"][0]["amount"] = json!(max);
        let found = issues(&g);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].contains("total supply of \"uhub\""), "{found:?}");
    }

    #[test]
    fn addresses_with_another_prefix_are_rejected() {
        let mut g = valid();
        let cosmos = encode_address("cosmos", &[1; 20]).unwrap();
        g["app_state"]["auth"]["accounts"][1]["address"] = json!(cosmos);
        let found = issues(&g);
        assert!(
            found[0].starts_with("app_state.auth.accounts[1].address: "),
            "{found:?}"
        );
        assert!(found[0].contains("prefix \"cosmos\""));
        // the balance of addr(2) now has no account
        assert!(
            found[1].starts_with("app_state.bank.balances[1].address: "),
            "{found:?}"
        );
    }

    #[test]
    fn bad_denoms_and_duplicate_denoms_are_rejected() {
        let mut g = valid();
        g["app_state"]["bank"]["balances"][1]["coins"][0]["denom"] = json!("f");
        g["app_state"]["bank"]["balances"][0]["coins"] =
            json!([{ "denom": "uhub", "amount": "1" }, { "denom": "uhub", "amount": "2" }]);
        let found = issues(&g);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("app_state.bank.balances[0].coins[1].denom: denomination \"uhub\" appears more than once"));
        assert!(found[1].starts_with(
            "app_state.bank.balances[1].coins[0].denom: \"f\" is not a valid denomination"
        ));
    }

    #[test]
    fn duplicate_accounts_and_validators_are_rejected() {
        let mut g = valid();
        g["app_state"]["auth"]["accounts"][2]["address"] = json!(addr(1));
        g["app_state"]["staking"]["validators"] = json!([
            { "moniker": "a", "operator_address": addr(1), "consensus_pubkey": pubkey(1), "power": "10" },
            { "moniker": "b", "operator_address": addr(2), "consensus_pubkey": pubkey(1), "power": "10" },
            { "moniker": "c", "operator_address": addr(1), "consensus_pubkey": pubkey(3), "power": "10" },
        ]);
        let found = issues(&g);
        assert!(found.contains(&format!(
            "app_state.auth.accounts[2].address: {:?} is listed more than once (first at app_state.auth.accounts[0])",
            addr(1)
        )), "{found:#?}");
        assert!(found
            .iter()
            .any(|f| f.starts_with("app_state.staking.validators[1].consensus_pubkey: ")));
        assert!(found
            .iter()
            .any(|f| f.starts_with("app_state.staking.validators[2].operator_address: ")));
    }

    #[test]
    fn a_genesis_without_validators_is_rejected() {
        let mut g = valid();
        g["app_state"]["staking"]["validators"] = json!([]);
        let found = issues(&g);
        assert_eq!(found.len(), 1);
        assert!(found[0]
            .starts_with("app_state.staking.validators: at least one validator is required"));
    }

    #[test]
    fn validator_fields_are_checked() {
        let mut g = valid();
        g["app_state"]["staking"]["validators"][0]["consensus_pubkey"] =
            json!(BASE64.encode([1u8; 33]));
        g["app_state"]["staking"]["validators"][0]["power"] = json!("0");
        g["app_state"]["staking"]["validators"][0]["moniker"] = json!("");
        let found = issues(&g);
        assert_eq!(
            found,
            [
                "app_state.staking.validators[0].moniker: must not be empty",
                "app_state.staking.validators[0].consensus_pubkey: decodes to 33 bytes; an ed25519 public key has 32",
                "app_state.staking.validators[0].power: must be greater than zero",
            ]
        );
    }

    #[test]
    fn params_are_checked() {
        let mut g = valid();
        g["app_state"]["auth"]["params"]["min_gas_price"] = json!("-1");
        g["app_state"]["auth"]["params"]["tx_size_limit"] = json!(65536);
        g["app_state"]["staking"]["params"]["unbonding_time"] = json!("21d");
        g["app_state"]["staking"]["params"]["max_validators"] = json!("100");
        g["app_state"]["staking"]["params"]["bond_denom"] = json!("1hub");
        let found = issues(&g);
        let fields: Vec<_> = found
            .iter()
            .map(|f| f.split(':').next().unwrap_or_default())
            .collect();
        assert_eq!(
            fields,
            [
                "app_state.auth.params.tx_size_limit",
                "app_state.auth.params.min_gas_price",
                "app_state.staking.params.unbonding_time",
                "app_state.staking.params.max_validators",
                "app_state.staking.params.bond_denom",
            ],
            "{found:#?}"
        );
    }

    #[test]
    fn denom_metadata_is_checked() {
        let mut g = valid();
        g["app_state"]["bank"]["denom_metadata"][0]["denom_units"] =
            json!([{ "denom": "hub", "exponent": 6 }, { "denom": "uhub", "exponent": 0 }]);
        let found = issues(&g);
        assert_eq!(
            found,
            [
                "app_state.bank.denom_metadata[0].denom_units[0].denom: the first unit must be the base denomination \"uhub\", found \"hub\"",
                "app_state.bank.denom_metadata[0].denom_units[0].exponent: the base unit must have exponent 0, found 6",
                "app_state.bank.denom_metadata[0].denom_units[1].exponent: exponents must increase strictly: 0 follows 6",
            ]
        );
    }

    #[test]
    fn chain_id_and_cometbft_validators_are_checked() {
        let mut g = valid();
        g["chain_id"] = json!("hub 1");
        g["validators"] = json!([{ "address": "x" }]);
        let found = issues(&g);
        assert!(found[0].starts_with("chain_id: \"hub 1\" is not a valid chain id"));
        assert!(found[1].starts_with("validators: must be empty"));
        assert!(validate_chain_id("hub-1").is_ok());
        assert!(validate_chain_id(&"a".repeat(51)).is_err());
        assert!(validate_chain_id("").is_err());
    }

    #[test]
    fn missing_sections_are_named() {
        let mut g = valid();
        g["app_state"]["bank"]
            .as_object_mut()
            .unwrap()
            .remove("balances");
        g["app_state"].as_object_mut().unwrap().remove("staking");
        assert_eq!(
            issues(&g),
            [
                "app_state.bank.balances: missing",
                "app_state.staking: missing"
            ]
        );
        assert_eq!(
            issues(&json!([])),
            ["(document): expected an object, found an array"]
        );
    }

    #[test]
    fn several_problems_are_listed_together() {
        let mut g = valid();
        g["chain_id"] = json!("");
        g["app_state"]["staking"]["validators"] = json!([]);
        let err = validate_genesis(&g, &ChainProfile::HUB).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("2 problems:\n  chain_id: "), "{text}");
    }

    #[test]
    fn decimals_and_durations() {
        assert!(check_decimal("0.001").is_ok());
        assert!(check_decimal("1").is_ok());
        for bad in ["", ".5", "1.", "-1", "1e-3", "0.0000000000000000001"] {
            assert!(check_decimal(bad).is_err(), "{bad}");
        }
        assert!(check_duration("1814400s").is_ok());
        assert!(check_duration("0.5s").is_ok());
        for bad in ["0s", "1814400", "s", "1.1234567890s", "-1s"] {
            assert!(check_duration(bad).is_err(), "{bad}");
        }
    }
}
