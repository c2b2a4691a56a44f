//! `localnet load`: a load generator measuring committed transactions per second and commit
//! latency.
//!
//! It funds `--accounts` fresh accounts from the faucet or `--funder` (multi-message txs),
//! pre-signs `--txs` `MsgSend`s spread over those accounts with explicit sequences, submits each
//! account's txs in order to one node (accounts are spread over the nodes, or all go to
//! `--submit-to`) with `broadcast_tx_sync`, then scans the new blocks (`--record` keeps the
//! hashes of the committed ones). A tx's commit latency is the commit time of its block minus the moment it was
//! submitted, where the commit time of block H is the BFT time in the header of block H+1 (the
//! median of the precommit timestamps for H); throughput is the committed txs divided by the
//! time from the first submission to the commit of the last block holding a load tx.
//!
//! With `--ibc` every tx is an ICS-20 `MsgTransfer` of 1 unit over the hub's `transfer`
//! channel to spoke-a instead, and the run goes on until the running Hermes has relayed every
//! packet and its acknowledgement back: then it reports packets acknowledged per second, the
//! send → receive latency in hub blocks, the send → ack latency in blocks and seconds (commit
//! of the send block → commit of the ack block), every tx that failed on the hub or spoke-a
//! over the window by code (read from `block_results`: the relayer's, since the load's own all
//! succeeded), the hub's FinalizeBlock time as a share of the block interval (from node0's
//! log) and the resident memory of every hub node's `hubd`.

use std::{
    collections::BTreeMap,
    time::{Duration, Instant, SystemTime},
};

use anyhow::{bail, Context as _};
use clap::Args;
use hub_cli::{
    coins::Coin,
    keyring::{DerivedKey, Keyring},
    rpc::{tx_hash, Node},
    tx::{msg_send, sign_tx, SignerData, TxOptions, DEFAULT_FEE_AMOUNT, DEFAULT_GAS},
    ChainProfile,
};
use serde_json::json;

use crate::{
    blocks::{block_results, commit_time, percentile, unix_nanos},
    ibc_load,
    state::Localnet,
    Globals,
};

/// Arguments of `load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Number of transfer transactions to send
    #[arg(long, default_value_t = 500)]
    txs: u32,
    /// Number of sending accounts (funded from `--funder` first)
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    accounts: u32,
    /// Seconds without a new load tx committed before giving up
    #[arg(long, default_value_t = 30)]
    idle_timeout: u64,
    /// Send ICS-20 transfers to spoke-a (relayed by Hermes) instead of bank sends, and measure
    /// until every packet is acknowledged
    #[arg(long)]
    ibc: bool,
    /// Key that funds the senders: `faucet`, or a validator's `validator<i>` (so that two loads
    /// at once do not race for one funder's sequence)
    #[arg(long, default_value = "faucet")]
    funder: String,
    /// Submit every tx to this hub node (`node<i>`) instead of spreading the senders over all
    /// nodes, e.g. the one node a fault test leaves alone
    #[arg(long, value_name = "NODE")]
    submit_to: Option<String>,
    /// Append the hash of every committed load tx to FILE, one (upper-case hex) per line
    #[arg(long, value_name = "FILE")]
    record: Option<std::path::PathBuf>,
    /// Offered load: submit at most this many txs per second in all (spread evenly over the
    /// senders); without it every sender submits as fast as its node answers
    #[arg(long, value_name = "TXS_PER_SEC", value_parser = clap::value_parser!(u32).range(1..))]
    rate: Option<u32>,
}

macro_rules! progress {
    ($json:expr, $($arg:tt)*) => {
        if $json { eprintln!($($arg)*) } else { println!($($arg)*) }
    };
}

/// Most transfers in one funding tx.
const FUNDING_CHUNK: usize = 50;

struct Submitted {
    hash: String,
    at: SystemTime,
}

