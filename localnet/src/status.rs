//! `localnet status`: per chain, every node's process, height and app hash and whether the app
//! hashes agree at a common height; the relayer process; and the IBC state of every chain
//! (clients with their status and time left before expiry, connections, channels, pending
//! packets; see [`crate::ibc_status`]).

use anyhow::bail;
use hub_client::rpc::Node;
use serde_json::{json, Value};

use crate::{
    cosmovisor, ibc_status, procs,
    state::{ChainNet, Localnet},
    Globals,
};

/// What one node reports.
#[derive(Debug, Clone)]
pub struct NodeStatus {
    /// Process alive.
    pub running: bool,
    /// Latest block height (from /status), if the RPC answered.
    pub height: Option<u64>,
    /// Latest app hash (from /status), upper-case hex.
    pub app_hash: Option<String>,
    /// Whether the node is catching up.
    pub catching_up: Option<bool>,
}

/// Queries the /status of every node of `chain`.
pub async fn collect(chain: &ChainNet) -> Vec<NodeStatus> {
    let mut out = Vec::new();
    for node in &chain.nodes {
        let running = node
            .pid
            .is_some_and(|pid| procs::is_node_process(pid, &node.home));
        let status = match Node::new(&node.rpc) {
            Ok(client) => client.status().await.ok(),
            Err(_) => None,
        };
        out.push(NodeStatus {
            running,
            height: status
                .as_ref()
                .map(|s| s.sync_info.latest_block_height.value()),
            app_hash: status
                .as_ref()
                .map(|s| hex::encode_upper(s.sync_info.latest_app_hash.as_bytes())),
            catching_up: status.as_ref().map(|s| s.sync_info.catching_up),
        });
    }
    out
}

/// The app hash each node's application computed after block `height`: the app's own hash
/// (`/abci_info`) when that is its last height, else the `app_hash` of the header of block
/// `height + 1` in the node's own store (which CometBFT only accepts if it matches the app's).
async fn app_hash_after(rpc: &str, height: u64) -> anyhow::Result<String> {
    let node = Node::new(rpc)?;
    let info = node.abci_info().await?;
    if info.last_block_height == height {
        return Ok(hex::encode_upper(&info.last_block_app_hash));
    }
    let block = node.block(Some(height + 1)).await?;
    Ok(hex::encode_upper(block.block.header.app_hash.as_bytes()))
}

/// Result of comparing app hashes.
#[derive(Debug, Clone)]
pub struct Agreement {
    /// The common height compared (lowest height among answering nodes).
    pub height: u64,
    /// `(node, app hash)` per answering node.
    pub hashes: Vec<(String, String)>,
}

impl Agreement {
    /// True if every node computed the same app hash.
    pub fn agrees(&self) -> bool {
        self.hashes.windows(2).all(|w| w[0].1 == w[1].1)
    }
}

/// Compares the app hashes of every answering node at their lowest common height.
pub async fn compare_app_hashes(chain: &ChainNet, statuses: &[NodeStatus]) -> Option<Agreement> {
    let height = statuses.iter().filter_map(|s| s.height).min()?;
    if height == 0 {
        return None;
    }
    let mut hashes = Vec::new();
    for (node, status) in chain.nodes.iter().zip(statuses) {
        if status.height.is_none() {
            continue;
        }
        let hash = app_hash_after(&node.rpc, height)
            .await
            .unwrap_or_else(|e| format!("(unavailable: {e})"));
        hashes.push((node.name.clone(), hash));
    }
    Some(Agreement { height, hashes })
}

/// What a node under cosmovisor runs: `genesis` or the upgrade its `current` link names;
/// `None` for a node without cosmovisor.
fn cosmovisor_current(chain: &ChainNet, home: &std::path::Path) -> Option<String> {
    chain
        .cosmovisor
        .as_ref()
        .map(|_| cosmovisor::current_upgrade(home).unwrap_or_else(|| "genesis".into()))
}

/// The report of one chain: its JSON, its text, and what is wrong with it (empty if healthy).
struct ChainReport {
    json: Value,
    text: String,
    problems: Vec<String>,
}

