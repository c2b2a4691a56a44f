//! ICS-26 callbacks of port `upgrade` (the runtime's router calls these) and the channel
//! lookups both sides share.

use crate::events::{DispatchEvent, PlanReceived};
use crate::{
    DispatchStatus, InterchainUpgradeError, InterchainUpgradeRead, InterchainUpgradeWrite,
    UpgradeAcknowledgement, UpgradePacketData,
};
use cosmos_sdk_proto::cosmos::upgrade::v1beta1::Plan as SdkPlan;
use hub_framework::{cnidarium::StateWrite, ModuleError, StateEventExt, TxCtx};
use hub_ibc::channel::{ChannelEnd, ChannelRead, Order, Packet};
use hub_ibc::client::ClientRead;
use hub_ibc::connection::ConnectionRead;
use hub_ibc::router::{Acknowledgement, ChannelInfo};
use hub_upgrade::{UpgradeRead, UpgradeWrite, PLATFORM};
use prost::Message;

/// The port bound on both the hub and the spokes.
pub const PORT: &str = "upgrade";

/// The channel version.
pub const VERSION: &str = "hub-upgrade-1";

/// ICS-04 `STATE_OPEN`.
const STATE_OPEN: i32 = 3;

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

fn channel_number(id: &str) -> u64 {
    id.rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The newest OPEN ORDERED `hub-upgrade-1` channel on port `upgrade` whose client tracks
/// `spoke_chain_id`.
///
/// Errors: `interchain-upgrade`/3 if there is none (the message says how to open one).
pub async fn find_upgrade_channel<S: StateWrite>(
    s: &S,
    spoke_chain_id: &str,
) -> Result<UpgradeTarget, ModuleError> {
    let mut best: Option<UpgradeTarget> = None;
    for (chan, end) in s.channels_on_port(PORT).await? {
        if end.state != STATE_OPEN
            || end.ordering != Order::Ordered.to_i32()
            || end.version != VERSION
        {
            continue;
        }
        let Some(conn_id) = end.connection_hops.first() else {
            continue;
        };
        let conn = s.connection(conn_id).await?;
        let cs = s.client_state(&conn.client_id).await?;
        if cs.chain_id != spoke_chain_id {
            continue;
        }
        if best
            .as_ref()
            .is_none_or(|b| channel_number(&chan) > channel_number(&b.channel_id))
        {
            best = Some(UpgradeTarget {
                channel_id: chan,
                client_id: conn.client_id,
                spoke_height: cs.latest_height.revision_height,
            });
        }
    }
    best.ok_or_else(|| {
        InterchainUpgradeError::NoChannel(format!(
            "no OPEN ORDERED channel on port {PORT} (version {VERSION}) leads to {spoke_chain_id}; open one with `hermes create channel --order ordered --a-port {PORT} --b-port {PORT} --channel-version {VERSION} …`"
        ))
        .into()
    })
}

/// Checks that a channel may carry upgrade plans on this chain: ORDERED, counterparty port
/// `upgrade`, and on a spoke a client of the hub chain id named in the params.
async fn check_binding<S: StateWrite>(
    s: &S,
    ordering: Order,
    connection_hops: &[String],
    counterparty_port: &str,
) -> Result<(), ModuleError> {
    if ordering != Order::Ordered {
        return Err(invalid_channel(format!(
            "upgrade channels must be ORDERED, not {}",
            ordering.name()
        )));
    }
    if counterparty_port != PORT {
        return Err(invalid_channel(format!(
            "the counterparty port must be {PORT}, not {counterparty_port}"
        )));
    }
    let hub = s.iu_params().await?.hub_chain_id;
    if hub.is_empty() {
        return Ok(());
    }
    let conn_id = connection_hops.first().cloned().unwrap_or_default();
    let conn = s.connection(&conn_id).await?;
    let cs = s.client_state(&conn.client_id).await?;
    if cs.chain_id != hub {
        return Err(invalid_channel(format!(
            "this spoke takes upgrade plans only from {hub}, but client {} of connection {conn_id} tracks {}",
            conn.client_id, cs.chain_id
        )));
    }
    Ok(())
}

fn check_version(v: &str) -> Result<(), ModuleError> {
    if v != VERSION {
        return Err(invalid_channel(format!(
            "version must be {VERSION}, not {v:?}"
        )));
    }
    Ok(())
}

/// The callbacks of port `upgrade`.
#[derive(Clone, Copy, Debug, Default)]
pub struct UpgradeApp;

impl UpgradeApp {
    /// ChanOpenInit: ORDERED, counterparty port `upgrade`, version empty or `hub-upgrade-1`,
    /// and on a spoke a client of its hub.
    ///
    /// Errors: `interchain-upgrade`/8 naming the failed condition.
    pub async fn on_chan_open_init<S: StateWrite>(
        &self,
        s: &mut S,
        ch: &ChannelInfo<'_>,
        version: &str,
    ) -> Result<String, ModuleError> {
        check_binding(s, ch.ordering, ch.connection_hops, ch.counterparty_port_id).await?;
        if !version.is_empty() {
            check_version(version)?;
        }
        Ok(VERSION.into())
    }

    /// ChanOpenTry: as init, with the counterparty's version.
    pub async fn on_chan_open_try<S: StateWrite>(
        &self,
        s: &mut S,
        ch: &ChannelInfo<'_>,
        counterparty_version: &str,
    ) -> Result<String, ModuleError> {
        check_binding(s, ch.ordering, ch.connection_hops, ch.counterparty_port_id).await?;
        check_version(counterparty_version)?;
        Ok(VERSION.into())
    }

    /// ChanOpenAck: the counterparty's version must be `hub-upgrade-1`.
    pub fn on_chan_open_ack(&self, counterparty_version: &str) -> Result<(), ModuleError> {
        check_version(counterparty_version)
    }

    /// ChanCloseInit is refused: an upgrade channel closes only by a packet timeout, so that
    /// nobody can cut a spoke off from its hub.
    pub fn on_chan_close_init(&self) -> Result<(), ModuleError> {
        Err(invalid_channel(
            "upgrade channels cannot be closed by a message; they close when a plan times out"
                .into(),
        ))
    }

    /// A plan arrives (spoke). Success: the plan is consumed and scheduled and the ack is
    /// `UpgradeAck { scheduled_height }`; any failed check: an error ack with the reason
    /// (the core then discards every write).
    pub async fn on_recv_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
    ) -> Acknowledgement {
        let ack = match receive(s, tx, packet).await {
            Ok(h) => UpgradeAcknowledgement::Scheduled(h),
            Err(reason) => UpgradeAcknowledgement::Rejected(reason),
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
    pub async fn on_acknowledgement_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
        ack: &[u8],
    ) -> Result<(), ModuleError> {
        let (status, scheduled, reason) = match UpgradeAcknowledgement::decode(ack) {
            Ok(UpgradeAcknowledgement::Scheduled(h)) => {
                (DispatchStatus::Acknowledged, h, String::new())
            }
            Ok(UpgradeAcknowledgement::Rejected(r)) => (DispatchStatus::Rejected, 0, r),
            Err(e) => (DispatchStatus::Rejected, 0, e.to_string()),
        };
        set_status(s, tx, packet, status, scheduled, reason).await
    }

    /// The plan timed out (hub): TIMED_OUT. The ORDERED channel is closed by the core; a new
    /// dispatch needs a new channel.
    ///
    /// Errors: `interchain-upgrade`/6 if the packet is not one of our dispatches.
    pub async fn on_timeout_packet<S: StateWrite>(
        &self,
        s: &mut S,
        tx: &TxCtx,
        packet: &Packet,
    ) -> Result<(), ModuleError> {
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
) -> Result<(), ModuleError> {
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

/// The spoke's checks, in order; the first failure is the error ack's reason.
async fn receive<S: StateWrite>(s: &mut S, tx: &TxCtx, p: &Packet) -> Result<i64, String> {
    let params = s.iu_params().await.map_err(|e| e.log)?;
    if params.hub_chain_id.is_empty() {
        return Err("this chain is not a spoke: it accepts no upgrade plans".into());
    }
    let ch: ChannelEnd = s
        .channel(&p.destination_port, &p.destination_channel)
        .await
        .map_err(|e| e.to_string())?;
    let order = Order::from_i32(ch.ordering).map_err(|e| e.to_string())?;
    check_binding(s, order, &ch.connection_hops, &p.source_port)
        .await
        .map_err(|e| e.log)?;
    check_version(&ch.version).map_err(|e| e.log)?;
    let data = UpgradePacketData::decode(p.data.as_slice())
        .ok()
        .filter(|d| d.encode_to_vec() == p.data)
        .ok_or_else(|| {
            format!("only UpgradePacketData travels on port {PORT}: the packet data is not one")
        })?;
    if data.spoke_chain_id != tx.block.chain_id {
        return Err(format!(
            "the plan is for {}, this chain is {}",
            data.spoke_chain_id, tx.block.chain_id
        ));
    }
    let plan = data.plan.ok_or("the packet carries no plan")?;
    let info =
        hub_upgrade::validate_plan(&plan.name, plan.height, &plan.info).map_err(|e| e.log)?;
    if info.checksum_for(PLATFORM).is_none() {
        return Err(format!("the plan has no binary for {PLATFORM}"));
    }
    if let Some(h) = s.consumed_at(&plan.name).await.map_err(|e| e.log)? {
        return Err(format!(
            "plan {:?} was already accepted at height {h}; a name is used once",
            plan.name
        ));
    }
    if let Some(other) = s.upgrade_plan().await.map_err(|e| e.log)? {
        return Err(format!(
            "plan {:?} at height {} is in flight; only one plan at a time",
            other.name, other.height
        ));
    }
    let min = tx.block.height.saturating_add(params.min_upgrade_delay);
    if (plan.height as u64) <= min {
        return Err(format!(
            "plan height {} must be above {min} (height {} + min_upgrade_delay {})",
            plan.height, tx.block.height, params.min_upgrade_delay
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
        .map_err(|e| e.log)?;
    s.emit(&PlanReceived {
        name: plan.name,
        height: plan.height,
        proposal_id: data.proposal_id,
    });
    Ok(plan.height)
}
