//! A 4-validator hub on real CometBFT, driven by `localnet` and `hubd`.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_e2e::*;
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::Duration;

/// A 4-validator hub and no spoke. `base_port` stays below the ephemeral range (32768),
/// which outgoing connections use.
fn up(base_port: u16) -> Localnet {
    let port = base_port.to_string();
    let args = ["--validators", "4", "--spokes", "0", "--base-port", &port];
    Localnet::up("localnet-e2e", &args)
}

/// Starts `hubd start` for a node home in its own process group; returns the pid.
fn start_node(home: &str) -> u32 {
    start_node_with(home, &[])
}

/// As [`start_node`], with `env` added to the node's environment.
#[allow(clippy::zombie_processes)] // detached in its own process group; stopped with kill_group
fn start_node_with(home: &str, env: &[(&str, &str)]) -> u32 {
    use std::os::unix::process::CommandExt;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(format!("{home}/hubd.log"))
        .unwrap();
    let child = Command::new(bin("hubd"))
        .args(["start", "--home", home])
        .envs(env.iter().copied())
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .process_group(0)
        .spawn()
        .unwrap();
    child.id()
}

#[test]
fn four_validators_commit_a_transfer_agree_and_survive_kill_and_restart() {
    let net = up(30600);
    let rpcs = net.rpcs(0);
    assert_eq!(rpcs.len(), 4);

    // A CLI transfer is committed and visible on every node (the demo checks each node).
    let demo = net.localnet(&["demo", "--bank-only"]);
    assert!(
        demo.to_lowercase().contains("every node") || demo.contains("4/4") || demo.contains("all"),
        "{demo}"
    );
    let status: Value =
        serde_json::from_str(&net.localnet(&["status", "--output", "json"])).unwrap();
    assert!(status.to_string().contains("app_hash"), "{status}");

    generated_commands_query_and_transact(&net);

    // Five txs of one account, signed with consecutive sequences and broadcast back to back
    // (`broadcast_tx_sync`) to one node before any of them commits: every one is admitted
    // and committed, none refused with a sequence mismatch. Offered at 10 tx/s (`--rate`),
    // the fifth goes out 0.4 s after the first.
    let five: Value = serde_json::from_str(&net.localnet(&[
        "load",
        "--txs",
        "5",
        "--accounts",
        "1",
        "--rate",
        "10",
        "--output",
        "json",
    ]))
    .unwrap();
    let paced = five["submit_seconds"].as_f64().unwrap();
    assert!(
        paced >= 0.4,
        "--rate 10 submitted 5 txs in {paced} s: {five}"
    );
    for (field, want) in [
        ("accepted", 5),
        ("rejected", 0),
        ("committed", 5),
        ("committed_failed", 0),
    ] {
        assert_eq!(five[field], want, "{field}: {five}");
    }

    // SIGKILL validator 3 (hubd and its CometBFT) while a load runs, then restart it.
    let victim = net.node(0, 3);
    let home = victim["home"].as_str().unwrap().to_string();
    let pid = victim["pid"].as_u64().unwrap() as u32;
    let mut load = net
        .command()
        .args(["load", "--txs", "60", "--accounts", "3"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    kill_group(pid, "KILL");
    wait_for("node 3 to die", Duration::from_secs(10), || {
        Ok((!alive(pid)).then_some(()))
    })
    .unwrap();
    let before = height(&rpcs[0]).unwrap();
    wait_for(
        "the other 3 validators to keep going",
        Duration::from_secs(60),
        || Ok((height(&rpcs[0])? > before + 3).then_some(())),
    )
    .unwrap();
    let _ = load.wait();
    let new_pid = start_node(&home);
    let target = height(&rpcs[0]).unwrap();
    wait_for("node 3 to catch up", Duration::from_secs(120), || {
        Ok((height(&rpcs[3])? >= target).then_some(()))
    })
    .unwrap();
    assert_same_app_hashes(&rpcs, 1..=target);

    // A clean stop (SIGTERM) of validator 2 resumes at the height it stopped at.
    let n2 = net.node(0, 2);
    let home2 = n2["home"].as_str().unwrap().to_string();
    let pid2 = n2["pid"].as_u64().unwrap() as u32;
    kill_group(pid2, "TERM");
    wait_for("node 2 to stop", Duration::from_secs(20), || {
        Ok((!alive(pid2)).then_some(()))
    })
    .unwrap();
    let stopped_at = height(&rpcs[0]).unwrap();

    // `hubd export` of the stopped node: a genesis that validates, with the accounts' sequences
    // (no replay of their txs on a chain started from it) and the staking records. A running
    // node's database is locked: its export is refused, naming the cause.
    let exported = net.dir.path().join("exported.json");
    run_ok(Command::new(bin("hubd")).args([
        "export",
        "--home",
        &home2,
        "--output-document",
        exported.to_str().unwrap(),
    ]));
    run_ok(Command::new(bin("hubd")).args([
        "genesis",
        "validate",
        exported.to_str().unwrap(),
        "--home",
        &home2,
    ]));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    let accounts = doc["app_state"]["auth"]["accounts"].as_array().unwrap();
    assert!(
        accounts
            .iter()
            .any(|a| a["sequence"].as_str().is_some_and(|n| n != "0")),
        "no sequence exported: {accounts:?}"
    );
    assert!(
        doc["app_state"]["staking"]["state"]["delegations"]
            .as_array()
            .unwrap()
            .len()
            >= 4
    );
    let running = run(Command::new(bin("hubd")).args([
        "export",
        "--home",
        net.node(0, 0)["home"].as_str().unwrap(),
    ]));
    assert!(!running.status.success());
    assert!(
        String::from_utf8_lossy(&running.stderr).contains("is the node running"),
        "{}",
        String::from_utf8_lossy(&running.stderr)
    );

    let pid2b = start_node(&home2);
    wait_for("node 2 to resume", Duration::from_secs(60), || {
        Ok((height(&rpcs[2])? > stopped_at + 2).then_some(()))
    })
    .unwrap();
    let top = rpcs.iter().map(|r| height(r).unwrap()).min().unwrap();
    assert_same_app_hashes(&rpcs, 1..=top);

    // `localnet down` leaves nothing behind, including the nodes restarted here.
    kill_group(new_pid, "TERM");
    kill_group(pid2b, "TERM");
    net.localnet(&["down"]);
    for p in [new_pid, pid2b] {
        wait_for("restarted nodes to stop", Duration::from_secs(20), || {
            Ok((!alive(p)).then_some(()))
        })
        .unwrap();
    }
    for n in 0..4 {
        if let Some(p) = net.node(0, n)["pid"].as_u64() {
            assert!(!alive(p as u32), "node {n} still running");
        }
    }
}

/// Crash points (`hub_app::crash_point`): validator 3 is restarted with `HUB_CRASH_AT` naming
/// each ABCI step of a coming block in turn (after FinalizeBlock executed it, in Commit before
/// the write, after the write before Commit answers), dies there by itself, and is restarted
/// under the same CometBFT home. Each time it replays, catches up, and agrees with its peers'
/// app hashes at every height: a block lost or applied twice would change them.
#[test]
fn a_validator_crashed_at_each_abci_step_replays_to_its_peers_app_hashes() {
    let net = up(25600);
    let rpcs = net.rpcs(0);
    let node = net.node(0, 3);
    let home = node["home"].as_str().unwrap().to_string();
    let mut pid = node["pid"].as_u64().unwrap() as u32;
    let log = format!("{home}/hubd.log");
    // The names of `hub_app::crash_point`, in block order.
    for point in [
        "after-finalize",
        "before-commit-write",
        "after-commit-write",
    ] {
        kill_group(pid, "TERM");
        wait_for("node 3 to stop", Duration::from_secs(20), || {
            Ok((!alive(pid)).then_some(()))
        })
        .unwrap();
        let at = height(&rpcs[0]).unwrap() + 4;
        let crash_at = format!("{point}@{at}");
        let crashing = start_node_with(&home, &[("HUB_CRASH_AT", &crash_at)]);
        wait_for(
            &format!("node 3 to crash at {crash_at}"),
            Duration::from_secs(120),
            || Ok((!alive(crashing)).then_some(())),
        )
        .unwrap();
        kill_group(crashing, "KILL"); // its CometBFT, which outlives the app
        let text = std::fs::read_to_string(&log).unwrap();
        assert!(
            text.contains("crash point reached") && text.contains(point),
            "node 3 stopped without reaching {crash_at}"
        );
        pid = start_node(&home);
        let target = height(&rpcs[0]).unwrap() + 2;
        wait_for(
            &format!("node 3 to catch up after {point}"),
            Duration::from_secs(120),
            || Ok((height(&rpcs[3])? >= target).then_some(())),
        )
        .unwrap();
        assert_same_app_hashes(&rpcs, 1..=target);
    }
    kill_group(pid, "TERM");
}

#[test]
fn start_refuses_a_malformed_genesis_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("n");
    let home_s = home.to_str().unwrap();
    run_ok(Command::new(bin("hubd")).args([
        "init",
        "solo",
        "--chain-id",
        "hub-1",
        "--home",
        home_s,
        "--keyring-backend",
        "test",
    ]));
    run_ok(Command::new(bin("hubd")).args(["keys", "add", "v", "--home", home_s]));
    let addr =
        run_ok(Command::new(bin("hubd")).args(["keys", "show", "v", "-a", "--home", home_s]))
            .trim()
            .to_string();
    run_ok(Command::new(bin("hubd")).args([
        "genesis",
        "add-account",
        &addr,
        "100uhub",
        "--home",
        home_s,
    ]));
    run_ok(Command::new(bin("hubd")).args([
        "genesis",
        "add-validator",
        "--operator",
        "v",
        "--home",
        home_s,
    ]));
    let path = home.join("config/genesis.json");
    let mut g: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    g["app_state"]["bank"]["balances"][0]["coins"][0]["amount"] = "-5".into();
    std::fs::write(&path, g.to_string()).unwrap();
    let out = run(Command::new(bin("hubd")).args(["start", "--home", home_s]));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("app_state.bank.balances[0].coins[0].amount"),
        "{err}"
    );
}

