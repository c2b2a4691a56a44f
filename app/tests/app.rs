//! App tests through the in-process ABCI driver: genesis → blocks → txs → queries, with real
//! signatures and real proofs (no CometBFT).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::abci_query;
use hub_app::mempool::{CheckKind, Mempool, SharedMempool};
use hub_app::{app::App, exec::TxOutcome, query::QueryService, ChainConfig};
use hub_framework::cnidarium::TempStorage;
use hub_testkit::{app_state, msg_send, TestKey, TxSpec};
use prost::Message;
use tendermint::Time;

const RICH: u128 = 1_000_000_000;

struct Chain {
    _dir: tempfile::TempDir,
    app: App,
    mempool: SharedMempool,
    queries: QueryService,
    height: u64,
    alice: TestKey,
    bob: TestKey,
}

impl Chain {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (alice, bob) = (TestKey::new("alice"), TestKey::new("bob"));
        let mut app = App::load(&dir.path().join("db"), ChainConfig::hub())
            .await
            .unwrap();
        let genesis = app_state(&[(alice.hub(), RICH)], &[[1u8; 32]]);
        app.init_chain("hub-1", genesis.to_string().as_bytes(), 1)
            .await
            .unwrap();
        let storage = app.storage();
        let mempool = Mempool::shared(storage.clone(), ChainConfig::hub());
        Chain {
            _dir: dir,
            mempool: mempool.clone(),
            queries: QueryService::new(storage, ChainConfig::hub()).with_mempool(mempool),
            app,
            height: 0,
            alice,
            bob,
        }
    }

    /// Executes and commits one block; returns each tx's outcome code and log.
    async fn block(&mut self, txs: Vec<Vec<u8>>) -> Vec<(u32, String, String)> {
        let r = self.finalize(txs).await;
        self.commit().await;
        r
    }

    /// FinalizeBlock of the next block, not yet committed.
    async fn finalize(&mut self, txs: Vec<Vec<u8>>) -> Vec<(u32, String, String)> {
        self.height += 1;
        let time = Time::from_unix_timestamp(1_700_000_000 + self.height as i64, 0).unwrap();
        let r = self
            .app
            .finalize_block(self.height, time, &txs, &[])
            .await
            .unwrap();
        r.tx_results
            .into_iter()
            .map(|o| (o.code, o.codespace.to_string(), o.log))
            .collect()
    }

    /// Commit of the block FinalizeBlock executed.
    async fn commit(&mut self) {
        self.app.commit().await.unwrap();
        // What `hubd start` does after every commit.
        self.queries.history().record(&self.app.storage());
    }

    async fn balance(&self, who: &str) -> u128 {
        let req = cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceRequest {
            address: who.into(),
            denom: "uhub".into(),
        };
        let path = "/cosmos.bank.v1beta1.Query/Balance";
        let resp: cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceResponse =
            abci_query(&self.queries, path, &req).await;
        resp.balance.unwrap().amount.parse().unwrap()
    }

    async fn sequence(&self, who: &TestKey) -> u64 {
        let req =
            cosmos_sdk_proto::cosmos::auth::v1beta1::QueryAccountRequest { address: who.hub() };
        let path = "/cosmos.auth.v1beta1.Query/Account";
        let resp: cosmos_sdk_proto::cosmos::auth::v1beta1::QueryAccountResponse =
            abci_query(&self.queries, path, &req).await;
        let any = resp.account.unwrap();
        assert_eq!(any.type_url, "/cosmos.auth.v1beta1.BaseAccount");
        cosmos_sdk_proto::cosmos::auth::v1beta1::BaseAccount::decode(any.value.as_slice())
            .unwrap()
            .sequence
    }

    fn send(&self, amount: &str, seq: u64) -> Vec<u8> {
        let mut spec = TxSpec::new(vec![msg_send(
            &self.alice.hub(),
            &self.bob.hub(),
            amount,
            "uhub",
        )]);
        spec.sequence = seq;
        spec.sign(&self.alice)
    }

    async fn simulate(&self, tx_bytes: Vec<u8>) -> hub_app::query::QueryAnswer {
        let req = cosmos_sdk_proto::cosmos::tx::v1beta1::SimulateRequest {
            tx_bytes,
            ..Default::default()
        };
        self.queries
            .abci_query(
                "/cosmos.tx.v1beta1.Service/Simulate",
                &req.encode_to_vec(),
                0,
                false,
            )
            .await
    }

    /// CheckTx of `tx` on the node's mempool.
    async fn check(&self, tx: &[u8], kind: CheckKind) -> TxOutcome {
        self.mempool.lock().await.check_tx(tx, kind).await
    }

    async fn app_hash(&self) -> Vec<u8> {
        self.app.info().await.unwrap().1
    }
}

