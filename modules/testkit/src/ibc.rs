//! An in-process IBC network: chains (app instances behind the [`Node`] trait), each with its
//! own validator keys, whose blocks get real CometBFT signed headers, and a relayer that moves
//! handshakes, packets, acks and timeouts between them with real headers and real proofs —
//! what Hermes does over RPC, without processes.
//!
//! Heights: after block `h` commits with app hash `H_h`, the header of block `h + 1` carries
//! `H_h` (CometBFT's rule). A proof of state at version `h` therefore verifies at proof height
//! `h + 1`, after the counterparty's client is updated to that header ([`TestChain::seal`]).
#![allow(async_fn_in_trait)]

use crate::chain::{ibc_header, BlockSpec, CommitOptions, TestValidatorSet};
use crate::{TestKey, TxSpec};
use ibc_proto::google::protobuf::{Any as IbcAny, Duration as PbDuration};
use ibc_proto::ibc::core::channel::v1 as chpb;
use ibc_proto::ibc::core::client::v1::{self as clpb, Height};
use ibc_proto::ibc::core::commitment::v1::{MerklePrefix, MerkleRoot};
use ibc_proto::ibc::core::connection::v1 as connpb;
use ibc_proto::ibc::lightclients::tendermint::v1 as tmpb;
use prost::Message;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use tendermint::abci::Event;
use tendermint::block::{self, signed_header::SignedHeader};
use tendermint::Time;

/// The result of one transaction as the node reports it.
#[derive(Clone, Debug)]
pub struct TxResult {
    /// ABCI code (0 = success).
    pub code: u32,
    /// ABCI codespace.
    pub codespace: String,
    /// Log.
    pub log: String,
    /// Events.
    pub events: Vec<Event>,
}

impl TxResult {
    /// Panics with the log unless the tx succeeded (test helper).
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "tx failed: {}/{}: {}",
            self.codespace, self.code, self.log
        );
        self
    }

    /// Panics with the log unless the tx failed with `code` in `codespace` (test helper).
    pub fn assert_code(&self, codespace: &str, code: u32) -> &Self {
        assert_eq!(
            (self.codespace.as_str(), self.code),
            (codespace, code),
            "{}",
            self.log
        );
        self
    }

    /// Values of attribute `key` of every event of type `kind`.
    pub fn attr(&self, kind: &str, key: &str) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e.kind == kind)
            .flat_map(|e| e.attributes.iter())
            .filter(|a| a.key_bytes() == key.as_bytes())
            .map(|a| String::from_utf8_lossy(a.value_bytes()).into_owned())
            .collect()
    }
}

/// An app instance the harness drives: executes and commits blocks, answers proven queries.
pub trait Node {
    /// Executes block `height` at `time` with `txs`, commits it, and returns the app hash
    /// and each tx's result.
    async fn execute(
        &mut self,
        height: u64,
        time: Time,
        txs: &[Vec<u8>],
    ) -> (Vec<u8>, Vec<TxResult>);
    /// The value at `key` (e.g. `ibc/connections/connection-0`; empty if absent) at version
    /// `height`, with its encoded `MerkleProof` `[inner, outer]`.
    async fn query(&self, key: &str, height: u64) -> (Vec<u8>, Vec<u8>);
    /// `(account_number, sequence)` of an account at the latest state (`(0, 0)` if absent).
    async fn account(&self, address: [u8; 20]) -> (u64, u64);
}

/// A clock shared by the chains of one network, so no chain's headers run ahead of another
/// chain's block time. Each block takes the next second.
#[derive(Clone, Debug)]
pub struct Clock(Arc<AtomicI64>);

