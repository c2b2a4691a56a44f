//! A hand-built IBC environment for ICS-20 module tests: each chain is a cnidarium state with
//! an active client, an OPEN connection and OPEN `transfer` channels written directly (no
//! proofs), and packets are carried between chains by the test, calling the app callbacks the
//! way the core does (receive in an overlay that is dropped on an error acknowledgement).
#![allow(clippy::unwrap_used, dead_code)] // test code: a failed unwrap is a failed test

use hub_auth::Address;
use hub_bank::{BankRead, BankWrite, Coin};
use hub_framework::cnidarium::{Snapshot, StateDelta, TempStorage};
use hub_framework::{AbciCode, BlockCtx, ModuleError, MsgHandler, TxCtx};
use hub_ibc::channel::{ChanState, ChannelEnd, ChannelRead, ChannelWrite, Order, Packet};
use hub_ibc::client::{ClientState, ClientWrite, ConsensusState};
use hub_ibc::connection::{ConnState, ConnectionWrite};
use hub_ibc::router::{Acknowledgement, IbcApp};
use hub_ibc::{commitment, Height};
use hub_transfer::{MsgTransfer, TransferApp};
use ibc_proto::cosmos::base::v1beta1::Coin as PCoin;
use ibc_proto::ibc::applications::transfer::v1 as pb;
use ibc_proto::ibc::core::channel::v1 as chpb;
use ibc_proto::ibc::core::commitment::v1::MerklePrefix;
use ibc_proto::ibc::core::connection::v1 as connpb;
use std::time::Duration;
use tendermint::abci::Event;
use tendermint::Time;

pub type State = StateDelta<Snapshot>;

/// Block time of every test transaction.
pub const T0: i64 = 1_700_000_000;
pub const CLIENT: &str = "07-tendermint-0";
pub const CONNECTION: &str = "connection-0";
pub const RELAYER: [u8; 20] = [0xee; 20];
/// `ibc/` + sha256("transfer/channel-0/uatom"): ATOM as every chain that receives it over its
/// own `transfer/channel-0` denotes it (ATOM on Osmosis).
pub const ATOM_OVER_0: &str =
    "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2";
/// The timeout every test packet carries: counterparty height 1-1000.
pub const TIMEOUT: Height = Height::new(1, 1000);

pub fn addr(b: u8) -> Address {
    Address([b; 20])
}

pub fn time(secs: i64) -> Time {
    Time::from_unix_timestamp(secs, 0).unwrap()
}

/// One chain's state.
pub struct Chain {
    _storage: TempStorage,
    /// The state (uncommitted overlay over an empty store).
    pub s: State,
    /// The bech32 prefix of its accounts.
    pub hrp: &'static str,
    /// The ICS-20 app.
    pub app: TransferApp,
}

impl Chain {
    /// A chain with an active client and an OPEN connection, but no channel.
    pub async fn new(hrp: &'static str) -> Self {
        let (storage, mut s) = hub_testkit::temp_state(&["auth", "bank", "ibc", "transfer"]).await;
        let latest = Height::new(1, 10);
        s.put_client_state(
            CLIENT,
            &ClientState {
                chain_id: "counter-1".into(),
                trust_level: (1, 3),
                trusting_period: Duration::from_secs(1_000),
                unbonding_period: Duration::from_secs(2_000),
                max_clock_drift: Duration::from_secs(20),
                frozen_height: Height::ZERO,
                latest_height: latest,
                proof_specs: commitment::proof_specs(),
                upgrade_path: vec!["upgrade".into(), "upgradedIBCState".into()],
            },
        );
        s.put_consensus_state(
            CLIENT,
            latest,
            &ConsensusState {
                timestamp: time(T0 - 10),
                root: vec![1; 32],
                next_validators_hash: vec![2; 32],
            },
            time(T0 - 5),
            90,
        );
        s.put_connection(
            CONNECTION,
            &connpb::ConnectionEnd {
                client_id: CLIENT.into(),
                versions: vec![hub_ibc::connection::default_version()],
                state: ConnState::Open.to_i32(),
                counterparty: Some(connpb::Counterparty {
                    client_id: CLIENT.into(),
                    connection_id: CONNECTION.into(),
                    prefix: Some(MerklePrefix {
                        key_prefix: b"ibc".to_vec(),
                    }),
                }),
                delay_period: 0,
            },
        );
        Chain {
            _storage: storage,
            s,
            hrp,
            app: TransferApp::new(),
        }
    }

    /// Writes an OPEN UNORDERED `transfer/{chan}` ↔ `transfer/{cp_chan}` channel.
    pub fn open(&mut self, chan: &str, cp_chan: &str) {
        self.s.put_channel(
            "transfer",
            chan,
            &ChannelEnd {
                state: ChanState::Open.to_i32(),
                ordering: Order::Unordered.to_i32(),
                counterparty: Some(chpb::Counterparty {
                    port_id: "transfer".into(),
                    channel_id: cp_chan.into(),
                }),
                connection_hops: vec![CONNECTION.into()],
                version: "ics20-1".into(),
                upgrade_sequence: 0,
            },
        );
    }

