//! `localnet up`: build and start an N-validator hub on loopback.

use std::{
    path::{Path, PathBuf},
    process::Child,
    time::{Duration, Instant},
};

use anyhow::{bail, Context as _};
use clap::Args;
use hub_cli::{rpc::Node, ChainProfile};
use toml_edit::{value, DocumentMut};

use crate::{
    procs,
    state::{Account, Localnet, NodeInfo, MARKER_FILE, STATE_FILE},
    Globals,
};

/// Genesis balance of every funded key.
pub const GENESIS_FUNDS: u128 = 1_000_000_000_000;
/// Voting power of every validator.
pub const VALIDATOR_POWER: u64 = 10;
/// Height every node must reach before `up` reports success.
pub const READY_HEIGHT: u64 = 2;

/// Arguments of `up`.
#[derive(Debug, Args)]
pub struct UpArgs {
    /// Number of validator nodes
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=50))]
    validators: u16,
    /// First port; node i uses base+10i+{0: p2p, 1: rpc, 2: abci, 3: grpc}
    #[arg(long, default_value_t = 26600)]
    base_port: u16,
    /// Chain id
    #[arg(long, default_value = "hub-1")]
    chain_id: String,
    /// CometBFT program [default: `cometbft` on PATH]
    #[arg(long, value_name = "PATH")]
    cometbft: Option<PathBuf>,
    /// Seconds to wait for every node to reach height 2
    #[arg(long, default_value_t = 90)]
    timeout: u64,
}

/// The ports of node `i`.
pub fn ports(base: u16, i: u16) -> anyhow::Result<[u16; 4]> {
    let first = u32::from(base) + 10 * u32::from(i);
    let port = |k: u32| {
        u16::try_from(first + k)
            .with_context(|| format!("--base-port {base} is too high for node{i}'s ports"))
    };
    Ok([port(0)?, port(1)?, port(2)?, port(3)?])
}

fn prepare_dir(dir: &Path) -> anyhow::Result<()> {
    if let Some(existing) = Localnet::load(dir)? {
        let running: Vec<_> = existing
            .nodes
            .iter()
            .filter(|n| {
                n.pid
                    .is_some_and(|pid| procs::is_node_process(pid, &n.home))
            })
            .map(|n| n.name.clone())
            .collect();
        if !running.is_empty() {
            bail!(
                "a localnet is already running in {} ({}); stop it first with `localnet down`",
                dir.display(),
                running.join(", ")
            );
        }
    }
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        if entries.next().is_some() && !dir.join(MARKER_FILE).exists() {
            bail!(
                "{} exists and was not created by localnet; choose another --dir or remove it",
                dir.display()
            );
        }
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("cannot remove the old localnet in {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(
        dir.join(MARKER_FILE),
        "created by localnet; `localnet up` may delete this directory\n",
    )
    .with_context(|| format!("cannot write in {}", dir.display()))
}

fn str_arg(path: &Path) -> anyhow::Result<&str> {
    path.to_str()
        .with_context(|| format!("{} is not valid UTF-8; use a plain --dir", path.display()))
}

fn add_key(hubd: &Path, home: &Path, name: &str) -> anyhow::Result<Account> {
    let out = procs::run_json(
        hubd,
        &[
            "keys",
            "add",
            name,
            "--home",
            str_arg(home)?,
            "--output",
            "json",
        ],
    )?;
    let address = out["address"]
        .as_str()
        .with_context(|| format!("`hubd keys add {name}` printed no address: {out}"))?
        .to_owned();
    Ok(Account {
        key: name.to_owned(),
        address,
        home: home.to_owned(),
    })
}

fn wire_config(node: &NodeInfo, peers: &str) -> anyhow::Result<()> {
    let path = node.home.join("config").join("config.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut doc: DocumentMut = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", path.display()))?;
    doc["p2p"]["persistent_peers"] = value(peers);
    doc["p2p"]["allow_duplicate_ip"] = value(true);
    doc["p2p"]["addr_book_strict"] = value(false);
    std::fs::write(&path, doc.to_string())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Runs `up`.
