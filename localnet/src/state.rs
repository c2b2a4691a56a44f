//! `DIR/localnet.json`: what `up` built, read by every other command.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

/// File name of the description inside the state directory.
pub const STATE_FILE: &str = "localnet.json";
/// Marker file proving a directory was created by localnet (so `up` may wipe it).
pub const MARKER_FILE: &str = ".localnet";

/// A key and where its keyring lives.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Account {
    /// Key name in the keyring.
    pub key: String,
    /// Bech32 address.
    pub address: String,
    /// Home whose `keyring-test` holds the key.
    pub home: PathBuf,
}

/// One validator node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeInfo {
    /// `node{i}`.
    pub name: String,
    /// Node home (absolute).
    pub home: PathBuf,
    /// CometBFT node id.
    pub node_id: String,
    /// P2P port.
    pub p2p_port: u16,
    /// CometBFT RPC port.
    pub rpc_port: u16,
    /// ABCI port (hubd ↔ CometBFT).
    pub abci_port: u16,
    /// gRPC port of hubd.
    pub grpc_port: u16,
    /// RPC URL.
    pub rpc: String,
    /// gRPC address.
    pub grpc: String,
    /// P2P listen address.
    pub p2p: String,
    /// ABCI address.
    pub abci: String,
    /// Pid of `hubd start` (also its process group id) while running.
    pub pid: Option<u32>,
    /// The validator's operator key.
    pub validator: Account,
}

impl NodeInfo {
    /// The node's log file.
    pub fn log_path(&self) -> PathBuf {
        self.home.join("hubd.log")
    }

    /// The node's pid file.
    pub fn pid_path(&self) -> PathBuf {
        self.home.join("hubd.pid")
    }
}

/// The whole localnet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Localnet {
    /// State directory (absolute).
    pub dir: PathBuf,
    /// Chain id.
    pub chain_id: String,
    /// Staking and fee denomination.
    pub denom: String,
    /// hubd program used.
    pub hubd: PathBuf,
    /// CometBFT program used.
    pub cometbft: PathBuf,
    /// The validators.
    pub nodes: Vec<NodeInfo>,
    /// Well-funded key for demos and tests (keyring of node0).
    pub faucet: Account,
    /// Funded key for a relayer (keyring of node0).
    pub relayer: Account,
}

impl Localnet {
    /// Reads `DIR/localnet.json`; `None` if there is none.
    pub fn load(dir: &Path) -> anyhow::Result<Option<Self>> {
        let path = dir.join(STATE_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let state: Self = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a localnet description; remove the directory and run `localnet up` again",
                path.display()
            )
        })?;
        if state.nodes.is_empty() {
            anyhow::bail!(
                "{} lists no nodes; remove the directory and run `localnet up` again",
                path.display()
            );
        }
        Ok(Some(state))
    }

    /// Reads `DIR/localnet.json`, failing with a hint if there is no localnet.
    pub fn require(dir: &Path) -> anyhow::Result<Self> {
        Self::load(dir)?.with_context(|| {
            format!(
                "no localnet in {} (no {STATE_FILE}); start one with `localnet up` (or pass the right --dir)",
                dir.display()
            )
        })
    }

    /// Writes `DIR/localnet.json` and each node's pid file.
    pub fn save(&self) -> anyhow::Result<()> {
        let path = self.dir.join(STATE_FILE);
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        for node in &self.nodes {
            let pid_path = node.pid_path();
            match node.pid {
                Some(pid) => std::fs::write(&pid_path, format!("{pid}\n"))
                    .with_context(|| format!("cannot write {}", pid_path.display()))?,
                None => match std::fs::remove_file(&pid_path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(e)
                            .with_context(|| format!("cannot remove {}", pid_path.display()))
                    }
                },
            }
        }
        Ok(())
    }
}
