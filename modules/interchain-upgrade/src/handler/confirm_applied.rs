//! `MsgConfirmUpgradeApplied`: anyone proves that a spoke applied a plan.

use crate::app::status_name;
use crate::events::DispatchEvent;
use crate::msgs::MsgConfirmUpgradeApplied;
use crate::{
    DispatchStatus, InterchainUpgradeError, InterchainUpgradeRead, InterchainUpgradeWrite,
};
use hub_framework::{cnidarium::StateWrite, Handled, MsgHandler, StateEventExt, TxCtx};
use hub_ibc::client::verify::{verify_key_membership, ProofContext};
use hub_ibc::VerifyKind;

/// The commitment prefix of the spoke's upgrade substore.
const UPGRADE_PREFIX: &[u8] = b"upgrade";

impl MsgHandler for MsgConfirmUpgradeApplied {
    /// Anyone may submit; the signer only pays.
    fn check_stateless(&self, tx: &TxCtx) -> Handled {
        let why = "signer is not the tx signer";
        tx.require_signer(&self.signer.0, hub_framework::SdkError::Unauthorized, why)
    }

    /// Verifies, through the hub's registered client of the spoke (never another client
    /// claiming its chain id) at `proof_height`, that the spoke's `upgrade` substore holds
    /// `applied/{name}` = big-endian u64 of the plan height; then marks the dispatch APPLIED.
    ///
    /// Errors: `/6` no dispatch; `/3` the spoke is no longer registered; `/7` the dispatch is not ACKNOWLEDGED (a PENDING, REJECTED or
    /// TIMED_OUT plan was never scheduled by the spoke; an APPLIED one is done); `client`/29
    /// the client is frozen or expired; `client`/26 the client is below `proof_height`;
    /// `client`/30 the proof does not prove that key and value.
    async fn check_and_execute<S: StateWrite>(&self, s: &mut S, tx: &TxCtx) -> Handled {
        let mut d = s
            .dispatch(&self.spoke_chain_id, &self.name)
            .await?
            .ok_or_else(|| {
                InterchainUpgradeError::DispatchNotFound(format!(
                    "no plan {:?} was dispatched to {}",
                    self.name, self.spoke_chain_id
                ))
            })?;
        if d.status != DispatchStatus::Acknowledged as i32 {
            return Err(InterchainUpgradeError::InvalidStatus(format!(
                "plan {:?} to {} is {}, not ACKNOWLEDGED",
                self.name,
                self.spoke_chain_id,
                status_name(d.status)
            ))
            .into());
        }
        let plan_height = d.plan.as_ref().map(|p| p.height).unwrap_or_default() as u64;
        let b = s.binding(&self.spoke_chain_id).await?.ok_or_else(|| {
            InterchainUpgradeError::NoChannel(format!(
                "{} is no longer a registered spoke",
                self.spoke_chain_id
            ))
        })?;
        let ctx = ProofContext {
            client_id: &b.client_id,
            now: tx.block.time,
            host_height: tx.block.height,
            delay_period_ns: 0,
            prefix: UPGRADE_PREFIX,
        };
        verify_key_membership(
            s,
            &ctx,
            self.proof_height,
            &self.proof,
            &hub_upgrade::state_key::applied_path(&self.name),
            &plan_height.to_be_bytes(),
            VerifyKind::Membership,
        )
        .await?;
        d.status = DispatchStatus::Applied as i32;
        d.status_height = tx.block.height;
        s.put_dispatch(&d);
        s.emit(&DispatchEvent {
            spoke_chain_id: d.spoke_chain_id.clone(),
            name: self.name.clone(),
            status: status_name(d.status).into(),
            channel_id: d.channel_id.clone(),
            sequence: d.sequence,
            reason: String::new(),
        });
        Ok(())
    }
}
