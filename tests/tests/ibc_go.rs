//! The hub against a real ibc-go v8.7.0 chain (`simd`, built from source by
//! `scripts/setup.sh`), relayed by the unmodified Hermes: `localnet up --with-ibc-go` opens a
//! `transfer` channel hub ↔ simd-1, and tokens go both ways and back, exact to the unit.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_e2e::*;
use serde_json::Value;
use std::process::Command;
use std::time::Duration;

/// The hub at 28000, simd at 29000: below the ephemeral range, apart from the other tests.
const BASE_PORT: u16 = 28000;
/// simd's fee per tx in this test (its minimum gas price is 0.001stake).
const SIMD_FEE: u128 = 2_000;

/// The hub, through `hubd`.
struct Hub(Value);

impl Hub {
    fn rpc(&self) -> String {
        self.0["nodes"][0]["rpc"].as_str().unwrap().to_owned()
    }
    fn faucet(&self) -> String {
        self.0["faucet"]["address"].as_str().unwrap().to_owned()
    }
    fn balance(&self, denom: &str) -> u128 {
        balance(
            &bin("hubd").to_string_lossy(),
            &self.rpc(),
            &self.faucet(),
            denom,
        )
    }
    /// An ICS-20 transfer from the faucet (its CLI waits for the commit).
    fn transfer(&self, channel: &str, receiver: &str, coin: &str) {
        let v = run_json(
            Command::new(bin("hubd"))
                .args(transfer_args(channel, receiver, coin))
                .args([
                    "--from",
                    "faucet",
                    "--home",
                    self.0["faucet"]["home"].as_str().unwrap(),
                    "--node",
                    &self.rpc(),
                    "--chain-id",
                    "hub-1",
                    "--output",
                    "json",
                ]),
        );
        assert_eq!(v["code"], 0, "{v}");
    }
}

/// simd-1, through simd's own CLI.
struct Simd(Value);

impl Simd {
    fn program(&self) -> String {
        self.0["binary"].as_str().unwrap().to_owned()
    }
    fn rpc(&self) -> String {
        self.0["nodes"][0]["rpc"]
            .as_str()
            .unwrap()
            .replace("http://", "tcp://")
    }
    fn faucet(&self) -> String {
        self.0["faucet"]["address"].as_str().unwrap().to_owned()
    }
    fn balance(&self, denom: &str) -> u128 {
        balance(&self.program(), &self.rpc(), &self.faucet(), denom)
    }
    /// An ICS-20 transfer from the faucet, paying [`SIMD_FEE`]; waits for its commit.
    fn transfer(&self, channel: &str, receiver: &str, coin: &str) {
        let home = self.0["faucet"]["home"].as_str().unwrap();
        let v = run_json(
            Command::new(self.program())
                .args(transfer_args(channel, receiver, coin))
                .args([
                    "--from",
                    "faucet",
                    "--keyring-backend",
                    "test",
                    "--home",
                    home,
                    "--node",
                    &self.rpc(),
                    "--chain-id",
                    "simd-1",
                    "--gas",
                    "300000",
                    "--fees",
                    &format!("{SIMD_FEE}stake"),
                    "--yes",
                    "--output",
                    "json",
                ]),
        );
        assert_eq!(v["code"], 0, "{v}");
        let hash = v["txhash"].as_str().unwrap().to_owned();
        let url = self.0["nodes"][0]["rpc"].as_str().unwrap().to_owned();
        wait_for(
            "the simd transfer to commit",
            Duration::from_secs(30),
            || {
                Ok(rpc(&url, &format!("tx?hash=0x{hash}"))
                    .ok()
                    .map(|r| assert_eq!(r["tx_result"]["code"], 0, "{r}")))
            },
        )
        .unwrap();
    }
}

/// The balance of `address` in `denom` through `program query bank balance` (hubd and simd
/// answer alike); 0 when it holds none.
fn balance(program: &str, node: &str, address: &str, denom: &str) -> u128 {
    let v = run_json(Command::new(program).args([
        "query", "bank", "balance", address, denom, "--node", node, "--output", "json",
    ]));
    v["balance"]["amount"]
        .as_str()
        .map_or(0, |a| a.parse().unwrap())
}

