//! `genesis` commands: add accounts and validators to `<home>/config/genesis.json`, validate it.
//!
//! The app state schema is described in [`schema`]; `genesis validate` runs the app's own check
//! ([`hub_app::genesis::check_genesis`]: the typed app state and every module's `init_genesis`
//! on throwaway state), the one a node runs before starting from a genesis file.

pub mod hub_client;
pub mod schema;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use clap::{Args, Subcommand};
use serde_json::{json, Map, Value};

pub use hub_app::genesis::{validate_chain_id, MAX_MONIKER_LEN};

use crate::{
    address::{decode_address, looks_like_address},
    coins::{format_coins, parse_amount, parse_coins, Coin},
    comet,
    keyring::Keyring,
    output::Lines,
    ChainProfile, CommonArgs,
};

/// Path of the genesis file in a node home.
pub fn genesis_path(home: &Path) -> PathBuf {
    home.join("config").join("genesis.json")
}

/// Reads and parses a genesis file.
pub fn load_genesis(path: &Path) -> anyhow::Result<Value> {
    comet::read_json(path, "the genesis file")
}

/// Writes a genesis file (pretty-printed, atomically through a temporary file).
pub fn save_genesis(path: &Path, genesis: &Value) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(genesis)?;
    text.push('\n');
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display()))
}

/// A validator to add to `app_state.staking.validators`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenesisValidator {
    /// Human-readable name.
    pub moniker: String,
    /// Bech32 account address of the operator.
    pub operator_address: String,
    /// Base64 of the 32-byte ed25519 consensus public key.
    pub consensus_pubkey: String,
    /// CometBFT voting power.
    pub power: u64,
}

/// Navigates to `app_state.<module>.<list>` as a mutable array, with a clear error if the
/// genesis does not have the expected shape.
fn list_mut<'g>(
    genesis: &'g mut Value,
    module: &str,
    list: &str,
    binary: &str,
) -> anyhow::Result<&'g mut Vec<Value>> {
    genesis
        .get_mut("app_state")
        .and_then(|a| a.get_mut(module))
        .and_then(|m| m.get_mut(list))
        .and_then(Value::as_array_mut)
        .with_context(|| {
            format!("the genesis has no array app_state.{module}.{list}; recreate it with `{binary} init` (or fix the file)")
        })
}

/// Adds `coins` to the genesis balance of `address`, creating its auth account and balance
/// entries if needed, and returns the new balance. Existing coins are summed (overflow is an
/// error); coins stay sorted.
pub fn add_account(
    genesis: &mut Value,
    profile: &ChainProfile,
    address: &str,
    coins: &[Coin],
) -> anyhow::Result<Vec<Coin>> {
    decode_address(address, profile.bech32_prefix)?;
    let accounts = list_mut(genesis, "auth", "accounts", profile.binary_name)?;
    if !accounts
        .iter()
        .any(|a| a.get("address").and_then(Value::as_str) == Some(address))
    {
        accounts.push(json!({ "address": address }));
    }
    let balances = list_mut(genesis, "bank", "balances", profile.binary_name)?;
    let index = match balances
        .iter()
        .position(|b| b.get("address").and_then(Value::as_str) == Some(address))
    {
        Some(index) => index,
        None => {
            balances.push(json!({ "address": address, "coins": [] }));
            balances.len() - 1
        }
    };
    let entry = &mut balances[index];
    let existing = entry
        .get("coins")
        .and_then(Value::as_array)
        .with_context(|| {
            format!("app_state.bank.balances[{index}].coins is not an array; fix the genesis file")
        })?;
    let mut merged: Vec<Coin> = Vec::new();
    for (j, coin) in existing.iter().enumerate() {
        let field = format!("app_state.bank.balances[{index}].coins[{j}]");
        let text = |key: &str| {
            coin.get(key).and_then(Value::as_str).with_context(|| {
                format!("{field}.{key} is missing or not a string; fix the genesis file")
            })
        };
        let (denom, amount) = (text("denom")?, text("amount")?);
        let amount = parse_amount(amount)
            .with_context(|| format!("{field}.amount; fix the genesis file"))?;
        merged.push(Coin {
            denom: denom.to_owned(),
            amount,
        });
    }
    for coin in coins {
        match merged.iter_mut().find(|c| c.denom == coin.denom) {
            Some(existing) => {
                existing.amount = existing.amount.checked_add(coin.amount).with_context(|| {
                    format!(
                        "{address} would hold more than the largest 128-bit amount of {}",
                        coin.denom
                    )
                })?;
            }
            None => merged.push(coin.clone()),
        }
    }
    merged.sort();
    entry["coins"] = Value::Array(merged.iter().map(Coin::to_json).collect());
    Ok(merged)
}