#[tokio::test]
async fn a_signed_send_moves_coins_and_charges_the_fee() {
    let mut c = Chain::new().await;
    let res = c.block(vec![c.send("500", 0)]).await;
    assert_eq!(res[0].0, 0, "{:?}", res[0]);
    assert_eq!(c.balance(&c.bob.hub()).await, 500);
    assert_eq!(c.balance(&c.alice.hub()).await, RICH - 500 - 1_000);
    assert_eq!(c.sequence(&c.alice).await, 1);
    let collector = hub_auth::Address::module("fee_collector").to_bech32("hub");
    assert_eq!(c.balance(&collector).await, 1_000);
}

#[tokio::test]
async fn bad_txs_fail_with_their_own_codes_and_change_nothing() {
    let mut c = Chain::new().await;
    let a = c.alice.hub();
    let b = c.bob.hub();
    let other = TestKey::new("mallory");
    let base = || TxSpec::new(vec![msg_send(&a, &b, "5", "uhub")]);
    let mut unknown = base();
    unknown.msgs = vec![cosmos_sdk_proto::Any {
        type_url: "/cosmos.gov.v1beta1.MsgVote".into(),
        value: vec![],
    }];
    let mut wrong_chain = base();
    wrong_chain.chain_id = "other-1".into();
    let mut wrong_accnum = base();
    wrong_accnum.account_number = 7;
    let mut future_seq = base();
    future_seq.sequence = 3;
    let mut low_fee = base();
    low_fee.fee = 10;
    let mut big_memo = base();
    big_memo.memo = "x".repeat(300);
    let mut huge = base();
    huge.memo = "y".repeat(200);
    huge.msgs = vec![msg_send(&a, &b, "5", "uhub"); 700];
    let cases: Vec<(&str, Vec<u8>, &str, u32)> = vec![
        ("undecodable bytes", vec![1, 2, 3, 4, 5], "sdk", 2),
        ("unknown message type", unknown.sign(&c.alice), "sdk", 6),
        (
            "signature by another key",
            base().sign_as(&c.alice, &other),
            "sdk",
            4,
        ),
        ("another key for the signer", base().sign(&other), "sdk", 8),
        ("wrong chain id", wrong_chain.sign(&c.alice), "sdk", 4),
        (
            "wrong account number",
            wrong_accnum.sign(&c.alice),
            "sdk",
            4,
        ),
        ("future sequence", future_seq.sign(&c.alice), "sdk", 32),
        ("insufficient fee", low_fee.sign(&c.alice), "sdk", 13),
        ("memo too large", big_memo.sign(&c.alice), "sdk", 12),
        (
            "zero amount",
            TxSpec::new(vec![msg_send(&a, &b, "0", "uhub")]).sign(&c.alice),
            "sdk",
            10,
        ),
        (
            "negative amount",
            TxSpec::new(vec![msg_send(&a, &b, "-5", "uhub")]).sign(&c.alice),
            "sdk",
            10,
        ),
        (
            "overflowing amount",
            TxSpec::new(vec![msg_send(
                &a,
                &b,
                "340282366920938463463374607431768211456",
                "uhub",
            )])
            .sign(&c.alice),
            "sdk",
            10,
        ),
        (
            "invalid bech32",
            TxSpec::new(vec![msg_send(&a, "hub1qqqqqq", "5", "uhub")]).sign(&c.alice),
            "sdk",
            7,
        ),
        ("tx over the size limit", huge.sign(&c.alice), "sdk", 21),
    ];
    let before = c.app_hash().await;
    for (name, tx, space, code) in cases {
        let check = c.check(&tx, CheckKind::New).await;
        assert_eq!(
            (check.codespace, check.code),
            (space, code),
            "{name}: CheckTx {}",
            check.log
        );
        assert!(!check.log.is_empty(), "{name}: empty log");
        let res = c.block(vec![tx]).await;
        assert_eq!(
            (res[0].1.as_str(), res[0].0),
            (space, code),
            "{name}: FinalizeBlock {}",
            res[0].2
        );
    }
    // every block above executed only rejected txs: balances and sequence untouched
    assert_eq!(c.balance(&a).await, RICH);
    assert_eq!(c.sequence(&c.alice).await, 0);
    assert_eq!(c.balance(&b).await, 0);
    let _ = before;
}