pub async fn run(globals: &Globals, args: UpArgs) -> anyhow::Result<()> {
    let profile = ChainProfile::HUB;
    let steps = 6;
    let step = |n: usize, text: &str| println!("[{n}/{steps}] {text}");

    step(1, "checking programs and ports");
    let hubd = procs::find_hubd(globals.hubd.as_deref())?;
    let cometbft = hub_cli::init::locate_cometbft(args.cometbft.as_deref())?;
    let cometbft = std::fs::canonicalize(&cometbft).unwrap_or(cometbft);
    println!("      hubd:     {}", hubd.display());
    println!("      cometbft: {}", cometbft.display());
    std::fs::create_dir_all(&globals.dir)
        .with_context(|| format!("cannot create {}", globals.dir.display()))?;
    let dir = std::fs::canonicalize(&globals.dir)
        .with_context(|| format!("cannot resolve {}", globals.dir.display()))?;
    prepare_dir(&dir)?;
    let n = args.validators;
    for i in 0..n {
        let [p2p, rpc, abci, grpc] = ports(args.base_port, i)?;
        for (port, role) in [(p2p, "p2p"), (rpc, "rpc"), (abci, "abci"), (grpc, "grpc")] {
            procs::check_port_free(port, &format!("node{i} {role}"))?;
        }
    }

    step(
        2,
        &format!("initializing {n} node homes in {}", dir.display()),
    );
    let cometbft_arg = str_arg(&cometbft)?.to_owned();
    let mut infos = Vec::new();
    for i in 0..n {
        let name = format!("node{i}");
        let home = dir.join(&name);
        let [p2p_port, rpc_port, abci_port, grpc_port] = ports(args.base_port, i)?;
        let node = NodeInfo {
            name,
            node_id: String::new(),
            p2p_port,
            rpc_port,
            abci_port,
            grpc_port,
            rpc: format!("http://127.0.0.1:{rpc_port}"),
            grpc: format!("127.0.0.1:{grpc_port}"),
            p2p: format!("tcp://127.0.0.1:{p2p_port}"),
            abci: format!("tcp://127.0.0.1:{abci_port}"),
            pid: None,
            validator: Account::default(),
            home,
        };
        println!(
            "      {}: p2p {p2p_port}, rpc {rpc_port}, abci {abci_port}, grpc {grpc_port}",
            node.name
        );
        let rpc_laddr = format!("tcp://127.0.0.1:{rpc_port}");
        let out = procs::run_json(
            &hubd,
            &[
                "init",
                &node.name,
                "--chain-id",
                &args.chain_id,
                "--home",
                str_arg(&node.home)?,
                "--cometbft",
                &cometbft_arg,
                "--rpc-laddr",
                &rpc_laddr,
                "--p2p-laddr",
                &node.p2p,
                "--abci-addr",
                &node.abci,
                "--grpc-addr",
                &node.grpc,
                "--output",
                "json",
            ],
        )?;
        let node_id = out["node_id"]
            .as_str()
            .with_context(|| format!("`hubd init` printed no node_id: {out}"))?
            .to_owned();
        infos.push(NodeInfo { node_id, ..node });
    }

    step(
        3,
        "creating keys (validator<i> in node<i>'s keyring; faucet and relayer in node0's)",
    );
    for (i, node) in infos.iter_mut().enumerate() {
        node.validator = add_key(&hubd, &node.home, &format!("validator{i}"))?;
    }
    let node0_home = infos[0].home.clone();
    let faucet = add_key(&hubd, &node0_home, "faucet")?;
    let relayer = add_key(&hubd, &node0_home, "relayer")?;

    step(4, "building the genesis in node0");
    let home0 = str_arg(&node0_home)?.to_owned();
    let funds = format!("{GENESIS_FUNDS}{}", profile.denom);
    let funded: Vec<&str> = infos
        .iter()
        .map(|n| n.validator.address.as_str())
        .chain([faucet.address.as_str(), relayer.address.as_str()])
        .collect();
    for address in &funded {
        procs::run(
            &hubd,
            &["genesis", "add-account", address, &funds, "--home", &home0],
        )?;
    }
    for node in &infos {
        let pubkey = procs::run_json(
            &hubd,
            &["comet", "show-validator", "--home", str_arg(&node.home)?],
        )?;
        let pubkey = pubkey["key"]
            .as_str()
            .with_context(|| format!("`hubd comet show-validator` printed no key: {pubkey}"))?
            .to_owned();
        procs::run(
            &hubd,
            &[
                "genesis",
                "add-validator",
                "--pubkey",
                &pubkey,
                "--power",
                &VALIDATOR_POWER.to_string(),
                "--moniker",
                &node.name,
                "--operator",
                &node.validator.address,
                "--home",
                &home0,
            ],
        )?;
    }
    procs::run(&hubd, &["genesis", "validate", "--home", &home0])?;
    println!(
        "      {} funded accounts ({funds} each), {} validators (power {VALIDATOR_POWER} each)",
        funded.len(),
        infos.len()
    );

    step(5, "copying the genesis to every node and connecting peers");
    let genesis = node0_home.join("config").join("genesis.json");
    for (i, node) in infos.iter().enumerate() {
        if i > 0 {
            let target = node.home.join("config").join("genesis.json");
            std::fs::copy(&genesis, &target)
                .with_context(|| format!("cannot copy the genesis to {}", target.display()))?;
        }
        let peers: Vec<String> = infos
            .iter()
            .filter(|other| other.name != node.name)
            .map(|other| format!("{}@127.0.0.1:{}", other.node_id, other.p2p_port))
            .collect();
        wire_config(node, &peers.join(","))?;
    }

    let mut state = Localnet {
        dir: dir.clone(),
        chain_id: args.chain_id.clone(),
        denom: profile.denom.to_owned(),
        hubd: hubd.clone(),
        cometbft,
        nodes: infos,
        faucet,
        relayer,
    };
    state.save()?;

    step(6, "starting the nodes");
    let mut children: Vec<Child> = Vec::new();
    for index in 0..state.nodes.len() {
        let node = &state.nodes[index];
        let child = procs::spawn_node(&hubd, &node.home, &node.log_path())?;
        println!(
            "      [{}/{}] started {} (pid {}, log {})",
            index + 1,
            state.nodes.len(),
            node.name,
            child.id(),
            node.log_path().display()
        );
        state.nodes[index].pid = Some(child.id());
        children.push(child);
        state.save()?;
    }

    if let Err(error) =
        wait_until_ready(&state, &mut children, Duration::from_secs(args.timeout)).await
    {
        println!(
            "stopping the nodes that were started (logs are kept in {})",
            dir.display()
        );
        for node in &mut state.nodes {
            procs::stop_node(node.pid, &node.home, Duration::from_secs(10));
            node.pid = None;
        }
        state.save()?;
        return Err(error);
    }

    println!();
    println!(
        "localnet {} is up with {} validators ({})",
        state.chain_id,
        state.nodes.len(),
        dir.join(STATE_FILE).display()
    );
    println!(
        "  {:<7} {:<24} {:<17} {:<6} {:<6} pid",
        "node", "rpc", "grpc", "p2p", "abci"
    );
    for node in &state.nodes {
        println!(
            "  {:<7} {:<24} {:<17} {:<6} {:<6} {}",
            node.name,
            node.rpc,
            node.grpc,
            node.p2p_port,
            node.abci_port,
            node.pid.map_or("-".into(), |p| p.to_string())
        );
    }
    println!(
        "  faucet:  {} (key `faucet` in {})",
        state.faucet.address,
        state.faucet.home.display()
    );
    println!(
        "  relayer: {} (key `relayer` in {})",
        state.relayer.address,
        state.relayer.home.display()
    );
    println!("next: `localnet status`, `localnet demo`, `localnet load`, `localnet down`");
    Ok(())
}

