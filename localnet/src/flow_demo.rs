//! The router part of `localnet demo`, over the running chains and Hermes:
//!
//! 1. **Forwarding**: spoke-a's token goes to spoke-b through the hub in one
//!    `spoked tx ibc-transfer transfer` with a packet-forward-middleware memo.
//! 2. **A queued transfer**: hub governance limits sends of spoke-a's voucher toward spoke-b
//!    to 10 % per window and sets the limit to queue; a send over the quota is held, then
//!    released by the hub itself when the next window opens (the local hub's hour epoch is
//!    30 s).
//! 3. **A propagated pause**: hub governance pauses ICS-20 for 90 s with `propagate`; Hermes
//!    carries the pause to both spokes over their control (`upgrade`) channels, spoke-a's
//!    transfer toward the hub is refused while it lasts and goes through once it lifts by
//!    itself. The same proposal removes the limit of step 2.

use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use serde_json::json;

use crate::{
    gov::{self, hubd_query},
    hermes::TRANSFER_PORT,
    ibc_demo::{balance, end_towards, route, send, wait_balance},
    state::{ChainNet, Localnet, Relayer},
};

/// The local hub's hour epoch (genesis `app_state.ratelimit.hour_epoch.duration`), so that a
/// queued transfer is released within the demo.
pub const HOUR_EPOCH: &str = "30s";

/// How long the demo's pause lasts, in seconds.
const PAUSE_SECONDS: u64 = 90;

/// Runs the three steps.
pub async fn run(state: &Localnet, relayer: &Relayer) -> anyhow::Result<()> {
    let hub = state.hub();
    let (a, b) = (&state.spokes()[0], &state.spokes()[1]);
    let r = route(state, relayer)?;
    let (hub_a, a_hub, hub_b, b_hub) = (r.hub_a, r.a_hub, r.hub_b, r.b_hub);
    let (base, on_hub, on_b) = (r.base, r.on_hub, r.on_b);

    println!(
        "[1/3] forwarding: {} -> {} -> {} in one transfer with a forward memo",
        a.chain_id, hub.chain_id, b.chain_id
    );
    let memo = json!({"forward": {
        "receiver": b.faucet.address, "port": TRANSFER_PORT, "channel": hub_b.channel,
    }})
    .to_string();
    let b_before = balance(b, &b.faucet.address, &on_b).await?;
    let (hub_h0, b_h0) = (gov::height(hub).await?, gov::height(b).await?);
    send(a, &a_hub.channel, "pfm", 700, &base, &["--memo", &memo])?;
    let took = wait_balance(
        b,
        &b.faucet.address,
        &on_b,
        b_before + 700,
        relayer,
        (a, &a_hub.channel),
    )
    .await?;
    // Blocks each chain made while the transfer travelled: the end-to-end latency in blocks
    // (an upper bound: the balance is polled).
    let hub_blocks = gov::height(hub).await?.saturating_sub(hub_h0);
    let b_blocks = gov::height(b).await?.saturating_sub(b_h0);
    println!(
        "      {} received 700 {on_b} after {:.1} s, {hub_blocks} hub blocks, {b_blocks} {} blocks (trace {TRANSFER_PORT}/{}/{TRANSFER_PORT}/{}/{base})",
        b.chain_id,
        took.as_secs_f64(),
        b.chain_id,
        b_hub.channel,
        hub_a.channel
    );

    queued_transfer(
        state,
        relayer,
        (a, &a_hub.channel),
        (&on_hub, &on_b),
        &hub_b.channel,
    )
    .await?;
    propagated_pause(state, relayer, &on_hub, &hub_b.channel).await
}