fn voucher(trace: &str) -> String {
    use sha2::Digest as _;
    format!(
        "ibc/{}",
        hex::encode_upper(sha2::Sha256::digest(trace.as_bytes()))
    )
}

/// Waits until `read` returns `want` (Hermes relays on its own).
fn wait_balance(what: &str, want: u128, read: impl Fn() -> u128) {
    wait_for(what, Duration::from_secs(120), || {
        let got = read();
        Ok((got == want).then_some(()))
    })
    .unwrap_or_else(|e| panic!("{e}; last read {}, wanted {want}", read()));
}

#[test]
fn tokens_go_both_ways_between_the_hub_and_an_ibc_go_chain_and_come_back_exactly() {
    let port = BASE_PORT.to_string();
    let args = [
        "--validators",
        "1",
        "--spokes",
        "0",
        "--with-ibc-go",
        "--base-port",
        &port,
    ];
    let net = Localnet::up("ibc-go-e2e", &args);
    let state = net.state();
    let hub = Hub(state["chains"][0].clone());
    let simd = Simd(state["ibc_go"].clone());
    let path = &state["relayer"]["ibc_go_path"];
    assert_eq!(path["a"]["chain_id"], "hub-1", "{path}");
    assert_eq!(path["b"]["chain_id"], "simd-1", "{path}");
    let hub_channel = path["a"]["channel"].as_str().unwrap().to_owned();
    let simd_channel = path["b"]["channel"].as_str().unwrap().to_owned();

    // uhub to simd as a voucher, and part of it back (unescrowed on the hub).
    let uhub_on_simd = voucher(&format!("transfer/{simd_channel}/uhub"));
    let before = hub.balance("uhub");
    hub.transfer(&hub_channel, &simd.faucet(), "1000uhub");
    let after_send = hub.balance("uhub");
    let fee = before - after_send - 1000;
    wait_balance("the uhub voucher on simd", 1000, || {
        simd.balance(&uhub_on_simd)
    });
    simd.transfer(&simd_channel, &hub.faucet(), &format!("700{uhub_on_simd}"));
    wait_balance("700 uhub back on the hub", after_send + 700, || {
        hub.balance("uhub")
    });
    assert_eq!(simd.balance(&uhub_on_simd), 300);
    assert_eq!(hub.balance("uhub"), before - fee - 300);

    // simd's stake to the hub as a voucher, and all of it back.
    let stake_on_hub = voucher(&format!("transfer/{hub_channel}/stake"));
    let stake_before = simd.balance("stake");
    simd.transfer(&simd_channel, &hub.faucet(), "500stake");
    wait_balance("the stake voucher on the hub", 500, || {
        hub.balance(&stake_on_hub)
    });
    assert_eq!(simd.balance("stake"), stake_before - 500 - SIMD_FEE);
    hub.transfer(&hub_channel, &simd.faucet(), &format!("500{stake_on_hub}"));
    wait_balance("500 stake back on simd", stake_before - SIMD_FEE, || {
        simd.balance("stake")
    });
    assert_eq!(hub.balance(&stake_on_hub), 0);

    // `localnet status` reports the ibc-go chain with the others: its node up, its transfer
    // channel to the hub open.
    let status: Value =
        serde_json::from_str(&net.localnet(&["status", "--output", "json"])).unwrap();
    assert_eq!(status["healthy"], true, "{status}");
    let simd_report = status["chains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["chain_id"] == "simd-1")
        .unwrap_or_else(|| panic!("no simd-1 in {status}"));
    assert_eq!(simd_report["nodes"][0]["running"], true, "{simd_report}");
    let channel = simd_report["ibc"]["channels"]
        .as_array()
        .unwrap_or_else(|| panic!("no channels in {simd_report}"))
        .iter()
        .find(|c| c["channel_id"] == simd_channel.as_str())
        .unwrap_or_else(|| panic!("no {simd_channel} in {simd_report}"));
    assert!(channel["state"].to_string().contains("OPEN"), "{channel}");
}
