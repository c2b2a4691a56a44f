//! The Hermes relayer of the localnet: its configuration, keys, the `transfer` channels it
//! opens between the hub and each spoke, and the `hermes start` process.
//!
//! The configuration follows what Hermes 1.11 needs of a chain built from our modules:
//! `store_prefix` and `proof_specs` are the hub's own ([`hub_ibc::commitment`]: the IBC
//! substore's key in the main tree, and cnidarium's JMT spec for both levels), every trusting
//! period is below the chains' unbonding time, `compat_mode = '0.38'`, gas is priced at the
//! nodes' minimum gas price and fees are paid in each chain's denom. Events come over the
//! websocket (`push`, which needs the `message.module` events the chains emit) or from block
//! results (`pull`).

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use anyhow::{bail, Context as _};
use serde_json::Value;

use crate::{
    procs,
    state::{ChainNet, ChannelEnd, IbcPath, Localnet, Relayer},
};

/// The Hermes release the project is tested with (`scripts/setup.sh` installs it).
pub const HERMES_VERSION: &str = "1.11.0";
/// Gas price Hermes pays, per unit of gas, in each chain's denom: the nodes' default
/// `minimum_gas_prices`.
pub const GAS_PRICE: &str = "0.001";
/// Key name of the relayer in Hermes's keyring (the same mnemonic on every chain).
pub const KEY_NAME: &str = "relayer";

/// Key name of the operator in Hermes's keyring: one-off commands sign with it, so they never
/// race `hermes start` for the relayer account's sequence (a Cosmos SDK chain refuses the
/// second of two txs signed with one sequence, `sdk`/32, and Hermes retries only once).
pub const CLI_KEY_NAME: &str = "operator";

/// The mnemonics of the two Hermes accounts, the same on every chain.
#[derive(Clone, Debug)]
pub struct Mnemonics {
    /// Of [`KEY_NAME`], used by `hermes start`.
    pub relayer: String,
    /// Of [`CLI_KEY_NAME`], used by one-off commands.
    pub operator: String,
}
/// The port of ICS-20 channels.
pub const TRANSFER_PORT: &str = "transfer";
/// How long one `hermes create channel` may take.
const CREATE_TIMEOUT: Duration = Duration::from_secs(300);

/// What the configuration depends on.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Trusting period of every client Hermes creates.
    pub trusting_period: Duration,
    /// Websocket (push) rather than block-results (pull) event source.
    pub push: bool,
    /// Register the spokes by governance and open the ORDERED `upgrade` channels (about a
    /// minute per spoke); without them the localnet relays transfers only.
    pub upgrade_channels: bool,
}

/// Finds Hermes: `requested`, else `hermes` on PATH, else `~/.cargo/bin/hermes`; the error says
/// how to install it.
pub fn locate(requested: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(path) = requested {
        return hub_cli::init::find_program(path).with_context(|| {
            format!(
                "hermes program {} not found or not executable; fix --hermes",
                path.display()
            )
        });
    }
    let cargo_bin = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/hermes"));
    hub_cli::init::find_program(Path::new("hermes"))
        .or_else(|| cargo_bin.and_then(|p| hub_cli::init::find_program(&p)))
        .with_context(|| {
            format!(
                "the `hermes` relayer was not found on PATH; install it with scripts/setup.sh (cargo install ibc-relayer-cli --version {HERMES_VERSION} --locked --bin hermes), pass --hermes <PATH>, or start the chains alone with --no-relayer"
            )
        })
}

/// Parses a duration written as Hermes and humans write it: `90s`, `20min`, `2h`, `14days`
/// (integer amounts only).
pub fn parse_duration(text: &str) -> anyhow::Result<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (amount, unit) = text.split_at(split);
    let amount: u64 = amount
        .parse()
        .with_context(|| format!("{text:?} does not start with a whole number"))?;
    let seconds = match unit.trim() {
        "s" | "sec" | "secs" => 1,
        "m" | "min" | "mins" => 60,
        "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        other => bail!("unknown unit {other:?} in {text:?}; use s, min, h or days"),
    };
    let d = Duration::from_secs(amount.saturating_mul(seconds));
    if d.is_zero() {
        bail!("{text:?} is zero");
    }
    Ok(d)
}

