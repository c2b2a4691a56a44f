//! The IBC half of `localnet load --ibc`: ICS-20 transfers from the hub to spoke-a, and the
//! follow-up that waits until Hermes has relayed every packet and its acknowledgement.

use std::{
    collections::BTreeMap,
    time::{Duration, Instant, SystemTime},
};

use anyhow::{bail, Context as _};
use hub_cli::rpc::Node;
use serde_json::{json, Value};
use tendermint::abci::Event;

use crate::{
    hermes::TRANSFER_PORT,
    load::{commit_time, percentile, unix_nanos},
    state::Localnet,
};

/// Timeout of every load packet: ten minutes after signing (ns since the epoch).
const PACKET_LIFETIME: Duration = Duration::from_secs(600);

/// Where the load goes: the hub's channel to spoke-a and a receiver there.
#[derive(Debug, Clone)]
pub struct Target {
    /// The hub's channel id towards spoke-a.
    pub channel: String,
    /// Receiver on spoke-a (its faucet).
    pub receiver: String,
    /// spoke-a's chain id (for messages).
    pub chain_id: String,
}

impl Target {
    /// The hub → spoke-a transfer channel of `net`; an error if there is none.
    pub fn of(net: &Localnet) -> anyhow::Result<Self> {
        let spoke = net.spokes().first().context(
            "--ibc needs a localnet with spokes and Hermes (`localnet up` without --spokes 0)",
        )?;
        let relayer = net
            .relayer
            .as_ref()
            .context("--ibc needs Hermes: this localnet was started with --no-relayer")?;
        let channel = relayer
            .paths
            .iter()
            .filter_map(|p| p.ends_from(&net.hub().chain_id))
            .find(|(_, far)| far.chain_id == spoke.chain_id)
            .map(|(near, _)| near.channel.clone())
            .with_context(|| format!("no transfer channel from the hub to {}", spoke.chain_id))?;
        Ok(Target {
            channel,
            receiver: spoke.faucet.address.clone(),
            chain_id: spoke.chain_id.clone(),
        })
    }
}

/// A `MsgTransfer` of 1 `denom` from `sender` to the target, timing out after
/// [`PACKET_LIFETIME`].
pub fn msg_transfer(sender: &str, target: &Target, denom: &str) -> anyhow::Result<cosmrs::Any> {
    let deadline = SystemTime::now() + PACKET_LIFETIME;
    let timeout_timestamp_ns =
        u64::try_from(unix_nanos(deadline)).context("the clock is before 1970")?;
    Ok(hub_cli::tx::msg_transfer(&hub_cli::tx::Transfer {
        source_port: TRANSFER_PORT.to_owned(),
        source_channel: target.channel.clone(),
        token: hub_cli::coins::Coin {
            denom: denom.to_owned(),
            amount: 1,
        },
        sender: sender.to_owned(),
        receiver: target.receiver.clone(),
        timeout_height: hub_cli::ibc::IbcHeight::new(0, 0),
        timeout_timestamp_ns,
        memo: String::new(),
    }))
}

/// The `packet_sequence` of every event of type `kind` (`send_packet`, `acknowledge_packet`).
pub fn sequences(events: &[Event], kind: &str) -> Vec<u64> {
    events
        .iter()
        .filter(|e| e.kind == kind)
        .filter_map(|e| {
            e.attributes
                .iter()
                .find(|a| a.key_str().ok() == Some("packet_sequence"))
                .and_then(|a| a.value_str().ok()?.parse().ok())
        })
        .collect()
}

fn channel_of(e: &Event) -> Option<&str> {
    e.attributes
        .iter()
        .find(|a| a.key_str().ok() == Some("packet_src_channel"))
        .and_then(|a| a.value_str().ok())
}

/// What the IBC load measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// Packets sent by the load.
    pub sent: usize,
    /// Packets whose acknowledgement reached the hub.
    pub acked: usize,
    /// Seconds from the first submission to the commit of the last ack.
    pub window_s: f64,
    /// Send → ack latency in blocks, sorted.
    pub blocks: Vec<f64>,
    /// Send → ack latency in seconds (commit of the send block → commit of the ack block), sorted.
    pub seconds: Vec<f64>,
    /// Mean FinalizeBlock time of node0 over the window, ms.
    pub finalize_ms: Option<f64>,
    /// Mean block interval over the window, ms.
    pub interval_ms: f64,
    /// Resident memory of each hub node's hubd, MiB.
    pub rss_mib: Vec<(String, f64)>,
}