    pub fn tx(&self, signer: Address) -> TxCtx {
        TxCtx::new(
            BlockCtx {
                chain_id: "hub-1".into(),
                height: 100,
                time: time(T0),
            },
            self.hrp,
            signer.0,
            10_000_000,
        )
    }

    pub fn bech(&self, a: Address) -> String {
        a.to_bech32(self.hrp)
    }

    pub async fn fund(&mut self, who: Address, denom: &str, amount: u128) {
        self.s
            .mint(
                &who,
                &Coin {
                    denom: denom.into(),
                    amount,
                },
            )
            .await
            .unwrap();
    }

    pub async fn balance(&self, who: Address, denom: &str) -> u128 {
        self.s.balance(&who, denom).await.unwrap()
    }

    pub async fn supply(&self, denom: &str) -> u128 {
        self.s.supply(denom).await.unwrap()
    }

    /// A proto `MsgTransfer` from `sender` on `chan` with the test timeout.
    pub fn msg(
        &self,
        chan: &str,
        sender: Address,
        receiver: &str,
        amount: &str,
        denom: &str,
    ) -> pb::MsgTransfer {
        pb::MsgTransfer {
            source_port: "transfer".into(),
            source_channel: chan.into(),
            token: Some(PCoin {
                denom: denom.into(),
                amount: amount.into(),
            }),
            sender: self.bech(sender),
            receiver: receiver.into(),
            timeout_height: Some(TIMEOUT.into()),
            timeout_timestamp: 0,
            memo: String::new(),
        }
    }

    /// Sends `amount` `denom` from `sender` over `chan` to `receiver` ([`Chain::msg`] through
    /// [`Chain::transfer`]), which must succeed; returns the packet and the events.
    pub async fn send(
        &mut self,
        chan: &str,
        sender: Address,
        receiver: &str,
        amount: &str,
        denom: &str,
    ) -> (Packet, Vec<Event>) {
        let m = self.msg(chan, sender, receiver, amount, denom);
        self.transfer(&m).await.unwrap()
    }

    /// The `DenomTrace` query of `hash` (with or without its `ibc/` prefix).
    pub async fn denom_trace(&self, hash: &str) -> Result<pb::DenomTrace, ModuleError> {
        let req = pb::QueryDenomTraceRequest { hash: hash.into() };
        let r = hub_transfer::query::denom_trace(&self.s, &req).await?;
        Ok(r.denom_trace.unwrap())
    }

    /// The `DenomHash` query of `trace`.
    pub async fn denom_hash(&self, trace: &str) -> Result<String, ModuleError> {
        let req = pb::QueryDenomHashRequest {
            trace: trace.into(),
        };
        Ok(hub_transfer::query::denom_hash(&self.s, &req).await?.hash)
    }

    /// The balance of `denom` in the escrow account of `transfer/{chan}`.
    pub async fn escrowed(&self, chan: &str, denom: &str) -> u128 {
        self.balance(hub_transfer::escrow_address("transfer", chan), denom)
            .await
    }

    /// Receives packet data `d` over the fixture's channel-7 → channel-0 as packet `sequence`.
    pub async fn recv_data(&mut self, sequence: u64, d: &[u8]) -> (Acknowledgement, Vec<Event>) {
        self.recv(&packet_with("channel-7", "channel-0", sequence, d))
            .await
    }

    /// Decodes, checks and executes a `MsgTransfer` as the runtime does (in an overlay that
    /// is applied only on success; on failure asserts nothing was written or emitted), and
    /// returns the packet it sent with the events.
    pub async fn transfer(
        &mut self,
        m: &pb::MsgTransfer,
    ) -> Result<(Packet, Vec<Event>), ModuleError> {
        let msg = MsgTransfer::from_proto(m, self.hrp)?;
        let tx = self.tx(msg.sender);
        msg.check_stateless(&tx)?;
        let mut d = StateDelta::new(&mut self.s);
        let r = msg.check_and_execute(&mut d, &tx).await;
        let (inner, mut cache) = d.flatten();
        let events = cache.take_events();
        if let Err(e) = r {
            assert!(
                cache.unwritten_changes().is_empty(),
                "state written on error {e}"
            );
            assert!(events.is_empty(), "events emitted on error {e}");
            return Err(e);
        }
        cache.apply_to(inner);
        let send = event(&events, "send_packet");
        let sequence: u64 = attr(send, "packet_sequence").parse().unwrap();
        let ch = self
            .s
            .channel("transfer", &msg.source_channel)
            .await
            .unwrap();
        let cp = ch.counterparty.unwrap();
        let packet = Packet {
            sequence,
            source_port: "transfer".into(),
            source_channel: msg.source_channel.clone(),
            destination_port: cp.port_id,
            destination_channel: cp.channel_id,
            data: hex::decode(attr(send, "packet_data_hex")).unwrap(),
            timeout_height: msg.timeout_height,
            timeout_timestamp: msg.timeout_timestamp,
        };
        let stored = self
            .s
            .packet_commitment("transfer", &msg.source_channel, sequence)
            .await
            .unwrap()
            .expect("commitment stored");
        assert_eq!(stored, packet.commitment().to_vec());
        Ok((packet, events))
    }