/// The JSON of the hub's proof specs, as Hermes's `proof_specs` option takes it.
pub fn proof_specs_json() -> anyhow::Result<String> {
    serde_json::to_string(&hub_ibc::commitment::proof_specs())
        .context("cannot serialize the proof specs")
}

fn toml_str(s: &str) -> String {
    toml_edit::Value::from(s).to_string()
}

/// One `[[chains]]` entry for `chain`.
fn chain_entry(
    chain: &ChainNet,
    keys: &Path,
    key_name: &str,
    settings: &Settings,
) -> anyhow::Result<String> {
    let node = chain.node0();
    let event_source = if settings.push {
        format!(
            "{{ mode = 'push', url = 'ws://{}:{}/websocket', batch_delay = '500ms' }}",
            node.host(),
            node.rpc_port
        )
    } else {
        "{ mode = 'pull', interval = '1s', max_retries = 4 }".to_owned()
    };
    let keys = keys
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", keys.display()))?;
    Ok(format!(
        r#"
[[chains]]
id = {id}
type = 'CosmosSdk'
rpc_addr = {rpc}
grpc_addr = 'http://{grpc}'
event_source = {event_source}
rpc_timeout = '15s'
trusted_node = false
ccv_consumer_chain = false
account_prefix = {prefix}
key_name = {key}
key_store_folder = {keys}
address_type = {{ derivation = 'cosmos' }}
store_prefix = {store_prefix}
default_gas = 3000000
max_gas = 10000000
gas_price = {{ price = {GAS_PRICE}, denom = {denom} }}
gas_multiplier = 1.2
max_msg_num = 30
max_tx_size = 180000
clock_drift = '5s'
max_block_time = '30s'
trusting_period = '{trusting}s'
trust_threshold = '2/3'
memo_prefix = ''
compat_mode = '0.38'
{specs}"#,
        id = toml_str(&chain.chain_id),
        key = toml_str(key_name),
        rpc = toml_str(&node.rpc),
        grpc = node.grpc,
        prefix = toml_str(&chain.prefix),
        keys = toml_str(keys),
        store_prefix = toml_str(hub_ibc::commitment::COMMITMENT_PREFIX),
        denom = toml_str(&chain.denom),
        trusting = settings.trusting_period.as_secs(),
        // The ibc-go chain proves with IAVL, Hermes's default specs.
        specs = if chain.ibc_go {
            String::new()
        } else {
            format!("proof_specs = '''{}'''\n", proof_specs_json()?)
        },
    ))
}

/// The whole `config.toml`: relaying of clients (refresh), connections, channels and packets
/// (cleared on start and every 100 blocks) for every chain of `state`.
/// Every chain signs as `key_name` ([`KEY_NAME`] for `hermes start`, [`CLI_KEY_NAME`] for
/// one-off commands).
pub fn config_toml(
    state: &Localnet,
    keys: &Path,
    key_name: &str,
    settings: &Settings,
) -> anyhow::Result<String> {
    let mut text = String::from(
        r#"# Hermes configuration written by `localnet up`.
[global]
log_level = 'info'

[mode.clients]
enabled = true
refresh = true
misbehaviour = false

[mode.connections]
enabled = true

[mode.channels]
enabled = true

[mode.packets]
enabled = true
clear_interval = 100
clear_on_start = true
tx_confirmation = false
"#,
    );
    for chain in state.all_chains() {
        text.push_str(&chain_entry(chain, keys, key_name, settings)?);
    }
    Ok(text)
}

/// Runs `hermes --config CONFIG args…` to completion, appending its output to
/// `hermes/commands.log`; returns stdout, or an error with the command, Hermes's own summary
/// of the failure (its last `result`) and where the whole output is.
fn hermes(relayer: &Relayer, args: &[&str]) -> anyhow::Result<String> {
    use std::io::Write as _;
    let config = relayer.cli_config_path();
    let config = config
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", config.display()))?;
    let out = std::process::Command::new(&relayer.program)
        .arg("--config")
        .arg(config)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}", relayer.program.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let log_path = relayer.home.join("commands.log");
    if let Ok(mut log) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
    {
        let _ = writeln!(
            log,
            "$ hermes {}\n{stdout}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    if !out.status.success() {
        let summary = json_result(&stdout)
            .map(|r| r.as_str().map_or_else(|| r.to_string(), str::to_owned))
            .unwrap_or_else(|_| {
                let text = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
                let lines: Vec<&str> = text.lines().collect();
                lines[lines.len().saturating_sub(5)..].join("\n")
            });
        bail!(
            "`hermes {}` failed ({}): {summary}\n(whole output in {})",
            args.join(" "),
            out.status,
            log_path.display()
        );
    }
    Ok(stdout)
}

