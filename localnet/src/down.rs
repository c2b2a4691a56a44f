//! `localnet down`: stop Hermes and every node of every chain, and leave no process behind.
//! Idempotent.

use std::time::Duration;

use serde_json::json;

use crate::{procs, state::Localnet, Globals};

/// How long a node gets to exit after SIGTERM before it is killed.
pub const GRACE: Duration = Duration::from_secs(10);

/// Runs `down`.
pub fn run(globals: &Globals) -> anyhow::Result<()> {
    let Some(mut state) = Localnet::load(&globals.dir)? else {
        globals.output.print(&json!({ "stopped": [] }), || {
            format!("nothing to stop: no localnet in {}", globals.dir.display())
        });
        return Ok(());
    };
    let mut report = Vec::new();
    // The relayer first, so that it does not log errors about nodes going away.
    if let Some(relayer) = &mut state.relayer {
        let stopped = procs::stop_node(relayer.pid, &relayer.home, GRACE);
        let leftover: Vec<u32> = procs::processes_of(&relayer.home);
        report.push(("hermes".to_owned(), stopped, leftover));
        relayer.pid = None;
    }
    for chain in state.chains.iter_mut().chain(state.ibc_go.iter_mut()) {
        for node in &mut chain.nodes {
            let stopped = procs::stop_node(node.pid, &node.home, GRACE);
            let leftover: Vec<u32> = procs::processes_of(&node.home);
            report.push((format!("{}/{}", chain.name, node.name), stopped, leftover));
            node.pid = None;
        }
    }
    state.save()?;
    globals.output.print(
        &json!({
            "stopped": report.iter().map(|(name, pids, left)| json!({ "name": name, "pids": pids, "still_running": left })).collect::<Vec<_>>()
        }),
        || {
            report
                .iter()
                .map(|(name, pids, _)| match pids.as_slice() {
                    [] => format!("{name}: was not running"),
                    pids => format!(
                        "{name}: stopped (pids {})",
                        pids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
                    ),
                })
                .collect::<Vec<_>>()
                .join("\n")
        },
    );
    let left: Vec<String> = report
        .iter()
        .flat_map(|(name, _, left)| left.iter().map(move |pid| format!("{name}: pid {pid}")))
        .collect();
    if !left.is_empty() {
        anyhow::bail!(
            "some processes survived SIGKILL ({}); check them with `ps -p <pid>`",
            left.join(", ")
        );
    }
    Ok(())
}
