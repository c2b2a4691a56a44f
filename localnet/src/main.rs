//! `localnet`: runs an N-validator hub on loopback with real CometBFT.
//!
//! ```text
//! localnet up [--validators 4] [--base-port 26600]   build homes, one genesis, start every node
//! localnet status [--output json]                    processes, heights, app hashes
//! localnet demo                                      faucet → validator1 transfer, checked on every node
//! localnet load [--txs 500] [--accounts 8]           committed tx/s and commit latency
//! localnet down                                      stop every node (idempotent)
//! ```
//!
//! Everything lives in the state directory (`--dir`, default `./.localnet`): one home per node
//! (`node<i>/`, with `hubd.log` and `hubd.pid`) and `localnet.json`, which describes the nodes
//! (home, ports, pid, validator key) and the funded `faucet` and `relayer` keys. Node `i` uses the
//! ports `base+10i` (P2P), `+1` (CometBFT RPC), `+2` (ABCI), `+3` (gRPC). The node program is
//! `hubd` (`--hubd`, default: next to this program, else on PATH); CometBFT must be on PATH.

mod demo;
mod down;
mod load;
mod procs;
mod state;
mod status;
mod up;

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
    };
    hub_cli::exit_code(result)
}
