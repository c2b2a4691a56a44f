//! `hubd`: the hub node and its command-line client.
//!
//! The node and commands composed from the hub runtime ([`hub_app::runtime::HUB_MODULES`]):
//! addresses `hub1…`, denom `uhub`.

use hub_app::{node, ChainConfig};
use hub_cli::node::NodeCli;
use hub_cli::ChainProfile;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    node::init_tracing();
    let cli = NodeCli::parse_for(
        "hubd",
        "The Hub node: an interchain hub on CometBFT",
        &ChainProfile::HUB,
    );
    cli.run(ChainConfig::hub(), &ChainProfile::HUB).await
}
