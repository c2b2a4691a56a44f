//! Events of the upgrade module.

use hub_framework::TypedEvent;

/// `upgrade_scheduled { name, height, info }`: a plan was scheduled.
pub struct UpgradeScheduled {
    /// Plan name.
    pub name: String,
    /// Height of the halt.
    pub height: i64,
    /// Plan info (cosmovisor JSON).
    pub info: String,
}

impl TypedEvent for UpgradeScheduled {
    const TYPE: &'static str = "upgrade_scheduled";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.name.clone()),
            ("height", self.height.to_string()),
            ("info", self.info.clone()),
        ]
    }
}

/// `upgrade_applied { name, height }`: a migration handler ran and the plan is done.
pub struct UpgradeApplied {
    /// Plan name.
    pub name: String,
    /// Height it was applied at.
    pub height: u64,
}

impl TypedEvent for UpgradeApplied {
    const TYPE: &'static str = "upgrade_applied";
    fn attributes(&self) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.name.clone()),
            ("height", self.height.to_string()),
        ]
    }
}