impl Clock {
    /// A clock at `start` seconds after the Unix epoch.
    pub fn new(start: i64) -> Self {
        Clock(Arc::new(AtomicI64::new(start)))
    }
    /// Advances one second and returns the new time.
    pub fn tick(&self) -> Time {
        crate::chain::time(self.0.fetch_add(1, Ordering::SeqCst) + 1)
    }
    /// The current time (the last block's, or the start).
    pub fn now(&self) -> Time {
        crate::chain::time(self.0.load(Ordering::SeqCst))
    }
    /// Jumps forward `secs` seconds (e.g. past a timeout or a trusting period).
    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

/// One chain of the network with its validators, headers and relayer account.
pub struct TestChain<N> {
    /// The app.
    pub node: N,
    /// Chain id (`name-N`).
    pub chain_id: String,
    /// Bech32 prefix of its accounts.
    pub hrp: String,
    /// Its validators (they sign its headers).
    pub validators: TestValidatorSet,
    /// The relayer's key (funded at genesis).
    pub relayer: TestKey,
    /// Last committed height.
    pub height: u64,
    /// The gas limit of the txs it signs (10 000 000 unless a test lowers it).
    pub gas_limit: u64,
    clock: Clock,
    app_hash: Vec<u8>,
    headers: BTreeMap<u64, SignedHeader>,
}

impl<N: Node> TestChain<N> {
    /// A chain whose node has committed genesis (height 0) with `genesis_app_hash`.
    pub fn new(
        node: N,
        chain_id: &str,
        hrp: &str,
        validators: TestValidatorSet,
        relayer: TestKey,
        genesis_app_hash: Vec<u8>,
        clock: Clock,
    ) -> Self {
        TestChain {
            node,
            chain_id: chain_id.into(),
            hrp: hrp.into(),
            validators,
            relayer,
            height: 0,
            gas_limit: 10_000_000,
            clock,
            app_hash: genesis_app_hash,
            headers: BTreeMap::new(),
        }
    }

    /// The revision of the chain id (`N` of `name-N`).
    pub fn revision(&self) -> u64 {
        self.chain_id
            .rsplit_once('-')
            .and_then(|(_, n)| n.parse().ok())
            .unwrap_or(0)
    }

    /// An IBC height on this chain.
    pub fn ibc_height(&self, h: u64) -> Height {
        Height {
            revision_number: self.revision(),
            revision_height: h,
        }
    }

    /// The relayer's bech32 address.
    pub fn relayer_address(&self) -> String {
        self.relayer.address().to_bech32(&self.hrp)
    }

    /// Signs the header of the next block (carrying the last app hash) if not yet signed, and
    /// returns its height: the proof height of the current state.
    pub fn seal(&mut self) -> u64 {
        let h = self.height + 1;
        if !self.headers.contains_key(&h) {
            let last_block_id = self.headers.get(&self.height).map(|sh| block::Id {
                hash: sh.header.hash(),
                part_set_header: sh.commit.block_id.part_set_header,
            });
            let sh = BlockSpec {
                chain_id: &self.chain_id,
                height: h,
                time: self.clock.tick(),
                app_hash: self.app_hash.clone(),
                validators: &self.validators,
                next_validators: &self.validators,
                last_block_id,
                commit: CommitOptions::default(),
            }
            .signed_header();
            self.headers.insert(h, sh);
        }
        h
    }

    /// The signed header at `h` (sealing the next one if needed).
    pub fn header(&mut self, h: u64) -> SignedHeader {
        if h == self.height + 1 {
            self.seal();
        }
        self.headers
            .get(&h)
            .cloned()
            .unwrap_or_else(|| panic!("no header at height {h} on {}", self.chain_id))
    }

    /// The time of the last header signed.
    pub fn time(&self) -> Time {
        self.headers
            .values()
            .next_back()
            .map(|h| h.header.time)
            .unwrap_or_else(|| crate::chain::time(0))
    }

    /// Executes one block with raw txs.
    pub async fn block(&mut self, txs: Vec<Vec<u8>>) -> Vec<TxResult> {
        let h = self.seal();
        let time = self.headers[&h].header.time;
        let (app_hash, results) = self.node.execute(h, time, &txs).await;
        self.height = h;
        self.app_hash = app_hash;
        results
    }

    /// Signs `msgs` as the relayer (next sequence) into one tx of one block.
    pub async fn submit(&mut self, msgs: Vec<IbcAny>) -> TxResult {
        let tx = self.sign(msgs).await;
        self.block(vec![tx]).await.pop().expect("one result per tx")
    }

    /// A signed tx of the relayer with the next sequence (the sequence then advances).
    pub async fn sign(&mut self, msgs: Vec<IbcAny>) -> Vec<u8> {
        let key = self.relayer.clone();
        self.sign_with(&key, msgs).await
    }

    /// A signed tx of `key` with its account's current sequence.
    pub async fn sign_with(&mut self, key: &TestKey, msgs: Vec<IbcAny>) -> Vec<u8> {
        let (account_number, sequence) = self.node.account(key.address().0).await;
        self.sign_tx(key, account_number, sequence, msgs)
    }

