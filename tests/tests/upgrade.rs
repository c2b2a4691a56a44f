//! The upgrade story end to end over real processes: `localnet up` (a 4-validator hub and two
//! spokes under cosmovisor, Hermes) and `localnet demo`, whose upgrade part submits one gov
//! proposal dispatching plan `v2` to both spokes, votes with 3 of 4 validators, relays the
//! plans over the ORDERED `upgrade` channels, lets each spoke halt and cosmovisor switch it to
//! the checksummed `spoked-v2`, proves each `applied/v2` on the hub, and runs the ICS-20 round
//! trip again over the upgraded spokes.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_e2e::*;
use serde_json::Value;
use std::process::Command;
use std::time::Duration;

/// Ports from 23600 (hub) and 24600, 25600 (spokes): below the ephemeral range, apart from
/// the other tests' networks.
const BASE_PORT: u16 = 23600;
/// The impostor `hub-1` (one node) at 27000: apart from every other test's ports.
const IMPOSTOR_PORT: u16 = 27000;

fn query(chain: &Value, args: &[&str]) -> Value {
    let out = run_ok(
        Command::new(chain["binary"].as_str().unwrap())
            .args(args)
            .args([
                "--node",
                chain["nodes"][0]["rpc"].as_str().unwrap(),
                "--output",
                "json",
            ]),
    );
    serde_json::from_str(out.trim()).unwrap()
}

