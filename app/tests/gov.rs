//! Governance through the in-process ABCI path: signed txs submit, vote, and a passed
//! proposal executes at the end of its voting period (no CometBFT).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::gov::gov_genesis;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use cosmos_sdk_proto::cosmos::gov::v1 as pb;
use cosmos_sdk_proto::Any;
use hub_app::{app::App, query::QueryService, ChainConfig};
use hub_testkit::{app_state, first_attr, msg_send, TestKey, TxSpec};
use prost::Message;
use tendermint::abci::Event;
use tendermint::Time;

const RICH: u128 = 1_000_000_000;
const T0: i64 = 1_700_000_000;

struct Chain {
    _dir: tempfile::TempDir,
    app: App,
    queries: QueryService,
    height: u64,
    now: i64,
    /// alice, bob, … (index = `who`); alice operates the first validator.
    keys: Vec<TestKey>,
    seqs: Vec<u64>,
}

struct Block {
    txs: Vec<(u32, String, Vec<Event>)>,
    events: Vec<Event>,
}

fn gov() -> String {
    hub_auth::Address::module("gov").to_bech32("hub")
}

impl Chain {
    async fn new() -> Self {
        Self::with(&["alice"], 1, |_| {}).await
    }

    /// A chain with accounts `names` (each holding [`RICH`] uhub), the first `validators` of
    /// them operating a validator of power 10, and gov params for short periods; `edit` may
    /// change the genesis app state before InitChain.
    async fn with(
        names: &[&str],
        validators: usize,
        edit: impl FnOnce(&mut serde_json::Value),
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let keys: Vec<TestKey> = names.iter().map(|n| TestKey::new(n)).collect();
        let mut app = App::load(&dir.path().join("db"), ChainConfig::hub())
            .await
            .unwrap();
        let accounts: Vec<(String, u128)> = keys.iter().map(|k| (k.hub(), RICH)).collect();
        let cons: Vec<[u8; 32]> = (1..=validators as u8).map(|i| [i; 32]).collect();
        let mut genesis = app_state(&accounts, &cons);
        // The gov account holds 100uhub that a proposal may spend.
        genesis["bank"]["balances"].as_array_mut().unwrap().push(
            serde_json::json!({"address": gov(), "coins": [{"denom": "uhub", "amount": "100"}]}),
        );
        genesis["gov"] = gov_genesis();
        edit(&mut genesis);
        app.init_chain("hub-1", genesis.to_string().as_bytes(), 1)
            .await
            .unwrap();
        let queries = QueryService::new(app.storage(), ChainConfig::hub());
        Chain {
            _dir: dir,
            app,
            queries,
            height: 0,
            now: T0,
            seqs: vec![0; keys.len()],
            keys,
        }
    }

    fn alice(&self) -> String {
        self.keys[0].hub()
    }

    /// A tx of `msgs` signed by account `who`.
    fn tx_from(&mut self, who: usize, msgs: Vec<Any>) -> Vec<u8> {
        let mut spec = TxSpec::new(msgs);
        spec.sequence = self.seqs[who];
        // genesis accounts are numbered in the order they are listed
        spec.account_number = who as u64;
        self.seqs[who] += 1;
        spec.sign(&self.keys[who])
    }

    fn tx(&mut self, msg: Any) -> Vec<u8> {
        self.tx_from(0, vec![msg])
    }

    async fn block(&mut self, secs: i64, txs: Vec<Vec<u8>>) -> Block {
        self.height += 1;
        self.now += secs;
        let time = Time::from_unix_timestamp(self.now, 0).unwrap();
        let r = self
            .app
            .finalize_block(self.height, time, &txs, &[])
            .await
            .unwrap();
        self.app.commit().await.unwrap();
        self.queries.history().record(&self.app.storage());
        Block {
            txs: r
                .tx_results
                .into_iter()
                .map(|o| (o.code, o.log, o.events))
                .collect(),
            events: r.events,
        }
    }

    async fn query<Req: Message, Resp: Message + Default>(&self, path: &str, req: &Req) -> Resp {
        common::abci_query(&self.queries, path, req).await
    }

