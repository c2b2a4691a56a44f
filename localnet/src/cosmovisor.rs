//! Spoke nodes under cosmovisor: the layout in a node home, the environment, the command line,
//! and the plan `info` of a software upgrade.
//!
//! Layout (created by `up` in every spoke node home; `current` is created by cosmovisor itself
//! on its first start, pointing at `genesis`):
//!
//! ```text
//! <home>/cosmovisor/genesis/bin/spoked     copy of the spoked that `up` started with
//! <home>/cosmovisor/current -> genesis     later -> upgrades/<name>, after a switch
//! <home>/cosmovisor/upgrades/<name>/bin/spoked   written by cosmovisor only, never by localnet
//! <home>/upgrade-binaries/<sha256>/<file>  binaries staged by [`plan_info`]
//! ```
//!
//! Nothing is pre-placed in `upgrades/`: cosmovisor runs a pre-placed binary without checking
//! it, but it fetches a missing one from the plan's URL and refuses it (exit status 1, no
//! switch, nothing restarted) unless its sha256 equals the `checksum=sha256:<hex>` of the URL;
//! with `DAEMON_DOWNLOAD_MUST_HAVE_CHECKSUM=true` it refuses a URL without a checksum. See the
//! "Cosmovisor" section of docs/design-notes.md for what was measured.

use std::{
    io::Read as _,
    path::{Path, PathBuf},
    process::Child,
};

use anyhow::{bail, Context as _};
use sha2::{Digest as _, Sha256};

use crate::{procs, state::Localnet, Globals};

/// Arguments of `plan-info`.
#[derive(Debug, clap::Args)]
pub struct PlanInfoArgs {
    /// The new node program the spoke is to switch to
    #[arg(long, value_name = "PATH")]
    binary: PathBuf,
    /// The spoke, by name (`spoke-a`) or chain id (`spoke-a-1`)
    #[arg(long, default_value = "spoke-a")]
    chain: String,
    /// The node whose home stages the binary (every node of the localnet can read it)
    #[arg(long, default_value = "node0")]
    node: String,
}

