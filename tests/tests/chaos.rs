//! Chaos: a 4-validator hub, each validator in a network namespace of its own, and one spoke
//! relayed by the unmodified Hermes, under bounded load (bank sends on the hub all along,
//! ICS-20 transfers both ways around the relayer restart), while the test applies, in an order
//! drawn from `CHAOS_SEED`:
//!
//! - `kill`: SIGKILL a validator (hubd and its CometBFT) and restart it;
//! - `stop`: SIGSTOP a validator for several blocks (longer than a consensus round), SIGCONT;
//! - `isolate`: cut one validator off the others (nftables in its namespace), then heal;
//! - `split`: cut the network 2/2: no side holds 2/3 of the power, so the chain must halt; heal,
//!   and it must resume without a fork;
//! - `hermes`: SIGKILL Hermes while a batch of transfers is in flight, send more from the spoke
//!   (one of them timing out) while it is down, and restart it.
//!
//! `CHAOS_ROUNDS` (default 1) repeats the whole set, each round in a new order. Afterwards:
//! every node has the same app hash and block hash at every height; both ways, every packet
//! sent was acknowledged or timed out exactly once and received at most once (exactly once if
//! acknowledged), none is left committed; each chain's escrow equals the other's voucher
//! supply; every tx the loads saw committed is found by hash (`/tx`) with code 0.
//!
//! The namespaces (`hubchaos-<pid>-<i>`), their veth pairs, the bridge (`hc<pid>b`, address
//! 10.77.<n>.1 in the host's namespace, which Hermes, the spoke and the test use) and the
//! nftables tables live in a guard removed on every exit, panics included (and a later run
//! removes those of a run that was killed outright). Without the right to create namespaces
//! (not root, no CAP_NET_ADMIN) the test says so and passes vacuously. Loads and Hermes talk to
//! node0, which is never killed, stopped or isolated (only split, with one other): the loads'
//! txs all go through it, so a validator losing its mempool in a crash loses none of them.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_e2e::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// First port of the hub (inside the namespaces); the spoke, on the host's loopback, uses
/// `BASE_PORT + 1000`. Apart from the other tests' ranges and from `localnet up`'s default.
const BASE_PORT: u16 = 26700;
const VALIDATORS: usize = 4;
/// The nftables table the test adds in a namespace to cut it off.
const NFT_TABLE: &str = "hubchaos";
/// Blocks the others must commit while a validator is stopped or cut off: with 1 s blocks,
/// longer than a consensus round.
const BLOCKS_WHILE_OUT: u64 = 4;
/// How long the halted chain is watched for a block that must not come.
const HALT_WINDOW: Duration = Duration::from_secs(8);
/// Spoke → hub transfers relayed across a Hermes restart (one more times out), and the amount
/// of each.
const BACK_TRANSFERS: u64 = 2;
const BACK_AMOUNT: u128 = 7;