async fn chain_report(chain: &ChainNet) -> ChainReport {
    let statuses = collect(chain).await;
    let agreement = compare_app_hashes(chain, &statuses).await;
    let mut problems = Vec::new();
    for (node, s) in chain.nodes.iter().zip(&statuses) {
        if !(s.running && s.height.is_some()) {
            problems.push(format!(
                "{}/{} is not up (log {})",
                chain.name,
                node.name,
                node.log_path().display()
            ));
        }
    }
    match &agreement {
        None if statuses.iter().all(|s| s.height.is_none()) => {
            problems.push(format!("no node of {} answers", chain.name))
        }
        None => problems.push(format!("{} has not committed a block yet", chain.name)),
        Some(a) if !a.agrees() => problems.push(format!(
            "the app hashes of {} after height {} do not agree; read its nodes' hubd.log files",
            chain.name, a.height
        )),
        Some(_) => {}
    }
    let nodes_json: Vec<_> = chain
        .nodes
        .iter()
        .zip(&statuses)
        .map(|(node, s)| {
            json!({
                "name": node.name,
                "home": node.home.display().to_string(),
                "rpc": node.rpc,
                "grpc": node.grpc,
                "p2p_port": node.p2p_port,
                "abci_port": node.abci_port,
                "pid": node.pid,
                "running": s.running,
                "height": s.height.map(|h| h.to_string()),
                "app_hash": s.app_hash,
                "catching_up": s.catching_up,
                "cosmovisor_current": cosmovisor_current(chain, &node.home),
            })
        })
        .collect();
    let ibc = ibc_status::collect(chain).await;
    let json = json!({
        "name": chain.name,
        "chain_id": chain.chain_id,
        "denom": chain.denom,
        "nodes": nodes_json,
        "common_height": agreement.as_ref().map(|a| a.height.to_string()),
        "app_hashes_agree": agreement.as_ref().map(Agreement::agrees),
        "app_hashes": agreement.as_ref().map(|a| a.hashes.iter().map(|(n, h)| json!({ "name": n, "app_hash": h })).collect::<Vec<_>>()),
        "ibc": ibc.as_ref().map(ibc_status::ChainIbc::to_json).unwrap_or_else(|e| json!({ "error": e.to_string() })),
    });
    let mut text = format!("{} ({})\n", chain.chain_id, chain.name);
    text.push_str(&format!(
        "  {:<7} {:<24} {:<17} {:<8} {:<7} app hash\n",
        "node", "rpc", "grpc", "running", "height"
    ));
    for (node, s) in chain.nodes.iter().zip(&statuses) {
        text.push_str(&format!(
            "  {:<7} {:<24} {:<17} {:<8} {:<7} {}\n",
            node.name,
            node.rpc,
            node.grpc,
            if s.running { "yes" } else { "no" },
            s.height.map_or("-".into(), |h| h.to_string()),
            s.app_hash.as_deref().unwrap_or("-"),
        ));
    }
    if chain.cosmovisor.is_some() {
        let runs: Vec<String> = chain
            .nodes
            .iter()
            .map(|n| {
                format!(
                    "{} runs {}",
                    n.name,
                    cosmovisor_current(chain, &n.home).unwrap_or_default()
                )
            })
            .collect();
        text.push_str(&format!("  under cosmovisor: {}\n", runs.join(", ")));
    }
    match &agreement {
        Some(a) if a.agrees() => text.push_str(&format!(
            "  app hashes after height {}: all {} answering nodes agree ({})\n",
            a.height,
            a.hashes.len(),
            a.hashes.first().map_or("", |h| h.1.as_str())
        )),
        Some(a) => {
            text.push_str(&format!(
                "  app hashes after height {} DISAGREE:\n",
                a.height
            ));
            for (name, hash) in &a.hashes {
                text.push_str(&format!("    {name}: {hash}\n"));
            }
        }
        None if statuses.iter().all(|s| s.height.is_none()) => {
            text.push_str("  app hashes: no node answers\n")
        }
        None => text.push_str("  app hashes: no node has committed a block yet\n"),
    }
    match &ibc {
        Ok(ibc) => text.push_str(&ibc.to_text()),
        Err(e) => text.push_str(&format!("  ibc: unavailable ({e:#})\n")),
    }
    ChainReport {
        json,
        text,
        problems,
    }
}

/// Runs `status`.
pub async fn run(globals: &Globals) -> anyhow::Result<()> {
    let state = Localnet::require(&globals.dir)?;
    let mut reports = Vec::new();
    for chain in state.all_chains() {
        reports.push(chain_report(chain).await);
    }
    let relayer_json = state.relayer.as_ref().map(|r| {
        json!({
            "running": r.pid.is_some_and(|pid| procs::is_node_process(pid, &r.home)),
            "pid": r.pid,
            "config": r.config_path().display().to_string(),
            "log": r.log_path().display().to_string(),
            "paths": r.paths,
        })
    });
    let mut problems: Vec<String> = reports.iter().flat_map(|r| r.problems.clone()).collect();
    if let Some(r) = &state.relayer {
        if !r
            .pid
            .is_some_and(|pid| procs::is_node_process(pid, &r.home))
        {
            problems.push(format!(
                "hermes is not running (log {})",
                r.log_path().display()
            ));
        }
    }
    globals.output.print(
        &json!({
            "dir": state.dir.display().to_string(),
            "chains": reports.iter().map(|r| r.json.clone()).collect::<Vec<_>>(),
            "relayer": relayer_json,
            "healthy": problems.is_empty(),
            "problems": problems,
        }),
        || {
            let mut text = format!("localnet in {}\n", state.dir.display());
            for report in &reports {
                text.push_str(&report.text);
            }
            match &state.relayer {
                Some(r) => text.push_str(&format!(
                    "hermes: {} (pid {}, log {})\n",
                    if r.pid
                        .is_some_and(|pid| procs::is_node_process(pid, &r.home))
                    {
                        "running"
                    } else {
                        "NOT RUNNING"
                    },
                    r.pid.map_or("-".into(), |p| p.to_string()),
                    r.log_path().display()
                )),
                None => text.push_str("hermes: none\n"),
            }
            text
        },
    );
    if !problems.is_empty() {
        bail!("{}", problems.join("; "));
    }
    Ok(())
}
