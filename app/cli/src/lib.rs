//! Operator command line of hub and spoke nodes.
//!
//! This crate is the client side of a node binary (`hubd`, later `spoked`): everything an
//! operator does besides running the node. It talks to a chain only through standard
//! interfaces — CometBFT RPC, `abci_query` with Cosmos SDK gRPC method paths and protobuf
//! messages, and Cosmos SDK transactions (`cosmos.tx.v1beta1`, SIGN_MODE_DIRECT, secp256k1) —
//! so it works against any node that speaks them.
//!
//! The node binaries (`hubd`, `spoked`, `spoked-v2`, in `src/bin`) are [`node::NodeCli`]:
//! the app's `start` ([`hub_app::node::start`]) next to [`ClientCommand`], run with the
//! binary's [`ChainProfile`]. The dependency points from client to app: the CLI uses the app's
//! own genesis check, never the reverse.
//!
//! Commands (see `docs/cli.md` for the operator reference):
//!
//! | command | module |
//! |---|---|
//! | `init` | [`init`]: CometBFT home, `config.toml`, `app.toml`, genesis skeleton |
//! | `keys` | [`keys`] over [`keyring`]: the encrypted `file` and plaintext `test` keyrings |
//! | `genesis` | [`genesis`]: add accounts and validators, validate (the app's [`hub_app::genesis::check_genesis`]) |
//! | `tx` | [`tx`]: build, sign (SIGN_MODE_DIRECT) and broadcast transactions (bank sends, ICS-20 transfers; governance in [`gov`]) |
//! | `query`, `status` | [`autocli`]: a command per gRPC query method; [`query`]: blocks, txs, status and upgrade dispatches over [`rpc`] |
//! | `comet` | [`comet`]: node id and validator key of a home |
//!
//! Every command prints human-readable text by default and one JSON document with
//! `--output json`; every failure returns an error that says what is wrong and what to do.

pub mod autocli;
pub mod comet;
pub mod genesis;
pub mod gov;
pub mod init;
pub mod keys;
pub mod node;
pub mod output;
pub mod query;
pub mod sign;
pub mod tx;
pub mod upgrade;

use std::path::PathBuf;

use clap::{Args, Subcommand};

pub use hub_client::{address, coins, ibc, ics20, keyring, rpc};
pub use output::OutputFormat;

/// Default CometBFT RPC endpoint of `--node`.
pub const DEFAULT_NODE: &str = "http://127.0.0.1:26657";

/// What distinguishes one chain's binary from another's: names, address prefix, fee denom.
#[derive(Debug, Clone, Copy)]
pub struct ChainProfile {
    /// Name of the binary, used in messages and for the default home `~/.<binary_name>`.
    pub binary_name: &'static str,
    /// Bech32 prefix of account addresses (`hub` gives `hub1…`).
    pub bech32_prefix: &'static str,
    /// Base denomination of the staking and fee token (`uhub`).
    pub denom: &'static str,
    /// Chain id used by `init` when `--chain-id` is not given.
    pub default_chain_id: &'static str,
    /// The runtime whose rules `genesis validate` and `start` apply.
    pub runtime: fn() -> hub_app::ChainConfig,
}

impl ChainProfile {
    /// The hub: `hubd`, addresses `hub1…`, denom `uhub`, chain id `hub-1`.
    pub const HUB: ChainProfile = ChainProfile {
        binary_name: "hubd",
        bech32_prefix: "hub",
        denom: "uhub",
        default_chain_id: "hub-1",
        runtime: hub_app::ChainConfig::hub,
    };

    /// The example spoke: `spoked`, addresses `spoke1…`, denom `uspoke`, chain id `spoke-1`
    /// (a local network names its spokes `spoke-a-1`, `spoke-b-1`, …).
    pub const SPOKE: ChainProfile = ChainProfile {
        binary_name: "spoked",
        bech32_prefix: "spoke",
        denom: "uspoke",
        default_chain_id: "spoke-1",
        runtime: hub_app::ChainConfig::spoke,
    };

    /// The default node home, `$HOME/.<binary_name>`.
    pub fn default_home(&self) -> anyhow::Result<PathBuf> {
        match std::env::var_os("HOME") {
            Some(home) if !home.is_empty() => {
                Ok(PathBuf::from(home).join(format!(".{}", self.binary_name)))
            }
            _ => anyhow::bail!(
                "cannot find the default home ~/.{}: $HOME is not set; pass --home <DIR>",
                self.binary_name
            ),
        }
    }