/// Runs `program args…` (with `input` on stdin), returning its stderr on failure (or why it
/// could not run: `ip` missing is a reason to skip, not a panic).
fn sh(program: &str, args: &[&str], input: Option<&str>) -> Result<(), String> {
    use std::io::Write as _;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{program}`: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.unwrap_or_default().as_bytes())
            .map_err(|e| format!("cannot write to `{program}`: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("`{program}` did not finish: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{program} {}` failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The validators' network: one namespace each, veth pairs into one bridge on the host.
/// Dropping it removes everything it created (a namespace takes its veth pair and nftables
/// tables with it).
struct Network {
    id: String,
    subnet: u8,
    bridge: Option<String>,
    namespaces: Vec<String>,
}

impl Network {
    /// Whether this process may create network namespaces (a throwaway one, removed at once).
    fn permitted() -> Result<(), String> {
        let probe = format!("hubchaos-probe-{}", std::process::id());
        sh("ip", &["netns", "add", &probe], None)?;
        sh("ip", &["netns", "del", &probe], None)
    }

    fn create(validators: usize) -> Self {
        Self::remove_stale();
        let pid = std::process::id();
        // Distinct names and subnets for concurrent runs (bridge and veth names stay within the
        // 15 bytes of an interface name: a pid has at most 7 digits).
        let mut net = Network {
            id: pid.to_string(),
            subnet: 20 + (pid % 200) as u8,
            bridge: None,
            namespaces: Vec::new(),
        };
        let bridge = format!("hc{}b", net.id);
        sh("ip", &["link", "add", &bridge, "type", "bridge"], None).unwrap();
        net.bridge = Some(bridge.clone());
        let gateway = format!("10.77.{}.1/24", net.subnet);
        sh("ip", &["addr", "add", &gateway, "dev", &bridge], None).unwrap();
        sh("ip", &["link", "set", &bridge, "up"], None).unwrap();
        for i in 0..validators {
            let ns = format!("hubchaos-{}-{i}", net.id);
            sh("ip", &["netns", "add", &ns], None).unwrap();
            net.namespaces.push(ns.clone());
            let host_end = format!("hc{}v{i}", net.id);
            let veth = [
                "link", "add", &host_end, "type", "veth", "peer", "name", "eth0", "netns", &ns,
            ];
            sh("ip", &veth, None).unwrap();
            sh(
                "ip",
                &["link", "set", &host_end, "master", &bridge, "up"],
                None,
            )
            .unwrap();
            let address = format!("{}/24", net.address(i));
            for args in [
                vec!["-n", &ns, "addr", "add", &address, "dev", "eth0"],
                vec!["-n", &ns, "link", "set", "eth0", "up"],
                vec!["-n", &ns, "link", "set", "lo", "up"],
            ] {
                sh("ip", &args, None).unwrap();
            }
        }
        net
    }

    /// Removes the namespaces and bridge of earlier runs whose process is gone (killed before
    /// its guard could run).
    fn remove_stale() {
        let Ok(out) = Command::new("ip").args(["netns", "list"]).output() else {
            return;
        };
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let name = line.split_whitespace().next().unwrap_or_default();
            let Some(pid) = name
                .strip_prefix("hubchaos-")
                .and_then(|rest| rest.split('-').next())
                .and_then(|pid| pid.parse::<u32>().ok())
            else {
                continue;
            };
            if !alive(pid) {
                eprintln!("chaos: removing {name}, left by process {pid}, which is gone");
                let _ = sh("ip", &["netns", "del", name], None);
                let _ = sh("ip", &["link", "del", &format!("hc{pid}b")], None);
            }
        }
    }

    fn address(&self, i: usize) -> String {
        format!("10.77.{}.{}", self.subnet, 10 + i)
    }

    /// `--hub-netns` of `localnet up`.
    fn netns_args(&self) -> Vec<String> {
        (0..self.namespaces.len())
            .flat_map(|i| {
                [
                    "--hub-netns".to_owned(),
                    format!("{}={}", self.namespaces[i], self.address(i)),
                ]
            })
            .collect()
    }

    /// Drops every packet between the validators of `a` and those of `b` (both directions,
    /// in every namespace involved); the host stays reachable from all of them.
    fn cut(&self, a: &[usize], b: &[usize]) {
        for (near, far) in [(a, b), (b, a)] {
            let far: Vec<String> = far.iter().map(|j| self.address(*j)).collect();
            let set = far.join(", ");
            let rules = format!(
                "table inet {NFT_TABLE} {{\n\
                 chain input {{ type filter hook input priority 0; policy accept; ip saddr {{ {set} }} drop; }}\n\
                 chain output {{ type filter hook output priority 0; policy accept; ip daddr {{ {set} }} drop; }}\n\
                 }}\n"
            );
            for i in near {
                let ns = &self.namespaces[*i];
                sh("ip", &["netns", "exec", ns, "nft", "-f", "-"], Some(&rules)).unwrap();
            }
        }
    }

    /// Removes every cut.
    fn heal(&self) {
        for ns in &self.namespaces {
            let has_table = sh(
                "ip",
                &[
                    "netns", "exec", ns, "nft", "list", "table", "inet", NFT_TABLE,
                ],
                None,
            )
            .is_ok();
            if has_table {
                let del = [
                    "netns", "exec", ns, "nft", "delete", "table", "inet", NFT_TABLE,
                ];
                sh("ip", &del, None).unwrap();
            }
        }
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        // A namespace goes away only once its last process has, and its veth pair after it,
        // asynchronously: deleting the host ends first removes the pairs now.
        for i in 0..self.namespaces.len() {
            let _ = sh("ip", &["link", "del", &format!("hc{}v{i}", self.id)], None);
        }
        for ns in self.namespaces.drain(..) {
            if let Err(e) = sh("ip", &["netns", "del", &ns], None) {
                eprintln!("chaos: cannot remove namespace {ns}: {e}");
            }
        }
        if let Some(bridge) = self.bridge.take() {
            if let Err(e) = sh("ip", &["link", "del", &bridge], None) {
                eprintln!("chaos: cannot remove bridge {bridge}: {e}");
            }
        }
    }
}

