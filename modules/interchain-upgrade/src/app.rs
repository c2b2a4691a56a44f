//! ICS-26 callbacks of port `upgrade` (the runtime's router calls these) and the channel
//! lookups both sides share.

use crate::ack::RejectCode;
use crate::events::{DispatchEvent, PlanReceived};
use crate::{
    Binding, DispatchStatus, InterchainUpgradeError, InterchainUpgradeRead, InterchainUpgradeWrite,
    PauseDispatch, PausePacketData, UpgradeAcknowledgement, UpgradePacketData,
};
use cosmos_sdk_proto::cosmos::upgrade::v1beta1::Plan as SdkPlan;
use hub_framework::{
    cnidarium::{StateRead, StateWrite},
    Handled, ModuleError, StateEventExt, TxCtx,
};
use hub_ibc::channel::{ChannelEnd, ChannelRead, Order, Packet};
use hub_ibc::client::ClientRead;
use hub_ibc::connection::ConnectionRead;
use hub_ibc::router::{Acknowledgement, ChannelInfo, IbcApp};
use hub_upgrade::{UpgradeRead, UpgradeWrite, PLATFORM};
use prost::Message;

/// The port bound on both the hub and the spokes.
pub const PORT: &str = "upgrade";

/// The channel version.
pub const VERSION: &str = "hub-upgrade-1";

/// ICS-04 `STATE_OPEN`.
const STATE_OPEN: i32 = 3;

/// ICS-04 `STATE_CLOSED`.
const STATE_CLOSED: i32 = 4;

fn invalid_channel(m: String) -> ModuleError {
    InterchainUpgradeError::InvalidChannel(m).into()
}

/// The status name without its prefix (`PENDING`, `APPLIED`, …).
pub fn status_name(status: i32) -> &'static str {
    DispatchStatus::try_from(status)
        .unwrap_or(DispatchStatus::Unspecified)
        .as_str_name()
        .trim_start_matches("DISPATCH_STATUS_")
}

/// The channel a dispatch to a spoke goes over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpgradeTarget {
    /// Our channel on port `upgrade`.
    pub channel_id: String,
    /// Our client of the spoke (the channel's connection's client).
    pub client_id: String,
    /// The spoke's latest height known to that client (revision height).
    pub spoke_height: u64,
}

/// The target of a dispatch to `spoke_chain_id`: the registered spoke's bound channel, which
/// must be OPEN, and its registered client.
///
/// Errors: `interchain-upgrade`/3 if the spoke is not registered, or no channel is bound or
/// the bound one is not OPEN (the message says what to do).
pub async fn find_upgrade_channel<S: StateRead>(
    s: &S,
    spoke_chain_id: &str,
) -> Result<UpgradeTarget, ModuleError> {
    let no = |m: String| -> ModuleError { InterchainUpgradeError::NoChannel(m).into() };
    let b = s.binding(spoke_chain_id).await?.ok_or_else(|| {
        no(format!(
            "{spoke_chain_id} is not a registered spoke; hub governance registers it with MsgRegisterSpoke"
        ))
    })?;
    let open_one = format!(
        "open one with `hermes create channel --order ordered --a-chain <hub> --a-connection {} --a-port {PORT} --b-port {PORT} --channel-version {VERSION}`",
        b.connection_id
    );
    if b.channel_id.is_empty() {
        return Err(no(format!(
            "no upgrade channel has opened over {spoke_chain_id}'s registered connection {}; {open_one}",
            b.connection_id
        )));
    }
    let end = s.channel(PORT, &b.channel_id).await?;
    if end.state != STATE_OPEN {
        return Err(no(format!(
            "upgrade channel {} to {spoke_chain_id} is closed (a plan timed out); {open_one}",
            b.channel_id
        )));
    }
    let cs = s.client_state(&b.client_id).await?;
    Ok(UpgradeTarget {
        channel_id: b.channel_id,
        client_id: b.client_id,
        spoke_height: cs.latest_height.revision_height,
    })
}