/// Appends a validator to `app_state.staking.validators`, refusing a second validator with the
/// same consensus key or operator.
pub fn add_validator(
    genesis: &mut Value,
    profile: &ChainProfile,
    validator: &GenesisValidator,
) -> anyhow::Result<()> {
    decode_address(&validator.operator_address, profile.bech32_prefix)
        .context("invalid --operator")?;
    match BASE64.decode(&validator.consensus_pubkey) {
        Ok(bytes) if bytes.len() == 32 => {}
        _ => bail!(
            "invalid consensus public key {:?}: expected the base64 of a 32-byte ed25519 key (as in config/priv_validator_key.json)",
            validator.consensus_pubkey
        ),
    }
    if validator.power == 0 {
        bail!("--power must be greater than zero");
    }
    if validator.moniker.trim().is_empty() || validator.moniker.chars().count() > MAX_MONIKER_LEN {
        bail!("the moniker must be 1 to {MAX_MONIKER_LEN} characters long");
    }
    let validators = list_mut(genesis, "staking", "validators", profile.binary_name)?;
    for (i, existing) in validators.iter().enumerate() {
        if existing.get("consensus_pubkey").and_then(Value::as_str)
            == Some(&validator.consensus_pubkey)
        {
            bail!(
                "a validator with consensus key {} is already in the genesis (app_state.staking.validators[{i}]); each node needs its own key",
                validator.consensus_pubkey
            );
        }
        if existing.get("operator_address").and_then(Value::as_str)
            == Some(&validator.operator_address)
        {
            bail!(
                "{} already operates a validator in the genesis (app_state.staking.validators[{i}]); use another --operator",
                validator.operator_address
            );
        }
    }
    validators.push(json!({
        "moniker": validator.moniker,
        "operator_address": validator.operator_address,
        "consensus_pubkey": validator.consensus_pubkey,
        "power": validator.power.to_string(),
    }));
    Ok(())
}

/// Resolves an account argument: a key name in the home's keyring, or a bech32 address of this
/// chain.
pub fn resolve_address(
    profile: &ChainProfile,
    keyring: &Keyring,
    text: &str,
) -> anyhow::Result<String> {
    if keyring.contains(text) {
        return Ok(keyring.info(text)?.address);
    }
    if looks_like_address(text, profile.bech32_prefix)
        || decode_address(text, profile.bech32_prefix).is_ok()
    {
        decode_address(text, profile.bech32_prefix)?;
        return Ok(text.to_owned());
    }
    if let Err(e @ crate::address::AddressError::WrongPrefix { .. }) =
        decode_address(text, profile.bech32_prefix)
    {
        return Err(e.into());
    }
    bail!(
        "{text:?} is neither a {prefix}1… address nor the name of a key in {dir} (see `{bin} keys list`)",
        prefix = profile.bech32_prefix,
        dir = keyring.dir().display(),
        bin = profile.binary_name,
    )
}

/// `genesis` command group.
#[derive(Debug, Args)]
pub struct GenesisArgs {
    #[command(flatten)]
    common: CommonArgs,
    #[command(subcommand)]
    command: GenesisCommand,
}

