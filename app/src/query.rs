//! Queries: `abci_query` paths and the gRPC methods (the same handlers serve both).
//!
//! - `store/<substore>/key`, data = the key inside the substore (an ICS-24 path for `ibc`):
//!   the raw value at `height` (0 = latest) and, with `prove`, two ICS-23 proofs ordered
//!   `[inner, outer]`: key → value in the substore tree, then substore name → substore root in
//!   the main tree, whose root is the app hash. An absent key answers code 0, an empty value
//!   and a non-existence proof.
//! - `/<package>.<Service>/<Method>`, data = protobuf request: gRPC-over-ABCI, as the Cosmos SDK
//!   (Hermes reads `/cosmos.staking.v1beta1.Query/Params` this way).
//!
//! Heights: the service keeps the snapshots of the last [`RETAINED_HEIGHTS`] versions
//! ([`SnapshotHistory`]; cnidarium itself caches only 10); an older height answers `sdk`/26.

use crate::exec::{self, ExecMode};
use crate::runtime::ChainConfig;
use cosmos_sdk_proto::cosmos::base::abci::v1beta1 as abcipb;
use cosmos_sdk_proto::cosmos::base::node::v1beta1 as nodepb;
use cosmos_sdk_proto::cosmos::base::tendermint::v1beta1 as tmpb;
use cosmos_sdk_proto::cosmos::tx::v1beta1 as txpb;
use hub_framework::{
    cnidarium::{Snapshot, StateDelta, StateRead, Storage},
    ModuleError, SdkError,
};
use prost::Message;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::services::{route_module, MODULE_SERVICES};
use hub_framework::route::{decode_request as req, QueryCtx};

/// ICS-23 proof operations as `(type, key, encoded CommitmentProof)`, ordered `[inner, outer]`.
pub type ProofOps = Vec<(String, Vec<u8>, Vec<u8>)>;

/// The answer to an `abci_query`.
#[derive(Clone, Debug, Default)]
pub struct QueryAnswer {
    /// 0 on success.
    pub code: u32,
    /// Error codespace.
    pub codespace: String,
    /// Error log.
    pub log: String,
    /// The queried key (store queries).
    pub key: Vec<u8>,
    /// The value (empty if absent).
    pub value: Vec<u8>,
    /// ICS-23 proofs `[inner, outer]` as encoded `CommitmentProof`s, if requested.
    pub proofs: Option<ProofOps>,
    /// The height the answer is from.
    pub height: u64,
}

/// Protocol versions this application follows, reported as `build_deps` by
/// `cosmos.base.tendermint.v1beta1.Service/GetNodeInfo`.
///
/// The hub links none of these Go modules; it implements their wire interfaces (ABCI of
/// CometBFT v0.38, Cosmos SDK v0.50 transactions and queries, ibc-go v8 IBC). Relayers read
/// this list the way they read a Cosmos SDK chain's: Hermes takes the CometBFT minor version
/// for its RPC dialect and checks the SDK and ibc-go lines in its health check
/// (`chain/cosmos/compatibility.rs`).
pub const COMPATIBLE_DEPS: &[(&str, &str)] = &[
    ("github.com/cometbft/cometbft", "v0.38.26"),
    ("github.com/cosmos/cosmos-sdk", "v0.50.0"),
    ("github.com/cosmos/ibc-go/v8", "v8.7.0"),
];

/// Facts of the node process rather than of the chain state: what `GetNodeInfo` and the node
/// `Config` service report.
#[derive(Clone, Debug, Default)]
pub struct NodeFacts {
    /// Program name (`hubd`, `spoked`).
    pub app_name: String,
    /// The node's `minimum_gas_prices` from app.toml (`0.001uhub`), as the Cosmos SDK's
    /// `cosmos.base.node.v1beta1.Service/Config` reports it.
    pub minimum_gas_prices: String,
}

/// How many past heights queries can read. Relayers query a little behind the head (Hermes
/// builds proofs at the height of the events it is relaying), and under load that lag grows
/// past cnidarium's own cache of 10 snapshots.
pub const RETAINED_HEIGHTS: u64 = 300;

/// The snapshots of the last [`RETAINED_HEIGHTS`] versions, oldest first. Each holds a RocksDB
/// snapshot pinned at its version; the JMT keeps every version's nodes, so an old snapshot
/// reads (and proves) exactly the state after its block.
#[derive(Clone, Default)]
pub struct SnapshotHistory(Arc<Mutex<BTreeMap<u64, Snapshot>>>);

impl SnapshotHistory {
    /// Copies in every snapshot cnidarium still caches (the last 10) and drops those older
    /// than [`RETAINED_HEIGHTS`]. Called after every commit (see `node::start`) and before
    /// every query, so no version is missed while a block is at most 10 commits away.
    pub fn record(&self, storage: &Storage) {
        let latest = storage.latest_snapshot().version();
        if latest == u64::MAX {
            return;
        }
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        for v in latest.saturating_sub(9)..=latest {
            if let std::collections::btree_map::Entry::Vacant(e) = map.entry(v) {
                if let Some(snap) = storage.snapshot(v) {
                    e.insert(snap);
                }
            }
        }
        let oldest = latest.saturating_sub(RETAINED_HEIGHTS - 1);
        *map = map.split_off(&oldest);
    }