    /// Sets the sequence of a non-relayer key's next tx (tests sending as users).
    pub async fn sign_as_user(
        &mut self,
        key: &TestKey,
        sequence: u64,
        msgs: Vec<IbcAny>,
    ) -> Vec<u8> {
        let (account_number, _) = self.node.account(key.address().0).await;
        self.sign_tx(key, account_number, sequence, msgs)
    }

    /// A tx of `msgs` signed by `key` as account `account_number` at `sequence`, with the
    /// chain's gas limit and a fee of 10 000.
    fn sign_tx(
        &self,
        key: &TestKey,
        account_number: u64,
        sequence: u64,
        msgs: Vec<IbcAny>,
    ) -> Vec<u8> {
        let any = |a: IbcAny| cosmos_sdk_proto::Any {
            type_url: a.type_url,
            value: a.value,
        };
        let mut spec = TxSpec::new(msgs.into_iter().map(any).collect());
        spec.chain_id = self.chain_id.clone();
        spec.account_number = account_number;
        spec.gas = self.gas_limit;
        spec.fee = 10_000;
        spec.sequence = sequence;
        spec.sign(key)
    }

    /// The value and proof of IBC path `path` at the latest state, with the proof height.
    pub async fn prove(&mut self, path: &str) -> (Vec<u8>, Vec<u8>, Height) {
        let (value, proof) = self.node.query(&format!("ibc/{path}"), self.height).await;
        let h = self.seal();
        (value, proof, self.ibc_height(h))
    }