#[derive(Debug, Subcommand)]
enum GenesisCommand {
    /// Give an account a genesis balance (creates the account; adds to an existing balance)
    AddAccount {
        /// Bech32 address of this chain, or the name of a key in the keyring
        account: String,
        /// Coins, e.g. 1000000uhub or 1000uhub,5foo
        #[arg(allow_hyphen_values = true)]
        coins: String,
    },
    /// Add a genesis validator (by default this home's CometBFT validator key)
    AddValidator {
        /// Base64 ed25519 consensus public key [default: from config/priv_validator_key.json]
        #[arg(long, value_name = "BASE64")]
        pubkey: Option<String>,
        /// CometBFT voting power
        #[arg(long, default_value_t = schema::DEFAULT_VALIDATOR_POWER)]
        power: u64,
        /// Validator name [default: the moniker in config/config.toml]
        #[arg(long)]
        moniker: Option<String>,
        /// Operator account: address or key name [default: the only key in the keyring]
        #[arg(long, value_name = "ADDRESS|KEYNAME")]
        operator: Option<String>,
    },
    /// Bind this spoke to its hub: accept upgrade plans only from HUB_CHAIN_ID
    /// (app_state.interchain_upgrade.params) and, with --hub-rpc, only through a client of the
    /// hub pinned at genesis (app_state.interchain_upgrade.hub_client, read from the hub's
    /// latest block; check it against the hub before signing the genesis)
    SetHub {
        /// Chain id of the hub, e.g. hub-1
        hub_chain_id: String,
        /// RPC of a hub node to take the pinned client from, e.g. http://127.0.0.1:26657
        #[arg(long, value_name = "URL")]
        hub_rpc: Option<String>,
        /// Trusting period of the pinned client (below the hub's unbonding period)
        #[arg(long, value_name = "DURATION", default_value = "1209600s")]
        trusting_period: String,
        /// The hub's unbonding period
        #[arg(long, value_name = "DURATION", default_value = "1814400s")]
        unbonding_period: String,
        /// Tolerated clock skew between a hub header and this chain's block time
        #[arg(long, value_name = "DURATION", default_value = "20s")]
        max_clock_drift: String,
        /// Minimum distance in blocks between the current height and a plan's height
        #[arg(long, value_name = "BLOCKS")]
        min_upgrade_delay: Option<u64>,
        /// Lifetime of an upgrade packet, e.g. 600s (used by the hub side)
        #[arg(long, value_name = "DURATION")]
        packet_timeout: Option<String>,
    },
    /// Check a genesis file; names the exact field of every problem
    Validate {
        /// Genesis file to check [default: <home>/config/genesis.json]
        file: Option<PathBuf>,
    },
}

/// A duration written as whole seconds, `600s`. Errors name the flag.
fn seconds(flag: &str, text: &str) -> anyhow::Result<std::time::Duration> {
    text.strip_suffix('s')
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|v| *v > 0)
        .map(std::time::Duration::from_secs)
        .with_context(|| format!("{flag} {text:?} is not a duration like 600s"))
}