    async fn balance(&self, who: &str) -> u128 {
        let r: cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceResponse = self
            .query(
                "/cosmos.bank.v1beta1.Query/Balance",
                &cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceRequest {
                    address: who.into(),
                    denom: "uhub".into(),
                },
            )
            .await;
        r.balance.unwrap().amount.parse().unwrap()
    }

    /// The live tally of proposal `id`.
    async fn tally(&self, id: u64) -> pb::TallyResult {
        let r: pb::QueryTallyResultResponse = self
            .query(
                "/cosmos.gov.v1.Query/TallyResult",
                &pb::QueryTallyResultRequest { proposal_id: id },
            )
            .await;
        r.tally.unwrap()
    }

    async fn proposal(&self, id: u64) -> pb::Proposal {
        let r: pb::QueryProposalResponse = self
            .query(
                "/cosmos.gov.v1.Query/Proposal",
                &pb::QueryProposalRequest { proposal_id: id },
            )
            .await;
        r.proposal.unwrap()
    }
}

#[tokio::test]
async fn a_proposal_submitted_in_a_signed_tx_passes_and_executes_at_the_end_of_voting() {
    let mut c = Chain::new().await;
    let bob = TestKey::new("bob").hub();
    let alice = c.alice();
    let pay = msg_send(&gov(), &bob, "7", "uhub");
    let summary = "send 7uhub from the gov account to bob";
    let tx = c.tx(proposal(&alice, vec![pay], true, "pay bob", summary));
    let b = c.block(1, vec![tx]).await;
    let (code, log, events) = &b.txs[0];
    assert_eq!(*code, 0, "{log}");
    assert_eq!(
        first_attr(events, "submit_proposal", "proposal_id").as_deref(),
        Some("1")
    );
    assert_eq!(
        first_attr(events, "submit_proposal", "voting_period_start").as_deref(),
        Some("1")
    );
    assert_eq!(
        first_attr(events, "message", "module").as_deref(),
        Some("gov")
    );
    assert_eq!(
        c.proposal(1).await.status,
        pb::ProposalStatus::VotingPeriod as i32
    );

    let yes = c.tx(vote(&alice, 1, pb::VoteOption::Yes));
    let b = c.block(1, vec![yes]).await;
    assert_eq!(b.txs[0].0, 0, "{}", b.txs[0].1);
    // alice operates the only validator (10 000 000 uhub bonded): the live tally shows it
    assert_eq!(c.tally(1).await.yes_count, "10000000");
    assert_eq!(c.balance(&bob).await, 0);

    // the voting period (10 s from the submission block) ends in this block
    let b = c.block(9, vec![]).await;
    assert_eq!(proposal_result(&b).as_deref(), Some("proposal_passed"));
    let p = c.proposal(1).await;
    assert_eq!(p.status, pb::ProposalStatus::Passed as i32);
    assert_eq!(c.balance(&bob).await, 7);
    assert_eq!(c.balance(&gov()).await, 93);
    let props: pb::QueryProposalsResponse = c
        .query(
            "/cosmos.gov.v1.Query/Proposals",
            &pb::QueryProposalsRequest {
                proposal_status: pb::ProposalStatus::Passed as i32,
                ..Default::default()
            },
        )
        .await;
    assert_eq!(props.proposals.len(), 1);
    let params: pb::QueryParamsResponse = c
        .query(
            "/cosmos.gov.v1.Query/Params",
            &pb::QueryParamsRequest::default(),
        )
        .await;
    assert_eq!(params.params.unwrap().voting_period.unwrap().seconds, 10);
}

#[tokio::test]
async fn a_proposal_spending_a_user_account_is_refused_in_its_tx() {
    let mut c = Chain::new().await;
    let bob = TestKey::new("bob").hub();
    let alice = c.alice();
    let theft = msg_send(&alice, &bob, "7", "uhub");
    let tx = c.tx(proposal(&alice, vec![theft], false, "t", "s"));
    let b = c.block(1, vec![tx]).await;
    assert_eq!(b.txs[0].0, 13, "{}", b.txs[0].1);
    let a = c
        .queries
        .abci_query(
            "/cosmos.gov.v1.Query/Proposal",
            &pb::QueryProposalRequest { proposal_id: 1 }.encode_to_vec(),
            0,
            false,
        )
        .await;
    assert_eq!((a.code, a.codespace.as_str()), (38, "sdk"));
}

