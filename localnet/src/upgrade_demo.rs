//! The upgrade story of `localnet demo`: hub governance upgrades both spokes to `v2`.
//!
//! 1. Stage the next spoke release (`spoked-v2`, which carries the `v2` migration) and write a
//!    plan per spoke whose `info` names it by a `file://` URL with its sha256.
//! 2. Submit one proposal with a `MsgDispatchUpgrade` per spoke (`hubd tx gov submit-proposal`)
//!    and vote yes with 3 of the 4 hub validators (`hubd tx gov vote`).
//! 3. Watch it pass; the hub sends each plan on its ORDERED `upgrade` channel and Hermes relays
//!    it: the dispatches go PENDING → ACKNOWLEDGED.
//! 4. At the plan height each spoke halts (`UPGRADE "v2" NEEDED`), cosmovisor downloads the
//!    staged binary, checks its sha256, switches and restarts; the new binary applies `v2`.
//! 5. Update the hub's clients of the spokes and prove each `applied/v2`
//!    (`hubd tx interchain-upgrade confirm-applied`): the dispatches become APPLIED.
//!
//! It reports the blocks from the proposal's pass to APPLIED on both spokes and the spokes'
//! FinalizeBlock time at the upgrade height (from their logs).

use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use hub_client::rpc::Node;
use hub_proto::interchain_upgrade::v1 as iupb;
use serde_json::json;

use crate::gov::{self, height, hubd_query, wait_for, STAGE_TIMEOUT};
use crate::{
    cosmovisor, hermes, procs,
    state::{ChainNet, Localnet, Relayer},
};

/// The plan name (the `v2` handler of `spoked-v2`).
pub const PLAN: &str = "v2";
/// How far ahead of each spoke's height the plan is (blocks): the hub's voting period
/// (20 s), relaying, and the spokes' `min_upgrade_delay` (20) fit in it.
const PLAN_LEAD: u64 = 70;

fn status_name(d: &iupb::Dispatch) -> &'static str {
    hub_cli::upgrade::status_name(d.status)
}

fn print_dispatches(all: &[iupb::Dispatch]) {
    println!(
        "      {:<12} {:<5} {:>7} {:<10} {:<13} {:>8}",
        "spoke", "plan", "height", "channel", "status", "proposal"
    );
    for d in all {
        let plan = d.plan.clone().unwrap_or_default();
        println!(
            "      {:<12} {:<5} {:>7} {:<10} {:<13} {:>8}",
            d.spoke_chain_id,
            plan.name,
            plan.height,
            d.channel_id,
            status_name(d),
            d.proposal_id
        );
    }
}

