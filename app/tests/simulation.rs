//! Randomized simulation, in the style of the Cosmos SDK's `simulation` package: two in-process
//! hub chains joined by an ICS-20 channel run many blocks of random valid and invalid txs
//! (bank sends, overdrafts, replays, forged signatures, delegations, undelegations, new
//! validators, proposals, deposits, votes, transfers both ways and back, relays of receives,
//! acks, timeouts and duplicates), checking after every block:
//!
//! - bank: every denom's supply is the sum of all balances;
//! - staking: the bonded pool holds the bonded validators' tokens, the not-bonded pool the
//!   others' plus every unbonding entry; a validator's shares are its delegations' sum;
//! - gov: the gov account holds exactly the deposits of the proposals it keeps;
//! - IBC: no packet is received twice or both received and timed out; each chain's
//!   `nextSequenceSend` follows the packets it sent; escrow on a token's home chain equals the
//!   vouchers of it on the other chain plus the amounts in flight both ways.
//!
//! At the end every packet is settled, each chain's genesis export is imported into an empty
//! chain and must hold the same records, and a second run of the same seed must reach the
//! same app hash at every height (determinism).
//!
//! `HUB_SIM_SEED` (default 1) picks the run, `HUB_SIM_STEPS` (default 120) its length; a
//! failure prints the seed and step that reproduce it.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::gov::{gov_genesis, raw_any};
use common::{chain_with, reimported, transfer_msg, AppNode};
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use cosmos_sdk_proto::cosmos::gov::v1 as govpb;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as stakingpb;
use hub_app::ChainConfig;
use hub_auth::Address;
use hub_bank::BankRead;
use hub_framework::cnidarium::StateRead;
use hub_framework::{Dec, StateReadProto};
use hub_gov::GovRead;
use hub_staking::StakingRead;
use hub_testkit::ibc::{
    connect_transfer, relay_ack, relay_recv, relay_timeout, sent_packets, written_acks,
    ChannelPair, Clock, End, Link, TestChain, TxResult,
};
use hub_testkit::{TestKey, TxSpec};
use ibc_proto::google::protobuf::Any as IbcAny;
use ibc_proto::ibc::core::channel::v1::Packet;
use prost::Message;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

type Chain = TestChain<AppNode>;

/// SplitMix64: a small, seedable, platform-independent generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Which chain: A (index 0) or B (index 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    A,
    B,
}

impl Side {
    fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }
}

/// A transfer packet the simulation sent, and what it carries.
#[derive(Clone, Debug)]
struct Sent {
    packet: Packet,
    from: Side,
    amount: u128,
    /// The token's home chain: `from` (escrowed there) or the other one (a voucher returning).
    home: Side,
}

/// A tx with the outcome the simulation expects of it.
struct Planned {
    tx: Vec<u8>,
    valid: bool,
    what: &'static str,
}