/// `MsgSubmitProposal` by `proposer` of `messages`, titled `title` and `summary`, with the
/// full 1000uhub deposit (`deposit`) or none.
fn proposal(proposer: &str, messages: Vec<Any>, deposit: bool, title: &str, summary: &str) -> Any {
    let initial_deposit = if deposit {
        vec![Coin {
            denom: "uhub".into(),
            amount: "1000".into(),
        }]
    } else {
        vec![]
    };
    Any {
        type_url: "/cosmos.gov.v1.MsgSubmitProposal".into(),
        value: pb::MsgSubmitProposal {
            messages,
            initial_deposit,
            proposer: proposer.into(),
            metadata: String::new(),
            title: title.into(),
            summary: summary.into(),
            expedited: false,
        }
        .encode_to_vec(),
    }
}

/// `MsgSubmitProposal` by `proposer` of one message paying 7uhub from the gov account to
/// `to`, with the full 1000uhub deposit.
fn pay_proposal(proposer: &str, to: &str) -> Any {
    let pay = msg_send(&gov(), to, "7", "uhub");
    proposal(
        proposer,
        vec![pay],
        true,
        "pay",
        "send 7uhub from the gov account",
    )
}

fn vote(voter: &str, id: u64, option: pb::VoteOption) -> Any {
    Any {
        type_url: "/cosmos.gov.v1.MsgVote".into(),
        value: pb::MsgVote {
            proposal_id: id,
            voter: voter.into(),
            option: option as i32,
            metadata: String::new(),
        }
        .encode_to_vec(),
    }
}

/// The `proposal_result` of the proposal whose voting period ended in `b`.
fn proposal_result(b: &Block) -> Option<String> {
    first_attr(&b.events, "active_proposal", "proposal_result")
}

fn assert_ok(b: &Block) {
    for (code, log, _) in &b.txs {
        assert_eq!(*code, 0, "{log}");
    }
}

#[tokio::test]
async fn a_delegators_vote_counts_with_its_delegated_stake_and_overrides_its_validators() {
    let mut c = Chain::with(&["alice", "bob"], 1, |_| {}).await;
    let (alice, bob) = (c.alice(), c.keys[1].hub());
    let valoper = hub_auth::Address::from_bech32(&alice, "hub")
        .unwrap()
        .to_bech32("hubvaloper");
    // bob delegates 30 000 000 uhub to alice's validator (10 000 000 self-bonded)
    let delegate = Any {
        type_url: "/cosmos.staking.v1beta1.MsgDelegate".into(),
        value: cosmos_sdk_proto::cosmos::staking::v1beta1::MsgDelegate {
            delegator_address: bob.clone(),
            validator_address: valoper,
            amount: Some(Coin {
                denom: "uhub".into(),
                amount: "30000000".into(),
            }),
        }
        .encode_to_vec(),
    };
    let tx = c.tx_from(1, vec![delegate]);
    let b = c.block(1, vec![tx]).await;
    assert_ok(&b);
    let tx = c.tx_from(0, vec![pay_proposal(&alice, &bob)]);
    let b = c.block(1, vec![tx]).await;
    assert_ok(&b);
    let yes = c.tx_from(0, vec![vote(&alice, 1, pb::VoteOption::Yes)]);
    let no = c.tx_from(1, vec![vote(&bob, 1, pb::VoteOption::No)]);
    let b = c.block(1, vec![yes, no]).await;
    assert_ok(&b);
    let t = c.tally(1).await;
    // bob's 30 000 000 is deducted from the validator: alice's yes keeps only her own stake
    assert_eq!(
        (t.yes_count.as_str(), t.no_count.as_str()),
        ("10000000", "30000000")
    );

    let b = c.block(9, vec![]).await;
    assert_eq!(proposal_result(&b).as_deref(), Some("proposal_rejected"));
    let p = c.proposal(1).await;
    assert_eq!(p.status, pb::ProposalStatus::Rejected as i32);
    assert_eq!(p.final_tally_result.unwrap().no_count, "30000000");
    assert_eq!(
        c.balance(&gov()).await,
        100,
        "nothing paid, deposit refunded"
    );
}