/// Runs `load`.
pub async fn run(globals: &Globals, args: LoadArgs) -> anyhow::Result<()> {
    // Progress goes to stderr in JSON mode so that stdout holds only the JSON result.
    let json_mode = globals.output == hub_cli::OutputFormat::Json;
    let profile = ChainProfile::HUB;
    let net = Localnet::require(&globals.dir)?;
    let state = net.hub();
    let nodes = state
        .nodes
        .iter()
        .map(|n| Node::new(&n.rpc))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let node0 = &nodes[0];
    node0
        .status()
        .await
        .context("node0 does not answer; is the localnet up? (see `localnet status`)")?;
    let denom = state.denom.clone();
    let fee = |gas: u64, msgs: u64| TxOptions {
        fee: vec![Coin {
            denom: denom.clone(),
            amount: DEFAULT_FEE_AMOUNT * u128::from(msgs),
        }],
        gas: gas * msgs,
        memo: String::new(),
    };

    // 1. Fund the senders.
    let funder = std::iter::once(&state.faucet)
        .chain(state.nodes.iter().map(|n| &n.validator))
        .find(|a| a.key == args.funder)
        .with_context(|| {
            format!(
                "no funded key {:?} on the hub: use `faucet` or `validator<i>`",
                args.funder
            )
        })?;
    let funder_key = Keyring::test(&funder.home, profile.bech32_prefix)
        .get(&funder.key)?
        .derive()?;
    let senders: Vec<DerivedKey> = (0..args.accounts).map(|_| DerivedKey::random()).collect();
    let addresses = senders
        .iter()
        .map(|k| k.address(profile.bech32_prefix))
        .collect::<Result<Vec<_>, _>>()?;
    let per_sender = args.txs.div_ceil(args.accounts);
    let funding = (DEFAULT_FEE_AMOUNT + 10) * u128::from(per_sender) + 1_000_000;
    progress!(
        json_mode,
        "[1/4] funding {} accounts with {funding}{denom} each from {}",
        args.accounts,
        funder.key
    );
    let funder_account = node0
        .account(&funder.address, None)
        .await?
        .with_context(|| format!("the funder {} has no account on chain", funder.address))?;
    // At most FUNDING_CHUNK messages per tx keeps each tx under the tx size limit.
    let mut hashes = Vec::new();
    for (chunk_index, chunk) in addresses.chunks(FUNDING_CHUNK).enumerate() {
        let msgs = chunk
            .iter()
            .map(|to| {
                msg_send(
                    &funder.address,
                    to,
                    &[Coin {
                        denom: denom.clone(),
                        amount: funding,
                    }],
                )
            })
            .collect();
        let tx = sign_tx(
            &funder_key,
            msgs,
            &fee(DEFAULT_GAS, chunk.len() as u64),
            &SignerData {
                chain_id: state.chain_id.clone(),
                account_number: funder_account.account_number,
                sequence: funder_account.sequence + chunk_index as u64,
            },
        )?;
        let check = node0.broadcast_sync(tx).await?;
        if check.code != 0 {
            bail!(
                "a funding tx was rejected: code {} ({}): {}",
                check.code,
                check.codespace,
                check.log
            );
        }
        hashes.push(check.hash);
    }
    for hash in &hashes {
        let funded = node0.wait_for_tx(hash, Duration::from_secs(30)).await?;
        if funded.code != 0 {
            bail!(
                "a funding tx failed in block {}: code {} ({}): {}",
                funded.height,
                funded.code,
                funded.codespace,
                funded.log
            );
        }
    }

    let ibc = match args.ibc {
        true => Some(ibc_load::Target::of(&net)?),
        false => None,
    };

    // 2. Pre-sign every transfer.
    progress!(json_mode, "[2/4] signing {} transfers", args.txs);
    let mut batches: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut remaining = args.txs;
    for (i, key) in senders.iter().enumerate() {
        let account = node0
            .account(&addresses[i], None)
            .await?
            .with_context(|| format!("funded account {} not found on chain", addresses[i]))?;
        let count = remaining.min(per_sender);
        remaining -= count;
        let to = &addresses[(i + 1) % addresses.len()];
        let mut batch = Vec::new();
        for n in 0..count {
            let msg = match &ibc {
                Some(target) => ibc_load::msg_transfer(&addresses[i], target, &denom)?,
                None => msg_send(
                    &addresses[i],
                    to,
                    &[Coin {
                        denom: denom.clone(),
                        amount: 1,
                    }],
                ),
            };
            batch.push(sign_tx(
                key,
                vec![msg],
                &fee(DEFAULT_GAS, 1),
                &SignerData {
                    chain_id: state.chain_id.clone(),
                    account_number: account.account_number,
                    sequence: account.sequence + u64::from(n),
                },
            )?);
        }
        batches.push(batch);
    }

    // 3. Submit: one task per sender, each sending its txs in order to one node.
    let start_height = node0.status().await?.sync_info.latest_block_height.value();
    let spoke_start = match &ibc {
        Some(target) => Some(
            Node::new(&target.rpc)?
                .status()
                .await
                .with_context(|| format!("{} does not answer", target.chain_id))?
                .sync_info
                .latest_block_height
                .value(),
        ),
        None => None,
    };
    progress!(
        json_mode,
        "[3/4] submitting from {} accounts to {} nodes (from height {start_height})",
        args.accounts,
        nodes.len()
    );
    let only = match &args.submit_to {
        Some(name) => Some(
            state
                .nodes
                .iter()
                .position(|n| &n.name == name)
                .with_context(|| format!("--submit-to {name}: the hub has no such node"))?,
        ),
        None => None,
    };
    let started = tokio::time::Instant::now();
    let senders_count = batches.len();
    let mut tasks = Vec::new();
    for (i, batch) in batches.into_iter().enumerate() {
        let node = nodes[only.unwrap_or(i % nodes.len())].clone();
        let rate = args.rate;
        tasks.push(tokio::spawn(async move {
            let mut submitted = Vec::new();
            let mut rejected = Vec::new();
            for (n, tx) in batch.into_iter().enumerate() {
                if let Some(rate) = rate {
                    // The (n · senders + i)-th tx overall is due at that many 1/rate seconds.
                    let slot = (n * senders_count + i) as f64 / f64::from(rate);
                    tokio::time::sleep_until(started + Duration::from_secs_f64(slot)).await;
                }
                let hash = tx_hash(&tx);
                let at = SystemTime::now();
                match node.broadcast_sync(tx).await {
                    Ok(r) if r.code == 0 => submitted.push(Submitted { hash, at }),
                    Ok(r) => rejected.push(format!("code {} ({}): {}", r.code, r.codespace, r.log)),
                    Err(e) => rejected.push(e.to_string()),
                }
            }
            (submitted, rejected)
        }));
    }
    let mut submitted = Vec::new();
    let mut rejected = Vec::new();
    for task in tasks {
        let (s, r) = task.await.context("a submitting task failed")?;
        submitted.extend(s);
        rejected.extend(r);
    }
    let submit_secs = started.elapsed().as_secs_f64();
    progress!(
        json_mode,
        "      {} accepted by CheckTx, {} rejected, in {submit_secs:.2} s ({:.0} tx/s submitted)",
        submitted.len(),
        rejected.len(),
        submitted.len() as f64 / submit_secs.max(1e-9)
    );
    if let Some(first) = rejected.first() {
        progress!(json_mode, "      first rejection: {first}");
    }

    // 4. Follow the blocks until every accepted tx is committed.
    progress!(json_mode, "[4/4] waiting for the commits");
    let pending: BTreeMap<&str, SystemTime> =
        submitted.iter().map(|s| (s.hash.as_str(), s.at)).collect();
    // (height, submission times of the load txs it holds)
    let mut included: Vec<(u64, Vec<SystemTime>)> = Vec::new();
    let mut failed = 0usize;
    let mut blocks_with_load = 0usize;
    let mut next = start_height + 1;
    let mut last_progress = Instant::now();
    let mut found = 0usize;
    // Packet sequence → height of the block that sent it (`--ibc`).
    let mut sent_packets: BTreeMap<u64, u64> = BTreeMap::new();
    let mut committed_hashes = Vec::new();
    while found < pending.len() {
        let latest = node0.status().await?.sync_info.latest_block_height.value();
        if next > latest {
            if last_progress.elapsed() > Duration::from_secs(args.idle_timeout) {
                progress!(json_mode,
                    "      gave up: {} of {} accepted txs not committed after {} s without progress",
                    pending.len() - found,
                    pending.len(),
                    args.idle_timeout
                );
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        }
        let block = node0.block(Some(next)).await?;
        let results = block_results(node0, next).await?;
        let tx_results = results.txs_results.unwrap_or_default();
        let mut ours = Vec::new();
        for (index, tx) in block.block.data.iter().enumerate() {
            let hash = tx_hash(tx);
            if let Some(at) = pending.get(hash.as_str()) {
                ours.push(*at);
                committed_hashes.push(hash);
                match tx_results.get(index) {
                    Some(r) if r.code.is_ok() => {
                        sent_packets.extend(
                            ibc_load::sequences(&r.events, "send_packet")
                                .into_iter()
                                .map(|seq| (seq, next)),
                        );
                    }
                    _ => failed += 1,
                }
            }
        }
        if !ours.is_empty() {
            found += ours.len();
            blocks_with_load += 1;
            last_progress = Instant::now();
            progress!(
                json_mode,
                "      block {next}: {} load txs ({found}/{})",
                ours.len(),
                pending.len()
            );
            included.push((next, ours));
        }
        next += 1;
    }

    if let Some(path) = &args.record {
        use std::io::Write as _;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        // One write: another load may append to the same file at the same time.
        let lines: String = committed_hashes.iter().map(|h| format!("{h}\n")).collect();
        file.write_all(lines.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }

    // Block H is committed when +2/3 precommits for it are collected; CometBFT's BFT time of
    // block H+1 is the median of those precommit timestamps, i.e. the commit time of H.
    let mut latencies = Vec::new();
    let mut last_commit: Option<i128> = None;
    for (height, submitted_at) in &included {
        let commit_time = commit_time(node0, *height).await?;
        for at in submitted_at {
            latencies.push((commit_time - unix_nanos(*at)) as f64 / 1e9);
        }
        last_commit = Some(commit_time);
    }

    let committed = found;
    // The load window runs from the first submission to the commit of the last block holding
    // a load tx.
    let first_submit = submitted.iter().map(|s| unix_nanos(s.at)).min();
    let (throughput, window) = match (first_submit, last_commit) {
        (Some(start), Some(last_time)) if last_time > start => {
            let secs = (last_time - start) as f64 / 1e9;
            (committed as f64 / secs, secs)
        }
        _ => (0.0, 0.0),
    };
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    latencies.sort_by(f64::total_cmp);
    let mean = latencies.iter().sum::<f64>() / latencies.len().max(1) as f64;
    let summary = json!({
        "txs_requested": args.txs,
        "accounts": args.accounts,
        "accepted": submitted.len(),
        "rejected": rejected.len(),
        "submit_seconds": round(submit_secs),
        "committed": committed,
        "committed_failed": failed,
        "blocks": blocks_with_load,
        "window_seconds": round(window),
        "committed_tx_per_second": round(throughput),
        "latency_seconds": {
            "mean": round(mean),
            "p50": round(percentile(&latencies, 50.0)),
            "p95": round(percentile(&latencies, 95.0)),
            "max": round(latencies.last().copied().unwrap_or(0.0)),
        },
    });
    let text = || {
        format!(
            "\nresults ({} validators, {} accounts):\n  committed:          {committed} of {} accepted ({failed} failed in execution, {} rejected by CheckTx)\n  blocks:             {blocks_with_load} ({:.1} load txs per block)\n  throughput:         {throughput:.1} committed tx/s ({window:.2} s from the first submission to the last commit)\n  commit latency:     mean {mean:.2} s, p50 {:.2} s, p95 {:.2} s, max {:.2} s\n",
            state.nodes.len(),
            args.accounts,
            submitted.len(),
            rejected.len(),
            committed as f64 / blocks_with_load.max(1) as f64,
            percentile(&latencies, 50.0),
            percentile(&latencies, 95.0),
            latencies.last().copied().unwrap_or(0.0),
        )
    };
    if ibc.is_none() {
        globals.output.print(&summary, text);
    }
    if committed < submitted.len() || failed > 0 {
        bail!(
            "{} accepted txs were not committed and {failed} failed; read the nodes' hubd.log files",
            submitted.len() - committed
        );
    }
    if let Some(target) = &ibc {
        let first_submit = first_submit.unwrap_or_default();
        let report = ibc_load::follow_acks(
            &net,
            target,
            node0,
            ibc_load::StartHeights {
                hub: start_height,
                spoke: spoke_start.unwrap_or_default(),
            },
            &sent_packets,
            first_submit,
            Duration::from_secs(args.idle_timeout.max(180)),
            json_mode,
        )
        .await?;
        globals.output.print(&report.to_json(), || report.to_text());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_nearest_rank() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&v, 50.0), 3.0);
        assert_eq!(percentile(&v, 100.0), 5.0);
        assert_eq!(percentile(&[], 95.0), 0.0);
    }
}
