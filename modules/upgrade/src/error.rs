//! Upgrade errors (codespace `upgrade`).

hub_framework::abci_errors! {
    /// Failures of the upgrade module. Codes are stable.
    pub enum UpgradeError in "upgrade" {
        /// The plan's height is not in the future (code 2, as `x/upgrade` `ErrUpgradeScheduled`).
        #[error("upgrade cannot be scheduled in the past: {0}")]
        HeightNotInFuture(String) = 2,
        /// A plan of this name was already applied (code 3, as `ErrUpgradeCompleted`).
        #[error("upgrade has already been completed: {0}")]
        AlreadyApplied(String) = 3,
        /// The plan is malformed: name, height or info (code 100).
        #[error("invalid upgrade plan: {0}")]
        InvalidPlan(String) = 100,
        /// The signer is not the gov module account (code 101).
        #[error("unauthorized: {0}")]
        Unauthorized(String) = 101,
        /// Another plan is already scheduled and may not be replaced here (code 102).
        #[error("an upgrade plan is already scheduled: {0}")]
        PlanScheduled(String) = 102,
        /// A genesis field is invalid (code 103).
        #[error("invalid upgrade genesis: {0}")]
        InvalidGenesis(String) = 103,
    }
}
