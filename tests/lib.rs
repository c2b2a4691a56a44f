//! Helpers for end-to-end tests that drive the real binaries (`hubd`, `localnet`, CometBFT).
//!
//! The binaries are the ones built next to the test executable (`cargo build --bins` first);
//! CometBFT must be on `PATH` (`scripts/setup.sh` installs it).

use anyhow::{anyhow, bail, Context};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The directory holding the workspace binaries (`target/debug`).
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/debug/deps/<test> → target/debug
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .expect("target dir")
}

/// Path of a workspace binary; fails clearly if it was not built.
pub fn bin(name: &str) -> PathBuf {
    let p = bin_dir().join(name);
    assert!(
        p.is_file(),
        "{} is missing: run `cargo build --workspace --bins` first",
        p.display()
    );
    p
}

/// Copies a test network's directory (logs, configs, Hermes's output) to
/// `$TMPDIR/<label>-<dir name>` when the calling test is failing, and says where.
pub fn keep_on_failure(dir: &Path, label: &str) {
    if std::thread::panicking() {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("net");
        let kept = std::env::temp_dir().join(format!("{label}-{name}"));
        let _ = Command::new("cp").arg("-r").arg(dir).arg(&kept).status();
        eprintln!("the network's files are kept in {}", kept.display());
    }
}

/// Stops the local network in `dir` (`localnet down`), first keeping its files when the calling
/// test is failing ([`keep_on_failure`]).
pub fn tear_down(dir: &Path, label: &str) {
    keep_on_failure(dir, label);
    let _ = Command::new(bin("localnet"))
        .arg("--dir")
        .arg(dir)
        .arg("down")
        .output();
}

/// One test's local network, in a directory of its own: started by `localnet up`, described
/// by its `localnet.json`, and stopped when dropped ([`tear_down`], which keeps its files
/// under `label` if the test is failing).
pub struct Localnet {
    /// The network's directory (`localnet --dir`).
    pub dir: tempfile::TempDir,
    label: &'static str,
}

impl Localnet {
    /// A new, empty network directory; nothing runs until `localnet up` (see
    /// [`Localnet::localnet`]).
    pub fn new(label: &'static str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        Localnet { dir, label }
    }

    /// `localnet up` with `args` (`--validators`, `--spokes`, `--base-port`, …) in a new
    /// directory. Panics if it fails, with `localnet`'s output.
    pub fn up(label: &'static str, args: &[&str]) -> Self {
        let net = Self::new(label);
        net.localnet(&[&["up"], args].concat());
        net
    }

    /// `localnet --dir <dir>`, to which a caller adds its arguments.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(bin("localnet"));
        cmd.arg("--dir").arg(self.dir.path());
        cmd
    }

    /// Runs `localnet --dir <dir> <args>`, which must exit 0; its stdout.
    pub fn localnet(&self, args: &[&str]) -> String {
        run_ok(self.command().args(args))
    }

    /// The network's `localnet.json`: chains, their nodes (home, RPC, pid), the relayer.
    pub fn state(&self) -> Value {
        let path = self.dir.path().join("localnet.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Chain `k` of [`Localnet::state`] (0: the hub, then the spokes).
    pub fn chain_state(&self, k: usize) -> Value {
        self.state()["chains"][k].clone()
    }

    /// Node `i` of chain `k` in [`Localnet::state`]: its `home`, `rpc`, `pid`, ….
    pub fn node(&self, k: usize, i: usize) -> Value {
        self.state()["chains"][k]["nodes"][i].clone()
    }

    /// The RPC addresses of every node of chain `k`.
    pub fn rpcs(&self, k: usize) -> Vec<String> {
        let state = self.state();
        let nodes = state["chains"][k]["nodes"].as_array();
        let nodes = nodes.unwrap_or_else(|| panic!("localnet.json has no nodes of chain {k}"));
        let rpc = |n: &Value| n["rpc"].as_str().map(str::to_string);
        let rpcs = nodes.iter().map(rpc).collect::<Option<Vec<_>>>();
        rpcs.unwrap_or_else(|| panic!("a node of chain {k} has no RPC address: {state}"))
    }

    /// Writes `pid` into `localnet.json` at `pointer` (keys, or indices of arrays), so that
    /// `localnet status` and `localnet down` see a process the test restarted.
    pub fn record_pid(&self, pointer: &[&str], pid: u32) {
        let mut state = self.state();
        let mut slot = &mut state;
        for key in pointer {
            slot = match key.parse::<usize>() {
                Ok(i) => &mut slot[i],
                Err(_) => &mut slot[*key],
            };
        }
        *slot = pid.into();
        let text = serde_json::to_string_pretty(&state).expect("JSON");
        std::fs::write(self.dir.path().join("localnet.json"), text).expect("localnet.json written");
    }
}

impl Drop for Localnet {
    fn drop(&mut self) {
        tear_down(self.dir.path(), self.label);
    }
}

/// The words of an ICS-20 transfer over port `transfer` with a chain's CLI (`hubd`, `spoked`,
/// `simd`): `tx ibc-transfer transfer transfer <channel> <receiver> <coin>`; the caller adds
/// the signer and node flags.
pub fn transfer_args<'a>(channel: &'a str, receiver: &'a str, coin: &'a str) -> [&'a str; 7] {
    [
        "tx",
        "ibc-transfer",
        "transfer",
        "transfer",
        channel,
        receiver,
        coin,
    ]
}

