//! The genesis check (`genesis validate`, `start`): the typed app state and every module's
//! `init_genesis` on throwaway state. Each refusal names the JSON field an operator must fix.

use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use hub_app::genesis::{check_genesis, validate_chain_id, GenesisSummary};
use hub_app::ChainConfig;
use hub_auth::Address;
use serde_json::{json, Value};

fn addr(n: u8) -> String {
    Address([n; 20]).to_bech32("hub")
}

fn pubkey(n: u8) -> String {
    // A valid ed25519 point: the key of a fixed seed per n.
    BASE64.encode(
        ed25519_consensus::SigningKey::from([n; 32])
            .verification_key()
            .to_bytes(),
    )
}

fn valid() -> Value {
    json!({
        "genesis_time": "2024-01-01T00:00:00Z",
        "chain_id": "hub-1",
        "initial_height": "1",
        "validators": [],
        "app_hash": "",
        "app_state": {
            "auth": {
                "params": { "max_memo_characters": "256", "tx_size_limit": "65536",
                            "min_gas_price": "0.001", "fee_denom": "uhub" },
                "accounts": [{ "address": addr(1) }, { "address": addr(2) }, { "address": addr(3) }] },
            "bank": {
                "balances": [
                    { "address": addr(1), "coins": [{ "denom": "uhub", "amount": "1000" }] },
                    { "address": addr(2), "coins": [{ "denom": "foo", "amount": "5" }, { "denom": "uhub", "amount": "7" }] },
                    { "address": addr(3), "coins": [{ "denom": "uhub", "amount": "1" }] },
                ],
                "denom_metadata": [{ "base": "uhub", "display": "hub", "denom_units": [
                    { "denom": "uhub", "exponent": 0 }, { "denom": "hub", "exponent": 6 }
                ] }],
            },
            "staking": {
                "params": { "unbonding_time": "1814400s", "max_validators": 100,
                            "bond_denom": "uhub", "historical_entries": 10000 },
                "validators": [
                { "moniker": "node0", "operator_address": addr(1), "consensus_pubkey": pubkey(1), "power": "10" }
            ] },
        },
    })
}

async fn check(genesis: &Value) -> Result<GenesisSummary, Vec<String>> {
    check_genesis(genesis, &ChainConfig::hub())
        .await
        .map_err(|e| e.issues.iter().map(ToString::to_string).collect())
}

/// The one problem reported, which must start with `prefix`.
async fn refused(genesis: &Value, prefix: &str) {
    let issues = check(genesis)
        .await
        .expect_err("accepted an invalid genesis");
    assert!(
        issues.iter().any(|i| i.starts_with(prefix)),
        "expected a problem starting with {prefix:?}, got {issues:#?}"
    );
}

#[tokio::test]
async fn a_complete_genesis_is_valid_and_summarized() {
    let summary = check(&valid()).await.unwrap();
    assert_eq!(
        summary,
        GenesisSummary {
            chain_id: "hub-1".into(),
            accounts: 3,
            validators: 1,
            total_power: 10,
        }
    );
}

#[tokio::test]
async fn a_negative_amount_is_reported_with_its_field_path() {
    let mut g = valid();
    g["app_state"]["bank"]["balances"][2]["coins"][0]["amount"] = json!("-5");
    refused(&g, "app_state.bank.balances[2].coins[0].amount: ").await;
}

#[tokio::test]
async fn zero_overflowing_and_numeric_amounts_are_rejected() {
    for (i, amount) in [
        json!("0"),
        json!("340282366920938463463374607431768211456"),
        json!(1),
    ]
    .into_iter()
    .enumerate()
    {
        let mut g = valid();
        g["app_state"]["bank"]["balances"][i]["coins"][0]["amount"] = amount;
        refused(
            &g,
            &format!("app_state.bank.balances[{i}].coins[0].amount: "),
        )
        .await;
    }
}

#[tokio::test]
async fn supply_overflow_is_rejected() {
    let mut g = valid();
    let max = u128::MAX.to_string();
    g["app_state"]["bank"]["balances"][0]["coins"][0]["amount"] = json!(max);
    g["app_state"]["bank"]["balances"][2]["coins"][0]["amount"] = json!(max);
    // balances[1] holds 7 uhub: the running supply overflows there.
    refused(&g, "app_state.bank.balances[1].coins[1].amount: ").await;
}

