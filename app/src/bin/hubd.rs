//! `hubd`: the hub node and its command-line client.

use clap::{Parser, Subcommand};
use hub_app::{node, ChainConfig};
use hub_cli::{ChainProfile, ClientCommand, CommonArgs};
use std::process::ExitCode;

/// The Hub node: an interchain hub on CometBFT.
#[derive(Parser)]
#[command(name = "hubd", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct StartCmd {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    args: node::StartArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Run the node: the application (ABCI, gRPC) and its CometBFT process
    Start(StartCmd),
    #[command(flatten)]
    Client(ClientCommand),
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,cnidarium=warn,jmt=warn,tower_abci=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let profile = ChainProfile::HUB;
    let result = match cli.command {
        Command::Start(s) => match s.common.home(&profile) {
            Ok(home) => node::start(&home, &s.args, ChainConfig::hub(), &profile).await,
            Err(e) => Err(e),
        },
        Command::Client(cmd) => hub_cli::run(&profile, cmd).await,
    };
    hub_cli::exit_code(result)
}