/// Runs a `genesis` subcommand.
pub async fn run(profile: &ChainProfile, args: GenesisArgs) -> anyhow::Result<()> {
    let output = args.common.output;
    let home = args.common.home(profile)?;
    let keyring = args.common.keyring(profile)?;
    match args.command {
        GenesisCommand::AddAccount { account, coins } => {
            let path = genesis_path(&home);
            let address = resolve_address(profile, &keyring, &account)?;
            let coins = parse_coins(&coins).context("invalid coins")?;
            let mut genesis = load_genesis(&path)?;
            let balance = add_account(&mut genesis, profile, &address, &coins)?;
            save_genesis(&path, &genesis)?;
            output.print(
                &json!({ "address": address, "added": coins.iter().map(Coin::to_json).collect::<Vec<_>>(), "balance": balance.iter().map(Coin::to_json).collect::<Vec<_>>(), "genesis": path.display().to_string() }),
                || {
                    Lines::new()
                        .row("account", &address)
                        .row("added", format_coins(&coins))
                        .row("genesis balance", format_coins(&balance))
                        .row("genesis", path.display())
                        .render()
                },
            );
            Ok(())
        }
        GenesisCommand::SetHub {
            hub_chain_id,
            hub_rpc,
            trusting_period,
            unbonding_period,
            max_clock_drift,
            min_upgrade_delay,
            packet_timeout,
        } => {
            validate_chain_id(&hub_chain_id)
                .map_err(|e| anyhow::anyhow!("invalid hub chain id {hub_chain_id:?}: {e}"))?;
            let path = genesis_path(&home);
            let mut genesis = load_genesis(&path)?;
            let params = set_hub(
                &mut genesis,
                &hub_chain_id,
                min_upgrade_delay,
                packet_timeout,
            )?;
            let pinned = match &hub_rpc {
                Some(rpc) => {
                    let client_params = hub_client::ClientParams {
                        trusting: seconds("--trusting-period", &trusting_period)?,
                        unbonding: seconds("--unbonding-period", &unbonding_period)?,
                        max_clock_drift: seconds("--max-clock-drift", &max_clock_drift)?,
                    };
                    let (client, height) =
                        hub_client::from_rpc(rpc, &hub_chain_id, client_params).await?;
                    genesis["app_state"]["interchain_upgrade"]["hub_client"] = client;
                    Some(height)
                }
                None => None,
            };
            save_genesis(&path, &genesis)?;
            let mut shown = params.clone();
            shown["hub_client_height"] = json!(pinned.map(|h| h.to_string()));
            output.print(&shown, || {
                Lines::new()
                    .row("hub chain id", &hub_chain_id)
                    .row(
                        "pinned hub client",
                        pinned.map_or(
                            "none (the spoke's governance must pin one)".to_string(),
                            |h| format!("{hub_chain_id} at height {h}"),
                        ),
                    )
                    .row(
                        "min upgrade delay",
                        params["min_upgrade_delay"].as_str().unwrap_or_default(),
                    )
                    .row(
                        "packet timeout",
                        params["packet_timeout"].as_str().unwrap_or_default(),
                    )
                    .row("genesis", path.display())
                    .render()
            });
            Ok(())
        }
        GenesisCommand::AddValidator {
            pubkey,
            power,
            moniker,
            operator,
        } => {
            let path = genesis_path(&home);
            // Each unset flag falls back on the node home's key, moniker, or operator key.
            let consensus_pubkey = pubkey.map_or_else(|| comet::validator_pubkey(&home), Ok)?;
            let moniker = moniker.map_or_else(|| comet::moniker(&home), Ok)?;
            let operator_address = match operator {
                Some(operator) => resolve_address(profile, &keyring, &operator)?,
                None => default_operator(profile, &keyring)?,
            };
            let validator = GenesisValidator {
                moniker,
                operator_address,
                consensus_pubkey,
                power,
            };
            let mut genesis = load_genesis(&path)?;
            add_validator(&mut genesis, profile, &validator)?;
            save_genesis(&path, &genesis)?;
            output.print(
                &json!({
                    "moniker": validator.moniker,
                    "operator_address": validator.operator_address,
                    "consensus_pubkey": validator.consensus_pubkey,
                    "power": validator.power.to_string(),
                    "genesis": path.display().to_string(),
                }),
                || {
                    Lines::new()
                        .row("validator", &validator.moniker)
                        .row("operator", &validator.operator_address)
                        .row("consensus key", &validator.consensus_pubkey)
                        .row("power", validator.power)
                        .row("genesis", path.display())
                        .render()
                },
            );
            Ok(())
        }
        GenesisCommand::Validate { file } => {
            let path = file.unwrap_or_else(|| genesis_path(&home));
            let genesis = load_genesis(&path)?;
            match hub_app::genesis::check_genesis(&genesis, &(profile.runtime)()).await {
                Ok(summary) => {
                    output.print(
                        &json!({ "valid": true, "file": path.display().to_string(), "chain_id": summary.chain_id, "accounts": summary.accounts, "validators": summary.validators, "total_power": summary.total_power.to_string() }),
                        || {
                            format!(
                                "{} is valid: chain {}, {} accounts, {} validators, total power {}",
                                path.display(),
                                summary.chain_id,
                                summary.accounts,
                                summary.validators,
                                summary.total_power
                            )
                        },
                    );
                    Ok(())
                }
                Err(error) => {
                    if output == crate::OutputFormat::Json {
                        let issues: Vec<_> = error
                            .issues
                            .iter()
                            .map(|i| json!({ "field": i.field, "problem": i.problem }))
                            .collect();
                        println!(
                            "{}",
                            json!({ "valid": false, "file": path.display().to_string(), "errors": issues })
                        );
                    }
                    Err(anyhow::anyhow!(
                        "invalid genesis {}: {error}",
                        path.display()
                    ))
                }
            }
        }
    }
}

