//! Events of the upgrade module.

hub_framework::typed_events! {
    /// `upgrade_scheduled { name, height, info }`: a plan was scheduled.
    pub struct UpgradeScheduled = "upgrade_scheduled" {
        /// Plan name.
        name: String,
        /// Height of the halt.
        height: i64,
        /// Plan info (cosmovisor JSON).
        info: String,
    }

    /// `upgrade_applied { name, height }`: a migration handler ran and the plan is done.
    pub struct UpgradeApplied = "upgrade_applied" {
        /// Plan name.
        name: String,
        /// Height it was applied at.
        height: u64,
    }
}
