//! `MsgDispatchUpgrade`: hub governance sends a plan to a spoke.

use crate::app::{find_upgrade_channel, status_name, PORT};
use crate::events::DispatchEvent;
use crate::msgs::MsgDispatchUpgrade;
use crate::{
    Dispatch, DispatchStatus, InterchainUpgradeError, InterchainUpgradeRead,
    InterchainUpgradeWrite, UpgradePacketData,
};
use hub_framework::{
    cnidarium::StateWrite, Handled, MsgHandler, StateEventExt, TxCtx, EXECUTING_PROPOSAL_ID,
};
use hub_ibc::client::types::time_nanos;
use hub_ibc::Height;
use prost::Message;

impl MsgHandler for MsgDispatchUpgrade {
    /// The signer must be the authority (the gov module account).
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        super::signed_by_authority(tx, &self.authority)
    }

    /// Sends the plan and records a PENDING dispatch.
    ///
    /// Errors: `/9` on a spoke (only the hub dispatches); `/5` a PENDING, ACKNOWLEDGED or
    /// APPLIED dispatch of the same name to the spoke exists (a TIMED_OUT or REJECTED one may be
    /// dispatched again, over a new channel if the old one closed); `/3` no OPEN upgrade
    /// channel to the spoke; `/4` the plan height is not above the spoke's latest height known
    /// to the hub's client plus `min_upgrade_delay`; ICS-04 send errors (client not active).
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        let params = s.iu_params().await?;
        if !params.hub_chain_id.is_empty() {
            return Err(InterchainUpgradeError::InvalidRequest(format!(
                "this chain is a spoke of {}: only the hub dispatches upgrades",
                params.hub_chain_id
            ))
            .into());
        }
        let spoke = &self.spoke_chain_id;
        let name = &self.plan.name;
        if let Some(d) = s.dispatch(spoke, name).await? {
            let live = matches!(
                DispatchStatus::try_from(d.status),
                Ok(DispatchStatus::Pending
                    | DispatchStatus::Acknowledged
                    | DispatchStatus::Applied)
            );
            if live {
                return Err(InterchainUpgradeError::AlreadyDispatched(format!(
                    "{name:?} to {spoke} is {} on {}",
                    status_name(d.status),
                    d.channel_id
                ))
                .into());
            }
        }
        let target = find_upgrade_channel(s, spoke).await?;
        let min = target.spoke_height.saturating_add(params.min_upgrade_delay);
        if (self.plan.height as u64) <= min {
            return Err(InterchainUpgradeError::HeightTooClose(format!(
                "plan height {} must be above {min}: the spoke is at height {} (as the hub's client {} knows) and min_upgrade_delay is {}",
                self.plan.height, target.spoke_height, target.client_id, params.min_upgrade_delay
            ))
            .into());
        }
        let proposal_id = s
            .object_get::<u64>(EXECUTING_PROPOSAL_ID)
            .unwrap_or_default();
        let data = UpgradePacketData {
            proposal_id,
            spoke_chain_id: spoke.clone(),
            plan: Some(self.plan.clone()),
        }
        .encode_to_vec();
        let timeout = time_nanos(tx.block.time).saturating_add(params.packet_timeout_ns);
        let sequence = hub_ibc::channel::send_packet(
            s,
            tx,
            PORT,
            &target.channel_id,
            Height::ZERO,
            timeout,
            data,
        )
        .await?;
        let d = Dispatch {
            proposal_id,
            spoke_chain_id: spoke.clone(),
            plan: Some(self.plan.clone()),
            port_id: PORT.into(),
            channel_id: target.channel_id.clone(),
            sequence,
            status: DispatchStatus::Pending as i32,
            status_height: tx.block.height,
            reason: String::new(),
            dispatch_height: tx.block.height,
            scheduled_height: 0,
        };
        s.put_dispatch(&d);
        s.put_packet_index(&target.channel_id, sequence, spoke, name);
        s.emit(&DispatchEvent {
            spoke_chain_id: spoke.clone(),
            name: name.clone(),
            status: status_name(d.status).into(),
            channel_id: target.channel_id,
            sequence,
            reason: String::new(),
        });
        Ok(())
    }
}