/// Runs `cmd` for at most `secs` seconds (Hermes retries a refused handshake step for a
/// while); returns whether it exited 0, and its output.
fn run_for(secs: u64, cmd: &mut Command) -> (bool, String) {
    let out = run(Command::new("timeout")
        .arg(secs.to_string())
        .arg(cmd.get_program())
        .args(cmd.get_args()));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The `result` of the last JSON line Hermes printed.
fn hermes_result(stdout: &str) -> Value {
    stdout
        .lines()
        .rev()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find_map(|v| v.get("result").cloned())
        .unwrap_or_else(|| panic!("hermes printed no JSON result:\n{stdout}"))
}

/// `<binary> keys export <key> --home <home>`: a localnet key's mnemonic (test keyring).
fn mnemonic(chain: &Value, key: &str) -> String {
    let out = run_json(
        Command::new(chain["binary"].as_str().unwrap())
            .args(["keys", "export", key, "--home"])
            .arg(chain["nodes"][0]["home"].as_str().unwrap())
            .args(["--output", "json"]),
    );
    out["mnemonic"].as_str().unwrap().to_owned()
}

/// The `upgrade` channel ends of a chain, as `query ibc channels` lists them.
fn upgrade_channels(chain: &Value) -> Vec<Value> {
    let all = query(chain, &["query", "ibc", "channel", "channels"]);
    all["channels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["port_id"] == "upgrade")
        .cloned()
        .collect()
}

/// Passes `message` by the impostor's governance: its only validator submits and votes yes.
fn impostor_passes(impostor: &Value, dir: &std::path::Path, message: Value) {
    let home = impostor["nodes"][0]["home"].as_str().unwrap();
    let key = impostor["nodes"][0]["validator"]["key"].as_str().unwrap();
    let node = impostor["nodes"][0]["rpc"].as_str().unwrap();
    let tx = |args: &[&str]| {
        run_json(
            Command::new(bin("hubd"))
                .args(args)
                .args(["--from", key, "--home", home, "--node", node])
                .args(["--chain-id", "hub-1", "--output", "json"]),
        )
    };
    let file = dir.join("impostor-proposal.json");
    let proposal = serde_json::json!({
        "messages": [message], "metadata": "", "deposit": "10000000uhub",
        "title": "Bind spoke-a", "summary": "The impostor binds the real spoke's chain id.",
        "expedited": false,
    });
    std::fs::write(&file, proposal.to_string()).unwrap();
    let submitted = tx(&["tx", "gov", "submit-proposal", file.to_str().unwrap()]);
    let id = submitted["proposal_id"].as_str().unwrap().to_owned();
    tx(&["tx", "gov", "vote", &id, "yes"]);
    wait_for(
        "the impostor's proposal to pass",
        Duration::from_secs(120),
        || {
            let p = query(impostor, &["query", "gov", "proposal", &id]);
            let status = p["proposal"]["status"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            assert!(
                !status.contains("REJECTED") && !status.contains("FAILED"),
                "{p}"
            );
            Ok((status == "PROPOSAL_STATUS_PASSED").then_some(()))
        },
    )
    .unwrap();
}

/// The attack of an impostor `hub-1` on spoke-a, through Hermes with a configuration of its
/// own (the real network's, with `hub-1` pointing at the impostor): every step a relayer can
/// take, up to the refused upgrade channel.
fn impostor_attacks_spoke_a(net: &Localnet, impostor_net: &Localnet) {
    impostor_net.localnet(&[
        "up",
        "--validators",
        "1",
        "--spokes",
        "0",
        "--chain-id",
        "hub-1",
        "--base-port",
        &IMPOSTOR_PORT.to_string(),
    ]);
    let state = net.state();
    let (hub, spoke) = (&state["chains"][0], &state["chains"][1]);
    let impostor = impostor_net.chain_state(0);
    let spoke_channels_before = upgrade_channels(spoke);
    let binding_before = query(spoke, &["query", "interchain-upgrade", "bindings"]);

    // Hermes sees the impostor where the real hub was: same chain id, other endpoints.
    let relayer = &state["relayer"];
    let attack = impostor_net.dir.path().join("attack");
    let keys = attack.join("keys");
    std::fs::create_dir_all(&keys).unwrap();
    let real_keys = std::path::Path::new(relayer["home"].as_str().unwrap()).join("keys");
    let endpoint = |chain: &Value, field: &str| {
        let url = chain["nodes"][0][field].as_str().unwrap();
        url.rsplit("//").next().unwrap().to_owned()
    };
    let cli = std::path::Path::new(relayer["home"].as_str().unwrap()).join("cli.toml");
    let config = std::fs::read_to_string(cli)
        .unwrap()
        .replace(&endpoint(hub, "rpc"), &endpoint(&impostor, "rpc"))
        .replace(&endpoint(hub, "grpc"), &endpoint(&impostor, "grpc"))
        .replace(real_keys.to_str().unwrap(), keys.to_str().unwrap());
    let config_path = attack.join("config.toml");
    std::fs::write(&config_path, config).unwrap();
    let hermes = |args: &[&str]| {
        let mut cmd = Command::new(relayer["program"].as_str().unwrap());
        cmd.arg("--config").arg(&config_path).args(args);
        cmd
    };
    for (chain, id) in [(&impostor, "hub-1"), (spoke, "spoke-a-1")] {
        let file = attack.join(format!("{id}.mnemonic"));
        std::fs::write(&file, mnemonic(chain, "operator")).unwrap();
        run_ok(
            hermes(&["keys", "add", "--chain", id, "--key-name", "operator"])
                .arg("--mnemonic-file")
                .arg(&file),
        );
    }

    // A client of the impostor on the spoke, and a connection: both permissionless.
    let opened = run_ok(&mut hermes(&[
        "--json",
        "create",
        "connection",
        "--a-chain",
        "hub-1",
        "--b-chain",
        "spoke-a-1",
    ]));
    let result = hermes_result(&opened);
    let impostor_connection = result["a_side"]["connection_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let spoke_connection = result["b_side"]["connection_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let impostor_client = result["a_side"]["client_id"].as_str().unwrap().to_owned();

    // The impostor's governance binds "spoke-a-1" to its client and connection, so its own
    // chain lets the channel start: only the spoke stands in the way.
    let draft = impostor_net.dir.path().join("draft.json");
    run_ok(
        Command::new(bin("hubd"))
            .args(["tx", "gov", "draft-proposal", "--output-file"])
            .arg(&draft),
    );
    let gov: Value = serde_json::from_str(&std::fs::read_to_string(&draft).unwrap()).unwrap();
    impostor_passes(
        &impostor,
        impostor_net.dir.path(),
        serde_json::json!({
            "@type": "/hub.interchain_upgrade.v1.MsgRegisterSpoke",
            "authority": gov["messages"][0]["from_address"],
            "chain_id": "spoke-a-1",
            "client_id": impostor_client,
            "connection_id": impostor_connection,
        }),
    );

    // From the impostor's end (ChanOpenTry on the spoke) and from the spoke's (ChanOpenInit).
    let channel = |a_chain: &str, a_connection: &str| {
        hermes(&[
            "--json",
            "create",
            "channel",
            "--a-chain",
            a_chain,
            "--a-connection",
            a_connection,
            "--a-port",
            "upgrade",
            "--b-port",
            "upgrade",
            "--order",
            "ordered",
            "--channel-version",
            "hub-upgrade-1",
            "--yes",
        ])
    };
    let (ok, out) = run_for(240, &mut channel("hub-1", &impostor_connection));
    assert!(
        !ok,
        "the impostor opened an upgrade channel from its end: {out}"
    );
    assert!(out.contains("bound to no upgrade channel"), "{out}");
    let (ok, out) = run_for(240, &mut channel("spoke-a-1", &spoke_connection));
    assert!(
        !ok,
        "the impostor opened an upgrade channel from the spoke's end: {out}"
    );
    assert!(out.contains("bound to no upgrade channel"), "{out}");

    // The spoke holds no end on the impostor's connection and keeps its pinned binding; no
    // plan is scheduled.
    let after = upgrade_channels(spoke);
    assert_eq!(
        after, spoke_channels_before,
        "spoke-a's upgrade channels changed"
    );
    assert!(after
        .iter()
        .all(|c| c["connection_hops"][0] != spoke_connection.as_str()));
    let binding = query(spoke, &["query", "interchain-upgrade", "bindings"]);
    assert_eq!(binding, binding_before);
    assert!(query(spoke, &["query", "upgrade", "plan"])["plan"].is_null());
}

#[test]
fn governance_upgrades_both_spokes_and_the_hub_proves_it_while_an_impostor_hub_is_refused() {
    let net = Localnet::up("upgrade-e2e-net", &["--base-port", &BASE_PORT.to_string()]);
    let impostor_net = Localnet::new("upgrade-e2e-impostor");
    impostor_attacks_spoke_a(&net, &impostor_net);
    drop(impostor_net);
    // The router's demo (its own proposals) runs in the relayer test.
    let demo = net.localnet(&["demo", "--no-router"]);
    assert_eq!(demo.matches("round trip complete").count(), 2, "{demo}");
    assert!(demo.contains("APPLIED on 2 spokes"), "{demo}");

    let state = net.state();
    let hub = &state["chains"][0];
    let dispatches = query(hub, &["query", "interchain-upgrade", "dispatches"]);
    let all = dispatches["dispatches"].as_array().unwrap();
    assert_eq!(all.len(), 2, "{dispatches}");
    // Proposal 1 registered the spokes (`localnet up`), proposal 2 dispatched the plans.
    for d in all {
        assert_eq!(d["status"], "APPLIED", "{d}");
        assert_eq!(d["proposal_id"], "2", "{d}");
    }
    for id in ["1", "2"] {
        let proposal = query(hub, &["query", "gov", "proposal", id]);
        assert_eq!(
            proposal["proposal"]["status"], "PROPOSAL_STATUS_PASSED",
            "{proposal}"
        );
    }
    // The hub sends plans only over the registered bindings, each spoke takes them only
    // through the hub client its genesis pinned.
    let bindings = query(hub, &["query", "interchain-upgrade", "bindings"]);
    let hub_bindings = bindings["bindings"].as_array().unwrap();
    assert_eq!(hub_bindings.len(), 2, "{bindings}");
    for k in [1, 2] {
        let spoke = &state["chains"][k];
        let id = spoke["chain_id"].as_str().unwrap();
        // The spoke runs the new release, which applied v2 exactly at the plan height.
        let applied = query(spoke, &["query", "upgrade", "applied", "v2"]);
        let plan = all.iter().find(|d| d["spoke_chain_id"] == id).unwrap();
        assert_eq!(applied["height"], plan["plan"]["height"], "{id}");
        let at: u64 = applied["height"].as_str().unwrap().parse().unwrap();
        assert!(height(spoke["nodes"][0]["rpc"].as_str().unwrap()).unwrap() > at);
        let current = std::fs::read_link(
            std::path::Path::new(spoke["nodes"][0]["home"].as_str().unwrap())
                .join("cosmovisor/current"),
        )
        .unwrap();
        assert!(
            current.ends_with("upgrades/v2"),
            "{id}: {}",
            current.display()
        );
        assert!(query(spoke, &["query", "upgrade", "plan"])["plan"].is_null());
        let pinned = query(spoke, &["query", "interchain-upgrade", "bindings"]);
        assert_eq!(pinned["bindings"][0]["chain_id"], "hub-1", "{pinned}");
        assert_eq!(
            pinned["bindings"][0]["client_id"], "07-tendermint-0",
            "{pinned}"
        );
        let on_hub = hub_bindings.iter().find(|b| b["chain_id"] == id).unwrap();
        assert_eq!(on_hub["channel_id"], plan["channel_id"], "{id}");
    }
}