#[tokio::test]
async fn addresses_with_another_prefix_are_rejected() {
    let mut g = valid();
    g["app_state"]["auth"]["accounts"][1]["address"] = json!(Address([2; 20]).to_bech32("cosmos"));
    refused(&g, "app_state.auth.accounts[1].address: ").await;
    let mut g = valid();
    g["app_state"]["bank"]["balances"][1]["address"] = json!(Address([2; 20]).to_bech32("cosmos"));
    refused(&g, "app_state.bank.balances[1].address: ").await;
}

#[tokio::test]
async fn bad_denoms_and_duplicate_denoms_are_rejected() {
    let mut g = valid();
    g["app_state"]["bank"]["balances"][1]["coins"][0]["denom"] = json!("f");
    refused(&g, "app_state.bank.balances[1].coins[0].denom: ").await;
    let mut g = valid();
    g["app_state"]["bank"]["balances"][0]["coins"] =
        json!([{ "denom": "uhub", "amount": "1" }, { "denom": "uhub", "amount": "2" }]);
    refused(
        &g,
        "app_state.bank.balances[0].coins[1].denom: \"uhub\" appears twice",
    )
    .await;
    let mut g = valid();
    g["app_state"]["bank"]["balances"][2]["address"] = json!(addr(1));
    refused(&g, "app_state.bank.balances[2].address: ").await;
}

#[tokio::test]
async fn duplicate_accounts_and_validators_are_rejected() {
    let mut g = valid();
    g["app_state"]["auth"]["accounts"][2]["address"] = json!(addr(1));
    refused(&g, "app_state.auth.accounts[2].address: ").await;
    let mut g = valid();
    g["app_state"]["staking"]["validators"] = json!([
        { "moniker": "a", "operator_address": addr(1), "consensus_pubkey": pubkey(1), "power": "10" },
        { "moniker": "b", "operator_address": addr(2), "consensus_pubkey": pubkey(1), "power": "10" },
    ]);
    refused(&g, "app_state.staking.validators[1].consensus_pubkey: ").await;
    let mut g = valid();
    g["app_state"]["staking"]["validators"] = json!([
        { "moniker": "a", "operator_address": addr(1), "consensus_pubkey": pubkey(1), "power": "10" },
        { "moniker": "c", "operator_address": addr(1), "consensus_pubkey": pubkey(3), "power": "10" },
    ]);
    refused(&g, "app_state.staking.validators[1].operator_address: ").await;
}

#[tokio::test]
async fn a_genesis_without_validators_is_rejected() {
    let mut g = valid();
    g["app_state"]["staking"]["validators"] = json!([]);
    refused(
        &g,
        "app_state.staking.validators: at least one validator is required",
    )
    .await;
    // A missing section is its default, which has no validator either.
    let mut g = valid();
    g["app_state"].as_object_mut().unwrap().remove("staking");
    refused(
        &g,
        "app_state.staking.validators: at least one validator is required",
    )
    .await;
}

#[tokio::test]
async fn validator_fields_are_checked() {
    let field = |f: &str, v: Value| {
        let mut g = valid();
        g["app_state"]["staking"]["validators"][0][f] = v;
        g
    };
    let bad_key = json!(BASE64.encode([1u8; 33]));
    refused(
        &field("consensus_pubkey", bad_key),
        "app_state.staking.validators[0].consensus_pubkey: ",
    )
    .await;
    refused(
        &field("power", json!("0")),
        "app_state.staking.validators[0].power: ",
    )
    .await;
    refused(
        &field("moniker", json!("")),
        "app_state.staking.validators[0].moniker: ",
    )
    .await;
    refused(
        &field("moniker", json!("m".repeat(71))),
        "app_state.staking.validators[0].moniker: ",
    )
    .await;
}

#[tokio::test]
async fn params_are_checked() {
    let cases = [
        ("auth", "tx_size_limit", json!(65536)),
        ("auth", "tx_size_limit", json!("0")),
        ("auth", "max_memo_characters", json!("0")),
        ("auth", "min_gas_price", json!("-1")),
        ("staking", "unbonding_time", json!("21d")),
        ("staking", "max_validators", json!("100")),
        ("staking", "max_validators", json!(0)),
        ("staking", "bond_denom", json!("1hub")),
    ];
    for (module, param, value) in cases {
        let mut g = valid();
        g["app_state"][module]["params"][param] = value.clone();
        let issues = check(&g)
            .await
            .expect_err(&format!("{param} = {value} accepted"));
        assert!(
            issues[0].starts_with(&format!("app_state.{module}.params")),
            "{param} = {value}: {issues:?}"
        );
    }
}

