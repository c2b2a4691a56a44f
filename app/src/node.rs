//! `hubd start` / `spoked start`: the application (ABCI + gRPC) and, unless told otherwise, its
//! CometBFT child.
//!
//! Start-up refuses a malformed genesis before anything runs, naming the JSON field. The
//! CometBFT child is started after the ABCI socket listens; if it exits, `hubd` exits with its
//! status; on SIGINT/SIGTERM `hubd` stops the child (SIGTERM, then SIGKILL after 10 s) and
//! exits, so a supervisor (systemd, cosmovisor) sees one process. The binaries themselves (the
//! command line around `start`) are the CLI crate's.

use crate::{
    abci, grpc,
    query::{NodeFacts, QueryService},
    App, ChainConfig,
};
use anyhow::{anyhow, Context};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::process::Command;

/// Logs to stderr; `RUST_LOG` overrides the default filter.
pub fn init_tracing() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,cnidarium=warn,jmt=warn,tower_abci=warn".into()),
        )
        .with_writer(std::io::stderr)
        // Colours only on a terminal: node logs usually go to files that tools parse.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// Options of `start`.
#[derive(Debug, Clone, clap::Args)]
pub struct StartArgs {
    /// Do not start CometBFT; wait for an external one to connect to the ABCI address
    #[arg(long)]
    pub external_cometbft: bool,
    /// The CometBFT program to run [default: app.toml `cometbft_bin`, else `cometbft` on PATH]
    #[arg(long, value_name = "PATH")]
    pub cometbft: Option<PathBuf>,
}

/// The node settings of `<home>/config/app.toml`.
#[derive(Debug, Clone)]
pub struct AppToml {
    /// ABCI listen address (`tcp://127.0.0.1:26658` or `unix://…`).
    pub abci_addr: String,
    /// gRPC listen address (`127.0.0.1:9090`).
    pub grpc_addr: String,
    /// CometBFT program.
    pub cometbft_bin: String,
    /// Minimum gas prices this node reports (`0.001uhub`; empty if unset).
    pub minimum_gas_prices: String,
}

impl AppToml {
    /// Reads `path`. Errors name the file and the key.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading {} (run `hubd init` first)", path.display()))?;
        let doc: toml_edit::DocumentMut = text
            .parse()
            .with_context(|| format!("parsing {}", path.display()))?;
        let get = |k: &str, default: &str| -> String {
            doc.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or(default)
                .to_string()
        };
        Ok(AppToml {
            abci_addr: get("abci_addr", "tcp://127.0.0.1:26658"),
            grpc_addr: get("grpc_addr", "127.0.0.1:9090"),
            cometbft_bin: get("cometbft_bin", "cometbft"),
            minimum_gas_prices: get("minimum_gas_prices", ""),
        })
    }
}

/// Checks the genesis file before start with [`crate::genesis::check_genesis`], the rules
/// InitChain applies.
///
/// Errors: the file is unreadable or not JSON; `invalid genesis <file>: <field>: <problem>`.
pub async fn check_genesis(path: &Path, cfg: &ChainConfig) -> anyhow::Result<()> {
    let value = read_genesis(path)?;
    crate::genesis::check_genesis(&value, cfg)
        .await
        .map_err(|e| anyhow!("invalid genesis {}: {e}", path.display()))?;
    Ok(())
}

/// The genesis file at `path` as JSON. Errors: unreadable, or not JSON (naming the file).
fn read_genesis(path: &Path) -> anyhow::Result<serde_json::Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