/// The dispatches of the plan once each one's status is in `statuses`. Runs `hermes clear
/// packets` on the upgrade channels once if Hermes has not relayed within 45 s.
///
/// Errors: a dispatch REJECTED or TIMED_OUT, or the statuses not reached in time.
async fn wait_dispatches(
    hub: &Node,
    spokes: &[ChainNet],
    statuses: &[iupb::DispatchStatus],
    relayer: &Relayer,
) -> anyhow::Result<Vec<iupb::Dispatch>> {
    let started = Instant::now();
    let mut nudged = false;
    loop {
        let mine: Vec<_> = hub_cli::upgrade::dispatches(hub, None, None)
            .await?
            .into_iter()
            .filter(|d| d.plan.as_ref().is_some_and(|p| p.name == PLAN))
            .collect();
        if let Some(bad) = mine.iter().find(|d| {
            matches!(
                iupb::DispatchStatus::try_from(d.status),
                Ok(iupb::DispatchStatus::Rejected | iupb::DispatchStatus::TimedOut)
            )
        }) {
            bail!(
                "the dispatch to {} is {}: {}",
                bad.spoke_chain_id,
                status_name(bad),
                bad.reason
            );
        }
        if mine.len() == spokes.len()
            && mine
                .iter()
                .all(|d| statuses.iter().any(|s| *s as i32 == d.status))
        {
            return Ok(mine);
        }
        if !nudged && started.elapsed() > Duration::from_secs(45) {
            nudged = true;
            for path in &relayer.upgrade_paths {
                println!(
                    "      not relayed after 45 s: `hermes clear packets` on {} {}",
                    path.a.chain_id, path.a.channel
                );
                hermes::clear_packets(relayer, &path.a.chain_id, &path.a.port, &path.a.channel)?;
            }
        }
        if started.elapsed() > STAGE_TIMEOUT {
            bail!(
                "the dispatches did not reach {statuses:?} in {} s; read {}",
                STAGE_TIMEOUT.as_secs(),
                relayer.log_path().display()
            );
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// The FinalizeBlock time (µs) node0 of `spoke` logged for block `h`, if it did.
fn finalize_us_at(spoke: &ChainNet, h: i64) -> Option<u64> {
    let log = std::fs::read_to_string(spoke.node0().log_path()).ok()?;
    log.lines()
        .filter(|l| l.contains("block executed") && l.contains(&format!("height={h} ")))
        .find_map(|l| {
            let v = l.split("finalize_us=").nth(1)?;
            v.split_whitespace().next()?.parse().ok()
        })
}

/// Runs the upgrade story.
pub async fn run(state: &Localnet, relayer: &Relayer) -> anyhow::Result<()> {
    let hub = state.hub();
    let spokes = state.spokes();
    if relayer.upgrade_paths.len() != spokes.len() {
        bail!("this localnet has no upgrade channels; recreate it with `localnet up`");
    }
    let hub_node = Node::new(&hub.node0().rpc)?;

    println!("[1/5] staging spoked-v2 (the release with the v2 migration) and writing the plans");
    let v2 = procs::find_program("spoked-v2", None)?;
    let gov = hub_cli::gov::gov_address(&hub.prefix)?;
    let mut messages = Vec::new();
    let mut plans = Vec::new();
    for spoke in spokes {
        let info = cosmovisor::plan_info(&spoke.node0().home, &v2)?;
        let h = height(spoke).await? + PLAN_LEAD;
        println!(
            "      {}: plan {PLAN} at height {h}, {info}",
            spoke.chain_id
        );
        messages.push(json!({
            "@type": hub_cli::upgrade::MSG_DISPATCH_UPGRADE_TYPE_URL,
            "authority": gov,
            "spoke_chain_id": spoke.chain_id,
            "plan": { "name": PLAN, "height": h.to_string(), "info": info },
        }));
        plans.push(h as i64);
    }
    let file = state.dir.join("proposal-upgrade-v2.json");
    println!(
        "[2/5] submitting the proposal and voting with 3 of {} hub validators",
        hub.nodes.len()
    );
    let gov::Passed { id, height: passed_at } = gov::pass(
        hub,
        &file,
        "Upgrade the spokes to v2",
        "Dispatch plan v2 to every spoke; each halts at its plan height and switches to the checksummed spoked-v2 under cosmovisor.",
        messages,
    )
    .await?;
    println!("[3/5] the vote ended; waiting for Hermes to relay the plans");
    let tally = hubd_query(hub, &["query", "gov", "tally", &id])?;
    println!(
        "      PASSED at hub height {passed_at}; tally {}",
        tally["tally"]
    );
    use iupb::DispatchStatus as S;
    let all = wait_dispatches(&hub_node, spokes, &[S::Acknowledged], relayer).await?;
    print_dispatches(&all);

    println!(
        "[4/5] each spoke halts at its plan height; cosmovisor checks the sha256 and switches"
    );
    for (spoke, h) in spokes.iter().zip(&plans) {
        let spoke_node = Node::new(&spoke.node0().rpc)?;
        wait_for(&format!("{} past height {h}", spoke.chain_id), || async {
            Ok(match spoke_node.status().await {
                Ok(s) if s.sync_info.latest_block_height.value() as i64 > *h => Some(()),
                _ => None,
            })
        })
        .await?;
        let applied = procs::run_json(
            &spoke.binary,
            &[
                "query",
                "upgrade",
                "applied",
                PLAN,
                "--node",
                &spoke.node0().rpc,
                "--output",
                "json",
            ],
        )?;
        let current =
            cosmovisor::current_upgrade(&spoke.node0().home).unwrap_or_else(|| "genesis".into());
        let fb = finalize_us_at(spoke, *h)
            .map(|us| format!("{:.1} ms", us as f64 / 1000.0))
            .unwrap_or_else(|| "not logged".into());
        println!(
            "      {}: applied {PLAN} at height {}; cosmovisor runs {current}; FinalizeBlock at the upgrade height {fb}",
            spoke.chain_id, applied["height"].as_str().unwrap_or("?")
        );
    }

    println!("[5/5] proving on the hub that each spoke applied v2 (through its light clients)");
    for (spoke, path) in spokes.iter().zip(&relayer.upgrade_paths) {
        hermes::update_client(relayer, &hub.chain_id, &path.a.client)?;
        let rpc = &spoke.node0().rpc;
        let confirm = [
            "tx",
            "interchain-upgrade",
            "confirm-applied",
            &spoke.chain_id,
            PLAN,
        ];
        gov::hubd_tx_as(
            hub,
            &hub.faucet,
            &[&confirm[..], &["--spoke-node", rpc]].concat(),
        )
        .with_context(|| format!("confirming {PLAN} on {}", spoke.chain_id))?;
    }
    let all = wait_dispatches(&hub_node, spokes, &[S::Applied], relayer).await?;
    print_dispatches(&all);
    let applied_at = height(hub).await?;
    println!(
        "      APPLIED on {} spokes {} hub blocks after the proposal passed (`hubd query interchain-upgrade dispatches`)",
        spokes.len(),
        applied_at.saturating_sub(passed_at)
    );
    Ok(())
}