/// Sets `app_state.interchain_upgrade.params` (creating the section with its defaults):
/// the hub chain id and, if given, the delay and packet timeout. Returns the params.
///
/// Errors: `app_state` is not an object, or the timeout is not like `600s`.
pub fn set_hub(
    genesis: &mut Value,
    hub_chain_id: &str,
    min_upgrade_delay: Option<u64>,
    packet_timeout: Option<String>,
) -> anyhow::Result<Value> {
    if let Some(t) = &packet_timeout {
        seconds("packet timeout", t)?;
    }
    let app = genesis
        .get_mut("app_state")
        .and_then(Value::as_object_mut)
        .context("the genesis has no object app_state; fix the file")?;
    let section = app
        .entry("interchain_upgrade")
        .or_insert_with(schema::default_interchain_upgrade);
    let params = section
        .as_object_mut()
        .context("app_state.interchain_upgrade is not an object")?
        .entry("params")
        .or_insert_with(|| schema::default_interchain_upgrade()["params"].clone());
    params["hub_chain_id"] = json!(hub_chain_id);
    if let Some(d) = min_upgrade_delay {
        params["min_upgrade_delay"] = json!(d.to_string());
    }
    if let Some(t) = packet_timeout {
        params["packet_timeout"] = json!(t);
    }
    Ok(params.clone())
}

fn default_operator(profile: &ChainProfile, keyring: &Keyring) -> anyhow::Result<String> {
    let keys = keyring.list()?;
    match keys.as_slice() {
        [only] => Ok(only.address.clone()),
        [] => bail!(
            "no --operator given and the keyring {} is empty; create the operator key with `{} keys add <name>` or pass --operator <address>",
            keyring.dir().display(),
            profile.binary_name
        ),
        _ => bail!(
            "no --operator given and the keyring has {} keys; pass --operator <address|keyname>",
            keys.len()
        ),
    }
}

