//! Proposal lifecycle over in-state fixtures: submit → deposit → vote → tally → execute.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use cosmos_sdk_proto::cosmos::gov::v1 as pb;
use cosmos_sdk_proto::Any;
use hub_auth::Address;
use hub_bank::{BankRead, BankWrite};
use hub_framework::cnidarium::{Snapshot, StateDelta, TempStorage};
use hub_framework::{
    BlockCtx, EndBlocker, GenesisCtx, Handled, Module, ModuleError, ModuleMsg, MsgHandler, TxCtx,
};
use hub_gov::fixture::{FixtureConfig, StakeFixture};
use hub_gov::{module_address, query, Gov, GovGenesis, GovMsg, GovRead, GovWrite, ParamsJson};
use hub_testkit::first_attr;
use hub_testkit::paging::assert_paginates;
use prost::Message;
use tendermint::abci::Event;
use tendermint::Time;

type G = Gov<FixtureConfig>;
const T0: i64 = 1_700_000_000;
const RICH: u128 = 1_000_000_000;
const MIN: u128 = 1_000;

fn addr(n: u8) -> Address {
    Address([n; 20])
}
fn bech(a: Address) -> String {
    a.to_bech32("hub")
}
fn coin(n: u128) -> Vec<Coin> {
    vec![Coin {
        denom: "uhub".into(),
        amount: n.to_string(),
    }]
}
fn any<M: Message>(url: &str, m: &M) -> Any {
    Any {
        type_url: url.into(),
        value: m.encode_to_vec(),
    }
}

/// Validators A (addr 10: 600 tokens, 600 shares; self 500, addr 20 holds 100), B (addr 11:
/// 300, all self), C (addr 12: 100, all self). Total bonded 1000.
struct Net {
    _storage: TempStorage,
    s: StateDelta<Snapshot>,
    now: i64,
}

impl Net {
    async fn new(edit: impl FnOnce(&mut ParamsJson)) -> Self {
        let (storage, mut s) = hub_testkit::temp_state(&["auth", "bank", "gov"]).await;
        let mut params = ParamsJson::local("uhub");
        params.min_deposit = vec![hub_gov::params::CoinJson {
            denom: "uhub".into(),
            amount: MIN.to_string(),
        }];
        params.max_deposit_period = "100s".into();
        params.voting_period = "50s".into();
        edit(&mut params);
        let ctx = GenesisCtx {
            chain_id: "hub-1".into(),
            bech32_prefix: "hub".into(),
            time: tendermint::Time::unix_epoch(),
        };
        G::init_genesis(
            &mut s,
            &ctx,
            &GovGenesis {
                starting_proposal_id: "1".into(),
                params,
                state: None,
            },
        )
        .await
        .unwrap();
        StakeFixture::put_validator(&mut s, [10; 20], 600, 600);
        StakeFixture::put_validator(&mut s, [11; 20], 300, 300);
        StakeFixture::put_validator(&mut s, [12; 20], 100, 100);
        StakeFixture::put_delegation(&mut s, [10; 20], [10; 20], 500);
        StakeFixture::put_delegation(&mut s, [20; 20], [10; 20], 100);
        StakeFixture::put_delegation(&mut s, [11; 20], [11; 20], 300);
        StakeFixture::put_delegation(&mut s, [12; 20], [12; 20], 100);
        for who in [1, 2, 10, 11, 12, 20] {
            s.mint(
                &addr(who),
                &hub_bank::Coin {
                    denom: "uhub".into(),
                    amount: RICH,
                },
            )
            .await
            .unwrap();
        }
        // A community-pool-like balance of the gov account that proposals may spend.
        s.mint(
            &module_address(),
            &hub_bank::Coin {
                denom: "uhub".into(),
                amount: 100,
            },
        )
        .await
        .unwrap();
        Net {
            _storage: storage,
            s,
            now: T0,
        }
    }

    fn block(&self) -> BlockCtx {
        BlockCtx {
            chain_id: "hub-1".into(),
            height: 10,
            time: Time::from_unix_timestamp(self.now, 0).unwrap(),
        }
    }