#[tokio::test]
async fn a_failing_message_keeps_the_fee_and_the_sequence_increment() {
    let mut c = Chain::new().await;
    let res = c.block(vec![c.send(&(RICH * 2).to_string(), 0)]).await;
    assert_eq!((res[0].1.as_str(), res[0].0), ("sdk", 5), "{}", res[0].2);
    assert!(res[0].2.contains("smaller than"), "{}", res[0].2);
    assert_eq!(c.sequence(&c.alice).await, 1);
    assert_eq!(c.balance(&c.alice.hub()).await, RICH - 1_000);
    assert_eq!(c.balance(&c.bob.hub()).await, 0);
    // the sequence is now 1: a stale tx signed with 0 is refused with code 32
    let res = c.block(vec![c.send("1", 0)]).await;
    assert_eq!((res[0].1.as_str(), res[0].0), ("sdk", 32));
    assert!(res[0].2.contains("expected 1, got 0"), "{}", res[0].2);
}

#[tokio::test]
async fn several_pending_txs_of_one_account_pass_check_tx() {
    let mut c = Chain::new().await;
    for seq in 0..3 {
        let o: TxOutcome = c.check(&c.send("1", seq), CheckKind::New).await;
        assert_eq!(o.code, 0, "seq {seq}: {}", o.log);
    }
    let o = c.check(&c.send("1", 5), CheckKind::New).await;
    assert_eq!(o.code, 32);
    // after a commit the check-state restarts from the committed state
    let res = c.block(vec![c.send("1", 0), c.send("1", 1)]).await;
    assert!(res.iter().all(|r| r.0 == 0), "{res:?}");
    assert_eq!(c.check(&c.send("1", 2), CheckKind::New).await.code, 0);
    assert_eq!(c.check(&c.send("1", 1), CheckKind::New).await.code, 32);
}

/// Asserts that every outcome is a success.
fn all_ok(what: &str, outcomes: &[TxOutcome]) {
    for (i, o) in outcomes.iter().enumerate() {
        assert_eq!(
            (o.codespace, o.code),
            ("", 0),
            "{what}: tx {i} refused: {}",
            o.log
        );
    }
}

#[tokio::test]
async fn no_false_sequence_mismatch_when_check_tx_interleaves_with_blocks() {
    // The orders CometBFT v0.38 can produce on the mempool connection against the consensus
    // connection: CheckTx runs concurrently with FinalizeBlock, never with Commit; after a
    // commit every tx left in the mempool is rechecked before any new tx is checked.
    use CheckKind::{New, Recheck};
    let mut c = Chain::new().await;
    let tx: Vec<Vec<u8>> = (0..8).map(|seq| c.send("1", seq)).collect();

    // Back to back, nothing committed yet.
    all_ok(
        "back to back",
        &[c.check(&tx[0], New).await, c.check(&tx[1], New).await],
    );
    // A block without them (another proposer had not heard of them); a new tx arrives while
    // it executes; then the commit and the recheck of all three.
    c.finalize(vec![]).await;
    all_ok("during FinalizeBlock", &[c.check(&tx[2], New).await]);
    c.commit().await;
    all_ok(
        "recheck after an empty block",
        &[
            c.check(&tx[0], Recheck).await,
            c.check(&tx[1], Recheck).await,
            c.check(&tx[2], Recheck).await,
        ],
    );
    assert_eq!(c.sequence(&c.alice).await, 0);

    // A block with the first two; one more arrives during its execution; the rest rechecked.
    let res = c.finalize(vec![tx[0].clone(), tx[1].clone()]).await;
    assert!(res.iter().all(|r| r.0 == 0), "{res:?}");
    all_ok("during FinalizeBlock", &[c.check(&tx[3], New).await]);
    c.commit().await;
    assert_eq!(c.sequence(&c.alice).await, 2, "the query sees the commit");
    all_ok(
        "recheck of the rest",
        &[
            c.check(&tx[2], Recheck).await,
            c.check(&tx[3], Recheck).await,
        ],
    );
    all_ok("new after the recheck", &[c.check(&tx[4], New).await]);

    // A block with everything pending: nothing is rechecked, the next tx follows the block.
    let res = c.block(tx[2..5].to_vec()).await;
    assert!(res.iter().all(|r| r.0 == 0), "{res:?}");
    assert_eq!(c.sequence(&c.alice).await, 5);
    all_ok("first after a full block", &[c.check(&tx[5], New).await]);

    // A Simulate is the first to see a new commit (it rebuilds the check-state); the recheck
    // then replays onto the rebuilt state and the next tx follows it.
    c.block(vec![]).await;
    let sim = c.simulate(tx[6].clone()).await;
    assert_eq!(sim.code, 0, "{}", sim.log);
    all_ok(
        "recheck after a simulate",
        &[c.check(&tx[5], Recheck).await, c.check(&tx[6], New).await],
    );
    // A real mismatch is still refused: a sequence already used, and one that skips ahead.
    assert_eq!(c.check(&tx[6], New).await.code, 32);
    assert_eq!(c.check(&c.send("2", 9), New).await.code, 32);
    let res = c.block(tx[5..7].to_vec()).await;
    assert!(res.iter().all(|r| r.0 == 0), "{res:?}");
    assert_eq!(c.sequence(&c.alice).await, 7);
}

