//! Staking on real processes: power changes reach CometBFT.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_e2e::*;
use serde_json::Value;
use std::process::Command;
use std::time::Duration;

/// The voting power CometBFT's `/validators` reports for `address` (hex), if it is in the set.
fn comet_power(rpc_url: &str, address: &str) -> anyhow::Result<Option<u64>> {
    let vals = rpc(rpc_url, "validators?per_page=100")?;
    Ok(vals["validators"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["address"].as_str() == Some(address))
        .and_then(|v| v["voting_power"].as_str()?.parse().ok()))
}

#[test]
fn a_delegation_on_a_running_node_raises_the_validators_power_in_cometbft() {
    // A 2-validator hub; its port stays below the ephemeral range (32768).
    let args = ["--validators", "2", "--spokes", "0", "--base-port", "31200"];
    let net = Localnet::up("validator-power-e2e", &args);
    let hub = net.chain_state(0);
    let node0 = &hub["nodes"][0];
    let rpc_url = node0["rpc"].as_str().unwrap().to_string();
    wait_for("the first block", Duration::from_secs(60), || {
        Ok((height(&rpc_url)? >= 1).then_some(()))
    })
    .unwrap();
    let status = rpc(&rpc_url, "status").unwrap();
    let cons = status["validator_info"]["address"]
        .as_str()
        .unwrap()
        .to_string();
    let before = comet_power(&rpc_url, &cons).unwrap().unwrap();
    assert_eq!(before, 10, "genesis power");

    // The faucet delegates 5 × 10^6 uhub to node0's validator through the CLI.
    let faucet = &hub["faucet"];
    let out = run_ok(Command::new(bin("hubd")).args([
        "tx",
        "staking",
        "delegate",
        faucet["key"].as_str().unwrap(),
        node0["validator"]["address"].as_str().unwrap(),
        &format!("5000000{}", hub["denom"].as_str().unwrap()),
        "--home",
        faucet["home"].as_str().unwrap(),
        "--node",
        &rpc_url,
        "--chain-id",
        hub["chain_id"].as_str().unwrap(),
        "--output",
        "json",
    ]));
    let tx: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(tx["code"], Value::from(0), "{tx}");

    // The update applies two blocks after the one that carried it (CometBFT's H+2 rule).
    wait_for("node0's power to reach 15", Duration::from_secs(60), || {
        Ok((comet_power(&rpc_url, &cons)? == Some(15)).then_some(()))
    })
    .unwrap();
    // The other validator is unchanged, and the set is the same on node1.
    let rpc1 = hub["nodes"][1]["rpc"].as_str().unwrap().to_string();
    wait_for(
        "node1 to see the new power",
        Duration::from_secs(30),
        || Ok((comet_power(&rpc1, &cons)? == Some(15)).then_some(())),
    )
    .unwrap();
    let vals = rpc(&rpc1, "validators").unwrap();
    let powers: Vec<&str> = vals["validators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["voting_power"].as_str().unwrap())
        .collect();
    assert_eq!(powers, vec!["15", "10"]);
}
