//! Block timing and statistics shared by the load generators: commit times, block results
//! under load, percentiles.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::bail;
use hub_client::rpc::Node;

/// Nanoseconds since the Unix epoch.
pub fn unix_nanos(t: SystemTime) -> i128 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i128)
        .unwrap_or_default()
}

/// The commit time of block `height`: the BFT time in the header of block `height + 1`
/// (waits up to 30 s for that block).
pub async fn commit_time(node: &Node, height: u64) -> anyhow::Result<i128> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let latest = node.status().await?.sync_info.latest_block_height.value();
        if latest > height {
            let block = node.block(Some(height + 1)).await?;
            return Ok(block.block.header.time.unix_timestamp_nanos());
        }
        if Instant::now() > deadline {
            bail!(
                "block {} was not produced within 30 s; is the chain halted?",
                height + 1
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// `/block_results` of `height`, retried for up to 30 s: under load the results of the newest
/// block are saved a moment after its header.
pub async fn block_results(
    node: &Node,
    height: u64,
) -> anyhow::Result<hub_client::rpc::BlockResults> {
    let mut attempt = 0;
    loop {
        match node.block_results(height).await {
            Ok(results) => return Ok(results),
            Err(_) if attempt < 300 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// The nearest-rank percentile `p` (0–100) of sorted values; 0 for none.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}