    /// The display denomination: the base denom without its micro prefix (`uhub` → `hub`).
    pub fn display_denom(&self) -> &'static str {
        match self.denom.strip_prefix('u') {
            Some(rest) if rest.len() >= 3 => rest,
            _ => self.denom,
        }
    }
}

/// Options every command accepts.
#[derive(Debug, Clone, Default, Args)]
pub struct CommonArgs {
    /// Node home directory (config, data, keyring) [default: ~/.<binary>, e.g. ~/.hubd]
    #[arg(long, global = true, value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// Output format: human-readable text or one JSON document
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Keyring backend: `file` (mnemonics encrypted with a passphrase asked on stdin) or
    /// `test` (plain text: localnets and tests only) [default: `keyring-backend` of
    /// <home>/config/client.toml, else file]
    #[arg(long, global = true, value_enum, value_name = "BACKEND")]
    pub keyring_backend: Option<keyring::KeyringBackend>,
}

impl CommonArgs {
    /// The home directory: `--home`, else the profile's default.
    pub fn home(&self, profile: &ChainProfile) -> anyhow::Result<PathBuf> {
        match &self.home {
            Some(home) => Ok(home.clone()),
            None => profile.default_home(),
        }
    }

    /// The keyring of the home: `--keyring-backend`, else the home's `client.toml`, else the
    /// encrypted `file` backend (its passphrase is asked on stdin when a secret is needed).
    ///
    /// Errors: no home, or an unreadable `client.toml` / unknown backend in it.
    pub fn keyring(&self, profile: &ChainProfile) -> anyhow::Result<keyring::Keyring> {
        let home = self.home(profile)?;
        let backend = match self.keyring_backend {
            Some(backend) => backend,
            None => init::client_keyring_backend(&home)?.unwrap_or_default(),
        };
        Ok(keyring::Keyring::open(
            &home,
            profile.bech32_prefix,
            backend,
            keyring::Passphrase::Prompt,
        ))
    }
}

/// Options of commands that talk to a node.
#[derive(Debug, Clone, Args)]
pub struct NodeArgs {
    /// CometBFT RPC endpoint of the node (http://, https:// or tcp://)
    #[arg(long, global = true, value_name = "URL", default_value = DEFAULT_NODE)]
    pub node: String,
}

/// Operator commands of a node binary (everything except `start`): init, keys, genesis, tx,
/// query, status, comet.
#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Create a node home: CometBFT keys and config, app.toml and a genesis skeleton
    Init(init::InitArgs),
    /// Manage account keys (the encrypted file keyring, or the test keyring)
    Keys(keys::KeysArgs),
    /// Edit and check the genesis file: accounts, balances, validators
    Genesis(genesis::GenesisArgs),
    /// Build, sign and broadcast transactions
    Tx(tx::TxArgs),
    /// Query chain state through a node
    Query(query::QueryArgs),
    /// Show a node's chain id, height, app hash and sync state
    Status(query::StatusArgs),
    /// CometBFT identities of this home: node id and validator key
    Comet(comet::CometArgs),
}

/// The hand-written commands alone, for parse tests.
#[cfg(test)]
#[derive(Debug, clap::Parser)]
pub(crate) struct TestCli {
    #[command(subcommand)]
    pub(crate) command: ClientCommand,
}

/// Runs one client command for the chain described by `profile`.
///
/// Output goes to stdout; the returned error (if any) is the message to show the operator,
/// who should see a non-zero exit status (see [`exit_code`]).
pub async fn run(profile: &ChainProfile, command: ClientCommand) -> anyhow::Result<()> {
    match command {
        ClientCommand::Init(args) => init::run(profile, args),
        ClientCommand::Keys(args) => keys::run(profile, args),
        ClientCommand::Genesis(args) => genesis::run(profile, args).await,
        ClientCommand::Tx(args) => tx::run(profile, args).await,
        ClientCommand::Query(args) => query::run(args).await,
        ClientCommand::Status(args) => query::run_status(args).await,
        ClientCommand::Comet(args) => comet::run(profile, args),
    }
}

/// Prints an error for the operator on stderr (`error: …` with its causes).
pub fn print_error(error: &anyhow::Error) {
    eprintln!("error: {error:#}");
}

/// Turns the result of [`run`] into a process exit code, printing the error if there is one.
pub fn exit_code(result: anyhow::Result<()>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            print_error(&error);
            std::process::ExitCode::FAILURE
        }
    }
}
