//! The IBC half of `localnet load --ibc`: ICS-20 transfers from the hub to spoke-a, and the
//! follow-up that waits until Hermes has relayed every packet and its acknowledgement.

use std::{
    collections::BTreeMap,
    time::{Duration, Instant, SystemTime},
};

use anyhow::{bail, Context as _};
use hub_client::rpc::Node;
use serde_json::{json, Value};
use tendermint::abci::Event;

use crate::{
    blocks::{commit_time, percentile, unix_nanos},
    hermes::TRANSFER_PORT,
    state::Localnet,
};

/// Timeout of every load packet: ten minutes after signing (ns since the epoch).
const PACKET_LIFETIME: Duration = Duration::from_secs(600);

/// Where the load goes: the hub's channel to spoke-a and a receiver there.
#[derive(Debug, Clone)]
pub struct Target {
    /// The hub's channel id towards spoke-a.
    pub channel: String,
    /// spoke-a's end of that channel (where `recv_packet` happens).
    pub counterparty_channel: String,
    /// Receiver on spoke-a (its faucet).
    pub receiver: String,
    /// spoke-a's chain id (for messages).
    pub chain_id: String,
    /// RPC of spoke-a's node0 (`http://127.0.0.1:port`).
    pub rpc: String,
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
        let (channel, counterparty_channel) = relayer
            .paths
            .iter()
            .filter_map(|p| p.ends_from(&net.hub().chain_id))
            .find(|(_, far)| far.chain_id == spoke.chain_id)
            .map(|(near, far)| (near.channel.clone(), far.channel.clone()))
            .with_context(|| format!("no transfer channel from the hub to {}", spoke.chain_id))?;
        Ok(Target {
            channel,
            counterparty_channel,
            receiver: spoke.faucet.address.clone(),
            chain_id: spoke.chain_id.clone(),
            rpc: spoke.node0().rpc.clone(),
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
        token: hub_client::coins::Coin {
            denom: denom.to_owned(),
            amount: 1,
        },
        sender: sender.to_owned(),
        receiver: target.receiver.clone(),
        timeout_height: hub_client::ibc::IbcHeight::new(0, 0),
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

fn attribute<'a>(e: &'a Event, key: &str) -> Option<&'a str> {
    e.attributes
        .iter()
        .find(|a| a.key_str().ok() == Some(key))
        .and_then(|a| a.value_str().ok())
}

/// Failed txs of one chain over the load window, by `codespace/code` (e.g. `sdk/32`).
pub type FailedTxs = BTreeMap<String, usize>;

/// What one chain's blocks in a height range hold for the load: the height at which each
/// packet sequence first had an event of `kind` on channel `channel` (matched on `attr`), and
/// every failed tx by code.
#[derive(Debug, Default)]
struct Scan {
    seen: BTreeMap<u64, u64>,
    failed: FailedTxs,
}

impl Scan {
    /// Reads the tx results of block `height`.
    fn block(
        &mut self,
        height: u64,
        results: Vec<tendermint::abci::types::ExecTxResult>,
        (kind, attr, channel): (&str, &str, &str),
        wanted: &BTreeMap<u64, u64>,
    ) -> usize {
        let before = self.seen.len();
        for r in results {
            if r.code.is_err() {
                let code = format!("{}/{}", r.codespace, r.code.value());
                *self.failed.entry(code).or_default() += 1;
                continue;
            }
            let ours: Vec<Event> = r
                .events
                .into_iter()
                .filter(|e| attribute(e, attr) == Some(channel))
                .collect();
            for seq in sequences(&ours, kind) {
                if wanted.contains_key(&seq) {
                    self.seen.entry(seq).or_insert(height);
                }
            }
        }
        self.seen.len() - before
    }
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
    /// Send → receive latency in hub blocks (the first hub block committed at or after the
    /// spoke block holding the `recv_packet`, minus the send block), sorted.
    pub recv_blocks: Vec<f64>,
    /// Failed txs on the hub (the relayer's: the load's own txs all succeeded), by code.
    pub hub_failed: FailedTxs,
    /// Failed txs on spoke-a over the same window, by code.
    pub spoke_failed: FailedTxs,
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
            "send_to_recv_blocks": { "p50": percentile(&self.recv_blocks, 50.0), "p99": percentile(&self.recv_blocks, 99.0), "max": percentile(&self.recv_blocks, 100.0) },
            "send_to_ack_blocks": { "p50": percentile(&self.blocks, 50.0), "p99": percentile(&self.blocks, 99.0), "max": percentile(&self.blocks, 100.0) },
            "failed_txs": { "hub": self.hub_failed, "spoke": self.spoke_failed },
            "failed_txs_total": self.failed_total(),
            "send_to_ack_seconds": { "p50": r(percentile(&self.seconds, 50.0)), "p99": r(percentile(&self.seconds, 99.0)) },
            "finalize_block_ms_mean": self.finalize_ms.map(r),
            "block_interval_ms_mean": r(self.interval_ms),
            "hubd_rss_mib": self.rss_mib.iter().map(|(n, m)| json!({ "node": n, "rss_mib": r(*m) })).collect::<Vec<_>>(),
        })
    }

    /// Failed txs on both chains over the window.
    pub fn failed_total(&self) -> usize {
        self.hub_failed
            .values()
            .chain(self.spoke_failed.values())
            .sum()
    }

    /// The text summary.
    pub fn to_text(&self) -> String {
        let failed = |f: &FailedTxs| {
            if f.is_empty() {
                "none".to_owned()
            } else {
                f.iter()
                    .map(|(code, n)| format!("{n} × {code}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
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
            "\nIBC results:\n  acknowledged:       {} of {} packets in {:.1} s: {:.1} packets/s\n  send -> recv:       p50 {} hub blocks, p99 {} hub blocks\n  send -> ack:        p50 {} blocks / {:.2} s, p99 {} blocks / {:.2} s\n  failed txs:         hub {}; spoke {}\n  hub FinalizeBlock:  {share}\n  hubd RSS:           {}\n",
            self.acked,
            self.sent,
            self.window_s,
            self.acked as f64 / self.window_s.max(1e-9),
            percentile(&self.recv_blocks, 50.0),
            percentile(&self.recv_blocks, 99.0),
            percentile(&self.blocks, 50.0),
            percentile(&self.seconds, 50.0),
            percentile(&self.blocks, 99.0),
            percentile(&self.seconds, 99.0),
            failed(&self.hub_failed),
            failed(&self.spoke_failed),
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

/// Heights where the load starts on each chain: the last block before the first submission.
#[derive(Debug, Clone, Copy)]
pub struct StartHeights {
    /// On the hub.
    pub hub: u64,
    /// On spoke-a.
    pub spoke: u64,
}

/// Scans the hub's blocks from `start.hub` until every packet of `sent` (sequence → send
/// height) has its `acknowledge_packet` on the target channel, then spoke-a's blocks from
/// `start.spoke` for the `recv_packet`s, counting every failed tx on both chains, and measures.
#[allow(clippy::too_many_arguments)]
pub async fn follow_acks(
    net: &Localnet,
    target: &Target,
    node0: &Node,
    start: StartHeights,
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
    let mut hub = Scan::default();
    let mut next = start.hub + 1;
    let mut last_progress = Instant::now();
    let acks = (
        "acknowledge_packet",
        "packet_src_channel",
        target.channel.as_str(),
    );
    while hub.seen.len() < sent.len() {
        let latest = node0.status().await?.sync_info.latest_block_height.value();
        if next > latest {
            if last_progress.elapsed() > idle_timeout {
                bail!(
                    "{} of {} packets were not acknowledged after {} s without progress; is Hermes running (localnet status)?",
                    sent.len() - hub.seen.len(),
                    sent.len(),
                    idle_timeout.as_secs()
                );
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
            continue;
        }
        let results = crate::blocks::block_results(node0, next).await?;
        let new = hub.block(next, results.txs_results.unwrap_or_default(), acks, sent);
        if new > 0 {
            last_progress = Instant::now();
            say(format!(
                "      block {next}: {new} acks ({}/{})",
                hub.seen.len(),
                sent.len()
            ));
        }
        next += 1;
    }
    let last_ack_h = hub.seen.values().copied().max().unwrap_or(start.hub);
    let first_h = start.hub + 1;
    // Commit time of every hub block of the window (and the one before it).
    let mut hub_times = BTreeMap::new();
    for h in start.hub..=last_ack_h {
        hub_times.insert(h, commit_time(node0, h).await?);
    }
    let end_ns = hub_times
        .get(&last_ack_h)
        .copied()
        .unwrap_or(first_submit_ns);
    let (spoke, spoke_times) = scan_spoke(target, start.spoke, end_ns, sent).await?;
    let mut blocks = Vec::new();
    let mut seconds = Vec::new();
    let mut recv_blocks = Vec::new();
    for (seq, ack_h) in &hub.seen {
        let send_h = sent[seq];
        blocks.push((ack_h - send_h) as f64);
        seconds.push((hub_times[ack_h] - hub_times[&send_h]) as f64 / 1e9);
        if let Some(recv_ns) = spoke.seen.get(seq).and_then(|h| spoke_times.get(h)) {
            // The first hub block committed at or after the receive.
            let by = hub_times
                .iter()
                .find(|(_, t)| **t >= *recv_ns)
                .map_or(last_ack_h, |(h, _)| *h);
            recv_blocks.push(by.saturating_sub(send_h) as f64);
        }
    }
    blocks.sort_by(f64::total_cmp);
    seconds.sort_by(f64::total_cmp);
    recv_blocks.sort_by(f64::total_cmp);
    let window_s = (end_ns - first_submit_ns) as f64 / 1e9;
    let interval_ms = if last_ack_h > first_h {
        (hub_times[&last_ack_h] - hub_times[&first_h]) as f64 / 1e6 / (last_ack_h - first_h) as f64
    } else {
        0.0
    };
    let net_hub = net.hub();
    let log = std::fs::read_to_string(net_hub.node0().log_path()).unwrap_or_default();
    let rss = net_hub
        .nodes
        .iter()
        .filter_map(|n| Some((n.name.clone(), rss_mib(n.pid?)?)))
        .collect();
    Ok(Report {
        sent: sent.len(),
        acked: hub.seen.len(),
        window_s,
        blocks,
        recv_blocks,
        hub_failed: hub.failed,
        spoke_failed: spoke.failed,
        seconds,
        finalize_ms: mean_finalize_ms(&log, first_h..=last_ack_h),
        interval_ms,
        rss_mib: rss,
    })
}

/// Scans spoke-a's blocks after `start` up to the first one committed at or after `end_ns`:
/// the `recv_packet`s of `sent` on the target channel, the failed txs, and each block's commit
/// time.
async fn scan_spoke(
    target: &Target,
    start: u64,
    end_ns: i128,
    sent: &BTreeMap<u64, u64>,
) -> anyhow::Result<(Scan, BTreeMap<u64, i128>)> {
    let node = Node::new(&target.rpc)?;
    let recvs = (
        "recv_packet",
        "packet_dst_channel",
        target.counterparty_channel.as_str(),
    );
    let mut scan = Scan::default();
    let mut times = BTreeMap::new();
    let mut h = start + 1;
    loop {
        let t = commit_time(&node, h).await?;
        times.insert(h, t);
        let results = crate::blocks::block_results(&node, h).await?;
        scan.block(h, results.txs_results.unwrap_or_default(), recvs, sent);
        if t >= end_ns {
            return Ok((scan, times));
        }
        h += 1;
    }
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
        assert_eq!(attribute(&e, "packet_src_channel"), Some("channel-0"));
        let mut scan = Scan::default();
        let wanted = BTreeMap::from([(7, 3)]);
        let ok = tendermint::abci::types::ExecTxResult {
            events: vec![e.clone()],
            ..Default::default()
        };
        let failed = tendermint::abci::types::ExecTxResult {
            code: 32.into(),
            codespace: "sdk".into(),
            ..Default::default()
        };
        let key = ("send_packet", "packet_src_channel", "channel-0");
        assert_eq!(scan.block(5, vec![ok.clone(), failed], key, &wanted), 1);
        assert_eq!(
            scan.block(6, vec![ok], key, &wanted),
            0,
            "first sighting counts"
        );
        assert_eq!(scan.seen, BTreeMap::from([(7, 5)]));
        assert_eq!(scan.failed, BTreeMap::from([("sdk/32".to_owned(), 1)]));
    }
}