async fn wait_until_ready(
    state: &Localnet,
    children: &mut [Child],
    timeout: Duration,
) -> anyhow::Result<()> {
    println!(
        "      waiting for every node to reach height {READY_HEIGHT} (up to {} s)",
        timeout.as_secs()
    );
    let clients = state
        .nodes
        .iter()
        .map(|n| Node::new(&n.rpc))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let started = Instant::now();
    let mut last_report = String::new();
    loop {
        for (node, child) in state.nodes.iter().zip(children.iter_mut()) {
            if let Some(status) = child.try_wait().context("cannot check a node process")? {
                bail!(
                    "{} exited during start-up ({status}); read {}. Last lines:\n{}",
                    node.name,
                    node.log_path().display(),
                    procs::tail(&node.log_path(), 15)
                );
            }
        }
        let mut heights = Vec::new();
        for client in &clients {
            let height = match client.status().await {
                Ok(status) => Some(status.sync_info.latest_block_height.value()),
                Err(_) => None,
            };
            heights.push(height);
        }
        let report = state
            .nodes
            .iter()
            .zip(&heights)
            .map(|(n, h)| format!("{}={}", n.name, h.map_or("-".into(), |h| h.to_string())))
            .collect::<Vec<_>>()
            .join(" ");
        if report != last_report {
            println!(
                "      [{:>3} s] heights: {report}",
                started.elapsed().as_secs()
            );
            last_report = report;
        }
        if heights.iter().all(|h| h.is_some_and(|h| h >= READY_HEIGHT)) {
            return Ok(());
        }
        if started.elapsed() > timeout {
            let (node, height) = state
                .nodes
                .iter()
                .zip(&heights)
                .find(|(_, h)| !h.is_some_and(|h| h >= READY_HEIGHT))
                .map(|(n, h)| (n, *h))
                .unwrap_or((&state.nodes[0], None));
            bail!(
                "{} did not reach height {READY_HEIGHT} within {} s ({}); read {}. Last lines:\n{}",
                node.name,
                timeout.as_secs(),
                height.map_or("its RPC does not answer".into(), |h| format!(
                    "it is at height {h}"
                )),
                node.log_path().display(),
                procs::tail(&node.log_path(), 15)
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_follow_the_documented_layout() {
        assert_eq!(ports(26600, 0).unwrap(), [26600, 26601, 26602, 26603]);
        assert_eq!(ports(26600, 3).unwrap(), [26630, 26631, 26632, 26633]);
        assert!(ports(65530, 1).is_err());
    }

    #[test]
    fn peers_and_p2p_flags_are_written() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir(home.path().join("config")).unwrap();
        std::fs::write(
            home.path().join("config/config.toml"),
            "[p2p]\nladdr = \"tcp://0.0.0.0:26656\"\npersistent_peers = \"\"\n",
        )
        .unwrap();
        let node = NodeInfo {
            name: "node0".into(),
            home: home.path().to_owned(),
            node_id: "x".into(),
            p2p_port: 1,
            rpc_port: 2,
            abci_port: 3,
            grpc_port: 4,
            rpc: String::new(),
            grpc: String::new(),
            p2p: String::new(),
            abci: String::new(),
            pid: None,
            validator: Account {
                key: "v".into(),
                address: "a".into(),
                home: home.path().to_owned(),
            },
        };
        wire_config(&node, "id1@127.0.0.1:26610").unwrap();
        let doc: DocumentMut = std::fs::read_to_string(home.path().join("config/config.toml"))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            doc["p2p"]["persistent_peers"].as_str(),
            Some("id1@127.0.0.1:26610")
        );
        assert_eq!(doc["p2p"]["allow_duplicate_ip"].as_bool(), Some(true));
        assert_eq!(doc["p2p"]["addr_book_strict"].as_bool(), Some(false));
        assert_eq!(doc["p2p"]["laddr"].as_str(), Some("tcp://0.0.0.0:26656"));
    }
}
