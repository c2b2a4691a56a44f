//! Governance-dispatched spoke upgrades between in-process chains with real headers and
//! proofs: proposal → ORDERED `upgrade` channel → spoke schedules → halt at the height →
//! the next release applies it → the hub proves `applied/{name}` through its light client.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::gov::{gov_genesis, pass_on, query, raw_any};
use common::{chain_with, reimported, AppNode};
use cosmos_sdk_proto::cosmos::gov::v1 as govpb;
use hub_app::ChainConfig;
use hub_interchain_upgrade::{Dispatch, DispatchStatus};
use hub_proto::interchain_upgrade::v1 as iupb;
use hub_testkit::ibc::{
    any, client_states, connect, connect_over, create_client, open_channel, open_transfer_channel,
    relay, relay_ack, relay_recv, relay_timeout, sent_packets, try_open_channel, written_acks,
    ChannelPair, ClientParams, Clock, End, Link, TestChain, TxResult,
};
use ibc_proto::google::protobuf::Any as IbcAny;
use ibc_proto::ibc::core::channel::v1::Packet;
use prost::Message;

const SUM: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn info() -> String {
    format!(r#"{{"binaries":{{"linux/amd64":"file:///opt/spoked-v2?checksum=sha256:{SUM}"}}}}"#)
}

fn gov_addr() -> String {
    hub_auth::Address::module("gov").to_bech32("hub")
}

fn params(hub_chain_id: &str) -> serde_json::Value {
    serde_json::json!({
        "params": {"hub_chain_id": hub_chain_id, "min_upgrade_delay": "5", "packet_timeout": "600s"}
    })
}

fn dispatch_msg(authority: &str, spoke: &str, name: &str, height: i64, info: &str) -> IbcAny {
    raw_any(
        "/hub.interchain_upgrade.v1.MsgDispatchUpgrade",
        &iupb::MsgDispatchUpgrade {
            authority: authority.into(),
            spoke_chain_id: spoke.into(),
            plan: Some(iupb::Plan {
                name: name.into(),
                height,
                info: info.into(),
            }),
        },
    )
}

struct Net {
    clock: Clock,
    hub: TestChain<AppNode>,
    spoke: TestChain<AppNode>,
    link: Link,
    ch: ChannelPair,
    proposals: u64,
}

async fn hub_chain(clock: &Clock) -> TestChain<AppNode> {
    chain_with("hub-1", clock, &[], ChainConfig::hub(), |g| {
        g["gov"] = gov_genesis();
        g["interchain_upgrade"] = params("");
    })
    .await
}

/// The spoke genesis's `hub_client`: `hub`'s latest header as a 07-tendermint client state
/// and consensus state (what `spoked genesis set-hub` writes), and that hub height.
fn hub_client(hub: &mut TestChain<AppNode>) -> (serde_json::Value, u64) {
    use base64::Engine;
    let (cs, cons, h) = client_states(hub, &ClientParams::default());
    let b64 = |a: IbcAny| base64::engine::general_purpose::STANDARD.encode(a.encode_to_vec());
    (
        serde_json::json!({"client_state": b64(any(&cs)), "consensus_state": b64(any(&cons))}),
        h,
    )
}

/// A spoke `chain_id` of `hub` whose genesis pins its client of the hub
/// (`07-tendermint-0`); returns it and the hub height that client trusts.
async fn pinned_spoke(
    hub: &mut TestChain<AppNode>,
    clock: &Clock,
    chain_id: &str,
) -> (TestChain<AppNode>, u64) {
    let (hc, trusted) = hub_client(hub);
    let spoke = chain_with(chain_id, clock, &[], ChainConfig::hub(), |g| {
        g["gov"] = gov_genesis();
        g["interchain_upgrade"] = params(hub.chain_id.as_str());
        g["interchain_upgrade"]["hub_client"] = hc;
    })
    .await;
    (spoke, trusted)
}

/// Connects `hub` (A) to `spoke` (B) over the spoke's pinned client of the hub and a new
/// hub client of the spoke.
async fn connect_pinned(
    hub: &mut TestChain<AppNode>,
    spoke: &mut TestChain<AppNode>,
    trusted: u64,
) -> Link {
    let link = Link {
        a: create_client(spoke, hub, &ClientParams::default()).await,
        b: End {
            client_id: "07-tendermint-0".into(),
            connection_id: String::new(),
            trusted,
        },
    };
    connect_over(hub, spoke, link).await
}

/// `MsgRegisterSpoke` of `chain_id` over the hub end of `link`.
fn register_msg(chain_id: &str, link: &Link) -> IbcAny {
    raw_any(
        "/hub.interchain_upgrade.v1.MsgRegisterSpoke",
        &iupb::MsgRegisterSpoke {
            authority: gov_addr(),
            chain_id: chain_id.into(),
            client_id: link.a.client_id.clone(),
            connection_id: link.a.connection_id.clone(),
        },
    )
}

/// `MsgConfirmUpgradeApplied` of spoke-1's plan `name`, signed by `hub`'s relayer, with `proof`
/// at spoke height `height`.
fn confirm_msg(hub: &TestChain<AppNode>, name: &str, height: u64, proof: Vec<u8>) -> IbcAny {
    raw_any(
        "/hub.interchain_upgrade.v1.MsgConfirmUpgradeApplied",
        &iupb::MsgConfirmUpgradeApplied {
            signer: hub.relayer_address(),
            spoke_chain_id: "spoke-1".into(),
            name: name.into(),
            proof_revision_number: 1,
            proof_revision_height: height,
            proof,
        },
    )
}

/// Opens the ORDERED `upgrade` channel `a` → `b` over `link`.
async fn open_upgrade_channel(
    a: &mut TestChain<AppNode>,
    b: &mut TestChain<AppNode>,
    link: &mut Link,
) -> ChannelPair {
    open_channel(a, b, link, ("upgrade", "upgrade"), 2, "hub-upgrade-1").await
}

/// Tries to open an `upgrade` channel `a` → `b` over `link`; returns the refusal.
async fn refused_upgrade_channel(
    a: &mut TestChain<AppNode>,
    b: &mut TestChain<AppNode>,
    link: &mut Link,
) -> TxResult {
    try_open_channel(a, b, link, ("upgrade", "upgrade"), 2, "hub-upgrade-1")
        .await
        .unwrap_err()
}

/// `link` seen from its other end.
fn reversed(link: &Link) -> Link {
    Link {
        a: link.b.clone(),
        b: link.a.clone(),
    }
}

/// A hub and a spoke pinned to it at genesis, connected; hub governance registers the spoke
/// and the upgrade channel opens over the registered connection.
async fn net() -> Net {
    let clock = Clock::new(1_700_000_000);
    let mut hub = hub_chain(&clock).await;
    let (mut spoke, trusted) = pinned_spoke(&mut hub, &clock, "spoke-1").await;
    let link = connect_pinned(&mut hub, &mut spoke, trusted).await;
    let mut n = Net {
        clock,
        hub,
        spoke,
        link,
        ch: ChannelPair::default(),
        proposals: 0,
    };
    let register = register_msg("spoke-1", &n.link);
    let (id, _) = n.pass(vec![register]).await;
    assert_passed(&n.hub, id).await;
    n.ch = open_upgrade_channel(&mut n.hub, &mut n.spoke, &mut n.link).await;
    n
}

async fn dispatch_of(c: &TestChain<AppNode>, name: &str) -> Option<Dispatch> {
    let r: iupb::QueryDispatchesResponse = query(
        c,
        "/hub.interchain_upgrade.v1.Query/Dispatches",
        &iupb::QueryDispatchesRequest::default(),
    )
    .await;
    r.dispatches
        .into_iter()
        .find(|d| d.plan.as_ref().is_some_and(|p| p.name == name))
}

/// The upgrade plan scheduled on `c`, if any.
async fn current_plan(
    c: &TestChain<AppNode>,
) -> Option<cosmos_sdk_proto::cosmos::upgrade::v1beta1::Plan> {
    use cosmos_sdk_proto::cosmos::upgrade::v1beta1 as up;
    let r: up::QueryCurrentPlanResponse = query(
        c,
        "/cosmos.upgrade.v1beta1.Query/CurrentPlan",
        &up::QueryCurrentPlanRequest {},
    )
    .await;
    r.plan
}

async fn proposal_status(c: &TestChain<AppNode>, id: u64) -> (i32, String) {
    let r: govpb::QueryProposalResponse = query(
        c,
        "/cosmos.gov.v1.Query/Proposal",
        &govpb::QueryProposalRequest { proposal_id: id },
    )
    .await;
    let p = r.proposal.unwrap();
    (p.status, p.failed_reason)
}

/// Asserts that proposal `id` on `c` passed.
async fn assert_passed(c: &TestChain<AppNode>, id: u64) {
    assert_eq!(
        proposal_status(c, id).await.0,
        govpb::ProposalStatus::Passed as i32
    );
}

/// Asserts that proposal `id` on `c` failed, for a reason that contains `needle`.
async fn assert_failed(c: &TestChain<AppNode>, id: u64, needle: &str) {
    let (status, reason) = proposal_status(c, id).await;
    assert_eq!(status, govpb::ProposalStatus::Failed as i32);
    assert!(reason.contains(needle), "{reason}");
}

impl Net {
    /// Submits a proposal of `msgs` from the hub's validator operator, votes yes and runs the
    /// hub past the voting period. Returns the proposal id and the end block's events.
    async fn pass(&mut self, msgs: Vec<IbcAny>) -> (u64, TxResult) {
        self.proposals += 1;
        pass_on(&mut self.hub, &self.clock, self.proposals, msgs).await
    }

    /// Passes hub governance's dispatch of plan `v2` (the [`info`] binaries) to spoke-1 at
    /// `height`. Returns the proposal id and the end block's events.
    async fn dispatch_v2(&mut self, height: i64) -> (u64, TxResult) {
        let m = dispatch_msg(&gov_addr(), "spoke-1", "v2", height, &info());
        self.pass(vec![m]).await
    }

    /// Relays the packet to the spoke and its acknowledgement back; returns the ack bytes.
    async fn deliver(&mut self, end_block: &TxResult) -> Vec<u8> {
        let p = sent_packets(end_block)
            .pop()
            .expect("the proposal sent a packet");
        self.deliver_packet(&p).await
    }

    /// Relays packet `p` to the spoke and its acknowledgement back; returns the ack bytes.
    async fn deliver_packet(&mut self, p: &Packet) -> Vec<u8> {
        let r = relay_recv(&mut self.hub, &mut self.spoke, &mut self.link.b, p)
            .await
            .ok();
        let (_, ack) = written_acks(&r).pop().unwrap();
        relay_ack(&mut self.spoke, &mut self.hub, &mut self.link.a, p, &ack)
            .await
            .ok();
        ack
    }

    /// Runs the spoke's blocks up to the one before `height`.
    async fn run_spoke_before(&mut self, height: i64) {
        while (self.spoke.height as i64) < height - 1 {
            self.spoke.block(vec![]).await;
        }
    }

    /// Executes the spoke's next block (sealed, with no txs) without committing it.
    async fn execute_next_spoke_block(&mut self) -> anyhow::Result<hub_app::app::BlockResult> {
        let h = self.spoke.seal();
        let time = self.spoke.header(h).header.time;
        let txs: &[Vec<u8>] = &[];
        self.spoke.node.app.finalize_block(h, time, txs, &[]).await
    }

    /// The status of plan `v2`'s dispatch on the hub.
    async fn v2_status(&self) -> i32 {
        dispatch_of(&self.hub, "v2").await.unwrap().status
    }

    /// `MsgConfirmUpgradeApplied` for `name` with a proof of `key` in the spoke's `upgrade`
    /// store, relayed with an update of the hub's client of the spoke.
    async fn confirm(&mut self, name: &str, key: &str) -> TxResult {
        let (_, proof) = hub_testkit::ibc::Node::query(
            &self.spoke.node,
            &format!("upgrade/{key}"),
            self.spoke.height,
        )
        .await;
        self.confirm_with(name, proof).await
    }

    /// `MsgConfirmUpgradeApplied` for `name` with the given proof bytes.
    async fn confirm_with(&mut self, name: &str, proof: Vec<u8>) -> TxResult {
        let h = self.spoke.seal();
        let m = confirm_msg(&self.hub, name, h, proof);
        relay(&mut self.spoke, &mut self.hub, &mut self.link.a, vec![m]).await
    }
}

#[tokio::test]
async fn a_passed_proposal_upgrades_the_spoke_and_the_hub_proves_it() {
    let mut n = net().await;
    let height = n.spoke.height as i64 + 20;
    let (id, end) = n.dispatch_v2(height).await;
    assert_passed(&n.hub, id).await;
    let d = dispatch_of(&n.hub, "v2").await.unwrap();
    assert_eq!(
        (d.status, d.proposal_id, d.channel_id.as_str(), d.sequence),
        (DispatchStatus::Pending as i32, id, n.ch.chan_a.as_str(), 1)
    );

    let ack = n.deliver(&end).await;
    assert!(
        String::from_utf8_lossy(&ack).contains("result"),
        "{}",
        String::from_utf8_lossy(&ack)
    );
    assert_eq!(current_plan(&n.spoke).await.unwrap().height, height);
    let d = dispatch_of(&n.hub, "v2").await.unwrap();
    assert_eq!(
        (d.status, d.scheduled_height),
        (DispatchStatus::Acknowledged as i32, height)
    );

    // Before the spoke upgrades, nothing proves `applied/v2`: an absence is not accepted.
    let r = n.confirm("v2", "applied/v2").await;
    assert_ne!(r.code, 0, "a proof of an absent key was accepted");

    // The old binary runs up to the plan height, then refuses to execute it, every time.
    n.run_spoke_before(height).await;
    for _ in 0..2 {
        let e = n.execute_next_spoke_block().await.unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("UPGRADE \"v2\" NEEDED at height {height}: {}", info())
        );
    }
    assert!(n.spoke.node.app.halted().borrow().is_some());
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(n.spoke.node.data_dir().join("upgrade-info.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        (json["name"].as_str(), json["height"].as_i64()),
        (Some("v2"), Some(height))
    );

    // The next release applies it at that height and the chain goes on.
    n.spoke.node.restart(v2()).await;
    n.spoke.block(vec![]).await;
    n.spoke.block(vec![]).await;

    // A proof of another key does not pass for `applied/v2`; the real one does.
    let r = n.confirm("v2", "migrations/v2").await;
    assert_ne!(r.code, 0, "a proof of another key was accepted");
    assert_eq!(n.v2_status().await, DispatchStatus::Acknowledged as i32);
    n.confirm("v2", "applied/v2").await.ok();
    assert_eq!(n.v2_status().await, DispatchStatus::Applied as i32);
    let again = n.confirm("v2", "applied/v2").await;
    again.assert_code("interchain-upgrade", 7);
}

/// A spoke with plan v2 dispatched and acknowledged, stopped at the block before the plan
/// height (the old binary would refuse the next one); returns it and the plan height.
async fn net_before_the_switch() -> (Net, i64) {
    let mut n = net().await;
    let height = n.spoke.height as i64 + 20;
    let (_, end) = n.dispatch_v2(height).await;
    n.deliver(&end).await;
    n.run_spoke_before(height).await;
    (n, height)
}

/// The spoke's committed root.
async fn root(c: &TestChain<AppNode>) -> Vec<u8> {
    let snap = c.node.app.storage().latest_snapshot();
    snap.root_hash().await.unwrap().0.to_vec()
}

fn v2() -> ChainConfig {
    ChainConfig {
        upgrade_handlers: &["v2"],
        ..ChainConfig::hub()
    }
}

/// A crash in the middle of the upgrade switch: the new release executes the plan-height
/// block (running the v2 migration) and dies before it commits, as under SIGKILL. Started
/// again on the same store, it executes that block again and commits: the migration is applied
/// once, and every root from the plan height on equals that of a switch without the crash.
#[tokio::test]
async fn a_release_killed_after_running_its_migration_and_before_commit_applies_it_once() {
    let (mut calm, height) = net_before_the_switch().await;
    calm.spoke.node.restart(v2()).await;
    let mut calm_roots = vec![];
    for _ in 0..2 {
        calm.spoke.block(vec![]).await;
        calm_roots.push(root(&calm.spoke).await);
    }

    let (mut n, h2) = net_before_the_switch().await;
    assert_eq!(h2, height);
    let before = root(&n.spoke).await;
    n.spoke.node.restart(v2()).await;
    let staged = n.execute_next_spoke_block().await.unwrap();
    assert_eq!(
        staged.app_hash, calm_roots[0],
        "the migration ran in the block"
    );
    // Killed here: nothing of the block reached the store.
    n.spoke.node.restart(v2()).await;
    assert_eq!(
        root(&n.spoke).await,
        before,
        "the crashed block left a trace"
    );
    let mut roots = vec![];
    for _ in 0..2 {
        n.spoke.block(vec![]).await;
        roots.push(root(&n.spoke).await);
    }
    assert_eq!(roots, calm_roots, "the replayed switch diverged");
    assert_eq!(n.spoke.height as i64, height + 1);
    // The hub proves the migration's record as after a calm switch.
    n.confirm("v2", "applied/v2").await.ok();
    assert_eq!(n.v2_status().await, DispatchStatus::Applied as i32);
}

/// A network where plan v2 was dispatched, acknowledged and applied by the spoke's next
/// release; returns it and the plan height.
async fn applied_net() -> (Net, i64) {
    let (mut n, height) = net_before_the_switch().await;
    n.spoke.node.restart(v2()).await;
    n.spoke.block(vec![]).await;
    n.spoke.block(vec![]).await;
    (n, height)
}

#[tokio::test]
async fn an_expired_client_proves_nothing() {
    let (mut n, _) = applied_net().await;
    // The hub's client of the spoke learns the upgraded state, then expires (trusting period
    // 14 days) before anyone confirms.
    relay(&mut n.spoke, &mut n.hub, &mut n.link.a, vec![])
        .await
        .ok();
    let trusted = n.link.a.trusted;
    let (value, proof) =
        hub_testkit::ibc::Node::query(&n.spoke.node, "upgrade/applied/v2", trusted - 1).await;
    assert!(!value.is_empty());
    n.clock.advance(15 * 24 * 3600);
    let m = confirm_msg(&n.hub, "v2", trusted, proof);
    let r = n.hub.submit(vec![m]).await;
    r.assert_code("client", 29);
    assert_eq!(n.v2_status().await, DispatchStatus::Acknowledged as i32);
}

#[tokio::test]
async fn dispatch_needs_governance_a_checksum_and_a_height_far_enough_ahead() {
    let mut n = net().await;
    let far = n.spoke.height as i64 + 50;
    // An ordinary account cannot dispatch.
    let me = n.hub.relayer_address();
    let r = n
        .hub
        .submit(vec![dispatch_msg(&me, "spoke-1", "v2", far, &info())])
        .await;
    r.assert_code("interchain-upgrade", 2);
    // A plan without a sha256 never reaches a vote.
    let no_sum = r#"{"binaries":{"linux/amd64":"file:///opt/spoked-v2"}}"#;
    let submit = govpb::MsgSubmitProposal {
        messages: vec![cosmos_sdk_proto::Any {
            type_url: "/hub.interchain_upgrade.v1.MsgDispatchUpgrade".into(),
            value: dispatch_msg(&gov_addr(), "spoke-1", "v2", far, no_sum).value,
        }],
        initial_deposit: vec![],
        proposer: me.clone(),
        metadata: String::new(),
        title: "t".into(),
        summary: "s".into(),
        expedited: false,
    };
    let r = n
        .hub
        .submit(vec![raw_any("/cosmos.gov.v1.MsgSubmitProposal", &submit)])
        .await;
    assert_ne!(r.code, 0);
    assert!(r.log.contains("sha256"), "{}", r.log);
    // A plan too close to the spoke's height passes the vote but fails to execute: FAILED,
    // nothing dispatched, no packet.
    let close = n.spoke.height as i64 + 3;
    let (id, end) = n.dispatch_v2(close).await;
    assert_failed(&n.hub, id, "min_upgrade_delay").await;
    assert!(dispatch_of(&n.hub, "v2").await.is_none());
    assert!(sent_packets(&end).is_empty());
}

#[tokio::test]
async fn a_timed_out_plan_is_never_applied_and_goes_again_over_a_new_channel() {
    let mut n = net().await;
    let height = n.spoke.height as i64 + 100;
    let (_, end) = n.dispatch_v2(height).await;
    let p = sent_packets(&end).pop().unwrap();
    // The relayer is down past the packet timeout (600 s).
    n.clock.advance(700);
    n.spoke.block(vec![]).await;
    relay_timeout(&mut n.spoke, &mut n.hub, &mut n.link.a, &p, 2)
        .await
        .ok();
    let d = dispatch_of(&n.hub, "v2").await.unwrap();
    assert_eq!(d.status, DispatchStatus::TimedOut as i32);
    assert!(d.reason.contains("closed"), "{}", d.reason);
    let r = n.confirm_with("v2", vec![1]).await;
    r.assert_code("interchain-upgrade", 7);
    // Nothing was scheduled on the spoke.
    assert!(current_plan(&n.spoke).await.is_none());

    // While the spoke's end is still OPEN, no new channel may open.
    let r = refused_upgrade_channel(&mut n.hub, &mut n.spoke, &mut n.link).await;
    r.assert_code("interchain-upgrade", 8);
    // The relayer closes the spoke's end (ChanCloseConfirm, proven from the hub's CLOSED end)
    let (_, proof, ph) = n
        .hub
        .prove(&format!(
            "channelEnds/ports/upgrade/channels/{}",
            n.ch.chan_a
        ))
        .await;
    let close = ibc_proto::ibc::core::channel::v1::MsgChannelCloseConfirm {
        port_id: "upgrade".into(),
        channel_id: n.ch.chan_b.clone(),
        proof_init: proof,
        proof_height: Some(ph),
        signer: n.spoke.relayer_address(),
        counterparty_upgrade_sequence: 0,
    };
    relay(&mut n.hub, &mut n.spoke, &mut n.link.b, vec![any(&close)])
        .await
        .ok();
    // Over a new channel the same plan goes through.
    let ch2 = open_upgrade_channel(&mut n.hub, &mut n.spoke, &mut n.link).await;
    let (_, end) = n.dispatch_v2(height).await;
    n.deliver(&end).await;
    let d = dispatch_of(&n.hub, "v2").await.unwrap();
    assert_eq!(
        (d.status, d.channel_id),
        (DispatchStatus::Acknowledged as i32, ch2.chan_a)
    );
}

/// A chain that calls itself `hub-1`, with its own validator, connected to the spoke over
/// fresh clients both ways; its governance registers the spoke, as an attacker's would.
async fn impostor_hub(n: &mut Net) -> (TestChain<AppNode>, Link) {
    let mut evil = hub_chain(&n.clock).await;
    let link = connect(&mut evil, &mut n.spoke, &ClientParams::default()).await;
    let register = register_msg("spoke-1", &link);
    let (id, _) = pass_on(&mut evil, &n.clock, 1, vec![register]).await;
    assert_passed(&evil, id).await;
    (evil, link)
}

fn assert_refused(r: &TxResult, needle: &str) {
    r.assert_code("interchain-upgrade", 8);
    assert!(r.log.contains(needle), "{}", r.log);
}

#[tokio::test]
async fn an_impostor_hub_1_with_a_fresh_plan_name_can_neither_open_an_upgrade_channel_to_a_spoke_nor_get_a_plan_scheduled(
) {
    let mut n = net().await;
    let (mut evil, mut link) = impostor_hub(&mut n).await;
    // Hermes would open from the impostor's side: the spoke refuses the try.
    let r = refused_upgrade_channel(&mut evil, &mut n.spoke, &mut link).await;
    assert_refused(&r, "pinned client 07-tendermint-0");
    // ...and from the spoke's side, the init.
    let mut back = reversed(&link);
    let r = refused_upgrade_channel(&mut n.spoke, &mut evil, &mut back).await;
    assert_refused(&r, "pinned client 07-tendermint-0");
    assert!(current_plan(&n.spoke).await.is_none());
    // The real hub still dispatches a plan and the spoke schedules it.
    let height = n.spoke.height as i64 + 100;
    let (id, end) = n.dispatch_v2(height).await;
    assert_eq!(proposal_status(&n.hub, id).await, (3, String::new()));
    n.deliver(&end).await;
    assert_eq!(current_plan(&n.spoke).await.unwrap().name, "v2");
}

#[tokio::test]
async fn after_the_pinned_channel_is_open_a_second_upgrade_channel_is_refused() {
    let mut n = net().await;
    let r = refused_upgrade_channel(&mut n.hub, &mut n.spoke, &mut n.link).await;
    assert_refused(&r, "already open");
    let mut back = reversed(&n.link);
    let r = refused_upgrade_channel(&mut n.spoke, &mut n.hub, &mut back).await;
    assert_refused(&r, "already open");
}

#[tokio::test]
async fn an_impostor_spoke_1_can_neither_receive_a_dispatch_nor_make_it_applied() {
    let mut n = net().await;
    // A chain that calls itself spoke-1 and pins the real hub, connected to the hub.
    let (mut fake, trusted) = pinned_spoke(&mut n.hub, &n.clock, "spoke-1").await;
    let mut link = connect_pinned(&mut n.hub, &mut fake, trusted).await;
    let r = refused_upgrade_channel(&mut n.hub, &mut fake, &mut link).await;
    assert_refused(&r, "MsgRegisterSpoke");
    // The dispatch goes over the registered spoke's channel, never the impostor's.
    let height = n.spoke.height as i64 + 100;
    let (_, end) = n.dispatch_v2(height).await;
    let p = sent_packets(&end).pop().unwrap();
    assert_eq!(p.source_channel, n.ch.chan_a);
    n.deliver(&end).await;
    // A proof from the impostor's state does not verify through the registered client.
    let (_, proof, ph) = fake.prove("clients/07-tendermint-0/clientState").await;
    let h = ph.revision_height;
    let m = confirm_msg(&n.hub, "v2", h, proof);
    let r = relay(&mut fake, &mut n.hub, &mut link.a, vec![m]).await;
    assert_ne!(r.code, 0, "{}", r.log);
    assert_eq!(n.v2_status().await, DispatchStatus::Acknowledged as i32);
}

#[tokio::test]
async fn a_refused_plan_is_acknowledged_with_a_code_only_and_the_hub_records_its_meaning() {
    let mut n = net().await;
    // The hub's client learns the spoke's height; the plan clears the hub's check (delay 5)...
    relay(&mut n.spoke, &mut n.hub, &mut n.link.a, vec![])
        .await
        .ok();
    let height = n.link.a.trusted as i64 + 7;
    let (_, end) = n.dispatch_v2(height).await;
    // ...but the spoke moved on before the relayer delivered it.
    n.spoke.idle(10).await;
    let ack = n.deliver(&end).await;
    assert_eq!(
        String::from_utf8(ack).unwrap(),
        r#"{"error":"ABCI code: 9: error handling packet: see events for details"}"#
    );
    assert!(current_plan(&n.spoke).await.is_none());
    let d = dispatch_of(&n.hub, "v2").await.unwrap();
    assert_eq!(d.status, DispatchStatus::Rejected as i32);
    assert!(
        d.reason.contains("min_upgrade_delay (code 9)"),
        "{}",
        d.reason
    );
}

async fn bindings(c: &TestChain<AppNode>) -> Vec<iupb::Binding> {
    let r: iupb::QueryBindingsResponse = query(
        c,
        "/hub.interchain_upgrade.v1.Query/Bindings",
        &iupb::QueryBindingsRequest::default(),
    )
    .await;
    r.bindings
}

fn pin_msg(authority: &str, client_id: &str) -> IbcAny {
    raw_any(
        "/hub.interchain_upgrade.v1.MsgPinHubClient",
        &iupb::MsgPinHubClient {
            authority: authority.into(),
            client_id: client_id.into(),
        },
    )
}

#[tokio::test]
async fn only_the_spokes_own_governance_re_pins_its_hub_client() {
    let mut n = net().await;
    let spoke_gov = hub_auth::Address::module("gov").to_bech32("hub");
    // Nobody else may pin: a user's message naming itself as authority is refused.
    let me = n.spoke.relayer_address();
    let r = n.spoke.submit(vec![pin_msg(&me, "07-tendermint-0")]).await;
    r.assert_code("interchain-upgrade", 2);
    // A client of another chain cannot be pinned, even by governance.
    let mut evil = chain_with("evil-1", &n.clock, &[], ChainConfig::hub(), |_| {}).await;
    let evil_client = create_client(&mut evil, &mut n.spoke, &ClientParams::default()).await;
    let (id, _) = pass_on(
        &mut n.spoke,
        &n.clock,
        1,
        vec![pin_msg(&spoke_gov, &evil_client.client_id)],
    )
    .await;
    assert_failed(&n.spoke, id, "tracks evil-1").await;
    // Governance re-pins to a new client of the hub (after checking it against the hub): the
    // binding moves and the old channel no longer carries plans.
    let fresh = create_client(&mut n.hub, &mut n.spoke, &ClientParams::default()).await;
    let (id, _) = pass_on(
        &mut n.spoke,
        &n.clock,
        2,
        vec![pin_msg(&spoke_gov, &fresh.client_id)],
    )
    .await;
    assert_passed(&n.spoke, id).await;
    let b = bindings(&n.spoke).await;
    assert_eq!(b.len(), 1);
    assert_eq!(
        (b[0].client_id.as_str(), b[0].channel_id.as_str()),
        (fresh.client_id.as_str(), "")
    );
    let height = n.spoke.height as i64 + 100;
    let (_, end) = n.dispatch_v2(height).await;
    let ack = n.deliver(&end).await;
    assert_eq!(
        String::from_utf8(ack).unwrap(),
        r#"{"error":"ABCI code: 2: error handling packet: see events for details"}"#
    );
    assert!(current_plan(&n.spoke).await.is_none());
}

/// Every client state in `snap` of chain `chain_id`, as the IBC query lists them.
async fn client_states_in(
    snap: &hub_framework::cnidarium::Snapshot,
    chain_id: &str,
) -> Vec<ibc_proto::ibc::core::client::v1::IdentifiedClientState> {
    let host = hub_ibc::query::Host::new(chain_id, snap.version(), None);
    hub_ibc::query::client_states(snap, &host, &Default::default())
        .await
        .unwrap()
        .client_states
}

#[tokio::test]
async fn an_exported_hub_and_spoke_import_back_with_their_bindings_clients_and_channel() {
    use hub_interchain_upgrade::InterchainUpgradeRead;
    let n = net().await;
    for c in [&n.hub, &n.spoke] {
        let before = bindings(c).await;
        assert_eq!(before.len(), 1);
        assert!(!before[0].channel_id.is_empty(), "{before:?}");
        let (_dir, snap) = reimported(c, n.clock.now()).await;
        // The same bindings over the same client, connection and channel: the import keeps
        // the pinned client instead of creating another one.
        let after = snap.bindings().await.unwrap();
        assert_eq!(after, before);
        let original = c.node.app.storage().latest_snapshot();
        assert_eq!(
            client_states_in(&snap, &c.chain_id).await,
            client_states_in(&original, &c.chain_id).await
        );
    }
}

#[tokio::test]
async fn an_exported_hub_keeps_its_dispatches_and_the_packet_index_its_acks_use() {
    use hub_interchain_upgrade::InterchainUpgradeRead;
    let (n, _) = applied_net().await;
    let before = dispatch_of(&n.hub, "v2").await.expect("the dispatch of v2");
    let (_dir, snap) = reimported(&n.hub, n.clock.now()).await;
    let after = snap.dispatch("spoke-1", "v2").await.unwrap();
    assert_eq!(
        after.as_ref(),
        Some(&before),
        "the dispatch, with its status and heights"
    );
    // The packet that carried the plan still leads to it, as an ack or timeout would look it up.
    let index = snap
        .dispatch_of_packet(&before.channel_id, before.sequence)
        .await
        .unwrap();
    assert_eq!(index, Some(("spoke-1".to_string(), "v2".to_string())));
}

/// Hub governance's pause of all ICS-20 for `seconds`, sent on to the spokes.
fn propagated_pause(seconds: u64) -> IbcAny {
    raw_any(
        "/hub.circuit.v1.MsgPause",
        &hub_proto::circuit::v1::MsgPause {
            signer: gov_addr(),
            channel_id: String::new(),
            denom: String::new(),
            duration_seconds: seconds,
            reason: "bridge incident".into(),
            propagate: true,
        },
    )
}

async fn pause_dispatches(hub: &TestChain<AppNode>) -> Vec<iupb::PauseDispatch> {
    let r: iupb::QueryPauseDispatchesResponse = query(
        hub,
        "/hub.interchain_upgrade.v1.Query/PauseDispatches",
        &iupb::QueryPauseDispatchesRequest::default(),
    )
    .await;
    r.pause_dispatches
}

#[tokio::test]
async fn a_propagated_pause_stops_the_spokes_transfers_toward_the_hub_until_the_same_expiry() {
    let mut n = net().await;
    let t = open_transfer_channel(&mut n.hub, &mut n.spoke, &mut n.link).await;
    let send = |spoke: &TestChain<AppNode>, hub: &TestChain<AppNode>| {
        common::transfer_msg(
            &spoke.relayer_address(),
            &t.chan_b,
            "uhub",
            "5",
            "someone",
            (hub.revision(), hub.height + 1000),
            0,
        )
    };
    let (_, end) = n.pass(vec![propagated_pause(600)]).await;
    let p = sent_packets(&end)
        .pop()
        .expect("the pause went to the spoke");
    assert_eq!(p.source_channel, n.ch.chan_a, "over the control channel");
    let d = pause_dispatches(&n.hub).await;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].status, DispatchStatus::Pending as i32);

    // The spoke pauses its transfer channel toward the hub and acknowledges.
    n.deliver_packet(&p).await;
    let d = pause_dispatches(&n.hub).await;
    assert_eq!(
        (
            d[0].spoke_chain_id.as_str(),
            d[0].status,
            d[0].channels_paused
        ),
        ("spoke-1", DispatchStatus::Acknowledged as i32, 1),
        "the hub shows the spoke applied it"
    );
    let m = send(&n.spoke, &n.hub);
    let r = n.spoke.submit(vec![m]).await;
    r.assert_code("circuit", 2);
    assert!(r.log.contains("bridge incident"), "{}", r.log);

    // At the hub's expiry the spoke's pause lifts by itself.
    n.clock.advance(601);
    n.spoke.block(vec![]).await;
    let m = send(&n.spoke, &n.hub);
    n.spoke.submit(vec![m]).await.ok();
}

#[tokio::test]
async fn only_the_hub_propagates_a_pause() {
    let mut n = net().await;
    // The spoke's own governance may pause its chain, but has no spokes to send to.
    n.spoke.block(vec![]).await;
    let (id, end) = pass_on(&mut n.spoke, &n.clock, 1, vec![propagated_pause(60)]).await;
    assert!(sent_packets(&end).is_empty());
    assert_failed(&n.spoke, id, "only the hub propagates").await;
}