/// Step 2: a limit of 10 % on sends of `on_hub` over `hub_b` that queues: the quota goes,
/// 100 more wait for the next window.
async fn queued_transfer(
    state: &Localnet,
    relayer: &Relayer,
    (a, a_hub): (&ChainNet, &str),
    (on_hub, on_b): (&str, &str),
    hub_b: &str,
) -> anyhow::Result<()> {
    let hub = state.hub();
    let b = &state.spokes()[1];
    println!("[2/3] a flow limit that queues: 10 % of {on_hub} per window over {hub_b}");
    let held = balance(hub, &hub.faucet.address, on_hub).await?;
    send(a, a_hub, &hub.faucet.address, 1000, &a.denom, &[])?;
    wait_balance(
        hub,
        &hub.faucet.address,
        on_hub,
        held + 1000,
        relayer,
        (a, a_hub),
    )
    .await?;
    let gov = hub_cli::gov::gov_address(&hub.prefix)?;
    let path = |type_url: &str| json!({"@type": type_url, "signer": gov, "denom": on_hub, "channel_or_client_id": hub_b});
    let mut add = path("/ibc.applications.rate_limiting.v1.MsgAddRateLimit");
    add["max_percent_send"] = json!("10");
    add["max_percent_recv"] = json!("100");
    add["duration_hours"] = json!("1");
    let mut queue = path("/hub.ratelimit.v1.MsgSetQueueing");
    queue["queue"] = json!(true);
    let file = state.dir.join("proposal-rate-limit.json");
    gov::pass(
        hub,
        &file,
        "Limit a voucher",
        "10 % per window, queued",
        vec![add, queue],
    )
    .await?;
    let b_before = balance(b, &b.faucet.address, on_b).await?;
    let mut sent = 0;
    // A window may open between the two sends (every 30 s here), letting the second through
    // too: then try again in the new window.
    for attempt in 1..=3 {
        let room = room_left(hub, on_hub, hub_b)?;
        if room > 0 {
            send(hub, hub_b, &b.faucet.address, room, on_hub, &[])?;
        }
        send(hub, hub_b, &b.faucet.address, 100, on_hub, &[])?;
        sent += room + 100;
        let queued = hubd_query(hub, &["query", "ratelimit", "queued-transfers"])?;
        if let Some(t) = queued["queued_transfers"]
            .as_array()
            .and_then(|q| q.first())
        {
            println!("      {room} sent, 100 over the quota held: {t}");
            break;
        }
        if attempt == 3 {
            bail!("the 100 over the quota was never queued: {queued}");
        }
        println!("      a new window opened between the two sends; again");
    }
    let started = Instant::now();
    wait_balance(
        b,
        &b.faucet.address,
        on_b,
        b_before + sent,
        relayer,
        (hub, hub_b),
    )
    .await?;
    println!(
        "      the next window opened and the hub sent the 100 itself: {} received it {:.1} s later",
        b.chain_id,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The room left in the current window of the limit on `on_hub` over `hub_b` (10 % of its
/// channel value, net of what left and arrived already).
fn room_left(hub: &ChainNet, on_hub: &str, hub_b: &str) -> anyhow::Result<u128> {
    let limit = hubd_query(hub, &["query", "ratelimit", "rate-limit", on_hub, hub_b])?;
    let flow = &limit["rate_limit"]["flow"];
    let int = |k: &str| flow[k].as_str().and_then(|v| v.parse::<u128>().ok());
    let value = int("channel_value").with_context(|| format!("no limit in force: {limit}"))?;
    let (inflow, outflow) = (int("inflow").unwrap_or(0), int("outflow").unwrap_or(0));
    Ok((value / 10 + inflow).saturating_sub(outflow))
}

/// Step 3: hub governance pauses ICS-20 with `propagate`; both spokes apply it; spoke-a's
/// transfer toward the hub is refused until the pause lifts by itself.
async fn propagated_pause(
    state: &Localnet,
    relayer: &Relayer,
    on_hub: &str,
    hub_b: &str,
) -> anyhow::Result<()> {
    let hub = state.hub();
    let a = &state.spokes()[0];
    let a_hub = end_towards(relayer, a, hub)?;
    println!("[3/3] a pause of {PAUSE_SECONDS} s propagated to the spokes");
    let gov = hub_cli::gov::gov_address(&hub.prefix)?;
    let pause = json!({
        "@type": "/hub.circuit.v1.MsgPause", "signer": gov, "channel_id": "", "denom": "",
        "duration_seconds": PAUSE_SECONDS.to_string(), "reason": "localnet demo", "propagate": true,
    });
    let remove = json!({
        "@type": "/ibc.applications.rate_limiting.v1.MsgRemoveRateLimit",
        "signer": gov, "denom": on_hub, "channel_or_client_id": hub_b,
    });
    let file = state.dir.join("proposal-pause.json");
    gov::pass(
        hub,
        &file,
        "Pause ICS-20",
        "propagated to the spokes",
        vec![pause, remove],
    )
    .await?;
    let applied = gov::wait_for("both spokes to apply the pause", || async {
        let d = hubd_query(hub, &["query", "interchain-upgrade", "pause-dispatches"])?;
        let all = d["pause_dispatches"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let acked = all
            .iter()
            .filter(|x| x["status"] == "DISPATCH_STATUS_ACKNOWLEDGED")
            .count();
        Ok((acked >= state.spokes().len()).then_some(all))
    })
    .await?;
    for d in &applied {
        println!(
            "      {} applied it: {} transfer channel(s) paused",
            d["spoke_chain_id"].as_str().unwrap_or("?"),
            d["channels_paused"]
        );
    }
    match send(a, &a_hub.channel, &hub.faucet.address, 1, &a.denom, &[]) {
        Ok(_) => bail!("{} sent toward the hub while paused", a.chain_id),
        Err(e) if format!("{e:#}").contains("paused") => {
            println!(
                "      {}'s transfer toward the hub is refused: paused",
                a.chain_id
            )
        }
        Err(e) => return Err(e.context("the refused transfer failed for another reason")),
    }
    let on_hub_before = balance(hub, &hub.faucet.address, on_hub).await?;
    let started = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_secs(5)).await;
        match send(a, &a_hub.channel, &hub.faucet.address, 1, &a.denom, &[]) {
            Ok(_) => break,
            Err(e) if format!("{e:#}").contains("paused") => {}
            Err(e) => return Err(e),
        }
        if started.elapsed() > Duration::from_secs(PAUSE_SECONDS + 60) {
            bail!("the pause did not lift by itself");
        }
    }
    let lifted = started.elapsed();
    // Wait for it on the hub too, so that the demo ends with nothing in flight (a round trip
    // run next checks exact balances).
    wait_balance(
        hub,
        &hub.faucet.address,
        on_hub,
        on_hub_before + 1,
        relayer,
        (a, &a_hub.channel),
    )
    .await?;
    println!(
        "      the pause lifted by itself; {}'s transfer went through {:.0} s later and reached {}",
        a.chain_id,
        lifted.as_secs_f64(),
        hub.chain_id
    );
    Ok(())
}
