//! `localnet up --with-ibc-go`: a one-validator ibc-go v8 chain beside the hub, relayed by the
//! same Hermes, so that every run can check the hub against the Go implementation it must stay
//! wire-compatible with.
//!
//! The chain is `simd`, ibc-go v8.7.0's test application (Cosmos SDK v0.50 with ibc-go's
//! modules), which `scripts/setup.sh` builds from the pinned module. Its home is created with
//! simd's own CLI as an operator would (`init`, `keys add`, `genesis add-genesis-account`,
//! `gentx`, `collect-gentxs`), with the relayer and operator mnemonics of the hub's Hermes
//! recovered into it and funded.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use toml_edit::{value, DocumentMut};

use crate::{
    hermes::Mnemonics,
    procs,
    state::{Account, ChainNet, NodeInfo},
};

/// The chain id of the ibc-go chain.
pub const CHAIN_ID: &str = "simd-1";
/// Its staking and fee denom.
pub const DENOM: &str = "stake";
/// Its account address prefix.
pub const PREFIX: &str = "cosmos";
/// Genesis balance of each funded key, in [`DENOM`].
pub const GENESIS_FUNDS: u128 = 1_000_000_000_000;
/// Self-delegation of its validator, in [`DENOM`].
const SELF_DELEGATION: u128 = 100_000_000;
/// Its nodes' minimum gas price (Hermes pays it).
pub const MIN_GAS_PRICE: &str = "0.001stake";

/// Finds `simd`: `requested` (`--simd`), else on PATH or in Go's bin directory.
///
/// Errors: not found, with how to build it.
pub fn locate(requested: Option<&Path>) -> anyhow::Result<PathBuf> {
    procs::locate_go_program("simd", requested, "--simd").context(
        "--with-ibc-go runs simd of ibc-go v8.7.0: build it with scripts/setup.sh or pass --simd <PATH>",
    )
}

fn keys_add(
    simd: &Path,
    home: &str,
    name: &str,
    mnemonic: Option<&str>,
) -> anyhow::Result<Account> {
    let mut args = vec![
        "keys",
        "add",
        name,
        "--keyring-backend",
        "test",
        "--home",
        home,
        "--output",
        "json",
    ];
    let out = match mnemonic {
        Some(words) => {
            args.push("--recover");
            procs::run_json_with_stdin(simd, &args, &format!("{words}\n"))?
        }
        None => procs::run_json(simd, &args)?,
    };
    let address = out["address"]
        .as_str()
        .with_context(|| format!("`simd keys add {name}` printed no address: {out}"))?;
    Ok(Account {
        key: name.to_owned(),
        address: address.to_owned(),
        home: PathBuf::from(home),
    })
}