    /// Runs one message as a tx of `signer` in its own overlay (dropped on error).
    async fn exec(&mut self, signer: Address, msg: Any) -> Result<Vec<Event>, ModuleError> {
        let tx = TxCtx::new(self.block(), "hub", signer.0, 10_000_000);
        let m = GovMsg::decode(&msg, "hub").unwrap()?;
        MsgHandler::<FixtureConfig>::check_stateless(&m, &tx)?;
        let mut overlay = StateDelta::new(&mut self.s);
        MsgHandler::<FixtureConfig>::check_and_execute(&m, &mut overlay, &tx).await?;
        Ok(overlay.apply().1)
    }

    async fn end_block_after(&mut self, secs: i64) -> Vec<Event> {
        self.now += secs;
        let ctx = self.block();
        let mut overlay = StateDelta::new(&mut self.s);
        G::end_block(&mut overlay, &ctx).await.unwrap();
        overlay.apply().1
    }

    async fn submit(&mut self, msgs: Vec<Any>, deposit: u128) -> Result<u64, ModuleError> {
        let id = self.s.next_proposal_id().await.unwrap();
        self.exec(
            addr(1),
            any(
                "/cosmos.gov.v1.MsgSubmitProposal",
                &pb::MsgSubmitProposal {
                    messages: msgs,
                    initial_deposit: if deposit == 0 { vec![] } else { coin(deposit) },
                    proposer: bech(addr(1)),
                    metadata: String::new(),
                    title: "t".into(),
                    summary: "s".into(),
                    expedited: false,
                },
            ),
        )
        .await?;
        Ok(id)
    }

    async fn vote(&mut self, voter: u8, id: u64, option: pb::VoteOption) -> Handled {
        self.exec(
            addr(voter),
            any(
                "/cosmos.gov.v1.MsgVote",
                &pb::MsgVote {
                    proposal_id: id,
                    voter: bech(addr(voter)),
                    option: option as i32,
                    metadata: String::new(),
                },
            ),
        )
        .await
        .map(|_| ())
    }

    /// `MsgDeposit` of `amount` uhub by `depositor` on proposal `id`.
    async fn deposit(
        &mut self,
        depositor: u8,
        id: u64,
        amount: u128,
    ) -> Result<Vec<Event>, ModuleError> {
        let m = pb::MsgDeposit {
            proposal_id: id,
            depositor: bech(addr(depositor)),
            amount: coin(amount),
        };
        self.exec(addr(depositor), any("/cosmos.gov.v1.MsgDeposit", &m))
            .await
    }

    async fn balance(&self, a: Address) -> u128 {
        self.s.balance(&a, "uhub").await.unwrap()
    }

    async fn supply(&self) -> u128 {
        self.s.supply("uhub").await.unwrap()
    }

    async fn proposal(&self, id: u64) -> Option<pb::Proposal> {
        self.s.proposal(id).await.unwrap()
    }

    /// The status of proposal `id`, which must exist.
    async fn status(&self, id: u64) -> i32 {
        self.proposal(id).await.unwrap().status
    }

    async fn tally(&self, id: u64) -> pb::TallyResult {
        query::tally_result(
            &self.s,
            &StakeFixture,
            &pb::QueryTallyResultRequest { proposal_id: id },
        )
        .await
        .unwrap()
        .tally
        .unwrap()
    }
}

fn gov_send(to: Address, amount: u128) -> Any {
    any(
        "/cosmos.bank.v1beta1.MsgSend",
        &MsgSend {
            from_address: bech(module_address()),
            to_address: bech(to),
            amount: coin(amount),
        },
    )
}

fn has(events: &[Event], kind: &str, key: &str, value: &str) -> bool {
    events.iter().filter(|e| e.kind == kind).any(|e| {
        e.attributes
            .iter()
            .any(|a| a.key_str().ok() == Some(key) && a.value_str().ok() == Some(value))
    })
}

fn code(r: Result<impl std::fmt::Debug, ModuleError>) -> (&'static str, u32) {
    let e = r.unwrap_err();
    (e.codespace, e.code)
}

