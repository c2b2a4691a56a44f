//! `localnet demo`: a bank transfer on the hub checked on every hub node; then, when the
//! localnet has spokes and Hermes, an ICS-20 round trip spoke-a → hub → spoke-b → hub →
//! spoke-a sent with the chains' own CLIs (see [`crate::ibc_demo`]), and the router: a
//! forward through the hub, a queued transfer, a propagated pause (see [`crate::flow_demo`]).

use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use clap::Args;
use hub_cli::{coins::parse_coins, rpc::Node};
use serde_json::{json, Value};

use crate::{
    flow_demo, ibc_demo, procs,
    state::{ChainNet, Localnet},
    upgrade_demo, Globals,
};

/// Arguments of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Amount to send on the hub
    #[arg(long, default_value = "1000000uhub")]
    amount: String,
    /// Amount of spoke-a's token to send around the spokes and the hub
    #[arg(long, default_value_t = 1_000_000)]
    ibc_amount: u128,
    /// Only the bank transfer on the hub
    #[arg(long)]
    bank_only: bool,
    /// Skip the governance-dispatched upgrade of the spokes (and the IBC round trip after it)
    #[arg(long)]
    no_upgrade: bool,
    /// Skip the router (a forward through the hub, a queued transfer, a propagated pause)
    #[arg(long)]
    no_router: bool,
    /// Only the router (on a network that already ran the rest of the demo)
    #[arg(long, conflicts_with_all = ["bank_only", "no_router"])]
    router_only: bool,
}

fn str_arg(path: &std::path::Path) -> anyhow::Result<&str> {
    path.to_str()
        .with_context(|| format!("{} is not valid UTF-8", path.display()))
}

/// The balance of `address` in `denom` as seen by the node at `rpc`, through `hubd query`.
fn balance(hubd: &std::path::Path, rpc: &str, address: &str, denom: &str) -> anyhow::Result<u128> {
    let out = procs::run_json(
        hubd,
        &[
            "query", "bank", "balance", address, denom, "--node", rpc, "--output", "json",
        ],
    )?;
    out["balance"]["amount"]
        .as_str()
        .and_then(|a| a.parse().ok())
        .with_context(|| format!("`hubd query bank balance` printed no amount: {out}"))
}

/// Runs `demo`.
pub async fn run(globals: &Globals, args: DemoArgs) -> anyhow::Result<()> {
    let state = Localnet::require(&globals.dir)?;
    if args.router_only {
        let relayer = state
            .relayer
            .as_ref()
            .filter(|_| state.spokes().len() >= 2)
            .context("the router demo needs two spokes and Hermes")?;
        return flow_demo::run(&state, relayer).await;
    }
    bank_demo(globals, &state, &args).await?;
    if args.bank_only {
        return Ok(());
    }
    match &state.relayer {
        Some(relayer) if state.spokes().len() >= 2 => {
            println!();
            ibc_demo::run(&state, relayer, args.ibc_amount).await?;
            if !args.no_router {
                println!();
                flow_demo::run(&state, relayer).await?;
            }
            if args.no_upgrade {
                return Ok(());
            }
            println!();
            upgrade_demo::run(&state, relayer).await?;
            println!();
            println!("IBC after the upgrade: the same round trip over the upgraded spokes");
            ibc_demo::run(&state, relayer, args.ibc_amount).await
        }
        _ => {
            println!("(no spokes with a relayer in this localnet: no IBC round trip)");
            Ok(())
        }
    }
}

/// A transfer from `faucet` to validator1 on the hub, checked on every hub node.
async fn bank_demo(globals: &Globals, state: &Localnet, args: &DemoArgs) -> anyhow::Result<()> {
    let hub: &ChainNet = state.hub();
    let hubd = match &globals.hubd {
        Some(path) => procs::find_program("hubd", Some(path))?,
        None => hub.binary.clone(),
    };
    let coins = parse_coins(&args.amount).context("invalid --amount")?;
    let [coin] = coins.as_slice() else {
        bail!("--amount takes one denomination, e.g. 1000000uhub");
    };
    let recipient_node = hub.nodes.get(1).unwrap_or(&hub.nodes[0]);
    let recipient = &recipient_node.validator;
    println!(
        "sending {} from faucet ({}) to {} ({}) through node0",
        coin, hub.faucet.address, recipient.key, recipient.address
    );

    let mut before = Vec::new();
    for node in &hub.nodes {
        before.push(
            balance(&hubd, &node.rpc, &recipient.address, &coin.denom).with_context(|| {
                format!(
                    "cannot query {} (is the localnet up? see `localnet status`)",
                    node.name
                )
            })?,
        );
    }

    let node0 = &hub.nodes[0];
    let sent = procs::run_json(
        &hubd,
        &[
            "tx",
            "bank",
            "send",
            &hub.faucet.key,
            &recipient.address,
            &args.amount,
            "--home",
            str_arg(&hub.faucet.home)?,
            "--node",
            &node0.rpc,
            "--chain-id",
            &hub.chain_id,
            "--output",
            "json",
        ],
    )
    .context("the transfer failed")?;
    let hash = sent["txhash"].as_str().unwrap_or_default().to_owned();
    let height: u64 = sent["height"]
        .as_str()
        .and_then(|h| h.parse().ok())
        .unwrap_or(0);
    println!(
        "committed: txhash {hash}, height {height}, code {}, gas used {}",
        sent["code"],
        sent["gas_used"].as_str().unwrap_or("?")
    );

    let mut failures = Vec::new();
    println!(
        "  {:<7} {:>22} {:>22} {:>14}  tx",
        "node", "before", "after", "change"
    );
    for (node, before) in hub.nodes.iter().zip(&before) {
        let client = Node::new(&node.rpc)?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let h = client.status().await?.sync_info.latest_block_height.value();
            if h >= height {
                break;
            }
            if Instant::now() > deadline {
                bail!(
                    "{} did not reach height {height} within 30 s; read {}",
                    node.name,
                    node.log_path().display()
                );
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let tx: Value = procs::run_json(
            &hubd,
            &[
                "query", "tx", &hash, "--node", &node.rpc, "--output", "json",
            ],
        )
        .unwrap_or_else(|e| json!({ "error": e.to_string() }));
        let tx_ok = tx["code"] == json!(0) && tx["height"].as_str() == Some(&height.to_string());
        let after = balance(&hubd, &node.rpc, &recipient.address, &coin.denom)?;
        let change = after.checked_sub(*before);
        println!(
            "  {:<7} {:>22} {:>22} {:>14}  {}",
            node.name,
            before,
            after,
            change.map_or_else(|| format!("-{}", before - after), |c| format!("+{c}")),
            if tx_ok {
                format!("committed at {height}")
            } else {
                format!("NOT FOUND: {tx}")
            }
        );
        if !tx_ok {
            failures.push(format!(
                "{} does not show tx {hash} committed at height {height}",
                node.name
            ));
        }
        if change != Some(coin.amount) {
            failures.push(format!(
                "{}: the balance changed by {} instead of +{}",
                node.name,
                change.map_or_else(|| format!("-{}", before - after), |c| format!("+{c}")),
                coin.amount
            ));
        }
    }
    if !failures.is_empty() {
        bail!("the nodes disagree:\n  {}", failures.join("\n  "));
    }
    println!(
        "every node shows the transfer: {} more {} for {}",
        coin.amount, coin.denom, recipient.key
    );
    Ok(())
}
