//! Events of the interchain-upgrade module.

hub_framework::typed_events! {
    /// `upgrade_dispatch { spoke_chain_id, name, status, … }`: a dispatch was created or changed
    /// status (`status` is the proto enum name without prefix, e.g. `PENDING`).
    pub struct DispatchEvent = "upgrade_dispatch" {
        /// The spoke.
        spoke_chain_id: String,
        /// Plan name.
        name: String,
        /// New status.
        status: String,
        /// Channel of the packet.
        channel_id: String,
        /// Packet sequence.
        sequence: u64,
        /// Rejection reason (empty otherwise).
        reason: String,
    }

    /// `upgrade_plan_received { name, height, proposal_id, accepted, reason }` on the spoke.
    pub struct PlanReceived = "upgrade_plan_received" {
        /// Plan name.
        name: String,
        /// Plan height.
        height: i64,
        /// The hub proposal.
        proposal_id: u64,
    }
}
