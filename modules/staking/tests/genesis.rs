//! Module tests of staking genesis.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_auth::Address;
use hub_bank::{BankRead, BankWrite, Coin, Coins};
use hub_framework::cnidarium::{StateDelta, StateRead, StateWrite, TempStorage};
use hub_framework::{GenesisCtx, Module, ModuleError};
use hub_staking::{Staking, StakingBank, StakingGenesis, StakingRead};

/// The bank capability over `hub-bank`, as the runtime's adapter.
#[derive(Default)]
struct TestBank;

impl StakingBank for TestBank {
    async fn balance<S: StateRead>(
        &self,
        s: &S,
        a: &Address,
        d: &str,
    ) -> Result<u128, ModuleError> {
        s.balance(a, d).await
    }
    async fn send<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        to: &Address,
        denom: &str,
        amount: u128,
        hrp: &str,
    ) -> Result<(), ModuleError> {
        let c = Coins(vec![Coin {
            denom: denom.into(),
            amount,
        }]);
        s.send_coins(from, to, &c, hrp).await
    }
    async fn mint<S: StateWrite>(
        &self,
        s: &mut S,
        to: &Address,
        denom: &str,
        amount: u128,
    ) -> Result<(), ModuleError> {
        s.mint(
            to,
            &Coin {
                denom: denom.into(),
                amount,
            },
        )
        .await
    }
    async fn burn<S: StateWrite>(
        &self,
        s: &mut S,
        from: &Address,
        denom: &str,
        amount: u128,
    ) -> Result<(), ModuleError> {
        BankWrite::burn(
            s,
            from,
            &Coin {
                denom: denom.into(),
                amount,
            },
        )
        .await
    }
}

type TestStaking = Staking<TestBank>;

fn ctx() -> GenesisCtx {
    GenesisCtx {
        chain_id: "hub-1".into(),
        bech32_prefix: "hub".into(),
        time: tendermint::Time::unix_epoch(),
    }
}

fn genesis(pubkey: &str, power: &str) -> StakingGenesis {
    serde_json::from_value(serde_json::json!({
        "params": {"unbonding_time": "1814400s", "max_validators": 100, "bond_denom": "uhub", "historical_entries": 10000},
        "validators": [{"moniker": "v0", "operator_address": Address([1; 20]).to_bech32("hub"), "consensus_pubkey": pubkey, "power": power}]
    }))
    .unwrap()
}

/// Base64 of a valid ed25519 public key.
fn key_b64() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(key())
}

fn key() -> [u8; 32] {
    // the ed25519 base point: a valid public key
    let mut k = [0x66u8; 32];
    k[0] = 0x58;
    k
}

async fn storage() -> TempStorage {
    TempStorage::new_with_prefixes(vec!["staking".into(), "bank".into(), "auth".into()])
        .await
        .unwrap()
}

#[tokio::test]
async fn genesis_validators_get_power_bonded_tokens_and_round_trip_through_export() {
    let st = storage().await;
    let mut s = StateDelta::new(st.latest_snapshot());
    let g = genesis(&key_b64(), "7");
    TestStaking::init_genesis(&mut s, &ctx(), &g).await.unwrap();
    let updates = hub_staking::last_validator_updates(&s).await.unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!((updates[0].pub_key, updates[0].power), (key(), 7));
    assert_eq!(
        s.staking_params()
            .await
            .unwrap()
            .unbonding_time
            .unwrap()
            .seconds,
        1_814_400
    );
    // tokens in the bonded pool, the supply raised by as much, a self-delegation
    let pool = hub_staking::bank::bonded_pool();
    assert_eq!(s.balance(&pool, "uhub").await.unwrap(), 7_000_000);
    assert_eq!(s.supply("uhub").await.unwrap(), 7_000_000);
    assert_eq!(s.total_bonded_tokens().await.unwrap(), 7_000_000);
    let bonded = s.bonded_validators().await.unwrap();
    assert_eq!(bonded[0].operator, Address([1; 20]));
    assert!(bonded[0].operator_address.starts_with("hubvaloper1"));
    let dels = s.delegator_delegations(&Address([1; 20])).await.unwrap();
    assert_eq!(dels.len(), 1);
    assert_eq!(dels[0].shares.to_string(), "7000000.000000000000000000");
    assert_eq!(TestStaking::export_genesis(&s).await.unwrap(), g);
}

#[tokio::test]
async fn genesis_accepts_the_operator_address_form_too() {
    let st = storage().await;
    let mut s = StateDelta::new(st.latest_snapshot());
    let mut g = genesis(&key_b64(), "7");
    g.validators[0].operator_address = hub_staking::address::to_valoper(&Address([1; 20]), "hub");
    TestStaking::init_genesis(&mut s, &ctx(), &g).await.unwrap();
    assert_eq!(
        s.bonded_validators().await.unwrap()[0].operator,
        Address([1; 20])
    );
}

#[tokio::test]
async fn invalid_genesis_validators_are_refused_naming_the_field() {
    let st = storage().await;
    let k = key_b64();
    for (g, field) in [
        (genesis("not-base64", "7"), "validators[0].consensus_pubkey"),
        (genesis(&k, "0"), "validators[0].power"),
        (genesis(&k, "-1"), "validators[0].power"),
        (
            StakingGenesis {
                validators: vec![],
                ..genesis(&k, "1")
            },
            "app_state.staking.validators",
        ),
    ] {
        let mut s = StateDelta::new(st.latest_snapshot());
        let e = TestStaking::init_genesis(&mut s, &ctx(), &g)
            .await
            .unwrap_err();
        assert_eq!(e.codespace, "staking");
        assert!(e.log.contains(field), "{field}: {}", e.log);
    }
    let mut g = genesis(&k, "1");
    g.params.slash_fraction_double_sign = Some("1.5".into());
    let mut s = StateDelta::new(st.latest_snapshot());
    assert!(TestStaking::init_genesis(&mut s, &ctx(), &g)
        .await
        .unwrap_err()
        .log
        .contains("slash_fraction_double_sign"));
    let mut g = genesis(&k, "1");
    g.validators.push(g.validators[0].clone());
    g.validators[1].operator_address = Address([2; 20]).to_bech32("hub");
    let mut s = StateDelta::new(st.latest_snapshot());
    assert!(TestStaking::init_genesis(&mut s, &ctx(), &g)
        .await
        .unwrap_err()
        .log
        .contains("twice"));
}