#[tokio::test]
async fn a_passed_proposal_executes_its_message_and_refunds_the_deposit() {
    let mut n = Net::new(|_| {}).await;
    let id = n.submit(vec![gov_send(addr(30), 7)], MIN).await.unwrap();
    let p = n.proposal(id).await.unwrap();
    assert_eq!(p.status, pb::ProposalStatus::VotingPeriod as i32);
    assert_eq!(n.balance(addr(1)).await, RICH - MIN);
    n.vote(10, id, pb::VoteOption::Yes).await.unwrap();
    n.vote(11, id, pb::VoteOption::Yes).await.unwrap();
    // not yet: the voting period has 50 s
    n.end_block_after(49).await;
    assert_eq!(n.balance(addr(30)).await, 0);
    let events = n.end_block_after(1).await;
    let p = n.proposal(id).await.unwrap();
    assert_eq!(p.status, pb::ProposalStatus::Passed as i32);
    assert_eq!(n.balance(addr(30)).await, 7);
    assert_eq!(n.balance(addr(1)).await, RICH);
    assert_eq!(
        first_attr(&events, "active_proposal", "proposal_result").as_deref(),
        Some("proposal_passed")
    );
    // the executed send's bank events reach the block
    assert!(has(&events, "transfer", "recipient", &bech(addr(30))));
    let t = p.final_tally_result.unwrap();
    assert_eq!((t.yes_count.as_str(), t.no_count.as_str()), ("900", "0"));
    // votes are deleted with the tally, as the SDK does
    assert!(n.s.votes(id).await.unwrap().is_empty());
}

#[tokio::test]
async fn below_quorum_a_proposal_is_rejected_and_its_message_not_executed() {
    for burn in [false, true] {
        let mut n = Net::new(|p| p.burn_vote_quorum = burn).await;
        let supply = n.supply().await;
        let id = n.submit(vec![gov_send(addr(30), 7)], MIN).await.unwrap();
        n.vote(12, id, pb::VoteOption::Yes).await.unwrap(); // 100 of 1000 bonded
        let events = n.end_block_after(50).await;
        assert_eq!(n.status(id).await, pb::ProposalStatus::Rejected as i32);
        assert_eq!(
            first_attr(&events, "active_proposal", "proposal_result").as_deref(),
            Some("proposal_rejected")
        );
        assert_eq!(n.balance(addr(30)).await, 0);
        if burn {
            assert_eq!(n.supply().await, supply - MIN);
            assert_eq!(n.balance(addr(1)).await, RICH - MIN);
        } else {
            assert_eq!(n.supply().await, supply);
            assert_eq!(n.balance(addr(1)).await, RICH);
        }
    }
}

#[tokio::test]
async fn a_vetoed_proposal_burns_its_deposits() {
    let mut n = Net::new(|_| {}).await;
    let supply = n.supply().await;
    let id = n.submit(vec![gov_send(addr(30), 7)], MIN).await.unwrap();
    n.vote(10, id, pb::VoteOption::NoWithVeto).await.unwrap(); // 500
    n.vote(11, id, pb::VoteOption::Yes).await.unwrap(); // 300
    n.end_block_after(50).await;
    assert_eq!(n.status(id).await, pb::ProposalStatus::Rejected as i32);
    assert_eq!(n.supply().await, supply - MIN);
    assert_eq!(n.balance(addr(1)).await, RICH - MIN);
    assert_eq!(n.balance(module_address()).await, 100);
    assert_eq!(n.balance(addr(30)).await, 0);
}

#[tokio::test]
async fn a_failing_second_message_fails_the_proposal_and_drops_the_first_messages_writes() {
    let mut n = Net::new(|_| {}).await;
    let id = n
        .submit(
            vec![gov_send(addr(30), 7), gov_send(addr(31), 1_000_000)],
            MIN,
        )
        .await
        .unwrap();
    n.vote(10, id, pb::VoteOption::Yes).await.unwrap();
    let events = n.end_block_after(50).await;
    let p = n.proposal(id).await.unwrap();
    assert_eq!(p.status, pb::ProposalStatus::Failed as i32);
    assert!(
        p.failed_reason
            .starts_with("message 1 (/cosmos.bank.v1beta1.MsgSend)"),
        "{}",
        p.failed_reason
    );
    assert_eq!(n.balance(addr(30)).await, 0);
    assert_eq!(n.balance(module_address()).await, 100);
    assert_eq!(
        first_attr(&events, "active_proposal", "proposal_result").as_deref(),
        Some("proposal_failed")
    );
    assert!(!has(&events, "transfer", "recipient", &bech(addr(30))));
    // the deposit is refunded even so
    assert_eq!(n.balance(addr(1)).await, RICH);
}