/// The binding that a channel over `connection_hops` would use: the binding of the
/// connection's client (the spoke's pinned client of its hub, or on the hub a registered
/// spoke's client) and, on the hub, its registered connection.
///
/// Errors: `interchain-upgrade`/8 if the connection's client is bound to nothing, or on the
/// hub the connection is not the registered one.
async fn binding_for<S: StateRead>(
    s: &S,
    connection_hops: &[String],
) -> Result<Binding, ModuleError> {
    let conn_id = connection_hops.first().cloned().unwrap_or_default();
    let conn = s.connection(&conn_id).await?;
    let Some(b) = s.binding_of_client(&conn.client_id).await? else {
        let hub = s.iu_params().await?.hub_chain_id;
        let why = if hub.is_empty() {
            "hub governance registers each spoke's client and connection with MsgRegisterSpoke"
                .to_string()
        } else {
            match s.binding(&hub).await? {
                Some(p) => format!(
                    "this spoke takes upgrade plans only from {hub} through its pinned client {}",
                    p.client_id
                ),
                None => format!(
                    "this spoke takes upgrade plans only from {hub}, and no client of it is pinned; its governance pins one with MsgPinHubClient"
                ),
            }
        };
        return Err(invalid_channel(format!(
            "client {} of connection {conn_id} is bound to no upgrade channel: {why}",
            conn.client_id
        )));
    };
    if !b.connection_id.is_empty() && b.connection_id != conn_id {
        return Err(invalid_channel(format!(
            "{}'s upgrade channel must use its registered connection {}, not {conn_id}",
            b.chain_id, b.connection_id
        )));
    }
    Ok(b)
}

/// Checks that a channel may carry upgrade plans on this chain: ORDERED, counterparty port
/// `upgrade`, over a bound client (and registered connection), and no other channel of that
/// binding is still open (a CLOSED one may be replaced). Returns the binding.
///
/// Errors: `interchain-upgrade`/8 naming the failed condition.
async fn check_binding<S: StateRead>(s: &S, ch: &ChannelInfo<'_>) -> Result<Binding, ModuleError> {
    if ch.ordering != Order::Ordered {
        return Err(invalid_channel(format!(
            "upgrade channels must be ORDERED, not {}",
            ch.ordering.name()
        )));
    }
    if ch.counterparty_port_id != PORT {
        return Err(invalid_channel(format!(
            "the counterparty port must be {PORT}, not {}",
            ch.counterparty_port_id
        )));
    }
    let b = binding_for(s, ch.connection_hops).await?;
    if !b.channel_id.is_empty() && b.channel_id != ch.channel_id {
        let bound = s.channel(PORT, &b.channel_id).await?;
        if bound.state != STATE_CLOSED {
            return Err(invalid_channel(format!(
                "upgrade channel {} to {} is already open; it is the only one",
                b.channel_id, b.chain_id
            )));
        }
    }
    Ok(b)
}

/// Binds the channel `ch` that is opening (ack or confirm) to its binding.
async fn bind<S: StateWrite>(s: &mut S, ch: &ChannelInfo<'_>) -> Handled {
    let mut b = check_binding(s, ch).await?;
    b.channel_id = ch.channel_id.to_string();
    s.put_binding(&b).await
}

fn check_version(v: &str) -> Handled {
    if v != VERSION {
        return Err(invalid_channel(format!(
            "version must be {VERSION}, not {v:?}"
        )));
    }
    Ok(())
}

/// The ICS-26 callbacks of port `upgrade`.
#[derive(Clone, Copy, Debug, Default)]
pub struct UpgradeApp;

impl IbcApp for UpgradeApp {
    /// Bound to [`PORT`] only.
    fn is_bound(&self, port_id: &str) -> bool {
        port_id == PORT
    }