/// Builds a fresh genesis document from CometBFT's: sets the chain id, empties CometBFT's
/// validator list and installs [`schema::default_app_state`]. Other fields (genesis time,
/// consensus parameters, initial height) are kept.
pub fn reset_genesis(
    cometbft_genesis: &Value,
    profile: &ChainProfile,
    chain_id: &str,
) -> anyhow::Result<Value> {
    let mut genesis: Map<String, Value> = match cometbft_genesis {
        Value::Object(map) => map.clone(),
        _ => bail!("the genesis written by `cometbft init` is not a JSON object"),
    };
    genesis.insert("chain_id".into(), json!(chain_id));
    genesis.insert("validators".into(), json!([]));
    genesis.insert("app_hash".into(), json!(""));
    genesis.insert("app_state".into(), schema::default_app_state(profile));
    // A block gas limit (CometBFT writes -1, none): proposals are bounded by declared gas.
    if let Some(block) = genesis
        .get_mut("consensus_params")
        .and_then(|c| c.get_mut("block"))
        .and_then(Value::as_object_mut)
    {
        block.insert(
            "max_gas".into(),
            json!(schema::DEFAULT_MAX_BLOCK_GAS.to_string()),
        );
    }
    Ok(Value::Object(genesis))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::encode_address;

    fn fresh() -> Value {
        reset_genesis(
            &json!({ "chain_id": "x", "validators": [{}] }),
            &ChainProfile::HUB,
            "hub-1",
        )
        .unwrap()
    }

    fn coins(text: &str) -> Vec<Coin> {
        parse_coins(text).unwrap()
    }

    #[test]
    fn add_account_creates_then_merges() {
        let mut g = fresh();
        let alice = encode_address("hub", &[1; 20]).unwrap();
        add_account(&mut g, &ChainProfile::HUB, &alice, &coins("1000uhub")).unwrap();
        add_account(&mut g, &ChainProfile::HUB, &alice, &coins("5foo,1uhub")).unwrap();
        assert_eq!(
            g["app_state"]["auth"]["accounts"],
            json!([{ "address": alice }])
        );
        assert_eq!(
            g["app_state"]["bank"]["balances"],
            json!([{ "address": alice, "coins": [{ "denom": "foo", "amount": "5" }, { "denom": "uhub", "amount": "1001" }] }])
        );
    }

    #[test]
    fn add_account_refuses_other_prefixes_and_overflow() {
        let mut g = fresh();
        let cosmos = encode_address("cosmos", &[1; 20]).unwrap();
        let err = add_account(&mut g, &ChainProfile::HUB, &cosmos, &coins("1uhub")).unwrap_err();
        assert!(err.to_string().contains("prefix \"cosmos\""), "{err}");
        let alice = encode_address("hub", &[1; 20]).unwrap();
        let max = format!("{}uhub", u128::MAX);
        add_account(&mut g, &ChainProfile::HUB, &alice, &coins(&max)).unwrap();
        let err = add_account(&mut g, &ChainProfile::HUB, &alice, &coins("1uhub")).unwrap_err();
        assert!(err.to_string().contains("128-bit"), "{err}");
    }

    #[test]
    fn add_validator_rejects_duplicates() {
        let mut g = fresh();
        let v = GenesisValidator {
            moniker: "node0".into(),
            operator_address: encode_address("hub", &[1; 20]).unwrap(),
            consensus_pubkey: BASE64.encode([7u8; 32]),
            power: 10,
        };
        add_validator(&mut g, &ChainProfile::HUB, &v).unwrap();
        let same_key = GenesisValidator {
            operator_address: encode_address("hub", &[2; 20]).unwrap(),
            ..v.clone()
        };
        assert!(add_validator(&mut g, &ChainProfile::HUB, &same_key)
            .unwrap_err()
            .to_string()
            .contains("already in the genesis"));
        let same_operator = GenesisValidator {
            consensus_pubkey: BASE64.encode([8u8; 32]),
            ..v.clone()
        };
        assert!(add_validator(&mut g, &ChainProfile::HUB, &same_operator)
            .unwrap_err()
            .to_string()
            .contains("already operates"));
        assert_eq!(
            g["app_state"]["staking"]["validators"][0]["power"],
            json!("10")
        );
    }

    #[tokio::test]
    async fn a_genesis_built_with_the_commands_validates() {
        let mut g = fresh();
        let alice = encode_address("hub", &[1; 20]).unwrap();
        add_account(&mut g, &ChainProfile::HUB, &alice, &coins("1000uhub")).unwrap();
        assert!(
            hub_app::genesis::check_genesis(&g, &hub_app::ChainConfig::hub())
                .await
                .is_err(),
            "no validator yet"
        );
        add_validator(
            &mut g,
            &ChainProfile::HUB,
            &GenesisValidator {
                moniker: "node0".into(),
                operator_address: alice,
                consensus_pubkey: BASE64.encode([7u8; 32]),
                power: 10,
            },
        )
        .unwrap();
        hub_app::genesis::check_genesis(&g, &hub_app::ChainConfig::hub())
            .await
            .unwrap();
    }

    #[test]
    fn resolves_keys_and_addresses() {
        let home = tempfile::tempdir().unwrap();
        let keyring = Keyring::test(home.path(), "hub");
        let alice = keyring.add_new("alice").unwrap();
        let p = &ChainProfile::HUB;
        assert_eq!(
            resolve_address(p, &keyring, "alice").unwrap(),
            alice.address
        );
        assert_eq!(
            resolve_address(p, &keyring, &alice.address).unwrap(),
            alice.address
        );
        let err = resolve_address(p, &keyring, "bob").unwrap_err().to_string();
        assert!(err.contains("neither"), "{err}");
        let cosmos = encode_address("cosmos", &[1; 20]).unwrap();
        let err = resolve_address(p, &keyring, &cosmos)
            .unwrap_err()
            .to_string();
        assert!(err.contains("prefix \"cosmos\""), "{err}");
        let mut broken = alice.address.clone();
        broken.pop();
        broken.push(if alice.address.ends_with('q') {
            'p'
        } else {
            'q'
        });
        let err = resolve_address(p, &keyring, &broken)
            .unwrap_err()
            .to_string();
        assert!(err.contains("bech32"), "{err}");
    }
}
