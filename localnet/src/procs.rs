//! Programs, processes, signals and ports (Linux `/proc` where available; `kill` otherwise).

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context as _};

/// Finds one of the workspace's programs (`hubd`, `spoked`): `requested` (its `--<name>`
/// flag), else next to this executable, else on PATH.
pub fn find_program(name: &str, requested: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(path) = requested {
        return hub_cli::init::find_program(path).with_context(|| {
            format!(
                "{name} program {} not found or not executable; fix --{name}",
                path.display()
            )
        });
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(name)))
        .and_then(|path| hub_cli::init::find_program(&path));
    if let Some(path) = beside {
        return Ok(path);
    }
    hub_cli::init::find_program(Path::new(name)).with_context(|| {
        format!(
            "the `{name}` program was not found next to localnet or on PATH; build it with `cargo build -p hub-cli` (it lands next to localnet) or pass --{name} <PATH>"
        )
    })
}

/// Runs `program args…` to completion and returns its stdout; on failure the error shows the
/// command and its stderr.
pub fn run(program: &Path, args: &[&str]) -> anyhow::Result<String> {
    run_with_stdin(program, args, None)
}

/// Like [`run`], writing `input` (if any) to the program's stdin.
fn run_with_stdin(program: &Path, args: &[&str], input: Option<&str>) -> anyhow::Result<String> {
    use std::io::Write as _;
    let mut child = Command::new(program)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {}", program.display()))?;
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin
            .write_all(text.as_bytes())
            .with_context(|| format!("cannot write to {}", program.display()))?;
    }
    let out = child
        .wait_with_output()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!(
            "`{} {}` failed ({}):\n{}{}",
            program.display(),
            args.join(" "),
            out.status,
            stdout,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(stdout)
}

/// Like [`run_json`], writing `input` to the program's stdin.
pub fn run_json_with_stdin(
    program: &Path,
    args: &[&str],
    input: &str,
) -> anyhow::Result<serde_json::Value> {
    parse_json(program, args, run_with_stdin(program, args, Some(input))?)
}

fn parse_json(program: &Path, args: &[&str], stdout: String) -> anyhow::Result<serde_json::Value> {
    serde_json::from_str(stdout.trim()).with_context(|| {
        format!(
            "`{} {}` did not print JSON: {stdout}",
            program.display(),
            args.join(" ")
        )
    })
}

/// Like [`run`], parsing stdout as JSON.
pub fn run_json(program: &Path, args: &[&str]) -> anyhow::Result<serde_json::Value> {
    parse_json(program, args, run(program, args)?)
}

/// Finds program `name`: `requested` (given by `flag`), else on PATH, else in Go's install
/// directory (`$GOBIN`, `$GOPATH/bin`, `~/go/bin`, where `go install` puts it).
///
/// Errors: a requested program that is missing or not executable; `name` found nowhere.
pub fn locate_go_program(
    name: &str,
    requested: Option<&Path>,
    flag: &str,
) -> anyhow::Result<std::path::PathBuf> {
    use std::path::PathBuf;
    if let Some(path) = requested {
        return hub_cli::init::find_program(path).with_context(|| {
            format!(
                "{name} program {} not found or not executable; fix {flag}",
                path.display()
            )
        });
    }
    let go_bins = [
        std::env::var_os("GOBIN").map(PathBuf::from),
        std::env::var_os("GOPATH").map(|p| PathBuf::from(p).join("bin")),
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join("go/bin")),
    ];
    hub_cli::init::find_program(Path::new(name))
        .or_else(|| {
            go_bins
                .into_iter()
                .flatten()
                .find_map(|dir| hub_cli::init::find_program(&dir.join(name)))
        })
        .with_context(|| {
            format!("the `{name}` program was not found on PATH nor in Go's bin directory")
        })
}

/// Starts `<binary> start --home HOME` in its own process group, output appended to `log`.
pub fn spawn_node(binary: &Path, home: &Path, log: &Path) -> anyhow::Result<Child> {
    spawn_logged(binary, &["start", "--home", &home.to_string_lossy()], log)
}

