//! Module tests of staking genesis and of the paging of its list queries.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use hub_auth::Address;
use hub_bank::BankRead;
use hub_framework::cnidarium::{Snapshot, StateDelta, TempStorage};
use hub_framework::{GenesisCtx, Module};
use hub_staking::{Staking, StakingGenesis, StakingRead, StakingWrite};
use hub_testkit::paging::assert_paginates;

/// Staking with the bank keeper, as the runtimes compose it.
type TestStaking = Staking<hub_bank::Keeper>;

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

/// An empty state of the staking, bank and auth stores (and the store it lives in).
async fn state() -> (TempStorage, StateDelta<Snapshot>) {
    hub_testkit::temp_state(&["staking", "bank", "auth"]).await
}

#[tokio::test]
async fn genesis_validators_get_power_bonded_tokens_and_round_trip_through_export() {
    let (_st, mut s) = state().await;
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
    // The export carries the records, which import to the same staking state.
    let exported = TestStaking::export_genesis(&s).await.unwrap();
    assert!(exported.validators.is_empty());
    assert_eq!(exported.state.as_ref().unwrap().validators.len(), 1);
    let (st2, mut fresh) = state().await;
    TestStaking::init_genesis(&mut fresh, &ctx(), &exported)
        .await
        .unwrap();
    use hub_framework::StateReadProto;
    assert_eq!(
        fresh.prefix_raw_vec("staking/").await.unwrap(),
        s.prefix_raw_vec("staking/").await.unwrap()
    );
    // Both a validator list and a state: refused.
    let both = StakingGenesis {
        validators: g.validators.clone(),
        ..exported
    };
    let mut other = StateDelta::new(st2.latest_snapshot());
    let e = TestStaking::init_genesis(&mut other, &ctx(), &both)
        .await
        .unwrap_err();
    assert!(e.log.contains("not both"), "{}", e.log);
}

#[tokio::test]
async fn genesis_accepts_the_operator_address_form_too() {
    let (_st, mut s) = state().await;
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
        let (_st, mut s) = state().await;
        let e = TestStaking::init_genesis(&mut s, &ctx(), &g)
            .await
            .unwrap_err();
        assert_eq!(e.codespace, "staking");
        assert!(e.log.contains(field), "{field}: {}", e.log);
    }
    let mut g = genesis(&k, "1");
    g.params.slash_fraction_double_sign = Some("1.5".into());
    let (_st, mut s) = state().await;
    assert!(TestStaking::init_genesis(&mut s, &ctx(), &g)
        .await
        .unwrap_err()
        .log
        .contains("slash_fraction_double_sign"));
    let mut g = genesis(&k, "1");
    g.validators.push(g.validators[0].clone());
    g.validators[1].operator_address = Address([2; 20]).to_bech32("hub");
    let (_st, mut s) = state().await;
    assert!(TestStaking::init_genesis(&mut s, &ctx(), &g)
        .await
        .unwrap_err()
        .log
        .contains("twice"));
}

/// A page of the validators query (of those in `status`, or all with ""): the operators and
/// the page response.
async fn validator_page(
    s: &StateDelta<Snapshot>,
    status: &str,
    pagination: Option<PageRequest>,
) -> (Vec<String>, Option<PageResponse>) {
    use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
    let req = pb::QueryValidatorsRequest {
        status: status.into(),
        pagination,
    };
    let r = hub_staking::query::validators(s, &req).await.unwrap();
    let ops = r.validators.into_iter().map(|v| v.operator_address);
    (ops.collect(), r.pagination)
}

