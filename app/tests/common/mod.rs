//! In-process IBC networks of hub app instances for app tests: the testkit harness's `Node`
//! implemented over `App` + `QueryService`.
#![allow(clippy::unwrap_used, dead_code)] // test code: a failed unwrap is a failed test

pub mod gov;
pub mod ping;

use hub_app::mempool::{Mempool, SharedMempool};
use hub_app::{app::App, query::QueryService, ChainConfig};
use hub_auth::{Address, AuthRead};
use hub_testkit::chain::TestValidatorSet;
use hub_testkit::ibc::{Clock, Node, TestChain, TxResult};
use hub_testkit::{app_state, TestKey};
use ibc_proto::ibc::core::commitment::v1::MerkleProof;
use prost::Message;
use tendermint::Time;

/// Funds of every test account (uhub).
pub const RICH: u128 = 1_000_000_000_000;

/// A hub app instance in a temp dir.
pub struct AppNode {
    _dir: tempfile::TempDir,
    pub app: App,
    /// The node's mempool (CheckTx), which `queries` simulates on.
    pub mempool: SharedMempool,
    pub queries: QueryService,
    /// Block-level events (begin/end-block hooks) of the last executed block.
    pub block_events: Vec<tendermint::abci::Event>,
}

impl AppNode {
    /// The node's data directory (where `upgrade-info.json` is written).
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Stops the app and opens its database again with runtime `cfg`: an operator switching
    /// binaries (e.g. to one with a new upgrade handler) on the same state.
    pub async fn restart(&mut self, cfg: ChainConfig) {
        let db = self._dir.path().join("db");
        let spare = self._dir.path().join("spare");
        let placeholder = App::load(&spare, cfg.clone()).await.unwrap();
        // Every storage handle of the old app must go before it can close.
        self.mempool = Mempool::shared(placeholder.storage(), cfg.clone());
        self.queries = QueryService::new(placeholder.storage(), cfg.clone());
        let old = std::mem::replace(&mut self.app, placeholder);
        old.shutdown().await;
        let app = App::load(&db, cfg.clone()).await.unwrap();
        self.mempool = Mempool::shared(app.storage(), cfg.clone());
        self.queries = QueryService::new(app.storage(), cfg).with_mempool(self.mempool.clone());
        let placeholder = std::mem::replace(&mut self.app, app);
        placeholder.shutdown().await;
    }
}

impl Node for AppNode {
    async fn execute(
        &mut self,
        height: u64,
        time: Time,
        txs: &[Vec<u8>],
    ) -> (Vec<u8>, Vec<TxResult>) {
        let r = self
            .app
            .finalize_block(height, time, txs, &[])
            .await
            .unwrap();
        self.app.commit().await.unwrap();
        self.block_events = r.events.clone();
        let results = r
            .tx_results
            .into_iter()
            .map(|o| TxResult {
                code: o.code,
                codespace: o.codespace.to_string(),
                log: o.log,
                events: o.events,
            })
            .collect();
        (r.app_hash, results)
    }

    async fn query(&self, key: &str, height: u64) -> (Vec<u8>, Vec<u8>) {
        let (substore, inner) = key.split_once('/').unwrap();
        let a = self
            .queries
            .abci_query(
                &format!("store/{substore}/key"),
                inner.as_bytes(),
                height,
                true,
            )
            .await;
        assert_eq!(a.code, 0, "query {key}: {}", a.log);
        let proofs = a
            .proofs
            .unwrap()
            .into_iter()
            .map(|(_, _, p)| ics23::CommitmentProof::decode(p.as_slice()).unwrap())
            .collect();
        (a.value, MerkleProof { proofs }.encode_to_vec())
    }

    async fn account(&self, address: [u8; 20]) -> (u64, u64) {
        let snap = self.app.storage().latest_snapshot();
        snap.account(&Address(address))
            .await
            .unwrap()
            .map(|a| (a.account_number, a.sequence))
            .unwrap_or((0, 0))
    }
}

/// A hub-runtime chain `chain_id` with `funded` accounts (plus the relayer), 4 validators.
pub async fn chain(chain_id: &str, clock: &Clock, funded: &[&TestKey]) -> TestChain<AppNode> {
    chain_with(chain_id, clock, funded, ChainConfig::hub(), |_| {}).await
}

/// The runtime of chains that test the `ping` application: the spoke's ports (`ping`
/// included), with the hub's address prefix that this kit's keys and genesis use.
#[allow(dead_code)] // not every test file opens ping channels
pub fn ping_runtime() -> ChainConfig {
    ChainConfig {
        name: "spoke",
        ports: hub_app::runtime::SPOKE_PORTS,
        ..ChainConfig::hub()
    }
}