/// `hubd export`: the genesis document of the node's latest committed state, to start a new
/// chain from (the Cosmos SDK's `export`). The node must be stopped (its database is locked
/// while it runs).
///
/// It is `<home>/config/genesis.json` with `app_state` replaced by every module's export
/// ([`crate::runtime::export_genesis`]: accounts with their sequences and keys, balances,
/// delegations, open proposals, IBC clients, connections, channels and packets, …), and
/// `initial_height` 1 (the only one the app supports). Chain id, genesis time and consensus
/// params are kept; the validator set comes from the exported staking state.
///
/// Errors: the genesis file is unreadable or not JSON; the database cannot be opened (the
/// node is running) or holds no committed block; a module's export fails.
pub async fn export(home: &Path, cfg: ChainConfig) -> anyhow::Result<serde_json::Value> {
    let mut doc = read_genesis(&home.join("config/genesis.json"))?;
    let db = home.join("data/app.db");
    let app = App::load(&db, cfg).await.with_context(|| {
        format!(
            "cannot open {} (is the node running? stop it first)",
            db.display()
        )
    })?;
    let exported = async {
        let snap = app.storage().latest_snapshot();
        if snap.version() == u64::MAX {
            anyhow::bail!(
                "{} holds no committed block: nothing to export",
                db.display()
            );
        }
        let state = crate::runtime::export_genesis(&snap)
            .await
            .map_err(|e| anyhow!("export: {}", e.log))?;
        Ok((snap.version(), serde_json::to_value(state)?))
    }
    .await;
    app.shutdown().await;
    let (height, app_state) = exported?;
    tracing::info!(height, "exported the state at height {height}");
    doc["app_state"] = app_state;
    doc["initial_height"] = "1".into();
    doc["app_hash"] = "".into();
    Ok(doc)
}

/// Runs the node in `home` until it is stopped or CometBFT exits.
///
/// `app_name` is the binary's name, which the node-info query reports (`hubd`).
pub async fn start(
    home: &Path,
    args: &StartArgs,
    cfg: ChainConfig,
    app_name: &str,
) -> anyhow::Result<()> {
    let app_toml = AppToml::load(&home.join("config/app.toml"))?;
    check_genesis(&home.join("config/genesis.json"), &cfg).await?;
    let grpc_addr: std::net::SocketAddr = app_toml.grpc_addr.parse().with_context(|| {
        format!(
            "app.toml grpc_addr {:?} is not host:port",
            app_toml.grpc_addr
        )
    })?;
    let abci_hostport = app_toml
        .abci_addr
        .strip_prefix("tcp://")
        .unwrap_or(&app_toml.abci_addr)
        .to_string();
    // Fail before opening the database if a listen address is taken.
    let mut tcp = vec![("gRPC", app_toml.grpc_addr.as_str())];
    if !app_toml.abci_addr.starts_with("unix://") {
        tcp.push(("ABCI", abci_hostport.as_str()));
    }
    for (what, addr) in tcp {
        std::net::TcpListener::bind(addr).with_context(|| {
            format!(
                "{what} address {addr} is in use: stop the process holding it or change app.toml"
            )
        })?;
    }
    let app = App::load(&home.join("data/app.db"), cfg.clone()).await?;
    let (height, _) = app.info().await?;
    tracing::info!(height, home = %home.display(), "state loaded");
    let mempool = crate::mempool::Mempool::shared(app.storage(), cfg.clone());
    let queries = QueryService::new(app.storage(), cfg)
        .with_node_facts(NodeFacts {
            app_name: app_name.to_owned(),
            minimum_gas_prices: app_toml.minimum_gas_prices.clone(),
        })
        .with_mempool(mempool.clone());
    let abci_addr = app_toml.abci_addr.clone();
    // Feed the query history after every commit, so that past heights stay readable.
    let history = queries.history();
    let storage = app.storage();
    tokio::spawn(async move {
        let mut commits = storage.subscribe();
        while commits.changed().await.is_ok() {
            history.record(&storage);
        }
    });
    let mut halted = app.halted();
    let abci_queries = queries.clone();
    let mut abci_task =
        tokio::spawn(async move { abci::serve(app, mempool, abci_queries, &abci_addr).await });
    let rpc = cometbft_rpc_url(home);
    let mut grpc_task = tokio::spawn(grpc::serve(grpc_addr, queries, rpc));
    tokio::time::sleep(Duration::from_millis(200)).await;

    let mut child = if args.external_cometbft {
        tracing::info!(abci = %app_toml.abci_addr, "waiting for an external CometBFT");
        None
    } else {
        let bin = args
            .cometbft
            .clone()
            .unwrap_or_else(|| PathBuf::from(&app_toml.cometbft_bin));
        let c = Command::new(&bin)
            .arg("start")
            .arg("--home")
            .arg(home)
            .arg("--proxy_app")
            .arg(&app_toml.abci_addr)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting CometBFT ({}): install it with scripts/setup.sh or pass --cometbft PATH", bin.display()))?;
        Some(c)
    };

    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let result = tokio::select! {
        r = &mut abci_task => Err(anyhow!("ABCI server stopped: {:?}", r)),
        r = &mut grpc_task => Err(anyhow!("gRPC server stopped: {:?}", r)),
        status = async { match child.as_mut() { Some(c) => c.wait().await, None => std::future::pending().await } } => {
            match status {
                Ok(s) if s.success() => Ok(()),
                Ok(s) => Err(anyhow!("CometBFT exited with {s}")),
                Err(e) => Err(anyhow!("waiting for CometBFT: {e}")),
            }
        }
        reason = async {
            if halted.wait_for(Option::is_some).await.is_err() {
                std::future::pending::<()>().await;
            }
            halted.borrow().clone().unwrap_or_default()
        } => {
            Err(anyhow!("{reason}"))
        }
        _ = tokio::signal::ctrl_c() => { tracing::info!("interrupted"); Ok(()) }
        _ = sigterm.recv() => { tracing::info!("terminated"); Ok(()) }
    };
    if let Some(mut c) = child {
        stop_child(&mut c).await;
    }
    let halt = halted.borrow().clone();
    if let Some(reason) = halt {
        linger_halted(&mut sigterm).await;
        return Err(anyhow!("{reason}"));
    }
    result
}

