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
    cosmovisor, hermes, ibc_go, procs,
    state::{Account, ChainNet, Localnet, Netns, NodeInfo, MARKER_FILE, STATE_FILE},
    Globals,
};

/// Genesis balance of every funded key.
pub const GENESIS_FUNDS: u128 = 1_000_000_000_000;
/// Voting power of every validator.
pub const VALIDATOR_POWER: u64 = 10;
/// Height every node must reach before `up` reports success.
pub const READY_HEIGHT: u64 = 2;
/// Port distance between two chains: chain k (0 = hub) numbers its nodes from
/// `--base-port + k * CHAIN_PORT_STRIDE`.
pub const CHAIN_PORT_STRIDE: u16 = 1000;

/// Arguments of `up`.
#[derive(Debug, Args)]
pub struct UpArgs {
    /// Number of hub validator nodes
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=50))]
    validators: u16,
    /// Number of spoke chains (spoke-a, spoke-b, …), each connected to the hub by Hermes
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(0..=8))]
    spokes: u16,
    /// Number of validator nodes of each spoke
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=50))]
    spoke_validators: u16,
    /// First port; hub node i uses base+10i+{0: p2p, 1: rpc, 2: abci, 3: grpc}, spoke k
    /// (1, 2, …) the same from base+1000k. Keep every port below the system's ephemeral range
    /// (32768 on Linux), where outgoing connections may hold them
    #[arg(long, default_value_t = 26600)]
    base_port: u16,
    /// Chain id of the hub
    #[arg(long, default_value = "hub-1")]
    chain_id: String,
    /// CometBFT program [default: `cometbft` on PATH]
    #[arg(long, value_name = "PATH")]
    cometbft: Option<PathBuf>,
    /// Hermes program [default: `hermes` on PATH]
    #[arg(long, value_name = "PATH")]
    hermes: Option<PathBuf>,
    /// cosmovisor program, which runs every spoke node [default: `cosmovisor` on PATH, else in
    /// Go's install directory]
    #[arg(long, value_name = "PATH")]
    cosmovisor: Option<PathBuf>,
    /// Trusting period of every light client Hermes creates (Hermes refreshes a client after a
    /// third of it), e.g. `20min`, `90s`
    #[arg(long, default_value = "20min")]
    trusting_period: String,
    /// Event source of Hermes: `push` (websocket) or `pull` (block results)
    #[arg(long, default_value = "push", value_parser = ["push", "pull"])]
    event_source: String,
    /// Start the chains only: no Hermes, no channels
    #[arg(long)]
    no_relayer: bool,
    /// Open the `transfer` channels only: no spoke registration by governance, no `upgrade`
    /// channels (a minute less per spoke, for tests of transfers alone)
    #[arg(long)]
    no_upgrade_channels: bool,
    /// Also run a one-validator ibc-go v8.7.0 chain (`simd-1`, built by scripts/setup.sh) with a
    /// `transfer` channel to the hub opened by the same Hermes
    #[arg(long)]
    with_ibc_go: bool,
    /// simd program [default: `simd` on PATH, else in Go's install directory]
    #[arg(long, value_name = "PATH")]
    simd: Option<PathBuf>,
    /// Seconds to wait for every node to reach height 2
    #[arg(long, default_value_t = 90)]
    timeout: u64,
    /// Run hub node i in network namespace NAME, its listeners bound to ADDRESS (one
    /// `NAME=ADDRESS` per validator, in node order). The namespaces must exist and reach each
    /// other and the host at those addresses (e.g. veth pairs into one bridge); the chaos test
    /// creates them to cut the network between validators
    #[arg(long, value_name = "NAME=ADDRESS", value_parser = parse_netns)]
    hub_netns: Vec<Netns>,
}

