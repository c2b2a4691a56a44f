//! `spoked`: the example spoke chain's node and its command-line client.
//!
//! The same node and commands as `hubd`, composed from the spoke runtime
//! ([`hub_app::runtime::SPOKE_MODULES`]): addresses `spoke1…`, denom `uspoke`.

use hub_app::ChainConfig;
use hub_cli::{node::NodeCli, ChainProfile};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let about = "A spoke chain connected to the Hub";
    NodeCli::main(about, ChainConfig::spoke(), &ChainProfile::SPOKE).await
}