    /// ChanOpenInit: ORDERED, counterparty port `upgrade`, version empty or `hub-upgrade-1`,
    /// over a bound client (see [`check_binding`]) with no other open upgrade channel.
    ///
    /// Errors: `interchain-upgrade`/8 naming the failed condition.
    async fn on_chan_open_init<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        version: &str,
    ) -> Result<String, ModuleError> {
        check_binding(s, ch).await?;
        if !version.is_empty() {
            check_version(version)?;
        }
        Ok(VERSION.into())
    }

    /// ChanOpenTry: as init, with the counterparty's version.
    async fn on_chan_open_try<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        counterparty_version: &str,
    ) -> Result<String, ModuleError> {
        check_binding(s, ch).await?;
        check_version(counterparty_version)?;
        Ok(VERSION.into())
    }

    /// ChanOpenAck: the counterparty's version must be `hub-upgrade-1`; the binding is
    /// checked again and the channel becomes its one upgrade channel.
    ///
    /// Errors: `interchain-upgrade`/8.
    async fn on_chan_open_ack<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
        ch: &ChannelInfo<'_>,
        counterparty_version: &str,
    ) -> Handled {
        check_version(counterparty_version)?;
        bind(s, ch).await
    }

    /// ChanOpenConfirm: the binding is checked again and the channel becomes its one upgrade
    /// channel. Errors: `interchain-upgrade`/8.
    async fn on_chan_open_confirm<S: StateWrite>(
        &self,
        s: &mut S,
        _tx: &TxCtx,
        ch: &ChannelInfo<'_>,
    ) -> Handled {
        bind(s, ch).await
    }

    /// ChanCloseInit is refused: an upgrade channel closes only by a packet timeout, so that
    /// nobody can cut a spoke off from its hub.
    async fn on_chan_close_init<S: StateWrite>(
        &self,
        _s: &mut S,
        _tx: &TxCtx,
        _ch: &ChannelInfo<'_>,
    ) -> Handled {
        Err(invalid_channel(
            "upgrade channels cannot be closed by a message; they close when a plan times out"
                .into(),
        ))
    }

    /// A plan arrives (spoke). Success: the plan is consumed and scheduled and the ack is
    /// `UpgradeAck { scheduled_height }`; any failed check: an error ack with the reason
    /// (the core then discards every write).
    async fn on_recv_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        _relayer: &[u8; 20],
    ) -> Acknowledgement {
        let ack = match receive(s, tx, packet).await {
            Ok(h) => UpgradeAcknowledgement::Scheduled(h),
            Err((code, reason)) => {
                // The detail stays in the node's log; the acknowledgement carries the code.
                tracing::info!(code = code.code(), %reason, "upgrade plan refused");
                UpgradeAcknowledgement::Rejected(code.code())
            }
        };
        Acknowledgement {
            success: ack.is_success(),
            bytes: ack.to_bytes(),
        }
    }

    /// The spoke answered (hub): ACKNOWLEDGED with the scheduled height, or REJECTED with the
    /// spoke's reason (also for an unreadable acknowledgement, so the channel moves on).
    ///
    /// Errors: `interchain-upgrade`/6 if the packet is not one of our dispatches.
    async fn on_acknowledgement_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        ack: &[u8],
        _relayer: &[u8; 20],
    ) -> Handled {
        let decoded = UpgradeAcknowledgement::decode(ack);
        if let Some(d) = s
            .pause_dispatch(&packet.source_channel, packet.sequence)
            .await?
        {
            let (status, paused, reason) = match decoded {
                Ok(UpgradeAcknowledgement::Scheduled(n)) => {
                    (DispatchStatus::Acknowledged, n as u32, String::new())
                }
                Ok(UpgradeAcknowledgement::Rejected(code)) => (
                    DispatchStatus::Rejected,
                    0,
                    format!(
                        "the spoke refused the pause: {} (code {code})",
                        RejectCode::from_code(code)
                            .map_or("a code this hub does not know", RejectCode::describe)
                    ),
                ),
                Err(e) => (DispatchStatus::Rejected, 0, e.to_string()),
            };
            return set_pause_status(s, d, status, paused, reason).await;
        }
        let (status, scheduled, reason) = match decoded {
            Ok(UpgradeAcknowledgement::Scheduled(h)) => {
                (DispatchStatus::Acknowledged, h, String::new())
            }
            Ok(UpgradeAcknowledgement::Rejected(code)) => {
                let what = RejectCode::from_code(code)
                    .map_or("a code this hub does not know", RejectCode::describe);
                (
                    DispatchStatus::Rejected,
                    0,
                    format!("the spoke refused the plan: {what} (code {code})"),
                )
            }
            Err(e) => (DispatchStatus::Rejected, 0, e.to_string()),
        };
        set_status(s, tx, packet, status, scheduled, reason).await
    }

    /// The plan timed out (hub): TIMED_OUT. The ORDERED channel is closed by the core; a new
    /// dispatch needs a new channel.
    ///
    /// Errors: `interchain-upgrade`/6 if the packet is not one of our dispatches.
    async fn on_timeout_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        _relayer: &[u8; 20],
    ) -> Handled {
        if let Some(d) = s
            .pause_dispatch(&packet.source_channel, packet.sequence)
            .await?
        {
            let why = "the pause timed out; the spoke did not pause".to_string();
            return set_pause_status(s, d, DispatchStatus::TimedOut, 0, why).await;
        }
        set_status(
            s,
            tx,
            packet,
            DispatchStatus::TimedOut,
            0,
            format!(
                "the packet timed out and channel {} is closed; dispatch again over a new channel",
                packet.source_channel
            ),
        )
        .await
    }
}