/// As [`chain`], with runtime `cfg` and the genesis `app_state` edited by `patch`. The
/// relayer operates the chain's one genesis validator (so it alone can pass proposals).
pub async fn chain_with(
    chain_id: &str,
    clock: &Clock,
    funded: &[&TestKey],
    cfg: ChainConfig,
    patch: impl FnOnce(&mut serde_json::Value),
) -> TestChain<AppNode> {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::load(&dir.path().join("db"), cfg.clone())
        .await
        .unwrap();
    let relayer = TestKey::new(&format!("relayer-{chain_id}"));
    let mut accounts = vec![(relayer.hub(), RICH)];
    accounts.extend(funded.iter().map(|k| (k.hub(), RICH)));
    let mut genesis = app_state(&accounts, &[[1u8; 32]]);
    patch(&mut genesis);
    let (hash, _) = app
        .init_chain_at(
            chain_id,
            genesis.to_string().as_bytes(),
            1,
            clock.now(),
            None,
        )
        .await
        .unwrap();
    let mempool = Mempool::shared(app.storage(), cfg.clone());
    let queries = QueryService::new(app.storage(), cfg).with_mempool(mempool.clone());
    let node = AppNode {
        _dir: dir,
        app,
        mempool,
        queries,
        block_events: Vec::new(),
    };
    TestChain::new(
        node,
        chain_id,
        "hub",
        TestValidatorSet::uniform(chain_id, 4, 10),
        relayer,
        hash,
        clock.clone(),
    )
}

/// Exports `c`'s whole state as a genesis, starts a new app from it at `time`, and returns
/// that app's snapshot (and the directory it reads from).
pub async fn reimported(
    c: &TestChain<AppNode>,
    time: Time,
) -> (tempfile::TempDir, hub_framework::cnidarium::Snapshot) {
    let snap = c.node.app.storage().latest_snapshot();
    let exported = hub_app::runtime::export_genesis(&snap).await.unwrap();
    let json = serde_json::to_vec(&exported).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::load(&dir.path().join("db"), ChainConfig::hub())
        .await
        .unwrap();
    app.init_chain_at(&c.chain_id, &json, 1, time, None)
        .await
        .unwrap();
    let snap = app.storage().latest_snapshot();
    (dir, snap)
}

/// Runs the gRPC query `path` over ABCI on `queries` at the latest height; the answer must be
/// OK.
pub async fn abci_query<Req: Message, Resp: Message + Default>(
    queries: &QueryService,
    path: &str,
    req: &Req,
) -> Resp {
    let a = queries
        .abci_query(path, &req.encode_to_vec(), 0, false)
        .await;
    assert_eq!(a.code, 0, "{path}: {}", a.log);
    Resp::decode(a.value.as_slice()).unwrap()
}

/// Serves `queries` over gRPC on a free local port; returns a client channel to the server
/// once it accepts connections.
pub async fn grpc_channel(queries: QueryService) -> tonic::transport::Channel {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    tokio::spawn(hub_app::grpc::serve(addr, queries, None));
    let url = format!("http://{addr}");
    loop {
        match tonic::transport::Endpoint::from_shared(url.clone())
            .unwrap()
            .connect()
            .await
        {
            Ok(c) => return c,
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
}

/// The balance of `addr` in `denom` at the chain's latest state.
pub async fn balance(chain: &TestChain<AppNode>, addr: &Address, denom: &str) -> u128 {
    use hub_bank::BankRead;
    chain
        .node
        .app
        .storage()
        .latest_snapshot()
        .balance(addr, denom)
        .await
        .unwrap()
}

/// The total supply of `denom` at the chain's latest state.
pub async fn supply(chain: &TestChain<AppNode>, denom: &str) -> u128 {
    use hub_bank::BankRead;
    chain
        .node
        .app
        .storage()
        .latest_snapshot()
        .supply(denom)
        .await
        .unwrap()
}

/// A `MsgTransfer` of `amount` `denom` from `from` over `channel` to `receiver`.
pub fn transfer_msg(
    from: &str,
    channel: &str,
    denom: &str,
    amount: &str,
    receiver: &str,
    timeout: (u64, u64),
    timeout_ts: u64,
) -> ibc_proto::google::protobuf::Any {
    use ibc_proto::ibc::applications::transfer::v1::MsgTransfer;
    hub_testkit::ibc::any(&MsgTransfer {
        source_port: "transfer".into(),
        source_channel: channel.into(),
        token: Some(ibc_proto::cosmos::base::v1beta1::Coin {
            denom: denom.into(),
            amount: amount.into(),
        }),
        sender: from.into(),
        receiver: receiver.into(),
        timeout_height: Some(ibc_proto::ibc::core::client::v1::Height {
            revision_number: timeout.0,
            revision_height: timeout.1,
        }),
        timeout_timestamp: timeout_ts,
        memo: String::new(),
    })
}

/// The packet-forward-middleware memo that forwards to `receiver` over `channel` (of the
/// `transfer` port), with `extra` fields (`,"timeout":"5s"`, …) appended.
#[allow(dead_code)] // not every test file forwards
pub fn forward_memo(receiver: &str, channel: &str, extra: &str) -> String {
    format!(
        r#"{{"forward":{{"receiver":"{receiver}","port":"transfer","channel":"{channel}"{extra}}}}}"#
    )
}

/// `m` (a [`transfer_msg`]) with `memo`, e.g. a packet-forward-middleware `forward`.
#[allow(dead_code)] // not every test file forwards
pub fn with_memo(
    m: ibc_proto::google::protobuf::Any,
    memo: &str,
) -> ibc_proto::google::protobuf::Any {
    use ibc_proto::ibc::applications::transfer::v1::MsgTransfer;
    use prost::Message;
    let mut t = MsgTransfer::decode(m.value.as_slice()).expect("a MsgTransfer");
    t.memo = memo.to_string();
    hub_testkit::ibc::any(&t)
}