/// `hermes clear packets` on the channel end `port`/`channel` of `chain_id`: relays every
/// pending packet and acknowledgement of that channel in both directions, then returns.
pub fn clear_packets(
    relayer: &Relayer,
    chain_id: &str,
    port: &str,
    channel: &str,
) -> anyhow::Result<()> {
    hermes(
        relayer,
        &[
            "clear",
            "packets",
            "--chain",
            chain_id,
            "--port",
            port,
            "--channel",
            channel,
        ],
    )
    .map(|_| ())
}

/// `hermes update client` of `client` on `host_chain` to the counterparty's latest height.
pub fn update_client(relayer: &Relayer, host_chain: &str, client: &str) -> anyhow::Result<()> {
    hermes(
        relayer,
        &[
            "update",
            "client",
            "--host-chain",
            host_chain,
            "--client",
            client,
        ],
    )
    .map(|_| ())
}

/// Adds the relayer and operator keys for every chain to Hermes's keyring.
fn add_keys(relayer: &Relayer, state: &Localnet, mnemonics: &Mnemonics) -> anyhow::Result<()> {
    add_key(relayer, state, KEY_NAME, &mnemonics.relayer)?;
    add_key(relayer, state, CLI_KEY_NAME, &mnemonics.operator)
}

/// Adds key `name` (from `mnemonic`) for every chain to Hermes's keyring.
fn add_key(relayer: &Relayer, state: &Localnet, name: &str, mnemonic: &str) -> anyhow::Result<()> {
    let file = relayer.home.join(format!("{name}.mnemonic"));
    std::fs::write(&file, mnemonic).with_context(|| format!("cannot write {}", file.display()))?;
    let file_arg = file
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", file.display()))?;
    for chain in state.all_chains() {
        hermes(
            relayer,
            &[
                "keys",
                "add",
                "--chain",
                &chain.chain_id,
                "--mnemonic-file",
                file_arg,
                "--key-name",
                name,
                "--overwrite",
            ],
        )?;
    }
    Ok(())
}

/// Reads the channel end of `side` (`a_side`/`b_side`) from `hermes --json create channel`.
fn channel_end(result: &Value, side: &str, chain_id: &str) -> anyhow::Result<ChannelEnd> {
    let end = &result[side];
    let field = |v: &Value, what: &str| -> anyhow::Result<String> {
        v.as_str()
            .map(str::to_owned)
            .with_context(|| format!("hermes printed no {side}.{what}: {result}"))
    };
    Ok(ChannelEnd {
        chain_id: chain_id.to_owned(),
        port: field(&end["port_id"], "port_id")?,
        channel: field(&end["channel_id"], "channel_id")?,
        connection: field(&end["connection_id"], "connection_id")?,
        client: field(&end["client_id"], "client_id")?,
    })
}

/// The `result` of the last JSON line Hermes printed.
fn json_result(stdout: &str) -> anyhow::Result<Value> {
    stdout
        .lines()
        .rev()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|v| v.get("result").is_some())
        .map(|mut v| v["result"].take())
        .with_context(|| format!("hermes printed no JSON result:\n{stdout}"))
}

/// `hermes create channel` of a `transfer` channel between `a` and `b`: over `a`'s existing
/// connection `a_connection` when given, else with new clients and a new connection.
fn create_transfer_channel(
    relayer: &Relayer,
    a: &ChainNet,
    b: &ChainNet,
    a_connection: Option<&str>,
) -> anyhow::Result<IbcPath> {
    let started = Instant::now();
    let mut args = vec!["--json", "create", "channel", "--a-chain", &a.chain_id];
    match a_connection {
        Some(conn) => args.extend(["--a-connection", conn]),
        None => args.extend(["--b-chain", &b.chain_id, "--new-client-connection"]),
    }
    args.extend([
        "--a-port",
        TRANSFER_PORT,
        "--b-port",
        TRANSFER_PORT,
        "--yes",
    ]);
    let out = hermes(relayer, &args).with_context(|| {
        format!(
            "Hermes could not open a transfer channel between {} and {}",
            a.chain_id, b.chain_id
        )
    })?;
    if started.elapsed() > CREATE_TIMEOUT {
        bail!(
            "opening the channel between {} and {} took {} s",
            a.chain_id,
            b.chain_id,
            started.elapsed().as_secs()
        );
    }
    let result = json_result(&out)?;
    Ok(IbcPath {
        a: channel_end(&result, "a_side", &a.chain_id)?,
        b: channel_end(&result, "b_side", &b.chain_id)?,
    })
}