#[tokio::test]
async fn a_tally_that_would_overflow_fails_the_proposal_and_the_chain_goes_on() {
    // Two validators of 2 × 10^20 uhub each: their yes votes add up beyond 2^128 in the
    // 18-decimal tally.
    let mut c = Chain::with(&["alice", "bob"], 2, |g| {
        for v in g["staking"]["validators"].as_array_mut().unwrap() {
            v["power"] = serde_json::json!("200000000000000");
        }
    })
    .await;
    let (alice, bob) = (c.alice(), c.keys[1].hub());
    let tx = c.tx_from(0, vec![pay_proposal(&alice, &bob)]);
    let b = c.block(1, vec![tx]).await;
    assert_ok(&b);
    let yes_a = c.tx_from(0, vec![vote(&alice, 1, pb::VoteOption::Yes)]);
    let yes_b = c.tx_from(1, vec![vote(&bob, 1, pb::VoteOption::Yes)]);
    let b = c.block(1, vec![yes_a, yes_b]).await;
    assert_ok(&b);
    assert_eq!(c.balance(&gov()).await, 1100);

    let b = c.block(9, vec![]).await;
    assert_eq!(proposal_result(&b).as_deref(), Some("proposal_failed"));
    let p = c.proposal(1).await;
    assert_eq!(p.status, pb::ProposalStatus::Failed as i32);
    assert!(p.failed_reason.contains("overflow"), "{}", p.failed_reason);
    assert_eq!(
        c.balance(&gov()).await,
        100,
        "deposit refunded, nothing paid"
    );
    // the chain goes on: the next block commits and a tx in it succeeds
    let tx = c.tx_from(0, vec![msg_send(&alice, &bob, "1", "uhub")]);
    let b = c.block(1, vec![tx]).await;
    assert_ok(&b);
}

/// `ibc.applications.transfer.v1.MsgUpdateParams` by `signer`: sending off, receiving on.
fn transfer_params_update(signer: &str) -> Any {
    use ibc_proto::ibc::applications::transfer::v1 as tpb;
    Any {
        type_url: "/ibc.applications.transfer.v1.MsgUpdateParams".into(),
        value: tpb::MsgUpdateParams {
            signer: signer.into(),
            params: Some(tpb::Params {
                send_enabled: false,
                receive_enabled: true,
            }),
        }
        .encode_to_vec(),
    }
}

async fn transfer_params(c: &Chain) -> ibc_proto::ibc::applications::transfer::v1::Params {
    use ibc_proto::ibc::applications::transfer::v1 as tpb;
    let r: tpb::QueryParamsResponse = c
        .query(
            "/ibc.applications.transfer.v1.Query/Params",
            &tpb::QueryParamsRequest::default(),
        )
        .await;
    r.params.unwrap()
}

/// The ICS-20 brake belongs to governance: a user who signs the transfer module's
/// `MsgUpdateParams` himself is refused (`ibc`/2, as ibc-go), and a passed proposal carrying it
/// turns sending off.
#[tokio::test]
async fn only_a_passed_proposal_turns_ics20_sending_off() {
    let mut c = Chain::new().await;
    let alice = c.alice();
    let tx = c.tx(transfer_params_update(&alice));
    let b = c.block(1, vec![tx]).await;
    let (code, log, _) = &b.txs[0];
    assert_eq!(*code, 2, "{log}");
    assert!(log.contains("expected"), "{log}");
    c.seqs[0] -= 1; // refused before the ante: alice's sequence did not move
    assert!(transfer_params(&c).await.send_enabled);

    let brake = vec![transfer_params_update(&gov())];
    let submit = c.tx(proposal(&alice, brake, true, "brake", "stop ICS-20 sends"));
    assert_ok(&c.block(1, vec![submit]).await);
    let v = c.tx(vote(&alice, 1, pb::VoteOption::Yes));
    assert_ok(&c.block(1, vec![v]).await);
    let b = c.block(9, vec![]).await;
    assert_eq!(proposal_result(&b).as_deref(), Some("proposal_passed"));
    let p = transfer_params(&c).await;
    assert!(!p.send_enabled && p.receive_enabled, "{p:?}");
}