/// Parses `NAME=ADDRESS` of `--hub-netns`.
fn parse_netns(text: &str) -> Result<Netns, String> {
    let (name, address) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} is not NAME=ADDRESS"))?;
    let ip: std::net::Ipv4Addr = address
        .parse()
        .map_err(|e| format!("{address:?} is not an IPv4 address: {e}"))?;
    if name.is_empty() {
        return Err(format!("{text:?} names no namespace"));
    }
    Ok(Netns {
        name: name.to_owned(),
        address: ip.to_string(),
    })
}

/// What one chain of the localnet is made of, before anything is created.
struct ChainSpec {
    name: String,
    chain_id: String,
    binary: PathBuf,
    /// cosmovisor, for a chain whose nodes run under it (the spokes).
    cosmovisor: Option<PathBuf>,
    profile: ChainProfile,
    validators: u16,
    base_port: u16,
    /// For a spoke: the hub chain id its interchain-upgrade receiver trusts.
    hub_chain_id: Option<String>,
    /// The namespace of each node (empty: every node on the host's loopback).
    netns: Vec<Netns>,
}

/// Minimum distance in blocks between a spoke's height and an upgrade plan's height on the
/// local network (the production default is 20; the demo plans about a minute ahead).
pub const MIN_UPGRADE_DELAY: u64 = 20;