    /// Runs empty blocks.
    pub async fn idle(&mut self, blocks: u64) {
        for _ in 0..blocks {
            self.block(vec![]).await;
        }
    }
}

/// `Any` of a protobuf message.
pub fn any<M: Message + prost::Name>(m: &M) -> IbcAny {
    IbcAny {
        type_url: M::type_url(),
        value: m.encode_to_vec(),
    }
}

/// Light-client parameters of the clients the relayer creates.
#[derive(Clone, Debug)]
pub struct ClientParams {
    /// Trusting period in seconds.
    pub trusting_secs: i64,
    /// Unbonding period in seconds.
    pub unbonding_secs: i64,
    /// Max clock drift in seconds.
    pub max_clock_drift_secs: i64,
}

impl Default for ClientParams {
    fn default() -> Self {
        ClientParams {
            trusting_secs: 14 * 24 * 3600,
            unbonding_secs: 21 * 24 * 3600,
            max_clock_drift_secs: 20,
        }
    }
}

/// One end of a link: the client (of the other chain) and connection on this chain, and the
/// height of the other chain the client last verified.
#[derive(Clone, Debug, Default)]
pub struct End {
    /// Client id on this chain.
    pub client_id: String,
    /// Connection id on this chain.
    pub connection_id: String,
    /// Latest counterparty height the client trusts.
    pub trusted: u64,
}

/// A connected pair of chains.
#[derive(Clone, Debug, Default)]
pub struct Link {
    /// The end on chain A.
    pub a: End,
    /// The end on chain B.
    pub b: End,
}

fn first(r: &TxResult, kind: &str, key: &str) -> String {
    r.attr(kind, key)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {kind}.{key} in {:?}", r.events))
}

/// Creates on `dst` a 07-tendermint client of `src` at `src`'s latest header; returns its
/// end (client id, trusted height).
pub async fn create_client<A: Node, B: Node>(
    src: &mut TestChain<A>,
    dst: &mut TestChain<B>,
    params: &ClientParams,
) -> End {
    let (cs, cons, h) = client_states(src, params);
    let msg = clpb::MsgCreateClient {
        client_state: Some(any(&cs)),
        consensus_state: Some(any(&cons)),
        signer: dst.relayer_address(),
    };
    let r = dst.submit(vec![any(&msg)]).await.ok();
    End {
        client_id: first(&r, "create_client", "client_id"),
        connection_id: String::new(),
        trusted: h,
    }
}

/// The client state and consensus state of a 07-tendermint client of `src` at its latest
/// header (sealed now), and that height: what a relayer's `MsgCreateClient` carries, or a
/// spoke's genesis pins.
pub fn client_states<A: Node>(
    src: &mut TestChain<A>,
    params: &ClientParams,
) -> (tmpb::ClientState, tmpb::ConsensusState, u64) {
    let h = src.seal();
    let sh = src.header(h);
    let cs = tmpb::ClientState {
        chain_id: src.chain_id.clone(),
        trust_level: Some(tmpb::Fraction {
            numerator: 1,
            denominator: 3,
        }),
        trusting_period: Some(PbDuration {
            seconds: params.trusting_secs,
            nanos: 0,
        }),
        unbonding_period: Some(PbDuration {
            seconds: params.unbonding_secs,
            nanos: 0,
        }),
        max_clock_drift: Some(PbDuration {
            seconds: params.max_clock_drift_secs,
            nanos: 0,
        }),
        frozen_height: Some(Height::default()),
        latest_height: Some(src.ibc_height(h)),
        proof_specs: vec![
            hub_framework::cnidarium::ics23_spec(),
            hub_framework::cnidarium::ics23_spec(),
        ],
        upgrade_path: vec!["upgrade".into(), "upgradedIBCState".into()],
        ..Default::default()
    };
    let cons = tmpb::ConsensusState {
        timestamp: Some(sh.header.time.into()),
        root: Some(MerkleRoot {
            hash: sh.header.app_hash.as_bytes().to_vec(),
        }),
        next_validators_hash: sh.header.next_validators_hash.as_bytes().to_vec(),
    };
    (cs, cons, h)
}

/// A `MsgUpdateClient` bringing `dst`'s client of `src` (at `end`) to `src`'s latest header,
/// or `None` if it is already there. Updates `end.trusted`.
pub fn update_msg<A: Node, B: Node>(
    src: &mut TestChain<A>,
    dst: &TestChain<B>,
    end: &mut End,
) -> Option<IbcAny> {
    let h = src.seal();
    if h <= end.trusted {
        return None;
    }
    let sh = src.header(h);
    let header = ibc_header(
        &sh,
        &src.validators,
        (src.revision(), end.trusted),
        &src.validators,
    );
    end.trusted = h;
    Some(any(&clpb::MsgUpdateClient {
        client_id: end.client_id.clone(),
        client_message: Some(any(&header)),
        signer: dst.relayer_address(),
    }))
}

/// Submits `msgs` on `dst` preceded by an update of its client of `src` (as Hermes batches).
pub async fn relay<A: Node, B: Node>(
    src: &mut TestChain<A>,
    dst: &mut TestChain<B>,
    end: &mut End,
    msgs: Vec<IbcAny>,
) -> TxResult {
    let trusted = end.trusted;
    let mut all: Vec<IbcAny> = update_msg(src, dst, end).into_iter().collect();
    all.extend(msgs);
    let r = dst.submit(all).await;
    if r.code != 0 {
        // The update was rolled back with the rest of the tx.
        end.trusted = trusted;
    }
    r
}

fn prefix() -> Option<MerklePrefix> {
    Some(MerklePrefix {
        key_prefix: b"ibc".to_vec(),
    })
}

fn default_version() -> connpb::Version {
    connpb::Version {
        identifier: "1".into(),
        features: vec!["ORDER_ORDERED".into(), "ORDER_UNORDERED".into()],
    }
}

/// Creates clients both ways and runs the connection handshake A → B. Returns the link.
pub async fn connect<A: Node, B: Node>(
    a: &mut TestChain<A>,
    b: &mut TestChain<B>,
    params: &ClientParams,
) -> Link {
    let link = Link {
        a: create_client(b, a, params).await,
        b: create_client(a, b, params).await,
    };
    connect_over(a, b, link).await
}

/// Runs the connection handshake A → B over the clients already in `link` (their ids and
/// trusted heights); returns the link with both connection ids.
pub async fn connect_over<A: Node, B: Node>(
    a: &mut TestChain<A>,
    b: &mut TestChain<B>,
    mut link: Link,
) -> Link {
    let init = connpb::MsgConnectionOpenInit {
        client_id: link.a.client_id.clone(),
        counterparty: Some(connpb::Counterparty {
            client_id: link.b.client_id.clone(),
            connection_id: String::new(),
            prefix: prefix(),
        }),
        version: None,
        delay_period: 0,
        signer: a.relayer_address(),
    };
    let r = a.submit(vec![any(&init)]).await.ok();
    link.a.connection_id = first(&r, "connection_open_init", "connection_id");
    let (_, proof, ph) = a
        .prove(&format!("connections/{}", link.a.connection_id))
        .await;
    #[allow(deprecated)]
    let try_ = connpb::MsgConnectionOpenTry {
        client_id: link.b.client_id.clone(),
        counterparty: Some(connpb::Counterparty {
            client_id: link.a.client_id.clone(),
            connection_id: link.a.connection_id.clone(),
            prefix: prefix(),
        }),
        delay_period: 0,
        counterparty_versions: vec![default_version()],
        proof_height: Some(ph),
        proof_init: proof,
        signer: b.relayer_address(),
        ..Default::default()
    };
    let r = relay(a, b, &mut link.b, vec![any(&try_)]).await.ok();
    link.b.connection_id = first(&r, "connection_open_try", "connection_id");
    let (_, proof, ph) = b
        .prove(&format!("connections/{}", link.b.connection_id))
        .await;
    let ack = connpb::MsgConnectionOpenAck {
        connection_id: link.a.connection_id.clone(),
        counterparty_connection_id: link.b.connection_id.clone(),
        version: Some(default_version()),
        proof_height: Some(ph),
        proof_try: proof,
        signer: a.relayer_address(),
        ..Default::default()
    };
    relay(b, a, &mut link.a, vec![any(&ack)]).await.ok();
    let (_, proof, ph) = a
        .prove(&format!("connections/{}", link.a.connection_id))
        .await;
    let confirm = connpb::MsgConnectionOpenConfirm {
        connection_id: link.b.connection_id.clone(),
        proof_ack: proof,
        proof_height: Some(ph),
        signer: b.relayer_address(),
    };
    relay(a, b, &mut link.b, vec![any(&confirm)]).await.ok();
    link
}

/// A channel between `port_a` on A and `port_b` on B.
#[derive(Clone, Debug, Default)]
pub struct ChannelPair {
    /// Port on A.
    pub port_a: String,
    /// Channel id on A.
    pub chan_a: String,
    /// Port on B.
    pub port_b: String,
    /// Channel id on B.
    pub chan_b: String,
}

/// Runs the channel handshake A → B over `link`. `ordering` is the proto value (1 UNORDERED,
/// 2 ORDERED, 3 ORDERED_ALLOW_TIMEOUT). Panics if a step fails.
pub async fn open_channel<A: Node, B: Node>(
    a: &mut TestChain<A>,
    b: &mut TestChain<B>,
    link: &mut Link,
    ports: (&str, &str),
    ordering: i32,
    version: &str,
) -> ChannelPair {
    match try_open_channel(a, b, link, ports, ordering, version).await {
        Ok(pair) => pair,
        Err(r) => panic!(
            "channel handshake failed: {} {}: {}",
            r.codespace, r.code, r.log
        ),
    }
}

/// Opens an UNORDERED ICS-20 channel A → B over `link` (`transfer` ports, version
/// `ics20-1`). Panics if a step fails.
pub async fn open_transfer_channel<A: Node, B: Node>(
    a: &mut TestChain<A>,
    b: &mut TestChain<B>,
    link: &mut Link,
) -> ChannelPair {
    open_channel(a, b, link, ("transfer", "transfer"), 1, "ics20-1").await
}

/// Connects A → B (default client parameters) and opens an ICS-20 channel over the new
/// connection ([`open_transfer_channel`]). Returns the link and the channel.
pub async fn connect_transfer<A: Node, B: Node>(
    a: &mut TestChain<A>,
    b: &mut TestChain<B>,
) -> (Link, ChannelPair) {
    let mut link = connect(a, b, &ClientParams::default()).await;
    let ch = open_transfer_channel(a, b, &mut link).await;
    (link, ch)
}

fn succeeded(r: TxResult) -> Result<TxResult, TxResult> {
    if r.code == 0 {
        Ok(r)
    } else {
        Err(r)
    }
}

/// As [`open_channel`], returning the result of the first step that failed instead of
/// panicking (init on A, try on B, ack on A, confirm on B).
pub async fn try_open_channel<A: Node, B: Node>(
    a: &mut TestChain<A>,
    b: &mut TestChain<B>,
    link: &mut Link,
    ports: (&str, &str),
    ordering: i32,
    version: &str,
) -> Result<ChannelPair, TxResult> {
    let (port_a, port_b) = (ports.0.to_string(), ports.1.to_string());
    let channel = |state, cp_chan: &str, conn: &str, v: &str| chpb::Channel {
        state,
        ordering,
        counterparty: Some(chpb::Counterparty {
            port_id: String::new(),
            channel_id: cp_chan.into(),
        }),
        connection_hops: vec![conn.into()],
        version: v.into(),
        upgrade_sequence: 0,
    };
    let mut ch = channel(1, "", &link.a.connection_id, version);
    ch.counterparty.as_mut().expect("set").port_id = port_b.clone();
    let init = chpb::MsgChannelOpenInit {
        port_id: port_a.clone(),
        channel: Some(ch),
        signer: a.relayer_address(),
    };
    let r = succeeded(a.submit(vec![any(&init)]).await)?;
    let chan_a = first(&r, "channel_open_init", "channel_id");
    let version_a = first(&r, "channel_open_init", "version");
    let (_, proof, ph) = a
        .prove(&format!("channelEnds/ports/{port_a}/channels/{chan_a}"))
        .await;
    let mut ch = channel(2, &chan_a, &link.b.connection_id, "");
    ch.counterparty.as_mut().expect("set").port_id = port_a.clone();
    #[allow(deprecated)]
    let try_ = chpb::MsgChannelOpenTry {
        port_id: port_b.clone(),
        channel: Some(ch),
        counterparty_version: version_a,
        proof_init: proof,
        proof_height: Some(ph),
        signer: b.relayer_address(),
        ..Default::default()
    };
    let r = succeeded(relay(a, b, &mut link.b, vec![any(&try_)]).await)?;
    let chan_b = first(&r, "channel_open_try", "channel_id");
    let version_b = first(&r, "channel_open_try", "version");
    let (_, proof, ph) = b
        .prove(&format!("channelEnds/ports/{port_b}/channels/{chan_b}"))
        .await;
    let ack = chpb::MsgChannelOpenAck {
        port_id: port_a.clone(),
        channel_id: chan_a.clone(),
        counterparty_channel_id: chan_b.clone(),
        counterparty_version: version_b,
        proof_try: proof,
        proof_height: Some(ph),
        signer: a.relayer_address(),
    };
    succeeded(relay(b, a, &mut link.a, vec![any(&ack)]).await)?;
    let (_, proof, ph) = a
        .prove(&format!("channelEnds/ports/{port_a}/channels/{chan_a}"))
        .await;
    let confirm = chpb::MsgChannelOpenConfirm {
        port_id: port_b.clone(),
        channel_id: chan_b.clone(),
        proof_ack: proof,
        proof_height: Some(ph),
        signer: b.relayer_address(),
    };
    succeeded(relay(a, b, &mut link.b, vec![any(&confirm)]).await)?;
    Ok(ChannelPair {
        port_a,
        chan_a,
        port_b,
        chan_b,
    })
}

fn packet_from(e: &Event) -> Option<chpb::Packet> {
    let get = |k: &str| {
        e.attributes
            .iter()
            .find(|a| a.key_bytes() == k.as_bytes())
            .map(|a| String::from_utf8_lossy(a.value_bytes()).into_owned())
    };
    let (rev, h) = get("packet_timeout_height")?
        .split_once('-')
        .map(|(r, h)| (r.to_string(), h.to_string()))?;
    Some(chpb::Packet {
        sequence: get("packet_sequence")?.parse().ok()?,
        source_port: get("packet_src_port")?,
        source_channel: get("packet_src_channel")?,
        destination_port: get("packet_dst_port")?,
        destination_channel: get("packet_dst_channel")?,
        data: hex_decode(&get("packet_data_hex")?)?,
        timeout_height: Some(Height {
            revision_number: rev.parse().ok()?,
            revision_height: h.parse().ok()?,
        }),
        timeout_timestamp: get("packet_timeout_timestamp")?.parse().ok()?,
    })
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Packets announced by `send_packet` events of a tx.
pub fn sent_packets(r: &TxResult) -> Vec<chpb::Packet> {
    r.events
        .iter()
        .filter(|e| e.kind == "send_packet")
        .filter_map(packet_from)
        .collect()
}

/// `(packet, ack)` announced by `write_acknowledgement` events of a tx.
pub fn written_acks(r: &TxResult) -> Vec<(chpb::Packet, Vec<u8>)> {
    r.events
        .iter()
        .filter(|e| e.kind == "write_acknowledgement")
        .filter_map(|e| {
            let ack = e
                .attributes
                .iter()
                .find(|a| a.key_bytes() == b"packet_ack_hex")
                .and_then(|a| hex_decode(&String::from_utf8_lossy(a.value_bytes())))?;
            Some((packet_from(e)?, ack))
        })
        .collect()
}

fn commitment_path(p: &chpb::Packet) -> String {
    format!(
        "commitments/ports/{}/channels/{}/sequences/{}",
        p.source_port, p.source_channel, p.sequence
    )
}

/// A `MsgRecvPacket` for `p` proven on `src` (the sender); also returns the proof height.
pub async fn recv_msg<A: Node, B: Node>(
    src: &mut TestChain<A>,
    dst: &TestChain<B>,
    p: &chpb::Packet,
) -> IbcAny {
    let (_, proof, ph) = src.prove(&commitment_path(p)).await;
    any(&chpb::MsgRecvPacket {
        packet: Some(p.clone()),
        proof_commitment: proof,
        proof_height: Some(ph),
        signer: dst.relayer_address(),
    })
}

/// Delivers `p` from `src` to `dst` (update + recv in one tx).
pub async fn relay_recv<A: Node, B: Node>(
    src: &mut TestChain<A>,
    dst: &mut TestChain<B>,
    dst_end: &mut End,
    p: &chpb::Packet,
) -> TxResult {
    let m = recv_msg(src, dst, p).await;
    relay(src, dst, dst_end, vec![m]).await
}

/// Delivers the ack of `p` written on `receiver` back to `sender`.
pub async fn relay_ack<A: Node, B: Node>(
    receiver: &mut TestChain<A>,
    sender: &mut TestChain<B>,
    sender_end: &mut End,
    p: &chpb::Packet,
    ack: &[u8],
) -> TxResult {
    let path = format!(
        "acks/ports/{}/channels/{}/sequences/{}",
        p.destination_port, p.destination_channel, p.sequence
    );
    let (_, proof, ph) = receiver.prove(&path).await;
    let m = any(&chpb::MsgAcknowledgement {
        packet: Some(p.clone()),
        acknowledgement: ack.to_vec(),
        proof_acked: proof,
        proof_height: Some(ph),
        signer: sender.relayer_address(),
    });
    relay(receiver, sender, sender_end, vec![m]).await
}

/// Times `p` out on `sender`, proving on `receiver` that it was not received: receipt
/// absence (UNORDERED), `nextSequenceRecv` (ORDERED) or the timeout receipt
/// (ORDERED_ALLOW_TIMEOUT, `ordering` 3).
pub async fn relay_timeout<A: Node, B: Node>(
    receiver: &mut TestChain<A>,
    sender: &mut TestChain<B>,
    sender_end: &mut End,
    p: &chpb::Packet,
    ordering: i32,
) -> TxResult {
    let (dp, dc, seq) = (&p.destination_port, &p.destination_channel, p.sequence);
    let path = match ordering {
        2 => format!("nextSequenceRecv/ports/{dp}/channels/{dc}"),
        _ => format!("receipts/ports/{dp}/channels/{dc}/sequences/{seq}"),
    };
    let (value, proof, ph) = receiver.prove(&path).await;
    let next_sequence_recv = if ordering == 2 {
        <[u8; 8]>::try_from(value.as_slice())
            .map(u64::from_be_bytes)
            .unwrap_or(0)
    } else {
        0
    };
    let m = any(&chpb::MsgTimeout {
        packet: Some(p.clone()),
        proof_unreceived: proof,
        proof_height: Some(ph),
        next_sequence_recv,
        signer: sender.relayer_address(),
    });
    relay(receiver, sender, sender_end, vec![m]).await
}

/// The header at `h` of `chain` as a 07-tendermint `Header` trusted at `trusted`.
pub fn header_msg<A: Node>(chain: &mut TestChain<A>, h: u64, trusted: u64) -> tmpb::Header {
    let sh = chain.header(h);
    ibc_header(
        &sh,
        &chain.validators,
        (chain.revision(), trusted),
        &chain.validators,
    )
}
