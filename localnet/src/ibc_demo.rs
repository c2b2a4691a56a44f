//! The ICS-20 round trip of `localnet demo`: spoke-a's token goes to the hub, on to spoke-b,
//! back to the hub and home to spoke-a, each hop sent with the sending chain's CLI
//! (`spoked` / `hubd tx ibc-transfer transfer`) and relayed by the running Hermes.
//!
//! After each hop it prints every faucet's balances, the escrowed amounts and the denom trace
//! of the voucher the hop minted (read with `query ibc-transfer denom-trace`), and checks them
//! exactly: the receiver gains exactly the amount, escrow holds exactly what left its chain,
//! and at the end every voucher is gone and spoke-a's escrow is back where it started.

use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use hub_client::rpc::Node;
use serde_json::Value;

use crate::{
    hermes::TRANSFER_PORT,
    procs,
    state::{ChainNet, ChannelEnd, Localnet, Relayer},
};

/// How long one hop (send, relay, receive) may take.
const HOP_TIMEOUT: Duration = Duration::from_secs(120);
/// How long the running Hermes gets to relay a hop before the demo clears the channel itself.
const NUDGE_AFTER: Duration = Duration::from_secs(45);

/// The voucher denomination of `trace` (`ibc/` + upper-case hex sha256 of the full trace).
pub(crate) fn voucher_denom(trace: &str) -> String {
    hub_client::ics20::parse_denom_trace(trace).ibc_denom()
}

fn str_arg(path: &std::path::Path) -> anyhow::Result<&str> {
    path.to_str()
        .with_context(|| format!("{} is not valid UTF-8", path.display()))
}

