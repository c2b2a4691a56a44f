//! Module tests of staking genesis.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_framework::cnidarium::{StateDelta, TempStorage};
use hub_framework::{GenesisCtx, Module};
use hub_staking::{Staking, StakingGenesis, StakingRead};

fn ctx() -> GenesisCtx {
    GenesisCtx {
        chain_id: "hub-1".into(),
        bech32_prefix: "hub".into(),
    }
}

fn genesis(pubkey: &str, power: &str) -> StakingGenesis {
    serde_json::from_value(serde_json::json!({
        "params": {"unbonding_time": "1814400s", "max_validators": 100, "bond_denom": "uhub", "historical_entries": 10000},
        "validators": [{"moniker": "v0", "operator_address": hub_auth::Address([1; 20]).to_bech32("hub"), "consensus_pubkey": pubkey, "power": power}]
    }))
    .unwrap()
}

const KEY: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

#[tokio::test]
async fn genesis_validators_get_power_and_round_trip_through_export() {
    let st = TempStorage::new_with_prefixes(vec!["staking".into()])
        .await
        .unwrap();
    let mut s = StateDelta::new(st.latest_snapshot());
    let g = genesis(KEY, "7");
    Staking::init_genesis(&mut s, &ctx(), &g).await.unwrap();
    let updates = Staking::validator_updates(&s).await.unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!((updates[0].pub_key, updates[0].power), ([1u8; 32], 7));
    assert_eq!(
        s.staking_params()
            .await
            .unwrap()
            .unbonding_time
            .unwrap()
            .seconds,
        1_814_400
    );
    assert_eq!(Staking::export_genesis(&s).await.unwrap(), g);
}

#[tokio::test]
async fn invalid_genesis_validators_are_refused_naming_the_field() {
    let st = TempStorage::new_with_prefixes(vec!["staking".into()])
        .await
        .unwrap();
    for (g, field) in [
        (genesis("not-base64", "7"), "validators[0].consensus_pubkey"),
        (genesis(KEY, "0"), "validators[0].power"),
        (genesis(KEY, "-1"), "validators[0].power"),
        (
            StakingGenesis {
                validators: vec![],
                ..genesis(KEY, "1")
            },
            "app_state.staking.validators",
        ),
    ] {
        let mut s = StateDelta::new(st.latest_snapshot());
        let e = Staking::init_genesis(&mut s, &ctx(), &g).await.unwrap_err();
        assert_eq!(e.codespace, "staking");
        assert!(e.log.contains(field), "{field}: {}", e.log);
    }
    let mut g = genesis(KEY, "1");
    g.validators.push(g.validators[0].clone());
    let mut s = StateDelta::new(st.latest_snapshot());
    assert!(Staking::init_genesis(&mut s, &ctx(), &g)
        .await
        .unwrap_err()
        .log
        .contains("twice"));
}
