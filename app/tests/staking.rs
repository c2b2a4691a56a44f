//! App tests of staking through the in-process ABCI driver: signed staking txs in blocks, the
//! validator updates of the FinalizeBlock result, unbonding maturity at block times, double-sign
//! evidence, and the staking queries over `abci_query`.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
use cosmos_sdk_proto::Any;
use hub_app::{
    app::{App, BlockResult},
    query::QueryService,
    ChainConfig,
};
use hub_auth::{Address, AuthRead};
use hub_bank::BankRead;
use hub_framework::ValidatorUpdate;
use hub_staking::address::to_valoper;
use hub_testkit::chain::TestValidator;
use hub_testkit::{app_state, TestKey, TxSpec};
use prost::Message;
use tendermint::abci::types::{Misbehavior, MisbehaviorKind, Validator as MisValidator};
use tendermint::Time;

const RICH: u128 = 1_000_000_000;
/// 21 days, the `unbonding_time` of the test genesis.
const UNBONDING_SECS: i64 = 1_814_400;
const T0: i64 = 1_700_000_000;

struct Chain {
    _dir: tempfile::TempDir,
    app: App,
    queries: QueryService,
    height: u64,
    /// Genesis validators' consensus keys (power 10 each), operated by `keys[i]`.
    vals: Vec<TestValidator>,
    keys: Vec<TestKey>,
}

fn key_bytes(v: &TestValidator) -> [u8; 32] {
    v.public_key().to_bytes().try_into().unwrap()
}

impl Chain {
    /// A hub with funded accounts `k0..k{accounts}` and `validators` genesis validators
    /// (power 10, validator `i` operated by `k{i}`); `edit` changes the genesis JSON.
    async fn new(
        accounts: usize,
        validators: usize,
        edit: impl FnOnce(&mut serde_json::Value),
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let keys: Vec<TestKey> = (0..accounts)
            .map(|i| TestKey::new(&format!("k{i}")))
            .collect();
        let vals: Vec<TestValidator> = (0..validators)
            .map(|i| TestValidator::new(&format!("val{i}"), 10))
            .collect();
        let funded: Vec<(String, u128)> = keys.iter().map(|k| (k.hub(), RICH)).collect();
        let mut g = app_state(&funded, &vals.iter().map(key_bytes).collect::<Vec<_>>());
        edit(&mut g);
        let mut app = App::load(&dir.path().join("db"), ChainConfig::hub())
            .await
            .unwrap();
        let (_, initial) = app
            .init_chain("hub-1", g.to_string().as_bytes(), 1)
            .await
            .unwrap();
        assert_eq!(initial.len(), validators);
        let queries = QueryService::new(app.storage(), ChainConfig::hub());
        Chain {
            _dir: dir,
            app,
            queries,
            height: 0,
            vals,
            keys,
        }
    }

    /// Executes and commits one block at `T0 + secs`.
    async fn block_at(
        &mut self,
        secs: i64,
        txs: Vec<Vec<u8>>,
        evidence: &[Misbehavior],
    ) -> BlockResult {
        self.height += 1;
        let time = Time::from_unix_timestamp(T0 + secs, 0).unwrap();
        let r = self
            .app
            .finalize_block(self.height, time, &txs, evidence)
            .await
            .unwrap();
        self.app.commit().await.unwrap();
        self.queries.history().record(&self.app.storage());
        r
    }

    /// A block at `T0 + height` seconds.
    async fn block(&mut self, txs: Vec<Vec<u8>>) -> BlockResult {
        let secs = self.height as i64 + 1;
        self.block_at(secs, txs, &[]).await
    }

    /// Signs `msgs` by `k{who}` with its current account number and sequence.
    async fn tx(&self, who: usize, msgs: Vec<Any>) -> Vec<u8> {
        let key = &self.keys[who];
        let acc = self
            .app
            .storage()
            .latest_snapshot()
            .account(&key.address())
            .await
            .unwrap()
            .unwrap();
        let mut spec = TxSpec::new(msgs);
        spec.account_number = acc.account_number;
        spec.sequence = acc.sequence;
        spec.gas = 400_000;
        spec.sign(key)
    }

