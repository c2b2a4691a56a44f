//! Domain messages of the upgrade module (`cosmos.upgrade.v1beta1`).

use crate::UpgradeError;
use cosmos_sdk_proto::cosmos::upgrade::v1beta1 as pb;
use hub_auth::Address;
use hub_framework::ModuleError;

/// The gov module account, the only authority of upgrade messages.
pub use hub_framework::authority::gov_authority;

/// The gov module account as `authority`. Errors: `upgrade`/101 naming what was given.
fn authority(s: &str, hrp: &str) -> Result<Address, ModuleError> {
    hub_framework::authority::parse_gov_authority(s, hrp)
        .map_err(|e| UpgradeError::Unauthorized(e.to_string()).into())
}

/// `MsgSoftwareUpgrade { authority, plan }`: schedules (or replaces) the local plan.
#[derive(Clone, Debug)]
pub struct MsgSoftwareUpgrade {
    /// The gov module account.
    pub authority: Address,
    /// The plan (`time` and `upgraded_client_state` must be unset).
    pub plan: pb::Plan,
}

impl MsgSoftwareUpgrade {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade";

    /// Validates the proto. Errors: `upgrade`/101 authority not gov, `upgrade`/100 bad plan.
    pub fn from_proto(m: &pb::MsgSoftwareUpgrade, hrp: &str) -> Result<Self, ModuleError> {
        let authority = authority(&m.authority, hrp)?;
        let plan = m
            .plan
            .clone()
            .ok_or_else(|| UpgradeError::InvalidPlan("plan is missing".into()))?;
        #[allow(deprecated)]
        if plan.upgraded_client_state.is_some() {
            return Err(UpgradeError::InvalidPlan(
                "upgraded_client_state is deprecated and must be empty".into(),
            )
            .into());
        }
        crate::validate_plan(&plan.name, plan.height, &plan.info)?;
        Ok(MsgSoftwareUpgrade { authority, plan })
    }
}

/// `MsgCancelUpgrade { authority }`: removes the scheduled plan.
#[derive(Clone, Debug)]
pub struct MsgCancelUpgrade {
    /// The gov module account.
    pub authority: Address,
}

impl MsgCancelUpgrade {
    /// Type URL.
    pub const TYPE_URL: &'static str = "/cosmos.upgrade.v1beta1.MsgCancelUpgrade";

    /// Validates the proto. Errors: `upgrade`/101 authority not gov.
    pub fn from_proto(m: &pb::MsgCancelUpgrade, hrp: &str) -> Result<Self, ModuleError> {
        Ok(MsgCancelUpgrade {
            authority: authority(&m.authority, hrp)?,
        })
    }
}

hub_framework::module_msgs! {
    /// Every upgrade message (gov authority only): the module's message enum.
    pub enum UpgradeMsg ["upgrade"] {
        /// `cosmos.upgrade.v1beta1.MsgSoftwareUpgrade`.
        SoftwareUpgrade(MsgSoftwareUpgrade = pb::MsgSoftwareUpgrade, signer: |m| m.authority.0),
        /// `cosmos.upgrade.v1beta1.MsgCancelUpgrade`.
        CancelUpgrade(MsgCancelUpgrade = pb::MsgCancelUpgrade, signer: |m| m.authority.0),
    }
}