async fn set_status<S: StateWrite>(
    s: &mut S,
    tx: &TxCtx,
    packet: &Packet,
    status: DispatchStatus,
    scheduled_height: i64,
    reason: String,
) -> Handled {
    let (spoke, name) = s
        .dispatch_of_packet(&packet.source_channel, packet.sequence)
        .await?
        .ok_or_else(|| {
            InterchainUpgradeError::DispatchNotFound(format!(
                "packet {} on {} is not a dispatch",
                packet.sequence, packet.source_channel
            ))
        })?;
    let mut d = s
        .dispatch(&spoke, &name)
        .await?
        .ok_or_else(|| InterchainUpgradeError::DispatchNotFound(format!("{name:?} to {spoke}")))?;
    d.status = status as i32;
    d.status_height = tx.block.height;
    d.scheduled_height = scheduled_height;
    d.reason = reason.clone();
    s.put_dispatch(&d);
    s.emit(&DispatchEvent {
        spoke_chain_id: spoke,
        name,
        status: status_name(d.status).into(),
        channel_id: packet.source_channel.clone(),
        sequence: packet.sequence,
        reason,
    });
    Ok(())
}

/// A packet of the control channel: its two kinds have disjoint field numbers, so at most
/// one decodes canonically (the bytes re-encode exactly).
#[derive(Clone, Debug, PartialEq)]
pub enum ControlPacket {
    /// An upgrade plan (`hub.interchain_upgrade.v1.UpgradePacketData`).
    Upgrade(UpgradePacketData),
    /// A pause of channels (`hub.interchain_upgrade.v1.PausePacketData`).
    Pause(PausePacketData),
}

/// Decodes a control packet's data as a spoke receives it from the hub: `Some` only for the
/// canonical protobuf of one of the two kinds (bytes that re-encode exactly), else `None`
/// (the spoke answers with an error acknowledgement).
pub fn decode_control(data: &[u8]) -> Option<ControlPacket> {
    if let Ok(d) = UpgradePacketData::decode(data) {
        if d.encode_to_vec() == data {
            return Some(ControlPacket::Upgrade(d));
        }
    }
    let d = PausePacketData::decode(data).ok()?;
    (d.encode_to_vec() == data).then_some(ControlPacket::Pause(d))
}

/// The spoke's checks, in order; the first failure gives the error ack's code (and a reason
/// for the node's log). Returns the ack's number: the plan height, or the channels paused.
async fn receive<S: StateWrite>(
    s: &mut S,
    tx: &TxCtx,
    p: &Packet,
) -> Result<i64, (RejectCode, String)> {
    use RejectCode as R;
    let internal = |e: String| (R::Internal, e);
    let params = s.iu_params().await.map_err(|e| internal(e.log))?;
    if params.hub_chain_id.is_empty() {
        return Err((R::NotASpoke, "this chain accepts no upgrade plans".into()));
    }
    let ch: ChannelEnd = s
        .channel(&p.destination_port, &p.destination_channel)
        .await
        .map_err(|e| internal(e.to_string()))?;
    let b = binding_for(s, &ch.connection_hops)
        .await
        .map_err(|e| (R::NotBoundChannel, e.log))?;
    if b.chain_id != params.hub_chain_id || b.channel_id != p.destination_channel {
        return Err((
            R::NotBoundChannel,
            format!(
                "channel {} is not this spoke's upgrade channel from {}",
                p.destination_channel, params.hub_chain_id
            ),
        ));
    }
    check_version(&ch.version).map_err(|e| (R::NotBoundChannel, e.log))?;
    let data = match decode_control(&p.data) {
        Some(ControlPacket::Upgrade(d)) => d,
        Some(ControlPacket::Pause(d)) => {
            return receive_pause(s, tx, &b, &d).await.map(i64::from);
        }
        None => {
            return Err((
                R::BadPacketData,
                format!("neither an UpgradePacketData nor a PausePacketData on port {PORT}"),
            ))
        }
    };
    if data.spoke_chain_id != tx.block.chain_id {
        return Err((
            R::WrongChain,
            format!(
                "the plan is for {}, this chain is {}",
                data.spoke_chain_id, tx.block.chain_id
            ),
        ));
    }
    let plan = data
        .plan
        .ok_or((R::BadPacketData, "the packet carries no plan".to_string()))?;
    let info = hub_upgrade::validate_plan(&plan.name, plan.height, &plan.info)
        .map_err(|e| (R::InvalidPlan, e.log))?;
    if info.checksum_for(PLATFORM).is_none() {
        return Err((R::NoBinaryForPlatform, format!("no binary for {PLATFORM}")));
    }
    if let Some(h) = s
        .consumed_at(&plan.name)
        .await
        .map_err(|e| internal(e.log))?
    {
        return Err((
            R::NameUsed,
            format!("plan {:?} was already accepted at height {h}", plan.name),
        ));
    }
    if let Some(other) = s.upgrade_plan().await.map_err(|e| internal(e.log))? {
        return Err((
            R::PlanInFlight,
            format!(
                "plan {:?} at height {} is in flight",
                other.name, other.height
            ),
        ));
    }
    let min = tx.block.height.saturating_add(params.min_upgrade_delay);
    if (plan.height as u64) <= min {
        return Err((
            R::HeightTooClose,
            format!(
                "plan height {} must be above {min} (height {} + min_upgrade_delay {})",
                plan.height, tx.block.height, params.min_upgrade_delay
            ),
        ));
    }
    s.put_consumed(&plan.name, tx.block.height);
    let sdk_plan = SdkPlan {
        name: plan.name.clone(),
        height: plan.height,
        info: plan.info.clone(),
        ..Default::default()
    };
    s.schedule_plan(&sdk_plan, tx.block.height, false)
        .await
        .map_err(|e| internal(e.log))?;
    s.emit(&PlanReceived {
        name: plan.name,
        height: plan.height,
        proposal_id: data.proposal_id,
    });
    Ok(plan.height)
}