/// The localnet in its namespaces. Stops every process (also the ones the test restarted or
/// started, and a running load) before the network goes.
struct Chaos {
    /// Declared first: `localnet down` runs after the drop below, before the namespaces go.
    local: Localnet,
    /// The `localnet load`s running now (killed on drop).
    loads: Arc<Mutex<Vec<u32>>>,
    /// Tells the bank load's loop to stop (set on drop too, so that it starts no new run).
    stop: Arc<AtomicBool>,
    net: Network,
}

impl Drop for Chaos {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for pid in self.loads.lock().map(|l| l.clone()).unwrap_or_default() {
            kill_group(pid, "KILL");
        }
        self.net.heal();
    }
}

impl Chaos {
    fn state(&self) -> Value {
        self.local.state()
    }
    fn hub(&self) -> Value {
        self.local.chain_state(0)
    }
    fn spoke(&self) -> Value {
        self.local.chain_state(1)
    }
    fn rpcs(&self) -> Vec<String> {
        (0..VALIDATORS).map(|i| self.rpc(i)).collect()
    }
    fn rpc(&self, i: usize) -> String {
        self.hub()["nodes"][i]["rpc"].as_str().unwrap().to_owned()
    }
    fn pid(&self, i: usize) -> u32 {
        self.hub()["nodes"][i]["pid"].as_u64().unwrap() as u32
    }
    /// Heights of every hub node (`None`: its RPC does not answer).
    fn heights(&self) -> Vec<Option<u64>> {
        self.rpcs().iter().map(|r| height(r).ok()).collect()
    }
    fn max_height(&self) -> u64 {
        self.heights().into_iter().flatten().max().unwrap_or(0)
    }
    /// Waits until node `i` is at or past `target`.
    fn wait_node_at(&self, i: usize, target: u64, why: &str) {
        let rpc = self.rpc(i);
        wait_for(
            &format!("node{i} to reach height {target} ({why})"),
            Duration::from_secs(120),
            || Ok((height(&rpc)? >= target).then_some(())),
        )
        .unwrap();
    }
    /// Waits until the nodes other than `out` commit `blocks` more blocks.
    fn wait_others_advance(&self, out: &[usize], blocks: u64, why: &str) -> u64 {
        let others: Vec<usize> = (0..VALIDATORS).filter(|i| !out.contains(i)).collect();
        let start = height(&self.rpc(others[0])).unwrap();
        for i in others {
            self.wait_node_at(i, start + blocks, why);
        }
        start + blocks
    }
    /// Starts `hubd start` of node `i` again inside its namespace; records the pid.
    fn restart_node(&self, i: usize) {
        let node = &self.hub()["nodes"][i];
        let home = node["home"].as_str().unwrap().to_owned();
        let ns = node["netns"]["name"].as_str().unwrap().to_owned();
        let hubd = bin("hubd");
        let pid = spawn_group(
            Command::new("ip")
                .args(["netns", "exec", &ns])
                .arg(&hubd)
                .args(["start", "--home", &home]),
            &Path::new(&home).join("hubd.log"),
        );
        self.local
            .record_pid(&["chains", "0", "nodes", &i.to_string(), "pid"], pid);
    }
    fn hermes_pid(&self) -> u32 {
        self.state()["relayer"]["pid"].as_u64().unwrap() as u32
    }
    fn restart_hermes(&self) {
        let relayer = self.state()["relayer"].clone();
        let home = PathBuf::from(relayer["home"].as_str().unwrap());
        let pid = spawn_group(
            Command::new(relayer["program"].as_str().unwrap())
                .arg("--config")
                .arg(home.join("config.toml"))
                .arg("start"),
            &home.join("hermes.log"),
        );
        self.local.record_pid(&["relayer", "pid"], pid);
    }
    /// A query through a chain's CLI against its node0, as JSON.
    fn query(&self, chain: &Value, args: &[&str]) -> Value {
        run_json(
            Command::new(chain["binary"].as_str().unwrap())
                .args(args)
                .args(["--node", chain["nodes"][0]["rpc"].as_str().unwrap()])
                .args(["--output", "json"]),
        )
    }
    /// How many packets `chain` sent on `channel` and still holds commitments of.
    fn pending(&self, chain: &Value, channel: &str) -> usize {
        let v = self.query(
            chain,
            &[
                "query",
                "ibc",
                "channel",
                "packet-commitments",
                "transfer",
                channel,
            ],
        );
        v["commitments"].as_array().map_or(0, Vec::len)
    }
}