#[tokio::test]
async fn a_delegator_vote_overrides_its_share_of_the_validator_vote() {
    let mut n = Net::new(|_| {}).await;
    let id = n.submit(vec![], MIN).await.unwrap();
    n.vote(10, id, pb::VoteOption::Yes).await.unwrap();
    let t = n.tally(id).await;
    assert_eq!((t.yes_count.as_str(), t.no_count.as_str()), ("600", "0"));
    n.vote(20, id, pb::VoteOption::No).await.unwrap();
    let t = n.tally(id).await;
    assert_eq!((t.yes_count.as_str(), t.no_count.as_str()), ("500", "100"));
    // a delegator voting alone counts only its own share
    let id2 = n.submit(vec![], MIN).await.unwrap();
    n.vote(20, id2, pb::VoteOption::Abstain).await.unwrap();
    let t = n.tally(id2).await;
    assert_eq!(
        (t.abstain_count.as_str(), t.yes_count.as_str()),
        ("100", "0")
    );
}

#[tokio::test]
async fn a_weighted_vote_splits_the_voting_power() {
    let mut n = Net::new(|_| {}).await;
    let id = n.submit(vec![], MIN).await.unwrap();
    n.exec(
        addr(11),
        any(
            "/cosmos.gov.v1.MsgVoteWeighted",
            &pb::MsgVoteWeighted {
                proposal_id: id,
                voter: bech(addr(11)),
                options: vec![
                    pb::WeightedVoteOption {
                        option: 1,
                        weight: "0.6".into(),
                    },
                    pb::WeightedVoteOption {
                        option: 3,
                        weight: "0.4".into(),
                    },
                ],
                metadata: String::new(),
            },
        ),
    )
    .await
    .unwrap();
    let t = n.tally(id).await;
    assert_eq!((t.yes_count.as_str(), t.no_count.as_str()), ("180", "120"));
    let stored = n.s.vote(id, &addr(11)).await.unwrap().unwrap();
    assert_eq!(stored.options[0].weight, "0.600000000000000000");
}

#[tokio::test]
async fn a_deposit_period_that_expires_deletes_the_proposal_and_refunds() {
    let mut n = Net::new(|_| {}).await;
    let id = n.submit(vec![], 100).await.unwrap();
    assert_eq!(n.status(id).await, pb::ProposalStatus::DepositPeriod as i32);
    // a second deposit below the total keeps it in the deposit period
    n.deposit(2, id, 50).await.unwrap();
    assert_eq!(n.balance(module_address()).await, 250);
    n.end_block_after(99).await;
    assert!(n.proposal(id).await.is_some());
    let events = n.end_block_after(1).await;
    assert!(n.proposal(id).await.is_none());
    assert!(n.s.deposits(id).await.unwrap().is_empty());
    assert_eq!(n.balance(addr(1)).await, RICH);
    assert_eq!(n.balance(addr(2)).await, RICH);
    assert_eq!(
        first_attr(&events, "inactive_proposal", "proposal_result").as_deref(),
        Some("proposal_dropped")
    );
    let e = query::proposal(&n.s, &pb::QueryProposalRequest { proposal_id: id })
        .await
        .unwrap_err();
    assert_eq!((e.codespace, e.code), ("sdk", 38));
}

#[tokio::test]
async fn a_deposit_reaching_the_minimum_opens_the_voting_period() {
    let mut n = Net::new(|_| {}).await;
    let id = n.submit(vec![], 100).await.unwrap();
    let events = n.deposit(2, id, 900).await.unwrap();
    assert_eq!(
        first_attr(&events, "proposal_deposit", "voting_period_start"),
        Some(id.to_string())
    );
    let p = n.proposal(id).await.unwrap();
    assert_eq!(p.status, pb::ProposalStatus::VotingPeriod as i32);
    // the deposit-period queue no longer holds it
    n.end_block_after(100).await;
    assert!(n.proposal(id).await.is_some());
}

