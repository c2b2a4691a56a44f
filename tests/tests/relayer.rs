//! A 4-validator hub and two spokes on real CometBFT, relayed by the unmodified Hermes
//! relayer, driven by `localnet`, `hubd`, `spoked` and `hermes`.
//!
//! One network serves every scenario in order, because bringing it up (three chains, two
//! handshakes) dominates the cost: channel creation with the hub as chain A and as chain B,
//! the ICS-20 round trip, `hermes health-check`, a timeout with Hermes down, an ORDERED
//! channel, Hermes killed with packets pending on ordered and unordered channels, a hub
//! validator SIGKILLed while packets are relayed, and the hub's client of a spoke outliving
//! one trusting period because Hermes refreshes it.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_e2e::*;
use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};

/// Trusting period of every client in this network: short, so that the test outlives it, but
/// longer than `localnet up` takes to open its four channels before `hermes start` (the first
/// client is not refreshed until then).
const TRUSTING_PERIOD_S: u64 = 300;

/// The network of every scenario, and when it came up (the trusting period runs from then).
struct Net {
    local: Localnet,
    started: Instant,
}

impl std::ops::Deref for Net {
    type Target = Localnet;
    fn deref(&self) -> &Localnet {
        &self.local
    }
}

impl Net {
    /// `base_port` stays below the ephemeral range (32768), which outgoing connections use.
    fn up(base_port: u16) -> Self {
        let started = Instant::now();
        let (port, trusting) = (base_port.to_string(), format!("{TRUSTING_PERIOD_S}s"));
        let args = ["--validators", "4", "--spokes", "2", "--base-port", &port];
        let local = Localnet::up(
            "relayer-e2e",
            &[&args[..], &["--trusting-period", &trusting]].concat(),
        );
        Net { local, started }
    }
    fn chain(&self, k: usize) -> Chain {
        Chain(self.chain_state(k))
    }
    /// The configuration of `hermes start` (signs as the relayer account).
    fn hermes_config(&self) -> String {
        self.hermes_file("config.toml")
    }
    /// The configuration of one-off commands (signs as the operator account, so a command
    /// run while `hermes start` relays never races it for one account's sequence).
    fn hermes_cli_config(&self) -> String {
        self.hermes_file("cli.toml")
    }
    fn hermes_file(&self, name: &str) -> String {
        self.dir
            .path()
            .join("hermes")
            .join(name)
            .to_str()
            .unwrap()
            .to_owned()
    }
    fn hermes(&self, args: &[&str]) -> String {
        run_ok(
            Command::new(hermes_bin())
                .args(["--config", &self.hermes_cli_config()])
                .args(args),
        )
    }
    fn hermes_pid(&self) -> u32 {
        self.state()["relayer"]["pid"].as_u64().unwrap() as u32
    }
    /// Stops `hermes start` (SIGKILL to its process group).
    fn kill_hermes(&self) {
        let pid = self.hermes_pid();
        kill_group(pid, "KILL");
        wait_for("hermes to die", Duration::from_secs(10), || {
            Ok((!alive(pid)).then_some(()))
        })
        .unwrap();
    }
    /// Starts `hermes start` again and records its pid for `localnet down`.
    fn restart_hermes(&self) {
        let log = self.dir.path().join("hermes/hermes.log");
        let pid = spawn_group(
            Command::new(hermes_bin()).args(["--config", &self.hermes_config(), "start"]),
            &log,
        );
        self.record_pid(&["relayer", "pid"], pid);
    }
    /// The OPEN channel end on chain `near` of the newest `port` channel towards chain `far`.
    /// Only OPEN ends count: while a one-off `hermes create channel` runs, `hermes start` may
    /// answer the same ChanOpenInit with a second ChanOpenTry, leaving a stray TRYOPEN end.
    fn channel(&self, near: &Chain, far: &Chain, port: &str) -> String {
        self.open_channels(near, far, port)
            .last()
            .map(|c| c["channel_id"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("no open {port} channel from {} to {}", near.id(), far.id()))
    }
    /// The OPEN channel end on `near` whose counterparty is `far`'s channel `far_channel`.
    fn counterparty_channel(
        &self,
        near: &Chain,
        far: &Chain,
        port: &str,
        far_channel: &str,
    ) -> String {
        self.open_channels(near, far, port)
            .into_iter()
            .find(|c| c["counterparty"]["channel_id"] == far_channel)
            .map(|c| c["channel_id"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| {
                panic!(
                    "no open {port} channel on {} facing {far_channel} on {}",
                    near.id(),
                    far.id()
                )
            })
    }
    /// The OPEN `port` channel ends on `near` whose client tracks `far`, in listing order.
    fn open_channels(&self, near: &Chain, far: &Chain, port: &str) -> Vec<Value> {
        let channels = near.query(&["query", "ibc", "channel", "channels"]);
        channels["channels"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| {
                c["port_id"] == port && c["state"] == "STATE_OPEN" && {
                    let conn = near.query(&[
                        "query",
                        "ibc",
                        "connection",
                        "end",
                        c["connection_hops"][0].as_str().unwrap(),
                    ]);
                    let client = conn["connection"]["client_id"].as_str().unwrap().to_owned();
                    let cs = near.query(&["query", "ibc", "client", "state", &client]);
                    cs.to_string().contains(&format!("\"{}\"", far.id()))
                }
            })
            .cloned()
            .collect()
    }
}

/// One chain of the localnet, as `localnet.json` describes it.
struct Chain(Value);

impl Chain {
    fn id(&self) -> &str {
        self.0["chain_id"].as_str().unwrap()
    }
    fn binary(&self) -> String {
        self.0["binary"].as_str().unwrap().to_owned()
    }
    fn rpc(&self, i: usize) -> String {
        self.0["nodes"][i]["rpc"].as_str().unwrap().to_owned()
    }
    fn rpcs(&self) -> Vec<String> {
        (0..self.0["nodes"].as_array().unwrap().len())
            .map(|i| self.rpc(i))
            .collect()
    }
    fn denom(&self) -> &str {
        self.0["denom"].as_str().unwrap()
    }
    fn faucet(&self) -> String {
        self.0["faucet"]["address"].as_str().unwrap().to_owned()
    }
    fn faucet_home(&self) -> String {
        self.0["faucet"]["home"].as_str().unwrap().to_owned()
    }
    /// A query through node0's CLI, as JSON.
    fn query(&self, args: &[&str]) -> Value {
        let out = run_ok(Command::new(self.binary()).args(args).args([
            "--node",
            &self.rpc(0),
            "--output",
            "json",
        ]));
        serde_json::from_str(out.trim()).unwrap()
    }
    fn balance(&self, address: &str, denom: &str) -> u128 {
        let v = self.query(&["query", "bank", "balance", address, denom]);
        v["balance"]["amount"].as_str().unwrap().parse().unwrap()
    }
    /// A tx from the faucet through node0's CLI; returns the JSON result.
    fn tx(&self, args: &[&str]) -> Value {
        let out = run_ok(Command::new(self.binary()).args(args).args([
            "--from",
            "faucet",
            "--home",
            &self.faucet_home(),
            "--node",
            &self.rpc(0),
            "--chain-id",
            self.id(),
            "--output",
            "json",
        ]));
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["code"], 0, "{v}");
        v
    }
    fn transfer(&self, channel: &str, receiver: &str, coin: &str, extra: &[&str]) -> Value {
        let mut args = transfer_args(channel, receiver, coin).to_vec();
        args.extend_from_slice(extra);
        self.tx(&args)
    }
    /// Sequences of packets this chain sent on `port/channel` and not yet acknowledged or
    /// timed out.
    fn pending(&self, port: &str, channel: &str) -> Vec<u64> {
        let v = self.query(&[
            "query",
            "ibc",
            "channel",
            "packet-commitments",
            port,
            channel,
        ]);
        v["commitments"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|c| c["sequence"].as_str().unwrap().parse().unwrap())
                    .collect()
            })
            .unwrap_or_default()
    }
    fn height(&self) -> u64 {
        height(&self.rpc(0)).unwrap()
    }
}

