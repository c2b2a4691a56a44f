//! `init`: create a node home.
//!
//! Runs `cometbft init --home <home>` (node key, validator key, default `config.toml` and
//! genesis), then:
//! - edits `config/config.toml`: `moniker`, `proxy_app` (where the node serves ABCI),
//!   `tx_index.indexer = "kv"` (so transactions can be looked up by hash),
//!   `storage.discard_abci_responses = false` (so block results stay queryable),
//!   `consensus.create_empty_blocks = true`, `consensus.timeout_commit = "1s"`, and the RPC and
//!   P2P listen addresses when given;
//! - rewrites `config/genesis.json` with the chain id, an empty CometBFT validator list and the
//!   default app state ([`crate::genesis::schema`]);
//! - writes `config/app.toml` (`abci_addr`, `grpc_addr`, `minimum_gas_prices`, `cometbft_bin`);
//! - writes `config/client.toml` (`keyring-backend`: `--keyring-backend`, default `file`), kept
//!   by `--overwrite` unless `--keyring-backend` is given.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{bail, Context as _};
use clap::Args;
use serde_json::json;
use toml_edit::{value, DocumentMut};

use crate::{
    comet,
    genesis::{self, validate_chain_id},
    keyring::KeyringBackend,
    output::Lines,
    ChainProfile, CommonArgs,
};

/// Address where the node serves ABCI to CometBFT when its home's path is too long for a unix
/// socket (see [`default_abci_addr`]).
pub const DEFAULT_ABCI_ADDR: &str = "tcp://127.0.0.1:26658";

/// Longest unix socket path the default uses (Linux allows 107 bytes).
const MAX_SOCKET_PATH: usize = 100;

/// The default ABCI address of a node in `home`: the unix socket `unix://<home>/abci.sock`
/// (absolute), or [`DEFAULT_ABCI_ADDR`] when that path is too long for a socket. A unix socket
/// because the ABCI server answers a request and its Flush in two writes, and over TCP Nagle's
/// algorithm holds the second until CometBFT's delayed ACK: about 40 ms per ABCI call.
pub fn default_abci_addr(home: &std::path::Path) -> String {
    let home = std::path::absolute(home).unwrap_or_else(|_| home.to_path_buf());
    let socket = home.join("abci.sock");
    match socket.to_str() {
        Some(path) if path.len() <= MAX_SOCKET_PATH => format!("unix://{path}"),
        _ => DEFAULT_ABCI_ADDR.to_owned(),
    }
}
/// Default gRPC listen address of the node.
pub const DEFAULT_GRPC_ADDR: &str = "127.0.0.1:9090";
/// CometBFT release line the node speaks ABCI with.
pub const COMETBFT_VERSION_LINE: &str = "0.38";

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Name of this node (CometBFT moniker; also the default validator name)
    pub moniker: String,

    /// Chain id of the network [default: the binary's default, e.g. hub-1]
    #[arg(long, value_name = "ID")]
    pub chain_id: Option<String>,

    /// Replace config.toml, app.toml and genesis.json of an existing home
    /// (node key, validator key, keyring and data/ are kept)
    #[arg(long)]
    pub overwrite: bool,

    /// CometBFT program to use [default: `cometbft` on PATH]
    #[arg(long, value_name = "PATH")]
    pub cometbft: Option<PathBuf>,

    /// CometBFT RPC listen address [default: tcp://127.0.0.1:26657]
    #[arg(long, value_name = "ADDR")]
    pub rpc_laddr: Option<String>,

    /// CometBFT P2P listen address [default: tcp://0.0.0.0:26656]
    #[arg(long, value_name = "ADDR")]
    pub p2p_laddr: Option<String>,

    /// Address where the node serves ABCI to CometBFT (config.toml proxy_app, app.toml
    /// abci_addr) [default: unix://<home>/abci.sock, or tcp://127.0.0.1:26658 for a home path
    /// too long for a socket]
    #[arg(long, value_name = "ADDR")]
    pub abci_addr: Option<String>,

    /// gRPC listen address of the node (app.toml grpc_addr)
    #[arg(long, value_name = "HOST:PORT", default_value = DEFAULT_GRPC_ADDR)]
    pub grpc_addr: String,

    /// `--home` and `--output`.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Finds an executable: a path containing `/` is used as is, a bare name is searched on PATH.