/// Per-kind counts of what a run did, printed at the end.
#[derive(Default)]
struct Stats(BTreeMap<&'static str, u64>);

impl Stats {
    fn add(&mut self, what: &'static str) {
        *self.0.entry(what).or_default() += 1;
    }
}

const USERS: usize = 5;
const AMOUNT: u128 = 1_000_000;

struct Sim {
    seed: u64,
    step: u64,
    rng: Rng,
    clock: Clock,
    a: Chain,
    b: Chain,
    link: Link,
    chan: ChannelPair,
    users: Vec<TestKey>,
    /// Txs that were committed successfully (for replays).
    committed: Vec<(Side, Vec<u8>)>,
    sent: BTreeMap<(Side, u64), Sent>,
    /// Acks written on a side (the receiver) not yet relayed back.
    acks: Vec<(Side, Packet, Vec<u8>)>,
    /// Acks relayed already (for duplicates).
    relayed_acks: Vec<(Side, Packet, Vec<u8>)>,
    received: BTreeMap<(Side, u64), u32>,
    settled: BTreeMap<(Side, u64), &'static str>,
    /// Users that created a validator.
    validators: Vec<usize>,
    /// App hashes by (side, height).
    hashes: BTreeMap<(Side, u64), Vec<u8>>,
    stats: Stats,
}

fn a_genesis(g: &mut serde_json::Value) {
    g["gov"] = gov_genesis();
    g["staking"]["params"]["unbonding_time"] = "30s".into();
}

impl Sim {
    async fn new(seed: u64) -> Sim {
        let clock = Clock::new(1_700_000_000);
        let users: Vec<TestKey> = (0..USERS)
            .map(|i| TestKey::new(&format!("sim{i}")))
            .collect();
        let funded: Vec<&TestKey> = users.iter().collect();
        let mut a = chain_with("hub-1", &clock, &funded, ChainConfig::hub(), a_genesis).await;
        let mut b = chain_with("hub-2", &clock, &funded, ChainConfig::hub(), a_genesis).await;
        let (link, chan) = connect_transfer(&mut a, &mut b).await;
        Sim {
            seed,
            step: 0,
            rng: Rng(seed),
            clock,
            a,
            b,
            link,
            chan,
            users,
            committed: vec![],
            sent: BTreeMap::new(),
            acks: vec![],
            relayed_acks: vec![],
            received: BTreeMap::new(),
            settled: BTreeMap::new(),
            validators: vec![],
            hashes: BTreeMap::new(),
            stats: Stats::default(),
        }
    }

    fn chain(&mut self, s: Side) -> &mut Chain {
        match s {
            Side::A => &mut self.a,
            Side::B => &mut self.b,
        }
    }

    fn chain_ref(&self, s: Side) -> &Chain {
        match s {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }

    fn channel(&self, s: Side) -> &str {
        match s {
            Side::A => &self.chan.chan_a,
            Side::B => &self.chan.chan_b,
        }
    }

    /// The voucher denom on `on` of the other chain's `uhub`.
    fn voucher(&self, on: Side) -> String {
        let path = format!("transfer/{}/uhub", self.channel(on));
        format!("ibc/{}", hex::encode_upper(Sha256::digest(path)))
    }

    fn context(&self) -> String {
        format!(
            "HUB_SIM_SEED={} step {} (A at {}, B at {})",
            self.seed, self.step, self.a.height, self.b.height
        )
    }

    /// One step: a block of user txs on either chain, a relay, or idle blocks.
    async fn step(&mut self) {
        self.step += 1;
        match self.rng.below(10) {
            0..=3 => self.user_block(Side::A).await,
            4..=5 => self.user_block(Side::B).await,
            6..=8 => {
                for _ in 0..1 + self.rng.below(3) {
                    self.relay_one().await;
                }
            }
            _ => {
                let s = if self.rng.chance(50) {
                    Side::A
                } else {
                    Side::B
                };
                let n = 1 + self.rng.below(4);
                for _ in 0..n {
                    self.block(s, vec![]).await;
                }
            }
        }
    }

    /// A block on `side` of 1–4 txs, each from a different user.
    async fn user_block(&mut self, side: Side) {
        let n = 1 + self.rng.below(4) as usize;
        let first = self.rng.below(USERS as u64) as usize;
        let mut planned = Vec::new();
        for k in 0..n {
            let who = (first + k) % USERS;
            planned.push(self.plan(side, who).await);
        }
        let txs = planned.iter().map(|p| p.tx.clone()).collect();
        // The packets a block sent are noted before the invariants are checked.
        let results = self.chain(side).block(txs).await;
        for (p, r) in planned.iter().zip(&results) {
            self.stats.add(p.what);
            if p.valid {
                assert_eq!(
                    r.code,
                    0,
                    "{}: valid {} failed: {}",
                    self.context(),
                    p.what,
                    r.log
                );
                self.committed.push((side, p.tx.clone()));
                self.note_sent(side, r);
            } else {
                assert_ne!(
                    r.code,
                    0,
                    "{}: invalid {} succeeded",
                    self.context(),
                    p.what
                );
            }
        }
        self.after_block(side).await;
    }

    /// Runs a block of `txs` on `side`, records its app hash, and checks every invariant.
    async fn block(&mut self, side: Side, txs: Vec<Vec<u8>>) -> Vec<TxResult> {
        let results = self.chain(side).block(txs).await;
        self.after_block(side).await;
        results
    }

    async fn after_block(&mut self, side: Side) {
        let c = self.chain_ref(side);
        let root = c
            .node
            .app
            .storage()
            .latest_snapshot()
            .root_hash()
            .await
            .unwrap();
        self.hashes.insert((side, c.height), root.0.to_vec());
        self.check().await;
    }

    /// A tx of user `who` on `side`: a random kind, valid or not.
    async fn plan(&mut self, side: Side, who: usize) -> Planned {
        let key = self.users[who].clone();
        let me = key.hub();
        let roll = self.rng.below(100);
        let (msgs, valid, what): (Vec<IbcAny>, bool, &'static str) = match roll {
            0..=19 => {
                let to = self.users[self.rng.below(USERS as u64) as usize].hub();
                let amount = 1 + self.rng.below(AMOUNT as u64);
                (vec![send(&me, &to, amount as u128, "uhub")], true, "send")
            }
            20..=24 => {
                // More than every account together: a send to it earlier in the block
                // cannot make it valid.
                let have = self.balance(side, &key.address(), "uhub").await;
                let amount = have + common::RICH * (USERS as u128 + 1);
                (vec![send(&me, &me, amount, "uhub")], false, "overdraft")
            }
            25..=29 if !self.committed.is_empty() => {
                // On its own chain its sequence is spent; on the other, its chain id differs.
                let (_, tx) = self.rng.pick(&self.committed).clone();
                return Planned {
                    tx,
                    valid: false,
                    what: "replay",
                };
            }
            30..=32 => {
                let forger = self.users[(who + 1) % USERS].clone();
                let msgs = vec![send(&me, &forger.hub(), 1, "uhub")];
                let tx = self.forged(side, &key, &forger, msgs).await;
                return Planned {
                    tx,
                    valid: false,
                    what: "forged signature",
                };
            }
            33..=54 => self.transfer(side, who).await,
            55..=59 => (
                vec![transfer_msg(
                    &me,
                    "channel-99",
                    "uhub",
                    "1",
                    &me,
                    (1, 1_000_000),
                    0,
                )],
                false,
                "transfer on an unknown channel",
            ),
            60..=89 if side == Side::A => self.staking_or_gov(who).await,
            _ => {
                let amount = 1 + self.rng.below(1000);
                (
                    vec![send(&me, &me, amount as u128, "uhub")],
                    true,
                    "send to self",
                )
            }
        };
        let tx = self.chain(side).sign_with(&key, msgs).await;
        Planned { tx, valid, what }
    }

    async fn forged(
        &mut self,
        side: Side,
        claimed: &TestKey,
        signer: &TestKey,
        msgs: Vec<IbcAny>,
    ) -> Vec<u8> {
        let c = self.chain(side);
        let (account_number, sequence) =
            hub_testkit::ibc::Node::account(&c.node, claimed.address().0).await;
        let mut spec = TxSpec::new(msgs.into_iter().map(to_sdk_any).collect());
        spec.chain_id = c.chain_id.clone();
        spec.account_number = account_number;
        spec.sequence = sequence;
        spec.gas = c.gas_limit;
        spec.fee = 10_000;
        spec.sign_as(claimed, signer)
    }

    /// An ICS-20 transfer from `side`: native `uhub` out, or vouchers of the other chain's
    /// `uhub` back home; sometimes more than the sender holds (invalid).
    async fn transfer(&mut self, side: Side, who: usize) -> (Vec<IbcAny>, bool, &'static str) {
        let key = self.users[who].clone();
        let voucher = self.voucher(side);
        let held = self.balance(side, &key.address(), &voucher).await;
        let (denom, what) = if held > 0 && self.rng.chance(50) {
            (voucher, "transfer of vouchers home")
        } else {
            ("uhub".to_string(), "transfer out")
        };
        let have = self.balance(side, &key.address(), &denom).await;
        let over = self.rng.chance(10);
        let amount = if over {
            have + common::RICH * (USERS as u128 + 1)
        } else {
            (1 + self.rng.below(AMOUNT as u64) as u128).min(have)
        };
        let dst_height = self.chain_ref(side.other()).height;
        let dst_revision = self.chain_ref(side.other()).revision();
        let ttl = 2 + self.rng.below(20);
        let receiver = self.users[self.rng.below(USERS as u64) as usize].hub();
        let chan = self.channel(side).to_string();
        let m = transfer_msg(
            &key.hub(),
            &chan,
            &denom,
            &amount.to_string(),
            &receiver,
            (dst_revision, dst_height + ttl),
            0,
        );
        if over {
            (vec![m], false, "transfer beyond the balance")
        } else {
            (vec![m], true, what)
        }
    }

    /// Staking and gov on A, whose gov periods are short.
    async fn staking_or_gov(&mut self, who: usize) -> (Vec<IbcAny>, bool, &'static str) {
        let key = self.users[who].clone();
        let me = key.hub();
        let vals = self
            .a
            .node
            .app
            .storage()
            .latest_snapshot()
            .validators()
            .await
            .unwrap();
        let val = self.rng.pick(&vals).operator_address.clone();
        match self.rng.below(8) {
            0 | 1 => {
                let amount = 1 + self.rng.below(5 * AMOUNT as u64);
                (vec![delegate(&me, &val, amount as u128)], true, "delegate")
            }
            2 => {
                let staked = self.delegated(&key.address(), &val).await;
                if staked == 0 {
                    (
                        vec![undelegate(&me, &val, 1)],
                        false,
                        "undelegate without a delegation",
                    )
                } else {
                    let amount = 1 + self.rng.below(staked as u64) as u128;
                    (vec![undelegate(&me, &val, amount)], true, "undelegate")
                }
            }
            3 => {
                let valoper = key.address().to_bech32("hubvaloper");
                let valid = !self.validators.contains(&who);
                if valid {
                    self.validators.push(who);
                }
                let m = create_validator(&valoper, &format!("sim-val-{who}"), 2 * AMOUNT);
                (
                    vec![m],
                    valid,
                    if valid {
                        "create validator"
                    } else {
                        "create a validator twice"
                    },
                )
            }
            4 => {
                let deposit = if self.rng.chance(50) { 1000 } else { 400 };
                (vec![submit_proposal(&me, deposit)], true, "submit proposal")
            }
            5 => match self
                .open_proposal(govpb::ProposalStatus::DepositPeriod)
                .await
            {
                Some(id) => (vec![deposit(&me, id, 300)], true, "deposit"),
                None => (
                    vec![deposit(&me, 9_999, 300)],
                    false,
                    "deposit on no proposal",
                ),
            },
            _ => match self
                .open_proposal(govpb::ProposalStatus::VotingPeriod)
                .await
            {
                Some(id) => {
                    let option = 1 + self.rng.below(4) as i32;
                    (vec![vote(&me, id, option)], true, "vote")
                }
                None => (vec![vote(&me, 9_999, 1)], false, "vote on no proposal"),
            },
        }
    }

    /// A random proposal of A in `status`, unless its period ends in the next block.
    async fn open_proposal(&mut self, status: govpb::ProposalStatus) -> Option<u64> {
        let snap = self.a.node.app.storage().latest_snapshot();
        let next = self.clock.now().unix_timestamp() + 2;
        let open: Vec<u64> = snap
            .proposals()
            .await
            .unwrap()
            .into_iter()
            .filter(|p| p.status == status as i32)
            .filter(|p| {
                let end = match status {
                    govpb::ProposalStatus::DepositPeriod => &p.deposit_end_time,
                    _ => &p.voting_end_time,
                };
                end.as_ref().is_some_and(|t| t.seconds > next)
            })
            .map(|p| p.id)
            .collect();
        (!open.is_empty()).then(|| *self.rng.pick(&open))
    }

    async fn delegated(&self, delegator: &Address, valoper: &str) -> u128 {
        let snap = self.a.node.app.storage().latest_snapshot();
        for d in snap.delegations_of(delegator).await.unwrap() {
            if d.validator_address == valoper {
                return Dec::parse(&d.shares).unwrap().truncate();
            }
        }
        0
    }

    async fn balance(&self, side: Side, addr: &Address, denom: &str) -> u128 {
        let snap = self.chain_ref(side).node.app.storage().latest_snapshot();
        snap.balance(addr, denom).await.unwrap()
    }

    /// Records the transfer packets a committed tx on `from` sent.
    fn note_sent(&mut self, from: Side, r: &TxResult) {
        for packet in sent_packets(r) {
            let data: serde_json::Value = serde_json::from_slice(&packet.data).unwrap();
            let amount = data["amount"].as_str().unwrap().parse().unwrap();
            let home = if data["denom"] == "uhub" {
                from
            } else {
                from.other()
            };
            let seq = packet.sequence;
            self.sent.insert(
                (from, seq),
                Sent {
                    packet,
                    from,
                    amount,
                    home,
                },
            );
        }
    }

    /// The packets sent and not yet settled.
    fn unsettled(&self) -> Vec<(Side, u64)> {
        self.sent
            .keys()
            .filter(|k| !self.settled.contains_key(k))
            .copied()
            .collect()
    }

    /// Records packet `k` as settled (`how`); it must not have been settled before.
    fn settle(&mut self, k: (Side, u64), how: &'static str) {
        assert!(
            self.settled.insert(k, how).is_none(),
            "{}: {k:?} settled twice",
            self.context()
        );
    }

    /// Relays one thing: a receive (or a timeout, once due), an ack, or a duplicate of
    /// either.
    async fn relay_one(&mut self) {
        if !self.relayed_acks.is_empty() && self.rng.chance(5) {
            let (at, p, ack) = self.rng.pick(&self.relayed_acks).clone();
            self.relay_ack(at, &p, &ack, true).await;
            return;
        }
        if !self.acks.is_empty() && self.rng.chance(40) {
            let i = self.rng.below(self.acks.len() as u64) as usize;
            let (at, p, ack) = self.acks.remove(i);
            self.relay_ack(at, &p, &ack, false).await;
            return;
        }
        let open = self.unsettled();
        if open.is_empty() {
            return;
        }
        let k = *self.rng.pick(&open);
        self.deliver(k).await;
    }

    /// Receives packet `k` on its destination, or times it out if it can no longer be
    /// received; a packet received already is sometimes relayed again (a duplicate).
    async fn deliver(&mut self, k: (Side, u64)) {
        let s = self.sent[&k].clone();
        let dst = s.from.other();
        // Before deciding: a refresh moves the destination on.
        self.refresh(dst).await;
        self.refresh(s.from).await;
        let timeout = s.packet.timeout_height.unwrap().revision_height;
        let due = self.chain_ref(dst).height + 1 >= timeout;
        let received = self.received.contains_key(&k);
        if received && !self.rng.chance(20) {
            return;
        }
        if due && !received {
            let r = self.timeout_packet(&s.packet, dst).await;
            self.stats.add("relay timeout");
            assert_eq!(r.code, 0, "{}: timeout of {k:?}: {}", self.context(), r.log);
            for _ in events(&r, "timeout_packet") {
                assert!(
                    !self.received.contains_key(&k),
                    "{}: timed out a received {k:?}",
                    self.context()
                );
                self.settle(k, "timed out");
            }
            self.after_block(s.from).await;
            return;
        }
        if due {
            return;
        }
        let r = self.recv_packet(&s.packet, dst).await;
        self.stats.add(if received {
            "relay duplicate receive"
        } else {
            "relay receive"
        });
        if !received {
            assert_eq!(r.code, 0, "{}: receive of {k:?}: {}", self.context(), r.log);
        }
        for _ in events(&r, "recv_packet") {
            *self.received.entry(k).or_default() += 1;
        }
        for (p, ack) in written_acks(&r) {
            assert_eq!(
                ack,
                br#"{"result":"AQ=="}"#.to_vec(),
                "{}: an error ack for {k:?}",
                self.context()
            );
            self.acks.push((dst, p, ack));
        }
        self.after_block(dst).await;
    }

    /// Relays the receive of `p` into `dst` (one block there).
    async fn recv_packet(&mut self, p: &Packet, dst: Side) -> TxResult {
        let (src_chain, dst_chain, end) = self.ends(dst);
        relay_recv(src_chain, dst_chain, end, p).await
    }

    /// Relays the timeout of `p`, which `dst` never received, back to its sender.
    async fn timeout_packet(&mut self, p: &Packet, dst: Side) -> TxResult {
        let (receiver, sender, end) = self.ends(dst.other());
        relay_timeout(receiver, sender, end, p, 1).await
    }

    /// Runs an empty block on `to` if its next header was signed long ago (for a proof): a
    /// relay into it must not carry a header newer than that block by more than the client's
    /// clock drift, as no live chain's block time lags the others' by minutes.
    async fn refresh(&mut self, to: Side) {
        let lag = self.clock.now().unix_timestamp() - self.chain_ref(to).time().unix_timestamp();
        if lag > 10 {
            self.block(to, vec![]).await;
        }
    }

    /// (the other chain, chain `to`, `to`'s end of the link): where a relay to `to` reads
    /// proofs and where it writes.
    fn ends(&mut self, to: Side) -> (&mut Chain, &mut Chain, &mut End) {
        match to {
            Side::A => (&mut self.b, &mut self.a, &mut self.link.a),
            Side::B => (&mut self.a, &mut self.b, &mut self.link.b),
        }
    }

    async fn relay_ack(&mut self, at: Side, p: &Packet, ack: &[u8], dup: bool) {
        let k = (at.other(), p.sequence);
        let to = at.other();
        self.refresh(to).await;
        let (src, dst, end) = self.ends(to);
        let r = relay_ack(src, dst, end, p, ack).await;
        self.stats.add(if dup {
            "relay duplicate ack"
        } else {
            "relay ack"
        });
        if !dup {
            assert_eq!(r.code, 0, "{}: ack of {k:?}: {}", self.context(), r.log);
            self.relayed_acks.push((at, p.clone(), ack.to_vec()));
        }
        for _ in events(&r, "acknowledge_packet") {
            assert!(
                self.received.contains_key(&k),
                "{}: ack of an unreceived {k:?}",
                self.context()
            );
            self.settle(k, "acked");
        }
        self.after_block(to).await;
    }

    /// Relays until every packet is settled: receives, acks, then timeouts once due.
    async fn drain(&mut self) {
        for _ in 0..500 {
            if let Some((at, p, ack)) = self.acks.pop() {
                self.relay_ack(at, &p, &ack, false).await;
                continue;
            }
            let open = self.unsettled();
            let Some(k) = open
                .iter()
                .copied()
                .find(|k| !self.received.contains_key(k))
            else {
                assert!(self.acks.is_empty());
                assert_eq!(open.len(), 0, "{}: packets left unsettled", self.context());
                return;
            };
            let before = self.settled.len() + self.received.len();
            self.deliver(k).await;
            if self.settled.len() + self.received.len() == before {
                // Not due yet and not receivable: let the destination pass its timeout.
                let dst = k.0.other();
                self.block(dst, vec![]).await;
            }
        }
        panic!("{}: relaying did not settle every packet", self.context());
    }

    /// Every invariant, on both chains.
    async fn check(&self) {
        for (k, n) in &self.received {
            assert_eq!(*n, 1, "{}: {k:?} received {n} times", self.context());
        }
        for side in [Side::A, Side::B] {
            self.check_bank(side).await;
            self.check_staking(side).await;
            self.check_gov(side).await;
            self.check_sequences(side).await;
            self.check_escrow(side).await;
        }
    }

    async fn check_bank(&self, side: Side) {
        let snap = self.chain_ref(side).node.app.storage().latest_snapshot();
        let g = hub_app::runtime::export_genesis(&snap).await.unwrap();
        let mut sums: BTreeMap<String, u128> = BTreeMap::new();
        for b in &g.bank.balances {
            for c in &b.coins {
                *sums.entry(c.denom.clone()).or_default() += c.amount.parse::<u128>().unwrap();
            }
        }
        for (denom, sum) in sums {
            let supply = snap.supply(&denom).await.unwrap();
            assert_eq!(
                supply,
                sum,
                "{}: {side:?} supply of {denom} vs balances",
                self.context()
            );
        }
    }

    async fn check_staking(&self, side: Side) {
        let snap = self.chain_ref(side).node.app.storage().latest_snapshot();
        let (mut bonded, mut not_bonded) = (0u128, 0u128);
        for v in snap.validators().await.unwrap() {
            let tokens: u128 = v.tokens.parse().unwrap();
            if v.status == stakingpb::BondStatus::Bonded as i32 {
                bonded += tokens;
            } else {
                not_bonded += tokens;
            }
            let operator = Address::from_bech32(&v.operator_address, "hubvaloper").unwrap();
            let shares = snap
                .delegations_to(&operator)
                .await
                .unwrap()
                .iter()
                .map(|d| Dec::parse(&d.shares).unwrap().0)
                .sum::<u128>();
            assert_eq!(
                Dec(shares),
                Dec::parse(&v.delegator_shares).unwrap(),
                "{}: {side:?} shares of {}",
                self.context(),
                v.operator_address
            );
        }
        let unbonding: Vec<(String, Vec<u8>)> = snap
            .prefix_raw_vec("staking/unbonding_delegations/")
            .await
            .unwrap();
        for (_, bytes) in unbonding {
            let u = stakingpb::UnbondingDelegation::decode(bytes.as_slice()).unwrap();
            not_bonded += u
                .entries
                .iter()
                .map(|e| e.balance.parse::<u128>().unwrap())
                .sum::<u128>();
        }
        let pool = |a: Address| {
            let snap = &snap;
            async move { snap.balance(&a, "uhub").await.unwrap() }
        };
        let ctx = self.context();
        assert_eq!(
            pool(hub_staking::bank::bonded_pool()).await,
            bonded,
            "{ctx}: {side:?} bonded pool"
        );
        assert_eq!(
            pool(hub_staking::bank::not_bonded_pool()).await,
            not_bonded,
            "{ctx}: {side:?} not-bonded pool"
        );
    }

    async fn check_gov(&self, side: Side) {
        let snap = self.chain_ref(side).node.app.storage().latest_snapshot();
        let mut deposits = 0u128;
        for p in snap.proposals().await.unwrap() {
            for d in snap.deposits(p.id).await.unwrap() {
                deposits += d
                    .amount
                    .iter()
                    .map(|c| c.amount.parse::<u128>().unwrap())
                    .sum::<u128>();
            }
        }
        let held = snap
            .balance(&hub_gov::module_address(), "uhub")
            .await
            .unwrap();
        assert_eq!(
            held,
            deposits,
            "{}: {side:?} gov account vs deposits",
            self.context()
        );
    }

    async fn check_sequences(&self, side: Side) {
        let snap = self.chain_ref(side).node.app.storage().latest_snapshot();
        let key = format!(
            "ibc/nextSequenceSend/ports/transfer/channels/{}",
            self.channel(side)
        );
        let next = snap
            .get_raw(&key)
            .await
            .unwrap()
            .map(|v| u64::from_be_bytes(v.try_into().unwrap()));
        let sent = self.sent.keys().filter(|k| k.0 == side).count() as u64;
        assert_eq!(
            next.unwrap_or(1),
            sent + 1,
            "{}: {side:?} nextSequenceSend",
            self.context()
        );
    }

    /// The `uhub` of `home`: escrowed there = vouchers of it on the other chain + in flight.
    async fn check_escrow(&self, home: Side) {
        let away = home.other();
        let snap = |s: Side| self.chain_ref(s).node.app.storage().latest_snapshot();
        let escrow = hub_transfer::escrow_address("transfer", self.channel(home));
        let escrowed = snap(home).balance(&escrow, "uhub").await.unwrap();
        let vouchers = snap(away).supply(&self.voucher(away)).await.unwrap();
        let mut in_flight = 0u128;
        for (k, s) in self.sent.iter().filter(|(_, s)| s.home == home) {
            let p = &s.packet;
            let commitment = format!(
                "ibc/commitments/ports/transfer/channels/{}/sequences/{}",
                p.source_channel, p.sequence
            );
            let committed = snap(s.from).get_raw(&commitment).await.unwrap().is_some();
            if committed && !self.received.contains_key(k) {
                in_flight += s.amount;
            }
        }
        assert_eq!(
            escrowed,
            vouchers + in_flight,
            "{}: {home:?}'s uhub: escrow = vouchers + in flight",
            self.context()
        );
    }
}

fn events(r: &TxResult, kind: &str) -> Vec<String> {
    r.attr(kind, "packet_sequence")
}

fn to_sdk_any(a: IbcAny) -> cosmos_sdk_proto::Any {
    cosmos_sdk_proto::Any {
        type_url: a.type_url,
        value: a.value,
    }
}

fn coin(amount: u128) -> Coin {
    Coin {
        denom: "uhub".into(),
        amount: amount.to_string(),
    }
}

fn send(from: &str, to: &str, amount: u128, denom: &str) -> IbcAny {
    let m = cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend {
        from_address: from.into(),
        to_address: to.into(),
        amount: vec![Coin {
            denom: denom.into(),
            amount: amount.to_string(),
        }],
    };
    raw_any("/cosmos.bank.v1beta1.MsgSend", &m)
}

fn delegate(delegator: &str, valoper: &str, amount: u128) -> IbcAny {
    let m = stakingpb::MsgDelegate {
        delegator_address: delegator.into(),
        validator_address: valoper.into(),
        amount: Some(coin(amount)),
    };
    raw_any("/cosmos.staking.v1beta1.MsgDelegate", &m)
}

fn undelegate(delegator: &str, valoper: &str, amount: u128) -> IbcAny {
    let m = stakingpb::MsgUndelegate {
        delegator_address: delegator.into(),
        validator_address: valoper.into(),
        amount: Some(coin(amount)),
    };
    raw_any("/cosmos.staking.v1beta1.MsgUndelegate", &m)
}

fn create_validator(valoper: &str, seed: &str, amount: u128) -> IbcAny {
    let key = hub_testkit::chain::TestValidator::new(seed, 1)
        .public_key()
        .to_bytes();
    #[allow(deprecated)] // `delegator_address` is deprecated in the SDK; it is left empty
    let m = stakingpb::MsgCreateValidator {
        description: Some(stakingpb::Description {
            moniker: seed.into(),
            ..Default::default()
        }),
        commission: Some(stakingpb::CommissionRates {
            rate: "0.100000000000000000".into(),
            max_rate: "0.200000000000000000".into(),
            max_change_rate: "0.010000000000000000".into(),
        }),
        min_self_delegation: "1".into(),
        delegator_address: String::new(),
        validator_address: valoper.into(),
        pubkey: Some(cosmos_sdk_proto::Any {
            type_url: "/cosmos.crypto.ed25519.PubKey".into(),
            value: cosmos_sdk_proto::cosmos::crypto::ed25519::PubKey { key }.encode_to_vec(),
        }),
        value: Some(coin(amount)),
    };
    raw_any("/cosmos.staking.v1beta1.MsgCreateValidator", &m)
}

fn submit_proposal(proposer: &str, deposit: u128) -> IbcAny {
    let m = govpb::MsgSubmitProposal {
        messages: vec![],
        initial_deposit: vec![coin(deposit)],
        proposer: proposer.into(),
        metadata: String::new(),
        title: "simulated".into(),
        summary: "a text proposal".into(),
        expedited: false,
    };
    raw_any("/cosmos.gov.v1.MsgSubmitProposal", &m)
}

fn deposit(depositor: &str, id: u64, amount: u128) -> IbcAny {
    let m = govpb::MsgDeposit {
        proposal_id: id,
        depositor: depositor.into(),
        amount: vec![coin(amount)],
    };
    raw_any("/cosmos.gov.v1.MsgDeposit", &m)
}

fn vote(voter: &str, id: u64, option: i32) -> IbcAny {
    let m = govpb::MsgVote {
        proposal_id: id,
        voter: voter.into(),
        option,
        metadata: String::new(),
    };
    raw_any("/cosmos.gov.v1.MsgVote", &m)
}

/// Exports `c`'s state as a genesis, imports it into an empty chain, and compares every
/// record of every store, the last block's height and time excepted.
async fn export_import(c: &Chain) {
    let snap = c.node.app.storage().latest_snapshot();
    let (_dir, imported) = reimported(c, c.time()).await;
    let mut differ = Vec::new();
    let prefixes = ChainConfig::hub()
        .substores()
        .iter()
        .map(|s| format!("{s}/"));
    // And the main store (the app's own keys).
    for prefix in prefixes.chain([String::new()]) {
        // The last block's height and time: the import is a chain at its genesis (like the
        // SDK's import test, which skips such keys; an `initial_height` > 1 is not supported).
        let last_block = |k: &String| k != "app/block_height" && k != "app/block_time";
        let mut mine = snap.prefix_raw_vec(&prefix).await.unwrap();
        mine.retain(|(k, _)| last_block(k));
        let mut theirs = imported.prefix_raw_vec(&prefix).await.unwrap();
        theirs.retain(|(k, _)| last_block(k));
        let mine: BTreeMap<_, _> = mine.into_iter().collect();
        let theirs: BTreeMap<_, _> = theirs.into_iter().collect();
        for (k, v) in &mine {
            match theirs.get(k) {
                None => differ.push(format!("lost {k}")),
                Some(w) if w != v => differ.push(format!("changed {k}")),
                _ => {}
            }
        }
        for k in theirs.keys().filter(|k| !mine.contains_key(*k)) {
            differ.push(format!("added {k}"));
        }
    }
    assert!(
        differ.is_empty(),
        "{}: export → import differs:\n{}",
        c.chain_id,
        differ.join("\n")
    );
}

/// Runs a whole simulation of `steps` steps from `seed`; returns the app hashes by height.
async fn run(seed: u64, steps: u64) -> (BTreeMap<(Side, u64), Vec<u8>>, Sim) {
    let mut sim = Sim::new(seed).await;
    for _ in 0..steps {
        sim.step().await;
    }
    sim.drain().await;
    sim.check().await;
    (sim.hashes.clone(), sim)
}

#[tokio::test]
async fn a_seeded_simulation_keeps_every_invariant_exports_and_replays_deterministically() {
    let seed = env_u64("HUB_SIM_SEED", 1);
    let steps = env_u64("HUB_SIM_STEPS", 120);
    let (first, sim) = run(seed, steps).await;
    println!(
        "simulation seed {seed}, {steps} steps: A at {}, B at {}",
        sim.a.height, sim.b.height
    );
    for (what, n) in &sim.stats.0 {
        println!("  {what}: {n}");
    }
    let kinds = sim.stats.0.len();
    assert!(
        kinds >= 15,
        "the run exercised only {kinds} kinds of tx: {:?}",
        sim.stats.0.keys()
    );
    export_import(&sim.a).await;
    export_import(&sim.b).await;
    drop(sim);
    let (second, _) = run(seed, steps).await;
    assert_eq!(
        first.len(),
        second.len(),
        "HUB_SIM_SEED={seed}: the runs made different blocks"
    );
    for (k, h) in &first {
        assert_eq!(
            Some(h),
            second.get(k),
            "HUB_SIM_SEED={seed}: app hashes differ at {k:?}"
        );
    }
}

#[test]
fn the_generator_is_seeded_and_spreads() {
    let mut a = Rng(7);
    let mut b = Rng(7);
    let xs: Vec<u64> = (0..100).map(|_| a.below(10)).collect();
    let ys: Vec<u64> = (0..100).map(|_| b.below(10)).collect();
    assert_eq!(xs, ys);
    assert!((0..10).all(|d| xs.contains(&d)));
}

/// A chain restarted from its own export must refuse the txs it committed before: the export
/// carries every account's sequence (and public key). Without them each account would start
/// at sequence 0 again and every old tx would replay.
#[tokio::test]
async fn replay_after_export_a_tx_committed_before_the_export_is_refused_after_import() {
    let clock = Clock::new(1_700_000_000);
    let alice = TestKey::new("alice");
    let mut c = chain_with("hub-1", &clock, &[&alice], ChainConfig::hub(), |_| {}).await;
    let bob = TestKey::new("bob").hub();
    let tx = c
        .sign_with(&alice, vec![send(&alice.hub(), &bob, 5, "uhub")])
        .await;
    assert_eq!(c.block(vec![tx.clone()]).await[0].code, 0);
    let snap = c.node.app.storage().latest_snapshot();
    let exported = hub_app::runtime::export_genesis(&snap).await.unwrap();
    let account = exported
        .auth
        .accounts
        .iter()
        .find(|a| a.address == alice.hub())
        .unwrap();
    assert_eq!(account.sequence.as_deref(), Some("1"));
    assert!(account.pub_key.is_some());
    let dir = tempfile::tempdir().unwrap();
    let mut fresh = hub_app::app::App::load(&dir.path().join("db"), ChainConfig::hub())
        .await
        .unwrap();
    let json = serde_json::to_vec(&exported).unwrap();
    fresh
        .init_chain_at("hub-1", &json, 1, c.time(), None)
        .await
        .unwrap();
    let r = fresh
        .finalize_block(1, clock.tick(), &[tx], &[])
        .await
        .unwrap();
    assert_ne!(r.tx_results[0].code, 0, "the old tx replayed");
    assert!(
        r.tx_results[0].log.contains("sequence"),
        "{}",
        r.tx_results[0].log
    );
}