/// Asserts that the next sequence `chain` expects on its `ping` channel is `want`.
fn assert_next_recv(chain: &Chain, channel: &str, want: &str) {
    let args = [
        "query",
        "ibc",
        "channel",
        "next-sequence-receive",
        "ping",
        channel,
    ];
    let next = chain.query(&args);
    assert_eq!(next["next_sequence_receive"], want, "{next}");
}

fn hermes_bin() -> String {
    std::env::var("HERMES").unwrap_or_else(|_| "hermes".into())
}

fn voucher(trace: &str) -> String {
    use sha2::Digest as _;
    format!(
        "ibc/{}",
        hex::encode_upper(sha2::Sha256::digest(trace.as_bytes()))
    )
}

/// Waits until `port`/`channel` of `chain` has no pending packet. If Hermes has not settled
/// it within 90 s (Hermes 1.11 sometimes spawns no packet worker for a channel when it
/// restarts), runs `hermes clear packets` on it once and waits again; the checks that follow
/// (refunded or delivered exactly once) are the same either way.
fn wait_settled(net: &Net, chain: &Chain, port: &str, channel: &str, what: &str) {
    let settled = || Ok(chain.pending(port, channel).is_empty().then_some(()));
    if wait_for(what, Duration::from_secs(90), settled).is_ok() {
        return;
    }
    eprintln!("{what}: not settled by Hermes after 90 s; running `hermes clear packets`");
    net.hermes(&[
        "clear",
        "packets",
        "--chain",
        chain.id(),
        "--port",
        port,
        "--channel",
        channel,
    ]);
    wait_for(what, Duration::from_secs(120), settled).unwrap();
}