pub fn find_program(name: &Path) -> Option<PathBuf> {
    let is_executable = |p: &Path| {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    };
    if name.components().count() > 1 {
        return is_executable(name).then(|| name.to_owned());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// Locates CometBFT (`--cometbft` or PATH) and checks that it is a v0.38 release.
pub fn locate_cometbft(requested: Option<&Path>) -> anyhow::Result<PathBuf> {
    let name = requested.unwrap_or(Path::new("cometbft"));
    let Some(program) = find_program(name) else {
        match requested {
            Some(path) => bail!(
                "CometBFT program {} not found or not executable; fix --cometbft",
                path.display()
            ),
            None => bail!(
                "the `cometbft` program was not found on PATH; install CometBFT v{COMETBFT_VERSION_LINE}.x (scripts/setup.sh does it) or pass --cometbft <PATH>"
            ),
        }
    };
    let out = Command::new(&program)
        .arg("version")
        .output()
        .with_context(|| format!("cannot run {} version", program.display()))?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let version = version.trim_start_matches('v');
    if !version.starts_with(&format!("{COMETBFT_VERSION_LINE}.")) {
        bail!(
            "{} is CometBFT {version:?}, but this node needs v{COMETBFT_VERSION_LINE}.x (ABCI 2.0); install it with scripts/setup.sh or pass --cometbft <PATH>",
            program.display()
        );
    }
    Ok(program)
}

fn check_laddr(flag: &str, addr: &str, schemes: &[&str]) -> anyhow::Result<()> {
    let ok = schemes.iter().any(|scheme| {
        addr.strip_prefix(scheme)
            .and_then(|rest| rest.strip_prefix("://"))
            .is_some_and(|rest| {
                *scheme == "unix"
                    || rest
                        .rsplit_once(':')
                        .is_some_and(|(_, port)| port.parse::<u16>().is_ok())
            })
    });
    if !ok {
        bail!(
            "{flag} {addr:?} is not a listen address like {}://127.0.0.1:26657",
            schemes[0]
        );
    }
    Ok(())
}

/// Edits CometBFT's `config.toml` text as described in the module docs.
pub fn edit_config_toml(text: &str, moniker: &str, args: &InitArgs) -> anyhow::Result<String> {
    let mut doc: DocumentMut = text
        .parse()
        .context("config.toml written by cometbft is not valid TOML")?;
    doc["moniker"] = value(moniker);
    doc["proxy_app"] = value(args.abci_addr.as_deref().unwrap_or(DEFAULT_ABCI_ADDR));
    doc["tx_index"]["indexer"] = value("kv");
    doc["storage"]["discard_abci_responses"] = value(false);
    doc["consensus"]["create_empty_blocks"] = value(true);
    doc["consensus"]["timeout_commit"] = value("1s");
    if let Some(laddr) = &args.rpc_laddr {
        doc["rpc"]["laddr"] = value(laddr.as_str());
    }
    if let Some(laddr) = &args.p2p_laddr {
        doc["p2p"]["laddr"] = value(laddr.as_str());
    }
    Ok(doc.to_string())
}

/// The `app.toml` of a new home.
pub fn app_toml(
    profile: &ChainProfile,
    abci_addr: &str,
    grpc_addr: &str,
    cometbft_bin: &str,
) -> String {
    let quote = |s: &str| toml_edit::Value::from(s).to_string();
    format!(
        "# Configuration of the {bin} node (read by `{bin} start`).\n\
         \n\
         # Where {bin} serves ABCI to CometBFT; must match proxy_app in config.toml.\n\
         abci_addr = {abci}\n\
         \n\
         # gRPC listen address (Cosmos and IBC query services, tx simulation).\n\
         grpc_addr = {grpc}\n\
         \n\
         # Lowest fee this node accepts into its mempool, per unit of gas.\n\
         minimum_gas_prices = {gas}\n\
         \n\
         # CometBFT program started by `{bin} start` (a name on PATH or a path).\n\
         cometbft_bin = {comet}\n",
        bin = profile.binary_name,
        abci = quote(abci_addr),
        grpc = quote(grpc_addr),
        gas = quote(&format!(
            "{}{}",
            genesis::schema::DEFAULT_MIN_GAS_PRICE,
            profile.denom
        )),
        comet = quote(cometbft_bin),
    )
}

/// The `client.toml` of a home: settings of the client commands run with it (the Cosmos SDK
/// file of that name). Only `keyring-backend` is read.
pub fn client_toml(profile: &ChainProfile, backend: KeyringBackend) -> String {
    format!(
        "# Client settings of `{bin}` commands run with this home.\n\
         \n\
         # Keyring backend: \"file\" (mnemonics encrypted with a passphrase asked on stdin) or\n\
         # \"test\" (plain text: localnets and tests only). `--keyring-backend` overrides it.\n\
         keyring-backend = \"{backend}\"\n",
        bin = profile.binary_name,
        backend = backend.as_str(),
    )
}

/// The keyring backend named by `<home>/config/client.toml`, `None` if the file or the key is
/// absent.
///
/// Errors: the file cannot be read or parsed, or names an unknown backend.
pub fn client_keyring_backend(home: &Path) -> anyhow::Result<Option<KeyringBackend>> {
    let path = home.join("config").join("client.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let doc: DocumentMut = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", path.display()))?;
    let Some(item) = doc.get("keyring-backend") else {
        return Ok(None);
    };
    let name = item.as_str().unwrap_or_default();
    match KeyringBackend::parse(name) {
        Some(backend) => Ok(Some(backend)),
        None => bail!(
            "{}: keyring-backend {} is not \"file\" or \"test\"",
            path.display(),
            item.to_string().trim()
        ),
    }
}

/// Runs `init`.
pub fn run(profile: &ChainProfile, mut args: InitArgs) -> anyhow::Result<()> {
    let home = args.common.home(profile)?;
    let abci_addr = args
        .abci_addr
        .get_or_insert_with(|| default_abci_addr(&home))
        .clone();
    let chain_id = args
        .chain_id
        .clone()
        .unwrap_or_else(|| profile.default_chain_id.to_owned());
    validate_chain_id(&chain_id)
        .map_err(|problem| anyhow::anyhow!("invalid --chain-id: {problem}"))?;
    let moniker = args.moniker.trim().to_owned();
    if moniker.is_empty() || moniker.chars().count() > genesis::MAX_MONIKER_LEN {
        bail!(
            "the moniker must be 1 to {} characters long",
            genesis::MAX_MONIKER_LEN
        );
    }
    if let Some(addr) = &args.rpc_laddr {
        check_laddr("--rpc-laddr", addr, &["tcp", "unix"])?;
    }
    if let Some(addr) = &args.p2p_laddr {
        check_laddr("--p2p-laddr", addr, &["tcp"])?;
    }
    check_laddr("--abci-addr", &abci_addr, &["tcp", "unix"])?;
    if args
        .grpc_addr
        .rsplit_once(':')
        .is_none_or(|(host, port)| host.is_empty() || port.parse::<u16>().is_err())
    {
        bail!(
            "--grpc-addr {:?} is not HOST:PORT (e.g. 127.0.0.1:9090)",
            args.grpc_addr
        );
    }

    let config = home.join("config");
    let generated = ["config.toml", "genesis.json", "app.toml"].map(|f| config.join(f));
    let initialized = generated.iter().any(|p| p.exists());
    if initialized && !args.overwrite {
        bail!(
            "{} is already initialized ({} exists); pass --overwrite to replace config.toml, app.toml and genesis.json, or choose another --home",
            home.display(),
            generated.iter().find(|p| p.exists()).map_or(config.clone(), Clone::clone).display()
        );
    }
    let cometbft = locate_cometbft(args.cometbft.as_deref())?;
    if initialized {
        for path in &generated {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot remove {}", path.display()))
                }
            }
        }
    }

    let out = Command::new(&cometbft)
        .arg("init")
        .arg("--home")
        .arg(&home)
        .output()
        .with_context(|| format!("cannot run {}", cometbft.display()))?;
    if !out.status.success() {
        bail!(
            "`{} init --home {}` failed ({}): {}",
            cometbft.display(),
            home.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }

    let config_path = config.join("config.toml");
    let text = std::fs::read_to_string(&config_path)
        .with_context(|| format!("cometbft init did not write {}", config_path.display()))?;
    std::fs::write(&config_path, edit_config_toml(&text, &moniker, &args)?)
        .with_context(|| format!("cannot write {}", config_path.display()))?;

    let genesis_path = genesis::genesis_path(&home);
    let cometbft_genesis = genesis::load_genesis(&genesis_path)?;
    let genesis = genesis::reset_genesis(&cometbft_genesis, profile, &chain_id)?;
    genesis::save_genesis(&genesis_path, &genesis)?;

    let cometbft_bin = match &args.cometbft {
        Some(_) => cometbft.display().to_string(),
        None => "cometbft".to_owned(),
    };
    let app_path = config.join("app.toml");
    std::fs::write(
        &app_path,
        app_toml(profile, &abci_addr, &args.grpc_addr, &cometbft_bin),
    )
    .with_context(|| format!("cannot write {}", app_path.display()))?;

    // The keyring choice survives --overwrite unless a new one is given.
    let client_path = config.join("client.toml");
    if args.common.keyring_backend.is_some() || !client_path.exists() {
        let backend = args.common.keyring_backend.unwrap_or_default();
        std::fs::write(&client_path, client_toml(profile, backend))
            .with_context(|| format!("cannot write {}", client_path.display()))?;
    }

    let node_id = comet::node_id(&home)?;
    let validator_key = comet::validator_pubkey(&home)?;
    args.common.output.print(
        &json!({
            "moniker": moniker,
            "chain_id": chain_id,
            "home": home.display().to_string(),
            "node_id": node_id,
            "validator_pubkey": validator_key,
        }),
        || {
            let bin = profile.binary_name;
            let h = home.display().to_string();
            format!(
                "{}\nNext steps:\n  {bin} keys add <name> --home {h}\n  {bin} genesis add-account <name> 1000000000{denom} --home {h}\n  {bin} genesis add-validator --operator <name> --home {h}\n  {bin} genesis validate --home {h}\n  {bin} start --home {h}\n",
                Lines::new()
                    .row("initialized", format!("{moniker} for chain {chain_id}"))
                    .row("home", &h)
                    .row("node id", &node_id)
                    .row("validator key", &validator_key)
                    .render(),
                denom = profile.denom,
            )
        },
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> InitArgs {
        InitArgs {
            moniker: "node0".into(),
            chain_id: None,
            overwrite: false,
            cometbft: None,
            rpc_laddr: Some("tcp://127.0.0.1:26601".into()),
            p2p_laddr: None,
            abci_addr: Some("tcp://127.0.0.1:26602".into()),
            grpc_addr: DEFAULT_GRPC_ADDR.into(),
            common: CommonArgs::default(),
        }
    }

    #[test]
    fn config_edits_keep_the_rest_of_the_file() {
        let text = "# top comment\nmoniker = \"x\"\nproxy_app = \"tcp://127.0.0.1:26658\"\n\n[rpc]\nladdr = \"tcp://127.0.0.1:26657\"\nmax_subscriptions_per_client = 5\n\n[consensus]\ntimeout_commit = \"5s\"\ncreate_empty_blocks = false\n\n[storage]\ndiscard_abci_responses = true\n\n[tx_index]\nindexer = \"null\"\n";
        let edited = edit_config_toml(text, "node0", &args()).unwrap();
        let doc: DocumentMut = edited.parse().unwrap();
        assert_eq!(doc["moniker"].as_str(), Some("node0"));
        assert_eq!(doc["proxy_app"].as_str(), Some("tcp://127.0.0.1:26602"));
        assert_eq!(doc["rpc"]["laddr"].as_str(), Some("tcp://127.0.0.1:26601"));
        assert_eq!(
            doc["rpc"]["max_subscriptions_per_client"].as_integer(),
            Some(5)
        );
        assert_eq!(doc["consensus"]["timeout_commit"].as_str(), Some("1s"));
        assert_eq!(
            doc["consensus"]["create_empty_blocks"].as_bool(),
            Some(true)
        );
        assert_eq!(
            doc["storage"]["discard_abci_responses"].as_bool(),
            Some(false)
        );
        assert_eq!(doc["tx_index"]["indexer"].as_str(), Some("kv"));
        assert!(edited.starts_with("# top comment"));
    }

    #[test]
    fn app_toml_has_the_documented_keys() {
        let text = app_toml(
            &ChainProfile::HUB,
            DEFAULT_ABCI_ADDR,
            DEFAULT_GRPC_ADDR,
            "cometbft",
        );
        let doc: DocumentMut = text.parse().unwrap();
        assert_eq!(doc["abci_addr"].as_str(), Some("tcp://127.0.0.1:26658"));
        assert_eq!(doc["grpc_addr"].as_str(), Some("127.0.0.1:9090"));
        assert_eq!(doc["minimum_gas_prices"].as_str(), Some("0.001uhub"));
        assert_eq!(doc["cometbft_bin"].as_str(), Some("cometbft"));
    }

    #[test]
    fn the_default_abci_address_is_a_unix_socket_in_the_home_unless_too_long() {
        assert_eq!(
            default_abci_addr(std::path::Path::new("/var/hub/node0")),
            "unix:///var/hub/node0/abci.sock"
        );
        let long = format!("/{}", "x".repeat(120));
        assert_eq!(
            default_abci_addr(std::path::Path::new(&long)),
            DEFAULT_ABCI_ADDR
        );
        assert!(default_abci_addr(std::path::Path::new("rel")).starts_with("unix:///"));
    }

    #[test]
    fn listen_addresses_are_checked() {
        assert!(check_laddr("--rpc-laddr", "tcp://127.0.0.1:26657", &["tcp", "unix"]).is_ok());
        assert!(check_laddr("--abci-addr", "unix:///tmp/abci.sock", &["tcp", "unix"]).is_ok());
        assert!(check_laddr("--rpc-laddr", "127.0.0.1:26657", &["tcp"]).is_err());
        assert!(check_laddr("--rpc-laddr", "tcp://127.0.0.1:99999", &["tcp"]).is_err());
    }
}
