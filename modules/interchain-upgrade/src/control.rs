//! The hub side of pauses on the control channel: a pause of the circuit breaker with
//! `propagate` goes to every registered spoke.

use crate::app::PORT;
use crate::{
    DispatchStatus, InterchainUpgradeError, InterchainUpgradeRead, InterchainUpgradeWrite,
    PauseDispatch, PausePacketData,
};
use hub_framework::{cnidarium::StateWrite, ModuleError, TxCtx};
use hub_ibc::channel::ChannelRead;
use hub_ibc::client::types::time_nanos;
use hub_ibc::Height;
use hub_proto::circuit::v1::Pause;
use prost::Message;

/// ICS-04 `STATE_OPEN`.
const STATE_OPEN: i32 = 3;

/// Sends `pause` (its denom, expiry and reason; a spoke names its own channels) to every
/// registered spoke whose control channel is OPEN, with the params' packet timeout, and
/// records a PENDING [`PauseDispatch`] per packet. A spoke without an open channel is
/// skipped: its operators see it missing from the dispatches. Returns how many were sent.
///
/// Errors: `interchain-upgrade`/9 on a spoke (only the hub propagates), and ICS-04 send
/// errors (the spoke's client not active).
pub async fn dispatch_pause<S: StateWrite>(
    s: &mut S,
    tx: &TxCtx,
    pause: &Pause,
) -> Result<u32, ModuleError> {
    let params = s.iu_params().await?;
    if !params.hub_chain_id.is_empty() {
        return Err(InterchainUpgradeError::InvalidRequest(format!(
            "this chain is a spoke of {}: only the hub propagates pauses",
            params.hub_chain_id
        ))
        .into());
    }
    let timeout = time_nanos(tx.block.time).saturating_add(params.packet_timeout_ns);
    let mut sent = 0;
    for b in s.bindings().await? {
        if b.channel_id.is_empty() {
            continue;
        }
        if s.channel(PORT, &b.channel_id).await?.state != STATE_OPEN {
            continue;
        }
        let data = PausePacketData {
            spoke_chain_id: b.chain_id.clone(),
            denom: pause.denom.clone(),
            expires_at: pause.expires_at,
            reason: pause.reason.clone(),
        };
        let sequence = hub_ibc::channel::send_packet(
            s,
            tx,
            PORT,
            &b.channel_id,
            Height::ZERO,
            timeout,
            data.encode_to_vec(),
        )
        .await?;
        s.put_pause_dispatch(&PauseDispatch {
            spoke_chain_id: b.chain_id,
            denom: pause.denom.clone(),
            expires_at: pause.expires_at,
            channel_id: b.channel_id,
            sequence,
            status: DispatchStatus::Pending as i32,
            channels_paused: 0,
            reason: String::new(),
        });
        sent += 1;
    }
    Ok(sent)
}