/// `hubd init --abci-addr tcp://…`: CometBFT reaches the app over TCP (the default for a home
/// whose path is too long for a unix socket), through the node's `TCP_NODELAY` accept loop.
#[test]
fn a_node_serving_abci_over_tcp_commits_blocks_and_transactions() {
    let base = 31800u16;
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("n");
    let home_s = home.to_str().unwrap();
    let rpc_url = format!("http://127.0.0.1:{}", base + 1);
    let hubd = |args: &[&str]| {
        run_ok(
            Command::new(bin("hubd"))
                .args(args)
                .args(["--home", home_s]),
        )
    };
    hubd(&[
        "init",
        "solo",
        "--chain-id",
        "hub-1",
        "--keyring-backend",
        "test",
        "--p2p-laddr",
        &format!("tcp://127.0.0.1:{base}"),
        "--rpc-laddr",
        &format!("tcp://127.0.0.1:{}", base + 1),
        "--abci-addr",
        &format!("tcp://127.0.0.1:{}", base + 2),
        "--grpc-addr",
        &format!("127.0.0.1:{}", base + 3),
    ]);
    hubd(&["keys", "add", "v"]);
    hubd(&["keys", "add", "w"]);
    let w = hubd(&["keys", "show", "w", "-a"]).trim().to_string();
    hubd(&["genesis", "add-account", "v", "100000000000uhub"]);
    hubd(&["genesis", "add-validator", "--operator", "v"]);
    let pid = start_node(home_s);
    let up = wait_for("height 2 over TCP ABCI", Duration::from_secs(60), || {
        Ok((height(&rpc_url)? >= 2).then_some(()))
    });
    if let Err(e) = up {
        kill_group(pid, "KILL");
        let log = std::fs::read_to_string(home.join("hubd.log")).unwrap_or_default();
        panic!("{e}\n{log}");
    }
    let sent = run(Command::new(bin("hubd")).args([
        "tx",
        "bank",
        "send",
        "v",
        &w,
        "12345uhub",
        "--home",
        home_s,
        "--node",
        &rpc_url,
        "--chain-id",
        "hub-1",
        "--output",
        "json",
    ]));
    let balances = run(Command::new(bin("hubd")).args([
        "query", "bank", "balances", &w, "--node", &rpc_url, "--output", "json",
    ]));
    kill_group(pid, "KILL");
    assert!(
        sent.status.success(),
        "{}{}",
        String::from_utf8_lossy(&sent.stdout),
        String::from_utf8_lossy(&sent.stderr)
    );
    let balances = String::from_utf8_lossy(&balances.stdout);
    assert!(balances.contains("12345"), "{balances}");
}