/// The first string under `key` anywhere in `v` (Hermes wraps its events in enum tags).
fn find_str(v: &Value, key: &str) -> Option<String> {
    match v {
        Value::Object(map) => map
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| map.values().find_map(|x| find_str(x, key))),
        Value::Array(items) => items.iter().find_map(|x| find_str(x, key)),
        _ => None,
    }
}

/// `hermes create client` on `host` of `reference`; returns the new client's id.
fn create_client(
    relayer: &Relayer,
    host: &ChainNet,
    reference: &ChainNet,
) -> anyhow::Result<String> {
    let out = hermes(
        relayer,
        &[
            "--json",
            "create",
            "client",
            "--host-chain",
            &host.chain_id,
            "--reference-chain",
            &reference.chain_id,
        ],
    )
    .with_context(|| {
        format!(
            "Hermes could not create a client of {} on {}",
            reference.chain_id, host.chain_id
        )
    })?;
    let result = json_result(&out)?;
    find_str(&result, "client_id")
        .with_context(|| format!("hermes create client printed no client_id: {result}"))
}

/// `hermes create connection` between `a` and `b` over the existing clients `a_client` (on
/// `a`, of `b`) and `b_client`; returns the connection ids on `a` and on `b`.
fn create_connection(
    relayer: &Relayer,
    a: &ChainNet,
    a_client: &str,
    b_client: &str,
) -> anyhow::Result<(String, String)> {
    let out = hermes(
        relayer,
        &[
            "--json",
            "create",
            "connection",
            "--a-chain",
            &a.chain_id,
            "--a-client",
            a_client,
            "--b-client",
            b_client,
        ],
    )
    .with_context(|| {
        format!(
            "Hermes could not open a connection from {} over clients {a_client} and {b_client}",
            a.chain_id
        )
    })?;
    let result = json_result(&out)?;
    let side = |s: &str| {
        result[s]["connection_id"]
            .as_str()
            .map(str::to_owned)
            .with_context(|| {
                format!("hermes create connection printed no {s}.connection_id: {result}")
            })
    };
    Ok((side("a_side")?, side("b_side")?))
}

/// The client each spoke's genesis pins: the first client a new chain creates.
pub const PINNED_CLIENT: &str = "07-tendermint-0";

/// A hub ↔ spoke link over the spoke's pinned client: the hub's new client of the spoke and
/// the connection on both ends.
struct SpokeLink {
    hub_client: String,
    hub_connection: String,
    spoke_connection: String,
}

/// Creates the hub's client of `spoke` and a connection between them over the spoke's pinned
/// client of the hub (from the hub's side, or from the spoke's when `spoke_first`, so that
/// Hermes exercises both roles).
fn link_spoke(
    relayer: &Relayer,
    hub: &ChainNet,
    spoke: &ChainNet,
    spoke_first: bool,
) -> anyhow::Result<SpokeLink> {
    let hub_client = create_client(relayer, hub, spoke)?;
    let (hub_connection, spoke_connection) = if spoke_first {
        let (s, h) = create_connection(relayer, spoke, PINNED_CLIENT, &hub_client)?;
        (h, s)
    } else {
        create_connection(relayer, hub, &hub_client, PINNED_CLIENT)?
    };
    Ok(SpokeLink {
        hub_client,
        hub_connection,
        spoke_connection,
    })
}

/// Port and version of the interchain-upgrade channels.
pub const UPGRADE_PORT: &str = "upgrade";
const UPGRADE_VERSION: &str = "hub-upgrade-1";