/// Sets the string at `path` in `<home>/config/genesis.json`, creating the objects on the way
/// below `app_state` (module sections `hubd init` leaves to their defaults).
fn set_genesis_field(home: &std::path::Path, path: &[&str], value: &str) -> anyhow::Result<()> {
    let file = home.join("config").join("genesis.json");
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let mut genesis: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", file.display()))?;
    let mut at = &mut genesis;
    for (depth, key) in path.iter().enumerate() {
        if depth >= 1 && at.get(*key).is_none() {
            if let Some(section) = at.as_object_mut() {
                section.insert((*key).to_owned(), serde_json::json!({}));
            }
        }
        at = at
            .get_mut(*key)
            .with_context(|| format!("{} has no {}", file.display(), path.join(".")))?;
    }
    *at = serde_json::Value::String(value.to_owned());
    std::fs::write(&file, serde_json::to_string_pretty(&genesis)?)
        .with_context(|| format!("cannot write {}", file.display()))
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
        let mut running: Vec<String> = existing
            .chains
            .iter()
            .flat_map(|c| c.nodes.iter().map(move |n| (c, n)))
            .filter(|(_, n)| {
                n.pid
                    .is_some_and(|pid| procs::is_node_process(pid, &n.home))
            })
            .map(|(c, n)| format!("{}/{}", c.name, n.name))
            .collect();
        if let Some(r) = &existing.relayer {
            if r.pid
                .is_some_and(|pid| procs::is_node_process(pid, &r.home))
            {
                running.push("hermes".into());
            }
        }
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

fn add_key(
    binary: &Path,
    home: &Path,
    name: &str,
    mnemonic: Option<&str>,
) -> anyhow::Result<(Account, String)> {
    let home_arg = str_arg(home)?;
    let mut args = vec![
        "keys",
        "add",
        name,
        "--home",
        home_arg,
        "--keyring-backend",
        "test",
        "--output",
        "json",
    ];
    if mnemonic.is_some() {
        args.push("--recover");
    }
    let out = match mnemonic {
        Some(words) => procs::run_json_with_stdin(binary, &args, words)?,
        None => procs::run_json(binary, &args)?,
    };
    let address = out["address"]
        .as_str()
        .with_context(|| format!("`keys add {name}` printed no address: {out}"))?
        .to_owned();
    let mnemonic = match mnemonic {
        Some(words) => words.to_owned(),
        None => out["mnemonic"]
            .as_str()
            .with_context(|| format!("`keys add {name}` printed no mnemonic"))?
            .to_owned(),
    };
    let account = Account {
        key: name.to_owned(),
        address,
        home: home.to_owned(),
    };
    Ok((account, mnemonic))
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
    crate::hermes::relayer_rpc_buffers(&mut doc);
    std::fs::write(&path, doc.to_string())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The chains to build: the hub, then `spokes` spokes named `spoke-a`, `spoke-b`, ….
fn chain_specs(
    args: &UpArgs,
    hubd: PathBuf,
    spoked: Option<PathBuf>,
    cosmovisor: Option<PathBuf>,
) -> Vec<ChainSpec> {
    let mut specs = vec![ChainSpec {
        name: "hub".into(),
        chain_id: args.chain_id.clone(),
        binary: hubd,
        cosmovisor: None,
        profile: ChainProfile::HUB,
        validators: args.validators,
        base_port: args.base_port,
        hub_chain_id: None,
        netns: args.hub_netns.clone(),
    }];
    for k in 1..=args.spokes {
        let letter = char::from(b'a' + (k - 1) as u8);
        specs.push(ChainSpec {
            name: format!("spoke-{letter}"),
            chain_id: format!("spoke-{letter}-1"),
            binary: spoked.clone().unwrap_or_default(),
            cosmovisor: cosmovisor.clone(),
            profile: ChainProfile::SPOKE,
            validators: args.spoke_validators,
            base_port: chain_base_port(args.base_port, usize::from(k)).unwrap_or(u16::MAX),
            hub_chain_id: Some(args.chain_id.clone()),
            netns: Vec::new(),
        });
    }
    specs
}

/// The first port of chain `k` (0 = the hub): `base + k * CHAIN_PORT_STRIDE`.
///
/// Errors: past port 65535.
fn chain_base_port(base: u16, k: usize) -> anyhow::Result<u16> {
    u16::try_from(k)
        .ok()
        .and_then(|k| k.checked_mul(CHAIN_PORT_STRIDE))
        .and_then(|offset| base.checked_add(offset))
        .with_context(|| format!("--base-port {base} is too high for chain {k}'s ports"))
}

/// Checks every port of every node of `spec` before anything starts.
fn check_ports(spec: &ChainSpec) -> anyhow::Result<()> {
    if u32::from(spec.base_port) + 10 * u32::from(spec.validators) > u32::from(u16::MAX) {
        bail!(
            "--base-port is too high for {}'s {} nodes",
            spec.name,
            spec.validators
        );
    }
    if !spec.netns.is_empty() {
        // Each node has a namespace of its own: the host's ports do not matter.
        return Ok(());
    }
    for i in 0..spec.validators {
        let [p2p, rpc, abci, grpc] = ports(spec.base_port, i)?;
        for (port, role) in [(p2p, "p2p"), (rpc, "rpc"), (abci, "abci"), (grpc, "grpc")] {
            procs::check_port_free(port, &format!("{} node{i} {role}", spec.name))?;
        }
    }
    Ok(())
}

/// Creates the homes of `spec`'s nodes in `DIR/<name>/node<i>`.
fn init_nodes(spec: &ChainSpec, dir: &Path, cometbft: &str) -> anyhow::Result<Vec<NodeInfo>> {
    let mut infos = Vec::new();
    for i in 0..spec.validators {
        let name = format!("node{i}");
        let home = dir.join(&spec.name).join(&name);
        let [p2p_port, rpc_port, abci_port, grpc_port] = ports(spec.base_port, i)?;
        let netns = spec.netns.get(usize::from(i)).cloned();
        let host = netns.as_ref().map_or("127.0.0.1", |n| n.address.as_str());
        let node = NodeInfo {
            name,
            node_id: String::new(),
            p2p_port,
            rpc_port,
            abci_port,
            grpc_port,
            rpc: format!("http://{host}:{rpc_port}"),
            grpc: format!("{host}:{grpc_port}"),
            p2p: format!("tcp://{host}:{p2p_port}"),
            // A unix socket, not TCP: the ABCI server answers each request and its Flush in
            // two writes, and on TCP Nagle's algorithm holds the second until CometBFT's
            // delayed ACK, about 40 ms per ABCI call (see design-notes, "Mempool and
            // relayers").
            abci: format!("unix://{}", home.join("abci.sock").display()),
            pid: None,
            validator: Account::default(),
            netns: netns.clone(),
            home,
        };
        println!(
            "      {}/{}: p2p {p2p_port}, rpc {rpc_port}, grpc {grpc_port}, abci {}",
            spec.name, node.name, node.abci
        );
        let rpc_laddr = format!("tcp://{host}:{rpc_port}");
        let out = procs::run_json(
            &spec.binary,
            &[
                "init",
                &node.name,
                "--chain-id",
                &spec.chain_id,
                "--home",
                str_arg(&node.home)?,
                "--cometbft",
                cometbft,
                "--rpc-laddr",
                &rpc_laddr,
                "--p2p-laddr",
                &node.p2p,
                "--abci-addr",
                &node.abci,
                "--grpc-addr",
                &node.grpc,
                // Localnet keys are throwaway: every later command of these homes uses the
                // plaintext test keyring (recorded in client.toml).
                "--keyring-backend",
                "test",
                "--output",
                "json",
            ],
        )?;
        let node_id = out["node_id"]
            .as_str()
            .with_context(|| format!("`init` printed no node_id: {out}"))?
            .to_owned();
        infos.push(NodeInfo { node_id, ..node });
    }
    Ok(infos)
}

/// Builds the genesis of one chain in node0's home: funded validators, faucet and relayer, and
/// every validator; then validates it.
fn build_genesis(spec: &ChainSpec, nodes: &[NodeInfo], funded: &[&Account]) -> anyhow::Result<()> {
    let bin = &spec.binary;
    let home0 = str_arg(&nodes[0].home)?.to_owned();
    let funds = format!("{GENESIS_FUNDS}{}", spec.profile.denom);
    for account in funded {
        procs::run(
            bin,
            &[
                "genesis",
                "add-account",
                &account.address,
                &funds,
                "--home",
                &home0,
            ],
        )?;
    }
    for node in nodes {
        let pubkey = procs::run_json(
            bin,
            &["comet", "show-validator", "--home", str_arg(&node.home)?],
        )?;
        let pubkey = pubkey["key"]
            .as_str()
            .with_context(|| format!("`comet show-validator` printed no key: {pubkey}"))?
            .to_owned();
        procs::run(
            bin,
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
    if spec.hub_chain_id.is_none() {
        // A short vote, so that the demo's upgrade proposal passes within a minute.
        set_genesis_field(
            &nodes[0].home,
            &["app_state", "gov", "params", "voting_period"],
            crate::gov::HUB_VOTING_PERIOD,
        )?;
        // Short windows for the flow limits, so that the demo's queued transfer goes out
        // within a minute.
        set_genesis_field(
            &nodes[0].home,
            &["app_state", "ratelimit", "hour_epoch", "duration"],
            crate::flow_demo::HOUR_EPOCH,
        )?;
    }
    if let Some(hub) = &spec.hub_chain_id {
        // The spoke takes upgrade plans only from this hub.
        procs::run(
            bin,
            &[
                "genesis",
                "set-hub",
                hub,
                "--min-upgrade-delay",
                &MIN_UPGRADE_DELAY.to_string(),
                "--home",
                &home0,
            ],
        )?;
    }
    procs::run(bin, &["genesis", "validate", "--home", &home0])?;
    println!(
        "      {}: {} funded accounts ({funds} each), {} validators (power {VALIDATOR_POWER} each)",
        spec.chain_id,
        funded.len(),
        nodes.len()
    );
    Ok(())
}

/// Copies node0's genesis to the other nodes.
fn copy_genesis(nodes: &[NodeInfo]) -> anyhow::Result<()> {
    let genesis = nodes[0].home.join("config").join("genesis.json");
    for node in nodes.iter().skip(1) {
        let target = node.home.join("config").join("genesis.json");
        std::fs::copy(&genesis, &target)
            .with_context(|| format!("cannot copy the genesis to {}", target.display()))?;
    }
    Ok(())
}

/// Copies node0's genesis to the other nodes and connects every node to its peers.
fn share_genesis(nodes: &[NodeInfo]) -> anyhow::Result<()> {
    copy_genesis(nodes)?;
    for node in nodes {
        let peers: Vec<String> = nodes
            .iter()
            .filter(|other| other.name != node.name)
            .map(|other| format!("{}@{}:{}", other.node_id, other.host(), other.p2p_port))
            .collect();
        wire_config(node, &peers.join(","))?;
    }
    Ok(())
}

/// Creates one chain: homes, keys, genesis, peers. The relayer and operator keys are
/// recovered from `mnemonics` when given (one identity each on every chain), else created;
/// returns the chain and the two mnemonics.
fn build_chain(
    spec: &ChainSpec,
    dir: &Path,
    cometbft: &str,
    mnemonics: Option<&hermes::Mnemonics>,
) -> anyhow::Result<(ChainNet, hermes::Mnemonics)> {
    let mut nodes = init_nodes(spec, dir, cometbft)?;
    if spec.cosmovisor.is_some() {
        for node in &nodes {
            cosmovisor::prepare_home(&node.home, &spec.binary)?;
        }
        println!(
            "      {}: cosmovisor layout in every node home ({} copied to cosmovisor/genesis/bin)",
            spec.chain_id,
            spec.binary.display()
        );
    }
    for (i, node) in nodes.iter_mut().enumerate() {
        node.validator = add_key(&spec.binary, &node.home, &format!("validator{i}"), None)?.0;
    }
    let home0 = nodes[0].home.clone();
    let (faucet, _) = add_key(&spec.binary, &home0, "faucet", None)?;
    let (relayer, relayer_words) = add_key(
        &spec.binary,
        &home0,
        "relayer",
        mnemonics.map(|m| m.relayer.as_str()),
    )?;
    let (operator, operator_words) = add_key(
        &spec.binary,
        &home0,
        "operator",
        mnemonics.map(|m| m.operator.as_str()),
    )?;
    let funded: Vec<&Account> = nodes
        .iter()
        .map(|n| &n.validator)
        .chain([&faucet, &relayer, &operator])
        .collect();
    build_genesis(spec, &nodes, &funded)?;
    share_genesis(&nodes)?;
    let chain = ChainNet {
        name: spec.name.clone(),
        chain_id: spec.chain_id.clone(),
        denom: spec.profile.denom.to_owned(),
        prefix: spec.profile.bech32_prefix.to_owned(),
        binary: spec.binary.clone(),
        cosmovisor: spec.cosmovisor.clone(),
        nodes,
        faucet,
        relayer,
        operator,
        ibc_go: false,
    };
    let words = hermes::Mnemonics {
        relayer: relayer_words,
        operator: operator_words,
    };
    Ok((chain, words))
}

/// Stops every node and the relayer that `up` started, keeping the logs.
fn stop_everything(state: &mut Localnet) -> anyhow::Result<()> {
    println!(
        "stopping what was started (logs are kept in {})",
        state.dir.display()
    );
    if let Some(relayer) = &mut state.relayer {
        procs::stop_node(relayer.pid, &relayer.home, Duration::from_secs(10));
        relayer.pid = None;
    }
    for chain in &mut state.chains {
        for node in &mut chain.nodes {
            procs::stop_node(node.pid, &node.home, Duration::from_secs(10));
            node.pid = None;
        }
    }
    state.save()
}

/// Runs `up`.
pub async fn run(globals: &Globals, args: UpArgs) -> anyhow::Result<()> {
    if !args.hub_netns.is_empty() && args.hub_netns.len() != usize::from(args.validators) {
        bail!(
            "--hub-netns was given {} times for {} validators: give one per validator",
            args.hub_netns.len(),
            args.validators
        );
    }
    if args.with_ibc_go && args.no_relayer {
        bail!("--with-ibc-go connects simd to the hub through Hermes; drop --no-relayer");
    }
    let relayed = (args.spokes > 0 || args.with_ibc_go) && !args.no_relayer;
    let steps = if relayed { 7 } else { 5 };
    let step = |n: usize, text: &str| println!("[{n}/{steps}] {text}");

    step(1, "checking programs and ports");
    let hubd = procs::find_program("hubd", globals.hubd.as_deref())?;
    let spoked = match args.spokes {
        0 => None,
        _ => Some(procs::find_program("spoked", globals.spoked.as_deref())?),
    };
    let cometbft = hub_cli::init::locate_cometbft(args.cometbft.as_deref())?;
    let cometbft = std::fs::canonicalize(&cometbft).unwrap_or(cometbft);
    let cosmovisor_bin = match args.spokes {
        0 => None,
        _ => Some(cosmovisor::locate(args.cosmovisor.as_deref())?),
    };
    let hermes_bin = match relayed {
        true => Some(hermes::locate(args.hermes.as_deref())?),
        false => None,
    };
    let simd = match args.with_ibc_go {
        true => Some(ibc_go::locate(args.simd.as_deref())?),
        false => None,
    };
    println!("      hubd:     {}", hubd.display());
    if let Some(spoked) = &spoked {
        println!("      spoked:   {}", spoked.display());
    }
    println!("      cometbft: {}", cometbft.display());
    if let Some(cosmovisor) = &cosmovisor_bin {
        println!(
            "      cosmovisor: {} (runs every spoke node)",
            cosmovisor.display()
        );
    }
    if let Some(hermes) = &hermes_bin {
        println!("      hermes:   {}", hermes.display());
    }
    if let Some(simd) = &simd {
        println!("      simd:     {} (ibc-go chain)", simd.display());
    }
    let trusting_period = hermes::parse_duration(&args.trusting_period)
        .with_context(|| format!("invalid --trusting-period {:?}", args.trusting_period))?;
    std::fs::create_dir_all(&globals.dir)
        .with_context(|| format!("cannot create {}", globals.dir.display()))?;
    let dir = std::fs::canonicalize(&globals.dir)
        .with_context(|| format!("cannot resolve {}", globals.dir.display()))?;
    prepare_dir(&dir)?;
    let specs = chain_specs(&args, hubd, spoked, cosmovisor_bin);
    for spec in &specs {
        check_ports(spec)?;
    }

    step(
        2,
        &format!(
            "creating {} ({}) in {}: homes, keys (validator<i>; faucet and relayer in node0), genesis",
            if specs.len() == 1 { "the hub" } else { "the chains" },
            specs
                .iter()
                .map(|s| format!("{} with {} validators", s.chain_id, s.validators))
                .collect::<Vec<_>>()
                .join(", "),
            dir.display()
        ),
    );
    let cometbft_arg = str_arg(&cometbft)?.to_owned();
    let mut chains = Vec::new();
    let mut mnemonics: Option<hermes::Mnemonics> = None;
    for spec in &specs {
        let (chain, words) = build_chain(spec, &dir, &cometbft_arg, mnemonics.as_ref())?;
        mnemonics.get_or_insert(words);
        chains.push(chain);
    }

    let ibc_go = match (&simd, &mnemonics) {
        (Some(program), Some(words)) => {
            let base = chain_base_port(args.base_port, chains.len())?;
            let chain = ibc_go::build(program, &dir, ports(base, 0)?, words)?;
            println!(
                "      {}: simd (ibc-go v8.7.0) in {}",
                chain.chain_id,
                chain.nodes[0].home.display()
            );
            Some(chain)
        }
        _ => None,
    };
    let mut state = Localnet {
        dir: dir.clone(),
        cometbft,
        chains,
        relayer: None,
        ibc_go,
    };
    state.save()?;

    step(
        3,
        "starting the hub, then each spoke with its genesis pinned to the hub's latest block",
    );
    let mut children: Vec<Child> = Vec::new();
    let total = state.all_nodes().count();
    start_chain(&mut state, 0, &mut children, total)?;
    if state.chains.len() > 1 {
        let pinned = async {
            wait_until_ready(&state, &mut children, Duration::from_secs(args.timeout), 1).await?;
            for c in 1..state.chains.len() {
                pin_to_hub(&state.chains[c], &state.chains[0], trusting_period)?;
            }
            anyhow::Ok(())
        };
        if let Err(error) = pinned.await {
            stop_everything(&mut state)?;
            return Err(error);
        }
    }
    for c in 1..state.chains.len() {
        start_chain(&mut state, c, &mut children, total)?;
    }

    if let Some(chain) = &mut state.ibc_go {
        let child = ibc_go::start(chain)?;
        println!(
            "      started {}/node0 (pid {}, log {})",
            chain.name,
            child.id(),
            chain.nodes[0].log_path().display()
        );
        children.push(child);
        state.save()?;
    }

    step(
        4,
        &format!("waiting for every node to reach height {READY_HEIGHT}"),
    );
    let all = state.all_chains().count();
    if let Err(error) = wait_until_ready(
        &state,
        &mut children,
        Duration::from_secs(args.timeout),
        all,
    )
    .await
    {
        stop_everything(&mut state)?;
        return Err(error);
    }

    if let (Some(program), Some(mnemonics)) = (hermes_bin, mnemonics.as_ref()) {
        let settings = hermes::Settings {
            trusting_period,
            push: args.event_source == "push",
            upgrade_channels: !args.no_upgrade_channels,
        };
        if let Err(error) =
            hermes::bring_up(&mut state, program, mnemonics, &settings, |n, t| step(n, t)).await
        {
            stop_everything(&mut state)?;
            return Err(error);
        }
    } else {
        step(5, "no relayer (--no-relayer or no spokes)");
    }

    println!();
    print_summary(&state);
    Ok(())
}

/// Starts every node of chain `c` (under cosmovisor for a spoke), recording the pids.
fn start_chain(
    state: &mut Localnet,
    c: usize,
    children: &mut Vec<Child>,
    total: usize,
) -> anyhow::Result<()> {
    for index in 0..state.chains[c].nodes.len() {
        let chain = &state.chains[c];
        let node = &chain.nodes[index];
        let child = match &chain.cosmovisor {
            Some(program) => cosmovisor::spawn_node(
                program,
                &cosmovisor::daemon_name(&chain.binary)?,
                &node.home,
                &node.log_path(),
            )?,
            None => procs::spawn_node_in(
                node.netns.as_ref().map(|n| n.name.as_str()),
                &chain.binary,
                &node.home,
                &node.log_path(),
            )?,
        };
        println!(
            "      [{}/{total}] started {}/{}{} (pid {}, log {})",
            children.len() + 1,
            chain.name,
            node.name,
            if chain.cosmovisor.is_some() {
                " under cosmovisor"
            } else {
                ""
            },
            child.id(),
            node.log_path().display()
        );
        state.chains[c].nodes[index].pid = Some(child.id());
        children.push(child);
        state.save()?;
    }
    Ok(())
}

/// Pins `spoke`'s genesis to `hub`: `spoked genesis set-hub --hub-rpc` writes the hub's client
/// state and consensus state at its latest block (the spoke's trust root), then every node
/// of the spoke gets the genesis. The hub must be running.
fn pin_to_hub(spoke: &ChainNet, hub: &ChainNet, trusting_period: Duration) -> anyhow::Result<()> {
    let home0 = str_arg(&spoke.nodes[0].home)?;
    let trusting = format!("{}s", trusting_period.as_secs());
    let out = procs::run_json(
        &spoke.binary,
        &[
            "genesis",
            "set-hub",
            &hub.chain_id,
            "--hub-rpc",
            &hub.node0().rpc,
            "--trusting-period",
            &trusting,
            "--min-upgrade-delay",
            &MIN_UPGRADE_DELAY.to_string(),
            "--home",
            home0,
            "--output",
            "json",
        ],
    )?;
    procs::run(&spoke.binary, &["genesis", "validate", "--home", home0])?;
    copy_genesis(&spoke.nodes)?;
    println!(
        "      {}: pinned to {} at height {} (app_state.interchain_upgrade.hub_client)",
        spoke.chain_id,
        hub.chain_id,
        out["hub_client_height"].as_str().unwrap_or("?")
    );
    Ok(())
}

fn print_summary(state: &Localnet) {
    println!(
        "localnet is up: {} ({})",
        state
            .chains
            .iter()
            .map(|c| format!("{} with {} validators", c.chain_id, c.nodes.len()))
            .collect::<Vec<_>>()
            .join(", "),
        state.dir.join(STATE_FILE).display()
    );
    println!(
        "  {:<15} {:<24} {:<17} {:<6} {:<6} pid",
        "node", "rpc", "grpc", "p2p", "abci"
    );
    for chain in &state.chains {
        for node in &chain.nodes {
            println!(
                "  {:<15} {:<24} {:<17} {:<6} {:<6} {}",
                format!("{}/{}", chain.name, node.name),
                node.rpc,
                node.grpc,
                node.p2p_port,
                node.abci_port,
                node.pid.map_or("-".into(), |p| p.to_string())
            );
        }
    }
    for chain in &state.chains {
        println!(
            "  {} faucet:  {} (key `faucet` in {})",
            chain.name,
            chain.faucet.address,
            chain.faucet.home.display()
        );
        println!("  {} relayer: {}", chain.name, chain.relayer.address);
    }
    if let Some(relayer) = &state.relayer {
        for path in &relayer.paths {
            println!(
                "  channel {}/{} {} <-> {}/{} {}",
                path.a.port,
                path.a.channel,
                path.a.chain_id,
                path.b.port,
                path.b.channel,
                path.b.chain_id
            );
        }
        println!(
            "  hermes: pid {} (config {}, log {})",
            relayer.pid.map_or("-".into(), |p| p.to_string()),
            relayer.config_path().display(),
            relayer.log_path().display()
        );
    }
    println!("next: `localnet status`, `localnet demo`, `localnet load`, `localnet down`");
}

async fn wait_until_ready(
    state: &Localnet,
    children: &mut [Child],
    timeout: Duration,
    chains: usize,
) -> anyhow::Result<()> {
    println!("      (up to {} s)", timeout.as_secs());
    let nodes: Vec<(String, &NodeInfo)> = state
        .all_chains()
        .take(chains)
        .flat_map(|c| {
            c.nodes
                .iter()
                .map(move |n| (format!("{}/{}", c.name, n.name), n))
        })
        .collect();
    let clients = nodes
        .iter()
        .map(|(_, n)| Node::new(&n.rpc))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let started = Instant::now();
    let mut last_report = String::new();
    loop {
        for ((name, node), child) in nodes.iter().zip(children.iter_mut()) {
            if let Some(status) = child.try_wait().context("cannot check a node process")? {
                bail!(
                    "{name} exited during start-up ({status}); read {}. Last lines:\n{}",
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
        let report = nodes
            .iter()
            .zip(&heights)
            .map(|((name, _), h)| format!("{name}={}", h.map_or("-".into(), |h| h.to_string())))
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
            let ((name, node), height) = nodes
                .iter()
                .zip(&heights)
                .find(|(_, h)| !h.is_some_and(|h| h >= READY_HEIGHT))
                .map(|(n, h)| (n, *h))
                .unwrap_or((&nodes[0], None));
            bail!(
                "{name} did not reach height {READY_HEIGHT} within {} s ({}); read {}. Last lines:\n{}",
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
    fn hub_netns_takes_a_name_and_an_ipv4_address() {
        assert_eq!(
            parse_netns("hubchaos-1-0=10.77.5.10").unwrap(),
            Netns {
                name: "hubchaos-1-0".into(),
                address: "10.77.5.10".into()
            }
        );
        assert!(parse_netns("hubchaos-1-0").is_err());
        assert!(parse_netns("=10.77.5.10").is_err());
        assert!(parse_netns("ns=localhost").is_err());
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
            netns: None,
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