    /// The snapshot of `version`, if retained.
    pub fn get(&self, version: u64) -> Option<Snapshot> {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&version).cloned()
    }
}

/// Serves queries from storage.
#[derive(Clone)]
pub struct QueryService {
    storage: Storage,
    cfg: ChainConfig,
    node: NodeFacts,
    history: SnapshotHistory,
    mempool: Option<crate::mempool::SharedMempool>,
}

impl QueryService {
    /// A query service over `storage`.
    pub fn new(storage: Storage, cfg: ChainConfig) -> Self {
        QueryService {
            storage,
            cfg,
            node: NodeFacts::default(),
            history: SnapshotHistory::default(),
            mempool: None,
        }
    }

    /// The same service, simulating on `mempool`'s check-state at the latest height (a node
    /// passes the mempool its ABCI server checks txs with).
    pub fn with_mempool(mut self, mempool: crate::mempool::SharedMempool) -> Self {
        self.mempool = Some(mempool);
        self
    }

    /// The snapshot history this service reads old heights from (to be fed after commits).
    pub fn history(&self) -> SnapshotHistory {
        self.history.clone()
    }

    /// The same service, reporting `node` from the node-info queries.
    pub fn with_node_facts(mut self, node: NodeFacts) -> Self {
        self.node = node;
        self
    }