impl Report {
    /// JSON of `--output json`.
    pub fn to_json(&self) -> Value {
        let r = |x: f64| (x * 1000.0).round() / 1000.0;
        json!({
            "packets_sent": self.sent,
            "packets_acknowledged": self.acked,
            "window_seconds": r(self.window_s),
            "acknowledged_per_second": r(self.acked as f64 / self.window_s.max(1e-9)),
            "send_to_ack_blocks": { "p50": percentile(&self.blocks, 50.0), "p99": percentile(&self.blocks, 99.0) },
            "send_to_ack_seconds": { "p50": r(percentile(&self.seconds, 50.0)), "p99": r(percentile(&self.seconds, 99.0)) },
            "finalize_block_ms_mean": self.finalize_ms.map(r),
            "block_interval_ms_mean": r(self.interval_ms),
            "hubd_rss_mib": self.rss_mib.iter().map(|(n, m)| json!({ "node": n, "rss_mib": r(*m) })).collect::<Vec<_>>(),
        })
    }

    /// The text summary.
    pub fn to_text(&self) -> String {
        let share = self
            .finalize_ms
            .map(|f| {
                format!(
                    "{f:.1} ms of a {:.0} ms block interval ({:.1} %)",
                    self.interval_ms,
                    100.0 * f / self.interval_ms.max(1e-9)
                )
            })
            .unwrap_or_else(|| "not in node0's log".into());
        format!(
            "\nIBC results:\n  acknowledged:       {} of {} packets in {:.1} s: {:.1} packets/s\n  send -> ack:        p50 {} blocks / {:.2} s, p99 {} blocks / {:.2} s\n  hub FinalizeBlock:  {share}\n  hubd RSS:           {}\n",
            self.acked,
            self.sent,
            self.window_s,
            self.acked as f64 / self.window_s.max(1e-9),
            percentile(&self.blocks, 50.0),
            percentile(&self.seconds, 50.0),
            percentile(&self.blocks, 99.0),
            percentile(&self.seconds, 99.0),
            self.rss_mib
                .iter()
                .map(|(n, m)| format!("{n} {m:.0} MiB"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// Mean `finalize_us` of the "block executed" lines of `log` for heights in `range`, in ms.
fn mean_finalize_ms(log: &str, range: std::ops::RangeInclusive<u64>) -> Option<f64> {
    let mut total = 0u64;
    let mut count = 0u64;
    for line in log.lines().filter(|l| l.contains("block executed")) {
        let field = |name: &str| -> Option<u64> {
            let start = line.find(&format!("{name}="))? + name.len() + 1;
            line[start..]
                .split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        };
        if let (Some(h), Some(us)) = (field("height"), field("finalize_us")) {
            if range.contains(&h) {
                total += us;
                count += 1;
            }
        }
    }
    (count > 0).then(|| total as f64 / count as f64 / 1000.0)
}

/// Resident memory of `pid` in MiB (`/proc/<pid>/status` VmRSS).
fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

/// Scans the hub's blocks from `start_height` until every packet of `sent` (sequence → send
/// height) has its `acknowledge_packet` on the target channel, then measures.
#[allow(clippy::too_many_arguments)]
pub async fn follow_acks(
    net: &Localnet,
    target: &Target,
    node0: &Node,
    start_height: u64,
    sent: &BTreeMap<u64, u64>,
    first_submit_ns: i128,
    idle_timeout: Duration,
    json_mode: bool,
) -> anyhow::Result<Report> {
    let say = |text: String| {
        if json_mode {
            eprintln!("{text}")
        } else {
            println!("{text}")
        }
    };
    say(format!(
        "[5/5] waiting for Hermes to relay {} packets to {} and their acks back",
        sent.len(),
        target.chain_id
    ));
    let mut acked: BTreeMap<u64, u64> = BTreeMap::new();
    let mut next = start_height + 1;
    let mut last_progress = Instant::now();
    while acked.len() < sent.len() {
        let latest = node0.status().await?.sync_info.latest_block_height.value();
        if next > latest {
            if last_progress.elapsed() > idle_timeout {
                bail!(
                    "{} of {} packets were not acknowledged after {} s without progress; is Hermes running (localnet status)?",
                    sent.len() - acked.len(),
                    sent.len(),
                    idle_timeout.as_secs()
                );
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
            continue;
        }
        let results = crate::load::block_results(node0, next).await?;
        let before = acked.len();
        for r in results.txs_results.unwrap_or_default() {
            if r.code.is_err() {
                continue;
            }
            let ours: Vec<Event> = r
                .events
                .into_iter()
                .filter(|e| channel_of(e) == Some(target.channel.as_str()))
                .collect();
            for seq in sequences(&ours, "acknowledge_packet") {
                if sent.contains_key(&seq) {
                    acked.entry(seq).or_insert(next);
                }
            }
        }
        if acked.len() > before {
            last_progress = Instant::now();
            say(format!(
                "      block {next}: {} acks ({}/{})",
                acked.len() - before,
                acked.len(),
                sent.len()
            ));
        }
        next += 1;
    }
    let mut times = BTreeMap::new();
    for h in sent.values().chain(acked.values()) {
        if let std::collections::btree_map::Entry::Vacant(e) = times.entry(*h) {
            e.insert(commit_time(node0, *h).await?);
        }
    }
    let mut blocks = Vec::new();
    let mut seconds = Vec::new();
    for (seq, ack_h) in &acked {
        let send_h = sent[seq];
        blocks.push((ack_h - send_h) as f64);
        seconds.push((times[ack_h] - times[&send_h]) as f64 / 1e9);
    }
    blocks.sort_by(f64::total_cmp);
    seconds.sort_by(f64::total_cmp);
    let last_ack_h = acked.values().copied().max().unwrap_or(start_height);
    let first_h = start_height + 1;
    let window_s =
        (times.get(&last_ack_h).copied().unwrap_or(first_submit_ns) - first_submit_ns) as f64 / 1e9;
    let interval_ms = if last_ack_h > first_h {
        (commit_time(node0, last_ack_h).await? - commit_time(node0, first_h).await?) as f64
            / 1e6
            / (last_ack_h - first_h) as f64
    } else {
        0.0
    };
    let hub = net.hub();
    let log = std::fs::read_to_string(hub.node0().log_path()).unwrap_or_default();
    let rss = hub
        .nodes
        .iter()
        .filter_map(|n| Some((n.name.clone(), rss_mib(n.pid?)?)))
        .collect();
    Ok(Report {
        sent: sent.len(),
        acked: acked.len(),
        window_s,
        blocks,
        seconds,
        finalize_ms: mean_finalize_ms(&log, first_h..=last_ack_h),
        interval_ms,
        rss_mib: rss,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finalize_times_are_read_from_the_node_log() {
        let log = "2026-12-01T07:00:00Z  INFO hub_app::abci: block executed height=9 txs=2 finalize_us=1500\n\
                   2026-12-01T07:00:01Z  INFO hub_app::abci: block executed height=10 txs=5 finalize_us=2500\n\
                   2026-12-01T07:00:01Z  INFO hub_app::abci: committed height=10 commit_us=900\n\
                   2026-12-01T07:00:02Z  INFO hub_app::abci: block executed height=11 txs=0 finalize_us=100000\n";
        assert_eq!(mean_finalize_ms(log, 9..=10), Some(2.0));
        assert_eq!(mean_finalize_ms(log, 20..=30), None);
    }

    #[test]
    fn packet_sequences_are_read_from_events() {
        let e = Event::new(
            "send_packet",
            [
                ("packet_sequence", "7", true),
                ("packet_src_channel", "channel-0", true),
            ],
        );
        assert_eq!(sequences(std::slice::from_ref(&e), "send_packet"), vec![7]);
        assert!(sequences(std::slice::from_ref(&e), "acknowledge_packet").is_empty());
        assert_eq!(channel_of(&e), Some("channel-0"));
    }
}