#[tokio::test]
async fn only_the_proposer_may_cancel_and_cancel_burns_the_cancel_ratio() {
    let mut n = Net::new(|_| {}).await;
    let supply = n.supply().await;
    let id = n.submit(vec![], MIN).await.unwrap();
    let cancel = |who: u8| {
        any(
            "/cosmos.gov.v1.MsgCancelProposal",
            &pb::MsgCancelProposal {
                proposal_id: id,
                proposer: bech(addr(who)),
            },
        )
    };
    assert_eq!(code(n.exec(addr(2), cancel(2)).await), ("gov", 18));
    assert!(n.proposal(id).await.is_some());
    n.vote(10, id, pb::VoteOption::Yes).await.unwrap();
    let events = n.exec(addr(1), cancel(1)).await.unwrap();
    assert_eq!(
        first_attr(&events, "cancel_proposal", "proposal_id"),
        Some(id.to_string())
    );
    assert!(n.proposal(id).await.is_none());
    assert!(n.s.votes(id).await.unwrap().is_empty());
    // proposal_cancel_ratio 0.5: half burned, half refunded
    assert_eq!(n.supply().await, supply - MIN / 2);
    assert_eq!(n.balance(addr(1)).await, RICH - MIN / 2);
    // the cancelled proposal no longer ends
    n.end_block_after(50).await;
    assert_eq!(n.supply().await, supply - MIN / 2);
    assert_eq!(code(n.exec(addr(1), cancel(1)).await), ("gov", 2));
}

#[tokio::test]
async fn votes_on_inactive_or_unknown_proposals_are_refused() {
    let mut n = Net::new(|_| {}).await;
    let id = n.submit(vec![], 10).await.unwrap();
    assert_eq!(code(n.vote(10, id, pb::VoteOption::Yes).await), ("gov", 3));
    assert_eq!(code(n.vote(10, 99, pb::VoteOption::Yes).await), ("gov", 2));
    let id2 = n.submit(vec![], MIN).await.unwrap();
    n.end_block_after(50).await; // rejected: no votes
    assert_eq!(code(n.vote(10, id2, pb::VoteOption::Yes).await), ("gov", 3));
    // option 0 is refused before any state is read
    assert_eq!(
        code(n.vote(10, id2, pb::VoteOption::Unspecified).await),
        ("gov", 7)
    );
}

#[tokio::test]
async fn a_proposal_message_not_signed_by_the_gov_account_is_refused_at_submission() {
    let mut n = Net::new(|_| {}).await;
    let theft = any(
        "/cosmos.bank.v1beta1.MsgSend",
        &MsgSend {
            from_address: bech(addr(2)),
            to_address: bech(addr(1)),
            amount: coin(5),
        },
    );
    let e = n.submit(vec![theft], MIN).await.unwrap_err();
    assert_eq!((e.codespace, e.code), ("gov", 13));
    assert!(e.log.contains("message 0"), "{}", e.log);
    let unknown = Any {
        type_url: "/x.y.MsgZ".into(),
        value: vec![],
    };
    assert_eq!(code(n.submit(vec![unknown], MIN).await), ("gov", 10));
    // nothing was stored or moved
    assert_eq!(n.s.next_proposal_id().await.unwrap(), 1);
    assert_eq!(n.balance(addr(1)).await, RICH);
}

#[tokio::test]
async fn update_params_needs_the_gov_authority() {
    let mut n = Net::new(|_| {}).await;
    let mut params = n.s.gov_params().await.unwrap().proto;
    params.voting_period = Some(tendermint_proto::google::protobuf::Duration {
        seconds: 7,
        nanos: 0,
    });
    let update = |authority: Address| {
        any(
            "/cosmos.gov.v1.MsgUpdateParams",
            &pb::MsgUpdateParams {
                authority: bech(authority),
                params: Some(params.clone()),
            },
        )
    };
    assert_eq!(code(n.exec(addr(1), update(addr(1))).await), ("gov", 13));
    // through a passed proposal it applies
    let id = n.submit(vec![update(module_address())], MIN).await.unwrap();
    n.vote(10, id, pb::VoteOption::Yes).await.unwrap();
    n.end_block_after(50).await;
    assert_eq!(n.status(id).await, pb::ProposalStatus::Passed as i32);
    assert_eq!(n.s.gov_params().await.unwrap().voting_period_s, 7);
}