/// `splitmix64`: a small deterministic generator, so that a seed replays the same run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Kill,
    Stop,
    Isolate,
    Split,
    Hermes,
}

/// Runs `localnet load` in a loop on its own thread (bank sends to node0, from the faucet)
/// until `chaos.stop` is set; returns each run's JSON report or its output if it failed.
fn start_bank_load(
    chaos: &Chaos,
    record: &Path,
) -> std::thread::JoinHandle<Vec<Result<Value, String>>> {
    let (flag, loads, record) = (chaos.stop.clone(), chaos.loads.clone(), record.to_owned());
    let mut cmd = chaos.local.command();
    cmd.args([
        "load",
        "--txs",
        "20",
        "--accounts",
        "2",
        "--submit-to",
        "node0",
    ])
    .args(["--idle-timeout", "120", "--output", "json", "--record"])
    .arg(&record);
    std::thread::spawn(move || {
        let mut runs = Vec::new();
        while !flag.load(Ordering::SeqCst) {
            let child = cmd
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            loads.lock().unwrap().push(child.id());
            let pid = child.id();
            let out = child.wait_with_output().unwrap();
            loads.lock().unwrap().retain(|p| *p != pid);
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            runs.push(match out.status.success() {
                true => serde_json::from_str(stdout.trim()).map_err(|e| format!("{e}: {stdout}")),
                false => Err(format!(
                    "{stdout}{}",
                    String::from_utf8_lossy(&out.stderr).trim()
                )),
            });
            // Pacing: the machine also runs four validators, a spoke and Hermes.
            std::thread::sleep(Duration::from_millis(500));
        }
        runs
    })
}

/// What happened, for the summary.
#[derive(Default)]
struct Log {
    lines: Vec<String>,
}

impl Log {
    fn say(&mut self, line: String) {
        println!("chaos: {line}");
        self.lines.push(line);
    }
}