/// Like [`spawn_node`], inside network namespace `netns` when given (`ip netns exec NAME`,
/// which enters the namespace and then executes the node in place: the pid is the node's).
pub fn spawn_node_in(
    netns: Option<&str>,
    binary: &Path,
    home: &Path,
    log: &Path,
) -> anyhow::Result<Child> {
    let Some(name) = netns else {
        return spawn_node(binary, home, log);
    };
    let binary = binary.to_string_lossy();
    let home = home.to_string_lossy();
    spawn_logged(
        Path::new("ip"),
        &["netns", "exec", name, &binary, "start", "--home", &home],
        log,
    )
}

/// Starts `program args…` in its own process group (so that it can be stopped as a whole),
/// stdin closed, stdout and stderr appended to `log`.
pub fn spawn_logged(program: &Path, args: &[&str], log: &Path) -> anyhow::Result<Child> {
    spawn_logged_with_env(program, args, &[], log)
}

/// Like [`spawn_logged`], with `env` added to (or replacing in) the inherited environment.
pub fn spawn_logged_with_env(
    program: &Path,
    args: &[&str],
    env: &[(&str, String)],
    log: &Path,
) -> anyhow::Result<Child> {
    use std::os::unix::process::CommandExt;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .with_context(|| format!("cannot open {}", log.display()))?;
    let err = file
        .try_clone()
        .with_context(|| format!("cannot open {}", log.display()))?;
    Command::new(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(err)
        .process_group(0)
        .spawn()
        .with_context(|| format!("cannot start {} {}", program.display(), args.join(" ")))
}

/// The command line of a live (non-zombie) process, or `None` if it is gone.
fn cmdline(pid: u32) -> Option<Vec<String>> {
    let proc_dir = PathBuf::from(format!("/proc/{pid}"));
    if Path::new("/proc/self").exists() {
        let stat = std::fs::read_to_string(proc_dir.join("stat")).ok()?;
        // The state follows the parenthesized command name.
        let state = stat.rsplit_once(')')?.1.split_whitespace().next()?;
        if state == "Z" || state == "X" {
            return None;
        }
        let raw = std::fs::read(proc_dir.join("cmdline")).ok()?;
        Some(
            raw.split(|b| *b == 0)
                .filter(|part| !part.is_empty())
                .map(|part| String::from_utf8_lossy(part).into_owned())
                .collect(),
        )
    } else {
        // No /proc: trust `kill -0`.
        let alive = Command::new("kill")
            .args(["-0", &pid.to_string()])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        alive.then(Vec::new)
    }
}

fn refers_to(args: &[String], home: &Path) -> bool {
    let home = home.to_string_lossy();
    let inside = format!("{home}/");
    let flag = format!("--home={home}");
    args.iter()
        .any(|a| *a == home || a.starts_with(&inside) || *a == flag)
}

/// True if `pid` is alive and is a process of the node with home `home` (its command line
/// names the home). Guards against signalling an unrelated process that reused the pid.
pub fn is_node_process(pid: u32, home: &Path) -> bool {
    match cmdline(pid) {
        Some(args) if args.is_empty() => true, // no /proc to check against
        Some(args) => refers_to(&args, home),
        None => false,
    }
}

/// Every live process whose command line refers to `home` (hubd and the CometBFT it started).
pub fn processes_of(home: &Path) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let me = std::process::id();
    let mut pids: Vec<u32> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != me)
        .filter(|pid| cmdline(*pid).is_some_and(|args| refers_to(&args, home)))
        .collect();
    pids.sort_unstable();
    pids
}

/// Sends `signal` (e.g. "TERM") to a process group.
pub fn signal_group(pgid: u32, signal: &str) {
    let _ = Command::new("kill")
        .args(["-s", signal, "--", &format!("-{pgid}")])
        .stderr(Stdio::null())
        .status();
}

/// Sends `signal` to one process.
pub fn signal(pid: u32, signal: &str) {
    let _ = Command::new("kill")
        .args(["-s", signal, &pid.to_string()])
        .stderr(Stdio::null())
        .status();
}

