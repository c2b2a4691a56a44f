//! The checksum guard of spoke upgrades: cosmovisor (as `localnet` configures it) never runs a
//! binary whose sha256 differs from the plan's, and switches to one whose sha256 matches; a
//! crash in the middle of that switch ends on the new binary with the same history.
//!
//! Two layers: a fake daemon (a shell script named `spoked` that writes `upgrade-info.json`
//! and exits 1, as a spoke does at the plan height) driven by cosmovisor directly, and a real
//! localnet spoke (`spoked` under cosmovisor, started by `localnet up`).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use hub_e2e::*;
use serde_json::Value;
use sha2::Digest as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The cosmovisor program: on PATH or in Go's install directory. Fails (never skips) when it
/// is not installed.
fn cosmovisor_bin() -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    dirs.extend(std::env::var_os("GOBIN").map(PathBuf::from));
    dirs.extend(std::env::var_os("GOPATH").map(|p| PathBuf::from(p).join("bin")));
    dirs.extend(std::env::var_os("HOME").map(|h| PathBuf::from(h).join("go/bin")));
    dirs.into_iter()
        .map(|d| d.join("cosmovisor"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("cosmovisor is not installed (not on PATH nor in Go's bin directory): run scripts/setup.sh")
        })
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

fn write_executable(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Writes `<home>/data/upgrade-info.json` the way a node must: whole, by a rename (cosmovisor
/// polls the file and panics on an empty or half-written one).
fn write_upgrade_info(home: &Path, name: &str, height: u64, info: &str) {
    let data = home.join("data");
    let tmp = data.join("upgrade-info.json.tmp");
    let plan = serde_json::json!({ "name": name, "height": height, "info": info });
    std::fs::write(&tmp, plan.to_string()).unwrap();
    std::fs::rename(&tmp, data.join("upgrade-info.json")).unwrap();
}

fn info_for(url: &str) -> String {
    serde_json::json!({ "binaries": { "linux/amd64": url } }).to_string()
}

/// Where `<home>/cosmovisor/current` points, relative to `<home>/cosmovisor`.
fn current(home: &Path) -> String {
    let target = std::fs::read_link(home.join("cosmovisor/current")).unwrap();
    target
        .strip_prefix(home.join("cosmovisor"))
        .unwrap_or(&target)
        .display()
        .to_string()
}

/// A home with cosmovisor's layout whose genesis `spoked` is a fake that, started, writes
/// `upgrade-info.json` for plan `v2` with `info` and exits 1; and a candidate "v2" binary that
/// records that it ran in `<home>/v2-ran`.
struct FakeSpoke {
    _dir: tempfile::TempDir,
    home: PathBuf,
    v2: PathBuf,
}

impl FakeSpoke {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("node0");
        std::fs::create_dir_all(home.join("cosmovisor/genesis/bin")).unwrap();
        std::fs::create_dir_all(home.join("data")).unwrap();
        let v2 = dir.path().join("spoked-v2");
        write_executable(
            &v2,
            &format!(
                "#!/bin/sh\n[ \"$1\" = start ] || exit 2\necho ran > '{}'\necho 'v2 running'\n",
                home.join("v2-ran").display()
            ),
        );
        FakeSpoke {
            _dir: dir,
            home,
            v2,
        }
    }

    /// Runs `cosmovisor run start --home HOME` with localnet's settings until it exits; the
    /// genesis fake halts for `v2` with `info`. Returns (success, output).
    fn run(&self, info: &str) -> (bool, String) {
        let plan = serde_json::json!({ "name": "v2", "height": 7, "info": info }).to_string();
        let plan_file = self.home.join("plan.json");
        std::fs::write(&plan_file, plan).unwrap();
        write_executable(
            &self.home.join("cosmovisor/genesis/bin/spoked"),
            &format!(
                "#!/bin/sh\n[ \"$1\" = start ] || exit 2\n\
                 cp '{plan}' '{data}/upgrade-info.json.tmp'\n\
                 mv '{data}/upgrade-info.json.tmp' '{data}/upgrade-info.json'\n\
                 echo 'UPGRADE \"v2\" NEEDED at height 7'\nexit 1\n",
                plan = plan_file.display(),
                data = self.home.join("data").display()
            ),
        );
        let home = self.home.to_str().unwrap();
        let out = run(Command::new(cosmovisor_bin())
            .args(["run", "start", "--home", home])
            .env("DAEMON_NAME", "spoked")
            .env("DAEMON_HOME", home)
            .env("DAEMON_RESTART_AFTER_UPGRADE", "true")
            .env("DAEMON_ALLOW_DOWNLOAD_BINARIES", "true")
            .env("DAEMON_DOWNLOAD_MUST_HAVE_CHECKSUM", "true")
            .env("UNSAFE_SKIP_BACKUP", "true")
            .env("DAEMON_POLL_INTERVAL", "300ms")
            .env("DAEMON_SHUTDOWN_GRACE", "20s")
            .env("COSMOVISOR_COLOR_LOGS", "false"));
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    fn v2_ran(&self) -> bool {
        self.home.join("v2-ran").exists()
    }
}

#[test]
fn cosmovisor_runs_a_downloaded_binary_only_if_its_sha256_matches_the_plan() {
    // Mismatch: the plan names the v2 binary with another sha256.
    let spoke = FakeSpoke::new();
    let good = sha256_hex(&std::fs::read(&spoke.v2).unwrap());
    let wrong = sha256_hex(b"some other binary");
    let url = |hex: &str| format!("file://{}?checksum=sha256:{hex}", spoke.v2.display());
    let (ok, out) = spoke.run(&info_for(&url(&wrong)));
    assert!(!ok, "cosmovisor exited 0 on a checksum mismatch:\n{out}");
    assert!(out.contains("Checksums did not match"), "{out}");
    assert!(out.contains(&wrong) && out.contains(&good), "{out}");
    assert!(!spoke.v2_ran(), "the mismatching binary ran:\n{out}");
    assert_eq!(current(&spoke.home), "genesis", "{out}");
    assert!(
        !spoke.home.join("cosmovisor/upgrades/v2").exists(),
        "cosmovisor kept the refused binary:\n{out}"
    );

    // No checksum at all: refused before anything is fetched.
    let spoke = FakeSpoke::new();
    let (ok, out) = spoke.run(&info_for(&format!("file://{}", spoke.v2.display())));
    assert!(!ok, "{out}");
    assert!(out.contains("missing checksum query parameter"), "{out}");
    assert!(!spoke.v2_ran(), "{out}");
    assert_eq!(current(&spoke.home), "genesis", "{out}");

    // Match: cosmovisor fetches the binary, switches `current` and runs it.
    let spoke = FakeSpoke::new();
    let good = sha256_hex(&std::fs::read(&spoke.v2).unwrap());
    let url = format!("file://{}?checksum=sha256:{good}", spoke.v2.display());
    let (ok, out) = spoke.run(&info_for(&url));
    assert!(ok, "{out}");
    assert!(spoke.v2_ran(), "the matching binary did not run:\n{out}");
    assert!(out.contains("v2 running"), "{out}");
    assert_eq!(current(&spoke.home), "upgrades/v2", "{out}");
}

/// A hub and one spoke, one validator each, no relayer: the spoke's node is the one the
/// test upgrades.
struct Net(Localnet);

impl Net {
    /// `base_port` (31xxx) puts the spoke at `base_port + 1000`, still below the ephemeral
    /// range (32768).
    fn up(base_port: u16) -> Self {
        let port = base_port.to_string();
        let args = [
            "--validators",
            "1",
            "--spokes",
            "1",
            "--no-relayer",
            "--base-port",
            &port,
        ];
        Net(Localnet::up("cosmovisor-e2e", &args))
    }
    fn spoke_node(&self) -> Value {
        self.0.node(1, 0)
    }
    fn home(&self) -> PathBuf {
        PathBuf::from(self.spoke_node()["home"].as_str().unwrap())
    }
    fn rpc(&self) -> String {
        self.spoke_node()["rpc"].as_str().unwrap().to_owned()
    }
    fn pid(&self) -> u32 {
        let pid = self.spoke_node()["pid"].as_u64().unwrap();
        u32::try_from(pid).unwrap()
    }
    fn log(&self) -> String {
        std::fs::read_to_string(self.home().join("hubd.log")).unwrap_or_default()
    }
    /// `localnet plan-info` for `binary`: (info, sha256).
    fn plan_info(&self, binary: &Path) -> (String, String) {
        let out: Value = serde_json::from_str(
            self.0
                .localnet(&[
                    "plan-info",
                    "--binary",
                    binary.to_str().unwrap(),
                    "-o",
                    "json",
                ])
                .trim(),
        )
        .unwrap();
        (
            out["info"].as_str().unwrap().to_owned(),
            out["sha256"].as_str().unwrap().to_owned(),
        )
    }
}

/// The command line of a live process (empty if it is gone).
fn cmdline(pid: &str) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|raw| String::from_utf8_lossy(&raw).replace('\0', " "))
        .unwrap_or_default()
}