#[test]
fn validators_in_namespaces_survive_kills_stops_partitions_and_a_relayer_restart() {
    if let Err(why) = Network::permitted() {
        println!(
            "chaos: SKIPPED (passes vacuously): cannot create network namespaces ({why}); run as root or with CAP_NET_ADMIN"
        );
        return;
    }
    if let Err(why) = sh("nft", &["--version"], None) {
        panic!(
            "nftables cuts the network here and is missing ({why}): scripts/setup.sh installs it"
        );
    }
    let seed: u64 = std::env::var("CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let rounds: usize = std::env::var("CHAOS_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let started = Instant::now();
    let mut log = Log::default();
    log.say(format!("seed {seed}, {rounds} round(s)"));

    let net = Network::create(VALIDATORS);
    let (port, netns) = (BASE_PORT.to_string(), net.netns_args());
    let mut args = vec![
        "--validators",
        "4",
        "--spokes",
        "1",
        "--no-upgrade-channels",
    ];
    args.extend(["--base-port", &port]);
    args.extend(netns.iter().map(String::as_str));
    let chaos = Chaos {
        local: Localnet::up("chaos", &args),
        loads: Arc::new(Mutex::new(Vec::new())),
        stop: Arc::new(AtomicBool::new(false)),
        net,
    };
    log.say(format!(
        "up in {} s: hub validators at {}",
        started.elapsed().as_secs(),
        chaos.rpcs().join(" ")
    ));
    let rpcs = chaos.rpcs();
    let paths = chaos.state()["relayer"]["paths"][0].clone();
    let hub_channel = paths["a"]["channel"].as_str().unwrap().to_owned();
    let spoke_channel = paths["b"]["channel"].as_str().unwrap().to_owned();
    assert_eq!(paths["a"]["chain_id"], chaos.hub()["chain_id"], "{paths}");

    let records = chaos.local.dir.path().join("committed-txs");
    let bank = start_bank_load(&chaos, &records);
    let mut ibc_runs: Vec<Value> = Vec::new();
    // Rounds that sent spoke → hub transfers (BACK_TRANSFERS + 1 timing out each).
    let mut back_runs = 0u64;
    let mut rng = Rng(seed);
    for round in 1..=rounds {
        let mut faults = [
            Fault::Kill,
            Fault::Stop,
            Fault::Isolate,
            Fault::Split,
            Fault::Hermes,
        ];
        rng.shuffle(&mut faults);
        for fault in faults {
            // Validator 0 serves the load and Hermes: never the victim.
            let victim = 1 + rng.below(VALIDATORS - 1);
            let at = chaos.max_height();
            match fault {
                Fault::Kill => {
                    let pid = chaos.pid(victim);
                    kill_group(pid, "KILL");
                    wait_for("the killed node to die", Duration::from_secs(10), || {
                        Ok((!alive(pid)).then_some(()))
                    })
                    .unwrap();
                    let reached = chaos.wait_others_advance(&[victim], BLOCKS_WHILE_OUT, "kill");
                    chaos.restart_node(victim);
                    chaos.wait_node_at(victim, reached, "restarted after kill -9");
                    log.say(format!(
                        "round {round}: kill -9 node{victim} at height {at}, restarted, caught up to {reached}"
                    ));
                }
                Fault::Stop => {
                    let pid = chaos.pid(victim);
                    kill_group(pid, "STOP");
                    let frozen = height(&rpcs[0]).unwrap();
                    let reached = chaos.wait_others_advance(&[victim], BLOCKS_WHILE_OUT, "stop");
                    kill_group(pid, "CONT");
                    chaos.wait_node_at(victim, reached, "continued after SIGSTOP");
                    log.say(format!(
                        "round {round}: SIGSTOP node{victim} at height {frozen} while the others committed to {reached}, SIGCONT, caught up"
                    ));
                }
                Fault::Isolate => {
                    let others: Vec<usize> = (0..VALIDATORS).filter(|i| *i != victim).collect();
                    chaos.net.cut(&[victim], &others);
                    let cut_at = height(&rpcs[victim]).unwrap();
                    let reached = chaos.wait_others_advance(&[victim], BLOCKS_WHILE_OUT, "isolate");
                    // Cut off from 3/4 of the power it may finish the block it was in, no more.
                    let alone = height(&rpcs[victim]).unwrap();
                    assert!(
                        alone <= cut_at + 1,
                        "node{victim}, cut off at height {cut_at}, reached {alone} on its own"
                    );
                    chaos.net.heal();
                    chaos.wait_node_at(victim, reached, "healed after isolation");
                    log.say(format!(
                        "round {round}: isolated node{victim} at height {cut_at} (stayed at {alone}) while the others reached {reached}, healed, caught up"
                    ));
                }
                Fault::Split => {
                    let (a, b) = ([0, victim], {
                        let rest: Vec<usize> = (1..VALIDATORS).filter(|i| *i != victim).collect();
                        [rest[0], rest[1]]
                    });
                    chaos.net.cut(&a, &b);
                    // Settle: a block in flight may still commit; then no more.
                    let mut last = (chaos.max_height(), Instant::now());
                    let halted = wait_for(
                        "the split chain to stop committing",
                        Duration::from_secs(60),
                        || {
                            let h = chaos.max_height();
                            if h != last.0 {
                                last = (h, Instant::now());
                            }
                            Ok((last.1.elapsed() > Duration::from_secs(4)).then_some(h))
                        },
                    )
                    .unwrap();
                    let watch = Instant::now();
                    while watch.elapsed() < HALT_WINDOW {
                        let h = chaos.max_height();
                        assert_eq!(
                            h, halted,
                            "split {a:?} | {b:?}: a block was committed without 2/3 of the power"
                        );
                        std::thread::sleep(Duration::from_millis(250));
                    }
                    chaos.net.heal();
                    for i in 0..VALIDATORS {
                        chaos.wait_node_at(i, halted + 2, "resumed after the split healed");
                    }
                    log.say(format!(
                        "round {round}: split {a:?} | {b:?} at height {at}: halted at {halted} for {} s, healed, resumed",
                        HALT_WINDOW.as_secs() + 4
                    ));
                }
                Fault::Hermes => {
                    let out = chaos
                        .local
                        .dir
                        .path()
                        .join(format!("ibc-load-{round}.json"));
                    let mut load = chaos.local.command();
                    load.args(["load", "--ibc", "--txs", "30", "--accounts", "2"])
                        .args(["--funder", "validator0", "--submit-to", "node0"])
                        .args(["--idle-timeout", "180", "--output", "json", "--record"])
                        .arg(&records);
                    let pid = spawn_group(&mut load, &out);
                    chaos.loads.lock().unwrap().push(pid);
                    let in_flight = wait_for(
                        "transfers in flight on the hub",
                        Duration::from_secs(120),
                        || {
                            let n = chaos.pending(&chaos.hub(), &hub_channel);
                            Ok((n > 0).then_some(n))
                        },
                    )
                    .unwrap();
                    let hermes = chaos.hermes_pid();
                    kill_group(hermes, "KILL");
                    wait_for("Hermes to die", Duration::from_secs(10), || {
                        Ok((!alive(hermes)).then_some(()))
                    })
                    .unwrap();
                    // The other way, while no relayer runs: two transfers spoke → hub, and one
                    // whose timeout height on the hub passes before Hermes is back.
                    let spoke = chaos.spoke();
                    let to = chaos.hub()["faucet"]["address"]
                        .as_str()
                        .unwrap()
                        .to_owned();
                    let coin = format!("{BACK_AMOUNT}{}", spoke["denom"].as_str().unwrap());
                    for _ in 0..BACK_TRANSFERS {
                        spoke_transfer(&spoke, &spoke_channel, &to, &coin, &[]);
                    }
                    let timeout_height = height(&rpcs[0]).unwrap() + 3;
                    spoke_transfer(
                        &spoke,
                        &spoke_channel,
                        &to,
                        &coin,
                        &[
                            "--absolute-timeouts",
                            "--packet-timeout-height",
                            &format!("1-{timeout_height}"),
                            "--packet-timeout-timestamp",
                            "0",
                        ],
                    );
                    let down_to = chaos.wait_others_advance(&[], 3, "hermes down");
                    chaos.wait_node_at(0, timeout_height + 2, "the timeout height to pass");
                    chaos.restart_hermes();
                    wait_for(
                        "the IBC load to see every packet acknowledged",
                        Duration::from_secs(300),
                        || Ok((!alive(pid)).then_some(())),
                    )
                    .unwrap();
                    chaos.loads.lock().unwrap().retain(|p| *p != pid);
                    let text = std::fs::read_to_string(&out).unwrap();
                    let report: Value = text
                        .lines()
                        .rev()
                        .find_map(|l| serde_json::from_str(l).ok())
                        .unwrap_or_else(|| panic!("the IBC load failed:\n{text}"));
                    assert_eq!(
                        report["packets_acknowledged"], report["packets_sent"],
                        "{report}"
                    );
                    log.say(format!(
                        "round {round}: killed Hermes with {in_flight} packets in flight at height {at}, restarted at {down_to}; {} of {} acknowledged",
                        report["packets_acknowledged"], report["packets_sent"]
                    ));
                    wait_for(
                        "the spoke's transfers to be acknowledged or timed out",
                        Duration::from_secs(180),
                        || Ok((chaos.pending(&spoke, &spoke_channel) == 0).then_some(())),
                    )
                    .unwrap();
                    ibc_runs.push(report);
                    back_runs += 1;
                }
            }
        }
    }

    chaos.stop.store(true, Ordering::SeqCst);
    let runs = bank.join().unwrap();
    let bank_committed: u64 = runs
        .iter()
        .map(|r| match r {
            Ok(v) => v["committed"].as_u64().unwrap(),
            Err(e) => panic!("a bank load failed under the faults:\n{e}"),
        })
        .sum();
    assert!(!runs.is_empty() && bank_committed > 0, "no bank load ran");

    // Every node agrees on every block and every app hash.
    let top = chaos.max_height();
    for i in 0..VALIDATORS {
        chaos.wait_node_at(i, top, "final agreement");
    }
    assert_same_app_hashes(&rpcs, 1..=top);
    let reference = block_hashes(&rpcs[0], 1..=top).unwrap();
    assert_eq!(reference.len() as u64, top);
    for rpc in &rpcs[1..] {
        assert_eq!(
            block_hashes(rpc, 1..=top).unwrap(),
            reference,
            "{rpc} forked"
        );
    }

    // Packets, both ways: sent once each, received at most once, acknowledged or timed out
    // exactly once, no commitment left.
    let hub = chaos.hub();
    let spoke = chaos.spoke();
    let spoke_rpc = spoke["nodes"][0]["rpc"].as_str().unwrap().to_owned();
    let spoke_top = height(&spoke_rpc).unwrap();
    let out = packets(
        (&rpcs[0], top, &hub_channel),
        (&spoke_rpc, spoke_top, &spoke_channel),
    );
    let reported: u64 = ibc_runs
        .iter()
        .map(|r| r["packets_sent"].as_u64().unwrap())
        .sum();
    assert_eq!(
        out.sent, reported,
        "hub send_packet events vs the loads' reports"
    );
    assert_eq!(
        chaos.pending(&hub, &hub_channel),
        0,
        "commitments left on the hub"
    );
    let back = packets(
        (&spoke_rpc, spoke_top, &spoke_channel),
        (&rpcs[0], top, &hub_channel),
    );
    assert_eq!(back.sent, back_runs * (BACK_TRANSFERS + 1), "{back:?}");
    assert_eq!(back.timed_out, back_runs, "{back:?}");
    assert_eq!(back.acked, back_runs * BACK_TRANSFERS, "{back:?}");
    assert_eq!(
        chaos.pending(&spoke, &spoke_channel),
        0,
        "commitments left on the spoke"
    );

    // Escrow = vouchers on the other side, both ways.
    let escrowed = escrow_vs_vouchers(&chaos, (&hub, &hub_channel), (&spoke, &spoke_channel));
    assert_eq!(
        escrowed,
        u128::from(out.acked),
        "every acknowledged transfer moved 1 unit"
    );
    let escrowed_back = escrow_vs_vouchers(&chaos, (&spoke, &spoke_channel), (&hub, &hub_channel));
    assert_eq!(
        escrowed_back,
        BACK_AMOUNT * u128::from(back.acked),
        "the spoke's escrow holds exactly its acknowledged transfers (the timed-out one refunded)"
    );

    // No committed tx lost: each hash the loads saw committed is found in a block.
    let hashes = std::fs::read_to_string(&records).unwrap();
    let hashes: Vec<&str> = hashes.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(
        hashes.len() as u64,
        bank_committed + reported,
        "the recorded hashes vs the committed txs the loads reported"
    );
    let distinct: std::collections::BTreeSet<&str> = hashes.iter().copied().collect();
    assert_eq!(distinct.len(), hashes.len(), "a tx recorded twice");
    for hash in &hashes {
        let tx = rpc(&rpcs[0], &format!("tx?hash=0x{hash}"))
            .unwrap_or_else(|e| panic!("committed tx {hash} not found: {e}"));
        assert_eq!(tx["tx_result"]["code"].as_u64().unwrap_or(0), 0, "{tx}");
        let at: u64 = tx["height"].as_str().unwrap().parse().unwrap();
        assert!(
            (1..=chaos.max_height()).contains(&at),
            "{hash} at height {at}"
        );
    }

    println!("\n=== chaos summary (seed {seed}, {rounds} round(s)) ===");
    for line in &log.lines {
        println!("  {line}");
    }
    println!("  heights:      hub 1..={top} on {VALIDATORS} validators, same app and block hashes; spoke at {spoke_top}");
    println!(
        "  packets:      hub -> spoke {} sent, {} received, {} acknowledged, {} timed out; spoke -> hub {} sent, {} received, {} acknowledged, {} timed out; 0 left",
        out.sent, out.received, out.acked, out.timed_out, back.sent, back.received, back.acked, back.timed_out
    );
    println!("  escrow:       hub {escrowed} = vouchers on the spoke; spoke {escrowed_back} = vouchers on the hub");
    println!(
        "  txs:          {} committed and found by hash ({} bank sends in {} load runs)",
        hashes.len(),
        bank_committed,
        runs.len()
    );
    println!("  result:       PASS in {} s", started.elapsed().as_secs());
}

/// Packet counts of one direction of a channel.
#[derive(Debug)]
struct Packets {
    sent: u64,
    received: u64,
    acked: u64,
    timed_out: u64,
}

/// Reads every packet `src` (rpc, top height, channel) sent to `dst` from both chains' blocks
/// and asserts: each sequence sent once; each acknowledged or timed out exactly once; received
/// at most once, exactly once if acknowledged and never if timed out; nothing completed that
/// was not sent.
fn packets(src: (&str, u64, &str), dst: (&str, u64, &str)) -> Packets {
    let (src_rpc, src_top, src_channel) = src;
    let (dst_rpc, dst_top, dst_channel) = dst;
    let on_src = |kind| packet_events(src_rpc, src_top, kind, "packet_src_channel", src_channel);
    let (sent, acked, timed_out) = (
        on_src("send_packet"),
        on_src("acknowledge_packet"),
        on_src("timeout_packet"),
    );
    let received = packet_events(
        dst_rpc,
        dst_top,
        "recv_packet",
        "packet_dst_channel",
        dst_channel,
    );
    let label = format!("{src_channel} -> {dst_channel}");
    for (seq, n) in &sent {
        assert_eq!(*n, 1, "{label}: packet {seq} sent {n} times");
        let (a, t, r) = (
            acked.get(seq).copied().unwrap_or(0),
            timed_out.get(seq).copied().unwrap_or(0),
            received.get(seq).copied().unwrap_or(0),
        );
        assert_eq!(a + t, 1, "{label}: packet {seq}: {a} acks, {t} timeouts");
        assert!(
            r <= 1 && (a == 0 || r == 1) && (t == 0 || r == 0),
            "{label}: packet {seq} received {r} times, {a} acks, {t} timeouts"
        );
    }
    for seq in acked.keys().chain(timed_out.keys()).chain(received.keys()) {
        assert!(
            sent.contains_key(seq),
            "{label}: packet {seq} completed but never sent"
        );
    }
    let count = |m: &BTreeMap<u64, u64>| m.len() as u64;
    Packets {
        sent: count(&sent),
        received: count(&received),
        acked: count(&acked),
        timed_out: count(&timed_out),
    }
}

/// Asserts that the escrow of `near`'s `channel` holds exactly the supply, on `far`, of the
/// voucher of `near`'s denom over `far_channel`; returns the amount.
fn escrow_vs_vouchers(chaos: &Chaos, near: (&Value, &str), far: (&Value, &str)) -> u128 {
    let (chain, channel) = near;
    let (far_chain, far_channel) = far;
    let denom = chain["denom"].as_str().unwrap();
    let args = [
        "query",
        "ibc-transfer",
        "escrow-address",
        "transfer",
        channel,
    ];
    let escrow = chaos.query(chain, &args)["escrow_address"]
        .as_str()
        .unwrap()
        .to_owned();
    let escrowed = amount(&chaos.query(chain, &["query", "bank", "balance", &escrow, denom]));
    let voucher = voucher(&format!("transfer/{far_channel}/{denom}"));
    let supply = amount(&chaos.query(far_chain, &["query", "bank", "supply-of", &voucher]));
    assert_eq!(
        escrowed, supply,
        "escrow {escrow} of {denom} vs the supply of {voucher} on {}",
        far_chain["chain_id"]
    );
    escrowed
}

/// An ICS-20 transfer from the spoke's faucet through its CLI, which waits for the commit.
fn spoke_transfer(spoke: &Value, channel: &str, receiver: &str, coin: &str, extra: &[&str]) {
    let sent = run_json(
        Command::new(spoke["binary"].as_str().unwrap())
            .args(transfer_args(channel, receiver, coin))
            .args(extra)
            .args(["--from", "faucet", "--home"])
            .arg(spoke["faucet"]["home"].as_str().unwrap())
            .args(["--node", spoke["nodes"][0]["rpc"].as_str().unwrap()])
            .args(["--chain-id", spoke["chain_id"].as_str().unwrap()])
            .args(["--output", "json"]),
    );
    assert_eq!(sent["code"], 0, "{sent}");
}

/// How many times each packet sequence appears in a successful tx's `kind` event whose `attr`
/// is `channel`, over blocks 1..=top of the node at `rpc_url`.
fn packet_events(
    rpc_url: &str,
    top: u64,
    kind: &str,
    attr: &str,
    channel: &str,
) -> BTreeMap<u64, u64> {
    let mut seen = BTreeMap::new();
    for h in 1..=top {
        let r = rpc(rpc_url, &format!("block_results?height={h}")).unwrap();
        for tx in r["txs_results"].as_array().into_iter().flatten() {
            if tx["code"].as_u64().unwrap_or(0) != 0 {
                continue;
            }
            for e in tx["events"].as_array().into_iter().flatten() {
                if e["type"] != kind {
                    continue;
                }
                let attrs = e["attributes"].as_array().unwrap();
                let get = |key: &str| {
                    attrs
                        .iter()
                        .find(|a| a["key"] == key)
                        .and_then(|a| a["value"].as_str())
                };
                if get(attr) == Some(channel) {
                    let seq: u64 = get("packet_sequence").unwrap().parse().unwrap();
                    *seen.entry(seq).or_default() += 1;
                }
            }
        }
    }
    seen
}

/// The amount of a `{ "balance" | "amount": { "amount": "…" } }` query answer.
fn amount(v: &Value) -> u128 {
    let coin = if v["balance"].is_object() {
        &v["balance"]
    } else {
        &v["amount"]
    };
    coin["amount"]
        .as_str()
        .unwrap_or_else(|| panic!("no amount in {v}"))
        .parse()
        .unwrap()
}

/// The voucher denom of an ICS-20 trace `port/channel/base`.
fn voucher(trace: &str) -> String {
    use sha2::Digest as _;
    format!(
        "ibc/{}",
        hex::encode_upper(sha2::Sha256::digest(trace.as_bytes()))
    )
}
