//! `spoked-v2`: the example spoke's next release, for the upgrade demonstration.
//!
//! The same node as `spoked`, plus the migration handler of the plan `v2`
//! ([`hub_app::ChainConfig::spoke_v2`]). Installed as cosmovisor's `upgrades/v2/bin/spoked`,
//! it applies `v2` at the plan height; started before that height it refuses to run.

use hub_app::ChainConfig;
use hub_cli::{node::NodeCli, ChainProfile};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let about = "A spoke chain connected to the Hub (release v2)";
    NodeCli::main(about, ChainConfig::spoke_v2(), &ChainProfile::SPOKE).await
}