/// Creates the chain's node home in `dir/simd/node0` (ports `ports`: p2p, rpc, abci, grpc) and
/// its genesis: a validator, a faucet, and the Hermes relayer and operator accounts recovered
/// from `mnemonics`, each funded with [`GENESIS_FUNDS`].
///
/// Errors: any simd command failing (its output is in the error), unwritable files.
pub fn build(
    simd: &Path,
    dir: &Path,
    ports: [u16; 4],
    mnemonics: &Mnemonics,
) -> anyhow::Result<ChainNet> {
    let home = dir.join("simd").join("node0");
    std::fs::create_dir_all(&home).with_context(|| format!("cannot create {}", home.display()))?;
    let h = home
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", home.display()))?;
    procs::run(
        simd,
        &[
            "init",
            "node0",
            "--chain-id",
            CHAIN_ID,
            "--default-denom",
            DENOM,
            "--home",
            h,
        ],
    )?;
    let validator = keys_add(simd, h, "validator", None)?;
    let faucet = keys_add(simd, h, "faucet", None)?;
    let relayer = keys_add(simd, h, "relayer", Some(&mnemonics.relayer))?;
    let operator = keys_add(simd, h, "operator", Some(&mnemonics.operator))?;
    let funds = format!("{GENESIS_FUNDS}{DENOM}");
    for account in [&validator, &faucet, &relayer, &operator] {
        procs::run(
            simd,
            &[
                "genesis",
                "add-genesis-account",
                &account.address,
                &funds,
                "--home",
                h,
            ],
        )?;
    }
    procs::run(
        simd,
        &[
            "genesis",
            "gentx",
            "validator",
            &format!("{SELF_DELEGATION}{DENOM}"),
            "--chain-id",
            CHAIN_ID,
            "--keyring-backend",
            "test",
            "--home",
            h,
        ],
    )?;
    procs::run(simd, &["genesis", "collect-gentxs", "--home", h])?;
    let [p2p, rpc, abci, grpc] = ports;
    configure(&home, ports)?;
    let node_id = procs::run(simd, &["comet", "show-node-id", "--home", h])?
        .trim()
        .to_owned();
    let node = NodeInfo {
        name: "node0".into(),
        home: home.clone(),
        node_id,
        p2p_port: p2p,
        rpc_port: rpc,
        abci_port: abci,
        grpc_port: grpc,
        rpc: format!("http://127.0.0.1:{rpc}"),
        grpc: format!("127.0.0.1:{grpc}"),
        p2p: format!("tcp://127.0.0.1:{p2p}"),
        abci: format!("tcp://127.0.0.1:{abci}"),
        pid: None,
        validator,
        netns: None,
    };
    Ok(ChainNet {
        name: "simd".into(),
        chain_id: CHAIN_ID.into(),
        denom: DENOM.into(),
        prefix: PREFIX.into(),
        binary: simd.to_owned(),
        cosmovisor: None,
        nodes: vec![node],
        faucet,
        relayer,
        operator,
        ibc_go: true,
    })
}

/// Loopback ports, 1 s blocks, the minimum gas price and gRPC on its own port.
fn configure(home: &Path, [p2p, rpc, abci, grpc]: [u16; 4]) -> anyhow::Result<()> {
    edit_toml(&home.join("config/config.toml"), |doc| {
        doc["proxy_app"] = value(format!("tcp://127.0.0.1:{abci}"));
        doc["rpc"]["laddr"] = value(format!("tcp://127.0.0.1:{rpc}"));
        doc["rpc"]["pprof_laddr"] = value("");
        doc["p2p"]["laddr"] = value(format!("tcp://127.0.0.1:{p2p}"));
        doc["p2p"]["allow_duplicate_ip"] = value(true);
        doc["consensus"]["timeout_commit"] = value("1s");
        doc["consensus"]["timeout_propose"] = value("1s");
        crate::hermes::relayer_rpc_buffers(doc);
    })?;
    edit_toml(&home.join("config/app.toml"), |doc| {
        doc["minimum-gas-prices"] = value(MIN_GAS_PRICE);
        doc["grpc"]["address"] = value(format!("127.0.0.1:{grpc}"));
        doc["api"]["enable"] = value(false);
    })
}

fn edit_toml(path: &Path, edit: impl FnOnce(&mut DocumentMut)) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut doc: DocumentMut = text
        .parse()
        .with_context(|| format!("{} is not TOML", path.display()))?;
    edit(&mut doc);
    std::fs::write(path, doc.to_string())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Starts the chain's node (`simd start`), logging to its `log_path`; records its pid.
///
/// Errors: simd cannot be spawned, or exits at once (the error ends with its log).
pub fn start(chain: &mut ChainNet) -> anyhow::Result<std::process::Child> {
    let node = &mut chain.nodes[0];
    let child = procs::spawn_node(&chain.binary, &node.home, &node.log_path())?;
    node.pid = Some(child.id());
    std::thread::sleep(std::time::Duration::from_millis(500));
    if !procs::is_node_process(child.id(), &node.home) {
        bail!(
            "simd exited at once; read {}. Last lines:\n{}",
            node.log_path().display(),
            procs::tail(&node.log_path(), 15)
        );
    }
    Ok(child)
}
