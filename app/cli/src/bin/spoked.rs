//! `spoked`: the example spoke chain's node and its command-line client.
//!
//! The same node and commands as `hubd`, composed from the spoke runtime
//! ([`hub_app::runtime::SPOKE_MODULES`]): addresses `spoke1…`, denom `uspoke`.

use hub_app::{node, ChainConfig};
use hub_cli::node::NodeCli;
use hub_cli::ChainProfile;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    node::init_tracing();
    let cli = NodeCli::parse_for(
        "spoked",
        "A spoke chain connected to the Hub",
        &ChainProfile::SPOKE,
    );
    cli.run(ChainConfig::spoke(), &ChainProfile::SPOKE).await
}