#[tokio::test]
async fn validator_delegation_and_unbonding_lists_come_in_pages_and_next_key_continues() {
    use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
    use hub_staking::{address::to_valoper, query};
    let (_st, mut s) = state().await;
    s.put_staking_params(&pb::Params {
        bond_denom: "uhub".into(),
        ..Default::default()
    });
    let hub = |a: Address| a.to_bech32("hub");
    let valoper = |i: u8| to_valoper(&Address([i; 20]), "hub");
    let shares = "1.000000000000000000";
    // 150 validators; consensus addresses run the other way round from operators, so the
    // list (consensus-address order) is by descending operator; even ones are bonded
    for i in 1..=150u8 {
        let status = if i % 2 == 0 {
            pb::BondStatus::Bonded
        } else {
            pb::BondStatus::Unbonded
        };
        s.put_validator(
            &hex::encode([255 - i; 20]),
            &Address([i; 20]),
            &pb::Validator {
                operator_address: valoper(i),
                tokens: "1000".into(),
                delegator_shares: "1000.000000000000000000".into(),
                status: status as i32,
                ..Default::default()
            },
        );
    }
    // delegator 200 delegates to every validator and unbonds from every one
    let d = Address([200; 20]);
    for i in 1..=150u8 {
        s.put_delegation(
            &d,
            &Address([i; 20]),
            &pb::Delegation {
                delegator_address: hub(d),
                validator_address: valoper(i),
                shares: shares.into(),
            },
        );
        s.put_unbonding_delegation(
            &d,
            &Address([i; 20]),
            &pb::UnbondingDelegation {
                delegator_address: hub(d),
                validator_address: valoper(i),
                entries: vec![pb::UnbondingDelegationEntry {
                    balance: "1".into(),
                    initial_balance: "1".into(),
                    ..Default::default()
                }],
            },
        );
    }
    // validator 1 has delegators 100..=255 (200 among them)
    for j in 100..=255u8 {
        s.put_delegation(
            &Address([j; 20]),
            &Address([1; 20]),
            &pb::Delegation {
                delegator_address: hub(Address([j; 20])),
                validator_address: valoper(1),
                shares: shares.into(),
            },
        );
    }
    let s = &s;

    let by_cons: Vec<String> = (1..=150u8).rev().map(valoper).collect();
    assert_paginates(&by_cons, |pagination| validator_page(s, "", pagination)).await;
    // the status filter applies before paging
    let bonded: Vec<String> = (1..=150u8)
        .rev()
        .filter(|i| i % 2 == 0)
        .map(valoper)
        .collect();
    let bonded = &bonded[..];
    assert!(bonded.len() <= 100);
    let (ops, page) = validator_page(s, "BOND_STATUS_BONDED", None).await;
    assert_eq!((ops.as_slice(), page.unwrap().total), (bonded, 75));

    let to_validators: Vec<String> = (1..=150u8).map(valoper).collect();
    assert_paginates(&to_validators, |pagination| async move {
        let r = query::delegator_delegations(
            s,
            &pb::QueryDelegatorDelegationsRequest {
                delegator_addr: hub(d),
                pagination,
            },
            "hub",
        )
        .await
        .unwrap();
        let vals = r.delegation_responses.into_iter().map(|d| {
            // the balance is still computed for each delegation of the page
            assert_eq!(d.balance.unwrap().amount, "1");
            d.delegation.unwrap().validator_address
        });
        (vals.collect(), r.pagination)
    })
    .await;
    assert_paginates(&to_validators, |pagination| async move {
        let r = query::delegator_unbonding_delegations(
            s,
            &pb::QueryDelegatorUnbondingDelegationsRequest {
                delegator_addr: hub(d),
                pagination,
            },
            "hub",
        )
        .await
        .unwrap();
        let vals = r
            .unbonding_responses
            .into_iter()
            .map(|u| u.validator_address);
        (vals.collect(), r.pagination)
    })
    .await;
    let delegators: Vec<String> = (100..=255u8).map(|j| hub(Address([j; 20]))).collect();
    assert_paginates(&delegators, |pagination| async move {
        let r = query::validator_delegations(
            s,
            &pb::QueryValidatorDelegationsRequest {
                validator_addr: valoper(1),
                pagination,
            },
            "hub",
        )
        .await
        .unwrap();
        let dels = r
            .delegation_responses
            .into_iter()
            .map(|d| d.delegation.unwrap().delegator_address);
        (dels.collect(), r.pagination)
    })
    .await;
}