/// Runs `plan-info`: prints the `info` of an upgrade plan switching `--chain` to `--binary`
/// (see [`plan_info`]); with `--output json`, `{"chain_id", "info", "sha256", "url"}`.
pub fn run(globals: &Globals, args: PlanInfoArgs) -> anyhow::Result<()> {
    let state = Localnet::require(&globals.dir)?;
    let chain = state
        .spokes()
        .iter()
        .find(|c| c.name == args.chain || c.chain_id == args.chain)
        .with_context(|| {
            format!(
                "no spoke {:?} in this localnet (spokes: {})",
                args.chain,
                state
                    .spokes()
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
    let node = chain
        .nodes
        .iter()
        .find(|n| n.name == args.node)
        .with_context(|| format!("{} has no node {:?}", chain.name, args.node))?;
    let info = plan_info(&node.home, &args.binary)?;
    let parsed: serde_json::Value = serde_json::from_str(&info)?;
    let url = parsed["binaries"][platform()?].as_str().unwrap_or_default();
    let sha256 = url.rsplit_once("sha256:").map_or("", |(_, h)| h);
    globals.output.print(
        &serde_json::json!({ "chain_id": chain.chain_id, "info": info, "sha256": sha256, "url": url }),
        || info.clone(),
    );
    Ok(())
}

/// The cosmovisor release `scripts/setup.sh` installs (`go install
/// cosmossdk.io/tools/cosmovisor/cmd/cosmovisor@v1.5.0`).
pub const COSMOVISOR_VERSION: &str = "v1.5.0";

/// Folder of a node home where [`plan_info`] stages upgrade binaries, one sub-folder per sha256.
pub const STAGING_DIR: &str = "upgrade-binaries";

/// How long cosmovisor lets the daemon stop after it sees `upgrade-info.json` (SIGINT first).
/// Without it cosmovisor SIGKILLs the daemon at once, which would leave its CometBFT child
/// running; `spoked` stops that child within 10 s of SIGINT.
pub const SHUTDOWN_GRACE: &str = "20s";

/// Finds cosmovisor: `requested` (`--cosmovisor`), else `cosmovisor` on PATH, else in Go's
/// install directory (`$GOBIN`, `$GOPATH/bin`, `~/go/bin`); the error says how to install it.
pub fn locate(requested: Option<&Path>) -> anyhow::Result<PathBuf> {
    crate::procs::locate_go_program("cosmovisor", requested, "--cosmovisor").with_context(|| {
        format!(
            "every spoke node runs under cosmovisor: install it with scripts/setup.sh (go install cosmossdk.io/tools/cosmovisor/cmd/cosmovisor@{COSMOVISOR_VERSION}) or pass --cosmovisor <PATH>"
        )
    })
}

/// The name cosmovisor knows the daemon by (`DAEMON_NAME`): the file name of its program.
pub fn daemon_name(daemon: &Path) -> anyhow::Result<String> {
    daemon
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
        .with_context(|| format!("{} has no usable file name", daemon.display()))
}

/// Creates the cosmovisor layout in a fresh node `home`: `cosmovisor/genesis/bin/<name>`, a
/// copy of `daemon`, and an empty `cosmovisor/upgrades/`. Fails if an upgrade is already
/// there (a pre-placed binary would run unchecked). Returns the genesis binary's path.
pub fn prepare_home(home: &Path, daemon: &Path) -> anyhow::Result<PathBuf> {
    let name = daemon_name(daemon)?;
    let root = home.join("cosmovisor");
    let upgrades = root.join("upgrades");
    if let Ok(mut entries) = std::fs::read_dir(&upgrades) {
        if entries.next().is_some() {
            bail!(
                "{} is not empty; cosmovisor would run a binary placed there without checking it",
                upgrades.display()
            );
        }
    }
    let bin_dir = root.join("genesis").join("bin");
    std::fs::create_dir_all(&bin_dir)
        .with_context(|| format!("cannot create {}", bin_dir.display()))?;
    std::fs::create_dir_all(&upgrades)
        .with_context(|| format!("cannot create {}", upgrades.display()))?;
    // cosmovisor watches <home>/data/upgrade-info.json and needs the folder to exist.
    let data = home.join("data");
    std::fs::create_dir_all(&data).with_context(|| format!("cannot create {}", data.display()))?;
    let target = bin_dir.join(&name);
    std::fs::copy(daemon, &target)
        .with_context(|| format!("cannot copy {} to {}", daemon.display(), target.display()))?;
    Ok(target)
}

/// The environment of `cosmovisor run` for the node at `home` whose daemon is `daemon_name`:
/// restart after a switch, fetch the new binary from the plan's URL and accept it only with a
/// matching sha256, no data backup, SIGINT and [`SHUTDOWN_GRACE`] before a kill, plain logs.
/// Every other cosmovisor variable is set to its default so that the caller's shell cannot
/// change the behaviour.
pub fn env(home: &Path, daemon_name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("DAEMON_NAME", daemon_name.to_owned()),
        ("DAEMON_HOME", home.to_string_lossy().into_owned()),
        ("DAEMON_RESTART_AFTER_UPGRADE", "true".into()),
        ("DAEMON_ALLOW_DOWNLOAD_BINARIES", "true".into()),
        ("DAEMON_DOWNLOAD_MUST_HAVE_CHECKSUM", "true".into()),
        ("UNSAFE_SKIP_BACKUP", "true".into()),
        (
            "DAEMON_DATA_BACKUP_DIR",
            home.to_string_lossy().into_owned(),
        ),
        ("DAEMON_POLL_INTERVAL", "300ms".into()),
        ("DAEMON_SHUTDOWN_GRACE", SHUTDOWN_GRACE.into()),
        ("DAEMON_RESTART_DELAY", String::new()),
        ("DAEMON_PREUPGRADE_MAX_RETRIES", "0".into()),
        ("COSMOVISOR_COLOR_LOGS", "false".into()),
        ("COSMOVISOR_DISABLE_LOGS", "false".into()),
        ("COSMOVISOR_TIMEFORMAT_LOGS", "kitchen".into()),
        ("COSMOVISOR_DISABLE_RECASE", "false".into()),
        ("COSMOVISOR_CUSTOM_PREUPGRADE", String::new()),
    ]
}

/// Starts `cosmovisor run start --home HOME` (the arguments `spoked start` gets without
/// cosmovisor) in its own process group, with [`env`], output appended to `log`.
pub fn spawn_node(
    cosmovisor: &Path,
    daemon_name: &str,
    home: &Path,
    log: &Path,
) -> anyhow::Result<Child> {
    let home_arg = home.to_string_lossy();
    procs::spawn_logged_with_env(
        cosmovisor,
        &["run", "start", "--home", &home_arg],
        &env(home, daemon_name),
        log,
    )
}

/// The upgrade binary cosmovisor runs after a switch to `current`, read from the `current`
/// link of `home`: `None` while it points at `genesis` (or is not there yet), else the
/// upgrade's folder name.
pub fn current_upgrade(home: &Path) -> Option<String> {
    let target = std::fs::read_link(home.join("cosmovisor").join("current")).ok()?;
    let name = target.file_name()?.to_str()?.to_owned();
    (name != "genesis").then_some(name)
}

/// Hex sha256 of a file's contents.
pub fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// The `info` of an upgrade plan for the spoke whose node home is `node_home`, switching to
/// `new_binary`: `{"binaries":{"linux/amd64":"file://<staged>?checksum=sha256:<hex>"}}`.
///
/// The binary is first copied, read-only, to `<node_home>/upgrade-binaries/<sha256>/<file>`
/// and the digest is that of the copy (computed once; a second call for the same content
/// replaces the copy with an identical one): cosmovisor links `upgrades/<name>/bin/<daemon>` to the
/// file a `file://` URL names (it does not copy it), so the URL must name a file nothing
/// rebuilds or rewrites. The string is the plan's (one per chain): every node of a localnet
/// can read the staged file, so one call for node0's home serves all of a spoke's validators.
/// The platform key is the one of this machine (`linux/amd64` on x86-64).
pub fn plan_info(node_home: &Path, new_binary: &Path) -> anyhow::Result<String> {
    let meta = std::fs::metadata(new_binary)
        .with_context(|| format!("cannot read {}", new_binary.display()))?;
    if !meta.is_file() {
        bail!("{} is not a file", new_binary.display());
    }
    let file_name = daemon_name(new_binary)?;
    let staging = node_home.join(STAGING_DIR);
    std::fs::create_dir_all(&staging)
        .with_context(|| format!("cannot create {}", staging.display()))?;
    // Copy first, then hash the copy: the digest is that of the bytes staged, whatever happens
    // to the source meanwhile.
    let incoming = staging.join(format!(".incoming-{}", std::process::id()));
    std::fs::copy(new_binary, &incoming).with_context(|| {
        format!(
            "cannot copy {} to {}",
            new_binary.display(),
            incoming.display()
        )
    })?;
    let staged = sha256_file(&incoming).and_then(|digest| {
        set_mode(&incoming, 0o555)?;
        let dir = staging.join(&digest);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let staged = dir.join(&file_name);
        std::fs::rename(&incoming, &staged)
            .with_context(|| format!("cannot move the staged binary to {}", staged.display()))?;
        Ok((staged, digest))
    });
    let (staged, digest) = match staged {
        Ok(staged) => staged,
        Err(e) => {
            let _ = std::fs::remove_file(&incoming);
            return Err(e);
        }
    };
    let staged = std::fs::canonicalize(&staged)
        .with_context(|| format!("cannot resolve {}", staged.display()))?;
    let path = staged
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", staged.display()))?;
    Ok(info_json(&platform()?, path, &digest))
}

/// The `info` JSON naming `path` (absolute) for `platform` with `sha256` (hex).
pub fn info_json(platform: &str, path: &str, sha256: &str) -> String {
    let url = format!("file://{path}?checksum=sha256:{sha256}");
    serde_json::json!({ "binaries": { platform: url } }).to_string()
}

/// cosmovisor's platform key of this machine (`GOOS/GOARCH`).
pub fn platform() -> anyhow::Result<String> {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "arm" => "arm",
        other => bail!("no cosmovisor platform name known for the {other} architecture"),
    };
    Ok(format!("{}/{arch}", std::env::consts::OS))
}

fn set_mode(path: &Path, mode: u32) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("cannot set the permissions of {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_info_stages_a_read_only_copy_and_names_its_digest() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("spoked");
        std::fs::write(&binary, b"#!/bin/sh\necho v2\n").unwrap();
        let home = dir.path().join("node0");
        std::fs::create_dir(&home).unwrap();
        let info = plan_info(&home, &binary).unwrap();
        let value: serde_json::Value = serde_json::from_str(&info).unwrap();
        let url = value["binaries"][platform().unwrap()].as_str().unwrap();
        let digest = sha256_file(&binary).unwrap();
        let (path, checksum) = url
            .strip_prefix("file://")
            .unwrap()
            .split_once("?checksum=sha256:")
            .unwrap();
        assert_eq!(checksum, digest);
        let staged = Path::new(path);
        assert!(staged.starts_with(std::fs::canonicalize(&home).unwrap()));
        assert_eq!(std::fs::read(staged).unwrap(), b"#!/bin/sh\necho v2\n");
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(staged).unwrap().permissions().mode() & 0o777,
            0o555
        );
        // A second call gives the same info (same content, same place).
        assert_eq!(plan_info(&home, &binary).unwrap(), info);
        // sha256 of the known content, computed independently.
        assert_eq!(
            sha256_file(staged).unwrap(),
            hex::encode(Sha256::digest(b"#!/bin/sh\necho v2\n"))
        );
    }

    #[test]
    fn plan_info_refuses_a_missing_binary() {
        let dir = tempfile::tempdir().unwrap();
        let err = plan_info(dir.path(), &dir.path().join("nope"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot read"), "{err}");
    }

    #[test]
    fn the_layout_has_the_genesis_binary_and_no_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let daemon = dir.path().join("spoked");
        std::fs::write(&daemon, b"bin").unwrap();
        let home = dir.path().join("home");
        let genesis = prepare_home(&home, &daemon).unwrap();
        assert_eq!(genesis, home.join("cosmovisor/genesis/bin/spoked"));
        assert_eq!(std::fs::read(&genesis).unwrap(), b"bin");
        assert!(home.join("data").is_dir());
        assert_eq!(
            std::fs::read_dir(home.join("cosmovisor/upgrades"))
                .unwrap()
                .count(),
            0
        );
        assert_eq!(current_upgrade(&home), None);
        std::fs::create_dir_all(home.join("cosmovisor/upgrades/v2/bin")).unwrap();
        let err = prepare_home(&home, &daemon).unwrap_err().to_string();
        assert!(err.contains("without checking"), "{err}");
    }

    #[test]
    fn the_environment_demands_a_checksum_and_names_the_daemon() {
        let env = env(Path::new("/h/node0"), "spoked");
        let get = |k: &str| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("DAEMON_NAME"), Some("spoked"));
        assert_eq!(get("DAEMON_HOME"), Some("/h/node0"));
        assert_eq!(get("DAEMON_ALLOW_DOWNLOAD_BINARIES"), Some("true"));
        assert_eq!(get("DAEMON_DOWNLOAD_MUST_HAVE_CHECKSUM"), Some("true"));
        assert_eq!(get("DAEMON_RESTART_AFTER_UPGRADE"), Some("true"));
    }
}