/// Stops a node: SIGTERM to its process group and to every process referring to its home,
/// then SIGKILL whatever is left after `grace`. Returns the pids that were running.
pub fn stop_node(pid: Option<u32>, home: &Path, grace: Duration) -> Vec<u32> {
    let group = pid.filter(|pid| is_node_process(*pid, home));
    let mut targets = processes_of(home);
    if let Some(pid) = group {
        if !targets.contains(&pid) {
            targets.push(pid);
        }
        signal_group(pid, "TERM");
    }
    for pid in &targets {
        signal(*pid, "TERM");
    }
    let deadline = Instant::now() + grace;
    let alive = |targets: &[u32]| targets.iter().any(|pid| cmdline(*pid).is_some());
    while alive(&targets) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    if alive(&targets) {
        if let Some(pid) = group {
            signal_group(pid, "KILL");
        }
        for pid in &targets {
            if cmdline(*pid).is_some() {
                signal(*pid, "KILL");
            }
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(&targets) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    targets.sort_unstable();
    targets
}

/// Checks that TCP `port` on loopback is free; the error names the process holding it when
/// that can be found.
pub fn check_port_free(port: u16, purpose: &str) -> anyhow::Result<()> {
    match TcpListener::bind(("127.0.0.1", port)) {
        Ok(listener) => {
            drop(listener);
            Ok(())
        }
        Err(_) => {
            let owner = port_owner(port)
                .map(|(pid, cmd)| format!("process {pid} ({cmd}) listens on it; stop it"))
                .unwrap_or_else(|| {
                    format!("find its owner with `ss -ltnp 'sport = :{port}'` and stop it")
                });
            bail!(
                "port {port} ({purpose}) is already in use: {owner}, run `localnet down` if it is an earlier localnet, or choose another --base-port"
            )
        }
    }
}

/// The process listening on TCP `port`, from /proc/net/tcp{,6} and /proc/*/fd (best effort).
fn port_owner(port: u16) -> Option<(u32, String)> {
    let mut inodes = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(state), Some(inode)) =
                (fields.get(1), fields.get(3), fields.get(9))
            else {
                continue;
            };
            let listening = *state == "0A";
            let port_matches = local
                .rsplit_once(':')
                .and_then(|(_, p)| u16::from_str_radix(p, 16).ok())
                == Some(port);
            if listening && port_matches {
                inodes.push(format!("socket:[{inode}]"));
            }
        }
    }
    if inodes.is_empty() {
        return None;
    }
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            if let Ok(target) = std::fs::read_link(fd.path()) {
                if inodes.iter().any(|i| target.as_os_str() == i.as_str()) {
                    let cmd = cmdline(pid).map(|a| a.join(" ")).unwrap_or_default();
                    return Some((pid, cmd));
                }
            }
        }
    }
    None
}

/// The last `n` lines of a log file (for error messages).
pub fn tail(path: &Path, n: usize) -> String {
    let Ok(text) = std::fs::read_to_string(path) else {
        return String::from("(no log yet)");
    };
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_referring_to_a_home_are_recognized() {
        let home = Path::new("/x/.localnet/node1");
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(refers_to(
            &args(&["hubd", "start", "--home", "/x/.localnet/node1"]),
            home
        ));
        assert!(refers_to(
            &args(&["cometbft", "node", "--home=/x/.localnet/node1"]),
            home
        ));
        assert!(refers_to(
            &args(&["cometbft", "node", "--home", "/x/.localnet/node1/cometbft"]),
            home
        ));
        assert!(!refers_to(
            &args(&["hubd", "start", "--home", "/x/.localnet/node10"]),
            home
        ));
    }

    #[test]
    fn a_bound_port_is_reported_with_its_owner() {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let err = check_port_free(port, "node0 rpc").unwrap_err().to_string();
        assert!(err.contains(&format!("port {port} (node0 rpc)")), "{err}");
        drop(listener);
        check_port_free(port, "node0 rpc").unwrap();
    }

    #[test]
    fn our_own_process_is_alive_and_a_bogus_pid_is_not() {
        let me = std::process::id();
        assert!(cmdline(me).is_some());
        assert!(cmdline(u32::MAX - 1).is_none());
    }
}
