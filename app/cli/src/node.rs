//! The command line of a node binary: `start` (the app's, [`hub_app::node::start`]) next to
//! the operator commands of [`ClientCommand`].

use crate::{exit_code, run, ChainProfile, ClientCommand, CommonArgs};
use hub_app::node::StartArgs;

/// The whole command line of `hubd`, `spoked` or `spoked-v2`: the hand-written commands and
/// the ones [`crate::autocli`] generates.
pub struct NodeCli {
    command: Parsed,
}

enum Parsed {
    HandWritten(NodeCommand),
    Generated(crate::autocli::Call),
}

#[derive(clap::Parser)]
struct HandWritten {
    #[command(subcommand)]
    command: NodeCommand,
}

#[derive(clap::Args)]
struct StartCmd {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    args: StartArgs,
}

#[derive(clap::Args)]
struct ExportCmd {
    #[command(flatten)]
    common: CommonArgs,
    /// Write the document to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    output_document: Option<std::path::PathBuf>,
}

impl ExportCmd {
    async fn run(&self, cfg: hub_app::ChainConfig, profile: &ChainProfile) -> anyhow::Result<()> {
        let doc = hub_app::node::export(&self.common.home(profile)?, cfg).await?;
        let text = serde_json::to_string_pretty(&doc)?;
        match &self.output_document {
            Some(path) => std::fs::write(path, text + "\n")
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display())),
            None => {
                println!("{text}");
                Ok(())
            }
        }
    }
}

#[derive(clap::Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process
enum NodeCommand {
    /// Run the node: the application (ABCI, gRPC) and its CometBFT process
    Start(StartCmd),
    /// Print the genesis document of the node's latest state, to start a new chain from (stop
    /// the node first)
    Export(ExportCmd),
    #[command(flatten)]
    Client(ClientCommand),
}

impl NodeCli {
    /// Parses the process arguments for the binary `name` of `profile`'s runtime (its
    /// generated commands are that runtime's); prints help or the error and exits
    /// (status 2 on a usage error) as clap does.
    pub fn parse_for(name: &'static str, about: &'static str, profile: &ChainProfile) -> Self {
        use clap::FromArgMatches;
        let (root, generated) = crate::autocli::augment(Self::command_tree(), &(profile.runtime)());
        let matches = root
            .name(name)
            .bin_name(name)
            .about(about)
            .version(env!("CARGO_PKG_VERSION"))
            .get_matches();
        let command = match generated.call(&matches) {
            Some(call) => Parsed::Generated(call),
            None => Parsed::HandWritten(
                HandWritten::from_arg_matches(&matches)
                    .unwrap_or_else(|e| e.exit())
                    .command,
            ),
        };
        NodeCli { command }
    }

    /// A node binary's whole `main`: tracing from `RUST_LOG`, then [`Self::parse_for`] with
    /// `profile`'s binary name and `about`, then [`Self::run`] with `cfg`.
    pub async fn main(
        about: &'static str,
        cfg: hub_app::ChainConfig,
        profile: &ChainProfile,
    ) -> std::process::ExitCode {
        hub_app::node::init_tracing();
        let cli = Self::parse_for(profile.binary_name, about, profile);
        cli.run(cfg, profile).await
    }

    /// The hand-written command tree, before [`crate::autocli::augment`] adds to it.
    pub fn command_tree() -> clap::Command {
        <HandWritten as clap::CommandFactory>::command()
    }

    /// Runs the command for the runtime `cfg` (which may be a later release of `profile`'s
    /// runtime, as `spoked-v2` is); exit code 1 with `error: …` on stderr when it fails.
    pub async fn run(
        self,
        cfg: hub_app::ChainConfig,
        profile: &ChainProfile,
    ) -> std::process::ExitCode {
        let result = match self.command {
            Parsed::HandWritten(NodeCommand::Start(s)) => match s.common.home(profile) {
                Ok(home) => hub_app::node::start(&home, &s.args, cfg, profile.binary_name).await,
                Err(e) => Err(e),
            },
            Parsed::HandWritten(NodeCommand::Export(e)) => e.run(cfg, profile).await,
            Parsed::HandWritten(NodeCommand::Client(cmd)) => run(profile, cmd).await,
            Parsed::Generated(call) => crate::autocli::run(profile, call).await,
        };
        exit_code(result)
    }
}