#[tokio::test]
async fn submission_checks_title_expedited_and_deposit_denoms() {
    let mut n = Net::new(|p| p.min_initial_deposit_ratio = "0.5".into()).await;
    let base = pb::MsgSubmitProposal {
        messages: vec![],
        initial_deposit: coin(MIN),
        proposer: bech(addr(1)),
        metadata: String::new(),
        title: "t".into(),
        summary: "s".into(),
        expedited: false,
    };
    let url = "/cosmos.gov.v1.MsgSubmitProposal";
    let mut m = base.clone();
    m.expedited = true;
    assert_eq!(code(n.exec(addr(1), any(url, &m)).await), ("gov", 21));
    let mut m = base.clone();
    m.title = String::new();
    assert_eq!(code(n.exec(addr(1), any(url, &m)).await), ("gov", 5));
    let mut m = base.clone();
    m.metadata = "x".repeat(256);
    assert_eq!(code(n.exec(addr(1), any(url, &m)).await), ("gov", 15));
    let mut m = base.clone();
    m.initial_deposit = coin(MIN / 2 - 1);
    assert_eq!(code(n.exec(addr(1), any(url, &m)).await), ("gov", 16));
    let mut m = base.clone();
    m.initial_deposit = vec![Coin {
        denom: "uatom".into(),
        amount: "5000".into(),
    }];
    assert_eq!(code(n.exec(addr(1), any(url, &m)).await), ("gov", 23));
    let mut m = base.clone();
    m.proposer = bech(addr(2));
    assert_eq!(code(n.exec(addr(1), any(url, &m)).await), ("sdk", 4));
    assert!(n.exec(addr(1), any(url, &base)).await.is_ok());
}

/// A page of the proposals query (of those in `status`, or all with 0): the ids and the
/// page response.
async fn proposal_ids(
    s: &StateDelta<Snapshot>,
    status: i32,
    pagination: Option<PageRequest>,
) -> (Vec<u64>, Option<PageResponse>) {
    let req = pb::QueryProposalsRequest {
        proposal_status: status,
        pagination,
        ..Default::default()
    };
    let r = query::proposals(s, &req, "hub").await.unwrap();
    (r.proposals.iter().map(|p| p.id).collect(), r.pagination)
}

#[tokio::test]
async fn proposals_votes_and_deposits_come_in_pages_of_the_requested_limit_and_next_key_continues()
{
    let mut n = Net::new(|_| {}).await;
    // 260 proposals: ids past 255, so a page key that is not big-endian would misorder them
    for id in 1..=260u64 {
        let status = if id % 2 == 0 {
            pb::ProposalStatus::VotingPeriod
        } else {
            pb::ProposalStatus::DepositPeriod
        };
        n.s.put_proposal(&pb::Proposal {
            id,
            status: status as i32,
            ..Default::default()
        });
    }
    // 201 votes and deposits on proposal 2, in voter / depositor address order
    let who: Vec<Address> = (0..=200u8).map(addr).collect();
    for a in &who {
        n.s.put_vote(
            &pb::Vote {
                proposal_id: 2,
                voter: bech(*a),
                ..Default::default()
            },
            a,
        );
        n.s.put_deposit(
            &pb::Deposit {
                proposal_id: 2,
                depositor: bech(*a),
                amount: coin(1),
            },
            a,
        );
    }
    let s = &n.s;
    let all: Vec<u64> = (1..=260).collect();
    assert_paginates(&all, |pagination| proposal_ids(s, 0, pagination)).await;
    // the status filter applies before paging: pages and total are of the matching proposals
    let even: Vec<u64> = (1..=260).filter(|id| id % 2 == 0).collect();
    let voting = pb::ProposalStatus::VotingPeriod as i32;
    assert_paginates(&even, |pagination| proposal_ids(s, voting, pagination)).await;
    let voters: Vec<String> = who.iter().map(|a| bech(*a)).collect();
    assert_paginates(&voters, |pagination| async move {
        let r = query::votes(
            s,
            &pb::QueryVotesRequest {
                proposal_id: 2,
                pagination,
            },
        )
        .await
        .unwrap();
        (r.votes.into_iter().map(|v| v.voter).collect(), r.pagination)
    })
    .await;
    assert_paginates(&voters, |pagination| async move {
        let r = query::deposits(
            s,
            &pb::QueryDepositsRequest {
                proposal_id: 2,
                pagination,
            },
        )
        .await
        .unwrap();
        (
            r.deposits.into_iter().map(|d| d.depositor).collect(),
            r.pagination,
        )
    })
    .await;
}