/// Commands no one wrote by hand, generated from the runtime's route and message tables: a
/// `MsgMultiSend` whose inputs and outputs are JSON positionals, then queries of staking and
/// bank (JSON by `-o json`, `key: value` lines otherwise) that see it.
fn generated_commands_query_and_transact(net: &Localnet) {
    let chain = &net.state()["chains"][0];
    let faucet = &chain["faucet"];
    let (key, from) = (
        faucet["key"].as_str().unwrap(),
        faucet["address"].as_str().unwrap(),
    );
    let home = faucet["home"].as_str().unwrap();
    let rpc = net.rpcs(0)[0].clone();
    let hubd = |args: &[&str]| {
        run_ok(Command::new(bin("hubd")).args(args).args([
            "--node",
            &rpc,
            "--home",
            home,
            "--keyring-backend",
            "test",
        ]))
    };
    let to = "hub1qurswpc8qurswpc8qurswpc8qurswpc8wn2mvx";
    let coins = r#"[{"denom":"uhub","amount":"7"}]"#;
    let sent: Value = serde_json::from_str(&hubd(&[
        "tx",
        "bank",
        "multi-send",
        &format!(r#"[{{"address":"{from}","coins":{coins}}}]"#),
        &format!(r#"[{{"address":"{to}","coins":{coins}}}]"#),
        "--from",
        key,
        "-o",
        "json",
    ]))
    .unwrap();
    assert_eq!(sent["code"], 0, "{sent}");

    let balances: Value = serde_json::from_str(&hubd(&[
        "query",
        "bank",
        "all-balances",
        to,
        "--count-total",
        "-o",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        balances["balances"],
        serde_json::json!([{ "denom": "uhub", "amount": "7" }])
    );
    assert_eq!(balances["pagination"]["total"], "1", "{balances}");

    let validators: Value =
        serde_json::from_str(&hubd(&["query", "staking", "validators", "-o", "json"])).unwrap();
    assert_eq!(
        validators["validators"].as_array().unwrap().len(),
        4,
        "{validators}"
    );
    let text = hubd(&["query", "bank", "supply-of", "uhub"]);
    assert!(
        text.starts_with("amount:\n  amount: ") && text.contains("denom: uhub"),
        "{text}"
    );
}
