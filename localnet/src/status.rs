//! `localnet status`: every node's process, height and app hash, and whether the app hashes
//! agree at a common height.

use anyhow::bail;
use hub_cli::rpc::Node;
use serde_json::json;

use crate::{procs, state::Localnet, Globals};

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

/// Queries every node's /status.
pub async fn collect(state: &Localnet) -> Vec<NodeStatus> {
    let mut out = Vec::new();
    for node in &state.nodes {
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
pub async fn compare_app_hashes(state: &Localnet, statuses: &[NodeStatus]) -> Option<Agreement> {
    let height = statuses.iter().filter_map(|s| s.height).min()?;
    if height == 0 {
        return None;
    }
    let mut hashes = Vec::new();
    for (node, status) in state.nodes.iter().zip(statuses) {
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

/// Runs `status`.
pub async fn run(globals: &Globals) -> anyhow::Result<()> {
    let state = Localnet::require(&globals.dir)?;
    let statuses = collect(&state).await;
    let agreement = compare_app_hashes(&state, &statuses).await;
    let all_up = statuses.iter().all(|s| s.running && s.height.is_some());
    let agrees = agreement.as_ref().is_some_and(Agreement::agrees);

    let nodes_json: Vec<_> = state
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
            })
        })
        .collect();
    globals.output.print(
        &json!({
            "chain_id": state.chain_id,
            "dir": state.dir.display().to_string(),
            "nodes": nodes_json,
            "common_height": agreement.as_ref().map(|a| a.height.to_string()),
            "app_hashes_agree": agreement.as_ref().map(Agreement::agrees),
            "app_hashes": agreement.as_ref().map(|a| a.hashes.iter().map(|(n, h)| json!({ "name": n, "app_hash": h })).collect::<Vec<_>>()),
        }),
        || {
            let mut text = format!("localnet {} in {}\n", state.chain_id, state.dir.display());
            text.push_str(&format!(
                "  {:<7} {:<24} {:<17} {:<8} {:<7} app hash\n",
                "node", "rpc", "grpc", "running", "height"
            ));
            for (node, s) in state.nodes.iter().zip(&statuses) {
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
            match &agreement {
                Some(a) if a.agrees() => text.push_str(&format!(
                    "app hashes after height {}: all {} answering nodes agree ({})\n",
                    a.height,
                    a.hashes.len(),
                    a.hashes.first().map_or("", |h| h.1.as_str())
                )),
                Some(a) => {
                    text.push_str(&format!("app hashes after height {} DISAGREE:\n", a.height));
                    for (name, hash) in &a.hashes {
                        text.push_str(&format!("  {name}: {hash}\n"));
                    }
                }
                None if statuses.iter().all(|s| s.height.is_none()) => {
                    text.push_str("app hashes: no node answers\n")
                }
                None => text.push_str("app hashes: no node has committed a block yet\n"),
            }
            text
        },
    );
    if !all_up {
        let down: Vec<_> = state
            .nodes
            .iter()
            .zip(&statuses)
            .filter(|(_, s)| !(s.running && s.height.is_some()))
            .map(|(n, _)| format!("{} (log {})", n.name, n.log_path().display()))
            .collect();
        bail!("not every node is up: {}", down.join(", "));
    }
    match &agreement {
        None if statuses.iter().all(|s| s.height.is_none()) => bail!("no node answers"),
        None => bail!("no node has committed a block yet"),
        Some(a) if !agrees => bail!(
            "the nodes' app hashes after height {} do not agree; read the nodes' hubd.log files",
            a.height
        ),
        Some(_) => {}
    }
    Ok(())
}