/// Pids of the live processes in process group `pgid`.
fn group(pgid: u32) -> Vec<String> {
    let out = run(Command::new("pgrep").args(["-g", &pgid.to_string()]));
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Waits up to `secs` seconds until a process of group `pgid` runs `binary`; the spoke's log
/// in the panic otherwise.
fn wait_runs(net: &Net, pgid: u32, binary: &Path, what: &str, secs: u64) {
    let binary = binary.display().to_string();
    wait_for(what, Duration::from_secs(secs), || {
        Ok(group(pgid)
            .iter()
            .any(|p| cmdline(p).starts_with(&binary))
            .then_some(()))
    })
    .unwrap_or_else(|e| panic!("{e}\n{}", net.log()));
}

fn spoke_height_at_least(net: &Net, h: u64) -> u64 {
    let rpc = net.rpc();
    wait_for(
        &format!("spoke height {h}"),
        Duration::from_secs(60),
        || Ok(height(&rpc).ok().filter(|got| *got >= h)),
    )
    .unwrap_or_else(|e| panic!("{e}\n{}", net.log()))
}

#[test]
fn a_localnet_spoke_switches_only_to_a_binary_whose_sha256_matches_the_plan() {
    cosmovisor_bin(); // fails with the setup hint if missing
    let base = 31200;

    // 1. The plan's checksum differs from the staged binary's sha256: the spoke halts.
    let net = Net::up(base);
    let home = net.home();
    let log = net.log();
    assert!(log.contains("module=cosmovisor"), "{log}");
    assert_eq!(current(&home), "genesis");
    let h0 = spoke_height_at_least(&net, 3);
    let (info, sha256) = net.plan_info(&bin("spoked"));
    let flipped = format!(
        "{}{}",
        if sha256.starts_with('0') { '1' } else { '0' },
        &sha256[1..]
    );
    // Only the checksum changes; the URL still names the staged copy (whose folder is its
    // sha256 too).
    let tampered = info.replace(&format!("sha256:{sha256}"), &format!("sha256:{flipped}"));
    assert_ne!(tampered, info);
    let pid = net.pid();
    write_upgrade_info(&home, "v2", h0, &tampered);
    wait_for("cosmovisor to give up", Duration::from_secs(90), || {
        Ok(group(pid).is_empty().then_some(()))
    })
    .unwrap_or_else(|e| panic!("{e}\n{}", net.log()));
    let log = net.log();
    assert!(log.contains("Checksums did not match"), "{log}");
    assert!(!log.contains("upgrades/v2/bin/spoked"), "{log}");
    assert_eq!(current(&home), "genesis", "{log}");
    assert!(!home.join("cosmovisor/upgrades/v2").exists(), "{log}");
    assert!(
        height(&net.rpc()).is_err(),
        "the spoke still answers after the refusal"
    );
    let status = run(net.0.command().args(["status", "-o", "json"]));
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(
        status["chains"][1]["nodes"][0]["running"], false,
        "{status}"
    );
    assert_eq!(
        status["chains"][1]["nodes"][0]["cosmovisor_current"], "genesis",
        "{status}"
    );
    net.0.localnet(&["down"]);

    // 2. A fresh localnet on the same ports; the plan names the staged binary's sha256.
    let net = Net::up(base);
    let home = net.home();
    let h0 = spoke_height_at_least(&net, 3);
    let hashes: Vec<String> = (1..=h0)
        .map(|h| app_hash_at(&net.rpc(), h).unwrap())
        .collect();
    let (info, _) = net.plan_info(&bin("spoked"));
    let pid = net.pid();
    write_upgrade_info(&home, "v2", h0, &info);
    let new_bin = home.join("cosmovisor/upgrades/v2/bin/spoked");
    wait_runs(&net, pid, &new_bin, "the spoke to run the new binary", 90);
    assert_eq!(current(&home), "upgrades/v2");

    // 3. A crash in the middle of the switch: cosmovisor and the new binary are killed (SIGKILL)
    // as soon as the new binary is seen running. Started again as before, cosmovisor runs the
    // new binary (no second download, no way back to the old one), which replays to the same
    // app hashes and goes on.
    let (argv, env, cwd) = process_of(pid);
    kill_group(pid, "KILL");
    wait_for(
        "the killed spoke to be gone",
        Duration::from_secs(30),
        || Ok(group(pid).is_empty().then_some(())),
    )
    .unwrap();
    let pid = spawn_group(
        Command::new(&argv[0])
            .args(&argv[1..])
            .env_clear()
            .envs(env)
            .current_dir(cwd),
        &home.join("hubd.log"),
    );
    net.0.record_pid(&["chains", "1", "nodes", "0", "pid"], pid);
    wait_runs(&net, pid, &new_bin, "the new binary again", 60);
    assert_eq!(current(&home), "upgrades/v2");
    wait_for("blocks after the switch", Duration::from_secs(60), || {
        Ok((height(&net.rpc())? > h0 + 2).then_some(()))
    })
    .unwrap_or_else(|e| panic!("{e}\n{}", net.log()));
    for (h, hash) in (1..=h0).zip(&hashes) {
        assert_eq!(
            &app_hash_at(&net.rpc(), h).unwrap(),
            hash,
            "height {h} changed"
        );
    }
    let status: Value =
        serde_json::from_str(net.0.localnet(&["status", "-o", "json"]).trim()).unwrap();
    assert_eq!(
        status["chains"][1]["nodes"][0]["cosmovisor_current"], "v2",
        "{status}"
    );
}

/// The command line, environment and working directory of a live process.
fn process_of(pid: u32) -> (Vec<String>, Vec<(String, String)>, PathBuf) {
    let split = |raw: Vec<u8>| -> Vec<String> {
        raw.split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect()
    };
    let argv = split(std::fs::read(format!("/proc/{pid}/cmdline")).unwrap());
    let env = split(std::fs::read(format!("/proc/{pid}/environ")).unwrap())
        .into_iter()
        .filter_map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        })
        .collect();
    let cwd = std::fs::read_link(format!("/proc/{pid}/cwd")).unwrap();
    (argv, env, cwd)
}
