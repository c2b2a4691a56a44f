//! Events of the interchain-upgrade module.

use hub_framework::TypedEvent;

/// `upgrade_dispatch { spoke_chain_id, name, status, … }`: a dispatch was created or changed
/// status (`status` is the proto enum name without prefix, e.g. `PENDING`).
pub struct DispatchEvent {
    /// The spoke.
    pub spoke_chain_id: String,
    /// Plan name.
    pub name: String,
    /// New status.
    pub status: String,
    /// Channel of the packet.
    pub channel_id: String,
    /// Packet sequence.
    pub sequence: u64,
    /// Rejection reason (empty otherwise).
    pub reason: String,
}

impl TypedEvent for DispatchEvent {
    const TYPE: &'static str = "upgrade_dispatch";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("spoke_chain_id", self.spoke_chain_id.clone()),
            ("name", self.name.clone()),
            ("status", self.status.clone()),
            ("channel_id", self.channel_id.clone()),
            ("sequence", self.sequence.to_string()),
            ("reason", self.reason.clone()),
        ]
    }
}

/// `upgrade_plan_received { name, height, proposal_id, accepted, reason }` on the spoke.
pub struct PlanReceived {
    /// Plan name.
    pub name: String,
    /// Plan height.
    pub height: i64,
    /// The hub proposal.
    pub proposal_id: u64,
}

impl TypedEvent for PlanReceived {
    const TYPE: &'static str = "upgrade_plan_received";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.name.clone()),
            ("height", self.height.to_string()),
            ("proposal_id", self.proposal_id.to_string()),
        ]
    }
}