/// `hermes create channel` of an ORDERED `upgrade` channel from the hub over the existing
/// connection `hub_connection` (the one under the hub's transfer channel to the spoke).
fn create_upgrade_channel(
    relayer: &Relayer,
    hub: &ChainNet,
    spoke: &ChainNet,
    hub_connection: &str,
) -> anyhow::Result<IbcPath> {
    let out = hermes(
        relayer,
        &[
            "--json",
            "create",
            "channel",
            "--a-chain",
            &hub.chain_id,
            "--a-connection",
            hub_connection,
            "--a-port",
            UPGRADE_PORT,
            "--b-port",
            UPGRADE_PORT,
            "--order",
            "ordered",
            "--channel-version",
            UPGRADE_VERSION,
            "--yes",
        ],
    )
    .with_context(|| {
        format!(
            "Hermes could not open an upgrade channel between {} and {}",
            hub.chain_id, spoke.chain_id
        )
    })?;
    let result = json_result(&out)?;
    Ok(IbcPath {
        a: channel_end(&result, "a_side", &hub.chain_id)?,
        b: channel_end(&result, "b_side", &spoke.chain_id)?,
    })
}

/// Writes the configuration and keys, opens a `transfer` channel between the hub and each
/// spoke (the hub is chain A towards the first spoke and chain B towards the others, so both
/// roles are exercised), and starts `hermes start`. `step` reports progress (steps 5–7).
pub async fn bring_up(
    state: &mut Localnet,
    program: PathBuf,
    mnemonics: &Mnemonics,
    settings: &Settings,
    step: impl Fn(usize, &str),
) -> anyhow::Result<()> {
    let home = state.dir.join("hermes");
    std::fs::create_dir_all(&home).with_context(|| format!("cannot create {}", home.display()))?;
    let mut relayer = Relayer {
        program,
        home: home.clone(),
        pid: None,
        paths: Vec::new(),
        upgrade_paths: Vec::new(),
        ibc_go_path: None,
    };
    step(
        5,
        "configuring Hermes (config.toml for `hermes start`, cli.toml for one-off commands, keys)",
    );
    let keys = home.join("keys");
    for (path, key) in [
        (relayer.config_path(), KEY_NAME),
        (relayer.cli_config_path(), CLI_KEY_NAME),
    ] {
        std::fs::write(&path, config_toml(state, &keys, key, settings)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    hermes(&relayer, &["config", "validate"]).context("Hermes rejects its configuration")?;
    add_keys(&relayer, state, mnemonics)?;
    println!("      config: {}", relayer.config_path().display());

    step(
        6,
        if settings.upgrade_channels {
            "opening transfer and upgrade channels (clients, connection, channel handshakes; about a minute each)"
        } else {
            "opening transfer channels (clients, connection, channel handshakes; about a minute each)"
        },
    );
    let hub = state.hub().clone();
    let mut links = Vec::new();
    for (k, spoke) in state.spokes().iter().enumerate() {
        let (a, b) = if k == 0 { (&hub, spoke) } else { (spoke, &hub) };
        println!(
            "      {} (A) <-> {} (B) over {}'s pinned client {PINNED_CLIENT} ...",
            a.chain_id, b.chain_id, spoke.chain_id
        );
        let link = link_spoke(&relayer, &hub, spoke, k != 0)?;
        let a_connection = if k == 0 {
            &link.hub_connection
        } else {
            &link.spoke_connection
        };
        let path = create_transfer_channel(&relayer, a, b, Some(a_connection))?;
        println!("      {}", path_line(&path));
        relayer.paths.push(path);
        links.push(link);
    }
    if !links.is_empty() && settings.upgrade_channels {
        register_spokes(state, &hub, &links).await?;
    }
    let upgrade_links = if settings.upgrade_channels {
        links.as_slice()
    } else {
        &[]
    };
    for (spoke, link) in state.spokes().iter().zip(upgrade_links) {
        let up = create_upgrade_channel(&relayer, &hub, spoke, &link.hub_connection)?;
        println!(
            "      {}: {} (ORDERED, {UPGRADE_VERSION})  <->  {}: {}",
            up.a.chain_id, up.a.channel, up.b.chain_id, up.b.channel
        );
        relayer.upgrade_paths.push(up);
    }

    if let Some(simd) = state.ibc_go.clone() {
        println!(
            "      {} (A) <-> {} (B, ibc-go) ...",
            hub.chain_id, simd.chain_id
        );
        let path = create_transfer_channel(&relayer, &hub, &simd, None)?;
        println!("      {}", path_line(&path));
        relayer.ibc_go_path = Some(path);
    }

    step(7, "starting `hermes start`");
    let child = start(&relayer)?;
    relayer.pid = Some(child);
    state.relayer = Some(relayer);
    state.save()?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    if let Some(relayer) = &state.relayer {
        if !relayer
            .pid
            .is_some_and(|pid| procs::is_node_process(pid, &relayer.home))
        {
            bail!(
                "hermes start exited at once; read {}. Last lines:\n{}",
                relayer.log_path().display(),
                procs::tail(&relayer.log_path(), 15)
            );
        }
    }
    Ok(())
}

/// Hub governance registers each spoke's client and connection (one proposal with a
/// `MsgRegisterSpoke` per spoke), so that upgrade channels may open over them.
async fn register_spokes(
    state: &Localnet,
    hub: &ChainNet,
    links: &[SpokeLink],
) -> anyhow::Result<()> {
    let gov = hub_cli::gov::gov_address(&hub.prefix)?;
    let messages = state
        .spokes()
        .iter()
        .zip(links)
        .map(|(spoke, link)| {
            serde_json::json!({
                "@type": hub_cli::upgrade::MSG_REGISTER_SPOKE_TYPE_URL,
                "authority": gov,
                "chain_id": spoke.chain_id,
                "client_id": link.hub_client,
                "connection_id": link.hub_connection,
            })
        })
        .collect();
    println!(
        "      registering the spokes on the hub by governance (a {} vote)",
        crate::gov::HUB_VOTING_PERIOD
    );
    let passed = crate::gov::pass(
        hub,
        &state.dir.join("proposal-register-spokes.json"),
        "Register the spokes",
        "Bind each spoke's client and connection on the hub: upgrade plans travel only over them.",
        messages,
    )
    .await?;
    println!(
        "      proposal {} PASSED at hub height {}",
        passed.id, passed.height
    );
    Ok(())
}

/// One line naming both ends of `path`: chain, client, connection and channel.
fn path_line(path: &IbcPath) -> String {
    let end = |e: &ChannelEnd| {
        format!(
            "{}: {} {} {}",
            e.chain_id, e.client, e.connection, e.channel
        )
    };
    format!("{}  <->  {}", end(&path.a), end(&path.b))
}

/// Starts `hermes start` in its own process group, logging to the relayer's log; returns its
/// pid.
#[allow(clippy::zombie_processes)] // detached in its own process group; stopped by `down`
pub fn start(relayer: &Relayer) -> anyhow::Result<u32> {
    let config = relayer.config_path();
    let config = config
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", config.display()))?
        .to_owned();
    let child = procs::spawn_logged(
        &relayer.program,
        &["--config", &config, "start"],
        &relayer.log_path(),
    )?;
    Ok(child.id())
}

/// Events a websocket subscriber may fall behind by before CometBFT cancels its subscription.
/// Hermes subscribes to every IBC tx event; CometBFT's default of 200 is exceeded by one block
/// of a 1 000-transfer burst, and Hermes then loses those events until its periodic clearing
/// (`failed to collect events: RPC error` in its log).
pub const SUBSCRIPTION_BUFFER: i64 = 20_000;

/// Raises the websocket subscription and write buffers of a node's `config.toml` to
/// [`SUBSCRIPTION_BUFFER`] (the write buffer must be at least the subscription buffer).
pub fn relayer_rpc_buffers(doc: &mut toml_edit::DocumentMut) {
    doc["rpc"]["experimental_subscription_buffer_size"] = toml_edit::value(SUBSCRIPTION_BUFFER);
    doc["rpc"]["experimental_websocket_write_buffer_size"] = toml_edit::value(SUBSCRIPTION_BUFFER);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Account, NodeInfo};

    #[test]
    fn durations_parse_in_hermes_units() {
        assert_eq!(parse_duration("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("20min").unwrap(), Duration::from_secs(1200));
        assert_eq!(
            parse_duration("14days").unwrap(),
            Duration::from_secs(14 * 86_400)
        );
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("1.5h").is_err());
        assert!(parse_duration("10 fortnights").is_err());
    }

    #[test]
    fn proof_specs_are_the_stores_own_and_parse_back() {
        let json = proof_specs_json().unwrap();
        let back: Vec<ics23::ProofSpec> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, hub_ibc::commitment::proof_specs());
        assert_eq!(back.len(), 2);
        assert!(back.iter().all(|s| s.prehash_key_before_comparison));
    }

    fn chain(name: &str, id: &str, prefix: &str, denom: &str, rpc_port: u16) -> ChainNet {
        let account = Account::default();
        ChainNet {
            name: name.into(),
            chain_id: id.into(),
            denom: denom.into(),
            prefix: prefix.into(),
            binary: PathBuf::from("x"),
            cosmovisor: None,
            nodes: vec![NodeInfo {
                name: "node0".into(),
                home: PathBuf::from("/h"),
                node_id: String::new(),
                p2p_port: 1,
                rpc_port,
                abci_port: 3,
                grpc_port: rpc_port + 2,
                rpc: format!("http://127.0.0.1:{rpc_port}"),
                grpc: format!("127.0.0.1:{}", rpc_port + 2),
                p2p: String::new(),
                abci: String::new(),
                pid: None,
                validator: account.clone(),
                netns: None,
            }],
            faucet: account.clone(),
            relayer: account.clone(),
            operator: account,
            ibc_go: false,
        }
    }

    #[test]
    fn the_configuration_names_every_chain_with_its_prefix_denom_and_specs() {
        let state = Localnet {
            dir: PathBuf::from("/d"),
            cometbft: PathBuf::from("cometbft"),
            chains: vec![
                chain("hub", "hub-1", "hub", "uhub", 26601),
                chain("spoke-a", "spoke-a-1", "spoke", "uspoke", 27601),
            ],
            relayer: None,
            ibc_go: None,
        };
        let settings = Settings {
            trusting_period: Duration::from_secs(120),
            push: true,
            upgrade_channels: true,
        };
        let text = config_toml(&state, Path::new("/d/hermes/keys"), KEY_NAME, &settings).unwrap();
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        let chains = doc["chains"].as_array_of_tables().unwrap();
        assert_eq!(chains.len(), 2);
        let spoke = chains.get(1).unwrap();
        assert_eq!(spoke["id"].as_str(), Some("spoke-a-1"));
        assert_eq!(spoke["account_prefix"].as_str(), Some("spoke"));
        assert_eq!(spoke["store_prefix"].as_str(), Some("ibc"));
        assert_eq!(spoke["gas_price"]["denom"].as_str(), Some("uspoke"));
        assert_eq!(spoke["trusting_period"].as_str(), Some("120s"));
        assert_eq!(spoke["compat_mode"].as_str(), Some("0.38"));
        assert_eq!(
            spoke["event_source"]["url"].as_str(),
            Some("ws://127.0.0.1:27601/websocket")
        );
        let specs: Vec<ics23::ProofSpec> =
            serde_json::from_str(spoke["proof_specs"].as_str().unwrap()).unwrap();
        assert_eq!(specs, hub_ibc::commitment::proof_specs());
        assert_eq!(spoke["key_name"].as_str(), Some(KEY_NAME));
        // One-off commands sign with another account than `hermes start`.
        let cli = config_toml(&state, Path::new("/d/hermes/keys"), CLI_KEY_NAME, &settings)
            .unwrap()
            .parse::<toml_edit::DocumentMut>()
            .unwrap();
        let keys: Vec<_> = cli["chains"]
            .as_array_of_tables()
            .unwrap()
            .iter()
            .map(|c| c["key_name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(keys, [CLI_KEY_NAME, CLI_KEY_NAME]);
        assert_ne!(CLI_KEY_NAME, KEY_NAME);
    }

    #[test]
    fn the_json_result_is_taken_from_the_last_result_line() {
        let out = "{\"timestamp\":1,\"level\":\"INFO\"}\n{\"result\":{\"a_side\":{\"port_id\":\"transfer\",\"channel_id\":\"channel-0\",\"connection_id\":\"connection-0\",\"client_id\":\"07-tendermint-0\"},\"b_side\":{\"port_id\":\"transfer\",\"channel_id\":\"channel-3\",\"connection_id\":\"connection-1\",\"client_id\":\"07-tendermint-2\"}},\"status\":\"success\"}\n";
        let result = json_result(out).unwrap();
        let b = channel_end(&result, "b_side", "spoke-a-1").unwrap();
        assert_eq!(
            (b.channel.as_str(), b.connection.as_str(), b.client.as_str()),
            ("channel-3", "connection-1", "07-tendermint-2")
        );
        assert!(json_result("no json here").is_err());
    }
}