#[tokio::test]
async fn a_recheck_does_not_verify_the_signature_again_but_checks_the_sequence() {
    // The Cosmos SDK skips signature verification on ReCheckTx: only bytes that passed a
    // new CheckTx are in the mempool, and they cannot have changed.
    let mut c = Chain::new().await;
    // A tx made stale by a block (its sequence used by another tx) fails its recheck.
    let stale = c.send("1", 0);
    assert_eq!(c.check(&stale, CheckKind::New).await.code, 0);
    c.block(vec![c.send("2", 0)]).await;
    let re = c.check(&stale, CheckKind::Recheck).await;
    assert_eq!((re.codespace, re.code), ("sdk", 32), "{}", re.log);
    // A bad signature is refused when new; the recheck path does not look at it.
    let mut forged = c.send("1", 1);
    let n = forged.len();
    forged[n - 1] ^= 1;
    let new = c.check(&forged, CheckKind::New).await;
    assert_eq!((new.codespace, new.code), ("sdk", 4), "{}", new.log);
    let re = c.check(&forged, CheckKind::Recheck).await;
    assert_eq!(re.code, 0, "{}", re.log);
    // Block execution verifies it, whatever the mempool did.
    let res = c.block(vec![forged]).await;
    assert_eq!((res[0].1.as_str(), res[0].0), ("sdk", 4), "{:?}", res[0]);
}

fn verify(
    spec: &ics23::ProofSpec,
    proof: &[u8],
    root: &[u8],
    key: &[u8],
    value: Option<&[u8]>,
) -> bool {
    let p = ics23::CommitmentProof::decode(proof).unwrap();
    match value {
        Some(v) => ics23::verify_membership::<ics23::HostFunctionsManager>(
            &p,
            spec,
            &root.to_vec(),
            key,
            v,
        ),
        None => ics23::verify_non_membership::<ics23::HostFunctionsManager>(
            &p,
            spec,
            &root.to_vec(),
            key,
        ),
    }
}