/// A pause from the pinned hub (the channel is checked): pauses, for `data.denom`, every
/// `transfer` channel of this spoke whose connection is on the hub's pinned client, until
/// the hub's expiry. Returns how many channels it paused.
async fn receive_pause<S: StateWrite>(
    s: &mut S,
    tx: &TxCtx,
    hub: &Binding,
    data: &PausePacketData,
) -> Result<u32, (RejectCode, String)> {
    use hub_circuit::{CircuitRead, CircuitWrite};
    use RejectCode as R;
    let internal = |e: String| (R::Internal, e);
    if data.spoke_chain_id != tx.block.chain_id {
        return Err((
            R::WrongChain,
            format!(
                "the pause is for {}, this chain is {}",
                data.spoke_chain_id, tx.block.chain_id
            ),
        ));
    }
    let mut toward_hub = Vec::new();
    for (id, end) in s
        .channels_on_port(TRANSFER_PORT)
        .await
        .map_err(|e| internal(e.to_string()))?
    {
        let Some(conn_id) = end.connection_hops.first() else {
            continue;
        };
        let conn = s
            .connection(conn_id)
            .await
            .map_err(|e| internal(e.to_string()))?;
        if conn.client_id == hub.client_id {
            toward_hub.push(id);
        }
    }
    let held = s.pauses().await.map_err(|e| internal(e.log))?.len();
    if held + toward_hub.len() > hub_circuit::MAX_PAUSES {
        return Err((
            R::TooManyPauses,
            format!(
                "{held} pauses in force, at most {}",
                hub_circuit::MAX_PAUSES
            ),
        ));
    }
    for channel_id in &toward_hub {
        s.put_pause(&hub_circuit::Pause {
            channel_id: channel_id.clone(),
            denom: data.denom.clone(),
            expires_at: data.expires_at,
            reason: data.reason.clone(),
            paused_by: format!("hub {}", hub.chain_id),
        })
        .await
        .map_err(|e| internal(e.log))?;
    }
    Ok(toward_hub.len() as u32)
}

/// ICS-20's port: the spoke's channels a pause from the hub applies to.
const TRANSFER_PORT: &str = "transfer";

/// A pause dispatch (hub) answered or timed out: its new status.
async fn set_pause_status<S: StateWrite>(
    s: &mut S,
    mut d: PauseDispatch,
    status: DispatchStatus,
    channels_paused: u32,
    reason: String,
) -> Handled {
    d.status = status as i32;
    d.channels_paused = channels_paused;
    d.reason = reason;
    s.put_pause_dispatch(&d);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Plan;

    #[test]
    fn an_upgrade_packet_never_decodes_as_a_pause_nor_a_pause_as_an_upgrade() {
        let up = UpgradePacketData {
            proposal_id: 3,
            spoke_chain_id: "spoke-1".into(),
            plan: Some(Plan {
                name: "v2".into(),
                height: 100,
                info: "{}".into(),
            }),
        }
        .encode_to_vec();
        let pause = PausePacketData {
            spoke_chain_id: "spoke-1".into(),
            denom: String::new(),
            expires_at: 7,
            reason: "r".into(),
        }
        .encode_to_vec();
        assert!(matches!(
            decode_control(&up),
            Some(ControlPacket::Upgrade(_))
        ));
        assert!(matches!(
            decode_control(&pause),
            Some(ControlPacket::Pause(_))
        ));
        let mut both = up.clone();
        both.extend_from_slice(&pause);
        assert!(
            decode_control(&both).is_none(),
            "a mix of the two is neither"
        );
        assert!(decode_control(b"garbage").is_none());
    }
}