/// How long a node halted for an upgrade stays up before it exits.
const HALT_LINGER: Duration = Duration::from_secs(60);

/// Keeps a halted node's process alive (its CometBFT child already stopped) until a signal or
/// [`HALT_LINGER`], as a Cosmos SDK node halts rather than exits: cosmovisor, polling
/// `data/upgrade-info.json`, then interrupts it and switches binaries. A process that exits at
/// once races that poll, and cosmovisor v1.5 may then give up instead of upgrading.
async fn linger_halted(sigterm: &mut tokio::signal::unix::Signal) {
    tracing::warn!(
        seconds = HALT_LINGER.as_secs(),
        "halted: waiting for the supervisor to switch binaries (or a signal)"
    );
    tokio::select! {
        _ = tokio::time::sleep(HALT_LINGER) => {}
        _ = tokio::signal::ctrl_c() => {}
        _ = sigterm.recv() => {}
    }
}

/// The CometBFT RPC URL of this home (`[rpc] laddr` of config.toml), for `GetTx`.
fn cometbft_rpc_url(home: &Path) -> Option<String> {
    let text = std::fs::read_to_string(home.join("config/config.toml")).ok()?;
    let doc: toml_edit::DocumentMut = text.parse().ok()?;
    let laddr = doc.get("rpc")?.get("laddr")?.as_str()?;
    let hostport = laddr
        .strip_prefix("tcp://")
        .unwrap_or(laddr)
        .replace("0.0.0.0", "127.0.0.1");
    Some(format!("http://{hostport}"))
}

async fn stop_child(c: &mut tokio::process::Child) {
    if let Some(pid) = c.id() {
        let _ = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(pid.to_string())
            .status();
        if tokio::time::timeout(Duration::from_secs(10), c.wait())
            .await
            .is_ok()
        {
            return;
        }
    }
    let _ = c.kill().await;
}