    /// Receives a packet as the core does: the app runs in an overlay whose writes and events
    /// are kept only for a successful acknowledgement.
    pub async fn recv(&mut self, p: &Packet) -> (Acknowledgement, Vec<Event>) {
        let tx = self.tx(Address(RELAYER));
        let mut d = StateDelta::new(&mut self.s);
        let ack = self.app.on_recv_packet(&mut d, &tx, p, &RELAYER).await;
        let (inner, mut cache) = d.flatten();
        let events = cache.take_events();
        if ack.success {
            cache.apply_to(inner);
        }
        (ack, events)
    }

    /// Acknowledges our packet with `ack` as the core does (commitment deleted first; the
    /// callback's writes kept only on success).
    pub async fn ack(&mut self, p: &Packet, ack: &[u8]) -> Result<Vec<Event>, ModuleError> {
        let tx = self.tx(Address(RELAYER));
        let mut d = StateDelta::new(&mut self.s);
        d.delete_packet_commitment(&p.source_port, &p.source_channel, p.sequence);
        let r = self
            .app
            .on_acknowledgement_packet(&mut d, &tx, p, ack, &RELAYER)
            .await;
        let (inner, mut cache) = d.flatten();
        let events = cache.take_events();
        r.map(|()| {
            cache.apply_to(inner);
            events
        })
    }

    /// Times our packet out as the core does.
    pub async fn timeout(&mut self, p: &Packet) -> Result<Vec<Event>, ModuleError> {
        let tx = self.tx(Address(RELAYER));
        let mut d = StateDelta::new(&mut self.s);
        d.delete_packet_commitment(&p.source_port, &p.source_channel, p.sequence);
        let r = self.app.on_timeout_packet(&mut d, &tx, p, &RELAYER).await;
        let (inner, mut cache) = d.flatten();
        let events = cache.take_events();
        r.map(|()| {
            cache.apply_to(inner);
            events
        })
    }
}

/// The hub (`hub`, channel-0 ↔ cosmos channel-7) with 1000uhub at addr(1).
pub async fn hub() -> Chain {
    let mut a = Chain::new("hub").await;
    a.open("channel-0", "channel-7");
    a.fund(addr(1), "uhub", 1_000).await;
    a
}

/// A packet into `dst_chan` of the receiving chain from `src_chan` with hand-made data.
pub fn packet_with(src_chan: &str, dst_chan: &str, sequence: u64, data: &[u8]) -> Packet {
    Packet {
        sequence,
        source_port: "transfer".into(),
        source_channel: src_chan.into(),
        destination_port: "transfer".into(),
        destination_channel: dst_chan.into(),
        data: data.to_vec(),
        timeout_height: TIMEOUT,
        timeout_timestamp: 0,
    }
}

pub fn attr<'a>(ev: &'a Event, key: &str) -> &'a str {
    ev.attributes
        .iter()
        .find(|a| a.key_bytes() == key.as_bytes())
        .map(|a| a.value_str().unwrap())
        .unwrap_or_else(|| panic!("no attribute {key} in {}", ev.kind))
}

pub fn event<'a>(events: &'a [Event], kind: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} event in {events:?}"))
}

pub fn events_of<'a>(events: &'a [Event], kind: &str) -> Vec<&'a Event> {
    events.iter().filter(|e| e.kind == kind).collect()
}

/// Asserts the `(codespace, code)` of `e`.
pub fn assert_code(e: &ModuleError, codespace: &str, code: u32) {
    assert_eq!(
        (e.codespace, e.code),
        (codespace, code),
        "got {e}, expected {codespace}/{code}"
    );
}

/// Asserts the `(codespace, code)` of `e` is that of `expected`.
pub fn assert_err<E: AbciCode>(e: &ModuleError, expected: E) {
    assert_code(e, expected.codespace(), expected.code());
}

/// The error acknowledgement bytes for `code`.
pub fn error_ack(code: u32) -> Vec<u8> {
    format!(r#"{{"error":"ABCI code: {code}: error handling packet: see events for details"}}"#)
        .into_bytes()
}

pub const SUCCESS_ACK: &[u8] = br#"{"result":"AQ=="}"#;
