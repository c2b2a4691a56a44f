//! `localnet`: runs a hub and its spoke chains on loopback with real CometBFT, connected by
//! the Hermes relayer.
//!
//! ```text
//! localnet up [--validators 4] [--spokes 2] [--spoke-validators 1] [--base-port 26600]
//!             [--trusting-period 20min] [--event-source push|pull] [--no-relayer]
//!             [--no-upgrade-channels]
//!             [--hub-netns NAME=ADDRESS …]   (hub node i in namespace NAME, bound to ADDRESS)
//!                       homes, one genesis per chain, every node started; then Hermes:
//!                       clients, connections and transfer channels hub<->spoke, `hermes start`
//! localnet status [--output json]   nodes, heights, app hashes; clients, connections,
//!                                   channels and pending packets of every chain; Hermes
//! localnet demo         bank transfer on the hub, then spoke-a -> hub -> spoke-b -> hub -> spoke-a
//! localnet load [--txs 500] [--accounts 8] [--ibc] [--funder faucet] [--submit-to NODE]
//!               [--record FILE]
//!                       committed tx/s and commit latency on the hub
//! localnet down         stop Hermes and every node (idempotent)
//! localnet plan-info --binary PATH [--chain spoke-a] [--node node0]
//!                       the `info` of an upgrade plan switching a spoke to PATH
//! ```
//!
//! Everything lives in the state directory (`--dir`, default `./.localnet`): one folder per
//! chain (`hub/`, `spoke-a/`, …) holding one home per node (`node<i>/`, with its log and pid
//! file), `hermes/` (config.toml, keys, hermes.log) and `localnet.json`, which describes the
//! chains, nodes (home, ports, pid, validator key), the funded `faucet` and `relayer` keys and
//! the channels. Chain k (0 = hub) numbers its ports from `base + 1000k`; its node `i` uses
//! `+10i` (P2P), `+1` (CometBFT RPC), `+2` (ABCI), `+3` (gRPC). The node programs are `hubd` and
//! `spoked` (`--hubd`/`--spoked`, default: next to this program, else on PATH); CometBFT,
//! Hermes and cosmovisor must be on PATH (`scripts/setup.sh` installs them). Every spoke node
//! runs under cosmovisor (hub nodes do not): its home holds `cosmovisor/genesis/bin/spoked`, and
//! a software upgrade switches it only to a binary whose sha256 matches the plan's
//! (see the `cosmovisor` module).

mod blocks;
mod cosmovisor;
mod demo;
mod down;
mod flow_demo;
mod gov;
mod hermes;
mod ibc_demo;
mod ibc_go;
mod ibc_load;
mod ibc_status;
mod load;
mod procs;
mod state;
mod status;
mod up;
mod upgrade_demo;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use hub_cli::OutputFormat;

/// Runs an N-validator hub on loopback with real CometBFT.
#[derive(Debug, Parser)]
#[command(name = "localnet", version)]
struct Cli {
    #[command(flatten)]
    globals: Globals,
    #[command(subcommand)]
    command: Command,
}

/// Options of every command.
#[derive(Debug, clap::Args)]
pub struct Globals {
    /// State directory of the localnet
    #[arg(long, global = true, value_name = "DIR", default_value = "./.localnet")]
    pub dir: PathBuf,
    /// hubd program [default: `hubd` next to this program, else on PATH]
    #[arg(long, global = true, value_name = "PATH")]
    pub hubd: Option<PathBuf>,
    /// spoked program [default: `spoked` next to this program, else on PATH]
    #[arg(long, global = true, value_name = "PATH")]
    pub spoked: Option<PathBuf>,
    /// Output format
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create and start an N-validator network (replaces a stopped earlier one in --dir)
    Up(up::UpArgs),
    /// Show every node's process, RPC/gRPC addresses, height and app hash
    Status,
    /// Send a transfer and check that every node sees it
    Demo(demo::DemoArgs),
    /// Generate load and measure committed tx/s and commit latency
    Load(load::LoadArgs),
    /// Stop every node (SIGTERM, then SIGKILL); safe to repeat
    Down,
    /// Print the `info` of an upgrade plan that switches a spoke to a new binary (staged in a
    /// node home; its sha256 in the URL, which cosmovisor checks before it switches)
    PlanInfo(cosmovisor::PlanInfoArgs),
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Up(args) => up::run(&cli.globals, args).await,
        Command::Status => status::run(&cli.globals).await,
        Command::Demo(args) => demo::run(&cli.globals, args).await,
        Command::Load(args) => load::run(&cli.globals, args).await,
        Command::Down => down::run(&cli.globals),
        Command::PlanInfo(args) => cosmovisor::run(&cli.globals, args),
    };
    hub_cli::exit_code(result)
}