    /// One tx in one block; returns its (codespace, code, log) and the block result.
    async fn run(&mut self, who: usize, msg: Any) -> ((String, u32, String), BlockResult) {
        let tx = self.tx(who, vec![msg]).await;
        let r = self.block(vec![tx]).await;
        let o = &r.tx_results[0];
        ((o.codespace.to_string(), o.code, o.log.clone()), r)
    }

    fn addr(&self, who: usize) -> Address {
        self.keys[who].address()
    }

    fn valoper(&self, who: usize) -> String {
        to_valoper(&self.addr(who), "hub")
    }

    async fn balance(&self, addr: &Address) -> u128 {
        self.app
            .storage()
            .latest_snapshot()
            .balance(addr, "uhub")
            .await
            .unwrap()
    }

    async fn supply(&self) -> u128 {
        self.app
            .storage()
            .latest_snapshot()
            .supply("uhub")
            .await
            .unwrap()
    }

    async fn query<Req: Message, Resp: Message + Default>(
        &self,
        method: &str,
        req: &Req,
    ) -> Result<Resp, (String, u32)> {
        let a = self
            .queries
            .abci_query(
                &format!("/cosmos.staking.v1beta1.Query/{method}"),
                &req.encode_to_vec(),
                0,
                false,
            )
            .await;
        if a.code != 0 {
            return Err((a.codespace, a.code));
        }
        Ok(Resp::decode(a.value.as_slice()).unwrap())
    }

    /// The UnbondingDelegation query of `k{who}` from the validator of `k{from}`.
    async fn unbonding(
        &self,
        who: usize,
        from: usize,
    ) -> Result<pb::QueryUnbondingDelegationResponse, (String, u32)> {
        let req = pb::QueryUnbondingDelegationRequest {
            delegator_addr: self.keys[who].hub(),
            validator_addr: self.valoper(from),
        };
        self.query("UnbondingDelegation", &req).await
    }

    async fn validator(&self, who: usize) -> pb::Validator {
        let r: pb::QueryValidatorResponse = self
            .query(
                "Validator",
                &pb::QueryValidatorRequest {
                    validator_addr: self.valoper(who),
                },
            )
            .await
            .unwrap();
        r.validator.unwrap()
    }
}

fn coin(amount: u128) -> Option<Coin> {
    Some(Coin {
        denom: "uhub".into(),
        amount: amount.to_string(),
    })
}

fn delegate(c: &Chain, who: usize, to: usize, amount: u128) -> Any {
    delegate_to(c.keys[who].hub(), c.valoper(to), amount)
}

/// `MsgDelegate` of `amount` uhub from `delegator` to the operator address `validator`.
fn delegate_to(delegator: String, validator: String, amount: u128) -> Any {
    Any {
        type_url: "/cosmos.staking.v1beta1.MsgDelegate".into(),
        value: pb::MsgDelegate {
            delegator_address: delegator,
            validator_address: validator,
            amount: coin(amount),
        }
        .encode_to_vec(),
    }
}

fn undelegate(c: &Chain, who: usize, from: usize, amount: u128) -> Any {
    Any {
        type_url: "/cosmos.staking.v1beta1.MsgUndelegate".into(),
        value: pb::MsgUndelegate {
            delegator_address: c.keys[who].hub(),
            validator_address: c.valoper(from),
            amount: coin(amount),
        }
        .encode_to_vec(),
    }
}

fn pubkey_any(type_url: &str, key: &[u8]) -> Any {
    Any {
        type_url: type_url.into(),
        value: cosmos_sdk_proto::cosmos::crypto::ed25519::PubKey { key: key.to_vec() }
            .encode_to_vec(),
    }
}