/// Sends `amount` `denom` from `from`'s faucet over its `channel` to `receiver`, with the
/// chain's own CLI and `extra` flags (a `--memo`); returns the packet sequence (`?` for a
/// transfer the flow limits queued).
pub(crate) fn send(
    from: &ChainNet,
    channel: &str,
    receiver: &str,
    amount: u128,
    denom: &str,
    extra: &[&str],
) -> anyhow::Result<String> {
    let coin = format!("{amount}{denom}");
    let mut args = vec![
        "tx",
        "ibc-transfer",
        "transfer",
        TRANSFER_PORT,
        channel,
        receiver,
        &coin,
        "--from",
        &from.faucet.key,
        "--home",
        str_arg(&from.faucet.home)?,
        "--node",
        &from.node0().rpc,
        "--chain-id",
        &from.chain_id,
        "--output",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = procs::run_json(&from.binary, &args)
        .with_context(|| format!("the transfer from {} failed", from.chain_id))?;
    let sequence = out["packet_sequence"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| out["packet_sequence"].as_u64().map(|n| n.to_string()))
        .unwrap_or_else(|| "?".into());
    println!(
        "      sent {coin} from {} over {TRANSFER_PORT}/{channel}: txhash {}, height {}, packet sequence {sequence}",
        from.chain_id,
        out["txhash"].as_str().unwrap_or("?"),
        out["height"]
    );
    Ok(sequence)
}

/// Waits until `address` on `chain` holds `expected` `denom`, the packet having left `from`
/// over `channel`. If the running Hermes has not relayed it after [`NUDGE_AFTER`], clears the
/// channel once with `hermes clear packets`, as an operator would, and says so.
pub(crate) async fn wait_balance(
    chain: &ChainNet,
    address: &str,
    denom: &str,
    expected: u128,
    relayer: &Relayer,
    (from, channel): (&ChainNet, &str),
) -> anyhow::Result<Duration> {
    let node = Node::new(&chain.node0().rpc)?;
    let started = Instant::now();
    let mut nudged = false;
    loop {
        let now = node.balance(address, denom, None).await?;
        if now == expected {
            return Ok(started.elapsed());
        }
        if !nudged && started.elapsed() > NUDGE_AFTER {
            nudged = true;
            println!(
                "      not relayed after {} s: running `hermes clear packets --chain {} --port {TRANSFER_PORT} --channel {channel}` (see {})",
                NUDGE_AFTER.as_secs(),
                from.chain_id,
                relayer.log_path().display()
            );
            crate::hermes::clear_packets(relayer, &from.chain_id, TRANSFER_PORT, channel)?;
        }
        if started.elapsed() > HOP_TIMEOUT {
            bail!(
                "{address} on {} holds {now}{denom}, not {expected}, after {} s: the packet was not relayed; read {} (last lines:\n{})",
                chain.chain_id,
                HOP_TIMEOUT.as_secs(),
                relayer.log_path().display(),
                procs::tail(&relayer.log_path(), 10)
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

pub(crate) async fn balance(chain: &ChainNet, address: &str, denom: &str) -> anyhow::Result<u128> {
    Node::new(&chain.node0().rpc)?
        .balance(address, denom, None)
        .await
}

/// Prints the trace of `denom` on `chain` as its CLI reads it.
fn print_trace(chain: &ChainNet, denom: &str) -> anyhow::Result<()> {
    let out: Value = procs::run_json(
        &chain.binary,
        &[
            "query",
            "ibc-transfer",
            "denom-trace",
            denom,
            "--node",
            &chain.node0().rpc,
            "--output",
            "json",
        ],
    )
    .with_context(|| format!("cannot read the trace of {denom} on {}", chain.chain_id))?;
    let trace = out.get("denom_trace").unwrap_or(&out);
    println!(
        "      {}: {denom} = path {:?}, base denom {:?}",
        chain.chain_id,
        trace["path"].as_str().unwrap_or("?"),
        trace["base_denom"].as_str().unwrap_or("?")
    );
    Ok(())
}

/// One hop of the round trip: what is sent where, the balance that shows it arrived, the
/// balances that must hold exactly afterwards, and the voucher whose trace to print.
struct Hop<'a> {
    from: &'a ChainNet,
    channel: &'a str,
    denom: &'a str,
    to: &'a ChainNet,
    receiver: &'a str,
    /// `(address on `to`, denom, exact balance)` once relayed.
    arrives: (&'a str, &'a str, u128),
    /// `(chain, address, denom, exact balance)` checked after arrival.
    then: Vec<(&'a ChainNet, &'a str, &'a str, u128)>,
    trace: Option<&'a str>,
    how: &'a str,
}

/// One row of the balance table: a chain, an account label, a denom.
struct Watch<'a> {
    chain: &'a ChainNet,
    label: String,
    address: String,
    denom: String,
}

async fn print_balances(watches: &[Watch<'_>]) -> anyhow::Result<()> {
    for w in watches {
        println!(
            "      {:<10} {:<22} {:>16} {}",
            w.chain.chain_id,
            w.label,
            balance(w.chain, &w.address, &w.denom).await?,
            w.denom
        );
    }
    Ok(())
}

/// The transfer channels of spoke-a → hub → spoke-b, each end seen from its own chain, and
/// spoke-a's token (`base`) as a voucher on the hub and on spoke-b.
pub(crate) struct Route<'a> {
    /// The hub's end towards spoke-a.
    pub hub_a: &'a ChannelEnd,
    /// Spoke-a's end towards the hub.
    pub a_hub: &'a ChannelEnd,
    /// The hub's end towards spoke-b.
    pub hub_b: &'a ChannelEnd,
    /// Spoke-b's end towards the hub.
    pub b_hub: &'a ChannelEnd,
    /// Spoke-a's own denom.
    pub base: String,
    /// `base` as a voucher on the hub (`ibc/…`).
    pub on_hub: String,
    /// `base` as a voucher on spoke-b, through the hub.
    pub on_b: String,
}

/// The [`Route`] from the first spoke through the hub to the second.
///
/// Errors: a missing transfer channel between two of the chains.
pub(crate) fn route<'a>(state: &Localnet, relayer: &'a Relayer) -> anyhow::Result<Route<'a>> {
    let hub = state.hub();
    let (a, b) = (&state.spokes()[0], &state.spokes()[1]);
    let hub_a = end_towards(relayer, hub, a)?;
    let b_hub = end_towards(relayer, b, hub)?;
    let base = a.denom.clone();
    Ok(Route {
        hub_a,
        a_hub: end_towards(relayer, a, hub)?,
        hub_b: end_towards(relayer, hub, b)?,
        b_hub,
        on_hub: voucher_denom(&format!("{TRANSFER_PORT}/{}/{base}", hub_a.channel)),
        on_b: voucher_denom(&format!(
            "{TRANSFER_PORT}/{}/{TRANSFER_PORT}/{}/{base}",
            b_hub.channel, hub_a.channel
        )),
        base,
    })
}

pub(crate) fn end_towards<'a>(
    relayer: &'a Relayer,
    chain: &ChainNet,
    other: &ChainNet,
) -> anyhow::Result<&'a ChannelEnd> {
    relayer
        .paths
        .iter()
        .filter_map(|p| p.ends_from(&chain.chain_id))
        .find(|(_, far)| far.chain_id == other.chain_id)
        .map(|(near, _)| near)
        .with_context(|| {
            format!(
                "no transfer channel between {} and {} in this localnet",
                chain.chain_id, other.chain_id
            )
        })
}