#[tokio::test]
async fn denom_metadata_is_checked() {
    let mut g = valid();
    g["app_state"]["bank"]["denom_metadata"][0]["denom_units"] =
        json!([{ "denom": "hub", "exponent": 6 }, { "denom": "uhub", "exponent": 0 }]);
    refused(&g, "app_state.bank.denom_metadata[0].denom_units[0]").await;
    let mut g = valid();
    g["app_state"]["bank"]["denom_metadata"][0]["display"] = json!("khub");
    refused(&g, "app_state.bank.denom_metadata[0].display").await;
}

/// A voucher's metadata as ibc-go writes it (the trace's base denom as its one unit, the full
/// path as display) imports, so that a chain that received tokens can export and import.
#[tokio::test]
async fn voucher_metadata_as_ibc_go_writes_it_is_accepted_and_its_exponents_still_checked() {
    let voucher = json!({
        "base": "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
        "display": "transfer/channel-0/uatom", "name": "transfer/channel-0/uatom IBC token",
        "symbol": "UATOM", "description": "IBC token from transfer/channel-0/uatom",
        "denom_units": [{ "denom": "uatom", "exponent": 0 }],
    });
    let mut g = valid();
    g["app_state"]["bank"]["denom_metadata"]
        .as_array_mut()
        .unwrap()
        .push(voucher.clone());
    check(&g).await.unwrap();
    let mut g = valid();
    let mut bad = voucher;
    bad["denom_units"][0]["exponent"] = json!(6);
    g["app_state"]["bank"]["denom_metadata"]
        .as_array_mut()
        .unwrap()
        .push(bad);
    refused(&g, "app_state.bank.denom_metadata[1].denom_units[0]").await;
}

#[tokio::test]
async fn chain_id_and_cometbft_validators_are_checked_with_the_app_state() {
    let mut g = valid();
    g["chain_id"] = json!("hub 1");
    g["validators"] = json!([{ "address": "x" }]);
    g["app_state"]["staking"]["validators"] = json!([]);
    let issues = check(&g).await.unwrap_err();
    assert_eq!(issues.len(), 3, "{issues:#?}");
    assert!(issues[0].starts_with("chain_id: \"hub 1\" is not a valid chain id"));
    assert!(issues[1].starts_with("validators: must be empty"));
    assert!(issues[2].starts_with("app_state.staking.validators: "));
    assert!(validate_chain_id("hub-1").is_ok());
    assert!(validate_chain_id(&"a".repeat(51)).is_err());
    assert!(validate_chain_id("").is_err());
}

#[tokio::test]
async fn a_malformed_document_names_the_field_serde_stopped_at() {
    assert_eq!(
        check(&json!([])).await.unwrap_err(),
        ["(document): expected a JSON object"]
    );
    let mut g = valid();
    g["app_state"]["bank"]["balances"][1]["coins"] = json!("5uhub");
    refused(&g, "app_state.bank.balances[1].coins: ").await;
    let mut g = valid();
    g["app_state"]["bank"]["surprise"] = json!(1);
    refused(&g, "app_state.bank").await;
    let mut g = valid();
    g["app_state"].as_object_mut().unwrap().remove("auth");
    g["genesis_time"] = json!("yesterday");
    refused(&g, "genesis_time: ").await;
}

#[tokio::test]
async fn checking_writes_nothing_and_a_spoke_applies_its_own_prefix() {
    // The hub's genesis is not a spoke's: every address has the wrong prefix there.
    let issues = check_genesis(&valid(), &ChainConfig::spoke())
        .await
        .unwrap_err();
    assert!(
        issues.issues[0]
            .field
            .starts_with("app_state.auth.accounts[0]"),
        "{issues}"
    );
    // Checked twice: no state is left behind by the first check.
    check(&valid()).await.unwrap();
    check(&valid()).await.unwrap();
}
