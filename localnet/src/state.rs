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
    /// Pid of `hubd start`, or of `cosmovisor run start` on a spoke (also its process group
    /// id), while running.
    pub pid: Option<u32>,
    /// The validator's operator key.
    pub validator: Account,
    /// The network namespace the node runs in (`up --hub-netns`), whose address its listeners
    /// bind; `None`: the host's loopback.
    #[serde(default)]
    pub netns: Option<Netns>,
}

/// A network namespace a node runs in, and the node's address there.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Netns {
    /// Namespace name (`ip netns exec NAME …`).
    pub name: String,
    /// The node's IPv4 address in it, reachable from the host.
    pub address: String,
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

    /// The address the node's listeners bind and its peers dial.
    pub fn host(&self) -> &str {
        self.netns
            .as_ref()
            .map_or("127.0.0.1", |n| n.address.as_str())
    }
}

/// One chain of the localnet: the hub or a spoke, with its validators and funded keys.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChainNet {
    /// Short name, also the chain's folder in the state directory (`hub`, `spoke-a`).
    pub name: String,
    /// Chain id (`hub-1`, `spoke-a-1`).
    pub chain_id: String,
    /// Staking and fee denomination.
    pub denom: String,
    /// Bech32 prefix of account addresses.
    pub prefix: String,
    /// Node program (`hubd`, `spoked`).
    pub binary: PathBuf,
    /// cosmovisor, when the chain's nodes run under it (every spoke): each node home holds the
    /// layout of [`crate::cosmovisor`] and `pid` is cosmovisor's.
    #[serde(default)]
    pub cosmovisor: Option<PathBuf>,
    /// The validators.
    pub nodes: Vec<NodeInfo>,
    /// Well-funded key for demos and tests (keyring of node0).
    pub faucet: Account,
    /// Funded key for the relayer (keyring of node0; the same mnemonic on every chain).
    pub relayer: Account,
    /// Funded key for one-off Hermes commands run while `hermes start` relays (`update
    /// client`, `clear packets`, `create channel`): a second account, so that two Hermes
    /// processes never sign with one account's sequence (keyring of node0; the same mnemonic on
    /// every chain).
    pub operator: Account,
    /// Whether this is the ibc-go chain (`simd`, see [`crate::ibc_go`]) rather than a runtime of
    /// this repository: Hermes then uses the default IAVL proof specs.
    #[serde(default)]
    pub ibc_go: bool,
}

impl ChainNet {
    /// The first validator, whose RPC the CLI commands use.
    pub fn node0(&self) -> &NodeInfo {
        &self.nodes[0]
    }
}

/// The relayer process and its files.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Relayer {
    /// The Hermes program.
    pub program: PathBuf,
    /// Hermes's home: `config.toml`, `keys/`, `hermes.log`.
    pub home: PathBuf,
    /// Pid of `hermes start` (also its process group id) while running.
    pub pid: Option<u32>,
    /// The `transfer` channels Hermes opened.
    pub paths: Vec<IbcPath>,
    /// The ORDERED `upgrade` channels (hub as chain A, one per spoke) over the same
    /// connections.
    #[serde(default)]
    pub upgrade_paths: Vec<IbcPath>,
    /// The `transfer` channel between the hub (A) and the ibc-go chain (B), if any.
    #[serde(default)]
    pub ibc_go_path: Option<IbcPath>,
}

impl Relayer {
    /// Hermes's configuration file.
    pub fn config_path(&self) -> PathBuf {
        self.home.join("config.toml")
    }

    /// The configuration of one-off Hermes commands: the same chains, signing as the
    /// operator key ([`ChainNet::operator`]) instead of the relayer's.
    pub fn cli_config_path(&self) -> PathBuf {
        self.home.join("cli.toml")
    }

    /// Hermes's log file.
    pub fn log_path(&self) -> PathBuf {
        self.home.join("hermes.log")
    }

    /// Hermes's pid file.
    pub fn pid_path(&self) -> PathBuf {
        self.home.join("hermes.pid")
    }
}

/// One end of a channel.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChannelEnd {
    /// Chain id.
    pub chain_id: String,
    /// Port (`transfer`).
    pub port: String,
    /// Channel id on this chain (`channel-0`).
    pub channel: String,
    /// Connection id on this chain.
    pub connection: String,
    /// Client id on this chain (a client of the other chain).
    pub client: String,
}

/// A channel between two chains, as Hermes created it (`a` is Hermes's chain A).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IbcPath {
    /// Chain A's end.
    pub a: ChannelEnd,
    /// Chain B's end.
    pub b: ChannelEnd,
}

impl IbcPath {
    /// This path's end on `chain_id` and the other end, if the path touches that chain.
    pub fn ends_from(&self, chain_id: &str) -> Option<(&ChannelEnd, &ChannelEnd)> {
        if self.a.chain_id == chain_id {
            Some((&self.a, &self.b))
        } else if self.b.chain_id == chain_id {
            Some((&self.b, &self.a))
        } else {
            None
        }
    }
}

/// The whole localnet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Localnet {
    /// State directory (absolute).
    pub dir: PathBuf,
    /// CometBFT program used.
    pub cometbft: PathBuf,
    /// The chains: the hub first, then the spokes.
    pub chains: Vec<ChainNet>,
    /// Hermes, when the localnet has spokes or the ibc-go chain.
    pub relayer: Option<Relayer>,
    /// The ibc-go chain of `up --with-ibc-go`.
    #[serde(default)]
    pub ibc_go: Option<ChainNet>,
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
        if state.chains.is_empty() || state.chains.iter().any(|c| c.nodes.is_empty()) {
            anyhow::bail!(
                "{} lists a chain without nodes; remove the directory and run `localnet up` again",
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

    /// The hub (the first chain).
    pub fn hub(&self) -> &ChainNet {
        &self.chains[0]
    }

    /// The spokes (every chain after the hub).
    pub fn spokes(&self) -> &[ChainNet] {
        &self.chains[1..]
    }

    /// Every chain: the hub, the spokes, then the ibc-go chain if any.
    pub fn all_chains(&self) -> impl Iterator<Item = &ChainNet> {
        self.chains.iter().chain(self.ibc_go.iter())
    }

    /// Every node of every chain.
    pub fn all_nodes(&self) -> impl Iterator<Item = &NodeInfo> {
        self.chains.iter().flat_map(|c| c.nodes.iter())
    }

    /// Writes `DIR/localnet.json` and each process's pid file.
    pub fn save(&self) -> anyhow::Result<()> {
        let path = self.dir.join(STATE_FILE);
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        for node in self.all_nodes() {
            write_pid(&node.pid_path(), node.pid)?;
        }
        if let Some(relayer) = &self.relayer {
            write_pid(&relayer.pid_path(), relayer.pid)?;
        }
        Ok(())
    }
}

/// Writes `pid` to `path`, or removes the file when there is no process.
fn write_pid(path: &Path, pid: Option<u32>) -> anyhow::Result<()> {
    match pid {
        Some(pid) => std::fs::write(path, format!("{pid}\n"))
            .with_context(|| format!("cannot write {}", path.display())),
        None => match std::fs::remove_file(path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("cannot remove {}", path.display())),
        },
    }
}