/// Runs the round trip with `amount` of spoke-a's token.
pub async fn run(state: &Localnet, relayer: &Relayer, amount: u128) -> anyhow::Result<()> {
    let hub = state.hub();
    let (a, b) = (&state.spokes()[0], &state.spokes()[1]);
    let r = route(state, relayer)?;
    let (hub_a, a_hub, hub_b, b_hub) = (r.hub_a, r.a_hub, r.hub_b, r.b_hub);
    let (base, on_hub, on_b) = (r.base, r.on_hub, r.on_b);
    let escrow_a = hub_client::ics20::escrow_address(&a.prefix, TRANSFER_PORT, &a_hub.channel)?;
    let escrow_hub_b =
        hub_client::ics20::escrow_address(&hub.prefix, TRANSFER_PORT, &hub_b.channel)?;
    let watches = [
        Watch {
            chain: a,
            label: "faucet".into(),
            address: a.faucet.address.clone(),
            denom: base.clone(),
        },
        Watch {
            chain: a,
            label: format!("escrow {}", a_hub.channel),
            address: escrow_a.clone(),
            denom: base.clone(),
        },
        Watch {
            chain: hub,
            label: "faucet".into(),
            address: hub.faucet.address.clone(),
            denom: on_hub.clone(),
        },
        Watch {
            chain: hub,
            label: format!("escrow {}", hub_b.channel),
            address: escrow_hub_b.clone(),
            denom: on_hub.clone(),
        },
        Watch {
            chain: b,
            label: "faucet".into(),
            address: b.faucet.address.clone(),
            denom: on_b.clone(),
        },
    ];
    println!(
        "ICS-20 round trip of {amount}{base}: {} -> {} -> {} -> {} -> {}",
        a.chain_id, hub.chain_id, b.chain_id, hub.chain_id, a.chain_id
    );
    println!("  before:");
    print_balances(&watches).await?;
    let escrow_a_before = balance(a, &escrow_a, &base).await?;
    let hub_before = balance(hub, &hub.faucet.address, &on_hub).await?;
    let b_before = balance(b, &b.faucet.address, &on_b).await?;
    // Not 0 after the router demo: its forwards to spoke-b stay escrowed on the hub.
    let escrow_hub_b_before = balance(hub, &escrow_hub_b, &on_hub).await?;

    let hops = [
        Hop {
            from: a,
            channel: &a_hub.channel,
            denom: &base,
            to: hub,
            receiver: &hub.faucet.address,
            arrives: (&hub.faucet.address, &on_hub, hub_before + amount),
            then: vec![(a, &escrow_a, &base, escrow_a_before + amount)],
            trace: Some(&on_hub),
            how: "",
        },
        Hop {
            from: hub,
            channel: &hub_b.channel,
            denom: &on_hub,
            to: b,
            receiver: &b.faucet.address,
            arrives: (&b.faucet.address, &on_b, b_before + amount),
            then: vec![(hub, &escrow_hub_b, &on_hub, escrow_hub_b_before + amount)],
            trace: Some(&on_b),
            how: "",
        },
        Hop {
            from: b,
            channel: &b_hub.channel,
            denom: &on_b,
            to: hub,
            receiver: &hub.faucet.address,
            arrives: (&hub.faucet.address, &on_hub, hub_before + amount),
            then: vec![
                (b, &b.faucet.address, &on_b, b_before),
                (hub, &escrow_hub_b, &on_hub, escrow_hub_b_before),
            ],
            trace: None,
            how: " (voucher burned on the sender, unescrowed on the receiver)",
        },
        Hop {
            from: hub,
            channel: &hub_a.channel,
            denom: &on_hub,
            to: a,
            receiver: &a.faucet.address,
            arrives: (&escrow_a, &base, escrow_a_before),
            then: vec![(hub, &hub.faucet.address, &on_hub, hub_before)],
            trace: None,
            how: " (voucher burned on the sender, unescrowed on the receiver)",
        },
    ];
    for (n, hop) in hops.iter().enumerate() {
        println!(
            "[{}/{}] {} -> {}",
            n + 1,
            hops.len(),
            hop.from.chain_id,
            hop.to.chain_id
        );
        send(hop.from, hop.channel, hop.receiver, amount, hop.denom, &[])?;
        let (address, denom, expected) = hop.arrives;
        let took = wait_balance(
            hop.to,
            address,
            denom,
            expected,
            relayer,
            (hop.from, hop.channel),
        )
        .await?;
        for (chain, address, denom, expected) in &hop.then {
            ensure_balance(chain, address, denom, *expected).await?;
        }
        println!(
            "      arrived on {} after {:.1} s{}",
            hop.to.chain_id,
            took.as_secs_f64(),
            hop.how
        );
        if let Some(voucher) = hop.trace {
            print_trace(hop.to, voucher)?;
        }
        print_balances(&watches).await?;
    }
    println!(
        "round trip complete: every voucher is burned and {}'s escrow is back to {escrow_a_before}{base}",
        a.chain_id
    );
    Ok(())
}

async fn ensure_balance(
    chain: &ChainNet,
    address: &str,
    denom: &str,
    expected: u128,
) -> anyhow::Result<()> {
    let now = balance(chain, address, denom).await?;
    if now != expected {
        bail!(
            "{address} on {} holds {now}{denom}, expected exactly {expected}",
            chain.chain_id
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_voucher_of_a_trace_is_its_ibc_hash() {
        // The ATOM-on-Osmosis voucher: sha256("transfer/channel-0/uatom").
        assert_eq!(
            voucher_denom("transfer/channel-0/uatom"),
            "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"
        );
    }
}
