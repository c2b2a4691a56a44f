//! `hubd`: the hub node and its command-line client.
//!
//! The node and commands composed from the hub runtime ([`hub_app::runtime::HUB_MODULES`]):
//! addresses `hub1…`, denom `uhub`.

use hub_app::ChainConfig;
use hub_cli::{node::NodeCli, ChainProfile};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let about = "The Hub node: an interchain hub on CometBFT";
    NodeCli::main(about, ChainConfig::hub(), &ChainProfile::HUB).await
}
