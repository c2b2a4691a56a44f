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

/// Ports from 23600 (hub) and 24600, 25600 (spokes): below the ephemeral range, apart from
/// the other tests' networks.
const BASE_PORT: u16 = 23600;

struct Net(tempfile::TempDir);

impl Net {
    fn localnet(&self, args: &[&str]) -> String {
        run_ok(
            Command::new(bin("localnet"))
                .arg("--dir")
                .arg(self.0.path())
                .args(args),
        )
    }

    fn state(&self) -> Value {
        let text = std::fs::read_to_string(self.0.path().join("localnet.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let kept = std::env::temp_dir().join("upgrade-e2e-net");
            let _ = std::fs::remove_dir_all(&kept);
            let _ = Command::new("cp")
                .arg("-r")
                .arg(self.0.path())
                .arg(&kept)
                .status();
            eprintln!("the network's files are kept in {}", kept.display());
        }
        let _ = Command::new(bin("localnet"))
            .arg("--dir")
            .arg(self.0.path())
            .arg("down")
            .output();
    }
}

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

#[test]
fn governance_upgrades_both_spokes_and_the_hub_proves_it() {
    let net = Net(tempfile::tempdir().unwrap());
    net.localnet(&["up", "--base-port", &BASE_PORT.to_string()]);
    let demo = net.localnet(&["demo"]);
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