#[tokio::test]
async fn store_queries_return_two_level_proofs_that_verify_against_the_app_hash() {
    let mut c = Chain::new().await;
    c.block(vec![c.send("500", 0)]).await;
    let app_hash = c.app_hash().await;
    let spec = hub_framework::cnidarium::ics23_spec();
    let snap = c.app.storage().latest_snapshot();
    let bank_root = snap.prefix_root_hash("bank").await.unwrap().0.to_vec();
    // the outer proof: the bank store's root in the app hash
    let bank_in_app_hash =
        |outer: &[u8]| verify(&spec, outer, &app_hash, b"bank", Some(&bank_root));
    let key = format!("balances/{}/uhub", c.bob.address().to_hex());
    let a = c
        .queries
        .abci_query("store/bank/key", key.as_bytes(), 0, true)
        .await;
    assert_eq!((a.code, a.height), (0, 1), "{}", a.log);
    assert_eq!(a.value, 500u128.to_be_bytes().to_vec());
    let proofs = a.proofs.unwrap();
    assert_eq!(proofs.len(), 2);
    assert!(verify(
        &spec,
        &proofs[0].2,
        &bank_root,
        key.as_bytes(),
        Some(&a.value)
    ));
    assert!(bank_in_app_hash(&proofs[1].2));
    // a proof for other data does not verify
    assert!(!verify(
        &spec,
        &proofs[0].2,
        &bank_root,
        key.as_bytes(),
        Some(&[9u8; 16])
    ));

    // an absent key: code 0, empty value, a non-existence proof plus the outer proof
    let missing = "balances/00/none";
    let a = c
        .queries
        .abci_query("store/bank/key", missing.as_bytes(), 0, true)
        .await;
    assert_eq!(a.code, 0, "{}", a.log);
    assert!(a.value.is_empty());
    let proofs = a.proofs.unwrap();
    assert!(verify(
        &spec,
        &proofs[0].2,
        &bank_root,
        missing.as_bytes(),
        None
    ));
    assert!(bank_in_app_hash(&proofs[1].2));
}

#[tokio::test]
async fn queries_at_past_heights_read_the_state_after_that_block() {
    let mut c = Chain::new().await;
    c.block(vec![c.send("10", 0)]).await;
    c.block(vec![c.send("20", 1)]).await;
    let key = format!("balances/{}/uhub", c.bob.address().to_hex());
    let at1 = c
        .queries
        .abci_query("store/bank/key", key.as_bytes(), 1, false)
        .await;
    let at2 = c
        .queries
        .abci_query("store/bank/key", key.as_bytes(), 2, false)
        .await;
    assert_eq!(at1.value, 10u128.to_be_bytes().to_vec());
    assert_eq!(at2.value, 30u128.to_be_bytes().to_vec());
    let far = c
        .queries
        .abci_query("store/bank/key", key.as_bytes(), 500, false)
        .await;
    assert_eq!((far.codespace.as_str(), far.code), ("sdk", 26));
}

#[tokio::test]
async fn heights_beyond_the_store_cache_stay_queryable_with_proofs() {
    // cnidarium caches 10 snapshots; relayers query further back under load.
    let mut c = Chain::new().await;
    c.block(vec![c.send("10", 0)]).await;
    for _ in 0..20 {
        c.block(vec![]).await;
    }
    let key = format!("balances/{}/uhub", c.bob.address().to_hex());
    let at1 = c
        .queries
        .abci_query("store/bank/key", key.as_bytes(), 1, true)
        .await;
    assert_eq!(at1.code, 0, "{}", at1.log);
    assert_eq!(at1.value, 10u128.to_be_bytes().to_vec());
    assert_eq!(at1.proofs.map(|p| p.len()), Some(2));
    let beyond = c
        .queries
        .abci_query(
            "store/bank/key",
            key.as_bytes(),
            21 + hub_app::query::RETAINED_HEIGHTS,
            false,
        )
        .await;
    assert_eq!((beyond.codespace.as_str(), beyond.code), ("sdk", 26));
}

#[tokio::test]
async fn staking_params_answer_over_abci_query() {
    let c = Chain::new().await;
    let a = c
        .queries
        .abci_query("/cosmos.staking.v1beta1.Query/Params", &[], 0, false)
        .await;
    assert_eq!(a.code, 0, "{}", a.log);
    let p =
        cosmos_sdk_proto::cosmos::staking::v1beta1::QueryParamsResponse::decode(a.value.as_slice())
            .unwrap()
            .params
            .unwrap();
    assert_eq!(p.unbonding_time.unwrap().seconds, 1_814_400);
    assert!(p.historical_entries >= 1);
    let bad = c
        .queries
        .abci_query("/cosmos.nothing.v1.Query/X", &[], 0, false)
        .await;
    assert_eq!((bad.codespace.as_str(), bad.code), ("sdk", 6));
    // A method a module's service does not have, and a request that does not decode, are
    // refused by the module's own route table.
    for service in [
        "/cosmos.bank.v1beta1.Query/",
        "/cosmos.staking.v1beta1.Query/",
        "/cosmos.gov.v1.Query/",
        "/ibc.applications.transfer.v1.Query/",
        "/cosmos.upgrade.v1beta1.Query/",
        "/hub.interchain_upgrade.v1.Query/",
        "/ibc.core.",
    ] {
        let path = format!("{service}Nope");
        let bad = c.queries.abci_query(&path, &[], 0, false).await;
        assert_eq!((bad.codespace.as_str(), bad.code), ("sdk", 6), "{path}");
        assert!(bad.log.contains(&path), "{}", bad.log);
    }
    let garbage = c
        .queries
        .abci_query(
            "/cosmos.bank.v1beta1.Query/Balance",
            &[0xff, 0xff],
            0,
            false,
        )
        .await;
    assert_eq!((garbage.codespace.as_str(), garbage.code), ("sdk", 2));
}