    /// `cosmos.base.tendermint.v1beta1.Service/GetNodeInfo`: the application version and
    /// [`COMPATIBLE_DEPS`]. `default_node_info` is left empty: it belongs to CometBFT, whose
    /// `/status` serves it.
    pub fn node_info(&self) -> tmpb::GetNodeInfoResponse {
        tmpb::GetNodeInfoResponse {
            default_node_info: None,
            application_version: Some(tmpb::VersionInfo {
                name: self.cfg.name.to_owned(),
                app_name: self.node.app_name.clone(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
                build_deps: COMPATIBLE_DEPS
                    .iter()
                    .map(|(path, version)| tmpb::Module {
                        path: (*path).to_owned(),
                        version: (*version).to_owned(),
                        sum: String::new(),
                    })
                    .collect(),
                cosmos_sdk_version: COMPATIBLE_DEPS[1].1.to_owned(),
                ..Default::default()
            }),
        }
    }

    /// `cosmos.base.node.v1beta1.Service/Config`: the node's minimum gas prices.
    pub fn node_config(&self) -> nodepb::ConfigResponse {
        nodepb::ConfigResponse {
            minimum_gas_price: self.node.minimum_gas_prices.clone(),
            ..Default::default()
        }
    }

    /// The snapshot at `height` (0 = latest). Errors: `sdk`/26 if not retained.
    pub fn snapshot(&self, height: u64) -> Result<Snapshot, ModuleError> {
        let latest = self.storage.latest_snapshot();
        if height == 0 || height == latest.version() {
            return Ok(latest);
        }
        self.history.record(&self.storage);
        self.history.get(height).ok_or_else(|| {
            SdkError::InvalidHeight(format!(
                "height {height} is not available; this node serves the last {RETAINED_HEIGHTS} heights up to {}",
                latest.version()
            ))
            .into()
        })
    }

    /// Answers an `abci_query`. Never fails: errors are in the answer's code and log.
    pub async fn abci_query(
        &self,
        path: &str,
        data: &[u8],
        height: u64,
        prove: bool,
    ) -> QueryAnswer {
        let result = async {
            let snap = self.snapshot(height)?;
            let h = snap.version();
            let mut ans = if let Some(substore) = path
                .trim_start_matches('/')
                .strip_prefix("store/")
                .and_then(|p| p.strip_suffix("/key"))
            {
                store_query(&snap, self.cfg.substores(), substore, data, prove).await?
            } else if path.starts_with('/') {
                QueryAnswer {
                    value: self.grpc(path, data, &snap).await?,
                    ..Default::default()
                }
            } else {
                return Err(SdkError::UnknownRequest(format!(
                    "unknown query path {path:?}; use store/<substore>/key or /<service>/<method>"
                ))
                .into());
            };
            ans.height = h;
            Ok::<_, ModuleError>(ans)
        }
        .await;
        result.unwrap_or_else(|e| QueryAnswer {
            code: e.code,
            codespace: e.codespace.into(),
            log: e.log,
            ..Default::default()
        })
    }

    /// Runs a gRPC method on `snap`: `data` is the protobuf request, the result the response.
    ///
    /// Errors: `sdk`/6 for an unknown method, `sdk`/2 for an undecodable request, and the
    /// handler's own errors.
    pub async fn grpc(
        &self,
        path: &str,
        data: &[u8],
        snap: &Snapshot,
    ) -> Result<Vec<u8>, ModuleError> {
        let hrp = self.cfg.bech32_prefix.as_str();
        // The context costs two reads: only a module's query pays them, not Simulate or the
        // node-info services below.
        if MODULE_SERVICES
            .iter()
            .any(|(_, prefix)| path.starts_with(prefix))
        {
            let ctx = QueryCtx {
                hrp,
                chain_id: &crate::chain_state::stored_chain_id(snap)
                    .await?
                    .unwrap_or_default(),
                height: snap.version(),
                block_time_ns: crate::chain_state::stored_block_time_ns(snap).await?,
            };
            if let Some(answer) = route_module(path, data, snap, &ctx).await {
                return answer;
            }
        }
        let out = match path {
            "/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo" => {
                self.node_info().encode_to_vec()
            }
            "/cosmos.base.node.v1beta1.Service/Config" => self.node_config().encode_to_vec(),
            "/cosmos.tx.v1beta1.Service/Simulate" => {
                self.simulate(snap, &req(data)?).await?.encode_to_vec()
            }
            _ => {
                return Err(SdkError::UnknownRequest(format!("unknown query method {path}")).into())
            }
        };
        Ok(out)
    }

    /// `cosmos.tx.v1beta1.Service/Simulate`: executes the tx without checking its signature or
    /// minimum fee, and reports the gas used. At the latest height it runs on a throwaway
    /// overlay of the mempool's check-state when the service has one
    /// ([`QueryService::with_mempool`]), as the Cosmos SDK simulates on its check-state: a
    /// relayer's tx whose client update is in its previous, still pending tx estimates right.
    /// At a past height (or without a mempool) it runs over `snap`.
    ///
    /// Errors: the tx's own failure (code, codespace and log), as the Cosmos SDK does.
    pub async fn simulate(
        &self,
        snap: &Snapshot,
        r: &txpb::SimulateRequest,
    ) -> Result<txpb::SimulateResponse, ModuleError> {
        let bytes = if !r.tx_bytes.is_empty() {
            r.tx_bytes.clone()
        } else {
            #[allow(deprecated)]
            r.tx.as_ref()
                .map(|t| t.encode_to_vec())
                .ok_or_else(|| SdkError::InvalidRequest("empty simulate request".into()))?
        };
        let out = match &self.mempool {
            Some(m) if snap.version() == self.storage.latest_version() => {
                m.lock().await.simulate(&bytes).await
            }
            _ => {
                let block = crate::chain_state::next_block_ctx(snap, snap.version()).await?;
                let mut overlay = StateDelta::new(snap.clone());
                exec::execute(&mut overlay, &bytes, &block, &self.cfg, ExecMode::Simulate).await
            }
        };
        if out.code != 0 {
            return Err(ModuleError {
                codespace: out.codespace,
                code: out.code,
                log: out.log,
            });
        }
        Ok(txpb::SimulateResponse {
            gas_info: Some(abcipb::GasInfo {
                gas_wanted: out.gas_wanted,
                gas_used: out.gas_used,
            }),
            #[allow(deprecated)]
            result: Some(abcipb::Result {
                data: vec![],
                log: String::new(),
                events: vec![],
                msg_responses: vec![],
            }),
        })
    }
}

async fn store_query(
    snap: &Snapshot,
    substores: &[&str],
    substore: &str,
    data: &[u8],
    prove: bool,
) -> Result<QueryAnswer, ModuleError> {
    let key = std::str::from_utf8(data)
        .map_err(|_| SdkError::InvalidRequest("store keys are UTF-8 paths".into()))?;
    if key.is_empty() {
        return Err(SdkError::InvalidRequest("empty key".into()).into());
    }
    if !substores.contains(&substore) {
        return Err(SdkError::UnknownRequest(format!(
            "no substore {substore:?}; known: {substores:?}"
        ))
        .into());
    }
    let full = format!("{substore}/{key}");
    if !prove {
        let value = snap
            .get_raw(&full)
            .await
            .map_err(ModuleError::internal)?
            .unwrap_or_default();
        return Ok(QueryAnswer {
            key: data.to_vec(),
            value,
            ..Default::default()
        });
    }
    let (value, proof) = snap
        .get_with_proof(full.into_bytes())
        .await
        .map_err(ModuleError::internal)?;
    let mut proofs = Vec::new();
    let names = [key.as_bytes().to_vec(), substore.as_bytes().to_vec()];
    for (p, k) in proof.proofs.iter().zip(names) {
        proofs.push(("ics23:jmt".to_string(), k, p.encode_to_vec()));
    }
    Ok(QueryAnswer {
        key: data.to_vec(),
        value: value.unwrap_or_default(),
        proofs: Some(proofs),
        ..Default::default()
    })
}
