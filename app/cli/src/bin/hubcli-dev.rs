//! Temporary development binary.
use clap::Parser;
use hub_cli::{ChainProfile, ClientCommand};

#[derive(Parser)]
#[command(name = "hubd")]
enum Hubd {
    #[command(flatten)]
    Client(ClientCommand),
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match Hubd::parse() {
        Hubd::Client(cmd) => hub_cli::exit_code(hub_cli::run(&ChainProfile::HUB, cmd).await),
    }
}