#[tokio::test]
async fn state_survives_a_restart_with_the_same_height_and_hash() {
    let dir = tempfile::tempdir().unwrap();
    let alice = TestKey::new("alice");
    let (h, hash) = {
        let mut app = App::load(&dir.path().join("db"), ChainConfig::hub())
            .await
            .unwrap();
        app.init_chain(
            "hub-1",
            app_state(&[(alice.hub(), RICH)], &[[1u8; 32]])
                .to_string()
                .as_bytes(),
            1,
        )
        .await
        .unwrap();
        let tx = TxSpec::new(vec![msg_send(
            &alice.hub(),
            &TestKey::new("bob").hub(),
            "5",
            "uhub",
        )])
        .sign(&alice);
        app.finalize_block(
            1,
            Time::from_unix_timestamp(1_700_000_000, 0).unwrap(),
            &[tx],
            &[],
        )
        .await
        .unwrap();
        app.commit().await.unwrap();
        // empty blocks too must survive a restart
        for h in 2..=4 {
            app.finalize_block(
                h,
                Time::from_unix_timestamp(1_700_000_000 + h as i64, 0).unwrap(),
                &Vec::<Vec<u8>>::new(),
                &[],
            )
            .await
            .unwrap();
            app.commit().await.unwrap();
        }
        let info = app.info().await.unwrap();
        app.shutdown().await;
        info
    };
    let mut app = App::load(&dir.path().join("db"), ChainConfig::hub())
        .await
        .unwrap();
    assert_eq!(app.info().await.unwrap(), (h, hash.clone()));
    assert_eq!(h, 4);
    // InitChain again (CometBFT crashed before saving its state) does not re-apply genesis
    let (again, _) = app.init_chain("hub-1", b"{}", 1).await.unwrap();
    assert_ne!(again, Vec::<u8>::new());
    // a block that does not follow the committed height is refused
    assert!(app
        .finalize_block(9, Time::unix_epoch(), &Vec::<Vec<u8>>::new(), &[])
        .await
        .is_err());
}

#[tokio::test]
async fn a_malformed_genesis_is_refused_naming_the_field() {
    let storage =
        TempStorage::new_with_prefixes(vec!["auth".into(), "bank".into(), "staking".into()])
            .await
            .unwrap();
    let mut app = App::from_storage(storage.clone(), ChainConfig::hub())
        .await
        .unwrap();
    let mut g = app_state(&[(TestKey::new("a").hub(), 5)], &[[1u8; 32]]);
    g["bank"]["balances"][0]["coins"][0]["amount"] = "-5".into();
    let err = app
        .init_chain("hub-1", g.to_string().as_bytes(), 1)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("app_state.bank.balances[0].coins[0]"),
        "{err}"
    );
    assert_eq!(storage.latest_version(), u64::MAX, "nothing committed");
}