#[test]
fn hermes_relays_transfers_timeouts_and_ordered_packets_between_the_hub_and_two_spokes() {
    let net = Net::up(20600);
    let (hub, a, b) = (net.chain(0), net.chain(1), net.chain(2));

    // Hermes opened hub(A)<->spoke-a(B) and spoke-b(A)<->hub(B): both ends are OPEN.
    let paths = net.state()["relayer"]["paths"].clone();
    assert_eq!(paths[0]["a"]["chain_id"], hub.id());
    assert_eq!(paths[1]["b"]["chain_id"], hub.id());
    for path in paths.as_array().unwrap() {
        for side in ["a", "b"] {
            let end = &path[side];
            let chain = if end["chain_id"] == hub.id() {
                &hub
            } else if end["chain_id"] == a.id() {
                &a
            } else {
                &b
            };
            let ch = chain.query(&[
                "query",
                "ibc",
                "channel",
                "end",
                "transfer",
                end["channel"].as_str().unwrap(),
            ]);
            assert_eq!(ch["channel"]["state"], "STATE_OPEN", "{ch}");
        }
    }

    // The ICS-20 round trip; the demo checks every balance, escrow and voucher exactly (the
    // upgrade story has its own test, tests/upgrade.rs).
    let demo = net.localnet(&["demo", "--no-upgrade", "--no-router"]);
    assert!(demo.contains("round trip complete"), "{demo}");

    // Hermes's health check finds nothing wrong with any chain.
    let health =
        run(Command::new(hermes_bin()).args(["--config", &net.hermes_config(), "health-check"]));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&health.stdout),
        String::from_utf8_lossy(&health.stderr)
    );
    assert!(health.status.success(), "{text}");
    for bad in ["ERROR", "WARN", "not healthy"] {
        assert!(!text.contains(bad), "health-check reports {bad}:\n{text}");
    }

    // A burst of 300 ICS-20 transfers from 10 accounts: every ack is back within 30 hub blocks
    // of its send (Hermes's periodic clearing runs every 100), and no tx failed on either chain
    // (counted from `block_results`, not from Hermes's log): each of Hermes's split batches
    // lands, none waits for the clearing.
    let burst: Value = serde_json::from_str(&net.localnet(&[
        "load",
        "--ibc",
        "--txs",
        "300",
        "--accounts",
        "10",
        "--output",
        "json",
    ]))
    .unwrap();
    assert_eq!(burst["packets_sent"], 300, "{burst}");
    assert_eq!(burst["packets_acknowledged"], 300, "{burst}");
    assert_eq!(burst["failed_txs_total"], 0, "{burst}");
    let slowest = burst["send_to_ack_blocks"]["max"].as_f64().unwrap();
    assert!(slowest <= 30.0, "an ack took {slowest} hub blocks: {burst}");

    let hub_to_a = net.channel(&hub, &a, "transfer");
    let a_to_hub = net.counterparty_channel(&a, &hub, "transfer", &hub_to_a);
    let hub_voucher_on_a = voucher(&format!("transfer/{a_to_hub}/{}", hub.denom()));

    // Forwarding through the hub: spoke-a → hub → spoke-b with a packet-forward-middleware
    // memo. Hermes relays both hops and the hub's deferred acknowledgement back to spoke-a;
    // spoke-b's voucher carries the full path.
    let hub_to_b = net.channel(&hub, &b, "transfer");
    let b_from_hub = net.counterparty_channel(&b, &hub, "transfer", &hub_to_b);
    let memo = format!(
        r#"{{"forward":{{"receiver":"{}","port":"transfer","channel":"{hub_to_b}"}}}}"#,
        b.faucet()
    );
    let on_b = voucher(&format!(
        "transfer/{b_from_hub}/transfer/{hub_to_a}/{}",
        a.denom()
    ));
    let b_before = b.balance(&b.faucet(), &on_b);
    a.transfer(
        &a_to_hub,
        "pfm",
        &format!("700{}", a.denom()),
        &["--memo", &memo],
    );
    wait_settled(
        &net,
        &a,
        "transfer",
        &a_to_hub,
        "the forwarded transfer to be acknowledged back on spoke-a",
    );
    assert_eq!(b.balance(&b.faucet(), &on_b), b_before + 700);
    assert!(hub.pending("transfer", &hub_to_b).is_empty());
    // Nothing is left in flight on the hub (the generated query of hub.transfer.v1).
    let in_flight = hub.query(&["query", "ibc-transfer", "in-flight-packets"]);
    assert!(
        in_flight["in_flight_packets"]
            .as_array()
            .is_none_or(|a| a.is_empty()),
        "{in_flight}"
    );

    // Timeout: Hermes down, a transfer whose timeout height passes, Hermes back → refunded
    // exactly once (the faucet is down only the fee), nothing minted on spoke-a.
    net.kill_hermes();
    let amount = 5_000u128;
    let coin = format!("{amount}{}", hub.denom());
    let before = hub.balance(&hub.faucet(), hub.denom());
    let a_before = a.balance(&a.faucet(), &hub_voucher_on_a);
    let timeout_height = a.height() + 6;
    let sent = hub.transfer(
        &hub_to_a,
        &a.faucet(),
        &coin,
        &[
            "--absolute-timeouts",
            "--packet-timeout-height",
            &format!("1-{timeout_height}"),
            "--packet-timeout-timestamp",
            "0",
        ],
    );
    let fee: u128 = {
        let after_send = hub.balance(&hub.faucet(), hub.denom());
        before - after_send - amount
    };
    let seq = sent["packet_sequence"].clone();
    wait_for(
        "spoke-a to pass the timeout height",
        Duration::from_secs(60),
        || Ok((a.height() > timeout_height + 1).then_some(())),
    )
    .unwrap();
    net.restart_hermes();
    wait_settled(
        &net,
        &hub,
        "transfer",
        &hub_to_a,
        "the timed-out packet to be cleared",
    );
    assert_eq!(
        hub.balance(&hub.faucet(), hub.denom()),
        before - fee,
        "packet {seq} must be refunded exactly once"
    );
    assert_eq!(a.balance(&a.faucet(), &hub_voucher_on_a), a_before);

    // An ORDERED channel on the ping port (a test application the spokes bind and the hub
    // does not), between the two spokes, relayed in order by Hermes.
    net.hermes(&[
        "create",
        "channel",
        "--a-chain",
        a.id(),
        "--b-chain",
        b.id(),
        "--a-port",
        "ping",
        "--b-port",
        "ping",
        "--order",
        "ordered",
        "--channel-version",
        "ping-1",
        "--new-client-connection",
        "--yes",
    ]);
    let ping_a = net.channel(&a, &b, "ping");
    let ping_b = net.counterparty_channel(&b, &a, "ping", &ping_a);
    for i in 1..=3 {
        a.tx(&["tx", "ping", "send", &ping_a, &format!("hello {i}")]);
    }
    wait_settled(
        &net,
        &a,
        "ping",
        &ping_a,
        "ordered pings to be acknowledged",
    );
    assert_next_recv(&b, &ping_b, "4");

    // Hermes killed with packets pending on both the ordered and the unordered channel, then
    // restarted: clear-on-start delivers each exactly once.
    net.kill_hermes();
    let a_voucher_before = a.balance(&a.faucet(), &hub_voucher_on_a);
    for _ in 0..3 {
        hub.transfer(&hub_to_a, &a.faucet(), &coin, &[]);
        a.tx(&["tx", "ping", "send", &ping_a, "pending"]);
    }
    assert_eq!(hub.pending("transfer", &hub_to_a).len(), 3);
    assert_eq!(a.pending("ping", &ping_a).len(), 3);
    net.restart_hermes();
    wait_settled(
        &net,
        &hub,
        "transfer",
        &hub_to_a,
        "pending transfers to settle",
    );
    wait_settled(&net, &a, "ping", &ping_a, "pending pings to settle");
    assert_eq!(
        a.balance(&a.faucet(), &hub_voucher_on_a),
        a_voucher_before + 3 * amount
    );
    assert_next_recv(&b, &ping_b, "7");

    // `hermes clear packets` with the relayer stopped delivers what is pending.
    net.kill_hermes();
    hub.transfer(&hub_to_a, &a.faucet(), &coin, &[]);
    net.hermes(&[
        "clear",
        "packets",
        "--chain",
        hub.id(),
        "--port",
        "transfer",
        "--channel",
        &hub_to_a,
    ]);
    wait_settled(
        &net,
        &hub,
        "transfer",
        &hub_to_a,
        "`hermes clear packets` to settle",
    );
    assert_eq!(
        a.balance(&a.faucet(), &hub_voucher_on_a),
        a_voucher_before + 4 * amount
    );
    net.restart_hermes();

    // A hub validator SIGKILLed while packets are relayed, then restarted: every packet
    // settles and the validators' app hashes never diverge.
    let victim = net.node(0, 3);
    let home = victim["home"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        hub.transfer(&hub_to_a, &a.faucet(), &coin, &[]);
    }
    kill_group(victim["pid"].as_u64().unwrap() as u32, "KILL");
    for _ in 0..2 {
        hub.transfer(&hub_to_a, &a.faucet(), &coin, &[]);
    }
    let log = std::path::Path::new(&home).join("hubd.log");
    let restarted = spawn_group(
        Command::new(hub.binary()).args(["start", "--home", &home]),
        &log,
    );
    net.record_pid(&["chains", "0", "nodes", "3", "pid"], restarted);
    wait_settled(
        &net,
        &hub,
        "transfer",
        &hub_to_a,
        "transfers to settle after the kill",
    );
    assert_eq!(
        a.balance(&a.faucet(), &hub_voucher_on_a),
        a_voucher_before + 9 * amount
    );
    let rpcs = hub.rpcs();
    let target = hub.height();
    wait_for(
        "the restarted validator to catch up",
        Duration::from_secs(120),
        || Ok((height(&rpcs[3])? >= target).then_some(())),
    )
    .unwrap();
    for h in 1..=target {
        let hashes: Vec<String> = rpcs.iter().map(|r| app_hash_at(r, h).unwrap()).collect();
        assert!(
            hashes.iter().all(|x| x == &hashes[0]),
            "app hashes differ at height {h}: {hashes:?}"
        );
    }

    // The router, through Hermes (last, so that its pause and limit touch nothing above): a
    // forward in one transfer, a transfer queued by a flow limit and released by the hub when
    // the next window opens, a pause propagated to both spokes that lifts by itself (the demo
    // checks each step and fails otherwise).
    let router = net.localnet(&["demo", "--router-only"]);
    // The forward's latency in seconds and blocks (shown with `cargo test -- --nocapture`).
    eprintln!("{router}");
    for step in [
        "received 700",
        "the hub sent the 100 itself",
        "transfer toward the hub is refused: paused",
        "the pause lifted by itself",
    ] {
        assert!(
            router.contains(step),
            "the demo did not show {step:?}:\n{router}"
        );
    }
    // The round trip again, as the main job's demo runs it after the router and the upgrade:
    // with the router's forwards still escrowed on the hub (its checks are relative).
    let again = net.localnet(&["demo", "--no-upgrade", "--no-router"]);
    assert!(again.contains("round trip complete"), "{again}");

    // The hub's client of spoke-a has outlived its trusting period: Hermes kept refreshing it.
    let first = wait_for(
        "one trusting period to pass",
        Duration::from_secs(TRUSTING_PERIOD_S + 60),
        || Ok((net.started.elapsed() > Duration::from_secs(TRUSTING_PERIOD_S + 10)).then_some(())),
    );
    first.unwrap();
    let status: Value =
        serde_json::from_str(&net.localnet(&["status", "--output", "json"])).unwrap();
    let clients = status["chains"][0]["ibc"]["clients"]
        .as_array()
        .unwrap()
        .clone();
    let of_a: Vec<&Value> = clients.iter().filter(|c| c["chain_id"] == a.id()).collect();
    assert!(!of_a.is_empty(), "{status}");
    for c in of_a {
        assert_eq!(c["status"], "Active", "{c}");
        assert!(c["expires_in_s"].as_i64().unwrap() > 0, "{c}");
    }
}