fn create_validator(c: &Chain, who: usize, key: Any, amount: u128, min_self: u128) -> Any {
    #[allow(deprecated)]
    let m = pb::MsgCreateValidator {
        description: Some(pb::Description {
            moniker: format!("new{who}"),
            ..Default::default()
        }),
        commission: Some(pb::CommissionRates {
            rate: "0.100000000000000000".into(),
            max_rate: "0.200000000000000000".into(),
            max_change_rate: "0.010000000000000000".into(),
        }),
        min_self_delegation: min_self.to_string(),
        delegator_address: String::new(),
        validator_address: c.valoper(who),
        pubkey: Some(key),
        value: coin(amount),
    };
    Any {
        type_url: "/cosmos.staking.v1beta1.MsgCreateValidator".into(),
        value: m.encode_to_vec(),
    }
}

fn ed25519(v: &TestValidator) -> Any {
    pubkey_any("/cosmos.crypto.ed25519.PubKey", &key_bytes(v))
}

fn update(v: &TestValidator, power: u64) -> ValidatorUpdate {
    ValidatorUpdate {
        pub_key: key_bytes(v),
        power,
    }
}

fn ok(r: &(String, u32, String)) {
    assert_eq!(r.1, 0, "{r:?}");
}

#[tokio::test]
async fn delegation_raises_the_validators_power_in_the_finalize_block_result() {
    let mut c = Chain::new(2, 1, |_| {}).await;
    let quiet = c.block(vec![]).await;
    assert!(quiet.validator_updates.is_empty(), "no change, no update");
    let (r, block) = c.run(1, delegate(&c, 1, 0, 5_000_000)).await;
    ok(&r);
    assert_eq!(block.validator_updates, vec![update(&c.vals[0], 15)]);
    assert!(block.tx_results[0]
        .events
        .iter()
        .any(|e| e.kind == "delegate"));
    let v = c.validator(0).await;
    assert_eq!(v.tokens, "15000000");
    assert_eq!(v.delegator_shares, "15000000.000000000000000000");
    let d: pb::QueryDelegationResponse = c
        .query(
            "Delegation",
            &pb::QueryDelegationRequest {
                delegator_addr: c.keys[1].hub(),
                validator_addr: c.valoper(0),
            },
        )
        .await
        .unwrap();
    let d = d.delegation_response.unwrap();
    assert_eq!(d.balance.unwrap().amount, "5000000");
    assert_eq!(d.delegation.unwrap().shares, "5000000.000000000000000000");
    let pool: pb::QueryPoolResponse = c.query("Pool", &pb::QueryPoolRequest {}).await.unwrap();
    assert_eq!(pool.pool.unwrap().bonded_tokens, "15000000");
    assert_eq!(
        c.balance(&hub_staking::bank::bonded_pool()).await,
        15_000_000
    );
    let vd: pb::QueryValidatorDelegationsResponse = c
        .query(
            "ValidatorDelegations",
            &pb::QueryValidatorDelegationsRequest {
                validator_addr: c.valoper(0),
                pagination: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(vd.delegation_responses.len(), 2, "self-delegation and k1's");
}

#[tokio::test]
async fn undelegation_lowers_the_power_and_pays_out_only_once_the_unbonding_period_has_passed() {
    let mut c = Chain::new(2, 1, |_| {}).await;
    ok(&c.run(1, delegate(&c, 1, 0, 5_000_000)).await.0);
    let before = c.balance(&c.addr(1)).await;
    // undelegate 2 × 10^6 in the block at T0 + 100 s
    let tx = c.tx(1, vec![undelegate(&c, 1, 0, 2_000_000)]).await;
    let block = c.block_at(100, vec![tx], &[]).await;
    assert_eq!(block.tx_results[0].code, 0, "{}", block.tx_results[0].log);
    assert_eq!(block.validator_updates, vec![update(&c.vals[0], 13)]);
    let unbond = block.tx_results[0]
        .events
        .iter()
        .find(|e| e.kind == "unbond")
        .unwrap();
    let completion = unbond
        .attributes
        .iter()
        .find(|a| a.key_bytes() == b"completion_time")
        .unwrap();
    let expected = Time::from_unix_timestamp(T0 + 100 + UNBONDING_SECS, 0).unwrap();
    assert_eq!(completion.value_str().unwrap(), expected.to_rfc3339());
    let fee = 1_000;
    assert_eq!(c.balance(&c.addr(1)).await, before - fee);
    let u = c.unbonding(1, 0).await.unwrap();
    let entry = &u.unbond.unwrap().entries[0];
    assert_eq!(entry.balance, "2000000");
    assert_eq!(
        entry.completion_time.as_ref().unwrap().seconds,
        T0 + 100 + UNBONDING_SECS
    );
    assert_eq!(
        c.balance(&hub_staking::bank::not_bonded_pool()).await,
        2_000_000
    );
    // one second before completion: nothing paid
    c.block_at(100 + UNBONDING_SECS - 1, vec![], &[]).await;
    assert_eq!(c.balance(&c.addr(1)).await, before - fee);
    // at the completion time: paid out, entry gone, pool empty
    let done = c.block_at(100 + UNBONDING_SECS, vec![], &[]).await;
    assert_eq!(c.balance(&c.addr(1)).await, before - fee + 2_000_000);
    assert!(done.events.iter().any(|e| e.kind == "complete_unbonding"));
    assert_eq!(c.balance(&hub_staking::bank::not_bonded_pool()).await, 0);
    let gone = c.unbonding(1, 0).await.unwrap_err();
    assert_eq!(gone, ("sdk".to_string(), 38));
    // paid once only
    c.block_at(200 + UNBONDING_SECS, vec![], &[]).await;
    assert_eq!(c.balance(&c.addr(1)).await, before - fee + 2_000_000);
}

#[tokio::test]
async fn a_validator_created_with_msg_create_validator_joins_the_set() {
    let mut c = Chain::new(3, 1, |_| {}).await;
    let newcomer = TestValidator::new("newcomer", 0);
    let (r, block) = c
        .run(2, create_validator(&c, 2, ed25519(&newcomer), 3_000_000, 1))
        .await;
    ok(&r);
    assert_eq!(block.validator_updates, vec![update(&newcomer, 3)]);
    let v = c.validator(2).await;
    assert_eq!(v.status, pb::BondStatus::Bonded as i32);
    assert_eq!(v.tokens, "3000000");
    assert_eq!(v.description.unwrap().moniker, "new2");
    let bonded: pb::QueryValidatorsResponse = c
        .query(
            "Validators",
            &pb::QueryValidatorsRequest {
                status: "BOND_STATUS_BONDED".into(),
                pagination: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(bonded.validators.len(), 2);
    // the same operator or the same key cannot create a second validator
    let other = TestValidator::new("other", 0);
    let (r, _) = c
        .run(2, create_validator(&c, 2, ed25519(&other), 1_000_000, 1))
        .await;
    assert_eq!((r.0.as_str(), r.1), ("staking", 4), "{r:?}");
    let (r, _) = c
        .run(1, create_validator(&c, 1, ed25519(&newcomer), 1_000_000, 1))
        .await;
    assert_eq!((r.0.as_str(), r.1), ("staking", 5), "{r:?}");
}

#[tokio::test]
async fn max_validators_caps_the_set_and_the_weakest_leaves_with_power_zero() {
    let mut c = Chain::new(4, 1, |g| {
        g["staking"]["params"]["max_validators"] = serde_json::json!(2);
    })
    .await;
    let (small, big) = (TestValidator::new("small", 0), TestValidator::new("big", 0));
    let txs = vec![
        c.tx(
            2,
            vec![create_validator(&c, 2, ed25519(&small), 3_000_000, 1)],
        )
        .await,
        c.tx(
            3,
            vec![create_validator(&c, 3, ed25519(&big), 20_000_000, 1)],
        )
        .await,
    ];
    let block = c.block(txs).await;
    assert!(
        block.tx_results.iter().all(|t| t.code == 0),
        "{:?}",
        block.tx_results
    );
    // set: big (20) and the genesis validator (10); small (3) stays out
    assert_eq!(block.validator_updates, vec![update(&big, 20)]);
    assert_eq!(c.validator(2).await.status, pb::BondStatus::Unbonded as i32);
    assert_eq!(
        c.balance(&hub_staking::bank::not_bonded_pool()).await,
        3_000_000,
        "an unbonded validator's tokens are not bonded"
    );
    // k1 delegates 30 × 10^6 to small: small (33) enters, the genesis validator (10) leaves
    let (r, block) = c.run(1, delegate(&c, 1, 2, 30_000_000)).await;
    ok(&r);
    let mut got = block.validator_updates.clone();
    got.sort_by_key(|u| u.pub_key);
    let mut want = vec![update(&small, 33), update(&c.vals[0], 0)];
    want.sort_by_key(|u| u.pub_key);
    assert_eq!(got, want);
    assert_eq!(c.validator(0).await.status, pb::BondStatus::Unbonded as i32);
    assert_eq!(
        c.balance(&hub_staking::bank::bonded_pool()).await,
        53_000_000
    );
    assert_eq!(
        c.balance(&hub_staking::bank::not_bonded_pool()).await,
        10_000_000
    );
}

fn duplicate_vote(v: &TestValidator, height: u32) -> Misbehavior {
    Misbehavior {
        kind: MisbehaviorKind::DuplicateVote,
        validator: MisValidator {
            address: v.address().as_bytes().try_into().unwrap(),
            power: 10u32.into(),
        },
        height: height.into(),
        time: Time::from_unix_timestamp(T0, 0).unwrap(),
        total_voting_power: 20u32.into(),
    }
}

#[tokio::test]
async fn double_sign_evidence_jails_slashes_by_the_param_burns_and_removes_the_validator() {
    let mut c = Chain::new(2, 2, |g| {
        g["staking"]["params"]["slash_fraction_double_sign"] = serde_json::json!("0.1");
    })
    .await;
    c.block(vec![]).await;
    let supply = c.supply().await;
    // a delegation in the same block runs after the evidence: it is not slashed
    let tx = c.tx(0, vec![delegate(&c, 0, 1, 1_000_000)]).await;
    let block = c
        .block_at(10, vec![tx], &[duplicate_vote(&c.vals[1], 1)])
        .await;
    assert_eq!(block.tx_results[0].code, 0, "{}", block.tx_results[0].log);
    assert_eq!(block.validator_updates, vec![update(&c.vals[1], 0)]);
    let slash = block.events.iter().find(|e| e.kind == "slash").unwrap();
    let burned = slash
        .attributes
        .iter()
        .find(|a| a.key_bytes() == b"burned_coins")
        .unwrap();
    assert_eq!(burned.value_str().unwrap(), "1000000uhub");
    assert_eq!(c.supply().await, supply - 1_000_000);
    let v = c.validator(1).await;
    assert!(v.jailed);
    assert_eq!(v.status, pb::BondStatus::Unbonded as i32);
    assert_eq!(v.tokens, "10000000", "10 × 10^6 − 10 % + the later 10^6");
    assert_eq!(
        c.balance(&hub_staking::bank::bonded_pool()).await,
        10_000_000,
        "only the honest validator's tokens stay bonded"
    );
    // the same evidence again, and evidence of an unknown validator: ignored
    let again = c
        .block_at(
            20,
            vec![],
            &[
                duplicate_vote(&c.vals[1], 1),
                duplicate_vote(&TestValidator::new("nobody", 1), 1),
            ],
        )
        .await;
    assert!(again.validator_updates.is_empty());
    assert!(!again.events.iter().any(|e| e.kind == "slash"));
    assert_eq!(c.supply().await, supply - 1_000_000);
    // a jailed validator stays out even if delegated to
    let (r, block) = c.run(0, delegate(&c, 0, 1, 50_000_000)).await;
    ok(&r);
    assert!(block.validator_updates.is_empty());
}

#[tokio::test]
async fn bad_staking_inputs_fail_with_typed_errors_and_change_nothing() {
    let mut c = Chain::new(3, 1, |_| {}).await;
    let k = TestValidator::new("fresh", 0);
    let cases: Vec<(usize, Any, (&str, u32))> = vec![
        // more than the delegator holds: the SDK's insufficient funds
        (1, delegate(&c, 1, 0, RICH * 2), ("sdk", 5)),
        // to an account that runs no validator
        (1, delegate(&c, 1, 2, 1_000), ("staking", 3)),
        // another chain's operator prefix
        (
            1,
            delegate_to(c.keys[1].hub(), c.addr(0).to_bech32("hub"), 1),
            ("sdk", 7),
        ),
        // a secp256k1 consensus key, a 31-byte key, no key
        (
            2,
            create_validator(
                &c,
                2,
                pubkey_any("/cosmos.crypto.secp256k1.PubKey", &[2; 33]),
                1_000_000,
                1,
            ),
            ("staking", 6),
        ),
        (
            2,
            create_validator(
                &c,
                2,
                pubkey_any("/cosmos.crypto.ed25519.PubKey", &[2; 31]),
                1_000_000,
                1,
            ),
            ("sdk", 8),
        ),
        // self-delegation below the declared minimum
        (
            2,
            create_validator(&c, 2, ed25519(&k), 1_000_000, 2_000_000),
            ("staking", 16),
        ),
        // undelegating without a delegation, or more than delegated
        (2, undelegate(&c, 2, 0, 1_000), ("staking", 19)),
        (0, undelegate(&c, 0, 0, 10_000_001), ("staking", 24)),
    ];
    for (who, msg, want) in cases {
        let supply = c.supply().await;
        let (r, block) = c.run(who, msg).await;
        assert_eq!((r.0.as_str(), r.1), want, "{}", r.2);
        assert!(block.validator_updates.is_empty());
        assert_eq!(c.supply().await, supply);
    }
    assert_eq!(c.validator(0).await.tokens, "10000000");
    let missing = c
        .query::<_, pb::QueryValidatorResponse>(
            "Validator",
            &pb::QueryValidatorRequest {
                validator_addr: c.valoper(2),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(missing, ("sdk".to_string(), 38));
}

#[tokio::test]
async fn edit_validator_changes_description_and_enforces_commission_rules() {
    let mut c = Chain::new(1, 1, |_| {}).await;
    let operator = c.valoper(0);
    let edit = |rate: &str, min: &str, moniker: &str| Any {
        type_url: "/cosmos.staking.v1beta1.MsgEditValidator".into(),
        value: pb::MsgEditValidator {
            description: Some(pb::Description {
                moniker: moniker.into(),
                identity: "[do-not-modify]".into(),
                website: "https://example.org".into(),
                security_contact: "[do-not-modify]".into(),
                details: "[do-not-modify]".into(),
            }),
            validator_address: operator.clone(),
            commission_rate: rate.into(),
            min_self_delegation: min.into(),
        }
        .encode_to_vec(),
    };
    // genesis commission: 10 %, max 20 %, max change 1 %/day, last changed at the epoch
    let (r, _) = c.run(0, edit("0.105", "5", "renamed")).await;
    ok(&r);
    let v = c.validator(0).await;
    assert_eq!(v.description.as_ref().unwrap().moniker, "renamed");
    assert_eq!(
        v.description.as_ref().unwrap().website,
        "https://example.org"
    );
    assert_eq!(
        v.commission.unwrap().commission_rates.unwrap().rate,
        "0.105000000000000000"
    );
    assert_eq!(v.min_self_delegation, "5");
    // again within 24 h: refused
    let (r, _) = c.run(0, edit("0.11", "", "[do-not-modify]")).await;
    assert_eq!((r.0.as_str(), r.1), ("staking", 12), "{}", r.2);
    let (r, _) = c.run(0, edit("", "4", "[do-not-modify]")).await;
    assert_eq!((r.0.as_str(), r.1), ("staking", 17), "{}", r.2);
    let (r, _) = c.run(0, edit("", "", "[do-not-modify]")).await;
    ok(&r);
    assert_eq!(c.validator(0).await.description.unwrap().moniker, "renamed");
}