#[tokio::test]
async fn genesis_export_returns_what_init_wrote() {
    let c = Chain::new().await;
    let snap = c.app.storage().latest_snapshot();
    let exported = hub_app::runtime::export_genesis(&snap).await.unwrap();
    let json = serde_json::to_value(&exported).unwrap();
    let original = app_state(&[(c.alice.hub(), RICH)], &[[1u8; 32]]);
    // the bank also holds the genesis validator's 10 × 10^6 tokens in the bonded pool
    let pool = hub_auth::Address::module("bonded_tokens_pool").to_bech32("hub");
    let mut balances = original["bank"]["balances"].as_array().unwrap().clone();
    balances.push(
        serde_json::json!({"address": pool, "coins": [{"denom": "uhub", "amount": "10000000"}]}),
    );
    let mut exported_balances = json["bank"]["balances"].as_array().unwrap().clone();
    let key = |v: &serde_json::Value| v["address"].as_str().unwrap().to_string();
    balances.sort_by_key(key);
    exported_balances.sort_by_key(key);
    assert_eq!(exported_balances, balances);
    // and the bonded pool's module account, created when genesis bonded those tokens
    let mut accounts = original["auth"]["accounts"].as_array().unwrap().clone();
    accounts.push(serde_json::json!({"address": pool}));
    let mut exported_accounts = json["auth"]["accounts"].as_array().unwrap().clone();
    accounts.sort_by_key(key);
    exported_accounts.sort_by_key(key);
    assert_eq!(exported_accounts, accounts);
    // The validator set is exported as the running chain's records, with its reported power.
    assert_eq!(json["staking"]["validators"], serde_json::json!([]));
    assert_eq!(
        json["staking"]["state"]["validators"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        json["staking"]["state"]["last_powers"][0]["power"],
        serde_json::json!("10")
    );
}

#[tokio::test]
async fn simulate_reports_gas_without_checking_the_signature_or_changing_state() {
    let c = Chain::new().await;
    let mut spec = TxSpec::new(vec![msg_send(&c.alice.hub(), &c.bob.hub(), "5", "uhub")]);
    spec.fee = 0; // a client estimates before it knows the fee
    let forged = spec.sign_as(&c.alice, &TestKey::new("someone else"));
    let a = c.simulate(forged).await;
    assert_eq!(a.code, 0, "{}", a.log);
    let resp = cosmos_sdk_proto::cosmos::tx::v1beta1::SimulateResponse::decode(a.value.as_slice())
        .unwrap();
    let gas = resp.gas_info.unwrap();
    assert!(
        gas.gas_used > 10_000 && gas.gas_used < gas.gas_wanted,
        "{gas:?}"
    );
    assert_eq!(c.balance(&c.bob.hub()).await, 0);
    assert_eq!(c.sequence(&c.alice).await, 0);
    // a tx that would fail reports its error
    let a = c.simulate(c.send(&(RICH * 2).to_string(), 0)).await;
    assert_eq!((a.codespace.as_str(), a.code), ("sdk", 5), "{}", a.log);
}

#[tokio::test]
async fn checktx_and_simulate_run_at_the_latest_block_time() {
    // Hermes simulates every MsgUpdateClient; a header is refused as "from the future" when
    // it is more than max_clock_drift past the host's time, so the out-of-block context must
    // carry the latest block's time, not the Unix epoch.
    let mut c = Chain::new().await;
    c.block(vec![]).await;
    c.block(vec![]).await;
    let snap = c.app.storage().latest_snapshot();
    let ctx = hub_app::app::next_block_ctx(&snap, snap.version())
        .await
        .unwrap();
    assert_eq!(ctx.height, 3);
    assert_eq!(
        ctx.time,
        Time::from_unix_timestamp(1_700_000_002, 0).unwrap()
    );
}

#[tokio::test]
async fn node_info_and_config_answer_over_abci_query() {
    let c = Chain::new().await;
    let q = c
        .queries
        .clone()
        .with_node_facts(hub_app::query::NodeFacts {
            app_name: "hubd".into(),
            minimum_gas_prices: "0.001uhub".into(),
        });
    let a = q
        .abci_query("/cosmos.base.node.v1beta1.Service/Config", &[], 0, false)
        .await;
    assert_eq!(a.code, 0, "{}", a.log);
    let config =
        cosmos_sdk_proto::cosmos::base::node::v1beta1::ConfigResponse::decode(a.value.as_slice())
            .unwrap();
    assert_eq!(config.minimum_gas_price, "0.001uhub");
    let a = q
        .abci_query(
            "/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo",
            &[],
            0,
            false,
        )
        .await;
    assert_eq!(a.code, 0, "{}", a.log);
    let info = cosmos_sdk_proto::cosmos::base::tendermint::v1beta1::GetNodeInfoResponse::decode(
        a.value.as_slice(),
    )
    .unwrap()
    .application_version
    .unwrap();
    assert_eq!(info.app_name, "hubd");
    let comet = info
        .build_deps
        .iter()
        .find(|m| m.path == "github.com/cometbft/cometbft")
        .unwrap();
    assert!(comet.version.starts_with("v0.38."), "{comet:?}");
}

#[tokio::test]
async fn simulate_accepts_a_sequence_ahead_of_the_committed_one_but_not_behind() {
    // Hermes signs its next tx while the previous one is still in the mempool, and simulates
    // it against the committed state first.
    let mut c = Chain::new().await;
    c.block(vec![c.send("1", 0)]).await;
    let ahead = c.simulate(c.send("1", 3)).await;
    assert_eq!(ahead.code, 0, "{}", ahead.log);
    let behind = c.simulate(c.send("1", 0)).await;
    assert_eq!(
        (behind.codespace.as_str(), behind.code),
        ("sdk", 32),
        "{}",
        behind.log
    );
    // Block execution still wants the exact sequence.
    let res = c.block(vec![c.send("1", 3)]).await;
    assert_eq!((res[0].1.as_str(), res[0].0), ("sdk", 32), "{:?}", res[0]);
}

/// A chain as [`Chain::new`], whose genesis consensus params set a block gas limit.
async fn chain_with_block_gas(max_gas: u64) -> (tempfile::TempDir, App, TestKey) {
    let dir = tempfile::tempdir().unwrap();
    let alice = TestKey::new("alice");
    let mut app = App::load(&dir.path().join("db"), ChainConfig::hub())
        .await
        .unwrap();
    let genesis = app_state(&[(alice.hub(), RICH)], &[[1u8; 32]]);
    app.init_chain_at(
        "hub-1",
        genesis.to_string().as_bytes(),
        1,
        Time::unix_epoch(),
        Some(max_gas),
    )
    .await
    .unwrap();
    (dir, app, alice)
}

fn send_tx(from: &TestKey, sequence: u64, gas: u64) -> Vec<u8> {
    let mut spec = TxSpec::new(vec![msg_send(&from.hub(), &from.hub(), "1", "uhub")]);
    spec.sequence = sequence;
    spec.gas = gas;
    spec.fee = u128::from(gas / 1000 + 1);
    spec.sign(from)
}

#[tokio::test]
async fn a_block_whose_proposer_included_an_unsigned_tx_is_rejected_by_process_proposal() {
    let (_dir, mut app, alice) = chain_with_block_gas(1_000_000).await;
    let time = Time::from_unix_timestamp(1_700_000_001, 0).unwrap();
    let good = send_tx(&alice, 0, 200_000);
    let next = send_tx(&alice, 1, 200_000);
    app.process_proposal(1, time, &[good.clone(), next.clone()])
        .await
        .unwrap();
    // The proposer signs with another key: the signature does not verify.
    let mut spec = TxSpec::new(vec![msg_send(&alice.hub(), &alice.hub(), "1", "uhub")]);
    spec.sequence = 1;
    spec.fee = 300;
    let forged = spec.sign_as(&alice, &TestKey::new("mallory"));
    let why = app
        .process_proposal(1, time, &[good.clone(), forged])
        .await
        .unwrap_err();
    assert!(why.contains("tx 1") && why.contains("signature"), "{why}");
    // A replayed sequence and an unfunded signer are refused the same way.
    let why = app
        .process_proposal(1, time, &[good.clone(), good.clone()])
        .await
        .unwrap_err();
    assert!(why.contains("sequence"), "{why}");
    let pauper = send_tx(&TestKey::new("pauper"), 0, 200_000);
    let why = app.process_proposal(1, time, &[pauper]).await.unwrap_err();
    assert!(why.contains("tx 0"), "{why}");
    // Nothing of the checks was kept: the honest block still executes.
    let r = app
        .finalize_block(1, time, &[good, next], &[])
        .await
        .unwrap();
    assert!(r.tx_results.iter().all(|o| o.code == 0));
}

#[tokio::test]
async fn proposals_stay_within_the_block_gas_limit() {
    let (_dir, mut app, alice) = chain_with_block_gas(1_000_000).await;
    let time = Time::from_unix_timestamp(1_700_000_001, 0).unwrap();
    let txs: Vec<Vec<u8>> = (0..4).map(|i| send_tx(&alice, i, 300_000)).collect();
    // PrepareProposal stops before the limit...
    let prepared = app.prepare_proposal(txs.clone(), 1 << 20).await.unwrap();
    assert_eq!(prepared.len(), 3);
    app.process_proposal(1, time, &prepared).await.unwrap();
    // ...and ProcessProposal rejects a proposer who does not.
    let why = app.process_proposal(1, time, &txs).await.unwrap_err();
    assert!(why.contains("block gas limit"), "{why}");
}