/// Runs `cmd`, which must exit 0, and parses its stdout as JSON.
pub fn run_json(cmd: &mut Command) -> Value {
    let out = run_ok(cmd);
    serde_json::from_str(out.trim())
        .unwrap_or_else(|e| panic!("{cmd:?} printed no JSON ({e}): {out}"))
}

/// Runs a command and returns its output (whatever the exit status).
pub fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Runs a command with `input` on its stdin (an empty stdin when `None`) and returns its
/// output, whatever the exit status.
pub fn run_with_stdin(cmd: &mut Command, input: Option<&str>) -> Output {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin
            .write_all(text.as_bytes())
            .unwrap_or_else(|e| panic!("cannot write the stdin of {cmd:?}: {e}"));
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("{cmd:?} did not finish: {e}"))
}

/// Runs a command, failing with its stdout/stderr unless it exits 0.
pub fn run_ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// GETs a CometBFT RPC endpoint and returns its `result`.
pub fn rpc(base: &str, path: &str) -> anyhow::Result<Value> {
    let url = format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    let v: Value = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()?
        .get(&url)
        .send()
        .with_context(|| format!("GET {url}"))?
        .json()?;
    v.get("result")
        .cloned()
        .ok_or_else(|| anyhow!("{url}: {v}"))
}

/// The latest height a node reports (`/status`).
pub fn height(rpc_url: &str) -> anyhow::Result<u64> {
    let s = rpc(rpc_url, "status")?;
    s["sync_info"]["latest_block_height"]
        .as_str()
        .unwrap_or("0")
        .parse()
        .map_err(Into::into)
}

/// The app hash the node's own application returned for block `h` (`/block_results`).
pub fn app_hash_at(rpc_url: &str, h: u64) -> anyhow::Result<String> {
    let r = rpc(rpc_url, &format!("block_results?height={h}"))?;
    r["app_hash"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow!("no app_hash in block_results {h}"))
}

/// Asserts that every node of `rpcs` computed the same, non-empty app hash at every height of
/// `heights`: a block lost, applied twice or applied differently on one node changes it.
pub fn assert_same_app_hashes(rpcs: &[String], heights: std::ops::RangeInclusive<u64>) {
    for h in heights {
        let hashes: Vec<String> = rpcs
            .iter()
            .map(|r| app_hash_at(r, h).unwrap_or_else(|e| panic!("{r}: {e}")))
            .collect();
        assert!(
            hashes.iter().all(|x| x == &hashes[0] && !x.is_empty()),
            "app hashes differ at height {h}: {hashes:?}"
        );
    }
}

/// The block hash of every height in `heights` as node `rpc_url` stored it (`/blockchain`, 20
/// headers per request).
pub fn block_hashes(
    rpc_url: &str,
    heights: std::ops::RangeInclusive<u64>,
) -> anyhow::Result<Vec<(u64, String)>> {
    let mut out = Vec::new();
    let (mut low, high) = (*heights.start(), *heights.end());
    while low <= high {
        let top = (low + 19).min(high);
        let r = rpc(
            rpc_url,
            &format!("blockchain?minHeight={low}&maxHeight={top}"),
        )?;
        let metas = r["block_metas"]
            .as_array()
            .ok_or_else(|| anyhow!("{rpc_url}: no block_metas for {low}..={top}"))?;
        for m in metas {
            let h = m["header"]["height"]
                .as_str()
                .and_then(|h| h.parse().ok())
                .ok_or_else(|| anyhow!("{rpc_url}: a block meta without a height"))?;
            let hash = m["block_id"]["hash"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            out.push((h, hash));
        }
        low = top + 1;
    }
    out.sort();
    Ok(out)
}

/// Polls `f` every 250 ms until it returns `Ok(Some(v))` or `timeout` passes.
pub fn wait_for<T>(
    what: &str,
    timeout: Duration,
    mut f: impl FnMut() -> anyhow::Result<Option<T>>,
) -> anyhow::Result<T> {
    let start = Instant::now();
    let mut last = String::new();
    while start.elapsed() < timeout {
        match f() {
            Ok(Some(v)) => return Ok(v),
            Ok(None) => {}
            Err(e) => last = e.to_string(),
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    bail!("timed out after {timeout:?} waiting for {what} (last error: {last})")
}

/// Whether a process with this pid is alive.
pub fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| s.contains(") Z "))
            .unwrap_or(true)
}

/// Starts `cmd` in its own process group (so that `kill -- -pid` stops it and its children),
/// stdout and stderr appended to `log`; returns its pid.
#[allow(clippy::zombie_processes)] // detached in its own process group; stopped by the test
pub fn spawn_group(cmd: &mut Command, log: &Path) -> u32 {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", log.display()));
    let err = out
        .try_clone()
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", log.display()));
    cmd.stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"))
        .id()
}

/// Sends `signal` (`KILL`, `TERM`) to the process group `pid`.
pub fn kill_group(pid: u32, signal: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg("--")
        .arg(format!("-{pid}"))
        .status();
}
