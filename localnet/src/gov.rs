//! Hub governance as the local network's operators use it: write a proposal file, submit it
//! with `hubd tx gov submit-proposal`, vote yes with 3 of the 4 hub validators
//! (`hubd tx gov vote`) and wait for the end of the voting period.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use hub_client::rpc::Node;
use serde_json::{json, Value};

use crate::{
    procs,
    state::{Account, ChainNet},
};

/// The hub's gov voting period on the local network.
pub const HUB_VOTING_PERIOD: &str = "20s";

/// The deposit of a proposal (the hub's `min_deposit`).
pub const DEPOSIT: &str = "10000000uhub";
/// How long one stage (a vote, a relay) may take.
pub const STAGE_TIMEOUT: Duration = Duration::from_secs(240);

fn str_arg(path: &Path) -> anyhow::Result<&str> {
    path.to_str()
        .with_context(|| format!("{} is not valid UTF-8", path.display()))
}

/// The latest height of `chain` (node0).
pub async fn height(chain: &ChainNet) -> anyhow::Result<u64> {
    let status = Node::new(&chain.node0().rpc)?.status().await?;
    Ok(status.sync_info.latest_block_height.value())
}

/// Runs a hub transaction command as validator `i` (its key and home).
pub fn hubd_tx(hub: &ChainNet, i: usize, args: &[&str]) -> anyhow::Result<Value> {
    hubd_tx_as(hub, &hub.nodes[i].validator, args)
}

/// Runs a hub transaction command signed by `signer` (its key in its home), through node0;
/// the tx's JSON result once committed.
///
/// Errors: the command fails or prints no JSON.
pub fn hubd_tx_as(hub: &ChainNet, signer: &Account, args: &[&str]) -> anyhow::Result<Value> {
    let mut all: Vec<&str> = args.to_vec();
    let home = str_arg(&signer.home)?;
    all.extend([
        "--from",
        &signer.key,
        "--home",
        home,
        "--node",
        &hub.node0().rpc,
    ]);
    all.extend(["--chain-id", &hub.chain_id, "--output", "json"]);
    procs::run_json(&hub.binary, &all)
}

/// Runs a hub query command against node0.
pub fn hubd_query(hub: &ChainNet, args: &[&str]) -> anyhow::Result<Value> {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--node", &hub.node0().rpc, "--output", "json"]);
    procs::run_json(&hub.binary, &all)
}

/// Waits until `check` returns `Some`, polling every second, for at most [`STAGE_TIMEOUT`].
pub async fn wait_for<T, F, Fut>(what: &str, mut check: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
{
    let started = Instant::now();
    loop {
        if let Some(v) = check().await? {
            return Ok(v);
        }
        if started.elapsed() > STAGE_TIMEOUT {
            bail!("{what}: not reached after {} s", STAGE_TIMEOUT.as_secs());
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// A proposal that passed.
pub struct Passed {
    /// Its id.
    pub id: String,
    /// The hub height at which it was seen PASSED.
    pub height: u64,
}

/// Writes `messages` as proposal file `file`, submits it, votes yes with 3 of the hub's
/// validators and waits until it PASSED. Errors: a failed command, or the proposal ending
/// REJECTED or FAILED (the message carries the proposal).
pub async fn pass(
    hub: &ChainNet,
    file: &Path,
    title: &str,
    summary: &str,
    messages: Vec<Value>,
) -> anyhow::Result<Passed> {
    let proposal = json!({
        "messages": messages,
        "metadata": "",
        "deposit": DEPOSIT,
        "title": title,
        "summary": summary,
        "expedited": false,
    });
    std::fs::write(file, serde_json::to_string_pretty(&proposal)?)
        .with_context(|| format!("cannot write {}", file.display()))?;
    let submitted = hubd_tx(hub, 0, &["tx", "gov", "submit-proposal", str_arg(file)?])?;
    let id = submitted["proposal_id"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("submit-proposal printed no proposal_id: {submitted}"))?;
    println!("      proposal {id} ({})", file.display());
    for i in 0..3.min(hub.nodes.len()) {
        hubd_tx(hub, i, &["tx", "gov", "vote", &id, "yes"])?;
        println!("      {} voted yes", hub.nodes[i].validator.key);
    }
    let height = wait_for("the proposal's end", || async {
        let p = hubd_query(hub, &["query", "gov", "proposal", &id])?;
        match p["proposal"]["status"].as_str() {
            Some("PROPOSAL_STATUS_PASSED") => Ok(Some(height(hub).await?)),
            Some("PROPOSAL_STATUS_VOTING_PERIOD") | Some("PROPOSAL_STATUS_DEPOSIT_PERIOD") => {
                Ok(None)
            }
            other => bail!("proposal {id} ended {other:?}: {p}"),
        }
    })
    .await?;
    Ok(Passed { id, height })
}
